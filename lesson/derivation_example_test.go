package lesson_test

import (
	"fmt"

	"github.com/backprop-lab/backprop/lesson"
)

func ExampleDerivation() {
	for _, s := range lesson.Derivation()[8:13] {
		fmt.Printf("(%d) %-14s %s\n", s.N, s.Key, s.Title)
	}
	// Output:
	// (9) delta          The error signal δ
	// (10) softmax-jacobian Derivative of softmax
	// (11) output-delta   Output delta
	// (12) hidden-delta   Hidden delta (the backward recursion)
	// (13) weight-grad    Weight gradient
}

func ExampleStep() {
	fmt.Print(lesson.Step("bias-grad").Markdown())
	// Output:
	// #### (14) Bias gradient
	//
	// $\partial v^{(s)}_i / \partial b^{(s)}_i = 1$: the bias gradient is $\delta$ itself (the weight of the constant input 1 in (4)).
	//
	// $$\boxed{\frac{\partial E}{\partial b^{(s)}} = \delta^{(s)}} \qquad (14)$$
	//
	// Batch form (one example per row): $\frac{\partial E}{\partial b^{(s)}} = \Delta^{(s)\top} \mathbf{1} \qquad \text{column sums of } \Delta^{(s)} \to n_{\text{out}}$
}

func ExampleDerivationStep_ResultMarkdown() {
	fmt.Print(lesson.Step("output-delta").ResultMarkdown())
	// Output:
	// $$\boxed{\delta^{(h)} = a^{(h)} - y} \qquad (11)$$
}

// A notebook cell is a few lines; outside GoNB the Display functions print
// nothing.
func ExampleDisplayDerivation() {
	lesson.DisplayDerivation("output-delta", "hidden-delta")
	tr := tiny()
	lesson.DisplayTrace(tr)
	lesson.DisplayChecks(lesson.CheckOutputDelta(tr), lesson.CheckHiddenDelta(tr, 1))
	lesson.DisplayMarkdown(lesson.LabBugMarkdown())
	// Output:
}
