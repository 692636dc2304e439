package lesson_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/backprop-lab/backprop/lesson"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// describe prints what a notebook would show for charts, instead of their
// HTML: title and size.
func describe(charts ...*lesson.Chart) {
	for _, c := range charts {
		fmt.Printf("%q %d×%d px\n", c.Title, c.Width, c.Height)
	}
}

// tiny returns the trace of the walkthrough's 2-2-2 network.
func tiny() *lesson.Trace {
	x, labels := lesson.TinyExample()
	return lesson.NewTrace(lesson.TinyNet(), x, labels)
}

// A trace exposes every value of the derivation per layer, numbered as in
// the derivation (layer 1 is the first hidden layer).
func ExampleNewTrace() {
	x, labels := lesson.TinyExample()
	tr := lesson.NewTrace(lesson.TinyNet(), x, labels)
	fmt.Printf("E = %.4f over N = %d example(s), h = %d layers\n", tr.Loss, tr.N(), tr.H())
	for _, l := range tr.Layers {
		fmt.Printf("layer %d (%s): v = %.4g, δ = %.4f\n", l.S, l.Act, mat.Row(nil, 0, l.V), mat.Row(nil, 0, l.Delta))
	}
	// Output:
	// E = 0.7981 over N = 1 example(s), h = 2 layers
	// layer 1 (relu): v = [0.2 -0.1], δ = [0.2749 0.0000]
	// layer 2 (softmax): v = [0.06 0.26], δ = [-0.5498 0.5498]
}

func ExampleTrace_Text() {
	text := tiny().Text()
	start := strings.Index(text, "δ⁽¹⁾")
	fmt.Print(text[start : start+strings.Index(text[start:], "∂E/∂W")])
	// Output:
	// δ⁽¹⁾ = φ′(v⁽¹⁾) ⊙ ∂E/∂a⁽¹⁾   1×2
	//   [ 0.2749      0 ]
}

func ExampleTrace_HTML() {
	h := tiny().HTML()
	fmt.Println(strings.Count(h, `<table class="bp-layer">`), "tables,", strings.Count(h, `<table class="bp-mat">`), "matrices")
	// Output:
	// 3 tables, 20 matrices
}

func ExampleTrace_Layer() {
	l := tiny().Layer(1)
	fmt.Println("φ′(v⁽¹⁾) =", mat.Row(nil, 0, l.DPhi), " ReLU′ is 0 where v ≤ 0")
	// Output:
	// φ′(v⁽¹⁾) = [1 0]  ReLU′ is 0 where v ≤ 0
}

func ExampleTrace_Input() {
	tr := tiny()
	fmt.Printf("%.4g %.4g %v\n", mat.Row(nil, 0, tr.Input(1)), mat.Row(nil, 0, tr.Input(2)), tr.Sizes())
	// Output:
	// [1 2] [0.2 0] [2 2 2]
}

// The walkthrough is Markdown + LaTeX with every number substituted.
func ExampleTrace_Walkthrough() {
	md := tiny().Walkthrough()
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, `$$\delta^{(1)}`) {
			fmt.Println(line)
		}
	}
	// Output:
	// $$\delta^{(1)} = \varphi'\big(v^{(1)}\big) \odot \big(W^{(2)\top} \delta^{(2)}\big) = \begin{pmatrix} 1 \cdot 0.2749 \\ 0 \cdot 0.3849 \end{pmatrix} = \begin{pmatrix} 0.2749 \\ 0 \end{pmatrix} \qquad (12)$$
}

func ExampleTinyNet() {
	net := lesson.TinyNet()
	fmt.Println(net.Sizes(), mat.Formatted(net.Dense(1).W, mat.Squeeze()))
	// Output:
	// [2 2 2] ⎡ 0.5  -0.2⎤
	// ⎣-0.3   0.4⎦
}

func ExampleTinyExample() {
	x, labels := lesson.TinyExample()
	fmt.Println(mat.Row(nil, 0, x), labels)
	// Output:
	// [1 2] [0]
}

func ExampleDerivation() {
	for _, s := range lesson.Derivation()[8:13] {
		fmt.Printf("(%d) %-14s %s\n", s.N, s.Key, s.Title)
	}
	// Output:
	// (9) delta          The error signal δ
	// (10) softmax-jacobian Derivative of softmax
	// (11) output-delta   Output delta
	// (12) hidden-delta   Hidden delta (the backward recursion)
	// (13) weight-grad    Weight gradient
}

func ExampleStep() {
	fmt.Print(lesson.Step("bias-grad").Markdown())
	// Output:
	// #### (14) Bias gradient
	//
	// $\partial v^{(s)}_i / \partial b^{(s)}_i = 1$: the bias gradient is $\delta$ itself (the weight of the constant input 1 in (4)).
	//
	// $$\boxed{\frac{\partial E}{\partial b^{(s)}} = \delta^{(s)}} \qquad (14)$$
	//
	// Batch form (one example per row): $\frac{\partial E}{\partial b^{(s)}} = \Delta^{(s)\top} \mathbf{1} \qquad \text{column sums of } \Delta^{(s)} \to n_{\text{out}}$
}

func ExampleRef() {
	fmt.Println("By " + lesson.Ref("hidden-delta") + ", the mask of layer s is applied before W is.")
	// Output:
	// By (12), the mask of layer s is applied before W is.
}

func ExampleDerivationMarkdown() {
	md := lesson.DerivationMarkdown("output-delta")
	fmt.Println(strings.Split(md, "\n")[0])
	fmt.Println(strings.Count(lesson.DerivationMarkdown(), "#### "), "steps in all")
	// Output:
	// #### (11) Output delta
	// 16 steps in all
}

func ExampleLabBugMarkdown() {
	fmt.Println(strings.Split(lesson.LabBugMarkdown(), "\n")[0])
	// Output:
	// #### Case study: the lab's backward bug
}

func ExampleCheckEquation() {
	x, y := 0.1, 0.2 // variables: Go's constant arithmetic would be exact
	a := mat.NewDense(1, 2, []float64{x + y, 1})
	b := mat.NewDense(1, 2, []float64{0.3, 1})
	fmt.Println(lesson.CheckEquation("0.1 + 0.2 = 0.3", a, b, 1e-15))
	fmt.Println(lesson.CheckEquation("0.1 + 0.2 = 0.3 exactly", a, b, 0))
	// Output:
	// ✓ 0.1 + 0.2 = 0.3   (max |error| 5.6e-17 ≤ 1e-15)
	// ✗ 0.1 + 0.2 = 0.3 exactly   (max |error| 5.6e-17 > 0e+00)
}

func ExampleCheckOutputDelta() {
	fmt.Println(lesson.CheckOutputDelta(tiny()))
	// Output:
	// ✓ δ⁽²⁾ = (a⁽²⁾ − y)/N   (max |error| 0 ≤ 1e-12; nn's δ vs the formula)
}

func ExampleCheckHiddenDelta() {
	fmt.Println(lesson.CheckHiddenDelta(tiny(), 1))
	// Output:
	// ✓ δ⁽¹⁾ = φ′(v⁽¹⁾) ⊙ (W⁽²⁾ᵀδ⁽²⁾)   (max |error| 0 ≤ 1e-12; nn's δ vs the formula)
}

func ExampleCheckBiasTrick() {
	fmt.Println(lesson.CheckBiasTrick(tiny(), 1))
	// Output:
	// ✓ [W⁽¹⁾ | b⁽¹⁾]·[a⁽⁰⁾; 1] = W⁽¹⁾a⁽⁰⁾ + b⁽¹⁾ = v⁽¹⁾   (max |error| 0 ≤ 1e-12; vs nn's v)
}

func ExampleCheckWeightGrad() {
	c := lesson.CheckWeightGrad(tiny(), 2)
	fmt.Println(c.OK, c.Name, "—", c.Detail)
	// Output:
	// true ∂E/∂W⁽²⁾ = δ⁽²⁾a⁽¹⁾ᵀ — vs central differences, h = 1e-06
}

func ExampleCheckBiasGrad() {
	c := lesson.CheckBiasGrad(tiny(), 1)
	fmt.Println(c.OK, c.Name)
	// Output:
	// true ∂E/∂b⁽¹⁾ = δ⁽¹⁾
}

// The lab's bug is invisible with one hidden layer and caught with two.
func ExampleLabBugWeightGrad() {
	net := nn.MustNew(nn.Config{Sizes: []int{4, 5, 5, 3}, Init: nn.He, Seed: 1})
	x := mat.NewDense(2, 4, []float64{0.5, -1, 0.25, 1, -0.5, 0.75, 1, -1})
	tr := lesson.NewTrace(net, x, []int{0, 2})
	for s := 1; s <= 3; s++ {
		c := lesson.CheckGrad(fmt.Sprintf("lab's ∂E/∂W⁽%d⁾", s), tr, s, lesson.LabBugWeightGrad(tr, s))
		fmt.Println(c.OK, c.Name)
	}
	// Output:
	// false lab's ∂E/∂W⁽1⁾
	// true lab's ∂E/∂W⁽2⁾
	// true lab's ∂E/∂W⁽3⁾
}

func ExampleCheckGrad() {
	tr := tiny()
	wrong := mat.DenseCopyOf(tr.Layer(1).DW)
	wrong.Set(0, 0, 0) // a student forgot a term
	c := lesson.CheckGrad("student's ∂E/∂W⁽¹⁾", tr, 1, wrong)
	fmt.Printf("%v %.4f\n", c.OK, c.MaxErr)
	// Output:
	// false 0.2749
}

func ExampleCheck_HTML() {
	fmt.Println(lesson.CheckOutputDelta(tiny()).HTML()[:40])
	// Output:
	// <div class="bp-check" style="font:14px m
}

func ExampleLearningCurve() {
	describe(lesson.LearningCurve([]float64{2.3, 1.1, 0.7, 0.5}))
	// Output:
	// "Learning curve: mean cross-entropy per mini-batch" 640×360 px
}

func ExampleTrainingCurves() {
	describe(lesson.TrainingCurves(lesson.Curves{TrainLoss: []float64{0.5, 0.3}, TrainAcc: []float64{0.85, 0.9}}))
	// Output:
	// "Loss and accuracy per epoch" 640×360 px
}

func ExampleActivationCurves() {
	describe(lesson.ActivationCurves(nn.ReLU, nn.Sigmoid))
	// Output:
	// "Activation functions φ (solid) and derivatives φ′ (dashed)" 640×360 px
}

func ExampleHistogram() {
	describe(lesson.Histogram("weights", []float64{-0.2, 0, 0.1, 0.2}, 4))
	// Output:
	// "weights" 320×240 px
}

func ExampleActivationHistograms() {
	describe(lesson.ActivationHistograms(tiny(), 10)...)
	// Output:
	// "a⁽¹⁾ (relu), layer 1" 320×240 px
	// "a⁽²⁾ (softmax), layer 2" 320×240 px
}

func ExampleGradientHistograms() {
	describe(lesson.GradientHistograms(tiny(), 10)...)
	// Output:
	// "∂E/∂W⁽¹⁾, layer 1" 320×240 px
	// "∂E/∂W⁽²⁾, layer 2" 320×240 px
}

func ExampleSoftmaxBars() {
	tr := tiny()
	describe(lesson.SoftmaxBars(mat.Row(nil, 0, tr.Layer(2).A), tr.Labels[0], nil))
	// Output:
	// "Softmax output: predicted 1 (p = 0.550), true 0" 640×280 px
}

func ExampleDigitImage() {
	img := make([]byte, 28*28)
	for i := 4; i < 24; i++ {
		img[i*28+14] = 255 // a "1"
	}
	describe(lesson.DigitImage(img, 28, 28, "label 1"))
	// Output:
	// "label 1" 132×150 px
}

func ExampleDigitImages() {
	imgs := [][]byte{make([]byte, 4), make([]byte, 4)}
	describe(lesson.DigitImages(imgs, 2, 2, []string{"first"})...)
	// Output:
	// "first" 132×150 px
	// "#1" 132×150 px
}

func ExampleMisclassified() {
	imgs := [][]byte{make([]byte, 4), make([]byte, 4), make([]byte, 4)}
	describe(lesson.Misclassified(imgs, 2, 2, []int{3, 5, 8}, []int{3, 6, 8}, nil, 10)...)
	// Output:
	// "#1: 5 → 6" 132×150 px
}

func ExampleWeightImages() {
	net := nn.MustNew(nn.Config{Sizes: []int{784, 16, 10}, Seed: 1})
	describe(lesson.WeightImages(net.Dense(1).W, 28, 28, []int{0, 1})...)
	// Output:
	// "unit 0" 132×150 px
	// "unit 1" 132×150 px
}

func ExampleConfusionMatrix() {
	describe(lesson.ConfusionMatrix([][]int{{8, 2}, {1, 9}}, []string{"cat", "dog"}))
	// Output:
	// "Confusion matrix: accuracy 85.00% (17/20)" 520×480 px
}

func ExampleErrorVsStep() {
	c := lesson.ErrorVsStep(lesson.SweepSeries{Name: "W1", H: []float64{1e-2, 1e-4, 1e-6}, Err: []float64{1e-5, 1e-9, 1e-10}})
	describe(c)
	fmt.Println(strings.Contains(c.Option(), `"type":"log"`))
	// Output:
	// "Gradient check: error vs finite-difference step h" 640×360 px
	// true
}

// A chart's HTML is a div with a fallback message and a script; no library,
// no URL.
func ExampleChart_HTML() {
	h := lesson.LearningCurve([]float64{1, 0.5}).HTML()
	fmt.Println(strings.HasPrefix(h, `<div class="bp-chart"`), strings.Contains(h, "<script"), strings.Contains(h, "http"))
	// Output:
	// true true false
}

func ExampleChart_ID() {
	a, b := lesson.LearningCurve([]float64{1, 0.5}), lesson.LearningCurve([]float64{1, 0.5})
	fmt.Println(a.ID() == b.ID(), a.ID() == lesson.LearningCurve([]float64{1, 0.4}).ID())
	// Output:
	// true false
}

func ExampleChartsHTML() {
	h := lesson.ChartsHTML(lesson.GradientHistograms(tiny(), 5)...)
	fmt.Println(strings.Count(h, `class="bp-chart"`), "charts side by side")
	// Output:
	// 2 charts side by side
}

// ChartsInitHTML needs the fetched library; without it the error says how
// to get it.
func ExampleChartsInitHTML() {
	h, err := lesson.ChartsInitHTML()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(h) > 1e6)
}

// SaveHTML writes a page that works from file://, the library inlined.
func ExampleSaveHTML() {
	x, labels := lesson.TinyExample()
	tr := lesson.NewTrace(lesson.TinyNet(), x, labels)
	if err := lesson.SaveHTML(filepath.Join(os.TempDir(), "histograms.html"), "gradients", lesson.GradientHistograms(tr, 10)...); err != nil {
		fmt.Println(err)
	}
}

// StandaloneHTML returns a whole page, library inlined, for saving or serving.
func ExampleStandaloneHTML() {
	page, err := lesson.StandaloneHTML("activations", lesson.ActivationCurves(nn.ReLU))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.HasPrefix(page, "<!DOCTYPE html>"))
}

// What a live redraw shows: a progress line and the charts so far.
func ExampleLivePlot_HTML() {
	live := lesson.NewLivePlot()
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

	live := lesson.NewLivePlot()
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

// A notebook cell is a few lines; outside GoNB the Display functions print
// nothing.
func ExampleDisplayDerivation() {
	lesson.DisplayDerivation("output-delta", "hidden-delta")
	tr := tiny()
	lesson.DisplayWalkthrough(tr)
	lesson.DisplayTrace(tr)
	lesson.DisplayChecks(lesson.CheckOutputDelta(tr), lesson.CheckHiddenDelta(tr, 1))
	lesson.DisplayCharts(lesson.ActivationCurves(nn.ReLU))
	lesson.DisplayMarkdown(lesson.LabBugMarkdown())
	// Output:
}

// The setup cell of every notebook.
func ExampleDisplayChartsInit() {
	if err := lesson.DisplayChartsInit(); err != nil {
		fmt.Println(err) // names the fetch command
	}
}
