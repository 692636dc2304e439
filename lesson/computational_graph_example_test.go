package lesson_test

import (
	"fmt"

	"github.com/backprop-lab/backprop/lesson"
)

// The tiny network of notebook 1 as a graph of scalars: the gradient at each
// v node is δ, as nn computes it, and Nielsen's BP1–BP4 hold on the graph.
func ExampleScalarGraph() {
	x, labels := lesson.TinyExample()
	net := lesson.TinyNet()
	g := lesson.ScalarGraph(net, x, labels)
	fmt.Printf("E = %.4f\n", g.Loss.Data)
	fmt.Printf("δ⁽²⁾ = (%.4f, %.4f), δ⁽¹⁾ = (%.4f, %.4f)\n", g.Layers[1].V[0].Grad, g.Layers[1].V[1].Grad, g.Layers[0].V[0].Grad, g.Layers[0].V[1].Grad)
	ok := 0
	checks := append(lesson.CheckGraphGrads(g, lesson.NewTrace(net, x, labels)), lesson.CheckBP(g)...)
	for _, c := range checks {
		if c.OK {
			ok++
		}
	}
	fmt.Printf("%d of %d checks pass\n", ok, len(checks))
	// Output:
	// E = 0.7981
	// δ⁽²⁾ = (-0.5498, 0.5498), δ⁽¹⁾ = (0.2749, 0.0000)
	// 13 of 13 checks pass
}

func ExampleGateExample() {
	f, x, y, z, w := lesson.GateExample()
	fmt.Println("f =", f.Data)
	fmt.Println("add distributes, mul swaps, max routes:", x.Grad, y.Grad, z.Grad, w.Grad)
	fmt.Println(lesson.CheckGateFD().OK)
	// Output:
	// f = -20
	// add distributes, mul swaps, max routes: -8 6 2 0
	// true
}
