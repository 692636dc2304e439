package lesson

import (
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

func TestCountProducts(t *testing.T) {
	x := mat.NewDense(5, 784, nil)
	labels := []int{0, 1, 2, 3, 4}
	for _, c := range []struct {
		sizes         []int
		forward, back int
	}{
		{[]int{784, 96, 10}, 2, 3},             // backward: 2 per layer, but the first layer needs no ∂E/∂x
		{[]int{784, 96, 96, 96, 96, 10}, 5, 9}, // 2h − 1
	} {
		net := nn.MustNew(nn.Config{Sizes: c.sizes, Seed: 1})
		pc := CountProducts(net, x, labels)
		if len(pc.Forward) != c.forward || len(pc.Backward) != c.back {
			t.Errorf("%v: %d forward and %d backward products, want %d and %d\n%s", c.sizes, len(pc.Forward), len(pc.Backward), c.forward, c.back, pc)
		}
	}
	pc := CountProducts(nn.MustNew(nn.Config{Sizes: []int{784, 96, 10}, Seed: 1}), x, labels)
	if pc.Forward[0] != (Product{M: 5, N: 96, K: 784}) {
		t.Errorf("first product %v, want (5×784)·(784×96)", pc.Forward[0])
	}
	// Forward: 2N(784·96 + 96·10); backward: ∂E/∂W⁽²⁾, ∂E/∂a⁽¹⁾ and ∂E/∂W⁽¹⁾.
	want := (2*784*96.0 + 3*96*10.0) / (784*96.0 + 96*10.0)
	if r := pc.Ratio(); r != want {
		t.Errorf("flop ratio %g, want %g", r, want)
	}
	if !strings.Contains(pc.String(), "(forward + backward) / forward = 2.013") {
		t.Errorf("String:\n%s", pc)
	}
}

func TestParamCount(t *testing.T) {
	if n := ParamCount(nn.MustNew(nn.Config{Sizes: []int{784, 96, 10}})); n != 76330 {
		t.Errorf("784-96-10 has %d parameters, want 784·96 + 96 + 96·10 + 10 = 76330", n)
	}
}

func TestFDGradient(t *testing.T) {
	net := nn.MustNew(nn.Config{Sizes: []int{6, 4, 3}, Seed: 2})
	x := mat.NewDense(3, 6, []float64{0.1, 0.5, -0.3, 0.9, 0.2, -0.7, 1, 0, 0.4, -0.2, 0.6, 0.3, -0.5, 0.8, 0.1, 0, -0.9, 0.4})
	labels := []int{0, 2, 1}
	before := mat.DenseCopyOf(net.Dense(1).W)
	_, evals := fdGradient(net, x, labels, 1e-6)
	if evals != 2*ParamCount(net) {
		t.Errorf("%d loss evaluations, want 2·%d", evals, ParamCount(net))
	}
	if !mat.Equal(before, net.Dense(1).W) {
		t.Error("fdGradient changed the weights")
	}
	if c := checkFDGradient(net, x, labels); !c.OK {
		t.Error(c)
	}
	// With the lab's bug (no ReLU mask in what flows back) the check fails
	// on a deeper net.
	deep := nn.MustNew(nn.Config{Sizes: []int{6, 5, 5, 3}, Init: nn.He, Seed: 2})
	if c := checkFDGradient(WithLabBug(deep), x, labels); c.OK {
		t.Errorf("lab bug not caught: %s", c)
	}
	small := nn.MustNew(nn.Config{Sizes: []int{6, 2, 3}, Seed: 1})
	c, txt := FDVersusBackprop(small, net, x, labels, 3)
	if !c.OK || !strings.Contains(txt, "6-4-3, 43 parameters") || !strings.Contains(txt, "86 loss evaluations") {
		t.Errorf("%s\n%s", c, txt)
	}
}

func TestCheckProducts(t *testing.T) {
	x := mat.NewDense(7, 784, nil)
	labels := make([]int, 7)
	for _, sizes := range [][]int{{784, 96, 10}, {784, 96, 96, 96, 96, 10}} {
		net := nn.MustNew(nn.Config{Sizes: sizes, Seed: 1})
		if c := CheckProducts(CountProducts(net, x, labels), sizes, 7); !c.OK {
			t.Error(c)
		}
		// A prediction for another batch size must fail.
		if c := CheckProducts(CountProducts(net, x, labels), sizes, 8); c.OK {
			t.Errorf("N = 8 prediction passed for N = 7: %s", c)
		}
	}
}
