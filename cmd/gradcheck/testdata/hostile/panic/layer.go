// Package student is a submission with the commonest shape slip: its
// Backward multiplies by Wᵀ where W is needed, so gonum panics.
package student

import (
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// Layer is a dense identity layer with a Backward that uses Wᵀ.
type Layer struct{ W, B, DW, DB *mat.Dense }

func NewLayer(nIn, nOut int) Layer {
	return Layer{mat.NewDense(nOut, nIn, nil), mat.NewDense(nOut, 1, nil), mat.NewDense(nOut, nIn, nil), mat.NewDense(nOut, 1, nil)}
}

// Backward returns G·Wᵀ: (B×n_out)(n_in×n_out) does not fit.
func (l Layer) Backward(g *mat.Dense) *mat.Dense {
	var gx mat.Dense
	gx.Mul(g, l.W.T())
	return &gx
}

// Forward returns X·Wᵀ + 1bᵀ.
func (l Layer) Forward(x *mat.Dense) *mat.Dense {
	var v mat.Dense
	v.Mul(x, l.W.T())
	v.Apply(func(i, j int, s float64) float64 { return s + l.B.At(j, 0) }, &v)
	return &v
}

// Params returns W and b.
func (l Layer) Params() []nn.Param {
	return []nn.Param{{Name: "W", Value: l.W, Grad: l.DW}, {Name: "b", Value: l.B, Grad: l.DB}}
}
