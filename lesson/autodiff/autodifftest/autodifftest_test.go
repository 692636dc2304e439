package autodifftest_test

import (
	"testing"

	"github.com/backprop-lab/backprop/internal/engineguard"
	"github.com/backprop-lab/backprop/lesson/autodiff"
	"github.com/backprop-lab/backprop/lesson/autodiff/autodifftest"
)

// diamond returns f = a·(a + x) + a with a = x·y, its leaves x and y and
// its inner node a: a is used by three nodes, x by two.
func diamond(x, y float64) (f, xv, yv, a *autodiff.Value) {
	xv, yv = autodiff.New(x, "x"), autodiff.New(y, "y")
	a = xv.Mul(yv)
	return a.Mul(a.Add(xv)).Add(a), xv, yv, a
}

// Backward gives the gradients worked by hand on a diamond, the same bits
// as autodiff's own Backward, and the same again when called a second time
// (it zeroes what the first call left).
func TestBackwardOnADiamond(t *testing.T) {
	f, x, y, a := diamond(1.5, -0.5)
	for call := 1; call <= 4; call++ {
		backward := autodifftest.Backward
		if call > 2 { // the other order of parents, which the hand-worked values do not depend on
			backward = autodifftest.BackwardParentsReversed
		}
		backward(f)
		// a = −0.75: ∂f/∂a = 2a + x + 1 = 1, ∂f/∂x = a + ∂f/∂a·y = −1.25, ∂f/∂y = ∂f/∂a·x = 1.5.
		if f.Grad != 1 || a.Grad != 1 || x.Grad != -1.25 || y.Grad != 1.5 {
			t.Errorf("call %d: ∂f/∂(f, a, x, y) = %v, %v, %v, %v; want 1, 1, −1.25, 1.5", call, f.Grad, a.Grad, x.Grad, y.Grad)
		}
	}
	g, gx, gy, ga := diamond(0.3, 2.7)
	autodifftest.Backward(g)
	got := []float64{g.Grad, ga.Grad, gx.Grad, gy.Grad}
	g.Backward()
	if want := []float64{g.Grad, ga.Grad, gx.Grad, gy.Grad}; got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] {
		t.Errorf("gradients %v, autodiff's Backward %v", got, want)
	}
}

// b := a + a sends a the gradient of both uses.
func TestBackwardAddsUses(t *testing.T) {
	a, c := autodiff.New(3, "a"), autodiff.New(-2, "c")
	f := a.Add(a).Mul(c)
	autodifftest.Backward(f)
	if a.Grad != -4 || c.Grad != 6 {
		t.Errorf("∂f/∂a = %v, ∂f/∂c = %v; want −4, 6", a.Grad, c.Grad)
	}
}

// Where a grading worker forbids autodiff's Backward and Topo (while
// learner code runs), this backward pass still runs: it uses neither.
func TestBackwardRunsWhereTheGuardForbids(t *testing.T) {
	f, x, _, _ := diamond(1.5, -0.5)
	restore := engineguard.Forbid(engineguard.Backward | engineguard.Topo)
	defer restore()
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("guarded: %v", p)
			}
		}()
		autodifftest.Backward(f)
	}()
	if x.Grad != -1.25 {
		t.Errorf("∂f/∂x = %v, want −1.25", x.Grad)
	}
	// The guard is on: autodiff's own Backward panics here.
	defer func() {
		if _, ok := recover().(*engineguard.Refusal); !ok {
			t.Error("autodiff's Backward ran under the guard: the test above shows nothing")
		}
	}()
	f.Backward()
}
