package gradcheck

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/nn"
	"github.com/backprop-lab/backprop/nn/nntest"
	"gonum.org/v1/gonum/mat"
)

// TestNonFiniteLossIsACheckError: weights of ±1e3 make the logits ≈ 1e6,
// the softmax of the right class 0 and the cross-entropy +Inf. The check
// cannot run there: that is said, as an error of the check, and no tensor
// is blamed.
func TestNonFiniteLossIsACheckError(t *testing.T) {
	net := randomNet(50, nn.ReLU, 6, 5, 3)
	for s := range net.Layers {
		net.Dense(s+1).W.Scale(2e3, net.Dense(s+1).W)
	}
	x, labels := nntest.RandomBatch(51, 4, 6, 3)
	r := CheckNetwork(net, x, labels, nil)
	if !math.IsInf(r.Loss, 1) {
		t.Fatalf("loss %g, want +Inf for this case", r.Loss)
	}
	if r.CheckError == nil || !errors.Is(r.CheckError, ErrLossNotFinite) || r.OK() || r.Status() != StatusNotRun {
		t.Fatalf("CheckError %v, OK %v, Status %v", r.CheckError, r.OK(), r.Status())
	}
	for _, tr := range r.Tensors {
		if tr.Status != StatusNotRun || tr.Failed != 0 || tr.Diagnosis != nil {
			t.Errorf("%s blamed: %+v", tr.Name, tr)
		}
	}
	txt := r.String()
	if !strings.Contains(txt, "CHECK NOT RUN") || !strings.Contains(txt, "not finite") || strings.Contains(txt, "is wrong") {
		t.Errorf("text:\n%s", txt)
	}
	tb := &fakeTB{}
	if Assert(tb, r) || len(tb.errors) != 1 || !strings.Contains(tb.errors[0], "check not run") {
		t.Errorf("Assert: %v", tb.errors)
	}
}

// scratchReLU is a from-scratch ReLU layer with nn.Dense's numbers: it has
// no V(), Activation(), ForwardPerturbed or CloneLayer.
type scratchReLU struct{ d *nn.Dense }

func (s scratchReLU) Forward(x *mat.Dense) *mat.Dense  { return s.d.Forward(x) }
func (s scratchReLU) Backward(g *mat.Dense) *mat.Dense { return s.d.Backward(g) }
func (s scratchReLU) Params() []nn.Param               { return s.d.Params() }

// TestKinksDoNotDependOnTheLayerType checks the same numbers at exact kinks
// (zero weights: every unit at v = 0; zero bias and an all-zero example)
// as an nn.Dense and as a layer gradcheck knows nothing about: the verdicts
// are the same, element by element, and none is "wrong".
func TestKinksDoNotDependOnTheLayerType(t *testing.T) {
	for _, name := range []string{"zero weights", "zero bias, a zero example", "random"} {
		d := nn.NewDense(6, 5, nn.ReLU)
		x, _ := nntest.RandomBatch(52, 4, 6, 1)
		switch name {
		case "zero bias, a zero example":
			w, _ := nntest.RandomBatch(53, 5, 6, 1)
			d.W.Copy(w)
			for j := range 6 {
				x.Set(1, j, 0)
			}
		case "random":
			randomBiases(&nn.Network{Layers: []nn.Layer{d}}, 54)
			w, _ := nntest.RandomBatch(55, 5, 6, 1)
			d.W.Copy(w)
		}
		for _, m := range []Mode{Auto, Directional} {
			a := CheckLayer(d, x, &Options{Mode: m})
			b := CheckLayer(scratchReLU{d}, x, &Options{Mode: m})
			for i := range a.Tensors {
				ra, rb := a.results[i], b.results[i]
				for k := range ra {
					if k < len(rb) && ra[k].Status != rb[k].Status {
						t.Errorf("%s %s: %s%v: nn.Dense %s, from scratch %s", name, m, a.Tensors[i].Name, [2]int{ra[k].Row, ra[k].Col}, ra[k].Status, rb[k].Status)
					}
				}
			}
			if !a.OK() || !b.OK() {
				t.Errorf("%s %s: false alarm\n%s\n%s", name, m, a, b)
			}
			k := 0
			for _, tr := range b.Tensors {
				k += tr.KinkSkipped
			}
			if name == "zero weights" && len(b.Undecided()) == 0 {
				t.Errorf("zero weights: no tensor undecidable:\n%s", b)
			}
			t.Logf("%s, %s: %s; %d elements undecidable at kinks", name, m, b.Summary(), k)
		}
	}
}
