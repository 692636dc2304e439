// Package student is a correct layer built with huge weights (1e200): in a
// network the activations overflow and the loss is not finite, so no
// gradient can be checked there.
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

// NewLayer returns a layer with every weight 1e200.
func NewLayer(nIn, nOut int) *Layer {
	w := mat.NewDense(nOut, nIn, nil)
	for i, raw := 0, w.RawMatrix().Data; i < len(raw); i++ {
		raw[i] = 1e200
	}
	return &Layer{W: w, B: mat.NewDense(nOut, 1, nil),
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
