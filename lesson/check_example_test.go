package lesson_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/lesson"
	"github.com/backprop-lab/backprop/nn"
)

// ok prints a check as a notebook reader would judge it, without the
// error's digits (they depend on rounding).
func ok(c lesson.Check) {
	mark := "✓"
	if !c.OK {
		mark = "✗"
	}
	fmt.Println(mark, c.Name)
}

// tinyBatch returns the trace of TinyNet on TinyBatch.
func tinyBatch() *lesson.Trace {
	x, labels := lesson.TinyBatch()
	return lesson.NewTrace(lesson.TinyNet(), x, labels)
}

func ExampleCheckEquation() {
	x, y := 0.1, 0.2 // variables: Go's constant arithmetic would be exact
	a := mat.NewDense(1, 2, []float64{x + y, 1})
	b := mat.NewDense(1, 2, []float64{0.3, 1})
	fmt.Println(lesson.CheckEquation("0.1 + 0.2 = 0.3", a, b, 1e-15))
	fmt.Println(lesson.CheckEquation("0.1 + 0.2 = 0.3 exactly", a, b, 0))
	// Output:
	// ✓ 0.1 + 0.2 = 0.3   (max |error| 5.6e-17 ≤ 1e-15)
	// ✗ 0.1 + 0.2 = 0.3 exactly   (max |error| 5.6e-17 > 0e+00)
}

func ExampleCheck_HTML() {
	fmt.Println(lesson.CheckOutputDelta(tiny()).HTML()[:40])
	// Output:
	// <div class="bp-check" style="font:14px m
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

func ExampleCheckBiasTrick() {
	fmt.Println(lesson.CheckBiasTrick(tiny(), 1))
	// Output:
	// ✓ [W⁽¹⁾ | b⁽¹⁾]·[a⁽⁰⁾; 1] = W⁽¹⁾a⁽⁰⁾ + b⁽¹⁾ = v⁽¹⁾   (max |error| 0 ≤ 1e-12; vs nn's v)
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

func ExampleCheckSoftmaxForms() {
	ok(lesson.CheckSoftmaxForms([]float64{0.06, 0.26}))
	ok(lesson.CheckSoftmaxForms([]float64{1000, 999, 998}))
	// Output:
	// ✓ e^vᵢ/Σₖe^vₖ = e^(vᵢ−m)/Σₖe^(vₖ−m)
	// ✗ e^vᵢ/Σₖe^vₖ = e^(vᵢ−m)/Σₖe^(vₖ−m)
}

func ExampleCheckSoftmaxJacobian() {
	ok(lesson.CheckSoftmaxJacobian([]float64{0.06, 0.26}))
	// Output:
	// ✓ ∂aᵢ/∂vₖ = aᵢ(1[i = k] − aₖ)
}

func ExampleCheckLikelihood() {
	ok(lesson.CheckLikelihood(tinyBatch()))
	// Output:
	// ✓ E = −(1/N) ln Πₙ aₙ,cₙ
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

func ExampleCheckOutputDelta() {
	fmt.Println(lesson.CheckOutputDelta(tiny()))
	// Output:
	// ✓ δ⁽²⁾ = (a⁽²⁾ − y)/N   (max |error| 0 ≤ 1e-12; nn's δ vs the formula)
}

func ExampleCheckHiddenDelta() {
	fmt.Println(lesson.CheckHiddenDelta(tiny(), 1))
	// Output:
	// ✓ δ⁽¹⁾ = φ′(v⁽¹⁾) ⊙ (W⁽²⁾ᵀδ⁽²⁾)   (max |error| 0 ≤ 1e-12; nn's δ vs the formula)
}

func ExampleCheckWeightGrad() {
	c := lesson.CheckWeightGrad(tiny(), 2)
	fmt.Println(c.OK, c.Name, "—", c.Detail)
	// Output:
	// true ∂E/∂W⁽²⁾ = δ⁽²⁾a⁽¹⁾ᵀ — vs central differences, h = 1e-06
}

func ExampleCheckBiasGrad() {
	c := lesson.CheckBiasGrad(tiny(), 1)
	fmt.Println(c.OK, c.Name)
	// Output:
	// true ∂E/∂b⁽¹⁾ = δ⁽¹⁾
}

func ExampleCheckGrad() {
	tr := tiny()
	wrong := mat.DenseCopyOf(tr.Layer(1).DW)
	wrong.Set(0, 0, 0) // a student forgot a term
	c := lesson.CheckGrad("student's ∂E/∂W⁽¹⁾", tr, 1, wrong)
	fmt.Printf("%v %.4f\n", c.OK, c.MaxErr)
	// Output:
	// false 0.2749
}

func ExampleCheckBatchMean() {
	tr := tinyBatch()
	ok(lesson.CheckBatchMean(tr, 1))
	// Output:
	// ✓ ∂E/∂W⁽¹⁾ = Δ⁽¹⁾ᵀA⁽⁰⁾ = (1/N) Σₙ δₙ⁽¹⁾aₙ⁽⁰⁾ᵀ
}
