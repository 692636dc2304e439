package tiny_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/nn/nntest/tiny"
)

// The walkthrough's example through the 2-2-2 network: the numbers
// notebooks 01–04 print.
func ExampleWalkthrough() {
	net := tiny.Net()
	x, labels := tiny.Walkthrough()
	fmt.Printf("a⁽²⁾ = %.4f, E = %.4f\n", mat.Formatted(net.Forward(x)), net.Loss(x, labels))
	// Output:
	// a⁽²⁾ = [0.4502  0.5498], E = 0.7981
}

// Exercise 8's example switches hidden unit 2 off too, so the learner meets
// the ReLU mask, with other numbers than the lessons print.
func ExampleExercise() {
	x, _ := tiny.Exercise()
	l1 := tiny.Net().Dense(1)
	v := new(mat.Dense)
	v.Mul(l1.W, x.T())
	v.Add(v, l1.B)
	fmt.Printf("x = %v, v⁽¹⁾ = %.1f\n", mat.Formatted(x), mat.Formatted(v.T()))
	// Output:
	// x = [ 2  -1], v⁽¹⁾ = [ 1.3  -1.6]
}

// gradcheck skips the kink of Σ ReLU(θᵢ) at θ = 0 instead of failing it.
func ExampleReLUSum() {
	r := gradcheck.Check(tiny.ReLUSum(-1, 0, 2), nil)
	fmt.Println(r.Summary())
	// Output:
	// function: passed (1 tensor)
}
