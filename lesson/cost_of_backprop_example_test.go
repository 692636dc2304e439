package lesson_test

import (
	"fmt"

	"github.com/backprop-lab/backprop/lesson"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// The lab's network does 2 matrix products forward and 3 backward (the
// first layer needs no input gradient).
func ExampleCountProducts() {
	net := nn.MustNew(nn.Config{Sizes: []int{784, 96, 10}, Seed: 1})
	x := mat.NewDense(100, 784, nil)
	pc := lesson.CountProducts(net, x, make([]int, 100))
	fmt.Print(pc)
	fmt.Println(lesson.CheckProducts(pc, net.Sizes(), 100).OK)
	// Output:
	// forward: 2 matrix products, 1.52e+07 flops
	//   (100×784)·(784×96)         15052800 flops
	//   (100×96)·(96×10)             192000 flops
	// backward: 3 matrix products, 1.54e+07 flops
	//   (10×100)·(100×96)            192000 flops
	//   (100×10)·(10×96)             192000 flops
	//   (96×100)·(100×784)         15052800 flops
	// (forward + backward) / forward = 2.013 in flops
	// true
}

func ExampleParamCount() {
	p := lesson.ParamCount(nn.MustNew(nn.Config{Sizes: []int{784, 96, 10}}))
	fmt.Println(p, "parameters,", 2*p, "loss evaluations for central differences")
	// Output:
	// 76330 parameters, 152660 loss evaluations for central differences
}
