package lesson

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestSoftmaxForms(t *testing.T) {
	for _, v := range [][]float64{{0.06, 0.26}, {-3, 0, 3, 7}, {700, 699}} {
		if c := CheckSoftmaxForms(v); !c.OK {
			t.Errorf("%v", c)
		}
	}
	for _, v := range [][]float64{{1000, 999, 998}, {-1000, -1001}} {
		if c := CheckSoftmaxForms(v); c.OK {
			t.Errorf("naive softmax should fail at %v: %v", v, c)
		}
		a := StableSoftmax(v)
		var sum float64
		for _, p := range a {
			sum += p
		}
		if math.Abs(sum-1) > 1e-15 || math.IsNaN(sum) {
			t.Errorf("StableSoftmax(%v) = %v, sum %v", v, a, sum)
		}
	}
}

func TestSoftmaxJacobian(t *testing.T) {
	for _, v := range [][]float64{{0.06, 0.26}, {-1, 0.5, 2}, {3, -2, 0, 1, 0.25}} {
		if c := CheckSoftmaxJacobian(v); !c.OK {
			t.Errorf("%v", c)
		}
		j := SoftmaxJacobian(v)
		k := len(v)
		for c := range k {
			var col float64
			for i := range k {
				col += j.At(i, c)
				if j.At(i, c) != j.At(c, i) {
					t.Errorf("v = %v: Jacobian not symmetric at (%d, %d)", v, i, c)
				}
			}
			// Σᵢ aᵢ = 1 for every v, so Σᵢ ∂aᵢ/∂vₖ = 0.
			if math.Abs(col) > 1e-15 {
				t.Errorf("v = %v: column %d sums to %v, want 0", v, c, col)
			}
		}
	}
}

func TestNoLnDelta(t *testing.T) {
	for _, tc := range []struct {
		v     []float64
		label int
	}{{[]float64{-3, 3}, 0}, {[]float64{0.06, 0.26}, 0}, {[]float64{1, 2, -1}, 2}} {
		if c := CheckNoLnDelta(tc.v, tc.label); !c.OK {
			t.Errorf("%v", c)
		}
	}
}

// TestLikelihoodUnderflow: the product form of the likelihood underflows on
// a large batch, where the sum of logs does not.
func TestLikelihoodUnderflow(t *testing.T) {
	x, labels := TinyBatch()
	tr := NewTrace(TinyNet(), x, labels)
	if c := CheckLikelihood(tr); !c.OK {
		t.Errorf("small batch: %v", c)
	}
	// 1200 examples of probability ≈ 0.5: the product ≈ 1e-360 < 5e-324.
	big := mat.NewDense(1200, 2, nil)
	var bl []int
	for n := range 1200 {
		big.SetRow(n, x.RawRowView(n%4))
		bl = append(bl, labels[n%4])
	}
	trb := NewTrace(TinyNet(), big, bl)
	if c := CheckLikelihood(trb); c.OK || !math.IsInf(c.MaxErr, 1) {
		t.Errorf("large batch: want a failure with an infinite error, got %v", c)
	}
	text := LikelihoodText(trb)
	for _, want := range []string{"L = Πₙ p = 0   (underflow", "(ln of the product: -Inf)", "… 1192 more examples", "N = 1200"} {
		if !strings.Contains(text, want) {
			t.Errorf("LikelihoodText: no %q in\n%s", want, text)
		}
	}
	if math.Abs(trb.Loss-tr.Loss) > 1e-12 {
		t.Errorf("E of the repeated batch = %v, want the small batch's %v", trb.Loss, tr.Loss)
	}
}
