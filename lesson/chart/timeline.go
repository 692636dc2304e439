package chart

import (
	"fmt"
	"math"
)

// Interactive figures are ECharts options with a timeline: the frames are
// computed in Go and saved in the option, and the browser switches between
// them (the timeline's slider, its play button, the arrow keys), so a
// figure keeps working with no kernel: in a reopened or exported notebook
// and on a static page. go-echarts v2.6.7 has no timeline component, so
// these options are built as plain JSON values here.
//
// The option has the form ECharts documents for timelines:
//
//	{baseOption: {timeline: {data: labels, …}, title, grid, axes, series…},
//	 options: [{title: {subtext: caption₀}, series: […]}, …]}
//
// Frame k's series replace the data of the base series with the same index;
// series a frame leaves out keep the base's data.

// rawOption is an ECharts option built as JSON values, for newChart.
type rawOption map[string]any

func (rawOption) Validate()              {}
func (o rawOption) JSON() map[string]any { return o }

// frame is one timeline frame: its label on the slider, the subtitle that
// describes it, and the data of each series (by index; nil keeps the
// base's).
type frame struct {
	label, caption string
	series         []map[string]any
}

// timelineHeight is the room the slider takes at the bottom of a figure.
const timelineHeight = 64

// timelineChart assembles base (title, grids, axes, series) and frames into
// one Chart of w×h pixels (or cfg's size). The figure starts at frame
// start. It panics on no frames.
func timelineChart(title string, cfg config, w, h int, base rawOption, frames []frame, start int) *Chart {
	if len(frames) == 0 {
		panic(fmt.Sprintf("chart: %q: an interactive figure needs at least one frame", title))
	}
	labels := make([]string, len(frames))
	options := make([]any, len(frames))
	for k, f := range frames {
		labels[k] = f.label
		series := make([]any, len(f.series))
		for i, s := range f.series {
			if s == nil {
				s = map[string]any{}
			}
			series[i] = s
		}
		options[k] = map[string]any{"title": map[string]any{"subtext": f.caption}, "series": series}
	}
	base["timeline"] = map[string]any{
		"axisType": "category", "data": labels, "currentIndex": start,
		"autoPlay": false, "loop": false, "playInterval": 1200,
		"left": 30, "right": 30, "bottom": 6, "height": 44,
		"label":           map[string]any{"fontSize": 10},
		"checkpointStyle": map[string]any{"color": "#cf222e", "borderColor": "#cf222e"},
	}
	base["animation"] = false
	if _, ok := base["title"]; !ok {
		base["title"] = map[string]any{"text": title, "textStyle": map[string]any{"fontSize": 14},
			"subtextStyle": map[string]any{"fontSize": 12, "lineHeight": 15, "color": "#333"}}
	}
	base["tooltip"] = map[string]any{"show": true, "trigger": "item"}
	return newChart(title, cfg, w, h, rawOption{"baseOption": map[string]any(base), "options": options})
}

// xy returns ECharts [x, y] pairs; non-finite values become "-" (a gap).
func xy(xs, ys []float64) [][2]any {
	d := make([][2]any, len(xs))
	for i := range xs {
		d[i] = [2]any{finite(xs[i]), finite(ys[i])}
	}
	return d
}

// valueAxis is a value (or log) axis on grid g.
func valueAxis(g int, name string, log bool) map[string]any {
	a := map[string]any{"type": "value", "gridIndex": g, "name": name, "nameLocation": "middle", "nameGap": 26, "scale": true}
	if log {
		a["type"] = "log"
		a["axisLabel"] = map[string]any{"formatter": expLabel}
		delete(a, "scale")
	}
	return a
}

// lineSeries is a line on grid g with the given colour (dashed if asked).
func lineSeries(name string, g int, color string, dashed bool, data any) map[string]any {
	style := map[string]any{"color": color, "width": 2}
	if dashed {
		style["type"] = "dashed"
	}
	return map[string]any{"type": "line", "name": name, "xAxisIndex": g, "yAxisIndex": g, "showSymbol": false,
		"lineStyle": style, "itemStyle": map[string]any{"color": color}, "data": data}
}

// pointSeries is a marker (scatter) series on grid g.
func pointSeries(name string, g int, color string, size int, data any) map[string]any {
	return map[string]any{"type": "scatter", "name": name, "xAxisIndex": g, "yAxisIndex": g, "symbolSize": size,
		"itemStyle": map[string]any{"color": color, "borderColor": "#222", "borderWidth": 1}, "z": 5, "data": data}
}

// finiteRange returns the smallest and largest finite values of xs (0, 0 if
// none).
func finiteRange(xs ...[]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range xs {
		for _, x := range s {
			if !math.IsNaN(x) && !math.IsInf(x, 0) {
				lo, hi = min(lo, x), max(hi, x)
			}
		}
	}
	if lo > hi {
		return 0, 0
	}
	return lo, hi
}
