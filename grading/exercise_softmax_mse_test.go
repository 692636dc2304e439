package grading

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/grading/worker"
)

// Exercise 12 (δ for MSE on softmax outputs): right answers written three
// ways, the usual wrong ones written as a learner would, and forgeries.

// mseLoss is E = (1/2N) Σ_n Σ_j (softmax(V)_nj − y_nj)², computed from the
// logits, for central differences.
func mseLoss(v, y *mat.Dense) float64 {
	n, k := v.Dims()
	a := mat.NewDense(n, k, nil)
	softmax.Forward(a, v)
	e := 0.0
	for i := range n {
		for j := range k {
			d := a.At(i, j) - y.At(i, j)
			e += d * d
		}
	}
	return e / (2 * float64(n))
}

// The reference (the explicit Jacobian) is ∂E/∂V: central differences of
// E through softmax of the logits agree with it.
func TestSoftmaxMSEReferenceIsTheGradient(t *testing.T) {
	for seed := uint64(1); seed <= 200; seed++ {
		rng := rand.New(rand.NewPCG(seed, 12))
		v, a, y, _ := softmaxMSEBatch(rng)
		want := softmaxMSEReference(a, y)
		n, k := v.Dims()
		const h = 1e-5 // central differences: error ≈ h² + ε/h ≈ 1e-10
		for i := range n {
			for j := range k {
				old := v.At(i, j)
				v.Set(i, j, old+h)
				up := mseLoss(v, y)
				v.Set(i, j, old-h)
				down := mseLoss(v, y)
				v.Set(i, j, old)
				if fd := (up - down) / (2 * h); math.Abs(fd-want.At(i, j)) > 1e-8 {
					t.Fatalf("seed %d: ∂E/∂V at (%d, %d): central differences %g, reference %g", seed, i, j, fd, want.At(i, j))
				}
			}
		}
	}
}

// Every batch mixes the row kinds and the target kinds, has a peaked row
// whose one-hot target is elsewhere (where difference quotients fail), and
// N ≠ k.
func TestSoftmaxMSEBatchMixes(t *testing.T) {
	for seed := uint64(1); seed <= 500; seed++ {
		_, a, y, oneHot := softmaxMSEBatch(rand.New(rand.NewPCG(seed, 12)))
		n, k := a.Dims()
		if n == k {
			t.Fatalf("seed %d: N = k = %d: a transposed δ would have the right shape", seed, n)
		}
		peaked, uniform, hard, soft, confidentlyWrong := false, false, false, false, false
		for i := range n {
			lo, hi := 1.0, 0.0
			for j := range k {
				lo, hi = math.Min(lo, a.At(i, j)), math.Max(hi, a.At(i, j))
			}
			peaked = peaked || hi > 1-1e-4
			for j := range k {
				// the peak's target is 0, another class's 1
				confidentlyWrong = confidentlyWrong || a.At(i, j) > 1-1e-4 && y.At(i, j) == 0 && oneHot[i]
			}
			uniform = uniform || hi-lo < 0.1/float64(k)
			ones, sum := 0, 0.0
			for j := range k {
				if y.At(i, j) == 1 {
					ones++
				}
				sum += y.At(i, j)
			}
			if math.Abs(sum-1) > 1e-12 || oneHot[i] != (ones == 1) {
				t.Fatalf("seed %d: row %d of y sums to %g, one-hot %v, has %d ones", seed, i, sum, oneHot[i], ones)
			}
			hard, soft = hard || oneHot[i], soft || !oneHot[i]
		}
		if !peaked || !uniform || !hard || !soft || !confidentlyWrong {
			t.Fatalf("seed %d: peaked %v, near-uniform %v, one-hot %v, soft %v, confidently wrong %v: want all", seed, peaked, uniform, hard, soft, confidentlyWrong)
		}
	}
}

// mseLoopDelta is the row-wise form δ_i = a_i (g_i − Σ_k a_k g_k).
func mseLoopDelta(a, y *mat.Dense) *mat.Dense {
	n, k := a.Dims()
	d := mat.NewDense(n, k, nil)
	for r := range n {
		s := 0.0
		for j := range k {
			s += a.At(r, j) * (a.At(r, j) - y.At(r, j)) / float64(n)
		}
		for i := range k {
			d.Set(r, i, a.At(r, i)*((a.At(r, i)-y.At(r, i))/float64(n)-s))
		}
	}
	return d
}

// mseMatrixDelta is the whole-batch matrix form: G = (A − Y)/N, s = (A ⊙ G)·1,
// Δ = A ⊙ (G − s·1ᵀ).
func mseMatrixDelta(a, y *mat.Dense) *mat.Dense {
	n, k := a.Dims()
	g := new(mat.Dense)
	g.Sub(a, y)
	g.Scale(1/float64(n), g)
	ag := new(mat.Dense)
	ag.MulElem(a, g)
	s := new(mat.Dense)
	s.Mul(ag, mat.NewDense(k, 1, ones(k)))
	spread := new(mat.Dense)
	spread.Mul(s, mat.NewDense(1, k, ones(k)))
	d := new(mat.Dense)
	d.Sub(g, spread)
	d.MulElem(a, d)
	return d
}

// mseJacobianDelta builds each row's Jacobian ∂a_j/∂v_i by its two cases
// and sums Σ_j g_j ∂a_j/∂v_i.
func mseJacobianDelta(a, y *mat.Dense) *mat.Dense {
	n, k := a.Dims()
	d := mat.NewDense(n, k, nil)
	for r := range n {
		for i := range k {
			sum := 0.0
			for j := range k {
				dji := -a.At(r, j) * a.At(r, i)
				if i == j {
					dji = a.At(r, i) * (1 - a.At(r, i))
				}
				sum += (a.At(r, j) - y.At(r, j)) * dji
			}
			d.Set(r, i, sum/float64(n))
		}
	}
	return d
}

func ones(k int) []float64 {
	out := make([]float64, k)
	for i := range out {
		out[i] = 1
	}
	return out
}

// Right answers in three forms pass on every draw: the tolerance is one a
// correct analytic answer always meets.
func TestSoftmaxMSERightFormsPass(t *testing.T) {
	for name, f := range map[string]func(a, y *mat.Dense) *mat.Dense{
		"row-wise": mseLoopDelta, "matrix": mseMatrixDelta, "Jacobian sum": mseJacobianDelta} {
		for seed := uint64(1); seed <= 3000; seed++ {
			if res, _ := grade(t, 12, Submission{SoftmaxMSEDelta: f}, seed); !res.OK() {
				t.Fatalf("%s, seed %d: %s", name, seed, res)
			}
		}
		if res := SoftmaxMSEDelta(f); !res.OK() || !strings.Contains(res.Summary, "right") {
			t.Errorf("%s: practice check: %s", name, res)
		}
	}
}

func TestSoftmaxMSEStubAndMissing(t *testing.T) {
	res := SoftmaxMSEDelta(func(a, y *mat.Dense) *mat.Dense { panic("not implemented") })
	if res.Status != ExerciseNotImplemented || !strings.Contains(res.Summary, "hints under the exercise's text") {
		t.Errorf("the stub: %v: %s", res.Status, res)
	}
	if res := SoftmaxMSEDelta(nil); res.Status != ExerciseMissing {
		t.Errorf("no function: %v: %s", res.Status, res)
	}
	if res := SoftmaxMSEDelta(func(a, y *mat.Dense) *mat.Dense { return nil }); res.OK() || !strings.Contains(res.Summary, "nil") {
		t.Errorf("nil: %s", res)
	}
}

// rowWise makes a learner's δ from a per-row rule f(a, g, out) with
// g = (a − y)/N.
func rowWise(f func(a, g, out []float64, n int)) func(a, y *mat.Dense) *mat.Dense {
	return func(a, y *mat.Dense) *mat.Dense {
		n, k := a.Dims()
		d := mat.NewDense(n, k, nil)
		for r := range n {
			g := make([]float64, k)
			for j := range k {
				g[j] = (a.At(r, j) - y.At(r, j)) / float64(n)
			}
			f(a.RawRowView(r), g, d.RawRowView(r), n)
		}
		return d
	}
}

// scaledBy is the right δ times s(N).
func scaledBy(s func(n int) float64) func(a, y *mat.Dense) *mat.Dense {
	return func(a, y *mat.Dense) *mat.Dense {
		d := mseLoopDelta(a, y)
		n, _ := a.Dims()
		d.Scale(s(n), d)
		return d
	}
}

// The usual wrong answers, written as a learner would, fail on every seed
// and are named by their cause.
func TestSoftmaxMSEWrongAnswersDiagnosed(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		f          func(a, y *mat.Dense) *mat.Dense
	}{
		{"diagonal Jacobian", "diagonal form", rowWise(func(a, g, out []float64, _ int) {
			for i := range a {
				out[i] = g[i] * a[i] * (1 - a[i])
			}
		})},
		{"cross-entropy shortcut", "cross-entropy's δ", func(a, y *mat.Dense) *mat.Dense {
			n, _ := a.Dims()
			d := new(mat.Dense)
			d.Sub(a, y)
			d.Scale(1/float64(n), d)
			return d
		}},
		{"no 1/N", "N times too large", scaledBy(func(n int) float64 { return float64(n) })},
		{"1/N twice", "N times too small", scaledBy(func(n int) float64 { return 1 / float64(n) })},
		{"sign", "sign is flipped", scaledBy(func(int) float64 { return -1 })},
		{"Σ g", "Σ_k g_k", rowWise(func(a, g, out []float64, _ int) {
			s := 0.0
			for k := range g {
				s += g[k]
			}
			for i := range a {
				out[i] = a[i]*g[i] - a[i]*s
			}
		})},
		{"no a_i", "factor a_i in front is missing", rowWise(func(a, g, out []float64, _ int) {
			s := 0.0
			for k := range g {
				s += a[k] * g[k]
			}
			for i := range a {
				out[i] = g[i] - s
			}
		})},
		{"diag(a) only", "−a aᵀ part is missing", rowWise(func(a, g, out []float64, _ int) {
			for i := range a {
				out[i] = g[i] * a[i]
			}
		})},
		{"−aaᵀ only", "diag(a) part is missing", rowWise(func(a, g, out []float64, _ int) {
			s := 0.0
			for k := range g {
				s += a[k] * g[k]
			}
			for i := range a {
				out[i] = -s * a[i]
			}
		})},
		{"one-hot assumed", "assumes y is one-hot", func(a, y *mat.Dense) *mat.Dense {
			// The target class as the largest y, then y replaced by its one-hot.
			n, k := a.Dims()
			h := mat.NewDense(n, k, nil)
			for r := range n {
				best := 0
				for j := range k {
					if y.At(r, j) > y.At(r, best) {
						best = j
					}
				}
				h.Set(r, best, 1)
			}
			return mseLoopDelta(a, h)
		}},
		{"transposed", "transposed", func(a, y *mat.Dense) *mat.Dense {
			return mat.DenseCopyOf(mseLoopDelta(a, y).T())
		}},
		{"a division by a zero", "NaN", func(a, y *mat.Dense) *mat.Dense {
			d := mseLoopDelta(a, y)
			d.Set(0, 0, d.At(0, 0)/0*0)
			return d
		}},
		{"scaled by 1.0000001", "no cancellation this time", scaledBy(func(int) float64 { return 1 + 1e-7 })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 300; seed++ {
				res, _ := grade(t, 12, Submission{SoftmaxMSEDelta: tc.f}, seed)
				if res.OK() || res.Status != ExerciseFailed {
					t.Fatalf("seed %d: %v: %s", seed, res.Status, res)
				}
				if !strings.Contains(res.String(), tc.want) {
					t.Fatalf("seed %d: the verdict does not say %q:\n%s", seed, tc.want, res)
				}
			}
		})
	}
}

// A graded verdict never prints the reference: for each wrong answer, the
// reference computed from the query the worker saw is absent from the
// verdict.
func TestSoftmaxMSEVerdictPrintsNoExpectedValue(t *testing.T) {
	for _, f := range []func(a, y *mat.Dense) *mat.Dense{
		scaledBy(func(int) float64 { return 1.02 }), scaledBy(func(n int) float64 { return float64(n) }),
		rowWise(func(a, g, out []float64, _ int) { copy(out, g) }),
	} {
		for seed := uint64(1); seed <= 20; seed++ {
			res, rec := grade(t, 12, Submission{SoftmaxMSEDelta: f}, seed)
			if res.OK() {
				t.Fatal("a wrong δ passed")
			}
			a, y := dense(t, rec.queries[0].M[0]), dense(t, rec.queries[0].M[1])
			if l := leaks(res.String(), softmaxMSEReference(a, y), nil); len(l) > 0 {
				t.Errorf("seed %d: the verdict prints reference values %v:\n%s", seed, l, res)
			}
			if !strings.Contains(res.String(), "yours there:") {
				t.Errorf("seed %d: the verdict does not quote the learner's own value:\n%s", seed, res)
			}
		}
	}
}

// numericalDelta is a forgery: it recovers logits V = ln a (softmax is
// shift-invariant) and differentiates E by central differences with step
// h, per row (the most accurate: each row's E alone) or over the whole
// batch; fivePoint uses the fourth-order stencil
// (−f(2h) + 8f(h) − 8f(−h) + f(−2h))/12h per row instead.
func numericalDelta(h float64, perRow, fivePoint bool) func(a, y *mat.Dense) *mat.Dense {
	return func(a, y *mat.Dense) *mat.Dense {
		n, k := a.Dims()
		v := mat.NewDense(n, k, nil)
		v.Apply(func(_, _ int, t float64) float64 { return math.Log(t) }, a)
		loss := func(r int) float64 {
			if !perRow {
				return mseLoss(v, y)
			}
			row := mat.NewDense(1, k, mat.Row(nil, r, v))
			return mseLoss(row, mat.NewDense(1, k, mat.Row(nil, r, y))) / float64(n)
		}
		d := mat.NewDense(n, k, nil)
		for r := range n {
			for j := range k {
				old := v.At(r, j)
				f := func(s float64) float64 { v.Set(r, j, old+s); e := loss(r); v.Set(r, j, old); return e }
				if fivePoint {
					d.Set(r, j, (-f(2*h)+8*f(h)-8*f(-h)+f(-2*h))/(12*h))
				} else {
					d.Set(r, j, (f(h)-f(-h))/(2*h))
				}
			}
		}
		return d
	}
}

// A difference quotient through softmax of V = ln a fails, whatever its
// step, central per row or over the batch or a five-point stencil (see
// checkSoftmaxMSE on what the tolerance decides).
func TestSoftmaxMSENumericalForgeries(t *testing.T) {
	for _, h := range []float64{1e-2, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 6e-6, 1e-6, 1e-7} {
		for _, form := range []struct{ perRow, fivePoint bool }{{true, false}, {false, false}, {true, true}} {
			f := numericalDelta(h, form.perRow, form.fivePoint)
			for seed := uint64(1); seed <= 200; seed++ {
				if res, _ := grade(t, 12, Submission{SoftmaxMSEDelta: f}, seed); res.OK() {
					t.Fatalf("h = %g, %+v, seed %d: a difference quotient passed: %s", h, form, seed, res)
				}
			}
		}
	}
}

// Forgeries that answer without deriving: a remembered answer, inputs
// mutated so that a judge reading them afterwards would see no error, an
// alias of the input.
func TestSoftmaxMSEForgeries(t *testing.T) {
	var practice *mat.Dense // the practice example's answer, remembered
	{
		rec := &recorder{s: worker.NewSession(Submission{SoftmaxMSEDelta: func(a, y *mat.Dense) *mat.Dense {
			practice = mseLoopDelta(a, y)
			return practice
		}})}
		exerciseSoftmaxMSE.Grade(worker.Client{A: rec}, practiceSeed)
	}
	var first *mat.Dense
	for _, tc := range []struct {
		name string
		f    func(a, y *mat.Dense) *mat.Dense
	}{
		{"the practice example's answer", func(a, y *mat.Dense) *mat.Dense { return mat.DenseCopyOf(practice) }},
		{"the first call's answer, remembered", func(a, y *mat.Dense) *mat.Dense {
			if first == nil {
				first = mseLoopDelta(a, y)
			}
			return mat.DenseCopyOf(first)
		}},
		{"a ← y, then zeros (no error left in the inputs)", func(a, y *mat.Dense) *mat.Dense {
			a.Copy(y)
			n, k := a.Dims()
			return mat.NewDense(n, k, nil)
		}},
		{"a itself (an alias of the input)", func(a, y *mat.Dense) *mat.Dense { return a }},
		{"y overwritten by a, then a − y (zeros) as an alias of y", func(a, y *mat.Dense) *mat.Dense {
			y.Copy(a)
			y.Sub(a, y)
			return y
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 100; seed++ {
				first = nil
				if res, _ := grade(t, 12, Submission{SoftmaxMSEDelta: tc.f}, seed); res.OK() {
					t.Fatalf("seed %d: passed: %s", seed, res)
				}
			}
		})
	}
}
