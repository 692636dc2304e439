package lesson_test

import (
	"fmt"

	"github.com/backprop-lab/backprop/lesson"
	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
)

// The lab's untrained network along its descent direction: near η = 0 the
// loss is the bowl of the one-parameter analysis, with the curvature λ
// measured along the gradient; far out it is not (the cross-entropy
// flattens), so 2/λ is a local statement.
func ExampleMeasureBowl() {
	train, _ := mnist.Embedded()
	x, labels := lesson.Examples(train, 100)
	net := nn.MustNew(nn.Config{Sizes: []int{784, 96, 10}, Seed: 1})
	b := lesson.MeasureBowl(net, x, labels, 0.1, 0.25, 0.5, 1, 2, 3)
	fmt.Print(b)
	fmt.Println(lesson.CheckBowl(b, 0.25, 0.02).OK)
	// Output:
	// E = 2.5625, ‖g‖² = 2.787, λ = 2.48 along g
	//      η·λ        η  measured ΔE      bowl ΔE
	//     0.10   0.0403      -0.1074      -0.1068
	//     0.25    0.101      -0.2489      -0.2458
	//     0.50    0.202      -0.4393      -0.4214
	//     1.00    0.403      -0.6817      -0.5619
	//     2.00    0.807      -0.8050       0.0000
	//     3.00     1.21      -0.6569       1.6857
	// true
}

// The noise of the gradient at fixed weights, on batches of 10 and 100 of a
// small network: ten times the batch, about √10 times less noise.
func ExampleGradSpreadTable() {
	train, _ := mnist.Embedded()
	net := nn.MustNew(nn.Config{Sizes: []int{784, 16, 10}, Seed: 1})
	fmt.Print(lesson.GradSpreadTable(net, train, 60, 1, 10, 100))
	// Output:
	//      N   std of ∂E/∂θ    ratio   √(N₁/N)  × √((M−N)/(M−N₁))
	//     10      1.290e-02    1.000     1.000              1.000
	//    100      4.008e-03    0.311     0.316              0.315
}
