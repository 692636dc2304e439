package lesson_test

import (
	"fmt"

	"github.com/backprop-lab/backprop/lesson"
)

// The three variance rules for a ReLU layer of 256 inputs and 64 outputs.
func ExampleVarianceRule_Sigma() {
	for _, r := range lesson.VarianceRules {
		fmt.Printf("n = %-24s σ = %.4f\n", r.Name, r.Sigma(256, 64))
	}
	// Output:
	// n = n_in (forward, He)       σ = 0.0884
	// n = n_out (backward)         σ = 0.1768
	// n = (n_in+n_out)/2 (Glorot)  σ = 0.1118
}

// Thirty plain ReLU layers at half He's σ lose nine orders of magnitude;
// normalised ones keep their scale.
func ExampleMeasureDepth() {
	for _, v := range lesson.DepthVariants[:2] {
		r := lesson.MeasureDepth(v, 0.5, 30, 64, 128, 1)
		fmt.Printf("%s: forward %.0e\n", r.Variant, r.Fwd)
	}
	// Output:
	// plain: forward 2e-09
	// normalised: forward 7e-01
}
