package lesson

import (
	"fmt"

	"github.com/backprop-lab/backprop/mnist"
	"gonum.org/v1/gonum/mat"
)

// MNISTExamples returns the first n examples of set as a batch for package
// nn: x is n×Dim() (784 for MNIST), one example per row, pixels scaled to
// [0, 1], and their labels. It panics if set has fewer than n examples.
func MNISTExamples(set *mnist.Set, n int) (x *mat.Dense, labels []int) {
	if n < 1 || n > set.Len() {
		panic(fmt.Sprintf("lesson: MNISTExamples: want 1…%d examples, got %d", set.Len(), n))
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	data := make([]float64, n*set.Dim())
	labels = make([]int, n)
	set.Batch(data, labels, idx)
	return mat.NewDense(n, set.Dim(), data), labels
}
