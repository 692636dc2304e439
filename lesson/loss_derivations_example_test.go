package lesson_test

import (
	"fmt"

	"github.com/backprop-lab/backprop/lesson"
)

// Each derived δ passes the gradient check; the diagonal shortcut for MSE on
// softmax outputs does not.
func ExampleCheckLossDerivation() {
	for _, d := range lesson.LossDerivations {
		fmt.Printf("%s, %s: passes %v\n", d.Name, d.Delta, lesson.CheckLossDerivation(d, 8, 1).OK())
		if d.Wrong != nil {
			fmt.Printf("%s, %s: passes %v\n", d.Wrong.Name, d.Wrong.Delta, lesson.CheckLossDerivation(*d.Wrong, 8, 1).OK())
		}
	}
	// Output:
	// sigmoid + binary cross-entropy, δ = (a − y)/N: passes true
	// MSE on softmax outputs, δ = Jᵀ∇ₐE: δ_i = a_i (g_i − Σ_k a_k g_k), g = (a − y)/N: passes true
	// MSE on softmax outputs, diagonal Jacobian, δ_i = a_i (1 − a_i) g_i (∇ₐE ⊙ diag J: wrong): passes false
}
