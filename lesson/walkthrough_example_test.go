package lesson_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/lesson"
)

func ExampleTinyNet() {
	net := lesson.TinyNet()
	fmt.Println(net.Sizes(), mat.Formatted(net.Dense(1).W, mat.Squeeze()))
	// Output:
	// [2 2 2] ⎡ 0.5  -0.2⎤
	// ⎣-0.3   0.4⎦
}

func ExampleTinyExample() {
	x, labels := lesson.TinyExample()
	fmt.Println(mat.Row(nil, 0, x), labels)
	// Output:
	// [1 2] [0]
}

func ExampleTinyBatch() {
	x, labels := lesson.TinyBatch()
	tr := lesson.NewTrace(lesson.TinyNet(), x, labels)
	fmt.Println(mat.Formatted(tr.Layer(1).DPhi, mat.Squeeze()), labels)
	// Output:
	// ⎡1  0⎤
	// ⎢0  1⎥
	// ⎢1  1⎥
	// ⎣0  0⎦ [0 1 1 0]
}

func ExampleWalkthroughStep() {
	fmt.Print(lesson.WalkthroughStep(tiny(), "bias", 1))
	// Output:
	// $$v^{(1)} = u^{(1)} + b^{(1)} = \begin{pmatrix} 0.1 \\ 0.5 \end{pmatrix} + \begin{pmatrix} 0.1 \\ -0.6 \end{pmatrix} = \begin{pmatrix} 0.2 \\ -0.1 \end{pmatrix} \qquad (3)$$
}
