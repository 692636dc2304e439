package gradcheck

import (
	"math"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/nn"
	"github.com/backprop-lab/backprop/nn/nntest"
)

func TestStepSweepShowsTheVShape(t *testing.T) {
	net := randomNet(51, nn.Tanh, 6, 5, 3)
	x, labels := nntest.RandomBatch(52, 4, 6, 3)
	f := NetworkFunc(net, x, labels)
	before := snapshot(f.Params)
	s, err := StepSweep(f, "W1", 2, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !equalBits(before, snapshot(f.Params)) {
		t.Fatal("sweep changed the parameters")
	}
	best := s.Best()
	// The optimum of a central difference is near 1e-5 and good to ~1e-10;
	// at h = 1 truncation and at 1e-13 rounding are both far worse.
	if best.Step < 1e-7 || best.Step > 1e-3 || best.CentralErr > 1e-8 {
		t.Errorf("best step %g with error %g", best.Step, best.CentralErr)
	}
	first, last := s.Points[0], s.Points[len(s.Points)-1]
	if first.CentralErr < 1e3*best.CentralErr || last.CentralErr < 1e3*best.CentralErr {
		t.Errorf("no V shape: errors %g (h=%g), %g (best), %g (h=%g)", first.CentralErr, first.Step, best.CentralErr, last.CentralErr, last.Step)
	}
	// Forward differences are first order: at h = 1e-3 the forward error
	// (≈ h·f″/2f′) is far larger than the central one (≈ h²·f‴/6f′).
	for _, p := range s.Points {
		if p.Step == 1e-3 && p.ForwardErr < 10*p.CentralErr {
			t.Errorf("h=1e-3: forward error %g not ≫ central %g", p.ForwardErr, p.CentralErr)
		}
	}
	if !strings.Contains(s.String(), "smallest central error") {
		t.Error(s.String())
	}
	if _, err := StepSweep(f, "W9", 0, 0, nil); err == nil || !strings.Contains(err.Error(), "W1, b1, W2, b2") {
		t.Errorf("unknown tensor: %v", err)
	}
	if _, err := StepSweep(f, "W1", 5, 0, nil); err == nil || !strings.Contains(err.Error(), "5×6") {
		t.Errorf("element outside: %v", err)
	}
}

func equalBits(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestTaylorOrderSeparatesRightFromWrong(t *testing.T) {
	for _, act := range []nn.Elementwise{nn.Tanh, nn.ReLU} {
		net := randomNet(53, act, 6, 5, 4, 3)
		x, labels := nntest.RandomBatch(54, 5, 6, 3)
		for _, name := range []string{"", "W1", "b2"} {
			tr, err := TaylorTest(NetworkFunc(net, x, labels), name, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tr.Status != StatusGood || math.Abs(tr.Order-2) > 0.2 {
				t.Errorf("%s %q: correct gradient has order %.2f (%s)\n%s", act.Name(), name, tr.Order, tr.Status, tr)
			}
		}
		bad := wrap(randomNet(53, act, 6, 5, 4, 3), 2, func(d *nn.Dense) nn.Layer { return labBug{d} })
		for _, tc := range []struct {
			name string
			want Status
		}{{"W1", StatusFailed}, {"b1", StatusFailed}, {"W3", StatusGood}} {
			tr, err := TaylorTest(NetworkFunc(bad, x, labels), tc.name, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tr.Status != tc.want {
				t.Errorf("%s lab bug %s: order %.2f, status %s, want %s\n%s", act.Name(), tc.name, tr.Order, tr.Status, tc.want, tr)
			}
		}
	}
}

func TestTaylorLinearFunctionIsExact(t *testing.T) {
	// A network with identity activations and no hidden layer is still
	// curved (softmax); a plain linear function is not.
	f := tinyFunc(0)
	tr, err := TaylorTest(f, "θ", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsInf(tr.Order, 1) || tr.Status != StatusGood {
		t.Errorf("constant function: order %v, status %s", tr.Order, tr.Status)
	}
}
