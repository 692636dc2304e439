// Package student is a student's submission: a fully connected ReLU layer
// written from scratch against the nn.Layer interface (a module of its own).
package student

import (
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// Layer is a = ReLU(x·Wᵀ + b) on a batch, one example per row.
type Layer struct {
	W, B, DW, DB *mat.Dense
	x, v, a, gx  *mat.Dense
}

// NewLayer returns a layer with zero weights.
func NewLayer(nIn, nOut int) *Layer {
	return &Layer{W: mat.NewDense(nOut, nIn, nil), B: mat.NewDense(nOut, 1, nil),
		DW: mat.NewDense(nOut, nIn, nil), DB: mat.NewDense(nOut, 1, nil)}
}

func (l *Layer) Forward(x *mat.Dense) *mat.Dense {
	l.x = x
	r, _ := x.Dims()
	_, c := l.W.Dims()
	_ = c
	l.v = mat.NewDense(r, l.W.RawMatrix().Rows, nil)
	l.v.Mul(x, l.W.T())
	l.a = mat.NewDense(r, l.W.RawMatrix().Rows, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < l.W.RawMatrix().Rows; j++ {
			l.v.Set(i, j, l.v.At(i, j)+l.B.At(j, 0))
			if l.v.At(i, j) > 0 {
				l.a.Set(i, j, l.v.At(i, j))
			}
		}
	}
	return l.a
}

func (l *Layer) Backward(g *mat.Dense) *mat.Dense {
	r, c := g.Dims()
	delta := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if l.v.At(i, j) > 0 {
				delta.Set(i, j, g.At(i, j))
			}
		}
	}
	l.DW.Mul(delta.T(), l.x)
	for j := 0; j < c; j++ {
		l.DB.Set(j, 0, mat.Sum(delta.ColView(j)))
	}
	l.gx = mat.NewDense(r, l.W.RawMatrix().Cols, nil)
	l.gx.Mul(delta, l.W) // δ·W: the mask is applied
	return l.gx
}

func (l *Layer) Params() []nn.Param {
	return []nn.Param{{Name: "W", Value: l.W, Grad: l.DW}, {Name: "b", Value: l.B, Grad: l.DB}}
}
