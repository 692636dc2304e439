package chart

import (
	"fmt"
	"math"
	"strings"

	"github.com/backprop-lab/backprop/lesson/internal/format"
)

// GraphStep is one frame of BackpropSteps: the node it computes and what it
// says about it.
type GraphStep struct {
	Label   string // on the timeline, short: "v⁽¹⁾₁" or "∂W⁽¹⁾₂₁"
	Node    int    // the node lit in this frame; −1 for none
	Text    string // shown next to the lit node: "v⁽¹⁾₁ = 0.2", "∂E/∂v⁽¹⁾₁ = 0.3"
	Caption string // the rule applied and the number, under the title
	Back    bool   // a step of the backward pass (forward steps come first)
}

// BackpropSteps draws a computational graph (laid out as ComputationalGraph
// does, without edge labels) with a timeline over steps: each frame lights
// step.Node, writes step.Text beside it and step.Caption under the title,
// and marks the nodes earlier steps of the same pass computed (green ring:
// forward value known, red: gradient known). The figure opens on the first
// step. It panics if an edge or a step refers to a node that does not exist.
func BackpropSteps(title string, nodes []GraphNode, edges []GraphEdge, steps []GraphStep, options ...Option) *Chart {
	for _, e := range edges {
		if e.From < 0 || e.From >= len(nodes) || e.To < 0 || e.To >= len(nodes) {
			panic(fmt.Sprintf("chart: BackpropSteps: edge %d→%d but %d nodes", e.From, e.To, len(nodes)))
		}
	}
	col, row, cols, rows := layeredLayout(len(nodes), edges)
	w, h := max(560, 2*graphMargin+graphColW*(cols-1)), max(300, 2*graphMargin+graphRowH*(rows-1)+20+timelineHeight+30)
	pos := make([][2]float64, len(nodes))
	for i := range nodes {
		pos[i] = [2]float64{col[i], row[i]}
	}
	cats := make([]any, len(graphKinds))
	for i, k := range graphKinds {
		cats[i] = map[string]any{"name": k.name, "itemStyle": map[string]any{"color": k.color}}
	}
	data := make([]any, len(nodes))
	for i, n := range nodes {
		text := nodeLabel(n)
		data[i] = map[string]any{"name": fmt.Sprint(i), "value": pos[i], "category": kindIndex(n.Kind), "label": map[string]any{"formatter": text}}
	}
	links := make([]any, len(edges))
	for i, e := range edges {
		links[i] = map[string]any{"source": e.From, "target": e.To}
	}
	axis := func(n int, inverse bool) map[string]any {
		return map[string]any{"type": "value", "show": false, "min": -0.6, "max": float64(n) - 0.4, "inverse": inverse}
	}
	base := rawOption{
		"grid":   map[string]any{"left": 30, "right": 30, "top": 70, "bottom": timelineHeight + 30},
		"xAxis":  axis(cols, false),
		"yAxis":  axis(rows, true),
		"legend": map[string]any{"show": true, "bottom": timelineHeight, "data": legendNames()},
		"series": []any{
			map[string]any{"type": "graph", "name": "graph", "coordinateSystem": "cartesian2d", "data": data, "links": links,
				"categories": cats, "symbolSize": 14, "edgeSymbol": []string{"none", "arrow"}, "edgeSymbolSize": 6,
				"label":     map[string]any{"show": true, "position": "top", "fontSize": 11, "color": "#222"},
				"lineStyle": map[string]any{"color": "#999", "width": 1}, "tooltip": map[string]any{"show": false}},
			map[string]any{"type": "scatter", "name": "done", "symbolSize": 20, "z": 3, "silent": true,
				"itemStyle": map[string]any{"color": "rgba(0,0,0,0)", "borderWidth": 2}, "data": []any{}},
			map[string]any{"type": "scatter", "name": "current", "symbolSize": 26, "z": 4,
				"itemStyle": map[string]any{"color": "#ff7f0e", "opacity": 0.85, "borderColor": "#222", "borderWidth": 1},
				"label": map[string]any{"show": true, "position": "bottom", "fontSize": 12, "fontWeight": "bold", "color": "#111",
					"backgroundColor": "#fff8c5", "borderColor": "#d4a72c", "borderWidth": 1, "padding": 3},
				"data": []any{}},
		},
	}
	frames := make([]frame, len(steps))
	var done [][2]float64
	back := false
	for k, s := range steps {
		if s.Node < -1 || s.Node >= len(nodes) {
			panic(fmt.Sprintf("chart: BackpropSteps: step %d lights node %d but %d nodes", k, s.Node, len(nodes)))
		}
		if s.Back != back {
			done, back = nil, s.Back
		}
		ring := "#1a7f37"
		if s.Back {
			ring = "#cf222e"
		}
		current := []any{}
		if s.Node >= 0 {
			current = append(current, map[string]any{"value": pos[s.Node], "label": map[string]any{"formatter": s.Text}})
		}
		frames[k] = frame{label: s.Label, caption: s.Caption, series: []map[string]any{nil,
			{"data": append([][2]float64{}, done...), "itemStyle": map[string]any{"borderColor": ring}},
			{"data": current}}}
		if s.Node >= 0 {
			done = append(done, pos[s.Node])
		}
	}
	w, h = configure(options).size(w, h)
	return timelineChart(title, config{}, w, h, base, frames, 0)
}

// legendNames are the node kinds, in legend order.
func legendNames() []string {
	names := make([]string, len(graphKinds))
	for i, k := range graphKinds {
		names[i] = k.name
	}
	return names
}

// WeightFrame is the network at one value W of the chosen weight: the loss
// E, its slope ∂E/∂w there (what backprop computes), and the values shown
// as bars (outputs and gradients, named by WeightScan.Names).
type WeightFrame struct {
	W, E, Slope float64
	Values      []float64
}

// WeightScan is the data of WeightSlider.
type WeightScan struct {
	Weight string        // the weight's name, e.g. "W⁽¹⁾₂₁"
	Names  []string      // the names of WeightFrame.Values
	Frames []WeightFrame // in increasing W
	Start  int           // the frame shown first (the weight's own value)
}

// WeightSlider shows what one weight does, with a slider over its values:
// left, E against the weight (the curve through every frame), the current
// point and the tangent line E + ∂E/∂w·(w′ − w) drawn from the gradient;
// right, the outputs and every gradient at that value, as bars on a fixed
// scale. It panics if a frame has more or fewer values than names.
func WeightSlider(s WeightScan, options ...Option) *Chart {
	ws, es := make([]float64, len(s.Frames)), make([]float64, len(s.Frames))
	var all []float64
	for k, f := range s.Frames {
		if len(f.Values) != len(s.Names) {
			panic(fmt.Sprintf("chart: WeightSlider: frame %d has %d values for %d names", k, len(f.Values), len(s.Names)))
		}
		ws[k], es[k] = f.W, f.E
		all = append(all, f.Values...)
	}
	wlo, whi := finiteRange(ws)
	elo, ehi := finiteRange(es)
	vlo, vhi := finiteRange(all)
	pad := 0.05 * (ehi - elo + 1e-9)
	d := 0.15 * (whi - wlo) // the tangent's half length along w
	title := "Drag " + s.Weight + ": the loss, the outputs and every gradient"
	base := rawOption{
		"grid": []any{
			map[string]any{"left": 60, "width": "36%", "top": 80, "bottom": timelineHeight + 40},
			map[string]any{"right": 20, "width": "44%", "top": 80, "bottom": timelineHeight + 70},
		},
		"xAxis": []any{
			map[string]any{"type": "value", "gridIndex": 0, "name": s.Weight, "nameLocation": "middle", "nameGap": 26, "min": wlo, "max": whi},
			map[string]any{"type": "category", "gridIndex": 1, "data": s.Names, "axisLabel": map[string]any{"rotate": 60, "fontSize": 10, "interval": 0}},
		},
		"yAxis": []any{
			map[string]any{"type": "value", "gridIndex": 0, "name": "E", "min": round(elo - pad), "max": round(ehi + pad)},
			map[string]any{"type": "value", "gridIndex": 1, "min": round(min(0, vlo) * 1.05), "max": round(max(0, vhi) * 1.05)},
		},
		"legend": map[string]any{"show": true, "top": 40, "left": 60, "data": []string{"E", "tangent from ∂E/∂w", "now"}},
		"series": []any{
			lineSeries("E", 0, palette[0], false, xy(ws, es)),
			lineSeries("tangent from ∂E/∂w", 0, palette[1], true, [][2]any{}),
			pointSeries("now", 0, palette[1], 10, [][2]any{}),
			map[string]any{"type": "bar", "name": "values", "xAxisIndex": 1, "yAxisIndex": 1, "data": []any{},
				"itemStyle": map[string]any{"color": palette[4]}, "label": map[string]any{"show": true, "position": "top", "fontSize": 9}},
		},
	}
	frames := make([]frame, len(s.Frames))
	for k, f := range s.Frames {
		bars := make([]any, len(f.Values))
		for i, v := range f.Values {
			bars[i] = map[string]any{"value": finite(v), "label": map[string]any{"formatter": format.Num(v)}}
		}
		tangent := xy([]float64{f.W - d, f.W + d}, []float64{f.E - f.Slope*d, f.E + f.Slope*d})
		frames[k] = frame{label: format.Num(f.W),
			caption: fmt.Sprintf("%s = %s: E = %s, ∂E/∂%s = %s (the slope of the tangent)", s.Weight, format.Num(f.W), format.Num(f.E), s.Weight, format.Num(f.Slope)),
			series:  []map[string]any{nil, {"data": tangent}, {"data": xy([]float64{f.W}, []float64{f.E})}, {"data": bars}}}
	}
	w, h := configure(options).size(900, 470)
	return timelineChart(title, config{}, w, h, base, frames, s.Start)
}

// round keeps an axis bound short in the saved option (4 significant digits).
func round(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	p := math.Pow(10, 3-math.Floor(math.Log10(math.Abs(x))))
	return math.Round(x*p) / p
}

// RateFrame is gradient descent with one learning rate on a 2-parameter
// slice of the loss.
type RateFrame struct {
	Eta      float64
	Loss     []float64 // E before step 1, after step 1, …
	P1, P2   []float64 // the two parameters at the same times
	Diverged bool      // E ended above where it started (or not finite)
}

// RateScan is the data of RateSlider: the loss on a grid of the slice
// (E[i][j] at P1 = Grid1[i], P2 = Grid2[j]) and one frame per learning rate.
type RateScan struct {
	Param1, Param2 string
	Grid1, Grid2   []float64
	E              [][]float64
	Frames         []RateFrame // in increasing η
	Start          int
}

// RateSlider shows gradient descent with a slider over the learning rate η:
// left, the loss per step (its scale follows the frame); right, the loss on the slice as
// coloured tiles (darker is lower) with the path of the two parameters; the
// slider's labels and the subtitle mark the learning rates that diverge,
// and the subtitle names the first of them. It panics if E is not
// len(Grid1)×len(Grid2).
func RateSlider(s RateScan, options ...Option) *Chart {
	if len(s.E) != len(s.Grid1) {
		panic(fmt.Sprintf("chart: RateSlider: E has %d rows for %d values of %s", len(s.E), len(s.Grid1), s.Param1))
	}
	var tiles [][3]any
	var es []float64
	for i, row := range s.E {
		if len(row) != len(s.Grid2) {
			panic(fmt.Sprintf("chart: RateSlider: row %d of E has %d values for %d values of %s", i, len(row), len(s.Grid2), s.Param2))
		}
		for j, e := range row {
			tiles = append(tiles, [3]any{round(s.Grid1[i]), round(s.Grid2[j]), round(e)})
			es = append(es, e)
		}
	}
	elo, ehi := finiteRange(es)
	steps := 0
	firstDiverged := math.NaN()
	for _, f := range s.Frames {
		steps = max(steps, len(f.Loss)-1)
		if f.Diverged && math.IsNaN(firstDiverged) {
			firstDiverged = f.Eta
		}
	}
	div := "no learning rate here diverges"
	if !math.IsNaN(firstDiverged) {
		div = "diverges from η = " + format.Num(firstDiverged)
	}
	g1lo, g1hi := finiteRange(s.Grid1)
	g2lo, g2hi := finiteRange(s.Grid2)
	tile := 300 / max(len(s.Grid1), len(s.Grid2))
	title := "Learning rate: gradient descent on a slice of the loss"
	base := rawOption{
		"grid": []any{
			map[string]any{"left": 60, "width": "36%", "top": 80, "bottom": timelineHeight + 40},
			map[string]any{"right": 30, "width": "40%", "top": 80, "bottom": timelineHeight + 40},
		},
		"xAxis": []any{
			map[string]any{"type": "value", "gridIndex": 0, "name": "step", "nameLocation": "middle", "nameGap": 26, "min": 0, "max": steps},
			map[string]any{"type": "value", "gridIndex": 1, "name": s.Param1, "nameLocation": "middle", "nameGap": 26, "min": round(g1lo), "max": round(g1hi)},
		},
		"yAxis": []any{
			map[string]any{"type": "value", "gridIndex": 0, "name": "E", "scale": true},
			map[string]any{"type": "value", "gridIndex": 1, "name": s.Param2, "min": round(g2lo), "max": round(g2hi)},
		},
		"visualMap": map[string]any{"show": false, "seriesIndex": 2, "dimension": 2, "min": round(elo), "max": round(ehi),
			"inRange": map[string]any{"color": []string{"#08306b", "#4292c6", "#c6dbef", "#f7fbff"}}},
		"legend": map[string]any{"show": true, "top": 40, "left": 60, "data": []string{"E per step", "path"}},
		"series": []any{
			lineSeries("E per step", 0, palette[0], false, [][2]any{}),
			pointSeries("start", 1, "#ffffff", 8, [][2]any{}),
			map[string]any{"type": "scatter", "name": "E on the slice", "xAxisIndex": 1, "yAxisIndex": 1, "symbol": "rect",
				"symbolSize": tile, "silent": true, "data": tiles, "z": 1},
			map[string]any{"type": "line", "name": "path", "xAxisIndex": 1, "yAxisIndex": 1, "symbolSize": 5, "z": 4,
				"lineStyle": map[string]any{"color": palette[1], "width": 2}, "itemStyle": map[string]any{"color": palette[1]}, "data": [][2]any{}},
		},
	}
	frames := make([]frame, len(s.Frames))
	for k, f := range s.Frames {
		xs := make([]float64, len(f.Loss))
		for i := range xs {
			xs[i] = float64(i)
		}
		label, verdict := "η="+format.Num(f.Eta), fmt.Sprintf("E %s → %s in %d steps", format.Num(f.Loss[0]), format.Num(f.Loss[len(f.Loss)-1]), len(f.Loss)-1)
		if f.Diverged {
			label += " ✗"
			verdict += ": diverged"
		}
		path := make([][2]any, len(f.P1))
		for i := range f.P1 {
			path[i] = [2]any{finite(round(f.P1[i])), finite(round(f.P2[i]))}
		}
		losses := xy(xs, f.Loss)
		for i := range losses {
			if v, ok := losses[i][1].(float64); ok {
				losses[i][1] = round(v)
			}
		}
		frames[k] = frame{label: label, caption: fmt.Sprintf("η = %s: %s (%s)", format.Num(f.Eta), verdict, div),
			series: []map[string]any{{"data": losses}, {"data": path[:min(1, len(path))]}, nil, {"data": path}}}
	}
	w, h := configure(options).size(900, 480)
	return timelineChart(title, config{}, w, h, base, frames, s.Start)
}

// LayerStats are per-layer root mean squares, index s−1 for layer s: of the
// activations a⁽ˢ⁾, the deltas δ⁽ˢ⁾ and the weight gradients ∂E/∂W⁽ˢ⁾.
type LayerStats struct {
	A, Delta, DW []float64
}

// InitFrame is one initialisation: its name and one LayerStats per panel.
type InitFrame struct {
	Name   string
	Panels []LayerStats
}

// InitSlider shows, with a slider over initialisations, the RMS of a⁽ˢ⁾, δ⁽ˢ⁾
// and ∂E/∂W⁽ˢ⁾ against the layer s on a log scale, one panel per name in
// panels (e.g. "ReLU", "sigmoid"); every panel keeps one scale for all
// frames, so vanishing and exploding show as lines falling or rising off
// the others. Zero and non-finite values are left out (a log scale cannot
// show them). It panics if a frame has a different number of panels.
func InitSlider(panels []string, frames []InitFrame, options ...Option) *Chart {
	names := []string{"a⁽ˢ⁾", "δ⁽ˢ⁾", "∂E/∂W⁽ˢ⁾"}
	var grids, xAxes, yAxes, series []any
	layers := 0
	for p := range panels {
		var vals []float64
		for k, f := range frames {
			if len(f.Panels) != len(panels) {
				panic(fmt.Sprintf("chart: InitSlider: frame %d (%s) has %d panels for %d names", k, f.Name, len(f.Panels), len(panels)))
			}
			st := f.Panels[p]
			for _, v := range [][]float64{st.A, st.Delta, st.DW} {
				layers = max(layers, len(v))
				for _, x := range v {
					if x > 0 && !math.IsInf(x, 0) {
						vals = append(vals, x)
					}
				}
			}
		}
		lo, hi := finiteRange(vals)
		left := fmt.Sprintf("%d%%", 6+p*100/len(panels))
		grids = append(grids, map[string]any{"left": left, "width": fmt.Sprintf("%d%%", 100/len(panels)-12), "top": 90, "bottom": timelineHeight + 40})
		xAxes = append(xAxes, map[string]any{"type": "value", "gridIndex": p, "name": "layer s (" + panels[p] + ")", "nameLocation": "middle", "nameGap": 26,
			"min": 1, "max": max(1, layers), "minInterval": 1})
		yAxes = append(yAxes, map[string]any{"type": "log", "gridIndex": p, "name": "RMS", "axisLabel": map[string]any{"formatter": expLabel},
			"min": math.Pow(10, math.Floor(math.Log10(max(lo, 1e-300)))), "max": math.Pow(10, math.Ceil(math.Log10(max(hi, 1e-300))))})
		for i, n := range names {
			s := lineSeries(n, p, palette[i], false, [][2]any{})
			s["showSymbol"] = true
			series = append(series, s)
		}
	}
	title := "Initialisation: RMS per layer of a, δ and ∂E/∂W"
	base := rawOption{"grid": grids, "xAxis": xAxes, "yAxis": yAxes, "series": series,
		"legend": map[string]any{"show": true, "top": 45, "data": names}}
	fr := make([]frame, len(frames))
	for k, f := range frames {
		var ss []map[string]any
		var parts []string
		for p, st := range f.Panels {
			for _, v := range [][]float64{st.A, st.Delta, st.DW} {
				var d [][2]any
				for s, x := range v {
					if x > 0 && !math.IsInf(x, 0) {
						d = append(d, [2]any{s + 1, round(x)})
					}
				}
				ss = append(ss, map[string]any{"data": d})
			}
			if n := len(st.DW); n > 0 {
				parts = append(parts, fmt.Sprintf("%s: RMS of ∂E/∂W %s in layer 1, %s in layer %d", panels[p], format.Num(st.DW[0]), format.Num(st.DW[n-1]), n))
			}
		}
		fr[k] = frame{label: f.Name, caption: f.Name + ": " + strings.Join(parts, "; "), series: ss}
	}
	w, h := configure(options).size(900, 440)
	return timelineChart(title, config{}, w, h, base, fr, 0)
}

// StepPoint is a finite difference at one step h: the forward and central
// estimates of the derivative and their relative errors against the true
// one.
type StepPoint struct {
	H, Forward, Central, ForwardErr, CentralErr float64
}

// StepSlider shows how the step h of a finite difference matters, with a
// slider over h (in the order of points, e.g. 1 down to 1e-13): left, the
// relative error of forward and central differences against h (log-log, h
// falling to the right: the
// V of truncation and rounding) with the current h marked; right, the two
// estimates against h with the true derivative as a dashed line. Estimates
// further than 100% from the truth are left out of the right panel (its
// scale stays readable).
func StepSlider(name string, truth float64, points []StepPoint, start int, options ...Option) *Chart {
	hs, fe, ce, fv, cv := make([]float64, len(points)), make([]float64, len(points)), make([]float64, len(points)), make([]float64, len(points)), make([]float64, len(points))
	near := func(v float64) float64 {
		if math.Abs(v-truth) > math.Abs(truth) {
			return math.NaN()
		}
		return v
	}
	for i, p := range points {
		hs[i], fe[i], ce[i] = p.H, positive(p.ForwardErr), positive(p.CentralErr)
		fv[i], cv[i] = near(p.Forward), near(p.Central)
	}
	hlo, hhi := finiteRange(hs)
	title := "Choosing h: forward and central differences for " + name
	cForward, cCentral := palette[1], palette[0]
	base := rawOption{
		"grid": []any{
			map[string]any{"left": 70, "width": "36%", "top": 80, "bottom": timelineHeight + 40},
			map[string]any{"right": 30, "width": "40%", "top": 80, "bottom": timelineHeight + 40},
		},
		"xAxis":  []any{valueAxis(0, "h", true), valueAxis(1, "h", true)},
		"yAxis":  []any{valueAxis(0, "relative error", true), valueAxis(1, "estimate of the derivative", false)},
		"legend": map[string]any{"show": true, "top": 40, "data": []string{"forward", "central", "true derivative"}},
		"series": []any{
			lineSeries("forward", 0, cForward, false, xy(hs, fe)),
			lineSeries("central", 0, cCentral, false, xy(hs, ce)),
			pointSeries("forward at h", 0, cForward, 11, [][2]any{}),
			pointSeries("central at h", 0, cCentral, 11, [][2]any{}),
			lineSeries("forward", 1, cForward, false, xy(hs, fv)),
			lineSeries("central", 1, cCentral, false, xy(hs, cv)),
			lineSeries("true derivative", 1, "#222222", true, xy([]float64{hlo, hhi}, []float64{truth, truth})),
			pointSeries("forward at h", 1, cForward, 11, [][2]any{}),
			pointSeries("central at h", 1, cCentral, 11, [][2]any{}),
		},
	}
	for _, a := range base["xAxis"].([]any) { // h falls to the right, as on the slider
		a.(map[string]any)["min"], a.(map[string]any)["max"], a.(map[string]any)["inverse"] = hlo, hhi, true
	}
	frames := make([]frame, len(points))
	for k, p := range points {
		frames[k] = frame{label: fmt.Sprintf("%.0e", p.H),
			caption: fmt.Sprintf("h = %.0e: forward %s (error %.1e), central %s (error %.1e), true %s",
				p.H, format.Num(p.Forward), p.ForwardErr, format.Num(p.Central), p.CentralErr, format.Num(truth)),
			series: []map[string]any{nil, nil,
				{"data": xy([]float64{p.H}, []float64{positive(p.ForwardErr)})}, {"data": xy([]float64{p.H}, []float64{positive(p.CentralErr)})},
				nil, nil, nil,
				{"data": xy([]float64{p.H}, []float64{near(p.Forward)})}, {"data": xy([]float64{p.H}, []float64{near(p.Central)})}}}
	}
	w, h := configure(options).size(900, 440)
	return timelineChart(title, config{}, w, h, base, frames, start)
}

// positive is x, or NaN (a gap on a log axis) when x ≤ 0.
func positive(x float64) float64 {
	if x <= 0 {
		return math.NaN()
	}
	return x
}
