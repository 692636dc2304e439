package chart

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/backprop-lab/backprop/nn"
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
		charts.WithTitleOpts(opts.Title{Title: title, Subtitle: subtitle, TitleStyle: &opts.TextStyle{FontSize: 14},
			SubtitleStyle: &opts.TextStyle{FontSize: 12, LineHeight: 15}}), // lines of a multi-line subtitle must not overlap
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

// LearningCurve plots the loss E of every mini-batch, in order: the lab's
// learning curve (its -c option). Long runs are averaged over buckets of
// consecutive batches (at most 2000 points, WithMaxPoints), as the
// subtitle says.
func LearningCurve(batchLoss []float64, options ...Option) *Chart {
	cfg := configure(options)
	xs, ys, per := bucketMeans(batchLoss, cfg.maxPoints)
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
	return newChart(title, cfg, chartW, chartH, l)
}

// Curves are per-epoch training measurements; any may be empty.
type Curves struct {
	TrainLoss, TrainAcc []float64 // nn.Epoch.Loss and .Accuracy
	TestLoss, TestAcc   []float64 // from nn.Network.Evaluate on held-out data
}

// TrainingCurves plots loss (left axis) and accuracy (right axis, 0–1) per
// epoch. Empty series are left out.
func TrainingCurves(c Curves, options ...Option) *Chart {
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
	return newChart(title, configure(options), chartW, chartH, l)
}

// ActivationCurves plots each activation φ (solid) and its derivative φ′
// (dashed, same colour) on v ∈ [−4, 4], 161 points. ReLU′(0) is drawn as
// 0, package nn's convention.
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
	return newChart(title, config{}, chartW, chartH, l)
}

// expLabel writes log-axis labels as 1e-8 rather than 0.00000001.
var expLabel = opts.FuncOpts("function (v) { return v.toExponential(0); }")

// Series is one named curve: the points (X[i], Y[i]).
type Series struct {
	Name string
	X, Y []float64
}

// Lines plots curves against a shared x axis, one legend entry per Series:
// the general line chart (loss per epoch for several learning rates, error
// against a step, …). Axes are named WithAxes and logarithmic WithLogAxes;
// on a log axis, points whose coordinate is ≤ 0 cannot be drawn and are
// left out; elsewhere NaN and ±Inf are gaps. Markers show for series of at
// most 50 points. It panics if a series' X and Y differ in length.
func Lines(title string, series []Series, options ...Option) *Chart {
	cfg := configure(options)
	axis := func(log bool) (string, *opts.AxisLabel) {
		if log {
			return "log", &opts.AxisLabel{Formatter: expLabel}
		}
		return "value", nil
	}
	xType, xLabel := axis(cfg.logX)
	yType, yLabel := axis(cfg.logY)
	l := charts.NewLine()
	l.SetGlobalOptions(common(title, cfg.subtitle)...)
	l.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: xType, Name: cfg.xName, NameLocation: "middle", NameGap: 25, AxisLabel: xLabel}),
		charts.WithYAxisOpts(opts.YAxis{Type: yType, Name: cfg.yName, AxisLabel: yLabel}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}),
		charts.WithGridOpts(opts.Grid{Bottom: "70"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
	)
	drawable := func(v float64, log bool) bool { return !log || (v > 0 && !math.IsInf(v, 0)) }
	for _, s := range series {
		if len(s.X) != len(s.Y) {
			panic(fmt.Sprintf("chart: Lines %q: series %q has %d x and %d y values", title, s.Name, len(s.X), len(s.Y)))
		}
		var d []opts.LineData
		for i := range s.X {
			if drawable(s.X[i], cfg.logX) && drawable(s.Y[i], cfg.logY) {
				d = append(d, opts.LineData{Value: []any{finite(s.X[i]), finite(s.Y[i])}})
			}
		}
		l.AddSeries(s.Name, d, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(len(s.X) <= 50)}))
	}
	return newChart(title, cfg, chartW, chartH, l)
}

// ErrorVsStep plots gradient-check relative errors (Series.Y) against the
// finite-difference step h (Series.X) on log-log axes (Lines): truncation
// error falls as h² (central differences) until rounding error, growing as
// ε/h, takes over.
func ErrorVsStep(series ...Series) *Chart {
	return Lines("Gradient check: error vs finite-difference step h", series,
		WithSubtitle("log-log"), WithAxes("h", "relative error"), WithLogAxes(true, true))
}
