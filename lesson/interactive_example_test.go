package lesson

import (
	"fmt"
)

// The frames of WeightSlider for W⁽¹⁾₂₁ of the walkthrough network: while hidden unit 2 is off
// (W⁽¹⁾₂₁ ≤ −0.2) the loss does not move and its slope, backprop's
// ∂E/∂W⁽¹⁾₂₁, is 0; once the unit switches on, the loss rises with it.
func ExampleWeightSlider() {
	net := TinyNet()
	x, labels := TinyExample()
	s := weightScan(net, x, labels, 1, 2, 1, 0.5, 5) // W⁽¹⁾₂₁ = −0.3 ± 0.5 in 5 frames
	for _, f := range s.Frames {
		fmt.Printf("%s = %5.2f  E = %.4f  ∂E/∂%s = %.4f\n", s.Weight, f.W, f.E, s.Weight, f.Slope)
	}
	// Output:
	// W⁽¹⁾₂₁ = -0.80  E = 0.7981  ∂E/∂W⁽¹⁾₂₁ = 0.0000
	// W⁽¹⁾₂₁ = -0.55  E = 0.7981  ∂E/∂W⁽¹⁾₂₁ = 0.0000
	// W⁽¹⁾₂₁ = -0.30  E = 0.7981  ∂E/∂W⁽¹⁾₂₁ = 0.0000
	// W⁽¹⁾₂₁ = -0.05  E = 0.8572  ∂E/∂W⁽¹⁾₂₁ = 0.4030
	// W⁽¹⁾₂₁ =  0.20  E = 0.9617  ∂E/∂W⁽¹⁾₂₁ = 0.4324
}
