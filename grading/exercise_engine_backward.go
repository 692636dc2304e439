package grading

import (
	"math/rand/v2"
	"time"

	"github.com/backprop-lab/backprop/grading/worker"
)

// Exercise 10: the backward pass of package autodiff's scalar Value, on
// graphs the judge draws (a tree, b := a + a, a diamond with depth and
// fan-out), each run twice.
var exerciseEngineBackward = register(Exercise{N: 10, Title: "the engine's backward pass", Func: "func backward(out *autodiff.Value)",
	Bindings: []Binding{{Ident: "backward", Field: "EngineBackward", Adapt: "backward"}},
	MayUse:   []string{"autodiff.Value", "autodiff.Value.Data", "autodiff.Value.Grad", "autodiff.Value.Parents", "autodiff.Value.Local"},
	Timeout:  20 * time.Second, Points: 2,
	check: func(c worker.Client, rng *rand.Rand) ExerciseResult {
		return guardExercise(exerciseResult(10), func(res *ExerciseResult) {
			graphs := drawEngineGraphs(rng)
			obs := observeBackward(c, graphs)
			engineExercise(res, judgeBackward("", graphs, obs, false), obs.panic,
				"every node's gradient, on a tree, on b := a + a and on a diamond, also when called twice")
		})
	}})

// EngineBackward is exercise 10's practice check, in-process.
func EngineBackward(backward BackwardFunc) ExerciseResult {
	return exerciseEngineBackward.Check(Submission{EngineBackward: backward})
}
