package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

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
	return writeAtomic(path, buf.Bytes())
}

// writeAtomic writes data to a temporary file next to path and renames it
// into place, so path never holds a partial file.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
