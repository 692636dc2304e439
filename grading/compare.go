package grading

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// AnalyticTol is the relative tolerance of an answer the reference
// computes exactly (a derivative, a gradient, a step): an element passes
// if |yours − reference| ≤ AnalyticTol·max(|reference|, 10⁻³·max|reference|
// over the tensor). A right answer computed in another order differs by a
// few ε = 2.2·10⁻¹⁶ relative to the tensor's scale; the floor keeps an
// element that cancels to near 0 from demanding more. Any slip a learner
// can make — δ scaled by 1.02, ∂E/∂W by 0.98, a missing 1/N — is orders
// of magnitude larger.
const AnalyticTol = 1e-8

// mismatch describes where a tensor differs from its reference, without
// the reference's value: the first wrong element (0-based), the learner's
// value there, and how many elements are wrong.
type mismatch struct {
	i, j, count, total int
	got                float64
}

// compareTensor compares got with want (same shape) to tol (see
// AnalyticTol); it returns nil if every element passes.
func compareTensor(got, want *mat.Dense, tol float64) *mismatch {
	return compareWithin(got, want, relativeTo(want, tol))
}

// relativeTo is AnalyticTol's rule for want at tol: element (i, j) may
// differ by tol·max(|want_ij|, 10⁻³·max|want|).
func relativeTo(want *mat.Dense, tol float64) func(i, j int, w float64) float64 {
	r, c := want.Dims()
	scale := 0.0
	for i := range r {
		for j := range c {
			scale = math.Max(scale, math.Abs(want.At(i, j)))
		}
	}
	return func(_, _ int, w float64) float64 { return tol * math.Max(math.Abs(w), 1e-3*scale) }
}

// compareWithin compares got with want (same shape), element (i, j)
// passing if |got − want| ≤ allow(i, j, want_ij); it returns nil if every
// element passes.
func compareWithin(got, want *mat.Dense, allow func(i, j int, w float64) float64) *mismatch {
	r, c := want.Dims()
	var m *mismatch
	for i := range r {
		for j := range c {
			g, w := got.At(i, j), want.At(i, j)
			if math.Abs(g-w) <= allow(i, j, w) {
				continue
			}
			if m == nil {
				m = &mismatch{i: i, j: j, got: g, total: r * c}
			}
			m.count++
		}
	}
	return m
}

// checkTensor is "" if got is want to tol, else what is wrong with it, in
// a sentence that names the tensor, its shape or the first wrong element
// and the learner's value there, never the reference's: "∂E/∂W: wrong at
// (2, 3) and 4 more of 12 elements (yours there: 0.1234)".
func checkTensor(name string, got, want *mat.Dense, tol float64) string {
	if got == nil {
		return checkTensorWithin(name, got, want, nil)
	}
	return checkTensorWithin(name, got, want, relativeTo(want, tol))
}

// observeReference, if not nil, is told every tensor a verdict is decided
// on (checkTensorWithin) and its reference: the tests search each verdict
// for the values of the references it was decided on, which a graded
// verdict must never print. It is nil outside tests.
var observeReference func(name string, got, want *mat.Dense)

// checkTensorWithin is checkTensor with the allowance of compareWithin.
func checkTensorWithin(name string, got, want *mat.Dense, allow func(i, j int, w float64) float64) string {
	if observeReference != nil {
		observeReference(name, got, want)
	}
	wr, wc := want.Dims()
	if got == nil {
		return fmt.Sprintf("%s: you returned nil; it must be a %d×%d matrix", name, wr, wc)
	}
	if gr, gc := got.Dims(); gr != wr || gc != wc {
		return fmt.Sprintf("%s: yours is %d×%d but must be %d×%d", name, gr, gc, wr, wc)
	}
	m := compareWithin(got, want, allow)
	if m == nil {
		return ""
	}
	more := ""
	if m.count > 1 {
		more = fmt.Sprintf(" and %d more", m.count-1)
	}
	return fmt.Sprintf("%s: wrong at (%d, %d)%s of %d elements (yours there: %.6g)", name, m.i+1, m.j+1, more, m.total, m.got)
}

// intIn draws an integer in [lo, hi].
func intIn(rng *rand.Rand, lo, hi int) int { return lo + rng.IntN(hi-lo+1) }

// floatIn draws a float64 in [lo, hi).
func floatIn(rng *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }

// scaled draws an r×c matrix uniform in [−s, s).
func scaled(rng *rand.Rand, r, c int, s float64) *mat.Dense {
	m := uniform(rng, r, c)
	m.Scale(s, m)
	return m
}
