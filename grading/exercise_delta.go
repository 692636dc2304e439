package grading

import (
	"fmt"
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/grading/worker"
	"github.com/backprop-lab/backprop/nn"
)

// Exercise 2: the output layer's δ.
var exerciseDelta = register(Exercise{N: 2, Title: "output delta δ⁽ʰ⁾", Func: "func outputDelta(a, y *mat.Dense) *mat.Dense",
	Bindings: []Binding{{Ident: "outputDelta", Field: "OutputDelta", Adapt: "outputDelta"}},
	Timeout:  10 * time.Second, Points: 1, check: checkOutputDelta})

// OutputDelta is exercise 2's practice check, in-process (see
// checkOutputDelta).
func OutputDelta(f func(a, y *mat.Dense) *mat.Dense) ExerciseResult {
	return exerciseDelta.Check(Submission{OutputDelta: f})
}

// softmaxCE returns the mean cross-entropy of softmax(v) for labels.
func softmaxCE(v *mat.Dense, labels []int) float64 {
	a := new(mat.Dense)
	a.CloneFrom(v)
	softmax.Forward(a, v)
	e, _ := nn.CrossEntropy(a, labels)
	return e
}

// checkOutputDelta judges exercise 2, the output layer's
// δ⁽ʰ⁾ = ∂E/∂v⁽ʰ⁾ = (a − y)/N for softmax with the mean cross-entropy, on a
// fresh batch (N in 2…8 examples, k in 2…6 classes; a, y, δ are N×k),
// against the reference (a − y)/N to AnalyticTol. gradcheck (central
// differences of E with respect to v⁽ʰ⁾) explains a wrong answer.
func checkOutputDelta(c worker.Client, rng *rand.Rand) ExerciseResult {
	return guardExercise(exerciseResult(2), func(res *ExerciseResult) {
		n, k := intIn(rng, 2, 8), intIn(rng, 2, 6)
		v := mat.NewDense(n, k, nil)
		v.Apply(func(int, int, float64) float64 { return 2 * rng.NormFloat64() }, v)
		labels := make([]int, n)
		for i := range labels {
			labels[i] = rng.IntN(k)
		}
		a := mat.NewDense(n, k, nil)
		softmax.Forward(a, v)
		y := nn.OneHot(labels, k)
		delta := c.OutputDelta(a, y)
		if delta == nil {
			res.Status, res.Summary = ExerciseFailed, "wrong: outputDelta returned nil; return a new N×k matrix."
			return
		}
		if r, cc := delta.Dims(); r != n || cc != k {
			res.Status = ExerciseFailed
			res.Summary = fmt.Sprintf("wrong shape: δ⁽ʰ⁾ is %d×%d but must be N×k = %d×%d, the shape of a and y (one example per row).", r, cc, n, k)
			return
		}
		want := new(mat.Dense)
		want.Sub(a, y)
		want.Scale(1/float64(n), want)
		if msg := checkTensor("δ⁽ʰ⁾", delta, want, AnalyticTol); msg != "" {
			res.Status = ExerciseFailed
			res.Summary = fmt.Sprintf("wrong: your δ⁽ʰ⁾ is not ∂E/∂v⁽ʰ⁾ on a batch of N = %d with k = %d classes.", n, k)
			fn := gradcheck.Func{
				Params: []nn.Param{{Name: "v⁽ʰ⁾", Value: v, Grad: mat.DenseCopyOf(delta)}},
				Loss:   func() float64 { return softmaxCE(v, labels) },
			}
			res.Report = gradcheck.Check(fn, &gradcheck.Options{Seed: rng.Uint64()})
			res.Details = []string{msg, gradcheckAgrees(res.Report), deltaHint(delta, a, y, n)}
			return
		}
		res.Summary = fmt.Sprintf("right: your δ⁽ʰ⁾ is ∂E/∂v⁽ʰ⁾ = (a − y)/N on a batch of N = %d with k = %d classes.", n, k)
	})
}

// deltaHint recognises the usual slips in δ⁽ʰ⁾ = (a − y)/N.
func deltaHint(delta, a, y *mat.Dense, n int) string {
	diff := new(mat.Dense)
	diff.Sub(a, y)
	like := func(scale float64) bool {
		want := new(mat.Dense)
		want.Scale(scale, diff)
		return mat.EqualApprox(delta, want, 1e-12)
	}
	switch {
	case like(1):
		return "Hint: you return a − y; E is the mean over the batch, so divide by N (the number of rows)."
	case like(-1.0 / float64(n)):
		return "Hint: the sign is flipped: ∂E/∂v = (a − y)/N, not (y − a)/N."
	case like(-1):
		return "Hint: the sign is flipped and the 1/N is missing: ∂E/∂v = (a − y)/N."
	}
	return "Hint: through softmax and the cross-entropy the chain rule collapses to something short, in which no 1/a is left; the hints under the exercise's text lead there one step at a time."
}

// gradcheckAgrees is gradcheck's view of a wrong answer, as an
// explanation that names no expected value: whether central differences
// agree that it is wrong, and the known cause its diagnosis names.
func gradcheckAgrees(r *gradcheck.Report) string {
	if r == nil {
		return ""
	}
	if r.OK() {
		return "gradcheck finds your gradients consistent with your own Forward (central differences): it checks consistency, not the specification, and its tolerance is looser."
	}
	var names []string
	for _, t := range r.Failures() {
		names = append(names, t.Name)
	}
	msg := fmt.Sprintf("gradcheck agrees: central differences find %s wrong", joinNames(names))
	if cause := firstCause([]*gradcheck.Report{r}); cause != "" {
		msg += "; " + cause
	}
	return msg + "."
}
