package grading

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/backprop-lab/backprop/grading/worker"
	"github.com/backprop-lab/backprop/nn"
)

// Exercise 3: a ReLU dense layer's backward pass.
var exerciseDense = register(Exercise{N: 3, Title: "dense layer backward", Func: "func (l *MyDense) Backward(g *mat.Dense) *mat.Dense",
	Bindings: []Binding{{Ident: "NewLayer", Field: "NewLayer", Adapt: "func(nIn, nOut int) nn.Layer { return NewLayer(nIn, nOut) }"}},
	Needs:    []string{"MyDense"}, MayUse: []string{"nn.Param", "nn.Layer"},
	Timeout: 20 * time.Second, Points: 2,
	check: func(c worker.Client, rng *rand.Rand) ExerciseResult {
		return guardExercise(exerciseResult(3), func(res *ExerciseResult) { checkLayer(res, c, rng, "NewLayer", denseReLU) })
	}})

// denseReLU is the layer of exercise 3: A = ReLU(X·Wᵀ + 1bᵀ).
var denseReLU = registerSpec(layerSpec{name: "dense-relu", act: nn.ReLU, phi: func(v float64) float64 { return math.Max(v, 0) }, primes: reluPrimes})

// reluPrimes are ReLU′ and the usual slips.
var reluPrimes = []derivative{
	{"", func(v, _ float64) float64 { return step(v) }},
	{"no derivative at all: Δ = G, the ReLU′ mask left out", func(_, _ float64) float64 { return 1 }},
}

// DenseLayer is exercise 3's practice check, in-process: the layers
// newLayer builds against the specified ReLU dense layer (checkLayer).
func DenseLayer(newLayer func(nIn, nOut int) nn.Layer) ExerciseResult {
	return exerciseDense.Check(Submission{NewLayer: newLayer})
}
