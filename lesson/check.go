package lesson

import (
	"fmt"
	"html"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Check is the outcome of verifying one equation numerically.
type Check struct {
	Name   string  // the equation, in the derivation's notation
	Detail string  // what the right-hand side is, e.g. "central differences, h = 1e-06"
	MaxErr float64 // largest |lhs − rhs| over the compared entries
	Tol    float64 // the check passes when MaxErr ≤ Tol
	OK     bool
}

// String returns "✓ name   (max |error| 2.2e-17)" or "✗ … > tol".
func (c Check) String() string {
	mark, cmp := "✓", "≤"
	if !c.OK {
		mark, cmp = "✗", ">"
	}
	detail := ""
	if c.Detail != "" {
		detail = "; " + c.Detail
	}
	return fmt.Sprintf("%s %s   (max |error| %.2g %s %.0e%s)", mark, c.Name, c.MaxErr, cmp, c.Tol, detail)
}

// HTML returns the String form as a coloured line.
func (c Check) HTML() string {
	color := "#1a7f37"
	if !c.OK {
		color = "#cf222e"
	}
	return fmt.Sprintf(`<div class="bp-check" style="font:14px monospace;color:%s">%s</div>`, color, html.EscapeString(c.String()))
}

// Tolerances of the ready-made checks.
const (
	// TolExact is for two computations of the same value in a different
	// order (formula vs nn): they differ by rounding, a few ulps of values ≲ 10.
	TolExact = 1e-12
	// TolFD is for finite differences: central differences with h = 1e-6
	// have truncation error ~h²·|E‴| ≈ 1e-12 and rounding error ~ε·E/h ≈ 1e-10;
	// 1e-7 leaves room and is far below the gradients' size (≳ 1e-4 in the
	// lessons), so a wrong formula cannot pass.
	TolFD = 1e-7
	// fdStep is h of the central differences.
	fdStep = 1e-6
	// fdMaxEntries bounds the entries a finite-difference check perturbs (two
	// forward passes each); larger parameters are sampled at random, with a
	// fixed seed.
	fdMaxEntries = 64
)

// CheckEquation compares lhs and rhs element by element and passes when the
// largest absolute difference is at most tol. It panics if the shapes
// differ. A NaN anywhere fails the check.
func CheckEquation(name string, lhs, rhs mat.Matrix, tol float64) Check {
	lr, lc := lhs.Dims()
	rr, rc := rhs.Dims()
	if lr != rr || lc != rc {
		panic(fmt.Sprintf("lesson: CheckEquation %q: lhs is %d×%d but rhs is %d×%d", name, lr, lc, rr, rc))
	}
	var maxErr float64
	for i := range lr {
		for j := range lc {
			d := math.Abs(lhs.At(i, j) - rhs.At(i, j))
			if math.IsNaN(d) {
				maxErr = math.NaN()
				break
			}
			maxErr = math.Max(maxErr, d)
		}
	}
	return Check{Name: name, MaxErr: maxErr, Tol: tol, OK: maxErr <= tol}
}

// CheckOutputDelta checks (output-delta) for the batch: nn's δ⁽ʰ⁾ against
// (a⁽ʰ⁾ − y)/N computed from the traced output.
func CheckOutputDelta(t *Trace) Check {
	out := t.Layer(t.H())
	want := new(mat.Dense)
	want.Sub(out.A, t.Y)
	want.Scale(1/float64(t.N()), want)
	h := sup(t.H())
	c := CheckEquation("δ"+h+" = (a"+h+" − y)/N", out.Delta, want, TolExact)
	c.Detail = "nn's δ vs the formula"
	return c
}

// CheckHiddenDelta checks (hidden-delta) for layer s < h: nn's δ⁽ˢ⁾ against
// φ′(v⁽ˢ⁾) ⊙ (W⁽ˢ⁺¹⁾ᵀ δ⁽ˢ⁺¹⁾) computed from the trace (batch form
// φ′(V) ⊙ (Δ⁽ˢ⁺¹⁾ W⁽ˢ⁺¹⁾)).
func CheckHiddenDelta(t *Trace, s int) Check {
	if s < 1 || s >= t.H() {
		panic(fmt.Sprintf("lesson: CheckHiddenDelta: layer %d is not a hidden layer (1…%d)", s, t.H()-1))
	}
	l, up := t.Layer(s), t.Layer(s+1)
	if l.DPhi == nil {
		panic(fmt.Sprintf("lesson: CheckHiddenDelta: layer %d's %s is not element-wise", s, l.Act))
	}
	want := new(mat.Dense)
	want.Mul(up.Delta, up.W)
	want.MulElem(l.DPhi, want)
	n := sup(s + 1)
	c := CheckEquation("δ"+sup(s)+" = φ′(v"+sup(s)+") ⊙ (W"+n+"ᵀδ"+n+")", l.Delta, want, TolExact)
	c.Detail = "nn's δ vs the formula"
	return c
}

// CheckBiasTrick checks (bias-trick) for layer s: [W|b]·[a;1] against
// v = W a + b as nn computed it. In batch form the augmented input is
// [A⁽ˢ⁻¹⁾ | 1] (N×(n_in+1)) and the product [A | 1]·[W | b]ᵀ.
func CheckBiasTrick(t *Trace, s int) Check {
	l := t.Layer(s)
	in := t.Input(s)
	r, c := in.Dims()
	nOut, _ := l.W.Dims()
	aug := mat.NewDense(r, c+1, nil) // [A | 1]
	aug.Augment(in, ones(r, 1))
	wb := mat.NewDense(nOut, c+1, nil) // [W | b]
	wb.Augment(l.W, l.B)
	lhs := new(mat.Dense)
	lhs.Mul(aug, wb.T())
	p := sup(s - 1)
	ch := CheckEquation("[W"+sup(s)+" | b"+sup(s)+"]·[a"+p+"; 1] = W"+sup(s)+"a"+p+" + b"+sup(s)+" = v"+sup(s), lhs, l.V, TolExact)
	ch.Detail = "vs nn's v"
	return ch
}

// CheckWeightGrad checks (weight-grad) for layer s: the formula δ⁽ˢ⁾a⁽ˢ⁻¹⁾ᵀ
// (batch Δᵀ·A⁽ˢ⁻¹⁾) computed from the trace against central finite
// differences of E.
func CheckWeightGrad(t *Trace, s int) Check {
	l := t.Layer(s)
	formula := new(mat.Dense)
	formula.Mul(l.Delta.T(), t.Input(s))
	return CheckGrad("∂E/∂W"+sup(s)+" = δ"+sup(s)+"a"+sup(s-1)+"ᵀ", t, s, formula)
}

// CheckBiasGrad checks (bias-grad) for layer s: δ⁽ˢ⁾ (batch: the column sums
// of Δ) against central finite differences of E.
func CheckBiasGrad(t *Trace, s int) Check {
	l := t.Layer(s)
	r, _ := l.Delta.Dims()
	sum := new(mat.Dense)
	sum.Mul(l.Delta.T(), ones(r, 1))
	return checkFD("∂E/∂b"+sup(s)+" = δ"+sup(s), t, s, "b", sum)
}

// CheckGrad compares a claimed ∂E/∂W⁽ˢ⁾ (n_out×n_in), for instance one a
// student computed or LabBugWeightGrad, against central finite differences
// of the traced loss. Large layers are checked on a seeded random sample of
// 64 entries (an even stride would fall on the same few columns, which for
// MNIST's first layer are blank pixels whose gradient is exactly 0).
func CheckGrad(name string, t *Trace, s int, dW mat.Matrix) Check {
	return checkFD(name, t, s, "W", dW)
}

// checkFD compares grad with finite differences of E with respect to the
// parameter ("W" or "b") of layer s.
func checkFD(name string, t *Trace, s int, param string, grad mat.Matrix) Check {
	d := t.net.Dense(s)
	p := d.W
	if param == "b" {
		p = d.B
	}
	r, c := p.Dims()
	if gr, gc := grad.Dims(); gr != r || gc != c {
		panic(fmt.Sprintf("lesson: check %q: gradient is %d×%d but %s%s is %d×%d", name, gr, gc, param, sup(s), r, c))
	}
	total := r * c
	n := min(total, fdMaxEntries)
	var maxErr float64
	for _, idx := range sampleEntries(total, n, uint64(s)) {
		i, j := idx/c, idx%c
		fd := centralDiff(t, p, i, j)
		e := math.Abs(grad.At(i, j) - fd)
		if math.IsNaN(e) {
			maxErr = math.NaN()
			break
		}
		maxErr = math.Max(maxErr, e)
	}
	detail := fmt.Sprintf("vs central differences, h = %.0e", fdStep)
	if n < total {
		detail += fmt.Sprintf(", %d of %d entries", n, total)
	}
	return Check{Name: name, Detail: detail, MaxErr: maxErr, Tol: TolFD, OK: maxErr <= TolFD}
}

// sampleEntries returns n distinct indices in [0, total): all of them in
// order when n == total, else a random sample drawn with a fixed seed so
// that a check gives the same verdict every time.
func sampleEntries(total, n int, seed uint64) []int {
	if n >= total {
		idx := make([]int, total)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	return rand.New(rand.NewPCG(seed, 0x5eed)).Perm(total)[:n]
}

// centralDiff returns (E(θ+h) − E(θ−h))/2h for the entry (i, j) of the
// parameter p of the trace's network clone, restoring it afterwards.
func centralDiff(t *Trace, p *mat.Dense, i, j int) float64 {
	w := p.At(i, j)
	p.Set(i, j, w+fdStep)
	plus := t.net.Loss(t.X, t.Labels)
	p.Set(i, j, w-fdStep)
	minus := t.net.Loss(t.X, t.Labels)
	p.Set(i, j, w)
	return (plus - minus) / (2 * fdStep)
}

// LabBugWeightGrad returns ∂E/∂W⁽ˢ⁾ as the lab's backward pass computes it:
// each hidden layer hands down g·W (batch form; W⁽ˢ⁾ᵀg per example) instead
// of δ·W, so the ReLU mask of every layer above s is lost. It equals the
// true gradient for s ≥ h−1 and differs below that (see LabBugMarkdown).
func LabBugWeightGrad(t *Trace, s int) *mat.Dense {
	t.Layer(s) // range check
	top := t.Layer(t.H())
	g := new(mat.Dense) // ∂E/∂a⁽ʰ⁻¹⁾ as the lab passes it: exact at the top
	g.Mul(top.Delta, top.W)
	for k := t.H() - 1; k >= s; k-- {
		l := t.Layer(k)
		if l.DPhi == nil {
			panic(fmt.Sprintf("lesson: LabBugWeightGrad: layer %d's %s is not element-wise", k, l.Act))
		}
		delta := new(mat.Dense)
		delta.MulElem(l.DPhi, g)
		if k == s {
			dW := new(mat.Dense)
			dW.Mul(delta.T(), t.Input(s))
			return dW
		}
		next := new(mat.Dense)
		next.Mul(g, l.W) // the bug: should be delta · W
		g = next
	}
	// s == h: the output layer's gradient is computed from the exact δ⁽ʰ⁾.
	dW := new(mat.Dense)
	dW.Mul(top.Delta.T(), t.Input(s))
	return dW
}

// ones returns an r×c matrix of ones.
func ones(r, c int) *mat.Dense {
	d := make([]float64, r*c)
	for i := range d {
		d[i] = 1
	}
	return mat.NewDense(r, c, d)
}
