package autodiff

import (
	"math"
	"strings"
	"testing"
)

// central is the central difference of f at x[i] with step h.
func central(f func(x []float64) float64, x []float64, i int, h float64) float64 {
	xp := append([]float64(nil), x...)
	xm := append([]float64(nil), x...)
	xp[i] += h
	xm[i] -= h
	return (f(xp) - f(xm)) / (2 * h)
}

// TestOpsAgainstFiniteDifferences checks the gradient of every operation,
// and of compositions that reuse a value (fan-out), against central
// differences.
func TestOpsAgainstFiniteDifferences(t *testing.T) {
	cases := []struct {
		name  string
		build func(x []*Value) *Value
		at    []float64
	}{
		{"add", func(x []*Value) *Value { return x[0].Add(x[1]) }, []float64{1.5, -2}},
		{"mul", func(x []*Value) *Value { return x[0].Mul(x[1]) }, []float64{1.5, -2}},
		{"max first", func(x []*Value) *Value { return Max(x[0], x[1]) }, []float64{3, -1}},
		{"max second", func(x []*Value) *Value { return Max(x[0], x[1]) }, []float64{-3, 1}},
		{"relu on", func(x []*Value) *Value { return x[0].ReLU() }, []float64{0.7}},
		{"relu off", func(x []*Value) *Value { return x[0].ReLU() }, []float64{-0.7}},
		{"exp", func(x []*Value) *Value { return x[0].Exp() }, []float64{0.3}},
		{"ln", func(x []*Value) *Value { return x[0].Ln() }, []float64{2.5}},
		{"pow -1", func(x []*Value) *Value { return x[0].Pow(-1) }, []float64{1.7}},
		{"pow 3", func(x []*Value) *Value { return x[0].Pow(3) }, []float64{-1.2}},
		{"neg", func(x []*Value) *Value { return x[0].Neg() }, []float64{0.4}},
		{"fan-out x·x + x", func(x []*Value) *Value { return x[0].Mul(x[0]).Add(x[0]) }, []float64{1.3}},
		{"cs231n 2(xy+max(z,w))", func(x []*Value) *Value {
			return New(2, "2").Mul(x[0].Mul(x[1]).Add(Max(x[2], x[3])))
		}, []float64{3, -4, 2, -1}},
		{"log-sum-exp", func(x []*Value) *Value { return Sum(x[0].Exp(), x[1].Exp(), x[2].Exp()).Ln() }, []float64{0.1, -1, 2}},
		{"sigmoid 1/(1+e^-x)", func(x []*Value) *Value { return New(1, "1").Add(x[0].Neg().Exp()).Pow(-1) }, []float64{0.8}},
	}
	// h = 1e-6: truncation ~h²·|f‴| ≈ 1e-12, rounding ~1e-16/h ≈ 1e-10; the
	// gradients are O(1), so 1e-7 cannot hide a wrong local derivative.
	const h, tol = 1e-6, 1e-7
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := func(x []float64) float64 {
				vs := make([]*Value, len(x))
				for i := range x {
					vs[i] = New(x[i], "")
				}
				return c.build(vs).Data
			}
			vs := make([]*Value, len(c.at))
			for i := range c.at {
				vs[i] = New(c.at[i], "")
			}
			out := c.build(vs)
			out.Backward()
			for i := range c.at {
				want := central(f, c.at, i, h)
				if math.Abs(vs[i].Grad-want) > tol {
					t.Errorf("∂f/∂x%d = %.10g, finite differences give %.10g", i+1, vs[i].Grad, want)
				}
			}
		})
	}
}

func TestGatePatterns(t *testing.T) {
	// f = 2·(x·y + max(z, w)) at (3, −4, 2, −1), the CS231n example.
	x, y, z, w := New(3, "x"), New(-4, "y"), New(2, "z"), New(-1, "w")
	p := x.Mul(y)
	m := Max(z, w)
	s := p.Add(m)
	f := New(2, "2").Mul(s)
	f.Backward()
	if f.Data != -20 {
		t.Errorf("f = %g, want 2·(−12 + 2) = −20", f.Data)
	}
	// add distributes: both inputs of + get the upstream gradient 2.
	if p.Grad != 2 || m.Grad != 2 {
		t.Errorf("add: got %g and %g, want 2 and 2", p.Grad, m.Grad)
	}
	// mul swaps: ∂/∂x = 2·y, ∂/∂y = 2·x.
	if x.Grad != -8 || y.Grad != 6 {
		t.Errorf("mul: got x %g, y %g, want −8 and 6", x.Grad, y.Grad)
	}
	// max routes: all to the larger input.
	if z.Grad != 2 || w.Grad != 0 {
		t.Errorf("max: got z %g, w %g, want 2 and 0", z.Grad, w.Grad)
	}
}

func TestBackwardTwiceAndFanOut(t *testing.T) {
	x := New(2, "x")
	f := x.Mul(x).Mul(x) // x³, x used three times
	f.Backward()
	f.Backward() // gradients are reset, not doubled
	if x.Grad != 12 {
		t.Errorf("d(x³)/dx at 2 = %g, want 12", x.Grad)
	}
	if got := len(Topo(f)); got != 3 {
		t.Errorf("Topo: %d nodes, want 3 (x, x², x³)", got)
	}
}

func TestReLUConventionAndMaxTie(t *testing.T) {
	v := New(0, "v")
	r := v.ReLU()
	r.Backward()
	if v.Grad != 0 {
		t.Errorf("ReLU′(0) = %g, want 0 (the convention of package nn)", v.Grad)
	}
	a, b := New(1, "a"), New(1, "b")
	Max(a, b).Backward()
	if a.Grad+b.Grad != 1 {
		t.Errorf("max tie: gradients %g + %g, want exactly one route", a.Grad, b.Grad)
	}
}

func TestPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"sum of nothing": func() { Sum() },
		"ragged W":       func() { NewMLP([]float64{1, 2}, 0, [][][]float64{{{1, 2}, {3}}}, [][]float64{{0, 0}}) },
		"bias count":     func() { NewMLP([]float64{1}, 0, [][][]float64{{{1}}}, nil) },
		"label":          func() { NewMLP([]float64{1}, 3, [][][]float64{{{1}, {2}}}, [][]float64{{0, 0}}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(r.(string), "autodiff:") {
					t.Errorf("want a panic naming autodiff, got %v", r)
				}
			}()
			f()
		})
	}
}

func TestRuleNamesThePattern(t *testing.T) {
	x, y := New(2, "x"), New(-3, "y")
	for _, c := range []struct {
		v    *Value
		k    int
		want string
	}{
		{x.Add(y), 1, "add distributes: × 1"},
		{x.Mul(y), 0, "mul swaps: × the other input y = -3"},
		{x.Mul(y).Mul(x), 1, "mul swaps: × the other input x·y = -6"},
		{Max(x, y), 1, "max routes: × 0 (1 to the larger input, 0 to the other)"},
		{y.ReLU(), 0, "max routes (ReLU = max(v, 0)): × 1{v > 0} = 0"},
		{x.Exp(), 0, "exp: × eᵛ = 7.389"},
		{x.Ln(), 0, "ln: × 1/x = 0.5"},
		{x.Pow(-1), 0, "power: × p·x^(p−1) = -0.25"},
		{New(0, "v").Tanh(), 0, "tanh: × tanh′ = 1"},
	} {
		if got := c.v.Rule(c.k); got != c.want {
			t.Errorf("%s: Rule(%d) = %q, want %q", c.v.Name(), c.k, got, c.want)
		}
	}
	if n := x.Add(y).Pow(-1).Name(); n != "(+)^-1" {
		t.Errorf("Name of an unnamed power = %q", n)
	}
	defer func() {
		if recover() == nil {
			t.Error("Rule of a leaf: no panic")
		}
	}()
	x.Rule(0)
}
