package corpus

import (
	"math"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// folded keeps the lab's augmented matrix [W | b] (n_out×(n_in+1)) and
// exposes W and b as views into it: its parameters have a stride larger
// than their width, and b is a column of the same storage.
type folded struct {
	aug, daug  *mat.Dense
	w, b       *mat.Dense
	dw, db     *mat.Dense
	x1, v, a   *mat.Dense // x1 = [x | 1]
	nIn, nOut  int
	zeroInputs bool
}

func newFolded(nIn, nOut int) *folded {
	f := &folded{aug: mat.NewDense(nOut, nIn+1, nil), daug: mat.NewDense(nOut, nIn+1, nil), nIn: nIn, nOut: nOut}
	for i := range nOut {
		for j := range nIn + 1 {
			f.aug.Set(i, j, 0.5*math.Cos(float64(2*i+3*j)))
		}
	}
	f.w = f.aug.Slice(0, nOut, 0, nIn).(*mat.Dense)
	f.b = f.aug.Slice(0, nOut, nIn, nIn+1).(*mat.Dense)
	f.dw = f.daug.Slice(0, nOut, 0, nIn).(*mat.Dense)
	f.db = f.daug.Slice(0, nOut, nIn, nIn+1).(*mat.Dense)
	return f
}

func (f *folded) Params() []nn.Param {
	return []nn.Param{{Name: "W", Value: f.w, Grad: f.dw}, {Name: "b", Value: f.b, Grad: f.db}}
}

func (f *folded) Forward(x *mat.Dense) *mat.Dense {
	n, _ := x.Dims()
	f.x1 = mat.NewDense(n, f.nIn+1, nil)
	f.x1.Slice(0, n, 0, f.nIn).(*mat.Dense).Copy(x)
	for i := range n {
		f.x1.Set(i, f.nIn, 1)
	}
	f.v = mat.NewDense(n, f.nOut, nil)
	f.v.Mul(f.x1, f.aug.T())
	f.a = mat.NewDense(n, f.nOut, nil)
	f.a.Apply(func(_, _ int, v float64) float64 { return math.Tanh(v) }, f.v)
	return f.a
}

func (f *folded) Backward(g *mat.Dense) *mat.Dense {
	var d mat.Dense
	d.Apply(func(i, j int, gv float64) float64 { a := f.a.At(i, j); return (1 - a*a) * gv }, g)
	f.daug.Mul(d.T(), f.x1) // [∂E/∂W | ∂E/∂b] in one product
	var gx mat.Dense
	gx.Mul(&d, f.w)
	return &gx
}

// transposedStorage keeps the weights as n_in×n_out (numpy's x @ W habit)
// and exposes them so, named "weight", after the bias "bias": neither the
// names, nor the order, nor the shapes are nn.Dense's.
type transposedStorage struct {
	wt, dwt, b, db *mat.Dense
	x, v           *mat.Dense
}

func newTransposedStorage(nIn, nOut int) *transposedStorage {
	t := &transposedStorage{wt: mat.NewDense(nIn, nOut, nil), dwt: mat.NewDense(nIn, nOut, nil),
		b: mat.NewDense(1, nOut, nil), db: mat.NewDense(1, nOut, nil)}
	for i := range nIn {
		for j := range nOut {
			t.wt.Set(i, j, 0.7*math.Sin(float64(i*nOut+j)+0.3))
		}
	}
	return t
}

func (t *transposedStorage) Params() []nn.Param {
	return []nn.Param{{Name: "bias", Value: t.b, Grad: t.db}, {Name: "weight", Value: t.wt, Grad: t.dwt}}
}

func (t *transposedStorage) Forward(x *mat.Dense) *mat.Dense {
	t.x = x
	n, _ := x.Dims()
	_, nOut := t.wt.Dims()
	v := mat.NewDense(n, nOut, nil)
	v.Mul(x, t.wt)
	v.Apply(func(_, j int, u float64) float64 { return u + t.b.At(0, j) }, v)
	t.v = v
	var a mat.Dense
	a.Apply(func(_, _ int, u float64) float64 { return math.Max(u, 0) }, v)
	return &a
}

func (t *transposedStorage) Backward(g *mat.Dense) *mat.Dense {
	var d mat.Dense
	d.Apply(func(i, j int, gv float64) float64 {
		if t.v.At(i, j) > 0 {
			return gv
		}
		return 0
	}, g)
	t.dwt.Mul(t.x.T(), &d) // Xᵀ·Δ: n_in×n_out, the shape of the stored weights
	n, nOut := d.Dims()
	for j := range nOut {
		var s float64
		for i := range n {
			s += d.At(i, j)
		}
		t.db.Set(0, j, s)
	}
	var gx mat.Dense
	gx.Mul(&d, t.wt.T())
	return &gx
}

// ownedBuffers reuses its output, its δ and its input-gradient buffers
// across calls, as nn.Dense does, and returns them (owned by the layer).
type ownedBuffers struct {
	*layer
	out, gx *mat.Dense
}

func (o *ownedBuffers) Forward(x *mat.Dense) *mat.Dense {
	a := o.layer.Forward(x)
	if o.out == nil || o.out.RawMatrix().Rows != a.RawMatrix().Rows {
		o.out = mat.NewDense(a.RawMatrix().Rows, a.RawMatrix().Cols, nil)
	}
	o.out.Copy(a)
	return o.out
}

func (o *ownedBuffers) Backward(g *mat.Dense) *mat.Dense {
	gx := o.layer.Backward(g)
	if o.gx == nil || o.gx.RawMatrix().Rows != gx.RawMatrix().Rows {
		o.gx = mat.NewDense(gx.RawMatrix().Rows, gx.RawMatrix().Cols, nil)
	}
	o.gx.Copy(gx)
	return o.gx
}
