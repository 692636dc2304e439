package grading

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/grading/worker"
	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
)

// TrainYourOwn puts exercises 3 and 4 together: a 784-64-10 network whose
// hidden layer is built by newLayer (parameters drawn from U[−0.2, 0.2), as
// in the lab) under an nn.Dense softmax layer, trained with step for three
// epochs of mini-batches of 100 (η = 0.1) on the embedded MNIST subset, then
// evaluated on its 2 000 test images. It passes at 80% test accuracy (a
// right layer and step reach about 85%; a broken one stays near 10%).
func TrainYourOwn(newLayer func(nIn, nOut int) nn.Layer, step func(params []nn.Param, eta float64)) ExerciseResult {
	res := ExerciseResult{Title: "your layer and your SGD step on MNIST", Func: "your Backward and sgdStep"}
	if newLayer == nil || step == nil {
		return missing(res)
	}
	return guardInProcess(res, func(res *ExerciseResult) {
		const (
			hidden, epochs, batch = 64, 3, 100
			eta, pass             = 0.1, 0.8
		)
		train, test := mnist.Embedded()
		rng := rand.New(rand.NewPCG(1, 6))
		net := &nn.Network{Layers: []nn.Layer{newLayer(train.Dim(), hidden), nn.NewDense(hidden, train.Classes(), softmax)}}
		for _, p := range net.Params() {
			for i, raw := 0, p.Value.RawMatrix().Data; i < len(raw); i++ {
				raw[i] = 0.4*rng.Float64() - 0.2
			}
		}
		x := mat.NewDense(batch, train.Dim(), nil)
		labels := make([]int, batch)
		var first, last float64
		steps := 0
		for range epochs {
			perm := rng.Perm(train.Len())
			for lo := 0; lo+batch <= len(perm); lo += batch {
				train.Batch(x.RawMatrix().Data, labels, perm[lo:lo+batch])
				loss := net.LossAndGrad(x, labels)
				if math.IsNaN(loss) || math.IsInf(loss, 0) {
					res.Status = ExerciseFailed
					res.Summary = fmt.Sprintf("training diverged: the loss became %v at step %d.", loss, steps+1)
					return
				}
				if steps == 0 {
					first = loss
				}
				last = loss
				step(net.Params(), eta)
				steps++
			}
		}
		_, acc := net.Evaluate(test)
		res.Summary = fmt.Sprintf("a 784-%d-10 network built from your layer, trained with your SGD step (%d epochs, %d steps of %d images of the embedded MNIST subset, η = %g): batch loss %.2f → %.2f, test accuracy %.1f%% on %d images.",
			hidden, epochs, steps, batch, eta, first, last, 100*acc, test.Len())
		if acc < pass {
			res.Status = ExerciseFailed
			res.Summary += fmt.Sprintf(" Expected at least %.0f%%.", 100*pass)
		}
	})
}

// guardInProcess is guardExercise for a practice check that calls the
// learner's functions directly (not through a worker.Client): a panic is
// the learner's, reported with the learner's frame.
func guardInProcess(res ExerciseResult, check func(*ExerciseResult)) (out ExerciseResult) {
	defer func() {
		if p := recover(); p != nil {
			out = panicked(res, fmt.Sprint(p), worker.LearnerFrame(2))
		}
	}()
	check(&res)
	return res
}
