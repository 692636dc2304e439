package chart

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// LayerSeries is one named value per layer: Values[s−1] belongs to layer s.
type LayerSeries struct {
	Name   string
	Values []float64
}

// LayerBars compares per-layer values of several series (e.g. the RMS of
// the activations a⁽ˢ⁾ under each initialisation) as grouped bars, layers
// 1 … h on the x axis and a log y axis, since such values span orders of
// magnitude; the bars grow from the power of ten below the smallest value.
// Values ≤ 0, NaN or ±Inf cannot be drawn on a log axis and are left out (a
// gap). It panics if the series have different lengths.
func LayerBars(title string, series []LayerSeries, options ...Option) *Chart {
	layers := 0
	for i, s := range series {
		if i > 0 && len(s.Values) != layers {
			panic(fmt.Sprintf("chart: LayerBars: series %q has %d layers, %q has %d", s.Name, len(s.Values), series[0].Name, layers))
		}
		layers = len(s.Values)
	}
	// Bars on a log axis grow from the axis' startValue (1 by default): put
	// it and the axis minimum at the power of ten below the smallest value,
	// so that every bar grows upwards from the bottom.
	// The top is the power of ten above the largest value, with a tick at
	// every power of ten in between.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, v := range s.Values {
			if v > 0 && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	var yMin, yMax any
	decades := 0
	if !math.IsInf(lo, 1) {
		bottom, top := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
		top = math.Max(top, bottom+1)
		yMin, yMax, decades = math.Pow(10, bottom), math.Pow(10, top), int(top-bottom)
	}
	cats := make([]string, layers)
	for i := range cats {
		cats[i] = fmt.Sprintf("layer %d", i+1)
	}
	b := charts.NewBar()
	b.SetGlobalOptions(common(title, "log scale")...)
	b.SetGlobalOptions(
		charts.WithYAxisOpts(opts.YAxis{Type: "log", Min: yMin, Max: yMax, SplitNumber: decades, AxisLabel: &opts.AxisLabel{Formatter: expLabel}}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}),
		charts.WithGridOpts(opts.Grid{Bottom: "70", Left: "60"}),
	)
	b.SetXAxis(cats)
	for _, s := range series {
		d := make([]opts.BarData, layers)
		for i, v := range s.Values {
			d[i] = opts.BarData{Value: logValue(v)}
		}
		b.AddSeries(s.Name, d)
	}
	start := func(m map[string]any) {
		if y, ok := m["yAxis"].([]any); ok && yMin != nil {
			y[0].(map[string]any)["startValue"] = yMin
		}
	}
	return newChart(title, configure(options), chartW, chartH, patched{b, start})
}

// logValue is v, or ECharts' missing value "-" where a log axis cannot show it.
func logValue(v float64) any {
	if !(v > 0) || math.IsInf(v, 0) {
		return "-"
	}
	return v
}

// LossCurves overlays loss curves on one chart, e.g. one per learning
// rate: Series.Y is the loss of each mini-batch, Series.X the training
// progress in epochs (nil: the mini-batch number 1, 2, …, and the x axis
// says so). It is Lines with a logarithmic y axis, so that curves orders of
// magnitude apart stay readable (non-finite or non-positive losses are left
// out, and a curve that stops early, because training diverged, simply
// ends), after averaging each curve over buckets of consecutive points (at
// most 2000 per curve, WithMaxPoints; the subtitle says how many batches a
// point averages). Options after the data are passed on to Lines. It panics
// if a series has X values but not one per Y value.
func LossCurves(title string, series []Series, options ...Option) *Chart {
	cfg := configure(options)
	bucketed := make([]Series, len(series))
	xName, sub := "epochs", "loss per mini-batch, log scale"
	for k, s := range series {
		if s.X != nil && len(s.X) != len(s.Y) {
			panic(fmt.Sprintf("chart: LossCurves: series %q has %d x and %d y values", s.Name, len(s.X), len(s.Y)))
		}
		idx, ys, per := bucketMeans(s.Y, cfg.maxPoints)
		if per > 1 && k == 0 {
			sub += fmt.Sprintf("; each point the mean of %d mini-batches", per)
		}
		if s.X == nil {
			xName = "mini-batch"
			bucketed[k] = Series{Name: s.Name, X: idx, Y: ys}
			continue
		}
		xs := make([]float64, len(ys))
		for i := range ys {
			lo := i * per
			hi := min(lo+per, len(s.X))
			xs[i] = (s.X[lo] + s.X[hi-1]) / 2
		}
		bucketed[k] = Series{Name: s.Name, X: xs, Y: ys}
	}
	defaults := []Option{WithSubtitle(sub), WithAxes(xName, "E"), WithLogAxes(false, true)}
	return Lines(title, bucketed, append(defaults, options...)...)
}
