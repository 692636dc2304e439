package chart

import (
	"fmt"
	"math"
	"slices"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/backprop-lab/backprop/lesson/internal/numfmt"
)

// Histogram plots the distribution of values in equal-width bins (20,
// WithBins) between their minimum and maximum. NaN and ±Inf are left out
// and counted in the subtitle.
func Histogram(title string, values []float64, options ...Option) *Chart {
	cfg := configure(options)
	bins := cfg.bins
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
		cats[i] = numfmt.G(lo + (float64(i)+0.5)*width)
		data[i] = opts.BarData{Value: counts[i]}
	}
	sub := "no finite values"
	if n > 0 {
		sub = fmt.Sprintf("n = %d, min %s, max %s, mean %s", n, numfmt.G(lo), numfmt.G(hi), numfmt.G(sum/float64(n)))
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
	return newChart(title, cfg, smallW, smallH, b)
}

// SoftmaxBars plots one example's output probabilities a⁽ʰ⁾ (k values) as
// bars: the true class (label, or −1 if unknown) in green, a wrong
// prediction in red. Classes are numbered unless WithClassNames.
func SoftmaxBars(probs []float64, label int, options ...Option) *Chart {
	cfg := configure(options)
	pred := 0
	for i, p := range probs {
		if p > probs[pred] {
			pred = i
		}
	}
	name := cfg.className
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
	return newChart(title, cfg, chartW, smallH+40, b)
}
