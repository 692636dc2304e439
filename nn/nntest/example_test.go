package nntest_test

import (
	"fmt"

	"github.com/backprop-lab/backprop/nn"
	"github.com/backprop-lab/backprop/nn/nntest"
	"gonum.org/v1/gonum/mat"
)

// A seeded batch and biases away from ReLU's kink, for a gradient test of a
// 5-4-3 network.
func Example() {
	x, labels := nntest.RandomBatch(1, 6, 5, 3) // N = 6 examples, 5 inputs, 3 classes
	net := nn.MustNew(nn.Config{Sizes: []int{5, 4, 3}, Seed: 1})
	nntest.RandomBiases(2, net.Dense(1).B, net.Dense(2).B)

	r, c := x.Dims()
	fmt.Printf("x is %d×%d, %d labels, all in [0, 3): %v\n", r, c, len(labels), inRange(labels, 3))
	fmt.Printf("b⁽¹⁾ in [−0.5, 0.5): %v\n", mat.Max(net.Dense(1).B) < 0.5 && mat.Min(net.Dense(1).B) >= -0.5)
	fmt.Printf("same seed, same batch: %v\n", mat.Equal(x, first(nntest.RandomBatch(1, 6, 5, 3))))
	// Output:
	// x is 6×5, 6 labels, all in [0, 3): true
	// b⁽¹⁾ in [−0.5, 0.5): true
	// same seed, same batch: true
}

func inRange(labels []int, k int) bool {
	for _, l := range labels {
		if l < 0 || l >= k {
			return false
		}
	}
	return true
}

func first(x *mat.Dense, _ []int) *mat.Dense { return x }
