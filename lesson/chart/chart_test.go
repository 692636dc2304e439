package chart

import (
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/lesson/internal/golden"
	"github.com/backprop-lab/backprop/nn"
)

// digit draws a synthetic 28×28 "digit": 0 a ring, 1 a bar, 7 a hook.
func digit(d int) []byte {
	img := make([]byte, 28*28)
	for i := range 28 {
		for j := range 28 {
			var on bool
			switch d {
			case 0:
				r := math.Hypot(float64(i)-13.5, float64(j)-13.5)
				on = r > 6 && r < 10
			case 1:
				on = j >= 12 && j <= 15 && i >= 4 && i <= 23
			default:
				on = (i >= 5 && i <= 7 && j >= 6 && j <= 21) || (j >= 13 && j <= 16 && i > 7 && i <= 23 && j-13 <= (23-i)/4)
			}
			if on {
				img[i*28+j] = byte(128 + 127*((i+j)%2))
			}
		}
	}
	return img
}

// gateGraph is CS231n's f = 2·(x·y + max(z, w)) at (3, −4, 2, −1), with
// its gradients: add distributes, mul swaps, max routes.
func gateGraph() *Chart {
	nodes := []GraphNode{
		{Name: "x", Kind: "input", Value: 3, Grad: -8}, {Name: "y", Kind: "input", Value: -4, Grad: 6},
		{Name: "z", Kind: "input", Value: 2, Grad: 2}, {Name: "w", Kind: "input", Value: -1, Grad: 0},
		{Name: "x·y", Op: "×", Kind: "operation", Value: -12, Grad: 2}, {Name: "max(z,w)", Op: "max", Kind: "operation", Value: 2, Grad: 2},
		{Name: "sum", Op: "+", Kind: "operation", Value: -10, Grad: 2}, {Name: "2", Kind: "constant", Value: 2, Grad: -10},
		{Name: "f", Op: "×", Kind: "output", Value: -20, Grad: 1},
	}
	edges := []GraphEdge{
		{From: 0, To: 4, Value: 3, Grad: -8}, {From: 1, To: 4, Value: -4, Grad: 6},
		{From: 2, To: 5, Value: 2, Grad: 2}, {From: 3, To: 5, Value: -1, Grad: 0},
		{From: 4, To: 6, Value: -12, Grad: 2}, {From: 5, To: 6, Value: 2, Grad: 2},
		{From: 7, To: 8, Value: 2, Grad: -10}, {From: 6, To: 8, Value: -10, Grad: 2},
	}
	return ComputationalGraph("f = 2·(x·y + max(z, w))", nodes, edges)
}

// sampleCharts returns one chart of every kind, from fixed data: the golden
// files and the browser test use them.
func sampleCharts() []struct {
	kind   string
	charts []*Chart
} {
	loss := make([]float64, 120)
	for i := range loss {
		loss[i] = 0.1 + 2.2*math.Exp(-float64(i)/25) + 0.05*math.Sin(float64(i))
	}
	w := mat.NewDense(3, 28*28, nil)
	for u := range 3 {
		for k := range 28 * 28 {
			i, j := k/28, k%28
			w.Set(u, k, math.Sin(float64(i)/(3+float64(u)))*math.Cos(float64(j)/4)/5)
		}
	}
	images := [][]byte{digit(0), digit(1), digit(7), digit(1)}
	hs := []float64{1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9}
	errs := make([]float64, len(hs))
	for i, h := range hs {
		errs[i] = h*h + 1e-16/h
	}
	return []struct {
		kind   string
		charts []*Chart
	}{
		{"learning_curve", []*Chart{LearningCurve(loss)}},
		{"training_curves", []*Chart{TrainingCurves(Curves{
			TrainLoss: []float64{0.9, 0.4, 0.3, 0.25}, TrainAcc: []float64{0.75, 0.88, 0.91, 0.93},
			TestLoss: []float64{0.95, 0.5, 0.4, 0.38}, TestAcc: []float64{0.72, 0.85, 0.88, 0.89}})}},
		{"activations", []*Chart{ActivationCurves(nn.ReLU, nn.Sigmoid, nn.Tanh)}},
		{"histograms", []*Chart{
			Histogram("a⁽¹⁾ (relu), layer 1", []float64{0.2, 0, 0.7, 0, 0, 1.3}, WithBins(8)),
			Histogram("∂E/∂W⁽¹⁾, layer 1", []float64{-0.15, 0.02, 0, 0.31, -0.07, math.NaN()}, WithBins(8))}},
		{"softmax", []*Chart{SoftmaxBars([]float64{0.05, 0.1, 0.7, 0.15}, 3, WithClassNames([]string{"zero", "one", "two", "three"}))}},
		{"weights", WeightImages(w, 28, 28, []int{0, 1, 2})},
		{"digits", DigitImages(Images{Pix: images[:3], Rows: 28, Cols: 28}, WithCaptions([]string{"0", "1", "7"}))},
		{"misclassified", Misclassified(Images{Pix: images, Rows: 28, Cols: 28}, []int{0, 1, 7, 1}, []int{0, 7, 1, 1}, WithLimit(10))},
		{"confusion", []*Chart{ConfusionMatrix([][]int{{50, 2, 1}, {3, 40, 7}, {0, 1, 60}}, WithClassNames([]string{"0", "1", "7"}))}},
		{"gradcheck_sweep", []*Chart{ErrorVsStep(Series{Name: "∂E/∂W⁽¹⁾", X: hs, Y: errs})}},
		{"computational_graph", []*Chart{gateGraph()}},
		{"layer_bars", []*Chart{LayerBars("RMS of ∂E/∂W⁽ˢ⁾", []LayerSeries{
			{Name: "he", Values: []float64{3.6e-3, 4e-3, 4.4e-3, 5.7e-3, 1.6e-2}},
			{Name: "×0.01", Values: []float64{6.7e-8, 1.9e-7, 2e-7, 2.1e-7, 5.4e-7}},
			{Name: "×1", Values: []float64{25, 96, 0, math.NaN(), 506}}})}},
		{"loss_curves", []*Chart{LossCurves("Loss by learning rate", []Series{
			{Name: "η = 0.1", X: []float64{0.25, 0.5, 0.75, 1}, Y: []float64{2.3, 1.1, 0.6, 0.45}},
			{Name: "η = 2 (diverged)", X: []float64{0.25, 0.5}, Y: []float64{2.3, 40}}})}},
		{"lines", []*Chart{Lines("Test loss per epoch", []Series{
			{Name: "η = 0.1", X: []float64{1, 2, 3, 4}, Y: []float64{0.6, 0.35, 0.3, 0.28}},
			{Name: "η = 10", X: []float64{1, 2, 3, 4}, Y: []float64{2.4, math.NaN(), math.Inf(1), 2.3}},
		}, WithAxes("epoch", "E"))}},
	}
}

func TestChartGolden(t *testing.T) {
	for _, kc := range sampleCharts() {
		golden.Check(t, "chart_"+kc.kind+".html", HTML(kc.charts...))
	}
}

// urlPattern finds anything that would make the browser fetch: URLs and
// src/href attributes.
var urlPattern = regexp.MustCompile(`(?i)https?://|\bsrc\s*=|\bhref\s*=|@import|url\(`)

func TestChartHTMLHasNoURLs(t *testing.T) {
	for _, kc := range sampleCharts() {
		h := HTML(kc.charts...)
		if m := urlPattern.FindString(h); m != "" {
			t.Errorf("%s: chart HTML contains %q", kc.kind, m)
		}
		if !strings.Contains(h, "bp-fallback") {
			t.Errorf("%s: no fallback text", kc.kind)
		}
	}
}

func TestChartDeterministicAndDistinct(t *testing.T) {
	a, b := sampleCharts(), sampleCharts()
	ids := map[string]string{}
	for i := range a {
		for j, c := range a[i].charts {
			if c.HTML() != b[i].charts[j].HTML() {
				t.Errorf("%s: chart %d renders differently twice", a[i].kind, j)
			}
			if prev, ok := ids[c.ID()]; ok && a[i].kind != "misclassified" {
				t.Errorf("%s and %s share id %s", prev, a[i].kind, c.ID())
			}
			ids[c.ID()] = a[i].kind
			var opt map[string]any
			// The option is JSON apart from the log axes' label formatter.
			if err := json.Unmarshal([]byte(funcPattern.ReplaceAllString(c.Option(), `"f"`)), &opt); err != nil {
				t.Errorf("%s: option is not JSON: %v", a[i].kind, err)
			}
			if opt["animation"] != false {
				t.Errorf("%s: animation = %v, want false", a[i].kind, opt["animation"])
			}
		}
	}
}

var funcPattern = regexp.MustCompile(`function \(v\) \{[^}]*\}`)

func TestChartEscapesText(t *testing.T) {
	c := Histogram(`</script><b>"x"&`, []float64{1, 2, math.NaN(), math.Inf(1)}, WithBins(2))
	h := c.HTML()
	if strings.Contains(h, "</script><b>") || strings.Contains(h, "<b>") {
		t.Errorf("title not escaped:\n%s", h)
	}
	if !strings.Contains(c.Option(), "2 not finite") {
		t.Errorf("non-finite values not reported: %s", c.Option())
	}
	if o := Histogram("h", []float64{math.NaN()}, WithBins(3)).Option(); !strings.Contains(o, "no finite values, 1 not finite") || strings.Contains(o, "NaN") {
		t.Errorf("histogram of no finite values: %s", o)
	}
	// NaN in a series becomes ECharts' missing value.
	if o := LearningCurve([]float64{1, math.NaN()}).Option(); !strings.Contains(o, `[2,"-"]`) {
		t.Errorf("NaN loss not encoded as missing: %s", o)
	}
}

func TestLearningCurveBuckets(t *testing.T) {
	loss := make([]float64, 5000)
	for i := range loss {
		loss[i] = float64(i % 2) // means of pairs are 0.5
	}
	c := LearningCurve(loss)
	if !strings.Contains(c.Option(), "each point the mean of 3") {
		t.Errorf("subtitle does not say how batches were averaged: %.300s", c.Option())
	}
	xs, ys, per := bucketMeans([]float64{1, 2, 3, 4, 5}, 2)
	if per != 3 || len(xs) != 2 || xs[0] != 2 || ys[0] != 2 || xs[1] != 4.5 || ys[1] != 4.5 {
		t.Errorf("bucketMeans = %v, %v, %d", xs, ys, per)
	}
}

func TestLossCurves(t *testing.T) {
	c := LossCurves("runs", []Series{{Name: "right", Y: []float64{2.3, 1.2, 0.5}}, {Name: "bug", Y: []float64{2.3, 1.1, 0.4}}})
	o := c.Option()
	for _, want := range []string{`"right"`, `"bug"`, "[3,0.5]", "[3,0.4]"} {
		if !strings.Contains(o, want) {
			t.Errorf("option lacks %s: %.400s", want, o)
		}
	}
	long := make([]float64, 3000)
	if o := LossCurves("runs", []Series{{Name: "a", Y: long}}).Option(); !strings.Contains(o, "each point the mean of 2 mini-batches") {
		t.Errorf("subtitle does not say how batches were averaged: %.300s", o)
	}
}

func TestChartPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"digit size":      func() { DigitImage(make([]byte, 10), 28, 28, "") },
		"weights size":    func() { WeightImages(mat.NewDense(2, 10, nil), 28, 28, []int{0}) },
		"confusion shape": func() { ConfusionMatrix([][]int{{1, 2}, {3}}, nil) },
		"sweep lengths":   func() { ErrorVsStep(Series{X: []float64{1}, Y: nil}) },
		"bins":            func() { Histogram("h", []float64{1}, WithBins(0)) },
		"misclassified": func() {
			Misclassified(Images{Pix: [][]byte{digit(0)}, Rows: 28, Cols: 28}, []int{0}, nil, WithLimit(1))
		},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestInitHTML(t *testing.T) {
	const lib = `!function(t,e){"function"==typeof define&&define.amd?define(["exports"],e):e((t="undefined"!=typeof globalThis?globalThis:t||self).echarts={})}(this,function(t){t.version="test"});`
	h, err := initHTML([]byte(lib))
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "init.html", h)
	if !strings.Contains(h, "if (amd) window.define = undefined") || !strings.Contains(h, "if (amd) window.define = amd") {
		t.Error("the loader does not hide and restore define")
	}
	if m := urlPattern.FindString(h); m != "" {
		t.Errorf("init HTML contains %q", m)
	}
	if _, err := initHTML([]byte(`var s = "</script>";`)); err == nil {
		t.Error("a library containing </script> was inlined")
	}
	page, err := standalonePage([]byte(lib), "a <title>", HTML(LearningCurve([]float64{1, 0.5})))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(page, "<!DOCTYPE html>") || !strings.Contains(page, "<title>a &lt;title&gt;</title>") ||
		strings.Index(page, lib) > strings.Index(page, "data-bp-chart") {
		t.Error("standalone page malformed (doctype, title, library before the charts)")
	}
}

// TestInitHTMLMissing checks the error when the library is absent.
func TestInitHTMLMissing(t *testing.T) {
	t.Setenv("BACKPROP_ECHARTS", t.TempDir()+"/missing.js")
	if _, err := InitHTML(); err == nil {
		t.Error("InitHTML without the library succeeded")
	}
	t.Setenv("BACKPROP_ECHARTS", "")
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	_, err := Page("x")
	if err == nil || !strings.Contains(err.Error(), "fetch-echarts") {
		t.Errorf("Page error = %v, want one naming the fetch command", err)
	}
	if err := Save(t.TempDir()+"/x.html", "x"); err == nil {
		t.Error("Save without the library succeeded")
	}
	if err := DisplayInit(); err == nil {
		t.Error("DisplayInit without the library returned no error")
	}
}
