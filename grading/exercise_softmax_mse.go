package grading

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/grading/worker"
)

// Exercise 12: δ for the mean squared error on softmax outputs, a
// derivation that transfers (lesson 04): the general δ = Jᵀ∇ₐE, in which
// nothing cancels. The exercise may use no identifier of package nn (its
// MayUse is empty): nn's softmax and losses are not the derivation.
var exerciseSoftmaxMSE = register(Exercise{N: 12, Title: "δ for MSE on softmax outputs", Func: "func softmaxMSEDelta(a, y *mat.Dense) *mat.Dense",
	Bindings: []Binding{{Ident: "softmaxMSEDelta", Field: "SoftmaxMSEDelta", Adapt: "softmaxMSEDelta"}},
	Timeout:  10 * time.Second, Points: 2, check: checkSoftmaxMSE})

// SoftmaxMSEDelta is exercise 12's practice check, in-process (see
// checkSoftmaxMSE).
func SoftmaxMSEDelta(f func(a, y *mat.Dense) *mat.Dense) ExerciseResult {
	return exerciseSoftmaxMSE.Check(Submission{SoftmaxMSEDelta: f})
}

// mseBatches is how many fresh batches the check asks about: an answer
// remembered from one call (the practice example, a first batch) cannot
// answer the next.
const mseBatches = 2

// checkSoftmaxMSE judges exercise 12: for a = softmax(V) (row by row) and
// targets y, both N×k with one example per row, and
//
//	E = (1/2N) Σ_n Σ_j (a_nj − y_nj)²,
//
// the learner's δ = ∂E/∂V (N×k) on mseBatches fresh batches (N in 3…8,
// k in 3…7, N ≠ k so that a transposed δ has the wrong shape), each with
// peaked, near-uniform and spread rows of logits (softmaxMSEBatch) and
// both one-hot and soft targets. The reference is the chain rule with the
// explicit Jacobian (softmaxMSEReference), compared at AnalyticTol; a
// wrong answer is named by the first entry of softmaxMSECauses it
// matches. The verdict prints where δ is wrong and the learner's value
// there, never the reference's.
//
// What the tolerance decides (softmaxMSEAllowance). Every element of an
// analytic δ is a_nj times a combination of at most k + 1 terms of size at
// most 1/N, so its rounding error, in any order of operations, is a few ε
// times a_nj/N; the check allows max(AnalyticTol·|δ_nj|, mseRoundoff·a_nj/N).
// A numerical derivative of E, of size about 1/N, errs by at least its
// rounding ε·E/h: on the peaked rows, whose a_nj off the peak are 10⁻⁹ to
// 10⁻⁵, that is orders of magnitude above the allowance for every step h
// a difference quotient can use, central or of higher order, per row or
// over the batch (TestSoftmaxMSENumericalForgeries). A derivative exact
// to rounding by other means — a complex step, dual numbers written by
// hand — is indistinguishable from the analytic answer by its values: no
// check of values can refuse it, and reading the code is the
// instructor's part.
//
// J = diag(a) − a aᵀ is symmetric, so "J g without the transpose" is the
// same answer as Jᵀg and passes, rightly.
func checkSoftmaxMSE(c worker.Client, rng *rand.Rand) ExerciseResult {
	return guardExercise(exerciseResult(12), func(res *ExerciseResult) {
		shapes := ""
		for b := range mseBatches {
			_, a, y, _ := softmaxMSEBatch(rng)
			n, k := a.Dims()
			delta := c.SoftmaxMSEDelta(a, y)
			if b > 0 {
				shapes += ", then "
			}
			shapes += fmt.Sprintf("N = %d, k = %d", n, k)
			if delta == nil {
				res.Status, res.Summary = ExerciseFailed, "wrong: softmaxMSEDelta returned nil; return a new N×k matrix."
				return
			}
			if r, cc := delta.Dims(); r != n || cc != k {
				res.Status = ExerciseFailed
				res.Summary = fmt.Sprintf("wrong shape: your δ is %d×%d but must be N×k = %d×%d, the shape of a and y (one example per row).", r, cc, n, k)
				if r == k && cc == n {
					res.Summary += " Yours is transposed: row n of δ belongs to example n."
				}
				return
			}
			want := softmaxMSEReference(a, y)
			if msg := checkTensorWithin("δ", delta, want, softmaxMSEAllowance(a)); msg != "" {
				res.Status = ExerciseFailed
				res.Summary = fmt.Sprintf("wrong: your δ is not ∂E/∂V for the mean squared error on softmax outputs, on a batch of N = %d with k = %d classes.", n, k)
				res.Details = []string{msg, softmaxMSEDiagnosis(delta, a, y)}
				return
			}
		}
		res.Summary = fmt.Sprintf("right: your δ is ∂E/∂V = Jᵀ∇ₐE on %d fresh batches (%s) with peaked, near-uniform and spread softmax rows, one-hot and soft targets.", mseBatches, shapes)
	})
}

// Kinds of rows of logits a batch of exercise 12 mixes: one of each in
// every batch, the rest drawn.
const (
	spreadRow  = iota // V ~ N(0, 1.5²): a spread softmax
	peakedRow         // one logit 12–20 above the largest of N(0, 1) others: a nearly one-hot a
	uniformRow        // V ~ N(0, 0.01²): a nearly uniform a
	rowKinds
)

// softmaxMSEBatch draws exercise 12's inputs: logits V (N×k, rows of every
// kind), a = softmax(V) row by row (max subtracted), and targets y, one-hot
// on some rows and soft (a random probability vector) on others, with at
// least one of each; oneHot[n] says which row n is. One peaked row is
// confidently wrong (its one-hot target is not its peak): there E is near
// 1/N while δ is near 0, where a numerical derivative of E fails (see
// checkSoftmaxMSE).
func softmaxMSEBatch(rng *rand.Rand) (v, a, y *mat.Dense, oneHot []bool) {
	n, k := intIn(rng, 3, 8), intIn(rng, 3, 7)
	for n == k {
		k = intIn(rng, 3, 7)
	}
	kinds := make([]int, n)
	for i := range n {
		kinds[i] = i % rowKinds
		if i >= rowKinds {
			kinds[i] = rng.IntN(rowKinds)
		}
	}
	rng.Shuffle(n, func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	wrong := slices.Index(kinds, peakedRow) // the confidently wrong row
	soft := (wrong + 1 + rng.IntN(n-1)) % n // a row with a soft target
	oneHot = make([]bool, n)
	for i := range n {
		oneHot[i] = i == wrong || i != soft && rng.IntN(2) == 0
	}
	v, y = mat.NewDense(n, k, nil), mat.NewDense(n, k, nil)
	for i := range n {
		for j := range k {
			switch kinds[i] {
			case spreadRow:
				v.Set(i, j, 1.5*rng.NormFloat64())
			case peakedRow:
				v.Set(i, j, rng.NormFloat64())
			case uniformRow:
				v.Set(i, j, 0.01*rng.NormFloat64())
			}
		}
		peak := -1
		if kinds[i] == peakedRow {
			top := mat.Max(v.RowView(i))
			peak = rng.IntN(k)
			v.Set(i, peak, top+floatIn(rng, 12, 20))
		}
		if oneHot[i] {
			c := rng.IntN(k)
			for i == wrong && c == peak {
				c = rng.IntN(k)
			}
			y.Set(i, c, 1)
			continue
		}
		total := 0.0
		for j := range k {
			t := rng.ExpFloat64()
			y.Set(i, j, t)
			total += t
		}
		for j := range k {
			y.Set(i, j, y.At(i, j)/total)
		}
	}
	a = mat.NewDense(n, k, nil)
	softmax.Forward(a, v)
	return v, a, y, oneHot
}

// mseRoundoff bounds the rounding error of an analytic δ_nj in units of
// a_nj/N: at most k + 1 ≤ 8 terms of size at most 1/N, each rounded a few
// times (≈ 10·8·ε ≈ 2·10⁻¹⁴), with a margin.
const mseRoundoff = 1e-13

// softmaxMSEAllowance is exercise 12's tolerance for the batch a (N×k):
// element (n, j) may differ from the reference by
// max(AnalyticTol·|δ_nj|, mseRoundoff·a_nj/N).
func softmaxMSEAllowance(a *mat.Dense) func(i, j int, w float64) float64 {
	n, _ := a.Dims()
	return func(i, j int, w float64) float64 {
		return math.Max(AnalyticTol*math.Abs(w), mseRoundoff*a.At(i, j)/float64(n))
	}
}

// softmaxMSEReference is exercise 12's reference, by the chain rule with
// the explicit Jacobian of each row: g = ∇ₐE = (a_n − y_n)/N (k), J =
// diag(a_n) − a_n a_nᵀ (k×k), δ_n = Jᵀ g (k); δ is N×k.
func softmaxMSEReference(a, y *mat.Dense) *mat.Dense {
	n, k := a.Dims()
	delta := mat.NewDense(n, k, nil)
	for i := range n {
		an := mat.NewVecDense(k, mat.Row(nil, i, a))
		g := mat.NewVecDense(k, nil)
		g.SubVec(an, mat.NewVecDense(k, mat.Row(nil, i, y)))
		g.ScaleVec(1/float64(n), g)
		jac := mat.NewDense(k, k, nil)
		jac.Outer(-1, an, an)
		for j := range k {
			jac.Set(j, j, jac.At(j, j)+an.AtVec(j))
		}
		row := mat.NewVecDense(k, nil)
		row.MulVec(jac.T(), g)
		delta.SetRow(i, row.RawVector().Data)
	}
	return delta
}

// A softmaxMSECause is a usual wrong δ of exercise 12: what it is, and the
// δ it gives for a row a_n, y_n (k each), written into out; n is N.
type softmaxMSECause struct {
	name string
	row  func(a, y, out []float64, n int)
}

// softmaxMSECauses are the wrong answers exercise 12 names, in the order
// they are tried. (J is symmetric: J g without the transpose is right.)
var softmaxMSECauses = []softmaxMSECause{
	{"the diagonal form a ⊙ (1 − a) ⊙ g: it keeps only the Jacobian's diagonal (Nielsen's BP1, the diagonal softmax of lesson 05); softmax's a_i depends on every v_k, so every output's error reaches every logit",
		func(a, y, out []float64, n int) {
			for i, g := range mseGrad(a, y, n) {
				out[i] = a[i] * (1 - a[i]) * g
			}
		}},
	{"∇ₐE = (a − y)/N alone, the cross-entropy's δ: the chain rule stops before softmax. Cross-entropy's ∂E/∂a cancels softmax's Jacobian; the squared error's does not",
		func(a, y, out []float64, n int) { copy(out, mseGrad(a, y, n)) }},
	{"N times too large: E is the mean over the batch, so each row's δ carries the factor 1/N",
		func(a, y, out []float64, n int) { jtg(a, y, out, n, float64(n)) }},
	{"N times too small: the factor 1/N is taken twice",
		func(a, y, out []float64, n int) { jtg(a, y, out, n, 1/float64(n)) }},
	{"the sign is flipped: yours is −∂E/∂V (the error taken as y − a)",
		func(a, y, out []float64, n int) { jtg(a, y, out, n, -1) }},
	{"a ⊙ g, diag(a)·g: the Jacobian's −a aᵀ part is missing (Σ_k g_k in place of Σ_k a_k g_k gives the same, since Σ_k g_k = 0)",
		func(a, y, out []float64, n int) {
			for i, g := range mseGrad(a, y, n) {
				out[i] = a[i] * g
			}
		}},
	{"−a aᵀ g: the Jacobian's diag(a) part is missing",
		func(a, y, out []float64, n int) { jtg(a, y, out, n, 1); mseSubGrad(a, y, out, n, 1) }},
	{"the factor a_i in front is missing: every ∂a_k/∂v_i carries a_i",
		func(a, y, out []float64, n int) {
			g := mseGrad(a, y, n)
			s := 0.0
			for k := range a {
				s += a[k] * g[k]
			}
			for i := range a {
				out[i] = g[i] - s
			}
		}},
	{"right for a one-hot target only: your δ assumes y is one-hot (it differs where the target is soft); the loss compares a with y element by element, whatever y is",
		func(a, y, out []float64, n int) {
			best := 0
			for j := range y {
				if y[j] > y[best] {
					best = j
				}
			}
			h := make([]float64, len(y))
			h[best] = 1
			jtg(a, h, out, n, 1)
		}},
}

// mseGrad is a row's g = ∇ₐE = (a − y)/N.
func mseGrad(a, y []float64, n int) []float64 {
	g := make([]float64, len(a))
	for i := range a {
		g[i] = (a[i] - y[i]) / float64(n)
	}
	return g
}

// jtg writes c·Jᵀg = c·a ⊙ (g − (a·g)) for a row into out, for the causes
// that scale the right δ.
func jtg(a, y, out []float64, n int, c float64) {
	g := mseGrad(a, y, n)
	s := 0.0
	for k := range a {
		s += a[k] * g[k]
	}
	for i := range a {
		out[i] = c * a[i] * (g[i] - s)
	}
}

// mseSubGrad subtracts c·a ⊙ g from out: Jᵀg − a ⊙ g = −a aᵀ g.
func mseSubGrad(a, y, out []float64, n int, c float64) {
	for i, g := range mseGrad(a, y, n) {
		out[i] -= c * a[i] * g
	}
}

// apply returns cause c's δ for the batch a, y.
func (c softmaxMSECause) apply(a, y *mat.Dense) *mat.Dense {
	n, k := a.Dims()
	out := mat.NewDense(n, k, nil)
	for i := range n {
		c.row(a.RawRowView(i), y.RawRowView(i), out.RawRowView(i), n)
	}
	return out
}

// diagnosisTol is how close a wrong δ must be to a cause's to be named
// by it: loose enough for any order of operations, far tighter than the
// causes' differences from each other.
const diagnosisTol = 1e-6

// softmaxMSEDiagnosis names what a wrong δ is: the first cause of
// softmaxMSECauses it matches, else a pointer to the hints.
func softmaxMSEDiagnosis(delta, a, y *mat.Dense) string {
	if !finite(delta) {
		return "Hint: your δ holds NaN or ±Inf; with a from softmax every a_i is in (0, 1), so nothing in δ needs a division by a_i."
	}
	for _, c := range softmaxMSECauses {
		if compareTensor(delta, c.apply(a, y), diagnosisTol) == nil {
			return "Hint: yours is " + c.name + "."
		}
	}
	return "Hint: no cancellation this time — every a_j depends on every v_i, so ∂E/∂v_i sums over all outputs j; the hints under the exercise's text lead there one step at a time."
}

// finite reports whether m has no NaN or ±Inf.
func finite(m *mat.Dense) bool {
	r, c := m.Dims()
	for i := range r {
		for j := range c {
			if t := m.At(i, j); math.IsNaN(t) || math.IsInf(t, 0) {
				return false
			}
		}
	}
	return true
}
