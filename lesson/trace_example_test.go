package lesson_test

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/lesson"
)

// tiny returns the trace of the walkthrough's 2-2-2 network.
func tiny() *lesson.Trace {
	x, labels := lesson.TinyExample()
	return lesson.NewTrace(lesson.TinyNet(), x, labels)
}

// A trace exposes every value of the derivation per layer, numbered as in
// the derivation (layer 1 is the first hidden layer).
func ExampleNewTrace() {
	x, labels := lesson.TinyExample()
	tr := lesson.NewTrace(lesson.TinyNet(), x, labels)
	fmt.Printf("E = %.4f over N = %d example(s), h = %d layers\n", tr.Loss, tr.N(), tr.H())
	for _, l := range tr.Layers {
		fmt.Printf("layer %d (%s): v = %.4g, δ = %.4f\n", l.S, l.Act, mat.Row(nil, 0, l.V), mat.Row(nil, 0, l.Delta))
	}
	// Output:
	// E = 0.7981 over N = 1 example(s), h = 2 layers
	// layer 1 (relu): v = [0.2 -0.1], δ = [0.2749 0.0000]
	// layer 2 (softmax): v = [0.06 0.26], δ = [-0.5498 0.5498]
}

func ExampleTrace_Text() {
	text := tiny().Text()
	start := strings.Index(text, "δ⁽¹⁾")
	fmt.Print(text[start : start+strings.Index(text[start:], "∂E/∂W")])
	// Output:
	// δ⁽¹⁾ = φ′(v⁽¹⁾) ⊙ ∂E/∂a⁽¹⁾   1×2
	//   [ 0.2749      0 ]
}

func ExampleTrace_HTML() {
	h := tiny().HTML()
	fmt.Println(strings.Count(h, `<table class="bp-layer">`), "tables,", strings.Count(h, `<table class="bp-mat">`), "matrices")
	// Output:
	// 3 tables, 20 matrices
}

func ExampleTrace_Layer() {
	l := tiny().Layer(1)
	fmt.Println("φ′(v⁽¹⁾) =", mat.Row(nil, 0, l.DPhi), " ReLU′ is 0 where v ≤ 0")
	// Output:
	// φ′(v⁽¹⁾) = [1 0]  ReLU′ is 0 where v ≤ 0
}

func ExampleTrace_Input() {
	tr := tiny()
	fmt.Printf("%.4g %.4g %v\n", mat.Row(nil, 0, tr.Input(1)), mat.Row(nil, 0, tr.Input(2)), tr.Sizes())
	// Output:
	// [1 2] [0.2 0] [2 2 2]
}
