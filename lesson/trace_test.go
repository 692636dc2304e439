package lesson

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/lesson/internal/golden"
	"github.com/backprop-lab/backprop/nn"
)

// randomBatch returns n examples of dim inputs in [−1, 1) and labels in [0, k).
func randomBatch(seed uint64, n, dim, k int) (*mat.Dense, []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := mat.NewDense(n, dim, nil)
	for i := range n {
		for j := range dim {
			x.Set(i, j, 2*rng.Float64()-1)
		}
	}
	labels := make([]int, n)
	for i := range labels {
		labels[i] = rng.IntN(k)
	}
	return x, labels
}

// deepNet is a 6-5-4-4-3 ReLU network: three hidden layers, enough for the
// lab's bug to show.
func deepNet() (*nn.Network, *mat.Dense, []int) {
	net := nn.MustNew(nn.Config{Sizes: []int{6, 5, 4, 4, 3}, Init: nn.He, Seed: 3})
	x, labels := randomBatch(5, 7, 6, 3)
	return net, x, labels
}

// TestTraceMatchesNN checks every traced value against what nn's own layers
// hold after LossAndGrad on the same network and batch: exact equality,
// since the trace copies them.
func TestTraceMatchesNN(t *testing.T) {
	for _, hidden := range []nn.Elementwise{nn.ReLU, nn.Sigmoid, nn.Tanh} {
		t.Run(hidden.Name(), func(t *testing.T) {
			net := nn.MustNew(nn.Config{Sizes: []int{6, 5, 4, 3}, Hidden: hidden, Init: nn.He, Seed: 9})
			x, labels := randomBatch(2, 4, 6, 3)
			tr := NewTrace(net, x, labels)

			loss := net.LossAndGrad(x, labels)
			if tr.Loss != loss {
				t.Errorf("Loss = %v, nn says %v", tr.Loss, loss)
			}
			if tr.H() != 3 || tr.N() != 4 {
				t.Errorf("H, N = %d, %d; want 3, 4", tr.H(), tr.N())
			}
			for s := 1; s <= 3; s++ {
				d, l := net.Dense(s), tr.Layer(s)
				for name, pair := range map[string][2]*mat.Dense{
					"W": {l.W, d.W}, "b": {l.B, d.B}, "u": {l.U, d.U()}, "v": {l.V, d.V()}, "a": {l.A, d.A()},
					"δ": {l.Delta, d.Delta()}, "∂E/∂W": {l.DW, d.DW}, "∂E/∂b": {l.DB, d.DB},
				} {
					if !mat.Equal(pair[0], pair[1]) {
						t.Errorf("layer %d: %s differs from nn's", s, name)
					}
				}
				if !mat.Equal(tr.Input(s), d.X()) {
					t.Errorf("layer %d: input differs from nn's X()", s)
				}
				if s < 3 {
					if want := nn.Derivative(hidden, d.V(), d.A()); !mat.Equal(l.DPhi, want) {
						t.Errorf("layer %d: φ′ differs from nn.Derivative", s)
					}
				} else if l.DPhi != nil || l.G != nil {
					t.Errorf("output layer: DPhi, G = %v, %v; want nil (softmax)", l.DPhi, l.G)
				}
			}
			if got := tr.Sizes(); len(got) != 4 || got[0] != 6 || got[3] != 3 {
				t.Errorf("Sizes = %v", got)
			}
		})
	}
}

// TestTraceIsACopy checks that NewTrace leaves the network alone and that
// later passes of the network do not change the trace.
func TestTraceIsACopy(t *testing.T) {
	net, x, labels := deepNet()
	w := mat.DenseCopyOf(net.Dense(1).W)
	tr := NewTrace(net, x, labels)
	if net.Dense(1).V() != nil {
		t.Error("NewTrace ran the caller's network (its caches are set)")
	}
	before := mat.DenseCopyOf(tr.Layer(1).V)
	x2, labels2 := randomBatch(99, 7, 6, 3)
	net.LossAndGrad(x2, labels2)
	net.Dense(1).W.Scale(2, net.Dense(1).W)
	if !mat.Equal(tr.Layer(1).V, before) || !mat.Equal(tr.Layer(1).W, w) {
		t.Error("the trace changed when the network was used again")
	}
	x.Set(0, 0, 42)
	if tr.X.At(0, 0) == 42 {
		t.Error("the trace shares x with the caller")
	}
}

// TestTraceFiniteDifferences checks every layer's traced ∂E/∂W and ∂E/∂b
// against central differences computed here, independently of check.go.
func TestTraceFiniteDifferences(t *testing.T) {
	net, x, labels := deepNet()
	tr := NewTrace(net, x, labels)
	const h = 1e-6
	const tol = 1e-7 // central differences: O(h²) truncation + O(ε/h) rounding ≈ 1e-10
	for s := 1; s <= tr.H(); s++ {
		for _, p := range []struct {
			name       string
			param, got *mat.Dense
		}{{"W", net.Dense(s).W, tr.Layer(s).DW}, {"b", net.Dense(s).B, tr.Layer(s).DB}} {
			r, c := p.param.Dims()
			for i := range r {
				for j := range c {
					w := p.param.At(i, j)
					p.param.Set(i, j, w+h)
					plus := net.Loss(x, labels)
					p.param.Set(i, j, w-h)
					minus := net.Loss(x, labels)
					p.param.Set(i, j, w)
					if fd := (plus - minus) / (2 * h); math.Abs(fd-p.got.At(i, j)) > tol {
						t.Errorf("layer %d: ∂E/∂%s[%d,%d] = %g, finite differences %g", s, p.name, i, j, p.got.At(i, j), fd)
					}
				}
			}
		}
	}
}

func TestTinyNetByHand(t *testing.T) {
	x, labels := TinyExample()
	tr := NewTrace(TinyNet(), x, labels)
	// Computed by hand in the walkthrough: v⁽¹⁾ = (0.2, −0.1), a⁽¹⁾ = (0.2, 0),
	// v⁽²⁾ = (0.06, 0.26), a⁽²⁾ = (e^−0.2, 1)/(1 + e^−0.2), E = −ln a⁽²⁾₀.
	a0 := math.Exp(-0.2) / (1 + math.Exp(-0.2))
	const tol = 1e-15 // a few ulps
	checks := []struct {
		name string
		got  *mat.Dense
		want []float64
	}{
		{"v1", tr.Layer(1).V, []float64{0.2, -0.1}},
		{"a1", tr.Layer(1).A, []float64{0.2, 0}},
		{"v2", tr.Layer(2).V, []float64{0.06, 0.26}},
		{"a2", tr.Layer(2).A, []float64{a0, 1 - a0}},
		{"δ2", tr.Layer(2).Delta, []float64{a0 - 1, 1 - a0}},
		{"δ1", tr.Layer(1).Delta, []float64{0.3*(a0-1) + 0.8*(1-a0), 0}},
	}
	for _, c := range checks {
		for j, w := range c.want {
			if g := c.got.At(0, j); math.Abs(g-w) > tol {
				t.Errorf("%s[%d] = %.17g, want %.17g", c.name, j, g, w)
			}
		}
	}
	if want := -math.Log(a0); math.Abs(tr.Loss-want) > tol {
		t.Errorf("E = %v, want %v", tr.Loss, want)
	}
}

func TestTraceRenderings(t *testing.T) {
	x, labels := TinyExample()
	tr := NewTrace(TinyNet(), x, labels)
	golden.Check(t, "trace_tiny.txt", tr.Text())
	golden.Check(t, "trace_tiny.html", tr.HTML())

	// A large layer is summarised: shape, min/max/mean, an excerpt.
	net := nn.MustNew(nn.Config{Sizes: []int{30, 12, 10}, Seed: 1})
	xb, lb := randomBatch(4, 16, 30, 10)
	big := NewTrace(net, xb, lb)
	golden.Check(t, "trace_large.txt", big.Text())
	text := big.Text()
	for _, want := range []string{"W⁽¹⁾   12×30", "min ", "mean ", " … ]", "⋮", "δ⁽²⁾ = (a⁽²⁾ − y)/N   16×10"} {
		if !strings.Contains(text, want) {
			t.Errorf("large trace text lacks %q", want)
		}
	}
	if h := big.HTML(); !strings.Contains(h, "bp-sum") || !strings.Contains(h, "<td>…</td>") {
		t.Error("large trace HTML has no summary or excerpt")
	}
}

func TestTraceLayerPanics(t *testing.T) {
	x, labels := TinyExample()
	tr := NewTrace(TinyNet(), x, labels)
	for _, s := range []int{0, 3} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Layer(%d) did not panic", s)
				}
			}()
			tr.Layer(s)
		}()
	}
}

func deepNetSizes(sizes []int) *nn.Network {
	return nn.MustNew(nn.Config{Sizes: sizes, Init: nn.He, Seed: 11})
}
