package grading

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/nn"
)

// Exercise 5: the learner writes the gradient checker, then uses it on the
// layer of exercise 3.
var exerciseNumGrad = Exercise{N: 5, Title: "numerical gradient",
	Func:  "func numGrad(loss func() float64, theta *mat.Dense, h float64) *mat.Dense",
	Ident: "numGrad", Field: "NumGrad", Adapt: "numGrad", Timeout: 20 * time.Second, Points: 2,
	More: []Binding{{Ident: "numGradW", Field: "NumGradLayer",
		Adapt: "func(l nn.Layer, x, g *mat.Dense) *mat.Dense { return numGradW(l.(*MyDense), x, g) }"}}}

// numGradStep is the step h the check passes to numGrad.
const numGradStep = 1e-5

// numGradTol is the largest relative error |a − n|/(|a| + |n|) accepted
// from numGrad: central differences at h = 1e-5 are off by h²·|f‴|/6 ≈
// 1e-11 (truncation) plus ε·|f|/h ≈ 1e-10 (rounding) on the test function,
// one-sided ones by h·|f″|/2 ≈ 1e-6 relative, so 1e-7 tells them apart.
const numGradTol = 1e-7

// NumGrad checks exercise 5, a numerical gradient by central differences,
//
//	∂f/∂θ_ij ≈ (f(θ + h·e_ij) − f(θ − h·e_ij)) / 2h,   θ restored after each element,
//
// in two parts. (1) numGrad on f(θ) = Σ c_ij·sin θ_ij + ½(Σ θ_ij)², θ 3×4,
// whose gradient c_ij·cos θ_ij + Σθ is known: it must agree to a relative
// error of 1e-7 (one-sided differences do not) and give θ back unchanged.
// (2) numGradLayer, the learner's use of numGrad on a 4 → 3 layer built by
// newLayer (exercise 3's), for E = Σ G ⊙ Forward(x) on a batch of 5: it
// must return ∂E/∂W (3×4) as central differences measure it. Only the
// layer's Forward runs (NumGradVsBackward compares with its Backward).
func NumGrad(numGrad func(loss func() float64, theta *mat.Dense, h float64) *mat.Dense,
	numGradLayer func(l nn.Layer, x, g *mat.Dense) *mat.Dense, newLayer func(nIn, nOut int) nn.Layer) ExerciseResult {
	res := exerciseResult(5)
	switch {
	case numGrad == nil:
		return missing(res)
	case numGradLayer == nil:
		res.Func = "func numGradW(l *MyDense, x, g *mat.Dense) *mat.Dense"
		return missing(res)
	}
	return guardExercise(res, func(res *ExerciseResult) {
		if !numGradOnTestFunction(res, numGrad) {
			res.Status = ExerciseFailed
			return
		}
		if newLayer == nil {
			res.Status = ExerciseFailed
			res.Summary = "numGrad is right, but the notebook defines no NewLayer (exercise 3's cell), so numGradW cannot be checked on it."
			return
		}
		part1 := res.Summary
		res.Func = "func numGradW(l *MyDense, x, g *mat.Dense) *mat.Dense"
		if !numGradOnLayer(res, numGradLayer, newLayer) {
			res.Status = ExerciseFailed
			return
		}
		res.Summary = part1 + " " + res.Summary
	})
}

// numGradOnTestFunction is part 1 of NumGrad; it writes the verdict's
// summary and reports whether numGrad is right.
func numGradOnTestFunction(res *ExerciseResult, numGrad func(func() float64, *mat.Dense, float64) *mat.Dense) bool {
	const r, c = 3, 4
	rng := rand.New(rand.NewPCG(5, 5))
	theta, coef := uniform(rng, r, c), uniform(rng, r, c)
	theta.Scale(2, theta)
	f := func(th *mat.Dense) float64 {
		var s, sum float64
		for i := range r {
			for j := range c {
				s += coef.At(i, j) * math.Sin(th.At(i, j))
				sum += th.At(i, j)
			}
		}
		return s + sum*sum/2
	}
	want := mat.NewDense(r, c, nil)
	sum := mat.Sum(theta)
	for i := range r {
		for j := range c {
			want.Set(i, j, coef.At(i, j)*math.Cos(theta.At(i, j))+sum)
		}
	}
	orig := mat.DenseCopyOf(theta)
	calls := 0
	got := numGrad(func() float64 { calls++; return f(theta) }, theta, numGradStep)
	if got == nil {
		res.Summary = "wrong: numGrad returned nil; return a new matrix of θ's shape."
		return false
	}
	if gr, gc := got.Dims(); gr != r || gc != c {
		res.Summary = fmt.Sprintf("wrong shape: numGrad returned a %d×%d matrix for a %d×%d θ; the gradient has θ's shape.", gr, gc, r, c)
		return false
	}
	if moved := maxAbsDiff(theta, orig); moved > 1e-12 {
		res.Summary = fmt.Sprintf("wrong: θ is not the same after numGrad (an element moved by %.2g); put every element back after measuring it.", moved)
		res.Details = []string{"Hint: keep the old value of the element in a variable and Set it back; adding h and then subtracting it need not give the same float64."}
		return false
	}
	if worst, i, j := maxRelErr(got, want); worst > numGradTol {
		res.Summary = fmt.Sprintf("wrong: numGrad disagrees with the true gradient of a test function whose gradient is known (relative error %.2g at element (%d, %d): yours %.10g, true %.10g).",
			worst, i+1, j+1, got.At(i, j), want.At(i, j))
		res.Details = []string{numGradHint(got, want, theta, f, calls)}
		return false
	}
	res.Summary = fmt.Sprintf("right: numGrad agrees with the known gradient of a test function (%d×%d θ, max relative error %.1g, %d evaluations of the loss), and θ came back unchanged.",
		r, c, maxRelErrOnly(got, want), calls)
	if !mat.Equal(theta, orig) {
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
	scaled := func(k float64) bool {
		w := new(mat.Dense)
		w.Scale(k, want)
		worst, _, _ := maxRelErr(got, w)
		return worst < 1e-6
	}
	close := func(m *mat.Dense) bool { worst, _, _ := maxRelErr(got, m); return worst < 1e-6 }
	switch {
	case mat.Norm(got, math.Inf(1)) == 0:
		return "Hint: every entry is 0. The loss reads θ itself, so change θ in place (theta.Set) before calling it, and fill the matrix you return."
	case close(oneSided(1)) || close(oneSided(-1)):
		return "Hint: these are one-sided differences, off by about h·f″/2. Evaluate the loss on both sides of θ_ij, at the same distance h."
	case calls < 2*r*c:
		return fmt.Sprintf("Hint: the loss was evaluated %d times for %d elements; each element needs its own two evaluations, one on either side.", calls, r*c)
	case scaled(2):
		return "Hint: twice the true gradient: the two evaluation points are 2h apart."
	case scaled(0.5):
		return "Hint: half the true gradient: mind how far apart the two evaluation points are."
	case scaled(-1):
		return "Hint: the sign is flipped: the difference goes from the lower point to the upper one."
	}
	return "Hint: for each element in turn, measure the loss slightly above and slightly below it, leaving every other element where it is."
}

// numGradOnLayer is part 2 of NumGrad: the learner's numGradW on a layer
// built by newLayer, against central differences measured here.
func numGradOnLayer(res *ExerciseResult, numGradLayer func(nn.Layer, *mat.Dense, *mat.Dense) *mat.Dense, newLayer func(int, int) nn.Layer) bool {
	const nIn, nOut, batch = 4, 3, 5
	rng := rand.New(rand.NewPCG(5, 6))
	l := build(newLayer, nIn, nOut, "NewLayer")
	randomize(l, rng)
	w := l.Params()[0].Value
	x, g := uniform(rng, batch, nIn), uniform(rng, batch, nOut)
	loss := func(g *mat.Dense) func() float64 {
		return func() float64 {
			a := mat.DenseCopyOf(l.Forward(mat.DenseCopyOf(x)))
			a.MulElem(a, g)
			return mat.Sum(a)
		}
	}
	want := centralDiff(loss(g), w)
	orig := mat.DenseCopyOf(w)
	got := numGradLayer(l, mat.DenseCopyOf(x), mat.DenseCopyOf(g))
	switch {
	case got == nil:
		res.Summary = "wrong: numGradW returned nil; return ∂E/∂W, a matrix of W's shape."
		return false
	case !sameDims(got, w):
		gr, gc := got.Dims()
		res.Summary = fmt.Sprintf("wrong shape: numGradW returned a %d×%d matrix; ∂E/∂W has W's shape, n_out×n_in = %d×%d.", gr, gc, nOut, nIn)
		return false
	case maxAbsDiff(w, orig) > 1e-12:
		res.Summary = "wrong: W is not the same after numGradW; numGrad must put every element back."
		return false
	}
	if worst, i, j := maxRelErr(got, want); worst > 1e-6 {
		res.Summary = fmt.Sprintf("wrong: numGradW is not the numerical ∂E/∂W of your layer for E = Σ G ⊙ Forward(x) (relative error %.2g at W(%d, %d): yours %.8g, measured %.8g).",
			worst, i+1, j+1, got.At(i, j), want.At(i, j))
		ones := mat.NewDense(batch, nOut, nil)
		ones.Apply(func(int, int, float64) float64 { return 1 }, ones)
		if w, _, _ := maxRelErr(got, centralDiff(loss(ones), l.Params()[0].Value)); w < 1e-6 {
			res.Details = []string{"Hint: this is the gradient of Σ Forward(x), without G: weight each output of Forward by the matching element of G before summing."}
		} else {
			res.Details = []string{"Hint: the loss closure must run the layer's Forward on x again at every call (numGrad changes W between calls), weight its output by G element by element, and sum."}
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
	l := build(newLayer, nIn, nOut, "NewLayer")
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
// count as 0, the float64 noise of an O(1) difference quotient), and where
// it is (0-based).
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

func maxRelErrOnly(a, b *mat.Dense) float64 { w, _, _ := maxRelErr(a, b); return w }

// maxAbsDiff returns max |a − b| over two same-shaped matrices.
func maxAbsDiff(a, b *mat.Dense) float64 {
	var m float64
	r, c := a.Dims()
	for i := range r {
		for j := range c {
			m = math.Max(m, math.Abs(a.At(i, j)-b.At(i, j)))
		}
	}
	return m
}

func sameDims(a, b mat.Matrix) bool {
	ar, ac := a.Dims()
	br, bc := b.Dims()
	return ar == br && ac == bc
}
