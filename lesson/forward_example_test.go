package lesson_test

import (
	"fmt"

	"github.com/backprop-lab/backprop/lesson"
)

func ExampleForwardShapes() {
	fmt.Print(lesson.ForwardShapes(tinyBatch()))
	// Output:
	// X = A⁽⁰⁾ is 4×2: one example per row
	// layer 1 (relu), W⁽¹⁾ is 2×2:
	//   U⁽¹⁾ = A⁽⁰⁾·W⁽¹⁾ᵀ      (4×2)·(2×2) → 4×2
	//   V⁽¹⁾ = U⁽¹⁾ + 1b⁽¹⁾ᵀ   4×2 + (4×1)·(1×2) → 4×2
	//   A⁽¹⁾ = relu(V⁽¹⁾)      4×2
	// layer 2 (softmax), W⁽²⁾ is 2×2:
	//   U⁽²⁾ = A⁽¹⁾·W⁽²⁾ᵀ      (4×2)·(2×2) → 4×2
	//   V⁽²⁾ = U⁽²⁾ + 1b⁽²⁾ᵀ   4×2 + (4×1)·(1×2) → 4×2
	//   A⁽²⁾ = softmax(V⁽²⁾)   4×2
}

func ExampleParamsText() {
	fmt.Print(lesson.ParamsText(tiny()))
	// Output:
	// layer 1 (relu): 2 inputs → 2 units
	//   W⁽¹⁾  2×2 (n_out×n_in)
	//     [  0.5 -0.2 ]
	//     [ -0.3  0.4 ]
	//   b⁽¹⁾  2×1
	//     [  0.1 ]
	//     [ -0.6 ]
	// layer 2 (softmax): 2 inputs → 2 units
	//   W⁽²⁾  2×2 (n_out×n_in)
	//     [  0.3 -0.5 ]
	//     [  0.8  0.2 ]
	//   b⁽²⁾  2×1
	//     [   0 ]
	//     [ 0.1 ]
}

func ExampleInactiveFraction() {
	fmt.Println(lesson.InactiveFraction(tinyBatch(), 1), "of the 8 (example, hidden unit) pairs are inactive")
	// Output:
	// 0.5 of the 8 (example, hidden unit) pairs are inactive
}
