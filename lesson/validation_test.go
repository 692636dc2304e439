package lesson

import (
	"math"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
)

func TestHoldOut(t *testing.T) {
	train, _ := mnist.Embedded()
	data := train.Subset(100)
	fit, val := HoldOut(data, 30)
	if fit.Len() != 70 || val.Len() != 30 || val.Dim() != 784 {
		t.Fatalf("fit %d, val %d (dim %d); want 70, 30 (784)", fit.Len(), val.Len(), val.Dim())
	}
	// Validation example 0 is example 70 of data; fit example 69 is 69.
	for _, c := range []struct {
		part nn.Data
		i    int
		want int
	}{{val, 0, 70}, {val, 29, 99}, {fit, 0, 0}, {fit, 69, 69}} {
		x, l := make([]float64, 784), make([]int, 1)
		wx, wl := make([]float64, 784), make([]int, 1)
		c.part.Batch(x, l, []int{c.i})
		data.Batch(wx, wl, []int{c.want})
		if l[0] != wl[0] || !equalFloats(x, wx) {
			t.Errorf("example %d of a part is not example %d of the data", c.i, c.want)
		}
	}
	for _, n := range []int{0, 100, -1} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "HoldOut") {
					t.Errorf("HoldOut(%d) of 100: recovered %v, want a panic naming HoldOut", n, r)
				}
			}()
			HoldOut(data, n)
		}()
	}
}

func equalFloats(a, b []float64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// TestSelection: the choice is the best validation accuracy of the grid,
// its network is the snapshot of that epoch (its validation accuracy
// re-measures to the recorded value), and a diverging η is kept, not fatal.
func TestSelection(t *testing.T) {
	train, _ := mnist.Embedded()
	fit, val := HoldOut(train.Subset(1200), 200)
	sel := Selection{Net: nn.Config{Sizes: []int{784, 16, 10}, Hidden: nn.ReLU, Init: nn.He, Seed: 3},
		Etas: []float64{0.05, 0.5, 1e4}, Epochs: 3, BatchSize: 50, Seed: 3}
	cands, ch, err := sel.Run(fit, val)
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != 3 || len(cands[0].ValAcc) != 3 || len(cands[1].ValLoss) != 3 {
		t.Fatalf("candidates %+v, want 3 with 3 epochs each for the finite ηs", cands)
	}
	if cands[2].Diverged == nil {
		t.Errorf("η = 1e4: %+v, want diverged", cands[2])
	}
	best := 0.0
	for _, c := range cands {
		for _, a := range c.ValAcc {
			best = math.Max(best, a)
		}
	}
	if ch.ValAcc != best {
		t.Errorf("chose validation accuracy %g, best of the grid is %g", ch.ValAcc, best)
	}
	if _, acc := ch.Net.Evaluate(val); acc != ch.ValAcc {
		t.Errorf("the chosen network re-measures %g on validation, recorded %g: not the snapshot", acc, ch.ValAcc)
	}
	tab := SelectionTable(cands, ch)
	if !strings.Contains(tab, "chosen on the validation set: η = ") || !strings.Contains(tab, "diverged") {
		t.Errorf("table:\n%s", tab)
	}
	if charts := SelectionCharts(cands); len(charts) != 2 {
		t.Errorf("%d charts, want 2", len(charts))
	}
}
