package lesson_test

import (
	"fmt"

	"github.com/backprop-lab/backprop/lesson"
)

// Gradient descent on E(θ) = ½λθ² converges for η < 2/λ and diverges above.
func ExampleCheckQuadraticDescent() {
	fmt.Println(lesson.CheckQuadraticDescent(2, 0.95, 1, 20).Name)
	fmt.Println(lesson.CheckQuadraticDescent(2, 1.05, 1, 20).Name)
	// Output:
	// λ = 2, η = 0.95: θ_k = (1 − ηλ)^k θ₀ = 0.1216 after 20 steps (|1 − ηλ| = 0.9: converges)
	// λ = 2, η = 1.05: θ_k = (1 − ηλ)^k θ₀ = 6.727 after 20 steps (|1 − ηλ| = 1.1: diverges)
}
