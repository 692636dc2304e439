package lesson_test

import (
	"fmt"
	"os"
	"path/filepath"
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

// The notebook's lab run, in miniature: a small network trained for one
// epoch on 1000 embedded images, measured on 1000 training and 500 test
// images.
func ExampleEvaluateLab() {
	train, test := mnist.Embedded()
	data := &lesson.MNISTData{Train: train.Subset(1000), Test: test.Subset(500), Source: "embedded"}
	net := nn.MustNew(nn.Config{Sizes: []int{784, 32, 10}, Seed: 1})
	sgd := nn.SGD{LearningRate: 0.1, BatchSize: 20, Epochs: 1, Seed: 1}
	if err := sgd.Train(net, data.Train); err != nil {
		fmt.Println(err)
		return
	}
	run := lesson.EvaluateLab(net, data)
	fmt.Println(run)
	fmt.Println("reproduced:", run.Reproduced())
	// Output:
	// Training accuracy: 75.00%
	// Test accuracy: 63.00%
	// Trained on the embedded subset (not the full MNIST), so the lab's 97.58% test accuracy is not expected: fewer training images, lower test accuracy.
	// reproduced: false
}

// A baseline that answers 1 for every test image: its accuracy is the
// share of 1s.
func ExampleSetConfusionMatrix() {
	_, test := mnist.Embedded()
	predicted := make([]int, test.Len())
	for i := range predicted {
		predicted[i] = 1
	}
	c := lesson.SetConfusionMatrix(test, predicted)
	describe(c)
	// Output:
	// "Confusion matrix: accuracy 11.70% (234/2000)" 520×480 px
}

func ExampleLabels() {
	_, test := mnist.Embedded()
	labels := lesson.Labels(test)
	fmt.Println(len(labels), "labels, the first", labels[:10])
	// Output:
	// 2000 labels, the first [7 2 1 0 4 1 4 9 5 9]
}

// Images are views into the set, ready for DigitImages.
func ExampleImages() {
	_, test := mnist.Embedded()
	imgs := lesson.Images(test, []int{0, 7})
	fmt.Println(len(imgs), "images of", len(imgs[0]), "pixels; a view:", &imgs[0][0] == &test.Images[0])
	describe(lesson.DigitImages(imgs, test.Rows, test.Cols, []string{"#0", "#7"})...)
	// Output:
	// 2 images of 784 pixels; a view: true
	// "#0" 132×150 px
	// "#7" 132×150 px
}

// Where a notebook keeps a trained network between cells: under the
// system's temporary directory, never in the repository.
func ExampleModelPath() {
	p := lesson.ModelPath("05-lab")
	rel, err := filepath.Rel(os.TempDir(), p)
	fmt.Println(filepath.ToSlash(rel), err)
	// Output:
	// backprop-lessons/05-lab.bpnn <nil>
}

// Two notebook cells: the first trains and saves, the next loads (each
// GoNB cell is a program of its own). Not run here: it writes to
// ModelPath, outside the test's temporary directory.
func ExampleSaveModel() {
	// Training cell.
	net := nn.MustNew(nn.Config{Sizes: []int{784, 96, 10}, Seed: 1})
	// … train net …
	if _, err := lesson.SaveModel(net, "05-lab"); err != nil {
		fmt.Println(err)
	}

	// A later cell.
	net, err := lesson.LoadModel("05-lab")
	if err != nil {
		fmt.Println(err) // says to run the training cell first
		return
	}
	fmt.Println(net.Sizes())
}

// Which MNIST a notebook uses depends on the machine: $BACKPROP_DATA, the
// download cache, else the embedded subset. String says which. Not run
// here, since its output depends on the environment.
func ExampleLoadMNIST() {
	data, err := lesson.LoadMNIST()
	if err != nil {
		fmt.Println(err) // $BACKPROP_DATA is set but holds no MNIST
		return
	}
	fmt.Println(data)
	fmt.Println(data.Train.Len(), data.Test.Len(), data.Full)
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
}

// The lab's bug on one layer: its parameter gradients are right, but the
// gradient it hands down, g·W, ignores that hidden unit 2 is inactive
// (v = −0.1), where the right δ·W does not.
func ExampleLabBugDense() {
	x, _ := lesson.TinyExample()
	right := lesson.TinyNet().Dense(1)
	buggy := lesson.LabBugDense{Dense: lesson.TinyNet().Dense(1)}
	g := mat.NewDense(1, 2, []float64{1, 1}) // ∂E/∂a from the layer above
	for _, l := range []nn.Layer{right, buggy} {
		l.Forward(x)
		gx := l.Backward(g)
		fmt.Printf("%-18T ∂E/∂x = %.4g\n", l, mat.Row(nil, 0, gx))
	}
	fmt.Println("same ∂E/∂W and ∂E/∂b:", mat.Equal(right.DW, buggy.DW) && mat.Equal(right.DB, buggy.DB))
	fmt.Println(gradcheck.CheckLayer(buggy, x, nil).Summary())
	// Output:
	// *nn.Dense          ∂E/∂x = [0.5 -0.2]
	// lesson.LabBugDense ∂E/∂x = [0.2 0.2]
	// same ∂E/∂W and ∂E/∂b: true
	// layer lesson.LabBugDense: FAILED (1 of 3 tensors wrong)
}
