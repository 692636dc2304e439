package lesson

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/nn"
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

// equationTraces are the traces the checks of the lessons must pass on: the
// tiny example, the tiny batch, and a deeper net with each hidden activation.
func equationTraces() map[string]*Trace {
	x, labels := TinyExample()
	xb, lb := TinyBatch()
	net, xd, ld := deepNet()
	traces := map[string]*Trace{
		"tiny":       NewTrace(TinyNet(), x, labels),
		"tiny batch": NewTrace(TinyNet(), xb, lb),
		"deep relu":  NewTrace(net, xd, ld),
	}
	for _, act := range []nn.Elementwise{nn.Sigmoid, nn.Tanh} {
		n := nn.MustNew(nn.Config{Sizes: []int{6, 5, 4, 3}, Hidden: act, Init: nn.He, Seed: 9})
		xr, lr := randomBatch(2, 5, 6, 3)
		traces["deep "+act.Name()] = NewTrace(n, xr, lr)
	}
	return traces
}

// TestEquationChecksPass: on correct traces every check of the lessons passes.
func TestEquationChecksPass(t *testing.T) {
	for name, tr := range equationTraces() {
		checks := []Check{CheckBatchRows(tr)}
		for s := 1; s <= tr.H(); s++ {
			checks = append(checks, CheckLinear(tr, s), CheckBias(tr, s), CheckActivation(tr, s),
				CheckDelta(tr, s), CheckBatchMean(tr, s))
		}
		if tr.N() == 1 {
			checks = append(checks, CheckLikelihood(tr))
		}
		for _, c := range checks {
			if !c.OK {
				t.Errorf("%s: %v", name, c)
			}
		}
	}
}

// TestEquationChecksFail: each check fails when the value it verifies is
// wrong by a small amount, so a ✓ means something.
func TestEquationChecksFail(t *testing.T) {
	const bump = 1e-4 // far above the tolerances (≤ 1e-7), below the values' size
	for _, tc := range []struct {
		name   string
		tamper func(l *LayerTrace) *mat.Dense
		check  func(*Trace, int) Check
	}{
		{"linear", func(l *LayerTrace) *mat.Dense { return l.U }, CheckLinear},
		{"bias", func(l *LayerTrace) *mat.Dense { return l.V }, CheckBias},
		{"activation", func(l *LayerTrace) *mat.Dense { return l.A }, CheckActivation},
		{"delta", func(l *LayerTrace) *mat.Dense { return l.Delta }, CheckDelta},
		{"batch mean", func(l *LayerTrace) *mat.Dense { return l.DW }, CheckBatchMean},
	} {
		for name, tr := range equationTraces() {
			for s := 1; s <= tr.H(); s++ {
				m := tc.tamper(tr.Layer(s))
				old := m.At(0, 0)
				m.Set(0, 0, old+bump)
				if c := tc.check(tr, s); c.OK {
					t.Errorf("%s, %s, layer %d: passed with a wrong value: %v", tc.name, name, s, c)
				}
				m.Set(0, 0, old)
			}
		}
	}
	x, labels := TinyBatch()
	tr := NewTrace(TinyNet(), x, labels)
	tr.Layer(2).V.Set(3, 1, tr.Layer(2).V.At(3, 1)+bump)
	if c := CheckBatchRows(tr); c.OK {
		t.Errorf("CheckBatchRows passed with a wrong v: %v", c)
	}
}

// wrongDeriv is an activation whose derivative is off by 1%.
type wrongDeriv struct{ nn.Elementwise }

func (w wrongDeriv) Deriv(v, a float64) float64 { return 1.01 * w.Elementwise.Deriv(v, a) }

func TestCheckDerivative(t *testing.T) {
	for _, act := range []nn.Elementwise{nn.ReLU, nn.Sigmoid, nn.Tanh, nn.Identity} {
		if c := CheckDerivative(act); !c.OK || !strings.Contains(c.Name, "′(v) = ") {
			t.Errorf("%s: %v", act.Name(), c)
		}
		if c := CheckDerivative(wrongDeriv{act}); c.OK {
			t.Errorf("%s with a 1%% wrong derivative passed: %v", act.Name(), c)
		}
	}
}
