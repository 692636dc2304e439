package lesson

import (
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
)

// labBugGrad returns ∂E/∂W⁽ˢ⁾ as a copy of net WithLabBug computes it on
// the batch x.
func labBugGrad(net *nn.Network, x *mat.Dense, labels []int, s int) *mat.Dense {
	bad := WithLabBug(net.Clone())
	bad.LossAndGrad(x, labels)
	return bad.Params()[2*(s-1)].Grad // W⁽¹⁾, b⁽¹⁾, W⁽²⁾, …
}

// TestLabBug reproduces the lab's bug: with one hidden layer its gradients
// are right; with three, the layers below the last hidden one are wrong by
// about 100% and the finite-difference check catches it.
func TestLabBug(t *testing.T) {
	x, labels := TinyExample()
	tiny := NewTrace(TinyNet(), x, labels)
	for s := 1; s <= 2; s++ {
		if c := CheckGrad("lab", tiny, s, labBugGrad(TinyNet(), x, labels, s)); !c.OK {
			t.Errorf("one hidden layer: the lab's gradient of layer %d should be right: %v", s, c)
		}
	}

	net, xb, lb := deepNet()
	tr := NewTrace(net, xb, lb)
	for s := 1; s <= tr.H(); s++ {
		bug := labBugGrad(net, xb, lb, s)
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
	if c := CheckGrad("lab", tr, 1, labBugGrad(net, x, labels, 1)); c.OK {
		t.Errorf("the lab's ∂E/∂W⁽¹⁾ passed: %v", c)
	}
}

// With one hidden layer the lab's bug changes nothing; with two it changes
// exactly W1 and b1.
func TestWithLabBugGradients(t *testing.T) {
	x, labels := randomBatch(3, 5, 6, 3)
	for _, tc := range []struct {
		sizes []int
		same  map[string]bool
	}{
		{[]int{6, 5, 3}, map[string]bool{"W1": true, "b1": true, "W2": true, "b2": true}},
		{[]int{6, 5, 4, 3}, map[string]bool{"W1": false, "b1": false, "W2": true, "b2": true, "W3": true, "b3": true}},
	} {
		cfg := nn.Config{Sizes: tc.sizes, Init: nn.Uniform(0.8), Seed: 4}
		good, bad := nn.MustNew(cfg), WithLabBug(nn.MustNew(cfg))
		good.LossAndGrad(x, labels)
		bad.LossAndGrad(x, labels)
		for i, p := range good.Params() {
			q := bad.Params()[i]
			if same := mat.Equal(p.Grad, q.Grad); same != tc.same[p.Name] {
				t.Errorf("%v: %s gradients equal = %v, want %v", tc.sizes, p.Name, same, tc.same[p.Name])
			}
		}
	}
}
