// Package student is a hostile submission: its Backward never returns.
package student

import (
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// Layer is nn's dense layer with a Backward that loops forever.
type Layer struct{ *nn.Dense }

// NewLayer returns the layer.
func NewLayer(nIn, nOut int) Layer { return Layer{nn.NewDense(nIn, nOut, nn.ReLU)} }

// Backward loops forever.
func (l Layer) Backward(g *mat.Dense) *mat.Dense {
	for {
	}
}
