package grading

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/grading/worker"
	"github.com/backprop-lab/backprop/nn"
)

// Exercise 5: the learner writes the gradient checker, then uses it on the
// layer of exercise 3.
var exerciseNumGrad = register(Exercise{N: 5, Title: "numerical gradient",
	Func: "func numGrad(loss func() float64, theta *mat.Dense, h float64) *mat.Dense",
	Bindings: []Binding{{Ident: "numGrad", Field: "NumGrad", Adapt: "numGrad"},
		{Ident: "numGradW", Field: "NumGradLayer", Adapt: "func(l nn.Layer, x, g *mat.Dense) *mat.Dense { return numGradW(l.(*MyDense), x, g) }"},
		{Ident: "NewLayer", Field: "NewLayer", Adapt: "func(nIn, nOut int) nn.Layer { return NewLayer(nIn, nOut) }"}},
	Needs: []string{"MyDense"}, MayUse: []string{"nn.Param", "nn.Layer"},
	Timeout: 20 * time.Second, Points: 2, check: checkNumGrad})

// NumGrad is exercise 5's practice check, in-process.
func NumGrad(numGrad func(loss func() float64, theta *mat.Dense, h float64) *mat.Dense,
	numGradLayer func(l nn.Layer, x, g *mat.Dense) *mat.Dense, newLayer func(nIn, nOut int) nn.Layer) ExerciseResult {
	return exerciseNumGrad.Check(Submission{NumGrad: numGrad, NumGradLayer: numGradLayer, NewLayer: newLayer})
}

// numGradStep is the step h the check passes to numGrad.
const numGradStep = 1e-5

// numGradTol is the relative tolerance (as AnalyticTol's, to the tensor's
// scale) of numGrad against the exact gradient of the test function:
// central differences at h = 10⁻⁵ are off by h²·|f‴|/6 ≈ 10⁻¹¹
// (truncation) plus ε·|f|/h ≈ 10⁻¹⁰ (rounding) on the test functions,
// one-sided ones by h·|f″|/2 ≈ 10⁻⁵, so 10⁻⁷ tells them apart with room
// on both sides.
const numGradTol = 1e-7

// numGradLayerTol is the tolerance of numGradW against central differences
// of the learner's own Forward measured by the judge: both are central
// differences of the same function, at the learner's h and at
// numGradStep, so they differ by O(h²) ≈ 10⁻⁸ plus rounding; a gradient
// of Σ Forward without G, or one that never reruns Forward, is off by
// O(1).
const numGradLayerTol = 1e-6

// checkNumGrad judges exercise 5 in two parts. (1) numGrad on a test
// function the judge draws (worker.TestFunc: θ r×c with r, c in 2…5,
// coefficients fresh), whose gradient is known exactly: it must agree to
// numGradTol and give θ back (to 10⁻¹²). (2) numGradW, the learner's use of
// numGrad on a fresh layer built by NewLayer (exercise 3's), for
// E = Σ G ⊙ Forward(X): it must return ∂E/∂W as central differences of
// the learner's own Forward measure it (numGradLayerTol).
func checkNumGrad(c worker.Client, rng *rand.Rand) ExerciseResult {
	return guardExercise(exerciseResult(5), func(res *ExerciseResult) {
		if !numGradOnTestFunction(res, c, rng) {
			res.Status = ExerciseFailed
			return
		}
		part1 := res.Summary
		res.Func = "func numGradW(l *MyDense, x, g *mat.Dense) *mat.Dense"
		if !numGradOnLayer(res, c, rng) {
			res.Status = ExerciseFailed
			return
		}
		res.Summary = part1 + " " + res.Summary
	})
}

// numGradOnTestFunction is part 1 of checkNumGrad; it writes the verdict's
// summary and reports whether numGrad is right.
func numGradOnTestFunction(res *ExerciseResult, c worker.Client, rng *rand.Rand) bool {
	r, cc := intIn(rng, 2, 5), intIn(rng, 2, 5)
	t := worker.TestFunc{C: worker.FromDense(uniform(rng, r, cc)), Q: worker.FromDense(scaled(rng, r, cc, 0.5)), S: floatIn(rng, 0.2, 1)}
	theta := scaled(rng, r, cc, 2)
	want := t.Grad(theta)
	got, after, calls := c.NumGrad(t, theta, numGradStep)
	switch {
	case got == nil:
		res.Summary = "wrong: numGrad returned nil; return a new matrix of θ's shape."
		return false
	case !sameDims(got, theta):
		gr, gc := got.Dims()
		res.Summary = fmt.Sprintf("wrong shape: numGrad returned a %d×%d matrix for a %d×%d θ; the gradient has θ's shape.", gr, gc, r, cc)
		return false
	case after == nil || !sameDims(after, theta):
		res.Summary = "wrong: θ changed shape inside numGrad."
		return false
	}
	if moved := maxAbsDiff(after, theta); moved > 1e-12 {
		res.Summary = fmt.Sprintf("wrong: θ is not the same after numGrad (an element moved by %.2g); put every element back after measuring it.", moved)
		res.Details = []string{"Hint: keep the old value of the element in a variable and Set it back; adding h and then subtracting it need not give the same float64."}
		return false
	}
	if msg := checkTensor("∂f/∂θ", got, want, numGradTol); msg != "" {
		res.Summary = fmt.Sprintf("wrong: numGrad disagrees with the exact gradient of a test function the grader chose (θ %d×%d).", r, cc)
		res.Details = []string{msg, numGradHint(got, want, theta, t.Loss, calls)}
		return false
	}
	res.Summary = fmt.Sprintf("right: numGrad agrees with the exact gradient of a test function the grader chose (θ %d×%d, %d evaluations of the loss), and θ came back unchanged.",
		r, cc, calls)
	if !mat.Equal(after, theta) {
		res.Details = append(res.Details, "Note: θ came back changed in its last bits; keep the old value and Set it back, so that checking never moves the point it checks.")
	}
	return true
}

// numGradHint names the usual slips of a numerical gradient.
func numGradHint(got, want, theta *mat.Dense, f func(*mat.Dense) float64, calls int) string {
	r, c := theta.Dims()
	oneSided := func(sign float64) *mat.Dense {
		out := mat.NewDense(r, c, nil)
		th := mat.DenseCopyOf(theta)
		f0 := f(th)
		for i := range r {
			for j := range c {
				old := th.At(i, j)
				th.Set(i, j, old+sign*numGradStep)
				out.Set(i, j, sign*(f(th)-f0)/numGradStep)
				th.Set(i, j, old)
			}
		}
		return out
	}
	like := func(m *mat.Dense) bool { return compareTensor(got, m, 1e-6) == nil }
	scaledWant := func(k float64) bool {
		w := new(mat.Dense)
		w.Scale(k, want)
		return like(w)
	}
	switch {
	case mat.Norm(got, math.Inf(1)) == 0:
		return "Hint: every entry is 0. The loss reads θ itself, so change θ in place (theta.Set) before calling it, and fill the matrix you return."
	case like(oneSided(1)) || like(oneSided(-1)):
		return "Hint: these are one-sided differences, off by about h·f″/2. Evaluate the loss on both sides of θ_ij, at the same distance h."
	case calls < 2*r*c:
		return fmt.Sprintf("Hint: the loss was evaluated %d times for %d elements; each element needs its own two evaluations, one on either side.", calls, r*c)
	case scaledWant(2):
		return "Hint: twice the true gradient: the two evaluation points are 2h apart."
	case scaledWant(0.5):
		return "Hint: half the true gradient: mind how far apart the two evaluation points are."
	case scaledWant(-1):
		return "Hint: the sign is flipped: the difference goes from the lower point to the upper one."
	}
	return "Hint: for each element in turn, measure the loss slightly above and slightly below it, leaving every other element where it is."
}

// numGradOnLayer is part 2 of checkNumGrad: the learner's numGradW on a
// fresh layer built by NewLayer, against central differences of the same
// layer's Forward measured here (through the worker).
func numGradOnLayer(res *ExerciseResult, c worker.Client, rng *rand.Rand) bool {
	x, w, b, g := drawLayerPoint(rng)
	nOut, nIn := w.Dims()
	l := c.NewLayer("NewLayer", nIn, nOut)
	ps := l.Params()
	if len(ps) < 2 || !sameDims(ps[0].Value, w) || !sameDims(ps[1].Value, b) {
		res.Summary = fmt.Sprintf("wrong: NewLayer(%d, %d).Params() must list W (%d×%d) first, then b (%d×1); it lists %s.", nIn, nOut, nOut, nIn, nOut, paramShapes(ps))
		return false
	}
	ps[0].Value.Copy(w)
	ps[1].Value.Copy(b)
	got, after := c.NumGradLayer(l, x, g)
	switch {
	case got == nil:
		res.Summary = "wrong: numGradW returned nil; return ∂E/∂W, a matrix of W's shape."
		return false
	case !sameDims(got, w):
		gr, gc := got.Dims()
		res.Summary = fmt.Sprintf("wrong shape: numGradW returned a %d×%d matrix; ∂E/∂W has W's shape, n_out×n_in = %d×%d.", gr, gc, nOut, nIn)
		return false
	case len(after) < 1 || after[0] == nil || !sameDims(after[0], w) || maxAbsDiff(after[0], w) > 1e-12:
		res.Summary = "wrong: W is not the same after numGradW; numGrad must put every element back."
		return false
	}
	loss := func(g *mat.Dense) func() float64 {
		return func() float64 {
			a := mat.DenseCopyOf(l.Forward(x))
			a.MulElem(a, g)
			return mat.Sum(a)
		}
	}
	want := centralDiff(loss(g), ps[0].Value)
	if msg := checkTensor("∂E/∂W", got, want, numGradLayerTol); msg != "" {
		res.Summary = fmt.Sprintf("wrong: numGradW is not the numerical ∂E/∂W of your layer for E = Σ G ⊙ Forward(X) (a %d → %d layer).", nIn, nOut)
		ones := mat.NewDense(x.RawMatrix().Rows, nOut, nil)
		ones.Apply(func(int, int, float64) float64 { return 1 }, ones)
		res.Details = []string{msg}
		if compareTensor(got, centralDiff(loss(ones), ps[0].Value), numGradLayerTol) == nil {
			res.Details = append(res.Details, "Hint: this is the gradient of Σ Forward(X), without G: weight each output of Forward by the matching element of G before summing.")
		} else {
			res.Details = append(res.Details, "Hint: the loss closure must run the layer's Forward on X again at every call (numGrad changes W between calls), weight its output by G element by element, and sum.")
		}
		return false
	}
	res.Summary = fmt.Sprintf("On your layer, numGradW gives the numerical ∂E/∂W (%d×%d).", nOut, nIn)
	return true
}

// NumGradVsBackward is exercise 5's epilogue, not graded: it builds a
// 4 → 3 layer with newLayer (random parameters, a batch of 5, a random G)
// and compares the learner's numerical ∂E/∂W (numGradLayer, L = Σ G ⊙
// Forward(x)) with the one the layer's own Backward writes, in one
// sentence. A Backward that panics is reported as not done yet.
func NumGradVsBackward(numGradLayer func(l nn.Layer, x, g *mat.Dense) *mat.Dense, newLayer func(nIn, nOut int) nn.Layer) (msg string) {
	defer func() {
		if p := recover(); p != nil {
			msg = fmt.Sprintf("Cannot compare yet: %v. Finish exercises 3 and 5 first.", p)
		}
	}()
	const nIn, nOut, batch = 4, 3, 5
	rng := rand.New(rand.NewPCG(5, 7))
	l := newLayer(nIn, nOut)
	if l == nil {
		return "Cannot compare yet: NewLayer returned nil. Finish exercises 3 and 5 first."
	}
	randomize(l, rng)
	x, g := uniform(rng, batch, nIn), uniform(rng, batch, nOut)
	num := numGradLayer(l, mat.DenseCopyOf(x), mat.DenseCopyOf(g))
	if num == nil || !sameDims(num, l.Params()[0].Value) {
		return "Cannot compare: numGradW does not return a matrix of W's shape."
	}
	l.Forward(mat.DenseCopyOf(x))
	l.Backward(mat.DenseCopyOf(g))
	dw := l.Params()[0].Grad
	worst, i, j := maxRelErr(dw, num)
	if worst <= 1e-6 {
		return fmt.Sprintf("Your Backward's ∂E/∂W agrees with your numGradW: max relative error %.1g.", worst)
	}
	return fmt.Sprintf("Your Backward's ∂E/∂W disagrees with your numGradW: relative error %.2g at W(%d, %d), Backward %.6g, numGradW %.6g. One of them is wrong; the checks of exercises 3 and 5 say which.",
		worst, i+1, j+1, dw.At(i, j), num.At(i, j))
}

// centralDiff is the reference numerical gradient of loss with respect to
// theta (perturbed in place and restored), at h = numGradStep.
func centralDiff(loss func() float64, theta *mat.Dense) *mat.Dense {
	r, c := theta.Dims()
	out := mat.NewDense(r, c, nil)
	for i := range r {
		for j := range c {
			old := theta.At(i, j)
			theta.Set(i, j, old+numGradStep)
			up := loss()
			theta.Set(i, j, old-numGradStep)
			down := loss()
			theta.Set(i, j, old)
			out.Set(i, j, (up-down)/(2*numGradStep))
		}
	}
	return out
}

// maxRelErr returns the largest |a − b|/(|a| + |b|) over the elements of
// two same-shaped matrices (0 where both are 0; differences below 1e-12
// count as 0), and where it is (0-based).
func maxRelErr(a, b *mat.Dense) (worst float64, wi, wj int) {
	r, c := a.Dims()
	for i := range r {
		for j := range c {
			x, y := a.At(i, j), b.At(i, j)
			d := math.Abs(x - y)
			if d <= 1e-12 {
				continue
			}
			if e := d / (math.Abs(x) + math.Abs(y)); e > worst || math.IsNaN(e) {
				worst, wi, wj = e, i, j
				if math.IsNaN(e) {
					worst = math.Inf(1)
				}
			}
		}
	}
	return worst, wi, wj
}

// maxAbsDiff returns max |a − b| over two same-shaped matrices (+Inf for
// a NaN).
func maxAbsDiff(a, b *mat.Dense) float64 {
	var m float64
	r, c := a.Dims()
	for i := range r {
		for j := range c {
			d := math.Abs(a.At(i, j) - b.At(i, j))
			if math.IsNaN(d) {
				return math.Inf(1)
			}
			m = math.Max(m, d)
		}
	}
	return m
}
