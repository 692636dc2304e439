package lesson_test

import (
	"fmt"
	"strings"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/lesson"
	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// The lab's bug is harmless with one hidden layer and caught, in W1 and b1
// only, with two.
func ExampleWithLabBug() {
	train, _ := mnist.Embedded()
	x, labels := lesson.Examples(train, 8)
	for _, sizes := range [][]int{{784, 16, 10}, {784, 16, 16, 10}} {
		net := lesson.WithLabBug(nn.MustNew(nn.Config{Sizes: sizes, Seed: 1}))
		r := gradcheck.CheckNetwork(net, x, labels, nil)
		fmt.Println(r.Summary())
		for _, t := range r.Failures() {
			fmt.Printf("  %s FAILED at (%d, %d)\n", t.Name, t.Worst.Row, t.Worst.Col)
		}
	}
	// Output:
	// network 784-16-10: passed (4 tensors)
	// network 784-16-16-10: FAILED (2 of 6 tensors wrong)
	//   W1 FAILED at (13, 405)
	//   b1 FAILED at (6, 0)
}

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

// A step sweep becomes the two curves of lesson.ErrorVsStep.
func ExampleStepSweepSeries() {
	f := lesson.ReLUSum(0.3, -0.2)
	f.Params[0].Value.Set(0, 0, 0.3)
	sw, err := gradcheck.StepSweep(f, "θ", 0, 0, []float64{1e-1, 1e-3, 1e-5})
	if err != nil {
		panic(err)
	}
	for _, s := range lesson.StepSweepSeries(sw) {
		fmt.Printf("%s: %d points\n", s.Name, len(s.H))
	}
	describe(lesson.ErrorVsStep(lesson.StepSweepSeries(sw)...))
	// Output:
	// central (f(θ+h) − f(θ−h)) / 2h: 3 points
	// forward (f(θ+h) − f(θ)) / h: 3 points
	// "Gradient check: error vs finite-difference step h" 640×360 px
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

func ExampleConfusion() {
	labels := []int{0, 0, 1, 2, 2, 2}
	predicted := []int{0, 1, 1, 2, 2, 0}
	for _, row := range lesson.Confusion(labels, predicted, 3) {
		fmt.Println(row)
	}
	// Output:
	// [1 1 0]
	// [0 1 0]
	// [1 0 2]
}

func ExampleTopConfusions() {
	labels := []int{4, 4, 4, 9, 9, 7, 7, 7}
	predicted := []int{9, 9, 4, 4, 9, 1, 7, 7}
	fmt.Print(lesson.TopConfusions(lesson.Confusion(labels, predicted, 10), nil, 2))
	// Output:
	// 4 → 9: 2 times (66.7% of the 4s)
	// 7 → 1: 1 time (33.3% of the 7s)
}

func ExampleExamples() {
	train, _ := mnist.Embedded()
	x, labels := lesson.Examples(train, 5)
	r, c := x.Dims()
	fmt.Printf("X is %d×%d, labels %v, pixels in [%.0f, %.0f]\n", r, c, labels, mat.Min(x), mat.Max(x))
	// Output:
	// X is 5×784, labels [5 0 4 1 9], pixels in [0, 1]
}

func ExampleSetDigits() {
	_, test := mnist.Embedded()
	describe(lesson.SetDigits(test, 3)...)
	// Output:
	// "#0: 7" 132×150 px
	// "#1: 2" 132×150 px
	// "#2: 1" 132×150 px
}

// Predictions on the test set become a confusion matrix and a gallery of
// mistakes, captioned with their index in the set.
func ExampleSetMisclassified() {
	_, test := mnist.Embedded()
	predicted := lesson.Labels(test)
	predicted[3], predicted[8] = 6, 2 // two mistakes
	describe(lesson.SetConfusionMatrix(test, predicted))
	describe(lesson.SetMisclassified(test, predicted, 10)...)
	// Output:
	// "Confusion matrix: accuracy 99.90% (1998/2000)" 520×480 px
	// "#3: 0 → 6" 132×150 px
	// "#8: 5 → 2" 132×150 px
}

func ExampleFirstLayerWeights() {
	net := nn.MustNew(nn.Config{Sizes: []int{784, 96, 10}, Seed: 1})
	describe(lesson.FirstLayerWeights(net, 28, 28, 2)...)
	// Output:
	// "unit 0" 132×150 px
	// "unit 1" 132×150 px
}

func ExampleLabRun_String() {
	fmt.Println(lesson.LabRun{TrainAcc: 0.9918, TestAcc: 0.9741, Full: true})
	fmt.Println(lesson.LabRun{TrainAcc: 0.9990, TestAcc: 0.9500, Full: false})
	// Output:
	// Training accuracy: 99.18%
	// Test accuracy: 97.41%
	// Lab result reproduced: test accuracy 97.41% ≥ 97% on the full MNIST (the lab: 99.28% train, 97.58% test).
	// Training accuracy: 99.90%
	// Test accuracy: 95.00%
	// Trained on the embedded subset (not the full MNIST), so the lab's 97.58% test accuracy is not expected: fewer training images, lower test accuracy.
}

func ExampleActivationStats() {
	fmt.Print(lesson.ActivationStats(tiny()))
	// Output:
	// layer 1 (relu, 2 units): a⁽¹⁾ mean 0.100, 50.0% exactly 0; rms ∂E/∂W⁽¹⁾ = 3.07e-01
	// layer 2 (softmax, 2 units): a⁽²⁾ mean 0.500, 0.0% exactly 0; rms ∂E/∂W⁽²⁾ = 7.78e-02
}

// Exercise 1 in three attempts: right, the kink's convention broken, and
// the activation instead of its derivative.
func ExampleGradeReLUPrime() {
	right := func(v float64) float64 {
		if v > 0 {
			return 1
		}
		return 0
	}
	geq := func(v float64) float64 {
		if v >= 0 {
			return 1
		}
		return 0
	}
	relu := func(v float64) float64 { return max(v, 0) }
	for _, f := range []func(float64) float64{right, geq, relu} {
		r := lesson.GradeReLUPrime(f)
		fmt.Println(r.Status, "—", r.Summary[:strings.Index(r.Summary, ":")])
	}
	// Output:
	// passed — right
	// failed — almost
	// failed — wrong
}

// The stub of the student version is "not implemented yet", not a crash.
func ExampleExerciseResult_String() {
	stub := func(v float64) float64 { panic("not implemented") }
	fmt.Println(lesson.GradeReLUPrime(stub))
	// Output:
	// ✗ Exercise 1 (ReLU′): not implemented yet: write func reluPrime(v float64) float64 in place of panic("not implemented") in its cell, run that cell, then this one.
}

// Exercise 2: forgetting the 1/N of the batch mean is caught, located and
// named.
func ExampleGradeOutputDelta() {
	forgotN := func(a, y *mat.Dense) *mat.Dense {
		d := new(mat.Dense)
		d.Sub(a, y)
		return d
	}
	r := lesson.GradeOutputDelta(forgotN)
	fmt.Println(r.Status)
	fmt.Println(r.Details[len(r.Details)-1])
	// Output:
	// failed
	// Hint: you return a − y; E is the mean over the batch, so divide by N = 4 (the number of rows).
}

// Exercise 3, checked by gradcheck as cmd/gradcheck checks a student's
// package: nn's own dense layer passes; the lab's bug fails, pinned to the
// input gradient x and, in the network, to W1 and b1.
func ExampleGradeDenseLayer() {
	dense := func(nIn, nOut int) nn.Layer { return nn.NewDense(nIn, nOut, nn.ReLU) }
	buggy := func(nIn, nOut int) nn.Layer { return lesson.LabBugDense{Dense: nn.NewDense(nIn, nOut, nn.ReLU)} }
	fmt.Println(lesson.GradeDenseLayer(dense).Status)
	r := lesson.GradeDenseLayer(buggy)
	fmt.Println(r.Status)
	for _, d := range r.Details {
		check, msg, _ := strings.Cut(d, "): ")
		msg, _, _ = strings.Cut(msg, ":")
		fmt.Printf("%s): %s\n", check, msg)
	}
	// Output:
	// passed
	// failed
	// layer NewLayer(6, 5): gradient with respect to the input x (the matrix Backward returns) is wrong
	// network 6-5-4-3 (hidden layers by NewLayer): gradient of W1 is wrong
	// network 6-5-4-3 (hidden layers by NewLayer): gradient of b1 is wrong
}

// Exercise 4: a step that assigns a new matrix to its copy of nn.Param
// changes nothing, and the hint says why.
func ExampleGradeSGDStep() {
	inPlace := func(params []nn.Param, eta float64) {
		for _, p := range params {
			p.Value.Sub(p.Value, scaled(eta, p.Grad))
		}
	}
	onCopy := func(params []nn.Param, eta float64) {
		for _, p := range params {
			next := new(mat.Dense)
			next.Sub(p.Value, scaled(eta, p.Grad))
			p.Value = next // p is a copy: the network never sees this
		}
	}
	fmt.Println(lesson.GradeSGDStep(inPlace).Status)
	r := lesson.GradeSGDStep(onCopy)
	fmt.Println(r.Summary)
	// Output:
	// passed
	// wrong: no parameter changed.
}

func scaled(k float64, m *mat.Dense) *mat.Dense {
	s := new(mat.Dense)
	s.Scale(k, m)
	return s
}

// A grader's view: every exercise, one line each (or Gradescope's JSON
// with -json).
func ExampleGradeMain() {
	var out strings.Builder
	code := lesson.GradeMain(&out, nil, lesson.Submission{
		ReLUPrime: func(v float64) float64 { panic("not implemented") },
		NewLayer:  func(nIn, nOut int) nn.Layer { return nn.NewDense(nIn, nOut, nn.ReLU) },
	})
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		fmt.Println(string([]rune(l)[:min(len([]rune(l)), 50)]))
	}
	fmt.Println("exit code", code)
	// Output:
	// ✗ Exercise 1 (ReLU′): not implemented yet: write f
	// ✗ Exercise 2 (output delta δ⁽ʰ⁾): missing: the not
	// ✓ Exercise 3 (dense layer backward): right: gradch
	// ✗ Exercise 4 (one SGD step): missing: the notebook
	// 1 of 4 exercises passed
	// exit code 1
}
