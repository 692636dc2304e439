package grading

import (
	"math/rand/v2"
	"time"

	"github.com/backprop-lab/backprop/grading/worker"
)

// Exercise 11: tanh and sigmoid as operations of package autodiff, each a
// node with its value and local derivative, at points the judge draws.
var exerciseEngineOps = register(Exercise{N: 11, Title: "tanh and sigmoid operations", Func: "func tanh(x *autodiff.Value) *autodiff.Value and func sigmoid(x *autodiff.Value) *autodiff.Value",
	Bindings: []Binding{{Ident: "tanh", Field: "EngineTanh", Adapt: "tanh"}, {Ident: "sigmoid", Field: "EngineSigmoid", Adapt: "sigmoid"}},
	MayUse:   []string{"autodiff.Value", "autodiff.Value.Data", "autodiff.NewOp"},
	Timeout:  20 * time.Second, Points: 1,
	check: func(c worker.Client, rng *rand.Rand) ExerciseResult {
		return guardExercise(exerciseResult(11), func(res *ExerciseResult) {
			xs := drawOpPoints(rng)
			obs := observeOps(c, xs)
			engineExercise(res, judgeOps("", xs, obs, false), obs.panic,
				"the value and the local derivative of each node, checked by central differences, its only parent x")
		})
	}})

// EngineOps is exercise 11's practice check, in-process.
func EngineOps(tanh, sigmoid OpFunc) ExerciseResult {
	return exerciseEngineOps.Check(Submission{EngineTanh: tanh, EngineSigmoid: sigmoid})
}
