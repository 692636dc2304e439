package grading

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/backprop-lab/backprop/grading/worker"
)

// Exercise 1: ReLU′.
var exerciseReLU = register(Exercise{N: 1, Title: "ReLU′", Func: "func reluPrime(v float64) float64",
	Bindings: []Binding{{Ident: "reluPrime", Field: "ReLUPrime", Adapt: "reluPrime"}},
	Timeout:  10 * time.Second, Points: 1, check: checkReLUPrime})

// ReLUPrime is exercise 1's practice check, in-process (see checkReLUPrime).
func ReLUPrime(f func(v float64) float64) ExerciseResult {
	return exerciseReLU.Check(Submission{ReLUPrime: f})
}

// reluProbes draws where ReLU′ is asked: n points on each side of the
// kink, their magnitudes log-uniform in [10⁻⁶, 10] (so some lie near the
// kink, none at it), in random order.
func reluProbes(rng *rand.Rand, n int) []float64 {
	out := make([]float64, 0, 2*n)
	for range n {
		for _, sign := range []float64{1, -1} {
			out = append(out, sign*math.Pow(10, floatIn(rng, -6, 1)))
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// checkReLUPrime judges exercise 1, ReLU′(v) = 1{v > 0}, exactly, at 16
// points drawn by reluProbes and at the kink v = 0 itself, where the
// convention is ReLU′(0) = 0 (no difference quotient can decide it).
func checkReLUPrime(c worker.Client, rng *rand.Rand) ExerciseResult {
	return guardExercise(exerciseResult(1), func(res *ExerciseResult) {
		points := reluProbes(rng, 8)
		var wrong []string
		asReLU := true
		for _, v := range points {
			d := c.ReLUPrime(v)
			asReLU = asReLU && d == math.Max(v, 0)
			if !(math.Abs(d-step(v)) <= AnalyticTol) {
				wrong = append(wrong, fmt.Sprintf("at v = %.3g yours is %.6g", v, d))
			}
		}
		if len(wrong) > 0 {
			res.Status = ExerciseFailed
			res.Summary = fmt.Sprintf("wrong: your ReLU′ is not the derivative of ReLU at %d of %d points away from the kink.", len(wrong), len(points))
			res.Details = wrong[:min(len(wrong), 3)]
			if asReLU {
				res.Details = append(res.Details, "Hint: you return ReLU(v) = max(v, 0) itself; its derivative is 1 where v > 0 and 0 where v < 0.")
			}
			return
		}
		if d0 := c.ReLUPrime(0); d0 != 0 {
			res.Status = ExerciseFailed
			res.Summary = fmt.Sprintf("almost: right away from the kink, but ReLU′(0) = %g; the convention here (and in package nn) is ReLU′(0) = 0.", d0)
			res.Details = []string{"No difference quotient can decide this one: at v = 0 the central difference (ReLU(h) − ReLU(−h))/2h = 0.5 lies between the two one-sided slopes 0 and 1, so v = 0 is a convention, not a measurement. Use v > 0, not v ≥ 0."}
			return
		}
		res.Summary = fmt.Sprintf("right: your ReLU′ is 1{v > 0} at %d points on both sides of the kink (some within 10⁻⁵ of it), and ReLU′(0) = 0.", len(points))
	})
}
