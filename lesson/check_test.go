package lesson

import (
	"math"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

func TestChecksPassOnNN(t *testing.T) {
	net, x, labels := deepNet()
	tr := NewTrace(net, x, labels)
	checks := []Check{CheckOutputDelta(tr)}
	for s := 1; s <= tr.H(); s++ {
		if s < tr.H() {
			checks = append(checks, CheckHiddenDelta(tr, s))
		}
		checks = append(checks, CheckBiasTrick(tr, s), CheckWeightGrad(tr, s), CheckBiasGrad(tr, s))
	}
	for _, c := range checks {
		if !c.OK {
			t.Errorf("%v", c)
		}
		if !strings.HasPrefix(c.String(), "✓ ") {
			t.Errorf("passing check renders as %q", c.String())
		}
	}
}

// TestLabBug reproduces the lab's bug: with one hidden layer its gradients
// are right; with three, the layers below the last hidden one are wrong by
// about 100% and the finite-difference check catches it.
func TestLabBug(t *testing.T) {
	x, labels := TinyExample()
	tiny := NewTrace(TinyNet(), x, labels)
	for s := 1; s <= 2; s++ {
		if c := CheckGrad("lab", tiny, s, LabBugWeightGrad(tiny, s)); !c.OK {
			t.Errorf("one hidden layer: the lab's gradient of layer %d should be right: %v", s, c)
		}
	}

	net, xb, lb := deepNet()
	tr := NewTrace(net, xb, lb)
	for s := 1; s <= tr.H(); s++ {
		bug := LabBugWeightGrad(tr, s)
		c := CheckGrad("lab's ∂E/∂W", tr, s, bug)
		wantOK := s >= tr.H()-1
		if c.OK != wantOK {
			t.Errorf("layer %d: lab's gradient check OK = %v, want %v: %v", s, c.OK, wantOK, c)
		}
		if !wantOK {
			// Relative error of the whole matrix: the bug is not a rounding issue.
			diff := new(mat.Dense)
			diff.Sub(bug, tr.Layer(s).DW)
			if rel := mat.Norm(diff, 2) / mat.Norm(tr.Layer(s).DW, 2); rel < 0.1 {
				t.Errorf("layer %d: lab's gradient is only %.2g off (relative)", s, rel)
			}
			if !strings.HasPrefix(c.String(), "✗ ") || !strings.Contains(c.HTML(), "#cf222e") {
				t.Errorf("failing check renders as %q / %q", c.String(), c.HTML())
			}
		}
	}
}

func TestCheckEquation(t *testing.T) {
	a := mat.NewDense(1, 2, []float64{1, 2})
	b := mat.NewDense(1, 2, []float64{1, 2 + 1e-9})
	c := CheckEquation("a = b", a, b, 1e-8)
	if !c.OK || math.Abs(c.MaxErr-1e-9) > 1e-15 {
		t.Errorf("%+v", c)
	}
	if c := CheckEquation("a = b", a, b, 1e-10); c.OK {
		t.Errorf("error 1e-9 passed tolerance 1e-10: %v", c)
	}
	nan := mat.NewDense(1, 2, []float64{math.NaN(), 2})
	if c := CheckEquation("nan", nan, a, 1); c.OK {
		t.Errorf("NaN passed: %v", c)
	}
	if got, want := CheckEquation("x = y", a, a, 1e-12).String(), "✓ x = y   (max |error| 0 ≤ 1e-12)"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "1×2") || !strings.Contains(r.(string), "2×1") {
			t.Errorf("shape mismatch: recover() = %v, want a panic naming both shapes", r)
		}
	}()
	CheckEquation("bad", a, a.T(), 1)
}

// TestCheckGradSamples checks that a large layer is sampled and says so.
func TestCheckGradSamples(t *testing.T) {
	x, labels := randomBatch(1, 3, 40, 4)
	net := deepNetSizes([]int{40, 8, 4})
	tr := NewTrace(net, x, labels)
	c := CheckWeightGrad(tr, 1)
	if !c.OK || !strings.Contains(c.Detail, "64 of 320 entries") {
		t.Errorf("%v", c)
	}
}

// TestCheckGradCatchesLabBugOnMNIST: on real digits many first-layer
// columns (blank pixels) have a gradient of exactly 0, so a sample that
// falls only on them would pass any claimed gradient. The seeded random
// sample must see the lab's bug in a two-hidden-layer network.
func TestCheckGradCatchesLabBugOnMNIST(t *testing.T) {
	train, _ := mnist.Embedded()
	idx := []int{0, 1, 2, 3, 4, 5, 6, 7}
	x := mat.NewDense(len(idx), train.Dim(), nil)
	labels := make([]int, len(idx))
	train.Batch(x.RawMatrix().Data, labels, idx)
	net := nn.MustNew(nn.Config{Sizes: []int{784, 32, 32, 10}, Seed: 3})
	for s := range net.Layers {
		b := net.Dense(s + 1).B.RawMatrix().Data
		for i := range b {
			b[i] = 0.05 // away from exact ReLU kinks
		}
	}
	tr := NewTrace(net, x, labels)
	if c := CheckWeightGrad(tr, 1); !c.OK {
		t.Errorf("correct gradient rejected: %v", c)
	}
	if c := CheckGrad("lab", tr, 1, LabBugWeightGrad(tr, 1)); c.OK {
		t.Errorf("the lab's ∂E/∂W⁽¹⁾ passed: %v", c)
	}
}
