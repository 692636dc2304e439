package lesson_test

import (
	"fmt"
	"strings"

	"github.com/backprop-lab/backprop/lesson"
	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// tinyBatch returns the trace of TinyNet on TinyBatch.
func tinyBatch() *lesson.Trace {
	x, labels := lesson.TinyBatch()
	return lesson.NewTrace(lesson.TinyNet(), x, labels)
}

// ok prints a check as a notebook reader would judge it, without the
// error's digits (they depend on rounding).
func ok(c lesson.Check) {
	mark := "✓"
	if !c.OK {
		mark = "✗"
	}
	fmt.Println(mark, c.Name)
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

func ExampleTrace_WalkthroughStep() {
	fmt.Print(tiny().WalkthroughStep("bias", 1))
	// Output:
	// $$v^{(1)} = u^{(1)} + b^{(1)} = \begin{pmatrix} 0.1 \\ 0.5 \end{pmatrix} + \begin{pmatrix} 0.1 \\ -0.6 \end{pmatrix} = \begin{pmatrix} 0.2 \\ -0.1 \end{pmatrix} \qquad (3)$$
}

// The forward equations of layer 1, checked on the tiny example.
func ExampleCheckLinear() {
	tr := tiny()
	ok(lesson.CheckLinear(tr, 1))
	ok(lesson.CheckBias(tr, 1))
	ok(lesson.CheckActivation(tr, 1))
	// Output:
	// ✓ u⁽¹⁾ = W⁽¹⁾a⁽⁰⁾
	// ✓ v⁽¹⁾ = u⁽¹⁾ + b⁽¹⁾
	// ✓ a⁽¹⁾ = relu(v⁽¹⁾)
}

func ExampleCheckBias() {
	fmt.Println(lesson.CheckBias(tinyBatch(), 1).Detail)
	// Output:
	// nn's v vs u + b entry by entry, N = 4 examples
}

func ExampleCheckActivation() {
	ok(lesson.CheckActivation(tiny(), 2))
	// Output:
	// ✓ a⁽²⁾ = softmax(v⁽²⁾)
}

func ExampleCheckBatchRows() {
	ok(lesson.CheckBatchRows(tinyBatch()))
	// Output:
	// ✓ V = A·Wᵀ + 1bᵀ, row n = the pass of example n alone
}

func ExampleCheckDerivative() {
	for _, act := range []nn.Elementwise{nn.ReLU, nn.Sigmoid, nn.Tanh} {
		ok(lesson.CheckDerivative(act))
	}
	fmt.Println("ReLU′(0) =", nn.ReLU.Deriv(0, 0), "(convention)")
	// Output:
	// ✓ ReLU′(v) = 1[v > 0]
	// ✓ σ′(v) = σ(v)(1 − σ(v))
	// ✓ tanh′(v) = 1 − tanh²(v)
	// ReLU′(0) = 0 (convention)
}

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

func ExampleDerivationStep_ResultMarkdown() {
	fmt.Print(lesson.Step("output-delta").ResultMarkdown())
	// Output:
	// $$\boxed{\delta^{(h)} = a^{(h)} - y} \qquad (11)$$
}

// δ checked against its definition: nudge v, watch E.
func ExampleCheckDelta() {
	tr := tiny()
	for s := tr.H(); s >= 1; s-- {
		c := lesson.CheckDelta(tr, s)
		fmt.Println(c.OK, c.Name, "—", c.Detail)
	}
	// Output:
	// true δ⁽²⁾ = ∂E/∂v⁽²⁾ — nn's δ vs central differences of E in v⁽²⁾, h = 1e-06
	// true δ⁽¹⁾ = ∂E/∂v⁽¹⁾ — nn's δ vs central differences of E in v⁽¹⁾, h = 1e-06
}

// Forgetting φ′ gives the inactive hidden unit a gradient it does not have.
func ExampleUnmaskedWeightGrad() {
	tr := tiny()
	wrong := lesson.UnmaskedWeightGrad(tr, 1)
	fmt.Printf("%.4f\n", mat.Formatted(wrong, mat.Squeeze()))
	ok(lesson.CheckGrad("∂E/∂W⁽¹⁾ without φ′", tr, 1, wrong))
	// Output:
	// ⎡0.2749  0.5498⎤
	// ⎣0.3849  0.7698⎦
	// ✗ ∂E/∂W⁽¹⁾ without φ′
}

func ExampleCheckBatchMean() {
	tr := tinyBatch()
	ok(lesson.CheckBatchMean(tr, 1))
	// Output:
	// ✓ ∂E/∂W⁽¹⁾ = Δ⁽¹⁾ᵀA⁽⁰⁾ = (1/N) Σₙ δₙ⁽¹⁾aₙ⁽⁰⁾ᵀ
}

func ExampleBackwardShapes() {
	fmt.Print(lesson.BackwardShapes(tinyBatch()))
	// Output:
	// layer 2 (softmax):
	//   Δ⁽²⁾ = (A⁽²⁾ − Y)/N     (4×2 − 4×2)/4 → 4×2
	//   ∂E/∂W⁽²⁾ = Δ⁽²⁾ᵀ·A⁽¹⁾   (2×4)·(4×2) → 2×2
	//   ∂E/∂b⁽²⁾ = Δ⁽²⁾ᵀ·1      (2×4)·(4×1) → 2×1
	// layer 1 (relu):
	//   Δ⁽¹⁾ = φ′(V⁽¹⁾) ⊙ (Δ⁽²⁾·W⁽²⁾)   4×2 ⊙ ((4×2)·(2×2)) → 4×2
	//   ∂E/∂W⁽¹⁾ = Δ⁽¹⁾ᵀ·A⁽⁰⁾           (2×4)·(4×2) → 2×2
	//   ∂E/∂b⁽¹⁾ = Δ⁽¹⁾ᵀ·1              (2×4)·(4×1) → 2×1
}

func ExampleNaiveSoftmax() {
	fmt.Printf("%.4f\n", lesson.NaiveSoftmax([]float64{0.06, 0.26}))
	fmt.Println(lesson.NaiveSoftmax([]float64{1000, 999}))
	// Output:
	// [0.4502 0.5498]
	// [NaN NaN]
}

func ExampleStableSoftmax() {
	fmt.Printf("%.4f\n", lesson.StableSoftmax([]float64{1000, 999}))
	// Output:
	// [0.7311 0.2689]
}

func ExampleCheckSoftmaxForms() {
	ok(lesson.CheckSoftmaxForms([]float64{0.06, 0.26}))
	ok(lesson.CheckSoftmaxForms([]float64{1000, 999, 998}))
	// Output:
	// ✓ e^vᵢ/Σₖe^vₖ = e^(vᵢ−m)/Σₖe^(vₖ−m)
	// ✗ e^vᵢ/Σₖe^vₖ = e^(vᵢ−m)/Σₖe^(vₖ−m)
}

func ExampleSoftmaxOverflow() {
	fmt.Print(lesson.SoftmaxOverflow([]float64{1000, 999, 998}))
	// Output:
	// v = [1000 999 998], m = max v = 1000
	// naive:          e^v     = [+Inf +Inf +Inf], Σ = +Inf → a = [NaN NaN NaN]
	// max-subtracted: e^(v−m) = [1 0.3679 0.1353], Σ = 1.503 → a = [0.6652 0.2447 0.09003]
}

func ExampleSoftmaxJacobian() {
	fmt.Printf("%.4f\n", mat.Formatted(lesson.SoftmaxJacobian([]float64{0.06, 0.26}), mat.Squeeze()))
	// Output:
	// ⎡ 0.2475  -0.2475⎤
	// ⎣-0.2475   0.2475⎦
}

func ExampleCheckSoftmaxJacobian() {
	ok(lesson.CheckSoftmaxJacobian([]float64{0.06, 0.26}))
	// Output:
	// ✓ ∂aᵢ/∂vₖ = aᵢ(1[i = k] − aₖ)
}

func ExampleLikelihoodText() {
	fmt.Print(lesson.LikelihoodText(tinyBatch()))
	// Output:
	// example  class  p = a_n,c    ln p
	// 1        0      0.4502       -0.7981
	// 2        1      0.5424       -0.6118
	// 3        1      0.6295       -0.4629
	// 4        0      0.475        -0.7444
	// likelihood  L = Πₙ p = 0.07301
	//             ln L = Σₙ ln p = -2.617   (ln of the product: -2.617)
	// E = −(1/N) Σₙ ln p = 0.6543   (N = 4; nn's loss: 0.6543)
}

func ExampleCheckLikelihood() {
	ok(lesson.CheckLikelihood(tinyBatch()))
	// Output:
	// ✓ E = −(1/N) ln Πₙ aₙ,cₙ
}

func ExampleNoLnDelta() {
	fmt.Printf("%.4f\n", lesson.NoLnDelta([]float64{-3, 3}, 0))
	ok(lesson.CheckNoLnDelta([]float64{-3, 3}, 0))
	// Output:
	// [-0.0025 0.0025]
	// ✓ ∂(−a_c)/∂v = a_c(a − y)
}

func ExampleLnComparison() {
	fmt.Print(lesson.LnComparison([]float64{-3, 3}, 0))
	// Output:
	// v = [-3 3], true class c = 0: a = [0.002473 0.9975]
	// with the ln:    E  = −ln a_c = 6.002     δ  = a − y      = [-0.9975 0.9975]
	// without the ln: E' = −a_c    = -0.002473 δ' = a_c(a − y) = [-0.002467 0.002467]   (404.4× smaller)
}

func ExampleOutputBars() {
	describe(lesson.OutputBars(tinyBatch(), 2, []string{"zero", "one"}))
	// Output:
	// "Softmax output: predicted one (p = 0.629), true one" 640×280 px
}

func ExampleMNISTExamples() {
	train, _ := mnist.Embedded()
	x, labels := lesson.MNISTExamples(train, 5)
	r, c := x.Dims()
	fmt.Printf("x is %d×%d, labels %v, max pixel %.0f\n", r, c, labels, mat.Max(x))
	fmt.Println(strings.Contains(train.Name, "embedded"))
	// Output:
	// x is 5×784, labels [5 0 4 1 9], max pixel 1
	// true
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

func ExampleZeroGradientText() {
	fmt.Print(lesson.ZeroGradientText(tiny(), 1))
	fmt.Print(lesson.ZeroGradientText(tiny(), 2))
	// Output:
	// ∂E/∂W⁽¹⁾: 2 of its 4 entries (50.0%) are exactly 0;
	//   0 of 2 columns are 0: their input a⁽⁰⁾ⱼ is 0 for every example
	//   1 of 2 rows are 0: their unit's δ⁽¹⁾ᵢ is 0 for every example
	// ∂E/∂W⁽²⁾: 2 of its 4 entries (50.0%) are exactly 0;
	//   1 of 2 columns are 0: their input a⁽¹⁾ⱼ is 0 for every example
	//   0 of 2 rows are 0: their unit's δ⁽²⁾ᵢ is 0 for every example
}

// The δ of the loss without the ln, checked against central differences at
// a confident right answer and a confident wrong one.
func ExampleCheckNoLnDelta() {
	for _, label := range []int{1, 0} {
		c := lesson.CheckNoLnDelta([]float64{-3, 3}, label)
		fmt.Println(c.OK, c.Name, "—", c.Detail)
	}
	// Output:
	// true ∂(−a_c)/∂v = a_c(a − y) — vs central differences, h = 1e-06, v = [-3 3], c = 1
	// true ∂(−a_c)/∂v = a_c(a − y) — vs central differences, h = 1e-06, v = [-3 3], c = 0
}
