package lesson

import (
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

func TestScalarGraphMatchesNN(t *testing.T) {
	x, labels := TinyExample()
	for _, w11 := range []float64{0.5, -0.3, 0.9} { // the notebook's "change one weight"
		net := TinyNet()
		net.Dense(1).W.Set(1, 0, w11)
		g := ScalarGraph(net, x, labels)
		tr := NewTrace(net, x, labels)
		for _, c := range append(CheckGraphGrads(g, tr), CheckBP(g)...) {
			if !c.OK {
				t.Errorf("W⁽¹⁾₂₁ = %g: %s", w11, c)
			}
		}
	}
	// A deeper ReLU net: BP2 is applied twice.
	deep := nn.MustNew(nn.Config{Sizes: []int{3, 4, 4, 3}, Init: nn.He, Seed: 5})
	xd := mat.NewDense(1, 3, []float64{0.5, -1, 2})
	g := ScalarGraph(deep, xd, []int{1})
	checks := append(CheckGraphGrads(g, NewTrace(deep, xd, []int{1})), CheckBP(g)...)
	if len(checks) != 1+3*3+1+2+2*3 {
		t.Errorf("got %d checks for a 3-layer net, want 19", len(checks))
	}
	for _, c := range checks {
		if !c.OK {
			t.Error(c)
		}
	}
}

// The checks must be able to fail: a wrong gradient in one node is caught.
func TestGraphChecksCanFail(t *testing.T) {
	x, labels := TinyExample()
	net := TinyNet()
	g := ScalarGraph(net, x, labels)
	g.Layers[0].W[0][1].Grad += 1e-6
	g.Layers[1].B[0].Grad += 1e-6
	var failed []string
	for _, c := range append(CheckGraphGrads(g, NewTrace(net, x, labels)), CheckBP(g)...) {
		if !c.OK {
			failed = append(failed, c.Name)
		}
	}
	want := []string{"∂E/∂b⁽²⁾ (graph) = ∂E/∂b⁽²⁾ (nn)", "∂E/∂W⁽¹⁾ (graph) = ∂E/∂W⁽¹⁾ (nn)", "BP3 ∂E/∂b⁽²⁾ = δ⁽²⁾", "BP4 ∂E/∂W⁽¹⁾ = δ⁽¹⁾ a⁽⁰⁾ᵀ"}
	if strings.Join(failed, "|") != strings.Join(want, "|") {
		t.Errorf("failed checks %q, want %q", failed, want)
	}
}

func TestGateExample(t *testing.T) {
	f, x, y, z, w := GateExample()
	if f.Data != -20 || x.Grad != -8 || y.Grad != 6 || z.Grad != 2 || w.Grad != 0 {
		t.Errorf("f = %g, grads %g %g %g %g; want −20 and −8 6 2 0", f.Data, x.Grad, y.Grad, z.Grad, w.Grad)
	}
	if c := CheckGateFD(); !c.OK {
		t.Error(c)
	}
	txt := GraphText(f)
	for _, want := range []string{"max(z,w)", "f          ×       -20.0000     1.0000"} {
		if !strings.Contains(txt, want) {
			t.Errorf("GraphText lacks %q:\n%s", want, txt)
		}
	}
}

func TestScalarGraphPanics(t *testing.T) {
	xb, lb := TinyBatch()
	for name, f := range map[string]func(){
		"batch": func() { ScalarGraph(TinyNet(), xb, lb) },
		"sigmoid": func() {
			ScalarGraph(nn.MustNew(nn.Config{Sizes: []int{2, 2, 2}, Hidden: nn.Sigmoid}), xb.Slice(0, 1, 0, 2).(*mat.Dense), lb[:1])
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "ScalarGraph") {
					t.Errorf("want a panic naming ScalarGraph, got %v", r)
				}
			}()
			f()
		})
	}
}
