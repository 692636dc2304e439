package chart

import (
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/nn"
)

// fakeLive returns a LivePlot wired to a fake notebook and clock.
func fakeLive() (p *LivePlot, clock *time.Time, updates *[]string, shown *[]string) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock = &t0
	updates, shown = new([]string), new([]string)
	p = &LivePlot{Every: 250 * time.Millisecond, id: "live1",
		now:    func() time.Time { return *clock },
		update: func(id, html string) { *updates = append(*updates, id+":"+html) },
		show:   func(html string) { *shown = append(*shown, html) },
	}
	return p, clock, updates, shown
}

func TestLivePlotThrottles(t *testing.T) {
	p, clock, updates, shown := fakeLive()
	p.Test = func() (float64, float64) { return 0.5, 0.8 }
	// 2 epochs of 10 batches, 100 ms apart: at most one redraw per 250 ms.
	for e := 1; e <= 2; e++ {
		for b := 1; b <= 10; b++ {
			*clock = clock.Add(100 * time.Millisecond)
			p.OnBatch(nn.Step{Epoch: e, Epochs: 2, Batch: b, Batches: 10, Loss: 1 / float64(b)})
		}
		p.OnEpoch(nn.Epoch{Epoch: e, Epochs: 2, Loss: 0.4, Accuracy: 0.9})
	}
	// Batches at t = 0.1, 0.2, … 2.0 s redraw at 0.1, 0.4, 0.7, 1.0, … (7
	// times); epoch 1 ends at 1.0 s (throttled), epoch 2 is the last (forced).
	if n := len(*updates); n != 8 {
		t.Errorf("%d redraws, want 8", n)
	}
	last := (*updates)[len(*updates)-1]
	if !strings.HasPrefix(last, "live1:") || !strings.Contains(last, "epoch 2/2 · batch 10/10") || !strings.Contains(last, `"live1/1"`) {
		t.Errorf("last redraw: %.300s", last)
	}
	if len(p.BatchLoss) != 20 || len(p.Curves.TrainAcc) != 2 || len(p.Curves.TestAcc) != 2 || p.Curves.TestLoss[1] != 0.5 {
		t.Errorf("recorded %d losses, curves %+v", len(p.BatchLoss), p.Curves)
	}
	p.Done()
	if got := (*updates)[len(*updates)-1]; got != "live1:" {
		t.Errorf("Done did not clear the transient output: %.100s", got)
	}
	if len(*shown) != 1 || strings.Contains((*shown)[0], "live1/") || strings.Count((*shown)[0], `class="bp-chart"`) != 2 {
		t.Errorf("Done should show the two final charts without slots: %v", len(*shown))
	}
}

// TestLivePlotWithSGD runs it as nn.SGD's callbacks outside a notebook: it
// records and displays nothing.
func TestLivePlotWithSGD(t *testing.T) {
	p := NewLivePlot()
	if p.update != nil {
		t.Skip("running inside GoNB")
	}
	x := mat.NewDense(4, 2, []float64{1, 1, 1, -1, -1, 1, -1, -1})
	net := nn.MustNew(nn.Config{Sizes: []int{2, 4, 2}, Seed: 1})
	sgd := nn.SGD{LearningRate: 0.1, BatchSize: 2, Epochs: 3, OnBatch: p.OnBatch, OnEpoch: p.OnEpoch}
	if err := sgd.Train(net, nn.Examples{X: x, Labels: []int{0, 1, 1, 0}}); err != nil {
		t.Fatal(err)
	}
	p.Done()
	if len(p.BatchLoss) != 6 || len(p.Curves.TrainLoss) != 3 || len(p.Charts()) != 2 {
		t.Errorf("recorded %d batch losses, %d epochs, %d charts", len(p.BatchLoss), len(p.Curves.TrainLoss), len(p.Charts()))
	}
}
