package lesson_test

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/lesson"
	"github.com/backprop-lab/backprop/lesson/chart"
	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
)

func ExampleThresholdsMarkdown() {
	fmt.Print(lesson.ThresholdsMarkdown())
	// Output:
	// | relative error r | verdict | what it means |
	// |---|---|---|
	// | r ≤ 1e-7 | **good** | agreement to ~7 digits or more: the analytic gradient is right |
	// | 1e-7 < r ≤ 1e-4 | **ok** | acceptable: typical of a right gradient near a kink or with a large loss |
	// | 1e-4 < r ≤ 1e-2 | **suspicious** | reported, never failed: look at it |
	// | r > 1e-2 | **wrong** | the gradient is wrong, *if* it also fails the absolute test and is wrong at every step tried (h/10, h, 10h, 100h) |
}

// A step sweep becomes the two curves of chart.ErrorVsStep.
func ExampleStepSweepSeries() {
	f := lesson.ReLUSum(0.3, -0.2)
	f.Params[0].Value.Set(0, 0, 0.3)
	sw, err := gradcheck.StepSweep(f, "θ", 0, 0, []float64{1e-1, 1e-3, 1e-5})
	if err != nil {
		panic(err)
	}
	for _, s := range lesson.StepSweepSeries(sw) {
		fmt.Printf("%s: %d points\n", s.Name, len(s.X))
	}
	describe(chart.ErrorVsStep(lesson.StepSweepSeries(sw)...))
	// Output:
	// central (f(θ+h) − f(θ−h)) / 2h: 3 points
	// forward (f(θ+h) − f(θ)) / h: 3 points
	// "Gradient check: error vs finite-difference step h" 640×360 px
}

// The best step of each formula for f(θ) = θ³ at θ = 1 (∂f/∂θ = 3) over
// steps where truncation dominates: central differences win by orders of
// magnitude.
func ExampleSweepBest() {
	theta := mat.NewDense(1, 1, []float64{1})
	f := gradcheck.Func{
		Params: []nn.Param{{Name: "θ", Value: theta, Grad: mat.NewDense(1, 1, []float64{3})}},
		Loss: func() float64 {
			t := theta.At(0, 0)
			return t * t * t
		},
	}
	sw, err := gradcheck.StepSweep(f, "θ", 0, 0, []float64{1e-1, 1e-2, 1e-3})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(lesson.SweepBest(sw))
	// Output:
	// best central difference: relative error 1.7e-07 at h = 1e-03
	// best forward difference: relative error 5.0e-04 at h = 1e-03
	// the bottom of the central V is 3000× lower than the forward one's
}

// At the kink θ = 0 the central difference is ½ and the convention says 0:
// gradcheck skips the element instead of failing it.
func ExampleReLUSum() {
	r := gradcheck.Check(lesson.ReLUSum(-1, 0, 0.5, 2), nil)
	t := r.Tensors[0]
	fmt.Println(r.Summary())
	fmt.Printf("%s: %d checked, %d failed, %d kink-skipped\n", t.Name, t.Checked, t.Failed, t.KinkSkipped)
	// Output:
	// function: passed (1 tensor)
	// θ: 3 checked, 0 failed, 1 kink-skipped
}

func ExampleTaylorCompare() {
	train, _ := mnist.Embedded()
	x, labels := lesson.Examples(train, 8)
	cfg := nn.Config{Sizes: []int{784, 16, 16, 10}, Seed: 1}
	right, _ := gradcheck.TaylorTest(gradcheck.NetworkFunc(nn.MustNew(cfg), x, labels), "W1", nil)
	wrong, _ := gradcheck.TaylorTest(gradcheck.NetworkFunc(lesson.WithLabBug(nn.MustNew(cfg)), x, labels), "W1", nil)
	table := lesson.TaylorCompare("right", right, "lab's bug", wrong)
	lines := strings.Split(strings.TrimSpace(table), "\n")
	fmt.Println(lines[0])
	fmt.Println(lines[len(lines)-1])
	// Output:
	// h         right                     lab's bug
	// right: order 2.0 (good); lab's bug: order 1.0 (FAILED)
}
