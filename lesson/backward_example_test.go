package lesson_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/lesson"
)

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
