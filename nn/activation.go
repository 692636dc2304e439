package nn

import (
	"fmt"
	"math"
	"strings"

	"github.com/backprop-lab/backprop/nn/internal/reluvec"
	"gonum.org/v1/gonum/mat"
)

// Activation is the function φ a layer applies to its pre-activation v.
// Both methods work on a whole batch (N×n, one example per row).
type Activation interface {
	// Name is the activation's lower-case name ("relu", "softmax", …), used
	// by Save/Load and ActivationByName.
	Name() string
	// Forward sets a = φ(v). a and v have the same shape; a may be v.
	Forward(a, v *mat.Dense)
	// Backward sets δ = ∂E/∂v from g = ∂E/∂a, given v and a = φ(v):
	// row by row, δ = J_φ(v)ᵀ g, which for an element-wise φ is
	// δ = φ′(v) ⊙ g. All four matrices have the same shape; delta may be g.
	Backward(delta, v, a, g *mat.Dense)
}

// Elementwise is an Activation applied to each element independently, so it
// has a scalar derivative φ′ (ReLU, Sigmoid, Tanh, Identity; not Softmax).
type Elementwise interface {
	Activation
	// F returns φ(v).
	F(v float64) float64
	// Deriv returns φ′(v); a = φ(v) is passed too because some derivatives
	// are cheapest from it (σ′ = a(1−a), tanh′ = 1−a²).
	Deriv(v, a float64) float64
}

// The activations of the package. Softmax is only meaningful on the output
// layer, where Network pairs it with the cross-entropy loss.
var (
	// ReLU is φ(v) = max(0, v), φ′(v) = 1{v > 0} (0 at the kink v = 0).
	ReLU Elementwise = reluAct{}
	// Sigmoid is φ(v) = 1/(1+e^{−v}), φ′(v) = a(1−a).
	Sigmoid Elementwise = sigmoidAct{}
	// Tanh is φ(v) = tanh v, φ′(v) = 1 − a².
	Tanh Elementwise = tanhAct{}
	// Identity is φ(v) = v, φ′(v) = 1.
	Identity Elementwise = identityAct{}
	// Softmax is a_i = e^{v_i−m} / Σ_k e^{v_k−m} per row, m = max_k v_k.
	// Its Jacobian-vector product is δ_i = a_i (g_i − Σ_k a_k g_k).
	Softmax Activation = softmaxAct{}
)

var activations = []Activation{ReLU, Sigmoid, Tanh, Identity, Softmax}

// ActivationByName returns the activation called name (case-insensitive):
// relu, sigmoid, tanh, identity or softmax.
func ActivationByName(name string) (Activation, error) {
	for _, a := range activations {
		if strings.EqualFold(a.Name(), name) {
			return a, nil
		}
	}
	names := make([]string, len(activations))
	for i, a := range activations {
		names[i] = a.Name()
	}
	return nil, fmt.Errorf("nn: unknown activation %q (known: %s)", name, strings.Join(names, ", "))
}

// Derivative returns the matrix φ′(v) (same shape as v) of an element-wise
// activation, given v and a = φ(v). It allocates; the training loop never
// calls it.
func Derivative(act Elementwise, v, a *mat.Dense) *mat.Dense {
	sameShape("nn", "Derivative", "v", v, "a", a)
	r, c := v.Dims()
	d := mat.NewDense(r, c, nil)
	for i := range r {
		for j := range c {
			d.Set(i, j, act.Deriv(v.At(i, j), a.At(i, j)))
		}
	}
	return d
}

// rows2 calls f on each row of the same-shaped matrices, as raw slices.
func rows2(a, b *mat.Dense, f func(ra, rb []float64)) {
	ra, rb := a.RawMatrix(), b.RawMatrix()
	for i := 0; i < ra.Rows; i++ {
		f(ra.Data[i*ra.Stride:i*ra.Stride+ra.Cols], rb.Data[i*rb.Stride:i*rb.Stride+rb.Cols])
	}
}

func rows4(a, b, c, d *mat.Dense, f func(ra, rb, rc, rd []float64)) {
	ra, rb, rc, rd := a.RawMatrix(), b.RawMatrix(), c.RawMatrix(), d.RawMatrix()
	for i := 0; i < ra.Rows; i++ {
		f(ra.Data[i*ra.Stride:i*ra.Stride+ra.Cols], rb.Data[i*rb.Stride:i*rb.Stride+rb.Cols],
			rc.Data[i*rc.Stride:i*rc.Stride+rc.Cols], rd.Data[i*rd.Stride:i*rd.Stride+rd.Cols])
	}
}

func checkForward(name string, a, v *mat.Dense) {
	sameShape(name, "Forward", "a", a, "v", v)
}

func checkBackward(name string, delta, v, a, g *mat.Dense) {
	sameShape(name, "Backward", "v", v, "a", a)
	sameShape(name, "Backward", "v", v, "g", g)
	sameShape(name, "Backward", "v", v, "delta", delta)
}

type reluAct struct{}

func (reluAct) Name() string { return "relu" }
func (reluAct) F(v float64) float64 {
	if v > 0 {
		return v
	}
	return 0
}
func (reluAct) Deriv(v, _ float64) float64 {
	if v > 0 {
		return 1
	}
	return 0
}
func (reluAct) Forward(a, v *mat.Dense) {
	checkForward("relu", a, v)
	rows2(a, v, func(ra, rv []float64) {
		ra = ra[:len(rv)]
		for j, x := range rv {
			ra[j] = reluvec.Masked(x, x)
		}
	})
}
func (reluAct) Backward(delta, v, a, g *mat.Dense) {
	checkBackward("relu", delta, v, a, g)
	rows4(delta, v, a, g, func(rd, rv, _, rg []float64) {
		rd, rg = rd[:len(rv)], rg[:len(rv)]
		for j, x := range rv {
			rd[j] = reluvec.Masked(rg[j], x)
		}
	})
}

// forwardBias sets V = U + 1bᵀ and A = φ(V) in one pass over the rows
// (Dense.Forward's work after the product; b holds n_out biases).
func (reluAct) forwardBias(a, v, u *mat.Dense, b []float64) {
	checkForward("relu", a, v)
	sameShape("relu", "Forward", "u", u, "v", v)
	ru, rv, ra := u.RawMatrix(), v.RawMatrix(), a.RawMatrix()
	b = b[:ru.Cols]
	for i := 0; i < ru.Rows; i++ {
		reluvec.ForwardBias(rv.Data[i*rv.Stride:], ra.Data[i*ra.Stride:], ru.Data[i*ru.Stride:], b)
	}
}

// backwardSum sets δ = φ′(V) ⊙ G and db_j = Σ_n δ_nj (∂E/∂b, the column
// sums of δ) in one pass over the rows (Dense's backward through ReLU).
func (reluAct) backwardSum(delta, v, g *mat.Dense, db []float64) {
	sameShape("relu", "Backward", "v", v, "g", g)
	sameShape("relu", "Backward", "v", v, "delta", delta)
	rd, rv, rg := delta.RawMatrix(), v.RawMatrix(), g.RawMatrix()
	db = db[:rv.Cols]
	clear(db)
	for i := 0; i < rv.Rows; i++ {
		reluvec.BackwardSum(rd.Data[i*rd.Stride:], db, rv.Data[i*rv.Stride:], rg.Data[i*rg.Stride:])
	}
}

type sigmoidAct struct{}

func (sigmoidAct) Name() string                     { return "sigmoid" }
func (sigmoidAct) F(v float64) float64              { return sigmoid(v) }
func (sigmoidAct) Deriv(_, a float64) float64       { return a * (1 - a) }
func (s sigmoidAct) Forward(a, v *mat.Dense)        { elementwiseForward(s, a, v) }
func (s sigmoidAct) Backward(d, v, a, g *mat.Dense) { elementwiseBackward(s, d, v, a, g) }

// sigmoid is 1/(1+e^{−v}) written so that neither branch overflows.
func sigmoid(v float64) float64 {
	if v >= 0 {
		return 1 / (1 + math.Exp(-v))
	}
	e := math.Exp(v)
	return e / (1 + e)
}

type tanhAct struct{}

func (tanhAct) Name() string                     { return "tanh" }
func (tanhAct) F(v float64) float64              { return math.Tanh(v) }
func (tanhAct) Deriv(_, a float64) float64       { return 1 - a*a }
func (t tanhAct) Forward(a, v *mat.Dense)        { elementwiseForward(t, a, v) }
func (t tanhAct) Backward(d, v, a, g *mat.Dense) { elementwiseBackward(t, d, v, a, g) }

type identityAct struct{}

func (identityAct) Name() string               { return "identity" }
func (identityAct) F(v float64) float64        { return v }
func (identityAct) Deriv(_, _ float64) float64 { return 1 }
func (identityAct) Forward(a, v *mat.Dense) {
	checkForward("identity", a, v)
	if a != v {
		a.Copy(v)
	}
}
func (identityAct) Backward(d, v, a, g *mat.Dense) {
	checkBackward("identity", d, v, a, g)
	if d != g {
		d.Copy(g)
	}
}

func elementwiseForward(e Elementwise, a, v *mat.Dense) {
	checkForward(e.Name(), a, v)
	rows2(a, v, func(ra, rv []float64) {
		for j, x := range rv {
			ra[j] = e.F(x)
		}
	})
}

func elementwiseBackward(e Elementwise, delta, v, a, g *mat.Dense) {
	checkBackward(e.Name(), delta, v, a, g)
	rows4(delta, v, a, g, func(rd, rv, ra, rg []float64) {
		for j := range rd {
			rd[j] = e.Deriv(rv[j], ra[j]) * rg[j]
		}
	})
}

type softmaxAct struct{}

func (softmaxAct) Name() string { return "softmax" }

// Forward computes the softmax of each row with its maximum subtracted:
// e^{v_i−m} ≤ 1, so nothing overflows, and the largest term is exactly 1,
// so the sum is ≥ 1 and never underflows to 0.
func (s softmaxAct) Forward(a, v *mat.Dense) {
	checkForward("softmax", a, v)
	s.forwardRows(a, v, 0, v.RawMatrix().Rows)
}

// forwardRows is Forward on rows lo…hi−1 alone.
func (softmaxAct) forwardRows(a, v *mat.Dense, lo, hi int) {
	ra, rv := a.RawMatrix(), v.RawMatrix()
	for i := lo; i < hi; i++ {
		softmaxRow(ra.Data[i*ra.Stride:i*ra.Stride+ra.Cols], rv.Data[i*rv.Stride:i*rv.Stride+rv.Cols])
	}
}

// softmaxRow writes the softmax of rv into ra.
func softmaxRow(ra, rv []float64) {
	m := math.Inf(-1)
	for _, x := range rv {
		m = max(m, x)
	}
	var sum float64
	for j, x := range rv {
		e := math.Exp(x - m)
		ra[j] = e
		sum += e
	}
	inv := 1 / sum
	for j := range ra {
		ra[j] *= inv
	}
}

// rowwiseActivation is an activation whose Forward treats each row of the
// batch alone (softmax: a row's exponentials and their sum). forwardRows
// computes rows lo…hi−1 of Forward's result, with Forward's bits, so that
// Dense can compute the two halves of a batch on two cores at once.
type rowwiseActivation interface {
	forwardRows(a, v *mat.Dense, lo, hi int)
}

// Backward computes δ_i = a_i (g_i − Σ_k a_k g_k) for each row.
func (softmaxAct) Backward(delta, v, a, g *mat.Dense) {
	checkBackward("softmax", delta, v, a, g)
	rows4(delta, v, a, g, func(rd, _, ra, rg []float64) {
		var dot float64
		for j := range ra {
			dot += ra[j] * rg[j]
		}
		for j := range rd {
			rd[j] = ra[j] * (rg[j] - dot)
		}
	})
}
