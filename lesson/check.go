package lesson

import (
	"fmt"
	"html"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/nn"
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
	// tolExact is for two computations of the same value in a different
	// order (formula vs nn): they differ by rounding, a few ulps of values ≲ 10.
	tolExact = 1e-12
	// tolFD is for finite differences: central differences with h = 1e-6
	// have truncation error ~h²·|E‴| ≈ 1e-12 and rounding error ~ε·E/h ≈ 1e-10;
	// 1e-7 leaves room and is far below the gradients' size (≳ 1e-4 in the
	// lessons), so a wrong formula cannot pass.
	tolFD = 1e-7
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
	return Check{Name: name, Detail: detail, MaxErr: maxErr, Tol: tolFD, OK: maxErr <= tolFD}
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

// lossFromV returns the loss E when layer s's pre-activation is v (N×n_out):
// a = φ⁽ˢ⁾(v), then the layers above, then the mean cross-entropy.
func lossFromV(t *Trace, s int, v *mat.Dense) float64 {
	r, c := v.Dims()
	a := mat.NewDense(r, c, nil)
	t.net.Dense(s).Act.Forward(a, v)
	for k := s + 1; k <= t.H(); k++ {
		a = t.net.Dense(k).Forward(a)
	}
	loss, _ := nn.CrossEntropy(a, t.Labels)
	return loss
}

// ones returns an r×c matrix of ones.
func ones(r, c int) *mat.Dense {
	d := make([]float64, r*c)
	for i := range d {
		d[i] = 1
	}
	return mat.NewDense(r, c, d)
}

// examples describes the batch size in a check's detail when it is not 1.
func examples(n int) string {
	if n == 1 {
		return ""
	}
	return fmt.Sprintf(", N = %d examples", n)
}
