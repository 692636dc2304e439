package chart

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/backprop-lab/backprop/lesson/internal/format"
)

// Histogram plots the distribution of values in equal-width bins whose
// edges are round numbers: the width is 1, 2, 2.5 or 5 times a power of
// ten, the edges its multiples, and there are about as many bins as asked
// (20, WithBins; a few more when the range straddles the edges badly). The
// bars are drawn over a value axis, so its ticks are round numbers too.
// NaN and ±Inf are left out and counted in the subtitle, whose two lines
// (count and mean; range) fit the chart's width. The axis has about four
// ticks, 1, 2, 2.5 or 5 times a power of ten apart, and ends on ticks.
func Histogram(title string, values []float64, options ...Option) *Chart {
	cfg := configure(options)
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
	edges := niceEdges(lo, hi, cfg.bins)
	bins := len(edges) - 1
	width := edges[1] - edges[0]
	counts := make([]int, bins)
	for _, v := range fin {
		i := min(max(int(math.Floor((v-edges[0])/width)), 0), bins-1)
		counts[i]++
		sum += v
	}
	// A step line over the edges: bin i's count from edges[i] to
	// edges[i+1], filled down to 0.
	data := make([]opts.LineData, bins+1)
	for i := range bins {
		data[i] = opts.LineData{Value: []any{edges[i], counts[i]}}
	}
	data[bins] = opts.LineData{Value: []any{edges[bins], counts[bins-1]}}
	// Ticks every 1, 2, 2.5 or 5 × 10^k, about 4 of them, with the axis
	// ending on ticks, so that every label is a round number.
	tick := niceStep((edges[bins] - edges[0]) / 4)
	axisMin, axisMax := roundG(math.Floor(edges[0]/tick)*tick), roundG(math.Ceil(edges[bins]/tick)*tick)
	sub := "no finite values"
	if n > 0 {
		sub = fmt.Sprintf("n = %d, mean %s\nmin %s, max %s", n, format.Num(sum/float64(n)), format.Num(lo), format.Num(hi))
	}
	if bad > 0 {
		sub += fmt.Sprintf(", %d not finite", bad)
	}
	l := charts.NewLine()
	l.SetGlobalOptions(common(title, sub)...)
	l.SetGlobalOptions(
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Top: "72", Left: "50", Right: "20"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: axisMin, Max: axisMax, MinInterval: tick, MaxInterval: tick}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: 0}),
	)
	l.AddSeries("count", data,
		charts.WithLineChartOpts(opts.LineChart{Step: "end", ShowSymbol: opts.Bool(false)}),
		charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.6)}))
	return newChart(title, cfg, smallW, smallH, l)
}

// niceEdges returns the edges of about bins equal bins covering [lo, hi]:
// multiples of a width of 1, 2, 2.5 or 5 times a power of ten, rounded to
// 12 significant digits so that 3 × 0.1 is 0.3. lo = hi gets one bin.
func niceEdges(lo, hi float64, bins int) []float64 {
	span := hi - lo
	if span <= 0 {
		span = max(math.Abs(lo), 1) // one bin around a single value
		bins = 1
	}
	w := niceStep(span / float64(bins))
	first := math.Floor(lo / w)
	last := math.Max(math.Ceil(hi/w), first+1)
	if hi == lo {
		last = first + 1
	}
	edges := make([]float64, 0, int(last-first)+1)
	for k := first; k <= last; k++ {
		edges = append(edges, roundG(k*w))
	}
	return edges
}

// roundG rounds x to 12 significant digits: 3 × 0.1 becomes 0.3.
func roundG(x float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	return r
}

// niceStep returns the smallest of 1, 2, 2.5, 5 × 10^k that is ≥ x > 0.
func niceStep(x float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if s := m * p; s >= x*(1-1e-12) {
			return s
		}
	}
	return 10 * p
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
