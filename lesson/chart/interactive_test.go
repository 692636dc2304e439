package chart

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// sampleFigures are small instances of every interactive figure, with the
// frame each should open on and a caption of every frame; the browser test
// drives the same figures.
func sampleFigures() []struct {
	kind     string
	chart    *Chart
	start    int
	captions []string
} {
	nodes := []GraphNode{{Name: "x", Kind: "input", Value: 2}, {Name: "w", Kind: "parameter", Value: 3}, {Name: "E", Op: "×", Kind: "output", Value: 6}}
	edges := []GraphEdge{{From: 0, To: 2}, {From: 1, To: 2}}
	steps := []GraphStep{
		{Label: "start", Node: -1, Caption: "given"},
		{Label: "E", Node: 2, Text: "E = 6", Caption: "forward: E = x·w = 6"},
		{Label: "∂E", Node: 2, Text: "∂E/∂E = 1", Caption: "backward starts: 1", Back: true},
		{Label: "∂w", Node: 1, Text: "∂E/∂w = 2", Caption: "mul swaps: × x = 2", Back: true},
		{Label: "∂x", Node: 0, Text: "∂E/∂x = 3", Caption: "mul swaps: × w = 3", Back: true},
	}
	weight := WeightScan{Weight: "w", Names: []string{"a", "∂E/∂w"}, Start: 1}
	for _, w := range []float64{-1, 0, 1} {
		weight.Frames = append(weight.Frames, WeightFrame{W: w, E: w * w, Slope: 2 * w, Values: []float64{w / 2, 2 * w}})
	}
	rate := RateScan{Param1: "p", Param2: "q", Grid1: []float64{-1, 0, 1}, Grid2: []float64{-1, 0, 1},
		E: [][]float64{{2, 1, 2}, {1, 0, 1}, {2, 1, 2}}}
	for _, eta := range []float64{0.1, 1.5} {
		f := RateFrame{Eta: eta}
		p := 1.0
		for range 5 {
			f.Loss, f.P1, f.P2 = append(f.Loss, p*p), append(f.P1, p), append(f.P2, 0)
			p -= eta * 2 * p
		}
		f.Diverged = f.Loss[4] > f.Loss[0]
		rate.Frames = append(rate.Frames, f)
	}
	inits := []InitFrame{
		{Name: "×0.01", Panels: []LayerStats{{A: []float64{1e-2, 1e-4}, Delta: []float64{1e-3, 1e-3}, DW: []float64{1e-6, 1e-4}}}},
		{Name: "He", Panels: []LayerStats{{A: []float64{1, 1}, Delta: []float64{1e-2, 1e-2}, DW: []float64{1e-2, 0}}}},
	}
	var points []StepPoint
	for k := 0; k <= 8; k++ {
		h := math.Pow(10, -float64(k))
		points = append(points, StepPoint{H: h, Forward: 1 + h, Central: 1 + h*h, ForwardErr: h / 2, CentralErr: h * h / 2})
	}
	return []struct {
		kind     string
		chart    *Chart
		start    int
		captions []string
	}{
		{"backprop-steps", BackpropSteps("x·w", nodes, edges, steps), 0, []string{"given", "forward: E = x·w = 6", "backward starts: 1", "mul swaps: × x = 2", "mul swaps: × w = 3"}},
		{"weight", WeightSlider(weight), 1, []string{"w = -1: E = 1, ∂E/∂w = -2 (the slope of the tangent)",
			"w = 0: E = 0, ∂E/∂w = 0 (the slope of the tangent)", "w = 1: E = 1, ∂E/∂w = 2 (the slope of the tangent)"}},
		{"rate", RateSlider(rate), 0, []string{"η = 0.1: E 1 → 0.1678 in 4 steps (diverges from η = 1.5)",
			"η = 1.5: E 1 → 256 in 4 steps: diverged (diverges from η = 1.5)"}},
		{"init", InitSlider([]string{"relu"}, inits), 0, []string{"×0.01: relu: RMS of ∂E/∂W 1.000e-06 in layer 1, 1.000e-04 in layer 2", "He: relu: RMS of ∂E/∂W 0.01 in layer 1, 0 in layer 2"}},
		{"step", StepSlider("f′", 1, points, 5), 5, nil},
	}
}

// timelineOf decodes a figure's option.
type timelineOption struct {
	BaseOption struct {
		Timeline struct {
			Data         []string
			CurrentIndex int
		}
		Series []map[string]any
	}
	Options []struct {
		Title  struct{ Subtext string }
		Series []map[string]any
	}
}

func decodeTimeline(t *testing.T, c *Chart) timelineOption {
	t.Helper()
	var o timelineOption
	opt := funcMarker.ReplaceAllString(c.Option(), "")
	// the axis label formatters are inlined JavaScript: quote them back for the decoder
	opt = strings.ReplaceAll(opt, `"formatter":function (v) { return v.toExponential(0); }`, `"formatter":"fn"`)
	if err := json.Unmarshal([]byte(opt), &o); err != nil {
		t.Fatalf("%s: option is not JSON: %v", c.Title, err)
	}
	return o
}

func TestInteractiveFigures(t *testing.T) {
	for _, f := range sampleFigures() {
		o := decodeTimeline(t, f.chart)
		if n := len(o.Options); n != len(o.BaseOption.Timeline.Data) || n == 0 {
			t.Errorf("%s: %d frames for %d timeline labels", f.kind, n, len(o.BaseOption.Timeline.Data))
		}
		if o.BaseOption.Timeline.CurrentIndex != f.start {
			t.Errorf("%s: opens on frame %d, want %d", f.kind, o.BaseOption.Timeline.CurrentIndex, f.start)
		}
		for k, want := range f.captions {
			if got := o.Options[k].Title.Subtext; got != want {
				t.Errorf("%s frame %d: caption %q, want %q", f.kind, k, got, want)
			}
		}
		for k, fr := range o.Options {
			if len(fr.Series) != len(o.BaseOption.Series) {
				t.Errorf("%s frame %d: %d series, the base has %d", f.kind, k, len(fr.Series), len(o.BaseOption.Series))
			}
		}
		if m := urlPattern.FindString(f.chart.HTML()); m != "" {
			t.Errorf("%s: HTML contains %q", f.kind, m)
		}
	}
}

func TestBackpropStepsFrames(t *testing.T) {
	o := decodeTimeline(t, sampleFigures()[0].chart)
	// frame 3 lights w (column 0, row 1 of the layout) with its gradient, and
	// rings the nodes of the backward pass done before it (E) in red
	cur := o.Options[3].Series[2]["data"].([]any)
	if len(cur) != 1 || cur[0].(map[string]any)["label"].(map[string]any)["formatter"] != "∂E/∂w = 2" {
		t.Errorf("frame 3 lights %v, want w with ∂E/∂w = 2", cur)
	}
	done := o.Options[3].Series[1]
	if d := done["data"].([]any); len(d) != 1 || done["itemStyle"].(map[string]any)["borderColor"] != "#cf222e" {
		t.Errorf("frame 3 rings %v (%v), want E alone, in red", d, done["itemStyle"])
	}
	if d := o.Options[2].Series[1]["data"].([]any); len(d) != 0 {
		t.Errorf("the first backward frame rings %v, want nothing (forward rings are cleared)", d)
	}
}

func TestWeightSliderTangent(t *testing.T) {
	o := decodeTimeline(t, sampleFigures()[1].chart)
	// at w = 1, E = w², the tangent has slope 2: its ends are 1 ∓ 2d at 1 ∓ d
	tan := o.Options[2].Series[1]["data"].([]any)
	p0, p1 := tan[0].([]any), tan[1].([]any)
	slope := (p1[1].(float64) - p0[1].(float64)) / (p1[0].(float64) - p0[0].(float64))
	if math.Abs(slope-2) > 1e-12 {
		t.Errorf("tangent slope %g at w = 1, want 2", slope)
	}
}

func TestInteractivePanics(t *testing.T) {
	for name, f := range map[string]func(){
		"no frames": func() { InitSlider([]string{"relu"}, nil) },
		"weight values": func() {
			WeightSlider(WeightScan{Names: []string{"a"}, Frames: []WeightFrame{{Values: []float64{1, 2}}}})
		},
		"rate grid":   func() { RateSlider(RateScan{Grid1: []float64{1, 2}, E: [][]float64{{1}}}) },
		"init panels": func() { InitSlider([]string{"relu", "sigmoid"}, []InitFrame{{Name: "He"}}) },
		"step node":   func() { BackpropSteps("g", []GraphNode{{}}, nil, []GraphStep{{Node: 3}}) },
		"edge":        func() { BackpropSteps("g", []GraphNode{{}}, []GraphEdge{{From: 0, To: 1}}, nil) },
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

func TestLinkLibrary(t *testing.T) {
	lib := []byte("window.echarts = {version: '5.6.0'};")
	init, err := initHTML(lib)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := LinkLibrary(init, "echarts.min.js")
	if !ok || strings.Contains(got, string(lib)) || !strings.Contains(got, `<script type="text/javascript" src="echarts.min.js"></script>`) {
		t.Errorf("LinkLibrary(InitHTML) = %q, %v; want the library replaced by a script element", got, ok)
	}
	if !strings.Contains(got, "data-bp-init") {
		t.Errorf("LinkLibrary dropped the status line: %q", got)
	}
	h := HTML(sampleFigures()[0].chart)
	if got, ok := LinkLibrary(h, "x.js"); ok || got != h {
		t.Errorf("LinkLibrary changed a chart output without the library")
	}
}
