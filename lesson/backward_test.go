package lesson

import (
	"math"
	"testing"
)

// TestUnmaskedWeightGrad: forgetting φ′ changes exactly the rows of units
// that are inactive for some example.
func TestUnmaskedWeightGrad(t *testing.T) {
	x, labels := TinyExample()
	tr := NewTrace(TinyNet(), x, labels)
	got := UnmaskedWeightGrad(tr, 1)
	true1 := tr.Layer(1).DW
	for j := range 2 {
		if got.At(0, j) != true1.At(0, j) {
			t.Errorf("active unit 1: row differs: %v vs %v", got.RawRowView(0), true1.RawRowView(0))
		}
	}
	// Unit 2 is inactive: its true gradient is 0, the unmasked one is
	// (W⁽²⁾ᵀδ⁽²⁾)₂ · x = 0.3849 · (1, 2).
	if true1.At(1, 0) != 0 || math.Abs(got.At(1, 1)-2*got.At(1, 0)) > 1e-15 || got.At(1, 0) < 0.38 {
		t.Errorf("inactive unit 2: true %v, unmasked %v", true1.RawRowView(1), got.RawRowView(1))
	}
	if c := CheckGrad("unmasked", tr, 1, got); c.OK {
		t.Errorf("the unmasked gradient passed: %v", c)
	}
	defer func() {
		if recover() == nil {
			t.Error("UnmaskedWeightGrad of the output layer did not panic")
		}
	}()
	UnmaskedWeightGrad(tr, 2)
}
