package grading

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/backprop-lab/backprop/nn/nntest/tiny"

	"github.com/backprop-lab/backprop/grading/worker"
	"github.com/backprop-lab/backprop/nn"
)

// Exercise 8: backpropagation by hand on the 2-2-2 network of notebook 01.
// The numbers are fixed (the learner works them out by hand), so they are
// the same in every run; the verdict never prints them, only the learner's
// own values and the slip a wrong one matches.
var exerciseTiny = register(Exercise{N: 8, Title: "by hand on the 2-2-2 network",
	Func:     "func tinyAnswers() (delta1, delta2, dW12 float64)",
	Bindings: []Binding{{Ident: "tinyAnswers", Field: "TinyAnswers", Adapt: "tinyAnswers"}},
	Timeout:  10 * time.Second, Points: 1,
	check: func(c worker.Client, _ *rand.Rand) ExerciseResult { return checkTinyAnswers(c) }})

// TinyAnswers is exercise 8's practice check, in-process.
func TinyAnswers(answers func() (delta1, delta2, dW12 float64)) ExerciseResult {
	return exerciseTiny.Check(Submission{TinyAnswers: answers})
}

// TinyTol is how close a hand-computed answer must be (absolutely).
const TinyTol = 1e-6

// Exercise 8's network and example are the shared fixtures tiny.Net (notebook
// 01's network) and tiny.Exercise, x = (2, −1) with class 1 (label 0 in code):
// not notebook 01's x = (1, 2), whose numbers that notebook prints, and
// chosen so that one hidden unit is off.

// tinyAnswer is one number of exercise 8 with its known wrong values.
type tinyAnswer struct {
	name  string
	right float64
	slips []tinySlip
}

type tinySlip struct {
	value float64
	hint  string
}

// tinyReference works exercise 8 out with package nn (for N = 1,
// δ⁽¹⁾ = ∂E/∂b⁽¹⁾) and, by hand, the values the usual slips give.
func tinyReference() []tinyAnswer {
	net := tiny.Net()
	x, labels := tiny.Exercise()
	net.LossAndGrad(x, labels)
	ps := net.Params() // W1, b1, W2, b2
	db1, dw1 := ps[1].Grad, ps[0].Grad
	w1, b1, w2 := ps[0].Value, ps[1].Value, ps[2].Value

	v1 := affine(x, w1, b1)
	a2 := net.Forward(x)
	y := nn.OneHot(labels, 2)
	d2 := []float64{a2.At(0, 0) - y.At(0, 0), a2.At(0, 1) - y.At(0, 1)}
	// W⁽²⁾ᵀδ⁽²⁾ (right) and W⁽²⁾δ⁽²⁾ (transposed by mistake), per hidden unit.
	back := func(i int) float64 { return w2.At(0, i)*d2[0] + w2.At(1, i)*d2[1] }
	notT := func(i int) float64 { return w2.At(i, 0)*d2[0] + w2.At(i, 1)*d2[1] }
	mask := func(i int) float64 { return step(v1.At(0, i)) }
	const (
		signHint = "the sign is flipped: the output δ is a − y, not y − a."
		wHint    = "this is what W⁽²⁾ gives where its transpose belongs: hidden unit i collects from the outputs along column i of W⁽²⁾."
		maskHint = "the hidden unit's ReLU′ is left out; look at the sign of its v⁽¹⁾."
	)
	d1 := func(i int) tinyAnswer {
		return tinyAnswer{name: fmt.Sprintf("δ⁽¹⁾%s", sub(i+1)), right: db1.At(i, 0), slips: []tinySlip{
			{-db1.At(i, 0), signHint},
			{mask(i) * notT(i), wHint},
			{back(i), maskHint},
		}}
	}
	x1, x2 := x.At(0, 0), x.At(0, 1)
	return []tinyAnswer{d1(0), d1(1), {name: "∂E/∂W⁽¹⁾₁₂", right: dw1.At(0, 1), slips: []tinySlip{
		{-dw1.At(0, 1), signHint},
		{db1.At(0, 0) * x1, "that is ∂E/∂W⁽¹⁾₁₁: W⁽¹⁾₁₂ connects input 2 to hidden unit 1."},
		{db1.At(1, 0) * x1, "that is ∂E/∂W⁽¹⁾₂₁: the first index of W is the unit the weight leads to, the second the input it comes from."},
		{mask(0) * notT(0) * x2, wHint},
	}}}
}

func sub(i int) string { return string(rune('₀' + i)) }

// checkTinyAnswers judges exercise 8: the learner's hand-computed δ⁽¹⁾₁,
// δ⁽¹⁾₂ and ∂E/∂W⁽¹⁾₁₂ of notebook 01's network (lesson.TinyNet) for the
// example tiny.Exercise, each to TinyTol; a wrong number is compared with the
// values the usual slips give (the sign of a − y, W⁽²⁾ for W⁽²⁾ᵀ, the
// ReLU′ mask left out, the indices of W swapped) and the slip is named,
// never the right value.
func checkTinyAnswers(c worker.Client) ExerciseResult {
	return guardExercise(exerciseResult(8), func(res *ExerciseResult) {
		d1, d2, dw := c.TinyAnswers()
		ref := tinyReference()
		var right, wrong []string
		for i, got := range []float64{d1, d2, dw} {
			want := ref[i]
			if math.Abs(got-want.right) <= TinyTol {
				right = append(right, want.name)
				continue
			}
			wrong = append(wrong, want.name)
			hint := "not the value the forward and backward pass give; redo it step by step, keeping 7 decimals."
			for _, s := range want.slips {
				if math.Abs(got-s.value) <= TinyTol && math.Abs(s.value-want.right) > TinyTol {
					hint = s.hint
					break
				}
			}
			res.Details = append(res.Details, fmt.Sprintf("%s = %.7g: %s", want.name, got, hint))
		}
		if len(wrong) == 0 {
			res.Summary = fmt.Sprintf("right: δ⁽¹⁾₁, δ⁽¹⁾₂ and ∂E/∂W⁽¹⁾₁₂ agree with package nn's backward pass to %g.", TinyTol)
			return
		}
		res.Status = ExerciseFailed
		res.Summary = fmt.Sprintf("wrong: %s (to %g)", strings.Join(wrong, ", "), TinyTol)
		if len(right) > 0 {
			res.Summary += "; right: " + strings.Join(right, ", ")
		}
		res.Summary += "."
	})
}
