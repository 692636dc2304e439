package autodiff

import (
	"math"
	"strings"
	"testing"
)

// TestTanhSigmoid checks the two operations' values and the gradient
// Backward sends through them against central differences.
func TestTanhSigmoid(t *testing.T) {
	fs := map[string]struct {
		op func(*Value) *Value
		f  func(float64) float64
	}{
		"tanh":    {(*Value).Tanh, math.Tanh},
		"sigmoid": {(*Value).Sigmoid, func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }},
	}
	for name, c := range fs {
		for _, x0 := range []float64{-3, -0.5, 0, 0.8, 4} {
			x := New(x0, "x")
			z := c.op(x)
			z.Backward()
			const h = 1e-5 // central differences: error ~1e-10 for these smooth functions
			fd := (c.f(x0+h) - c.f(x0-h)) / (2 * h)
			if z.Data != c.f(x0) || math.Abs(x.Grad-fd) > 1e-8 {
				t.Errorf("%s(%g) = %g (grad %g), want %g (grad %g)", name, x0, z.Data, x.Grad, c.f(x0), fd)
			}
		}
	}
}

func TestNewOp(t *testing.T) {
	x := New(2, "x")
	z := NewOp("cube", 8, []*Value{x}, []float64{12})
	z.Backward()
	if x.Grad != 12 || z.Op != "cube" {
		t.Errorf("x.Grad = %g, op %q; want 12, cube", x.Grad, z.Op)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "1 parents but 2 local derivatives") {
			t.Errorf("recovered %v, want a panic naming both lengths", r)
		}
	}()
	NewOp("bad", 0, []*Value{x}, []float64{1, 2})
}
