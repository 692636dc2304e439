package gradcheck_test

import (
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/gradcheck"
	"gonum.org/v1/gonum/mat"
)

// wTLayer is a learner's Backward that uses Wᵀ where W is needed: on a
// non-square layer gonum panics with "mat: dimension mismatch".
func wTBackward(delta, w *mat.Dense) *mat.Dense {
	var gx mat.Dense
	gx.Mul(delta, w.T()) // the learner's line
	return &gx
}

func TestExplainPanicPointsAtTheLearnersLine(t *testing.T) {
	x, g, w := mat.NewDense(4, 6, nil), mat.NewDense(4, 5, nil), mat.NewDense(5, 6, nil)
	var p *gradcheck.Panic
	func() {
		defer func() {
			if r := recover(); r != nil {
				p = gradcheck.ExplainPanic(r, gradcheck.LayerOperands(x, g, w)...)
			}
		}()
		wTBackward(g, w)
	}()
	if p == nil {
		t.Fatal("no panic")
	}
	s := p.String()
	for _, want := range []string{"panic_test.go:15", "wTBackward", "mat: dimension mismatch", "X 4×6", "G 4×5", "W 5×6",
		"Δ·W: (4×5)(5×6) → 4×6 = ∂L/∂x"} {
		if !strings.Contains(s, want) {
			t.Errorf("explanation lacks %q:\n%s", want, s)
		}
	}
	t.Log(s)
}
