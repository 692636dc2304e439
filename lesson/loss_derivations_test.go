package lesson

import (
	"testing"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// TestLossDerivations: every derived δ passes gradcheck on several random
// cases, and every tempting wrong one fails it.
func TestLossDerivations(t *testing.T) {
	wrongs := 0
	for _, d := range LossDerivations {
		for seed := uint64(1); seed <= 3; seed++ {
			if r := CheckLossDerivation(d, 6, seed); !r.OK() {
				t.Errorf("%s (seed %d): the right δ fails:\n%s", d.Name, seed, r.Text())
			}
			if d.Wrong != nil {
				if r := CheckLossDerivation(*d.Wrong, 6, seed); r.OK() {
					t.Errorf("%s (seed %d): the wrong δ passes", d.Wrong.Name, seed)
				}
			}
		}
		if d.Wrong != nil {
			wrongs++
		}
	}
	if len(LossDerivations) < 2 || wrongs < 1 {
		t.Fatalf("%d derivations, %d wrong variants; want ≥ 2 and ≥ 1", len(LossDerivations), wrongs)
	}
}

func decayCase() (*nn.Network, *mat.Dense, []int) {
	net := nn.MustNew(nn.Config{Sizes: []int{5, 4, 3}, Hidden: nn.ReLU, Init: nn.He, Seed: 4})
	x := mat.NewDense(3, 5, []float64{0.3, -0.7, 1.2, 0.5, -0.1, 0.9, 0.2, -0.4, 1.1, 0.6, -1.3, 0.8, 0.05, -0.2, 0.4})
	return net, x, []int{0, 2, 1}
}

// TestWeightDecay: the decayed gradient passes gradcheck; forgetting the
// λW term, or decaying the biases too, fails it.
func TestWeightDecay(t *testing.T) {
	net, x, labels := decayCase()
	wd := WeightDecay{Lambda: 0.3}
	if r := gradcheck.Check(wd.Func(net, x, labels), nil); !r.OK() {
		t.Errorf("δaᵀ + λW fails:\n%s", r.Text())
	}
	f := wd.Func(net, x, labels)
	for _, p := range f.Params { // undo the decay term: nn's plain gradient
		if p.Name[0] == 'W' {
			p.Grad.Sub(p.Grad, scaled(wd.Lambda, p.Value))
		}
	}
	if r := gradcheck.Check(f, nil); r.OK() {
		t.Error("the gradient without λW passes the decayed loss's check")
	}
	net.Dense(1).B.Set(0, 0, 0.5) // a non-zero bias, so that decaying it changes its gradient
	f = wd.Func(net, x, labels)
	for _, p := range f.Params {
		if p.Name[0] == 'b' {
			p.Grad.Add(p.Grad, scaled(wd.Lambda, p.Value))
		}
	}
	if r := gradcheck.Check(f, nil); r.OK() {
		t.Error("decaying the biases passes the check")
	}
	if p := wd.Penalty(net); p <= 0 {
		t.Errorf("penalty %g, want > 0", p)
	}
}

func TestCheckWeightDecayGraph(t *testing.T) {
	x, labels := TinyExample()
	checks := CheckWeightDecayGraph(TinyNet(), x, labels, 0.1)
	if len(checks) != 2 {
		t.Fatalf("%d checks, want 2", len(checks))
	}
	for _, c := range checks {
		if !c.OK {
			t.Errorf("%s", c)
		}
	}
	// With λ = 0 the penalty vanishes and the graph equals nn's plain gradient.
	plain := CheckWeightDecayGraph(TinyNet(), x, labels, 0)
	for _, c := range plain {
		if !c.OK {
			t.Errorf("λ = 0: %s", c)
		}
	}
}
