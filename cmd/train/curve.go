package main

import (
	"bytes"
	"fmt"

	"github.com/backprop-lab/backprop/internal/atomicfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// saveLearningCurve plots the mean cross-entropy of each mini-batch against
// the mini-batch number (the lab's learning_curve.png) and writes it to path
// atomically (temporary file, then rename).
func saveLearningCurve(path string, losses []float64, batchesPerEpoch int) error {
	p := plot.New()
	p.Title.Text = "Learning curve"
	p.X.Label.Text = "mini-batch"
	p.Y.Label.Text = "mean batch cross-entropy"
	pts := make(plotter.XYs, len(losses))
	for i, l := range losses {
		pts[i].X, pts[i].Y = float64(i+1), l
	}
	line, err := plotter.NewLine(pts)
	if err != nil {
		return fmt.Errorf("learning curve: %w", err)
	}
	p.Add(line, plotter.NewGrid())
	if batchesPerEpoch > 0 {
		p.X.Label.Text = fmt.Sprintf("mini-batch (%d per epoch)", batchesPerEpoch)
	}
	wt, err := p.WriterTo(8*vg.Inch, 4.5*vg.Inch, "png")
	if err != nil {
		return fmt.Errorf("learning curve: %w", err)
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return fmt.Errorf("learning curve: %w", err)
	}
	return atomicfile.WriteFile(path, buf.Bytes(), 0o644)
}
