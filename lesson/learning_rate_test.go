package lesson

import (
	"math"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

func TestSweepLearningRates(t *testing.T) {
	train, test := mnist.Embedded()
	train = train.Subset(2000)
	runs, err := RateStudy{Sizes: []int{784, 32, 10}, Epochs: 1, Seed: 1}.SweepLearningRates(train, test, 50, 0.01, 0.5, 50)
	if err != nil {
		t.Fatal(err)
	}
	slow, good, huge := runs[0], runs[1], runs[2]
	if slow.Diverged != nil || good.Diverged != nil {
		t.Fatalf("small rates diverged: %v %v", slow.Diverged, good.Diverged)
	}
	if !(good.EpochLoss[0] < slow.EpochLoss[0]) {
		t.Errorf("epoch loss with η = 0.5 (%g) not below η = 0.01 (%g)", good.EpochLoss[0], slow.EpochLoss[0])
	}
	// η = 50 makes the logits explode within a few steps: the true class's
	// probability underflows to 0 and the loss is +Inf.
	if huge.Diverged == nil {
		t.Fatalf("η = 50 did not diverge: %v", huge.EpochLoss)
	}
	if len(huge.BatchLoss) != huge.Diverged.Batch-1 {
		t.Errorf("diverged at batch %d but %d losses recorded", huge.Diverged.Batch, len(huge.BatchLoss))
	}
	if s := RateTable(runs); !strings.Contains(s, "diverged: nn: training diverged at epoch 1") {
		t.Errorf("table:\n%s", s)
	}
	if len(good.BatchLoss) != 40 {
		t.Errorf("2000 examples in batches of 50: %d losses, want 40", len(good.BatchLoss))
	}
}

func TestRoughness(t *testing.T) {
	if r := roughness([]float64{1, 3, 1, 3}); r != math.Sqrt(2) {
		t.Errorf("roughness of 1,3,1,3 = %g, want √(4/2)", r)
	}
	// jumps 0.2, 0.1, 0.3, 0.1: RMS √(0.15/4) = 0.194, divided by √2: 0.137
	if r := roughness([]float64{2.0, 1.8, 1.9, 1.6, 1.7}); math.Abs(r-0.137) > 5e-4 {
		t.Errorf("roughness = %.4f, want 0.137", r)
	}
	if r := roughness([]float64{1}); !math.IsNaN(r) {
		t.Errorf("roughness of one point = %g, want NaN", r)
	}
}

func TestBatchLossSpread(t *testing.T) {
	train, _ := mnist.Embedded()
	net := nn.MustNew(nn.Config{Sizes: []int{784, 16, 10}, Seed: 1})
	_, s10 := batchLossSpread(net, train, 10, 200, 1)
	_, s1000 := batchLossSpread(net, train, 1000, 200, 1)
	// 1/√N predicts a ratio of 10; 200 samples estimate each std to ±5%.
	if r := s10 / s1000; r < 7 || r > 14 {
		t.Errorf("std at N = 10 / std at N = 1000 = %g, want ≈ 10", r)
	}
	_, again := batchLossSpread(net, train, 10, 200, 1)
	if again != s10 {
		t.Errorf("not deterministic: %g then %g", s10, again)
	}
}

func TestCheckSGDStep(t *testing.T) {
	net := nn.MustNew(nn.Config{Sizes: []int{4, 3, 2}, Seed: 1})
	x := mat.NewDense(3, 4, []float64{1, 0, 0.5, -1, 0.2, 0.3, -0.4, 0.9, 0, 1, 1, 0})
	if c := CheckSGDStep(net, x, []int{0, 1, 1}, 0.3); !c.OK {
		t.Error(c)
	}
}

// TestCheckBowl checks that the bowl check can fail: far from η = 0 the
// network's loss is no bowl, and a check that reaches that far says so.
func TestCheckBowl(t *testing.T) {
	net := nn.MustNew(nn.Config{Sizes: []int{4, 3, 2}, Seed: 1})
	x := mat.NewDense(3, 4, []float64{1, 0, 0.5, -1, 0.2, 0.3, -0.4, 0.9, 0, 1, 1, 0})
	b := MeasureBowl(net, x, []int{0, 1, 1}, 0.05, 0.1, 3)
	if c := CheckBowl(b, 0.1, 0.02); !c.OK {
		t.Errorf("near η = 0: %v", c)
	}
	if b.Lambda <= 0 {
		t.Errorf("curvature along the gradient %g, want > 0 for softmax cross-entropy at small weights", b.Lambda)
	}
	wrong := b
	wrong.Measured = []float64{b.Measured[0], 2 * b.Measured[1], b.Measured[2]}
	if c := CheckBowl(wrong, 0.1, 0.02); c.OK {
		t.Errorf("a measurement twice the prediction passed: %v", c)
	}
}

// TestGradSpread checks that the measured gradient noise shrinks with the
// batch size like 1/√N, within the sampling error of 60 batches, and is
// exactly 0 when every batch is the whole data set.
func TestGradSpread(t *testing.T) {
	train, _ := mnist.Embedded()
	net := nn.MustNew(nn.Config{Sizes: []int{784, 16, 10}, Seed: 1})
	s10 := gradSpread(net, train, 10, 60, 1)
	s100 := gradSpread(net, train, 100, 60, 1)
	// √10 ≈ 3.16; with 60 batches each spread is known to ±10%.
	if r := s10 / s100; r < 2.5 || r > 4 {
		t.Errorf("gradient spread ratio N = 10 over N = 100 = %.2f, want ≈ √10", r)
	}
	small := nn.Examples{X: mat.NewDense(3, 2, []float64{1, 0, 0, 1, 1, 1}), Labels: []int{0, 1, 0}}
	tiny := nn.MustNew(nn.Config{Sizes: []int{2, 3, 2}, Seed: 1})
	if s := gradSpread(tiny, small, 3, 5, 1); s > 1e-12 {
		t.Errorf("batches of the whole data set: gradient spread %g, want 0", s)
	}
}
