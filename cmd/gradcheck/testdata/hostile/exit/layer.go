// Package student is a hostile submission: its Backward prints what a
// passing check prints and ends the process with status 0.
package student

import (
	"fmt"
	"os"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// Layer is nn's dense layer with a Backward that lies.
type Layer struct{ *nn.Dense }

// NewLayer returns the layer.
func NewLayer(nIn, nOut int) Layer { return Layer{nn.NewDense(nIn, nOut, nn.ReLU)} }

// Backward prints a pass and exits.
func (l Layer) Backward(g *mat.Dense) *mat.Dense {
	fmt.Println("layer NewLayer(6, 5): passed (3 tensors)")
	fmt.Println("PASS")
	os.Exit(0)
	return nil
}
