package grading

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/backprop-lab/backprop/grading/worker"
	"github.com/backprop-lab/backprop/nn"
)

// Exercise 6: a tanh dense layer's backward pass, derived by the learner.
var exerciseTanh = register(Exercise{N: 6, Title: "tanh layer backward", Func: "func (l *MyTanh) Backward(g *mat.Dense) *mat.Dense",
	Bindings: []Binding{{Ident: "NewTanhLayer", Field: "NewTanhLayer", Adapt: "func(nIn, nOut int) nn.Layer { return NewTanhLayer(nIn, nOut) }"}},
	Needs:    []string{"MyTanh"}, MayUse: []string{"nn.Param", "nn.Layer"},
	Timeout: 20 * time.Second, Points: 2,
	check: func(c worker.Client, rng *rand.Rand) ExerciseResult {
		return guardExercise(exerciseResult(6), func(res *ExerciseResult) { checkLayer(res, c, rng, "NewTanhLayer", denseTanh) })
	}})

// denseTanh is the layer of exercise 6: A = tanh(X·Wᵀ + 1bᵀ), whose
// verdict names the usual slips: the derivative of another activation
// (ReLU's mask, the sigmoid's a(1 − a)), tanh′ taken of the wrong tensor,
// no derivative at all, the lab's G·W.
var denseTanh = registerSpec(layerSpec{name: "dense-tanh", act: nn.Tanh, phi: math.Tanh, primes: tanhPrimes})

// tanhPrimes are tanh′ = 1 − a² and the usual slips.
var tanhPrimes = []derivative{
	{"", func(_, a float64) float64 { return 1 - a*a }},
	{"ReLU′ (1 where v > 0), the derivative of another activation", func(v, _ float64) float64 { return step(v) }},
	{"a(1 − a), the sigmoid's derivative, not tanh's", func(_, a float64) float64 { return a * (1 - a) }},
	{"1 − v², tanh′ of the wrong tensor: written with the layer's output it is 1 − a², and a is what Forward keeps", func(v, _ float64) float64 { return 1 - v*v }},
	{"no derivative at all: Δ = G, as if there were no activation", func(_, _ float64) float64 { return 1 }},
}

// TanhLayer is exercise 6's practice check, in-process.
func TanhLayer(newLayer func(nIn, nOut int) nn.Layer) ExerciseResult {
	return exerciseTanh.Check(Submission{NewTanhLayer: newLayer})
}
