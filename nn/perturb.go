package nn

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Perturbable is an optional interface of a Layer that can recompute its
// output after a change of one parameter element faster than Forward.
// Gradient checkers (package gradcheck) change one element at a time and
// use it when a layer offers it; a student's layer may offer it too.
type Perturbable interface {
	Layer
	// ForwardPerturbed returns what Forward would return for the input of
	// the last Forward if element (i, j) of Params()[p].Value were larger
	// by delta. The element may or may not hold the changed value when it
	// is called: the method must not depend on which. It leaves the values
	// cached by the last Forward unchanged (Backward and the next
	// ForwardPerturbed read them); its result is owned by the layer and
	// valid until the next call.
	ForwardPerturbed(p, i, j int, delta float64) *mat.Dense
}

// Cloner is an optional interface of a Layer that can copy itself: a new,
// independent layer of the same kind with the same parameter values (not
// gradients, not cached values). Gradient checkers check copies
// concurrently when every layer offers it.
type Cloner interface {
	Layer
	CloneLayer() Layer
}

// ForwardPerturbed implements Perturbable: a change Δ of W[i,j] changes
// only column i of V = X·Wᵀ + 1bᵀ, by Δ·X[:,j] (a change of b[i]: by Δ),
// so that column is updated in a copy of V and φ applied: O(N·n_out) work
// instead of Forward's O(N·n_in·n_out). It is Forward's function rounded
// differently. p is 0 for W and 1 for b, as in Params.
func (d *Dense) ForwardPerturbed(p, i, j int, delta float64) *mat.Dense {
	if d.v == nil {
		panic("nn: Dense.ForwardPerturbed called before Forward")
	}
	nIn, nOut := d.Dims()
	if p < 0 || p > 1 || i < 0 || i >= nOut || j < 0 || (p == 0 && j >= nIn) || (p == 1 && j > 0) {
		panic(fmt.Sprintf("nn: Dense.ForwardPerturbed: no element (%d, %d) of parameter %d (W is %s, b is %s)", i, j, p, shape(d.W), shape(d.B)))
	}
	rv := d.v.RawMatrix()
	vs := reuse(&d.pv, rv.Rows, rv.Cols)
	vs.Copy(d.v)
	rs, rx := vs.RawMatrix(), d.x.RawMatrix()
	for n := range rv.Rows {
		dv := delta
		if p == 0 {
			dv *= rx.Data[n*rx.Stride+j]
		}
		rs.Data[n*rs.Stride+i] += dv
	}
	a := reuse(&d.pa, rv.Rows, rv.Cols)
	d.Act.Forward(a, vs)
	return a
}

// CloneLayer implements Cloner: a Dense with copies of W and b and the same
// activation.
func (d *Dense) CloneLayer() Layer {
	nIn, nOut := d.Dims()
	c := NewDense(nIn, nOut, d.Act)
	c.W.Copy(d.W)
	c.B.Copy(d.B)
	return c
}
