package grading

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/backprop-lab/backprop/grading/worker"
	"github.com/backprop-lab/backprop/nn"
)

// Exercise 9: a sigmoid dense layer's backward pass, derived by the learner
// (added by following the README's recipe for a new exercise).
var exerciseSigmoid = register(Exercise{N: 9, Title: "sigmoid layer backward", Func: "func (l *MySigmoid) Backward(g *mat.Dense) *mat.Dense",
	Bindings: []Binding{{Ident: "NewSigmoidLayer", Field: "NewSigmoidLayer", Adapt: "func(nIn, nOut int) nn.Layer { return NewSigmoidLayer(nIn, nOut) }"}},
	Needs:    []string{"MySigmoid"}, MayUse: []string{"nn.Param", "nn.Layer"},
	Timeout: 20 * time.Second, Points: 2,
	check: func(c worker.Client, rng *rand.Rand) ExerciseResult {
		return guardExercise(exerciseResult(9), func(res *ExerciseResult) { checkLayer(res, c, rng, "NewSigmoidLayer", denseSigmoid) })
	}})

// denseSigmoid is A = σ(X·Wᵀ + 1bᵀ), σ(v) = 1/(1 + e^−v), σ′ = a(1 − a).
var denseSigmoid = registerSpec(layerSpec{name: "dense-sigmoid", act: nn.Sigmoid, phi: func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }, primes: []derivative{
	{"", func(_, a float64) float64 { return a * (1 - a) }},
	{"ReLU′ (1 where v > 0), the derivative of another activation", func(v, _ float64) float64 { return step(v) }},
	{"1 − a², tanh's derivative, not the sigmoid's", func(_, a float64) float64 { return 1 - a*a }},
	{"v(1 − v), σ′ of the wrong tensor: written with the layer's output it is a(1 − a)", func(v, _ float64) float64 { return v * (1 - v) }},
	{"no derivative at all: Δ = G, as if there were no activation", func(_, _ float64) float64 { return 1 }},
}})

// SigmoidLayer is exercise 9's practice check, in-process.
func SigmoidLayer(newLayer func(nIn, nOut int) nn.Layer) ExerciseResult {
	return exerciseSigmoid.Check(Submission{NewSigmoidLayer: newLayer})
}
