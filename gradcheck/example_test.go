package gradcheck_test

import (
	"fmt"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// labBug is the lab's backward bug: it returns g·W instead of δ·W, so the
// ReLU mask is missing from the gradient that flows to the layer below.
type labBug struct{ *nn.Dense }

func (l labBug) Backward(g *mat.Dense) *mat.Dense {
	l.Dense.Backward(g)
	var gx mat.Dense
	gx.Mul(g, l.W)
	return &gx
}

func data() (*mat.Dense, []int) {
	x := mat.NewDense(4, 6, []float64{
		0.1, -0.9, 0.4, 0.8, -0.3, 0.5,
		-0.7, 0.2, 0.6, -0.1, 0.9, -0.4,
		0.3, 0.7, -0.8, 0.2, -0.6, 0.1,
		0.9, -0.2, -0.5, -0.7, 0.4, 0.6,
	})
	return x, []int{0, 2, 1, 2}
}

// Checking a whole network: the lab's bug in the second of two hidden
// layers makes the first layer's gradients wrong, and only those.
func ExampleCheckNetwork() {
	net := nn.MustNew(nn.Config{Sizes: []int{6, 5, 4, 3}, Init: nn.Uniform(0.8), Seed: 3})
	net.Layers[1] = labBug{net.Dense(2)}
	x, labels := data()

	r := gradcheck.CheckNetwork(net, x, labels, nil)
	fmt.Println(r.Summary())
	for _, t := range r.Tensors {
		fmt.Printf("%s %s: %d checked, %d failed\n", t.Name, t.Status, t.Checked, t.Failed)
	}
	// Output:
	// network 6-5-4-3: FAILED (2 of 6 tensors wrong)
	// W1 FAILED: 30 checked, 29 failed
	// b1 FAILED: 5 checked, 5 failed
	// W2 good: 20 checked, 0 failed
	// b2 good: 4 checked, 0 failed
	// W3 good: 12 checked, 0 failed
	// b3 good: 3 checked, 0 failed
}

// Checking a single layer: its parameters and the input gradient ∂L/∂x
// that its Backward returns, reported as the tensor "x".
func ExampleCheckLayer() {
	layer := nn.MustNew(nn.Config{Sizes: []int{6, 5}, Init: nn.Uniform(0.8), Seed: 3}).Dense(1)
	layer.Act = nn.ReLU
	x, _ := data()

	fmt.Println(gradcheck.CheckLayer(layer, x, nil).Summary())
	r := gradcheck.CheckLayer(labBug{layer}, x, nil)
	for _, t := range r.Failures() {
		fmt.Println(t.Message(r.Batch))
	}
	// Output:
	// layer *nn.Dense: passed (3 tensors)
	// gradient with respect to the input x (the matrix Backward returns) is wrong: worst at (1, 1): analytic -2.051, numeric 0.1751 (relative error 1); 24 of 24 checked elements are wrong. Hint: ∂L/∂x = δ·W with δ = φ′(v) ⊙ g; multiplying g instead of δ by W (the lab's bug) or using Wᵀ gives this.
}

// Checking a plain function f(θ) = θ₀² + 3·θ₀·θ₁ whose hand-derived
// gradient has a slip in ∂f/∂θ₁ (θ₁ instead of θ₀).
func ExampleCheck() {
	theta := mat.NewDense(1, 2, []float64{1.5, -2})
	grad := mat.NewDense(1, 2, nil)
	t0, t1 := theta.At(0, 0), theta.At(0, 1)
	grad.Set(0, 0, 2*t0+3*t1) // right
	grad.Set(0, 1, 3*t1)      // wrong: ∂f/∂θ₁ = 3·θ₀
	f := gradcheck.Func{
		Params: []nn.Param{{Name: "θ", Value: theta, Grad: grad}},
		Loss: func() float64 {
			t0, t1 := theta.At(0, 0), theta.At(0, 1)
			return t0*t0 + 3*t0*t1
		},
	}
	r := gradcheck.Check(f, nil)
	fmt.Println(r.Summary())
	fmt.Println(r.Tensors[0].Message(0))
	// Output:
	// function: FAILED (1 of 1 tensors wrong)
	// gradient of θ is wrong: worst at (0, 1): analytic -6, numeric 4.5 (relative error 1); 1 of 2 checked elements are wrong. Hint: compare your formula with the numeric values in the report's worst elements.
}

// The h-free convergence test: the Taylor remainder of a right gradient
// shrinks as h², of a wrong one as h.
func ExampleTaylorTest() {
	net := nn.MustNew(nn.Config{Sizes: []int{6, 5, 4, 3}, Init: nn.Uniform(0.8), Seed: 3})
	x, labels := data()
	good, _ := gradcheck.TaylorTest(gradcheck.NetworkFunc(net, x, labels), "W1", nil)
	net.Layers[1] = labBug{net.Dense(2)}
	bad, _ := gradcheck.TaylorTest(gradcheck.NetworkFunc(net, x, labels), "W1", nil)
	fmt.Printf("right gradient: order %.1f (%s)\n", good.Order, good.Status)
	fmt.Printf("lab's bug:      order %.1f (%s)\n", bad.Order, bad.Status)
	// Output:
	// right gradient: order 2.0 (good)
	// lab's bug:      order 1.0 (FAILED)
}
