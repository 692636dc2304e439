package lesson_test

import (
	"fmt"

	"github.com/backprop-lab/backprop/lesson"
	"github.com/backprop-lab/backprop/lesson/chart"
	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
)

// describe prints what a notebook would show for charts, instead of their
// HTML: title and size.
func describe(charts ...*chart.Chart) {
	for _, c := range charts {
		fmt.Printf("%q %d×%d px\n", c.Title, c.Width, c.Height)
	}
}

func ExampleActivationHistograms() {
	describe(lesson.ActivationHistograms(tiny(), 10)...)
	// Output:
	// "a⁽¹⁾ (relu), layer 1" 320×240 px
	// "a⁽²⁾ (softmax), layer 2" 320×240 px
}

func ExampleGradientHistograms() {
	describe(lesson.GradientHistograms(tiny(), 10)...)
	// Output:
	// "∂E/∂W⁽¹⁾, layer 1" 320×240 px
	// "∂E/∂W⁽²⁾, layer 2" 320×240 px
}

func ExampleOutputBars() {
	describe(lesson.OutputBars(tinyBatch(), 2, []string{"zero", "one"}))
	// Output:
	// "Softmax output: predicted one (p = 0.629), true one" 640×280 px
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

func ExampleFirstLayerWeights() {
	net := nn.MustNew(nn.Config{Sizes: []int{784, 96, 10}, Seed: 1})
	describe(lesson.FirstLayerWeights(net, 28, 28, 2)...)
	// Output:
	// "unit 0" 132×150 px
	// "unit 1" 132×150 px
}
