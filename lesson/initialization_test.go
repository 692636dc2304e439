package lesson

import (
	"math"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
)

func TestGaussianInit(t *testing.T) {
	net := nn.MustNew(nn.Config{Sizes: []int{400, 300, 10}, Init: gaussian(0.5), Seed: 1})
	r := rms(net.Dense(1).W)
	// 120 000 draws: the sample RMS of N(0, 0.25) is 0.5 within ~0.5·0.003.
	if math.Abs(r-0.5) > 0.005 {
		t.Errorf("RMS of W drawn from gaussian(0.5) = %g, want 0.5", r)
	}
	if gaussian(0.01).Name != "×0.01" {
		t.Errorf("name %q", gaussian(0.01).Name)
	}
}

// TestInitStudy runs the lesson's comparison on a short, narrower
// configuration and checks the effects the lesson pins on the real one.
func TestInitStudy(t *testing.T) {
	train, test := mnist.Embedded()
	train = train.Subset(1000)
	study := InitStudy{Sizes: []int{784, 48, 48, 48, 10}, Hidden: nn.ReLU, LearningRate: 0.1, BatchSize: 100, Epochs: 1, Seed: 1, Probe: 200}
	runs, err := study.Run(train, test, ComparedInits())
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]InitRun{}
	for _, r := range runs {
		byName[r.Init] = r
		if len(r.Step0.A) != 4 || len(r.Step0.Delta) != 4 || len(r.Step0.DW) != 4 {
			t.Fatalf("%s: want 4 layers of RMS values, got %v", r.Init, r.Step0)
		}
	}
	small, he, big := byName["×0.01"], byName["he"], byName["×1"]
	// ×0.01 shrinks activations layer by layer (each ReLU layer multiplies
	// their scale by about 0.01·√(n/2) ≈ 0.035 for n = 48, a bit more with
	// the input) and the first-layer
	// gradient with them.
	if ratio := he.Step0.DW[0] / small.Step0.DW[0]; ratio < 1e3 {
		t.Errorf("first-layer ∂E/∂W RMS: he %g, ×0.01 %g: ratio %g, want ≥ 1000", he.Step0.DW[0], small.Step0.DW[0], ratio)
	}
	if small.Step0.A[2] > 1e-2*small.Step0.A[0] { // two layers of ≈ 0.05: ≈ 0.0025
		t.Errorf("×0.01: a⁽³⁾ RMS %g not ≪ a⁽¹⁾ RMS %g", small.Step0.A[2], small.Step0.A[0])
	}
	// ×1 grows them: a⁽³⁾ ≫ a⁽¹⁾.
	if big.Step0.A[2] < 10*big.Step0.A[0] {
		t.Errorf("×1: a⁽³⁾ RMS %g not ≫ a⁽¹⁾ RMS %g", big.Step0.A[2], big.Step0.A[0])
	}
	// He keeps them within a factor 2 across the hidden layers.
	if r := he.Step0.A[2] / he.Step0.A[0]; r < 0.5 || r > 2 {
		t.Errorf("he: a⁽³⁾/a⁽¹⁾ RMS = %g, want within [0.5, 2]", r)
	}
	if he.Diverged != nil || len(he.EpochLoss) != 1 || len(he.Epoch1.DW) != 4 || len(he.BatchLoss) != 10 {
		t.Errorf("he run incomplete: %+v", he)
	}
	// The variance rule, on the hidden layers (n_in = 48).
	if c := CheckReLUScaling(he, math.Sqrt(2.0/48), 48); !c.OK {
		t.Error(c)
	}
	if c := CheckReLUScaling(small, 0.01, 48); !c.OK {
		t.Error(c)
	}
	if c := CheckReLUScaling(small, 0.02, 48); c.OK { // a wrong σ fails
		t.Errorf("σ = 0.02 passed for a ×0.01 run: %s", c)
	}
	txt := InitTable(runs) + FirstLayerGap("ReLU", runs, "×0.01", "he")
	for _, want := range []string{"lab U[−0.2,0.2)", "xavier", "orders of magnitude smaller"} {
		if !strings.Contains(txt, want) {
			t.Errorf("summary lacks %q:\n%s", want, txt)
		}
	}
}
