package lesson

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/lesson/autodiff"
	"github.com/backprop-lab/backprop/lesson/chart"
	"github.com/backprop-lab/backprop/lesson/internal/format"
	"github.com/backprop-lab/backprop/nn"
)

// The frames of the lessons' interactive figures (package chart draws
// them with a timeline the reader drags; no kernel is needed once the
// figure is displayed). Every number in a frame comes from the lessons'
// tested computations: autodiff for the step-through, NewTrace for the
// weight, nn.Network's gradients for the learning rate, the per-layer RMS (LayerRMS) for
// the initialisation, gradcheck.StepSweep for the step h.

// BackpropSteps draws the computational graph below out with a timeline
// through its forward and backward passes (chart.BackpropSteps): first
// every operation's value in topological order, then, from E = out down,
// every node's gradient in reverse topological order with the local rule
// that produced it (add distributes, mul swaps, max routes, …), ending on
// a frame listing every ∂E/∂W. out must be differentiated (out.Backward()).
func BackpropSteps(title string, out *autodiff.Value) *chart.Chart {
	nodes, edges := graphParts(out)
	return chart.BackpropSteps(title, nodes, edges, backpropSteps(out))
}

// backpropSteps returns the frames of BackpropSteps, indexed like
// graphParts's nodes (autodiff.Topo(out)).
func backpropSteps(out *autodiff.Value) []chart.GraphStep {
	order := autodiff.Topo(out)
	index := make(map[*autodiff.Value]int, len(order))
	users := make(map[*autodiff.Value][]struct {
		n *autodiff.Value
		k int
	})
	for i, n := range order {
		index[n] = i
		for k, p := range n.Parents() {
			users[p] = append(users[p], struct {
				n *autodiff.Value
				k int
			}{n, k})
		}
	}
	steps := []chart.GraphStep{{Label: "start", Node: -1,
		Caption: "The inputs x and the parameters W, b are given. Press ▶ or drag the slider: forward values first, then gradients."}}
	for i, n := range order {
		if n.Op == "" {
			continue
		}
		var in []string
		for _, p := range n.Parents() {
			in = append(in, p.Name()+" = "+format.Num(p.Data))
		}
		steps = append(steps, chart.GraphStep{Label: n.Name(), Node: i, Text: n.Name() + " = " + format.Num(n.Data),
			Caption: fmt.Sprintf("forward: %s = %s of (%s) = %s", n.Name(), n.Op, strings.Join(in, ", "), format.Num(n.Data))})
	}
	for i := len(order) - 1; i >= 0; i-- {
		n := order[i]
		if isConstant(n) {
			continue // constants: nothing to learn
		}
		d := "∂" + out.Label + "/∂" + n.Name()
		var caption string
		if n == out {
			caption = fmt.Sprintf("backward starts at the output: %s = 1", d)
		} else {
			var terms []string
			for _, u := range users[n] {
				terms = append(terms, fmt.Sprintf("∂%s/∂%s = %s, %s → %s", out.Label, u.n.Name(), format.Num(u.n.Grad), u.n.Rule(u.k), format.Num(u.n.Grad*u.n.Local(u.k))))
			}
			caption = d + ": " + strings.Join(terms, "; plus ")
			if len(terms) > 1 {
				caption += fmt.Sprintf(" (the paths add up: %s)", format.Num(n.Grad))
			}
		}
		steps = append(steps, chart.GraphStep{Label: "∂" + n.Name(), Node: i, Back: true,
			Text: d + " = " + format.Num(n.Grad), Caption: caption})
	}
	var ws []string
	for _, n := range order {
		if strings.HasPrefix(n.Label, "W") && n.Op == "" {
			ws = append(ws, fmt.Sprintf("∂%s/∂%s = %s", out.Label, n.Label, format.Num(n.Grad)))
		}
	}
	steps = append(steps, chart.GraphStep{Label: "all ∂E/∂W", Node: -1, Back: true,
		Caption: "every weight gradient: " + strings.Join(ws, ", ")})
	return steps
}

// weightScan moves weight W⁽ˢ⁾ᵢⱼ (1-based, as in the derivation) of net
// over n values centred on its own, radius either side, and records at
// each the loss E, ∂E/∂W⁽ˢ⁾ᵢⱼ, the outputs a⁽ʰ⁾ of the first example and
// every gradient, all from NewTrace (net is not changed). n is made odd, so
// that the middle frame, where the figure opens, is the weight's own value.
func weightScan(net *nn.Network, x *mat.Dense, labels []int, s, i, j int, radius float64, n int) chart.WeightScan {
	n = max(3, n|1)
	t0 := NewTrace(net, x, labels)
	names := outputAndGradNames(t0)
	w0 := t0.Layer(s).W.At(i-1, j-1)
	scan := chart.WeightScan{Weight: "W" + sup(s) + subscript(i) + subscript(j), Names: names, Start: n / 2}
	step := 2 * radius / float64(n-1)
	for k := range n {
		w := w0 + float64(k-n/2)*step
		c := net.Clone()
		c.Dense(s).W.Set(i-1, j-1, w)
		t := NewTrace(c, x, labels)
		scan.Frames = append(scan.Frames, chart.WeightFrame{W: w, E: t.Loss, Slope: t.Layer(s).DW.At(i-1, j-1), Values: outputsAndGrads(t)})
	}
	return scan
}

// WeightSlider draws, with a slider (chart.WeightSlider), W⁽ˢ⁾ᵢⱼ (1-based)
// of net moved over n values, radius either side of its own: E, its
// tangent from ∂E/∂W⁽ˢ⁾ᵢⱼ, the outputs and every gradient at each.
func WeightSlider(net *nn.Network, x *mat.Dense, labels []int, s, i, j int, radius float64, n int) *chart.Chart {
	return chart.WeightSlider(weightScan(net, x, labels, s, i, j, radius, n))
}

// outputsAndGrads lists the outputs a⁽ʰ⁾ of the first example, then
// ∂E/∂W⁽ˢ⁾ and ∂E/∂b⁽ˢ⁾ of every layer, row by row (outputAndGradNames
// names them).
func outputsAndGrads(t *Trace) []float64 {
	v := append([]float64(nil), t.Layer(t.H()).A.RawRowView(0)...)
	for _, l := range t.Layers {
		v = append(v, matValues(l.DW)...)
		v = append(v, matValues(l.DB)...)
	}
	return v
}

func outputAndGradNames(t *Trace) []string {
	var names []string
	_, k := t.Layer(t.H()).A.Dims()
	for c := 1; c <= k; c++ {
		names = append(names, "a"+sup(t.H())+subscript(c))
	}
	for _, l := range t.Layers {
		r, c := l.DW.Dims()
		for i := 1; i <= r; i++ {
			for j := 1; j <= c; j++ {
				names = append(names, "∂E/∂W"+sup(l.S)+subscript(i)+subscript(j))
			}
		}
		for i := 1; i <= r; i++ {
			names = append(names, "∂E/∂b"+sup(l.S)+subscript(i))
		}
	}
	return names
}

// subscript writes i with subscript digits: 12 → ₁₂.
func subscript(i int) string {
	var b strings.Builder
	for _, c := range fmt.Sprint(i) {
		if c == '-' {
			b.WriteRune('₋')
			continue
		}
		b.WriteRune('₀' + (c - '0'))
	}
	return b.String()
}

// RateSlice is plain gradient descent on two parameters of a network, the
// others held fixed, so that every step stays on one 2-parameter slice of
// the loss: θ ← θ − η·∂E/∂θ on the whole batch, Steps times per learning
// rate.
type RateSlice struct {
	Net    *nn.Network
	X      *mat.Dense
	Labels []int
	P1, P2 [3]int // {layer s, row i, column j} of two weights W⁽ˢ⁾ᵢⱼ (1-based)
	Steps  int
	Grid   int // the loss is tabulated on Grid×Grid points around the paths
}

// Scan runs gradient descent with each learning rate in etas and
// tabulates the loss on the slice (chart.RateScan). A run diverged if its
// final loss is above its first, or not finite.
func (r RateSlice) Scan(etas ...float64) chart.RateScan {
	name := func(p [3]int) string { return "W" + sup(p[0]) + subscript(p[1]) + subscript(p[2]) }
	at := func(p [3]int, net *nn.Network) float64 { return net.Dense(p[0]).W.At(p[1]-1, p[2]-1) }
	set := func(p [3]int, net *nn.Network, v float64) { net.Dense(p[0]).W.Set(p[1]-1, p[2]-1, v) }
	scan := chart.RateScan{Param1: name(r.P1), Param2: name(r.P2)}
	lo1, hi1, lo2, hi2 := at(r.P1, r.Net)-0.05, at(r.P1, r.Net)+0.05, at(r.P2, r.Net)-0.05, at(r.P2, r.Net)+0.05
	for _, eta := range etas {
		net := r.Net.Clone()
		f := chart.RateFrame{Eta: eta}
		for k := 0; ; k++ {
			e := net.LossAndGrad(r.X, r.Labels)
			f.Loss, f.P1, f.P2 = append(f.Loss, e), append(f.P1, at(r.P1, net)), append(f.P2, at(r.P2, net))
			if k == r.Steps || math.IsNaN(e) || math.IsInf(e, 0) {
				break
			}
			g1, g2 := net.Dense(r.P1[0]).DW.At(r.P1[1]-1, r.P1[2]-1), net.Dense(r.P2[0]).DW.At(r.P2[1]-1, r.P2[2]-1)
			set(r.P1, net, at(r.P1, net)-eta*g1)
			set(r.P2, net, at(r.P2, net)-eta*g2)
		}
		last := f.Loss[len(f.Loss)-1]
		f.Diverged = !(last <= f.Loss[0])
		if !f.Diverged { // the slice shows where the converging runs go
			l1, h1 := finiteMinMax(f.P1)
			l2, h2 := finiteMinMax(f.P2)
			lo1, hi1, lo2, hi2 = min(lo1, l1), max(hi1, h1), min(lo2, l2), max(hi2, h2)
		}
		scan.Frames = append(scan.Frames, f)
	}
	pad1, pad2 := 0.25*(hi1-lo1), 0.25*(hi2-lo2)
	lo1, hi1, lo2, hi2 = lo1-pad1, hi1+pad1, lo2-pad2, hi2+pad2
	n := max(2, r.Grid)
	net := r.Net.Clone()
	for i := range n {
		scan.Grid1 = append(scan.Grid1, lo1+(hi1-lo1)*float64(i)/float64(n-1))
		scan.Grid2 = append(scan.Grid2, lo2+(hi2-lo2)*float64(i)/float64(n-1))
	}
	for _, a := range scan.Grid1 {
		row := make([]float64, n)
		for j, b := range scan.Grid2 {
			set(r.P1, net, a)
			set(r.P2, net, b)
			row[j] = net.Loss(r.X, r.Labels)
		}
		scan.E = append(scan.E, row)
	}
	return scan
}

// finiteMinMax returns the range of the finite values of xs.
func finiteMinMax(xs []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			lo, hi = min(lo, x), max(hi, x)
		}
	}
	return lo, hi
}

// RateSlider draws r.Scan(etas...) (chart.RateSlider).
func (r RateSlice) RateSlider(etas ...float64) *chart.Chart { return chart.RateSlider(r.Scan(etas...)) }

// ScaledInits are the initialisations of the initialisation slider: N(0,
// σ²) for σ = 0.01, 0.03, 0.1, 0.3, 1, then He and Xavier.
func ScaledInits() []nn.Init {
	var inits []nn.Init
	for _, s := range []float64{0.01, 0.03, 0.1, 0.3, 1} {
		inits = append(inits, gaussian(s))
	}
	return append(inits, nn.He, nn.Xavier)
}

// InitScan measures, for each initialisation and each hidden activation,
// the per-layer RMS of a, δ and ∂E/∂W (measureLayers) of a fresh network
// of c.Sizes (seed c.Seed) on the first c.Probe examples of data, before
// any training.
func (c InitStudy) InitScan(data nn.Data, inits []nn.Init, hidden ...nn.Activation) ([]chart.InitFrame, error) {
	x, labels := probeBatch(data, c.Probe)
	var frames []chart.InitFrame
	for _, init := range inits {
		f := chart.InitFrame{Name: init.Name}
		for _, act := range hidden {
			net, err := nn.New(nn.Config{Sizes: c.Sizes, Hidden: act, Init: init, Seed: c.Seed})
			if err != nil {
				return nil, err
			}
			m := measureLayers(net, x, labels)
			f.Panels = append(f.Panels, chart.LayerStats{A: m.A, Delta: m.Delta, DW: m.DW})
		}
		frames = append(frames, f)
	}
	return frames, nil
}

// InitSlider draws c.InitScan(…) with one panel per hidden activation
// (chart.InitSlider).
func (c InitStudy) InitSlider(data nn.Data, inits []nn.Init, hidden ...nn.Activation) (*chart.Chart, error) {
	frames, err := c.InitScan(data, inits, hidden...)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(hidden))
	for i, a := range hidden {
		names[i] = a.Name()
	}
	return chart.InitSlider(names, frames), nil
}

// StepSlider draws a step sweep with a slider over h (chart.StepSlider),
// opening on the step h0 (or the sweep's step nearest to it).
func StepSlider(s *gradcheck.Sweep, h0 float64) *chart.Chart {
	points := make([]chart.StepPoint, len(s.Points))
	start := 0
	for k, p := range s.Points {
		points[k] = chart.StepPoint{H: p.Step, Forward: p.Forward, Central: p.Central, ForwardErr: p.ForwardErr, CentralErr: p.CentralErr}
		if math.Abs(math.Log(p.Step/h0)) < math.Abs(math.Log(s.Points[start].Step/h0)) {
			start = k
		}
	}
	name := fmt.Sprintf("∂E/∂%s[%d,%d]", s.Tensor, s.Row, s.Col)
	return chart.StepSlider(name, s.Analytic, points, start)
}
