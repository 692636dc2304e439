package gradcheck

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/gonum/diff/fd"
)

// SweepPoint is one step size of a step sweep.
type SweepPoint struct {
	// Step is h.
	Step float64
	// Central is (f(θ+h) − f(θ−h)) / 2h and Forward is (f(θ+h) − f(θ)) / h.
	Central, Forward float64
	// CentralErr and ForwardErr are their relative errors against the
	// analytic value, |a − n| / max(|a| + |n|, tiny).
	CentralErr, ForwardErr float64
	// Kink reports that θ±h straddles a kink (only known if f.Kinks is set).
	Kink bool
}

// Sweep is the error of finite differences of one element as a function of
// the step h: the V shape of truncation (right, ∝ h² for central and ∝ h
// for forward differences) against rounding (left, ∝ ε·F/h).
type Sweep struct {
	Tensor   string
	Row, Col int
	Analytic float64
	Points   []SweepPoint
}

// SweepSteps are the default steps of StepSweep: 10⁰, 10^−½, …, 10⁻¹³.
func SweepSteps() []float64 {
	var hs []float64
	for k := 0; k <= 26; k++ {
		hs = append(hs, math.Pow(10, -float64(k)/2))
	}
	return hs
}

// StepSweep measures the derivative of f with respect to element (row,
// col) of the tensor called name with central and forward differences (fd
// with fd.Central and fd.Forward) at each of steps (nil: SweepSteps), for
// learners to see why h matters. It restores the element bit for bit.
func StepSweep(f Func, name string, row, col int, steps []float64) (*Sweep, error) {
	p, err := param(f, name, row, col)
	if err != nil {
		return nil, err
	}
	if steps == nil {
		steps = SweepSteps()
	}
	v := f.Params[p].Value
	s := &Sweep{Tensor: name, Row: row, Col: col, Analytic: f.Params[p].Grad.At(row, col)}
	orig := v.At(row, col)
	f0 := f.Loss()
	var base []byte
	if f.Kinks != nil {
		base = f.Kinks(nil)
	}
	var pat []byte
	for _, h := range steps {
		kink := false
		eval := func(t float64) float64 {
			v.Set(row, col, t)
			defer v.Set(row, col, orig)
			l := f.Loss()
			if f.Kinks != nil {
				pat = f.Kinks(pat[:0])
				kink = kink || !bytes.Equal(pat, base)
			}
			return l
		}
		pt := SweepPoint{Step: h}
		pt.Central = fd.Derivative(eval, orig, &fd.Settings{Formula: fd.Central, Step: h})
		pt.Forward = fd.Derivative(eval, orig, &fd.Settings{Formula: fd.Forward, Step: h, OriginKnown: true, OriginValue: f0})
		pt.CentralErr, pt.ForwardErr = relErr(s.Analytic, pt.Central), relErr(s.Analytic, pt.Forward)
		pt.Kink = kink
		s.Points = append(s.Points, pt)
	}
	return s, nil
}

// Best returns the point with the smallest central-difference error.
func (s *Sweep) Best() SweepPoint {
	best := s.Points[0]
	for _, p := range s.Points {
		if p.CentralErr < best.CentralErr {
			best = p
		}
	}
	return best
}

// String renders the sweep as a table with a log-scale bar per step.
func (s *Sweep) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "step sweep of ∂f/∂%s[%d,%d] (analytic %.10g)\n", s.Tensor, s.Row, s.Col, s.Analytic)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "h\tcentral\trel err\tforward\trel err\tcentral error (log scale, 1 = 1e0 … 1e-16)\t")
	for _, p := range s.Points {
		k := ""
		if p.Kink {
			k = " kink"
		}
		fmt.Fprintf(tw, "%.1e\t%.10g\t%.1e\t%.10g\t%.1e\t%s%s\t\n", p.Step, p.Central, p.CentralErr, p.Forward, p.ForwardErr, bar(p.CentralErr), k)
	}
	tw.Flush()
	best := s.Best()
	fmt.Fprintf(&b, "smallest central error %.1e at h = %.1e: larger steps suffer truncation (∝ h²), smaller ones rounding (∝ 1/h).\n",
		best.CentralErr, best.Step)
	return b.String()
}

// bar draws −log10(err) as a bar of '#' (16 = exact to 1e-16).
func bar(err float64) string {
	n := 16
	if err > 0 {
		n = int(math.Round(-math.Log10(err)))
	}
	return strings.Repeat("#", max(0, min(n, 16)))
}

// param finds the tensor called name and checks (row, col).
func param(f Func, name string, row, col int) (int, error) {
	for i, p := range f.Params {
		if p.Name != name {
			continue
		}
		r, c := p.Value.Dims()
		if row < 0 || row >= r || col < 0 || col >= c {
			return 0, fmt.Errorf("gradcheck: element (%d, %d) is outside %s, which is %d×%d", row, col, name, r, c)
		}
		return i, nil
	}
	names := make([]string, len(f.Params))
	for i, p := range f.Params {
		names[i] = p.Name
	}
	return 0, fmt.Errorf("gradcheck: no tensor called %q (have %s)", name, strings.Join(names, ", "))
}

// TaylorPoint is one step of a Taylor-remainder test.
type TaylorPoint struct {
	// Step is h, the distance moved along the unit direction d.
	Step float64
	// Remainder is |f(θ+h·d) − f(θ) − h·⟨∇f, d⟩|: O(h²) if the gradient
	// is right, O(h) if it is wrong.
	Remainder float64
	// Zeroth is |f(θ+h·d) − f(θ)|, O(h) whatever the gradient.
	Zeroth float64
	// Kink reports that θ+h·d is across a kink from θ (only known if f.Kinks
	// is set); such points are left out of the fit.
	Kink bool
	// Used reports that the point entered the fit of Order.
	Used bool
}

// Taylor is the result of an h-free convergence test: it needs no choice of
// step, because it looks at how the remainder shrinks rather than at its
// size.
type Taylor struct {
	// Tensor is the tensor moved along d ("" for all of them at once).
	Tensor string
	Points []TaylorPoint
	// Order is the fitted slope of log Remainder against log h over the
	// smallest usable steps: ≈ 2 for a right gradient, ≈ 1 for a wrong one.
	// It is +Inf when every remainder is at the rounding level (f is linear
	// along d and the gradient exact).
	Order float64
	// Status is StatusGood (order ≥ 1.8), StatusFailed (order ≤ 1.2) or
	// StatusSuspicious (in between, or too few usable points).
	Status Status
}

// TaylorSteps are the steps of TaylorTest: 10⁻¹ down to 10⁻⁷ in quarter
// decades.
func TaylorSteps() []float64 {
	var hs []float64
	for k := 0; k <= 24; k++ {
		hs = append(hs, 0.1*math.Pow(10, -float64(k)/4))
	}
	return hs
}

// TaylorTest moves θ along a random unit direction d (drawn from o.Seed)
// of the tensor called name (all tensors if name is "") and fits the order
// at which the first-order Taylor remainder vanishes. It restores θ bit for
// bit.
func TaylorTest(f Func, name string, o *Options) (*Taylor, error) {
	opts := o.resolve()
	var ps []int
	for i, p := range f.Params {
		if name == "" || p.Name == name {
			ps = append(ps, i)
		}
	}
	if len(ps) == 0 {
		_, err := param(f, name, 0, 0)
		return nil, err
	}
	rng := newRand(opts.Seed, streamTaylor)
	type slot struct {
		data      []float64
		orig, d   []float64
		grad      []float64
		stride, c int
	}
	var slots []slot
	var norm float64
	for _, i := range ps {
		p := f.Params[i]
		raw := p.Value.RawMatrix()
		s := slot{stride: raw.Stride, c: raw.Cols, data: raw.Data}
		for r := 0; r < raw.Rows; r++ {
			for c := 0; c < raw.Cols; c++ {
				s.orig = append(s.orig, raw.Data[r*raw.Stride+c])
				s.grad = append(s.grad, p.Grad.At(r, c))
				x := rng.NormFloat64()
				s.d = append(s.d, x)
				norm += x * x
			}
		}
		slots = append(slots, s)
	}
	norm = math.Sqrt(norm)
	set := func(h float64) (dot float64) { // θ + h·d; returns ⟨∇f, θ+h·d − θ⟩
		for _, s := range slots {
			for k := range s.orig {
				idx := (k/s.c)*s.stride + k%s.c
				s.data[idx] = s.orig[k] + h*s.d[k]/norm
				dot += s.grad[k] * (s.data[idx] - s.orig[k])
			}
		}
		return dot
	}
	defer set(0)
	scale := func(l float64) float64 {
		if f.Scale != nil {
			return f.Scale()
		}
		return math.Abs(l)
	}
	f0 := f.Loss()
	floor := scale(f0)
	var base, pat []byte
	if f.Kinks != nil {
		base = f.Kinks(nil)
	}
	t := &Taylor{Tensor: name}
	for _, h := range TaylorSteps() {
		dot := set(h)
		fh := f.Loss()
		floor = max(floor, scale(fh))
		pt := TaylorPoint{Step: h, Remainder: math.Abs(fh - f0 - dot), Zeroth: math.Abs(fh - f0)}
		if f.Kinks != nil {
			pat = f.Kinks(pat[:0])
			pt.Kink = !bytes.Equal(pat, base)
		}
		t.Points = append(t.Points, pt)
	}
	// Usable: above the rounding level (1e3·ε·F: rounding is a few ε·F)
	// and not across a kink; fit over the 8 smallest usable steps (two
	// decades), where the asymptotic order shows.
	var xs, ys []float64
	for i := len(t.Points) - 1; i >= 0 && len(xs) < 8; i-- {
		pt := &t.Points[i]
		if pt.Kink || pt.Remainder <= 1e3*eps*floor {
			continue
		}
		pt.Used = true
		xs, ys = append(xs, math.Log10(pt.Step)), append(ys, math.Log10(pt.Remainder))
	}
	switch {
	case len(xs) == 0:
		t.Order, t.Status = math.Inf(1), StatusGood
	case len(xs) < 3:
		t.Order, t.Status = math.NaN(), StatusSuspicious
	default:
		t.Order = slope(xs, ys)
		switch {
		case t.Order >= 1.8:
			t.Status = StatusGood
		case t.Order <= 1.2:
			t.Status = StatusFailed
		default:
			t.Status = StatusSuspicious
		}
	}
	return t, nil
}

// slope is the least-squares slope of y against x.
func slope(xs, ys []float64) float64 {
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= float64(len(xs))
	my /= float64(len(xs))
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	return sxy / sxx
}

// String renders the test as a table and a verdict.
func (t *Taylor) String() string {
	var b strings.Builder
	what := t.Tensor
	if what == "" {
		what = "all tensors"
	}
	fmt.Fprintf(&b, "Taylor remainder along a random direction of %s\n", what)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "h\t|f(θ+hd) − f(θ)|\t|f(θ+hd) − f(θ) − h⟨∇f,d⟩|\tnote\t")
	for _, p := range t.Points {
		note := ""
		switch {
		case p.Kink:
			note = "kink: not used"
		case p.Used:
			note = "fitted"
		}
		fmt.Fprintf(tw, "%.2e\t%.3e\t%.3e\t%s\t\n", p.Step, p.Zeroth, p.Remainder, note)
	}
	tw.Flush()
	switch {
	case math.IsInf(t.Order, 1):
		fmt.Fprintln(&b, "every remainder is at the rounding level: f is linear along d and the gradient exact.")
	case math.IsNaN(t.Order):
		fmt.Fprintln(&b, "too few usable points to fit an order: inconclusive.")
	default:
		verdict := map[Status]string{StatusGood: "second order: the gradient is right",
			StatusFailed: "first order: the gradient is wrong", StatusSuspicious: "between first and second order: inconclusive"}[t.Status]
		fmt.Fprintf(&b, "remainder shrinks as h^%.2f: %s.\n", t.Order, verdict)
	}
	return b.String()
}
