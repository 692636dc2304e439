// Package student is a submission with the commonest shape slip: its
// Backward multiplies by Wᵀ where W is needed, so gonum panics.
package student

import (
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// Layer is nn's dense layer with a Backward that uses Wᵀ.
type Layer struct{ *nn.Dense }

// NewLayer returns a 6 → 5 layer when asked.
func NewLayer(nIn, nOut int) Layer { return Layer{nn.NewDense(nIn, nOut, nn.ReLU)} }

// Backward returns G·Wᵀ: (B×n_out)(n_in×n_out) does not fit.
func (l Layer) Backward(g *mat.Dense) *mat.Dense {
	l.Dense.Backward(g)
	var gx mat.Dense
	gx.Mul(g, l.W.T())
	return &gx
}
