package lesson_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/lesson"
	"github.com/backprop-lab/backprop/mnist"
)

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

func ExampleExamples() {
	train, _ := mnist.Embedded()
	x, labels := lesson.Examples(train, 5)
	r, c := x.Dims()
	fmt.Printf("X is %d×%d, labels %v, pixels in [%.0f, %.0f]\n", r, c, labels, mat.Min(x), mat.Max(x))
	// Output:
	// X is 5×784, labels [5 0 4 1 9], pixels in [0, 1]
}

func ExampleLabels() {
	_, test := mnist.Embedded()
	labels := lesson.Labels(test)
	fmt.Println(len(labels), "labels, the first", labels[:10])
	// Output:
	// 2000 labels, the first [7 2 1 0 4 1 4 9 5 9]
}

// Images are views into the set, ready for DigitImages.
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
