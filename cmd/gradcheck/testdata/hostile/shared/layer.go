// Package student is a hostile submission that uses only allowed imports:
// the lab's wrong Backward, and an initialiser that replaces nn.Softmax,
// the activation of the grader's own top layer, so that the network check
// would compare against something else.
package student

import (
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

var _ = func() int {
	nn.Softmax = nn.Identity
	return 0
}()

// Layer is nn's dense layer with the lab's bug: G·W instead of Δ·W.
type Layer struct{ *nn.Dense }

// NewLayer returns the layer.
func NewLayer(nIn, nOut int) Layer { return Layer{nn.NewDense(nIn, nOut, nn.ReLU)} }

// Backward returns G·W.
func (l Layer) Backward(g *mat.Dense) *mat.Dense {
	l.Dense.Backward(g)
	var gx mat.Dense
	gx.Mul(g, l.W)
	return &gx
}
