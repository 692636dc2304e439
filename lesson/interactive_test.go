package lesson

import (
	"math"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/lesson/internal/format"
	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
)

// The step-through of the 2-2-2 network: forward values first, then every
// gradient, each equal to what nn's backward pass computes, with the rules
// named, ending on every ∂E/∂W.
func TestBackpropStepsFollowBackprop(t *testing.T) {
	net := TinyNet()
	x, labels := TinyExample()
	g := ScalarGraph(net, x, labels)
	tr := NewTrace(net, x, labels)
	steps := backpropSteps(g.Loss)
	back := false
	texts := map[string]string{}
	for k, s := range steps {
		if back && !s.Back {
			t.Fatalf("step %d (%s) is a forward step after the backward pass began", k, s.Label)
		}
		back = back || s.Back
		if s.Back && s.Node >= 0 {
			name, _, _ := strings.Cut(s.Text, " = ")
			texts[name] = s.Text
		}
	}
	for s := 1; s <= 2; s++ {
		l := g.Layers[s-1]
		for i := range l.W {
			for j, w := range l.W[i] {
				want := "∂E/∂" + w.Label + " = " + format.Num(tr.Layer(s).DW.At(i, j))
				if got := texts["∂E/∂"+w.Label]; got != want {
					t.Errorf("step for %s says %q, want %q (nn's ∂E/∂W)", w.Label, got, want)
				}
			}
		}
	}
	all := strings.Join(func() []string {
		var c []string
		for _, s := range steps {
			c = append(c, s.Caption)
		}
		return c
	}(), "\n")
	for _, rule := range []string{"add distributes", "mul swaps", "max routes", "exp: × eᵛ", "ln: × 1/x", "power: × p·x^(p−1)"} {
		if !strings.Contains(all, rule) {
			t.Errorf("no step applies %q", rule)
		}
	}
	last := steps[len(steps)-1].Caption
	if n := strings.Count(last, "∂E/∂W"); n != 8 {
		t.Errorf("the last step lists %d weight gradients, want all 8: %s", n, last)
	}
	if c := BackpropSteps("2-2-2", g.Loss); len(c.HTML()) > 300_000 {
		t.Errorf("the step-through is %d bytes, over 300 KB", len(c.HTML()))
	}
}

// Dragging W⁽¹⁾₂₁ of the walkthrough: the figure opens on the weight's own
// value and loss, the slope is nn's gradient and matches the loss's finite
// differences between frames, and it is 0 while hidden unit 2 is off
// (v⁽¹⁾₂ = W⁽¹⁾₂₁·1 + 0.4·2 − 0.6 ≤ 0, i.e. W⁽¹⁾₂₁ ≤ −0.2).
func TestWeightScan(t *testing.T) {
	net := TinyNet()
	x, labels := TinyExample()
	s := weightScan(net, x, labels, 1, 2, 1, 1, 41)
	if s.Weight != "W⁽¹⁾₂₁" || len(s.Frames) != 41 || s.Start != 20 {
		t.Fatalf("scan of %s: %d frames, start %d", s.Weight, len(s.Frames), s.Start)
	}
	f0 := s.Frames[s.Start]
	if f0.W != -0.3 || math.Abs(f0.E-NewTrace(net, x, labels).Loss) > 1e-15 {
		t.Errorf("start frame: W %g, E %g; want the weight's own -0.3 and the trace's loss", f0.W, f0.E)
	}
	if len(f0.Values) != len(s.Names) || s.Names[0] != "a⁽²⁾₁" || s.Names[2] != "∂E/∂W⁽¹⁾₁₁" {
		t.Errorf("names %v for %d values", s.Names, len(f0.Values))
	}
	for k := 1; k+1 < len(s.Frames); k++ {
		f := s.Frames[k]
		if f.W <= -0.2-0.05 && f.Slope != 0 {
			t.Errorf("W = %g: slope %g, want 0 (hidden unit 2 is off)", f.W, f.Slope)
		}
		if f.W > -0.2+0.05 {
			fd := (s.Frames[k+1].E - s.Frames[k-1].E) / (s.Frames[k+1].W - s.Frames[k-1].W)
			if math.Abs(fd-f.Slope) > 0.01*max(1, math.Abs(f.Slope)) { // central difference, step 0.05: O(h²) error ≪ 1%
				t.Errorf("W = %g: slope %g, finite difference %g", f.W, f.Slope, fd)
			}
		}
	}
	if net.Dense(1).W.At(1, 0) != -0.3 {
		t.Error("WeightScan changed the network")
	}
}

// Gradient descent on the slice (W⁽¹⁾₁₁, W⁽²⁾₁₁) of the walkthrough batch:
// the first step is θ − η·∂E/∂θ with nn's gradient, small rates go down,
// large ones diverge, and the tabulated slice is the loss.
func TestRateSliceScan(t *testing.T) {
	net := TinyNet()
	x, labels := TinyBatch()
	r := RateSlice{Net: net, X: x, Labels: labels, P1: [3]int{1, 1, 1}, P2: [3]int{2, 1, 1}, Steps: 40, Grid: 6}
	s := r.Scan(0.3, 3, 30)
	if len(s.Frames) != 3 || len(s.E) != 6 || len(s.E[0]) != 6 {
		t.Fatalf("%d frames, %d×%d grid", len(s.Frames), len(s.E), len(s.E[0]))
	}
	c := net.Clone()
	e0 := c.LossAndGrad(x, labels)
	g1, g2 := c.Dense(1).DW.At(0, 0), c.Dense(2).DW.At(0, 0)
	f := s.Frames[0]
	if f.Loss[0] != e0 || f.P1[1] != 0.5-0.3*g1 || f.P2[1] != 0.3-0.3*g2 {
		t.Errorf("first step: E %g → (%g, %g); want E %g and θ − η·∂E/∂θ = (%g, %g)", f.Loss[0], f.P1[1], f.P2[1], e0, 0.5-0.3*g1, 0.3-0.3*g2)
	}
	if len(f.Loss) != 41 || f.Diverged || !(f.Loss[40] < f.Loss[0]) {
		t.Errorf("η = 0.3: E %g → %g in %d steps, diverged %v; want a decrease", f.Loss[0], f.Loss[len(f.Loss)-1], len(f.Loss)-1, f.Diverged)
	}
	if !s.Frames[2].Diverged {
		t.Errorf("η = 30: E %v, want diverged", s.Frames[2].Loss)
	}
	c = net.Clone()
	c.Dense(1).W.Set(0, 0, s.Grid1[2])
	c.Dense(2).W.Set(0, 0, s.Grid2[4])
	if got := c.Loss(x, labels); got != s.E[2][4] {
		t.Errorf("E on the slice at (%g, %g) is %g, the network's loss %g", s.Grid1[2], s.Grid2[4], s.E[2][4], got)
	}
}

// The initialisation slider's numbers are the per-layer RMS values of a fresh network
// per initialisation and activation.
func TestInitScan(t *testing.T) {
	train, _ := mnist.Embedded()
	st := InitStudy{Sizes: []int{784, 16, 16, 10}, Seed: 3, Probe: 20}
	frames, err := st.InitScan(train, ScaledInits(), nn.ReLU, nn.Sigmoid)
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 7 || frames[0].Name != "×0.01" || frames[6].Name != nn.Xavier.Name {
		t.Fatalf("%d frames, first %q, last %q", len(frames), frames[0].Name, frames[len(frames)-1].Name)
	}
	x, labels := probeBatch(train, 20)
	want := measureLayers(nn.MustNew(nn.Config{Sizes: st.Sizes, Hidden: nn.Sigmoid, Init: nn.He, Seed: 3}), x, labels)
	got := frames[5].Panels[1]
	for s := range want.DW {
		if got.A[s] != want.A[s] || got.Delta[s] != want.Delta[s] || got.DW[s] != want.DW[s] {
			t.Errorf("He, sigmoid, layer %d: %v %v %v, want %v %v %v", s+1, got.A[s], got.Delta[s], got.DW[s], want.A[s], want.Delta[s], want.DW[s])
		}
	}
	// ×0.01 vanishes: the first layer's gradient is far below He's (ReLU)
	if r := frames[0].Panels[0].DW[0] / frames[5].Panels[0].DW[0]; r > 1e-3 {
		t.Errorf("ReLU: RMS ∂E/∂W⁽¹⁾ ×0.01 / He = %g, want < 1e-3", r)
	}
}

func TestStepSliderOpensAtH0(t *testing.T) {
	f := ReLUSum(-1, 0.5, 2)
	s, err := gradcheck.StepSweep(f, "θ", 0, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := StepSlider(s, 1e-5)
	if !strings.Contains(c.Option(), `"currentIndex":10`) { // 10^−k/2 for k = 10
		t.Errorf("the slider does not open at h = 1e-5 (frame 10): %.300s", c.Option())
	}
}

// Each interactive figure, built as its lesson builds it, stays under
// 300 KB in the saved notebook (its frames are saved with it).
func TestInteractiveFigureSizes(t *testing.T) {
	net := TinyNet()
	x, labels := TinyExample()
	xb, lb := TinyBatch()
	train, _ := mnist.Embedded()
	initSlider, err := InitStudy{Sizes: []int{784, 96, 96, 96, 96, 10}, Seed: 1, Probe: 50}.InitSlider(train, ScaledInits(), nn.ReLU, nn.Sigmoid)
	if err != nil {
		t.Fatal(err)
	}
	sweep, err := gradcheck.StepSweep(ReLUSum(-1, 0.5, 2), "θ", 0, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]interface{ HTML() string }{
		"backprop steps": BackpropSteps("steps", ScalarGraph(net, x, labels).Loss),
		"drag a weight":  WeightSlider(net, x, labels, 1, 2, 1, 1, 41),
		"learning rate":  RateSlice{Net: net, X: xb, Labels: lb, P1: [3]int{1, 1, 1}, P2: [3]int{2, 1, 1}, Steps: 40, Grid: 24}.RateSlider(0.1, 0.3, 1, 3, 10, 30),
		"init scale":     initSlider,
		"choosing h":     StepSlider(sweep, 1e-5),
	} {
		n := len(c.HTML())
		t.Logf("%s: %d bytes", name, n)
		if n > 300_000 {
			t.Errorf("%s: %d bytes, over 300 KB", name, n)
		}
	}
}
