package lesson

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/backprop-lab/backprop/nn"
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"gonum.org/v1/gonum/mat"
)

// Chart sizes in CSS pixels.
const (
	chartW, chartH = 640, 360 // line and bar charts
	smallW, smallH = 320, 240 // histograms
	imageW, imageH = 132, 150 // one image (28×28 cells of 4 px plus a caption)
)

// Colours: the series palette, and the scales of the image-like heatmaps.
var (
	palette    = []string{"#5470c6", "#ee6666", "#91cc75", "#fac858", "#73c0de", "#9a60b4"}
	inkScale   = []string{"#ffffff", "#000000"}            // pixel 0 → white, 255 → black
	signScale  = []string{"#2166ac", "#f7f7f7", "#b2182b"} // negative blue, 0 white, positive red
	countScale = []string{"#ffffff", "#08519c"}
)

// common are the global options every chart shares: a title, no
// animation (live plots redraw often; screenshots are taken at once), and
// axis tooltips.
func common(title, subtitle string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithTitleOpts(opts.Title{Title: title, Subtitle: subtitle, TitleStyle: &opts.TextStyle{FontSize: 14}}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithColorsOpts(opts.Colors(palette)),
	}
}

// finite turns NaN and ±Inf into ECharts' missing value "-" (JSON has no NaN).
func finite(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	return x
}

// xyLine returns line data [x, y] for a value x axis.
func xyLine(xs, ys []float64) []opts.LineData {
	d := make([]opts.LineData, len(ys))
	for i := range ys {
		d[i] = opts.LineData{Value: []any{xs[i], finite(ys[i])}}
	}
	return d
}

// maxLinePoints bounds the points of a learning curve; longer series are
// averaged over equal buckets (the shape is what matters).
const maxLinePoints = 2000

// bucketMeans averages ys over consecutive buckets so that at most limit
// points remain, returning the mean x (1-based index) and y of each bucket.
func bucketMeans(ys []float64, limit int) (xs, means []float64, per int) {
	per = max(1, (len(ys)+limit-1)/limit)
	for lo := 0; lo < len(ys); lo += per {
		hi := min(lo+per, len(ys))
		var s float64
		for _, y := range ys[lo:hi] {
			s += y
		}
		xs = append(xs, float64(lo+hi+1)/2)
		means = append(means, s/float64(hi-lo))
	}
	return xs, means, per
}

// LearningCurve plots the loss of every mini-batch, in order: the lab's
// learning curve (its -c option). Long runs are averaged over buckets of
// consecutive batches (at most 2000 points), as the subtitle says.
func LearningCurve(batchLoss []float64) *Chart {
	return learningCurve(batchLoss, maxLinePoints)
}

func learningCurve(batchLoss []float64, points int) *Chart {
	xs, ys, per := bucketMeans(batchLoss, points)
	sub := fmt.Sprintf("%d mini-batches", len(batchLoss))
	if per > 1 {
		sub += fmt.Sprintf(", each point the mean of %d", per)
	}
	title := "Learning curve: mean cross-entropy per mini-batch"
	l := charts.NewLine()
	l.SetGlobalOptions(common(title, sub)...)
	l.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "mini-batch", NameLocation: "middle", NameGap: 25, Min: 0}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "E", Min: 0}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	l.AddSeries("batch loss", xyLine(xs, ys), charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}))
	return newChart(title, chartW, chartH, l)
}

// LossCurves overlays the mini-batch losses of several runs (names[i]
// labels losses[i]), averaged over buckets like LearningCurve, for
// comparing runs on the same batches.
func LossCurves(title string, names []string, losses ...[]float64) *Chart {
	if len(names) != len(losses) {
		panic(fmt.Sprintf("lesson: LossCurves: %d names for %d series", len(names), len(losses)))
	}
	l := charts.NewLine()
	sub := ""
	for i, ys := range losses {
		xs, means, per := bucketMeans(ys, maxLinePoints)
		if i == 0 && per > 1 {
			sub = fmt.Sprintf("each point the mean of %d mini-batches", per)
		}
		l.AddSeries(names[i], xyLine(xs, means), charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}))
	}
	l.SetGlobalOptions(common(title, sub)...)
	l.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "mini-batch", NameLocation: "middle", NameGap: 25, Min: 0}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "E", Min: 0}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}),
		charts.WithGridOpts(opts.Grid{Bottom: "70"}),
	)
	return newChart(title, chartW, chartH, l)
}

// Curves are per-epoch training measurements; any may be empty.
type Curves struct {
	TrainLoss, TrainAcc []float64 // nn.Epoch.Loss and .Accuracy
	TestLoss, TestAcc   []float64 // from nn.Network.Evaluate on held-out data
}

// TrainingCurves plots loss (left axis) and accuracy (right axis, 0–1) per
// epoch. Empty series are left out.
func TrainingCurves(c Curves) *Chart {
	title := "Loss and accuracy per epoch"
	l := charts.NewLine()
	l.SetGlobalOptions(common(title, "")...)
	l.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "epoch", NameLocation: "middle", NameGap: 25, Min: 1, MinInterval: 1}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "loss", Min: 0}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}),
		charts.WithGridOpts(opts.Grid{Bottom: "70"}),
	)
	l.ExtendYAxis(opts.YAxis{Type: "value", Name: "accuracy", Min: 0, Max: 1, Position: "right", SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	add := func(name string, ys []float64, axis int, dashed bool) {
		if len(ys) == 0 {
			return
		}
		xs := make([]float64, len(ys))
		for i := range xs {
			xs[i] = float64(i + 1)
		}
		style := opts.LineStyle{Width: 2}
		if dashed {
			style.Type = "dashed"
		}
		l.AddSeries(name, xyLine(xs, ys),
			charts.WithLineChartOpts(opts.LineChart{YAxisIndex: axis, ShowSymbol: opts.Bool(len(ys) <= 50)}),
			charts.WithLineStyleOpts(style))
	}
	add("train loss", c.TrainLoss, 0, false)
	add("test loss", c.TestLoss, 0, true)
	add("train accuracy", c.TrainAcc, 1, false)
	add("test accuracy", c.TestAcc, 1, true)
	return newChart(title, chartW, chartH, l)
}

// ActivationCurves plots each activation φ (solid) and its derivative φ′
// (dashed, same colour) on [−4, 4]. ReLU′(0) is drawn as 0, the package's
// convention.
func ActivationCurves(acts ...nn.Elementwise) *Chart {
	const n = 161 // v = −4, −3.95, …, 4
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64(i-80) / 20 // exact grid through 0
	}
	title := "Activation functions φ (solid) and derivatives φ′ (dashed)"
	l := charts.NewLine()
	l.SetGlobalOptions(common(title, "")...)
	l.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "v", Min: -4, Max: 4}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: -1.5, Max: 4}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}),
		charts.WithGridOpts(opts.Grid{Bottom: "70"}),
	)
	for k, a := range acts {
		f := make([]float64, n)
		d := make([]float64, n)
		for i, x := range xs {
			f[i] = a.F(x)
			d[i] = a.Deriv(x, f[i])
		}
		color := palette[k%len(palette)]
		line := charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)})
		l.AddSeries(a.Name(), xyLine(xs, f), line,
			charts.WithLineStyleOpts(opts.LineStyle{Color: color, Width: 2}), charts.WithItemStyleOpts(opts.ItemStyle{Color: color}))
		l.AddSeries(a.Name()+"′", xyLine(xs, d), line,
			charts.WithLineStyleOpts(opts.LineStyle{Color: color, Width: 2, Type: "dashed"}), charts.WithItemStyleOpts(opts.ItemStyle{Color: color}))
	}
	return newChart(title, chartW, chartH, l)
}

// Histogram plots the distribution of values in bins equal-width bins
// between their minimum and maximum. NaN and ±Inf are left out and counted
// in the subtitle.
func Histogram(title string, values []float64, bins int) *Chart {
	if bins < 1 {
		panic(fmt.Sprintf("lesson: Histogram %q: %d bins", title, bins))
	}
	var fin []float64
	for _, v := range values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			fin = append(fin, v)
		}
	}
	n, bad := len(fin), len(values)-len(fin)
	var lo, hi, sum float64
	if n > 0 {
		lo, hi = slices.Min(fin), slices.Max(fin)
	}
	counts := make([]int, bins)
	width := (hi - lo) / float64(bins)
	for _, v := range fin {
		i := bins - 1
		if width > 0 {
			i = min(int((v-lo)/width), bins-1)
		}
		counts[i]++
		sum += v
	}
	cats := make([]string, bins)
	data := make([]opts.BarData, bins)
	for i := range bins {
		cats[i] = num(lo + (float64(i)+0.5)*width)
		data[i] = opts.BarData{Value: counts[i]}
	}
	sub := "no finite values"
	if n > 0 {
		sub = fmt.Sprintf("n = %d, min %s, max %s, mean %s", n, num(lo), num(hi), num(sum/float64(n)))
	}
	if bad > 0 {
		sub += fmt.Sprintf(", %d not finite", bad)
	}
	b := charts.NewBar()
	b.SetGlobalOptions(common(title, sub)...)
	b.SetGlobalOptions(
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Top: "60", Left: "50", Right: "20"}),
	)
	b.SetXAxis(cats).AddSeries("count", data, charts.WithBarChartOpts(opts.BarChart{BarCategoryGap: "0%"}))
	return newChart(title, smallW, smallH, b)
}

// matValues returns the elements of m.
func matValues(m mat.Matrix) []float64 {
	r, c := m.Dims()
	out := make([]float64, 0, r*c)
	for i := range r {
		for j := range c {
			out = append(out, m.At(i, j))
		}
	}
	return out
}

// ActivationHistograms plots, for each layer s of the trace, the
// distribution of its activations a⁽ˢ⁾ over the batch.
func ActivationHistograms(t *Trace, bins int) []*Chart {
	out := make([]*Chart, len(t.Layers))
	for i, l := range t.Layers {
		out[i] = Histogram(fmt.Sprintf("a%s (%s), layer %d", sup(l.S), l.Act, l.S), matValues(l.A), bins)
	}
	return out
}

// GradientHistograms plots, for each layer s of the trace, the distribution
// of the entries of ∂E/∂W⁽ˢ⁾.
func GradientHistograms(t *Trace, bins int) []*Chart {
	out := make([]*Chart, len(t.Layers))
	for i, l := range t.Layers {
		out[i] = Histogram(fmt.Sprintf("∂E/∂W%s, layer %d", sup(l.S), l.S), matValues(l.DW), bins)
	}
	return out
}

// className returns names[c], or c as a number when there is no name.
func className(names []string, c int) string {
	if c >= 0 && c < len(names) {
		return names[c]
	}
	return fmt.Sprint(c)
}

// SoftmaxBars plots one example's output probabilities as bars: the true
// class (label, or −1 if unknown) in green, a wrong prediction in red.
// classNames may be nil (classes are then numbered).
func SoftmaxBars(probs []float64, label int, classNames []string) *Chart {
	pred := 0
	for i, p := range probs {
		if p > probs[pred] {
			pred = i
		}
	}
	name := func(i int) string { return className(classNames, i) }
	cats := make([]string, len(probs))
	data := make([]opts.BarData, len(probs))
	for i, p := range probs {
		cats[i] = name(i)
		color := "#9aa5b1"
		switch {
		case i == label:
			color = "#2da44e"
		case i == pred:
			color = "#cf222e"
		}
		data[i] = opts.BarData{Value: finite(p), ItemStyle: &opts.ItemStyle{Color: color}}
	}
	title := fmt.Sprintf("Softmax output: predicted %s (p = %.3f)", name(pred), probs[pred])
	if label >= 0 {
		title += ", true " + name(label)
	}
	b := charts.NewBar()
	b.SetGlobalOptions(common(title, "")...)
	b.SetGlobalOptions(
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: 0, Max: 1, Name: "a⁽ʰ⁾"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	b.SetXAxis(cats).AddSeries("probability", data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top", Formatter: "{c}"}))
	return newChart(title, chartW, smallH+40, b)
}

// imageChart draws a rows×cols grid of values as a heatmap, row 0 at the
// top, with colour scale colors over [lo, hi]. Cells equal to skip are left
// out (drawn as background), which keeps digit images small.
func imageChart(caption string, rows, cols int, at func(i, j int) float64, lo, hi float64, colors []string, skip *float64) *Chart {
	xs := make([]int, cols)
	for j := range xs {
		xs[j] = j
	}
	ys := make([]int, rows)
	for i := range ys {
		ys[i] = i
	}
	var data []opts.HeatMapData
	for i := range rows {
		for j := range cols {
			v := at(i, j)
			if skip != nil && v == *skip {
				continue
			}
			data = append(data, opts.HeatMapData{Value: []any{j, i, finite(round4(v))}})
		}
	}
	hidden := opts.Bool(false)
	h := charts.NewHeatMap()
	h.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: caption, Left: "center", TitleStyle: &opts.TextStyle{FontSize: 12}}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: hidden}),
		charts.WithGridOpts(opts.Grid{Left: "4", Right: "4", Top: "22", Bottom: "4"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: xs, Show: hidden}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: ys, Show: hidden, Inverse: opts.Bool(true)}),
		charts.WithVisualMapOpts(opts.VisualMap{Show: hidden, Calculable: hidden, Min: float32(lo), Max: float32(hi),
			InRange: &opts.VisualMapInRange{Color: colors}}),
	)
	h.AddSeries("value", data)
	return newChart(caption, imageW, imageH, h)
}

// round4 rounds x to 4 significant digits: plenty for a colour, and it
// keeps the HTML of 784-pixel images small.
func round4(x float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 4, 64), 64)
	return r
}

// DigitImage draws one greyscale image (rows×cols bytes, row-major, 0 =
// background, 255 = ink, as in MNIST) with a caption.
func DigitImage(img []byte, rows, cols int, caption string) *Chart {
	if len(img) != rows*cols {
		panic(fmt.Sprintf("lesson: DigitImage: %d pixels for a %d×%d image", len(img), rows, cols))
	}
	zero := 0.0
	return imageChart(caption, rows, cols, func(i, j int) float64 { return float64(img[i*cols+j]) }, 0, 255, inkScale, &zero)
}

// DigitImages draws images (each rows×cols bytes) with their captions
// (captions may be nil or shorter: missing ones are the index).
func DigitImages(images [][]byte, rows, cols int, captions []string) []*Chart {
	out := make([]*Chart, len(images))
	for i, img := range images {
		caption := fmt.Sprint("#", i)
		if i < len(captions) {
			caption = captions[i]
		}
		out[i] = DigitImage(img, rows, cols, caption)
	}
	return out
}

// Misclassified draws up to limit of the images whose prediction differs from
// their label, in order, captioned "#index: true → predicted". classNames
// may be nil.
func Misclassified(images [][]byte, rows, cols int, labels, predicted []int, classNames []string, limit int) []*Chart {
	if len(labels) != len(images) || len(predicted) != len(images) {
		panic(fmt.Sprintf("lesson: Misclassified: %d images, %d labels, %d predictions", len(images), len(labels), len(predicted)))
	}
	name := func(c int) string { return className(classNames, c) }
	var out []*Chart
	for i := range images {
		if len(out) == limit {
			break
		}
		if labels[i] != predicted[i] {
			out = append(out, DigitImage(images[i], rows, cols, fmt.Sprintf("#%d: %s → %s", i, name(labels[i]), name(predicted[i]))))
		}
	}
	return out
}

// WeightImages draws the incoming weights of the given units of a layer
// (rows of W, n_out×(rows·cols)) as rows×cols images: for the first layer
// on MNIST, the 28×28 pattern each hidden unit responds to. Blue is
// negative, red positive, on one symmetric scale shared by all units.
func WeightImages(w *mat.Dense, rows, cols int, units []int) []*Chart {
	nOut, nIn := w.Dims()
	if nIn != rows*cols {
		panic(fmt.Sprintf("lesson: WeightImages: W is %d×%d, rows of %d weights cannot be %d×%d images", nOut, nIn, nIn, rows, cols))
	}
	var scale float64
	for _, u := range units {
		for _, x := range w.RawRowView(u) {
			scale = math.Max(scale, math.Abs(x))
		}
	}
	if scale == 0 {
		scale = 1
	}
	out := make([]*Chart, len(units))
	for k, u := range units {
		r := w.RawRowView(u)
		out[k] = imageChart(fmt.Sprintf("unit %d", u), rows, cols, func(i, j int) float64 { return r[i*cols+j] }, -scale, scale, signScale, nil)
	}
	return out
}

// ConfusionMatrix plots counts[true][predicted] as a heatmap with the counts
// written in the cells; the title gives the accuracy. classNames may be nil.
func ConfusionMatrix(counts [][]int, classNames []string) *Chart {
	k := len(counts)
	names := make([]string, k)
	for i := range names {
		names[i] = className(classNames, i)
	}
	var data []opts.HeatMapData
	var total, right, peak int
	for i, row := range counts {
		if len(row) != k {
			panic(fmt.Sprintf("lesson: ConfusionMatrix: row %d has %d entries, want %d", i, len(row), k))
		}
		for j, n := range row {
			total += n
			if i == j {
				right += n
			}
			peak = max(peak, n)
			data = append(data, opts.HeatMapData{Value: []any{j, i, n}})
		}
	}
	title := "Confusion matrix"
	if total > 0 {
		title += fmt.Sprintf(": accuracy %.2f%% (%d/%d)", 100*float64(right)/float64(total), right, total)
	}
	h := charts.NewHeatMap()
	h.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: title, TitleStyle: &opts.TextStyle{FontSize: 14}}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "80", Right: "20", Top: "50", Bottom: "50"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: names, Name: "predicted", NameLocation: "middle", NameGap: 28}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: names, Name: "true", NameLocation: "middle", NameGap: 50, Inverse: opts.Bool(true)}),
		// The diagonal dwarfs the errors, so the colour saturates at a tenth
		// of the largest count and the frequent confusions stand out.
		charts.WithVisualMapOpts(opts.VisualMap{Show: opts.Bool(false), Calculable: opts.Bool(false), Min: 0, Max: float32(max(1, peak/10)),
			InRange: &opts.VisualMapInRange{Color: countScale}}),
	)
	h.AddSeries("count", data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), FontSize: 11}))
	return newChart(title, 520, 480, h)
}

// expLabel writes log-axis labels as 1e-8 rather than 0.00000001.
var expLabel = opts.FuncOpts("function (v) { return v.toExponential(0); }")

// SweepSeries is one curve of a gradient check's step-size sweep: the error
// of the finite-difference estimate at each step h.
type SweepSeries struct {
	Name   string
	H, Err []float64
}

// ErrorVsStep plots gradient-check relative errors against the finite-difference step
// h on log-log axes: truncation error falls as h² (central differences)
// until rounding error, growing as ε/h, takes over. Points with h ≤ 0 or
// error ≤ 0 cannot be drawn on a log axis and are left out.
func ErrorVsStep(series ...SweepSeries) *Chart {
	title := "Gradient check: error vs finite-difference step h"
	l := charts.NewLine()
	l.SetGlobalOptions(common(title, "log-log")...)
	l.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "log", Name: "h", NameLocation: "middle", NameGap: 25, AxisLabel: &opts.AxisLabel{Formatter: expLabel}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "log", Name: "relative error", AxisLabel: &opts.AxisLabel{Formatter: expLabel}}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}),
		charts.WithGridOpts(opts.Grid{Bottom: "70"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
	)
	for _, s := range series {
		if len(s.H) != len(s.Err) {
			panic(fmt.Sprintf("lesson: ErrorVsStep: series %q has %d steps and %d errors", s.Name, len(s.H), len(s.Err)))
		}
		var d []opts.LineData
		for i := range s.H {
			if s.H[i] > 0 && s.Err[i] > 0 && !math.IsInf(s.Err[i], 0) {
				d = append(d, opts.LineData{Value: []any{s.H[i], s.Err[i]}})
			}
		}
		l.AddSeries(s.Name, d, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(true)}))
	}
	return newChart(title, chartW, chartH, l)
}
