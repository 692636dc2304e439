package chart_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/lesson/chart"
	"github.com/backprop-lab/backprop/nn"
)

// describe prints what a notebook would show for charts, instead of their
// HTML: title and size.
func describe(charts ...*chart.Chart) {
	for _, c := range charts {
		fmt.Printf("%q %d×%d px\n", c.Title, c.Width, c.Height)
	}
}

func ExampleLearningCurve() {
	describe(chart.LearningCurve([]float64{2.3, 1.1, 0.7, 0.5}))
	// Output:
	// "Learning curve: mean cross-entropy per mini-batch" 640×360 px
}

func ExampleTrainingCurves() {
	describe(chart.TrainingCurves(chart.Curves{TrainLoss: []float64{0.5, 0.3}, TrainAcc: []float64{0.85, 0.9}}))
	// Output:
	// "Loss and accuracy per epoch" 640×360 px
}

func ExampleActivationCurves() {
	describe(chart.ActivationCurves(nn.ReLU, nn.Sigmoid))
	// Output:
	// "Activation functions φ (solid) and derivatives φ′ (dashed)" 640×360 px
}

func ExampleHistogram() {
	describe(chart.Histogram("weights", []float64{-0.2, 0, 0.1, 0.2}, chart.WithBins(4)))
	// Output:
	// "weights" 320×240 px
}

func ExampleSoftmaxBars() {
	describe(chart.SoftmaxBars([]float64{0.45, 0.55}, 0))
	describe(chart.SoftmaxBars([]float64{0.1, 0.9}, 1, chart.WithClassNames([]string{"cat", "dog"})))
	// Output:
	// "Softmax output: predicted 1 (p = 0.550), true 0" 640×280 px
	// "Softmax output: predicted dog (p = 0.900), true dog" 640×280 px
}

func ExampleDigitImage() {
	img := make([]byte, 28*28)
	for i := 4; i < 24; i++ {
		img[i*28+14] = 255 // a "1"
	}
	describe(chart.DigitImage(img, 28, 28, "label 1"))
	// Output:
	// "label 1" 132×150 px
}

func ExampleDigitImages() {
	imgs := chart.Images{Pix: [][]byte{make([]byte, 4), make([]byte, 4)}, Rows: 2, Cols: 2}
	describe(chart.DigitImages(imgs, chart.WithCaptions([]string{"first"}))...)
	// Output:
	// "first" 132×150 px
	// "#1" 132×150 px
}

func ExampleMisclassified() {
	imgs := chart.Images{Pix: [][]byte{make([]byte, 4), make([]byte, 4), make([]byte, 4)}, Rows: 2, Cols: 2}
	describe(chart.Misclassified(imgs, []int{3, 5, 8}, []int{3, 6, 8}, chart.WithLimit(10))...)
	// Output:
	// "#1: 5 → 6" 132×150 px
}

func ExampleWeightImages() {
	net := nn.MustNew(nn.Config{Sizes: []int{784, 16, 10}, Seed: 1})
	describe(chart.WeightImages(net.Dense(1).W, 28, 28, []int{0, 1})...)
	// Output:
	// "unit 0" 132×150 px
	// "unit 1" 132×150 px
}

func ExampleConfusionMatrix() {
	describe(chart.ConfusionMatrix([][]int{{8, 2}, {1, 9}}, chart.WithClassNames([]string{"cat", "dog"})))
	// Output:
	// "Confusion matrix: accuracy 85.00% (17/20)" 520×480 px
}

// Curves against a shared axis: here the test loss per epoch for two
// learning rates; a NaN loss (a diverged run) is a gap.
func ExampleLines() {
	epochs := []float64{1, 2, 3}
	c := chart.Lines("Test loss per epoch", []chart.Series{
		{Name: "η = 0.1", X: epochs, Y: []float64{0.6, 0.35, 0.3}},
		{Name: "η = 10", X: epochs, Y: []float64{2.4, math.NaN(), 2.3}},
	}, chart.WithAxes("epoch", "E"), chart.WithSize(480, 300))
	describe(c)
	fmt.Println(strings.Contains(c.Option(), `[2,"-"]`))
	// Output:
	// "Test loss per epoch" 480×300 px
	// true
}

func ExampleErrorVsStep() {
	c := chart.ErrorVsStep(chart.Series{Name: "W1", X: []float64{1e-2, 1e-4, 1e-6}, Y: []float64{1e-5, 1e-9, 1e-10}})
	describe(c)
	fmt.Println(strings.Contains(c.Option(), `"type":"log"`))
	// Output:
	// "Gradient check: error vs finite-difference step h" 640×360 px
	// true
}

// A chart's HTML is a div with a fallback message and a script; no library,
// no URL.
func ExampleChart_HTML() {
	h := chart.LearningCurve([]float64{1, 0.5}).HTML()
	fmt.Println(strings.HasPrefix(h, `<div class="bp-chart"`), strings.Contains(h, "<script"), strings.Contains(h, "http"))
	// Output:
	// true true false
}

func ExampleChart_ID() {
	a, b := chart.LearningCurve([]float64{1, 0.5}), chart.LearningCurve([]float64{1, 0.5})
	fmt.Println(a.ID() == b.ID(), a.ID() == chart.LearningCurve([]float64{1, 0.4}).ID())
	// Output:
	// true false
}

func ExampleHTML() {
	h := chart.HTML(chart.Histogram("a", []float64{1, 2}), chart.Histogram("b", []float64{3, 4}))
	fmt.Println(strings.Count(h, `class="bp-chart"`), "charts in a flex row")
	// Output:
	// 2 charts in a flex row
}

// InitHTML needs the fetched library; without it the error says how
// to get it.
func ExampleInitHTML() {
	h, err := chart.InitHTML()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(h) > 1e6)
}

// Save writes a page that works from file://, the library inlined.
func ExampleSave() {
	if err := chart.Save(filepath.Join(os.TempDir(), "curve.html"), "learning curve", chart.LearningCurve([]float64{2.3, 1.1, 0.7})); err != nil {
		fmt.Println(err)
	}
}

// Page returns a whole page, library inlined, for saving or serving.
func ExamplePage() {
	page, err := chart.Page("activations", chart.ActivationCurves(nn.ReLU))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.HasPrefix(page, "<!DOCTYPE html>"))
}

// What a live redraw shows: a progress line and the charts so far.
func ExampleLivePlot_HTML() {
	live := chart.NewLivePlot()
	live.OnBatch(nn.Step{Epoch: 1, Epochs: 5, Batch: 3, Batches: 300, Loss: 1.25})
	h := live.HTML()
	fmt.Println(h[strings.Index(h, "epoch"):strings.Index(h, "</div>")])
	// Output:
	// epoch 1/5 · batch 3/300 · batch loss 1.25
}

// Outside a notebook a LivePlot only records; in GoNB it redraws a
// transient output while training and Done shows the final charts.
func ExampleNewLivePlot() {
	x := mat.NewDense(4, 2, []float64{1, 1, 1, -1, -1, 1, -1, -1})
	data := nn.Examples{X: x, Labels: []int{0, 1, 1, 0}}
	net := nn.MustNew(nn.Config{Sizes: []int{2, 8, 2}, Init: nn.He, Seed: 7})

	live := chart.NewLivePlot()
	live.Test = func() (float64, float64) { return net.Evaluate(data) }
	sgd := nn.SGD{LearningRate: 0.5, BatchSize: 2, Epochs: 20, Seed: 1, OnBatch: live.OnBatch, OnEpoch: live.OnEpoch}
	if err := sgd.Train(net, data); err != nil {
		fmt.Println(err)
	}
	live.Done()
	fmt.Println(len(live.BatchLoss), "batch losses,", len(live.Curves.TestAcc), "epochs, final test accuracy", live.Curves.TestAcc[19])
	describe(live.Charts()...)
	// Output:
	// 40 batch losses, 20 epochs, final test accuracy 1
	// "Learning curve: mean cross-entropy per mini-batch" 640×360 px
	// "Loss and accuracy per epoch" 640×360 px
}

// The setup cell of every notebook.
func ExampleDisplayInit() {
	if err := chart.DisplayInit(); err != nil {
		fmt.Println(err) // names the fetch command
	}
}
