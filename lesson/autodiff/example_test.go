package autodiff_test

import (
	"fmt"

	"github.com/backprop-lab/backprop/lesson/autodiff"
)

// The CS231n example f = 2·(x·y + max(z, w)): add distributes the upstream
// gradient, mul swaps its inputs, max routes everything to the larger one.
func ExampleValue_Backward() {
	x, y := autodiff.New(3, "x"), autodiff.New(-4, "y")
	z, w := autodiff.New(2, "z"), autodiff.New(-1, "w")
	f := autodiff.New(2, "2").Mul(x.Mul(y).Add(autodiff.Max(z, w)))
	f.Backward()
	fmt.Println("f =", f.Data)
	for _, v := range []*autodiff.Value{x, y, z, w} {
		fmt.Println(v)
	}
	// Output:
	// f = -20
	// x = 3 (grad -8)
	// y = -4 (grad 6)
	// z = 2 (grad 2)
	// w = -1 (grad 0)
}

// A 2-2-2 network for the input x = (1, 2) of class 0: after Backward the
// gradient of each v is δ, of each weight ∂E/∂W.
func ExampleNewMLP() {
	w := [][][]float64{{{0.5, -0.2}, {-0.3, 0.4}}, {{0.3, -0.5}, {0.8, 0.2}}}
	b := [][]float64{{0.1, -0.6}, {0, 0.1}}
	m := autodiff.NewMLP([]float64{1, 2}, 0, w, b)
	m.Loss.Backward()
	fmt.Printf("E = %.4f, nodes in the graph: %d\n", m.Loss.Data, len(autodiff.Topo(m.Loss)))
	for s, l := range m.Layers {
		for i := range l.V {
			fmt.Printf("δ⁽%d⁾_%d = %+.4f   ∂E/∂W_%d· = [%+.4f %+.4f]\n", s+1, i+1, l.V[i].Grad, i+1, l.W[i][0].Grad, l.W[i][1].Grad)
		}
	}
	// Output:
	// E = 0.7981, nodes in the graph: 40
	// δ⁽1⁾_1 = +0.2749   ∂E/∂W_1· = [+0.2749 +0.5498]
	// δ⁽1⁾_2 = +0.0000   ∂E/∂W_2· = [+0.0000 +0.0000]
	// δ⁽2⁾_1 = -0.5498   ∂E/∂W_1· = [-0.1100 +0.0000]
	// δ⁽2⁾_2 = +0.5498   ∂E/∂W_2· = [+0.1100 +0.0000]
}
