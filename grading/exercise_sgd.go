package grading

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/grading/worker"
	"github.com/backprop-lab/backprop/nn"
)

// Exercise 4: one step of gradient descent.
var exerciseSGD = register(Exercise{N: 4, Title: "one SGD step", Func: "func sgdStep(params []nn.Param, eta float64)",
	Bindings: []Binding{{Ident: "sgdStep", Field: "SGDStep", Adapt: "sgdStep"}},
	MayUse:   []string{"nn.Param"}, Timeout: 10 * time.Second, Points: 1, check: checkSGDStep})

// SGDStep is exercise 4's practice check, in-process.
func SGDStep(step func(params []nn.Param, eta float64)) ExerciseResult {
	return exerciseSGD.Check(Submission{SGDStep: step})
}

// checkSGDStep judges exercise 4, θ ← θ − η ∂E/∂θ for every parameter, in
// place, on the parameters of a fresh network (widths in 2…6, 2 or 3
// layers; values and gradients uniform in [−1, 1); η in [0.01, 0.5)). It
// judges by the network's own matrices after the step — the ones the
// worker made, not whatever the step left in its slice, so that
// params[i].Value = newMatrix changes nothing — each to AnalyticTol, and
// the gradients must be left alone.
func checkSGDStep(c worker.Client, rng *rand.Rand) ExerciseResult {
	return guardExercise(exerciseResult(4), func(res *ExerciseResult) {
		eta := floatIn(rng, 0.01, 0.5)
		sizes := []int{intIn(rng, 2, 6)}
		for range intIn(rng, 2, 3) {
			sizes = append(sizes, intIn(rng, 2, 6))
		}
		var params []nn.Param
		for s := 1; s < len(sizes); s++ {
			params = append(params,
				nn.Param{Name: fmt.Sprint("W", s), Value: uniform(rng, sizes[s], sizes[s-1]), Grad: uniform(rng, sizes[s], sizes[s-1])},
				nn.Param{Name: fmt.Sprint("b", s), Value: uniform(rng, sizes[s], 1), Grad: uniform(rng, sizes[s], 1)})
		}
		own := make([]nn.Param, len(params)) // the network's own matrices
		theta := make([]*mat.Dense, len(params))
		grads := make([]*mat.Dense, len(params))
		for i, p := range params {
			own[i] = p
			theta[i], grads[i] = mat.DenseCopyOf(p.Value), mat.DenseCopyOf(p.Grad)
		}
		c.SGDStep(params, eta)

		var wrong []string
		unchanged, uphill, noEta, gradsTouched := true, true, true, false
		for i, p := range own {
			gradsTouched = gradsTouched || !mat.Equal(p.Grad, grads[i])
			want := new(mat.Dense)
			want.Scale(-eta, grads[i])
			want.Add(want, theta[i])
			unchanged = unchanged && mat.Equal(p.Value, theta[i])
			uphill = uphill && movedBy(p.Value, theta[i], grads[i], eta)
			noEta = noEta && movedBy(p.Value, theta[i], grads[i], -1)
			if msg := checkTensor(p.Name, p.Value, want, AnalyticTol); msg != "" {
				wrong = append(wrong, msg)
			}
		}
		net := fmt.Sprintf("the parameters (%s) of a %s network, η = %.3g", paramNames(own), sizesName(sizes), eta)
		switch {
		case len(wrong) == 0 && !gradsTouched:
			res.Summary = "right: every parameter moved by −η·∂E/∂θ, in place, on " + net + "."
			return
		case len(wrong) == 0:
			res.Summary = "almost: the parameters are right, but your step changed the gradients; only θ may change."
		case unchanged:
			res.Summary = "wrong: no parameter of the network changed."
			res.Details = []string{"Hint: nn.Param is a struct holding pointers: p.Value = newMatrix only changes your copy of it (and the slice), not the network. Update the matrix p.Value points to, in place (p.Value.Sub, p.Value.Set, …)."}
		case uphill:
			res.Summary = "wrong: you stepped uphill, θ + η·∂E/∂θ; gradient descent subtracts."
		case noEta:
			res.Summary = "wrong: every parameter moved by the whole gradient −∂E/∂θ; scale it by the learning rate η first."
		default:
			res.Summary = fmt.Sprintf("wrong: %s did not move by −η·∂E/∂θ on %s.", firstWords(wrong), net)
			res.Details = append(wrong, "Hint: for every parameter p, every element: θ ← θ − η·∂E/∂θ, i.e. p.Value minus eta times p.Grad.")
		}
		res.Status = ExerciseFailed
	})
}

// movedBy reports whether value = theta + k·g (k = η: a step uphill;
// k = −1: a step without η).
func movedBy(value, theta, g *mat.Dense, k float64) bool {
	want := new(mat.Dense)
	want.Scale(k, g)
	want.Add(want, theta)
	return compareTensor(value, want, 1e-9) == nil
}

func paramNames(ps []nn.Param) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

func sizesName(sizes []int) string {
	s := make([]string, len(sizes))
	for i, n := range sizes {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, "-")
}
