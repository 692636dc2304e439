package gradcheck

import (
	"math"

	"gonum.org/v1/gonum/diff/fd"
)

// probe is one central difference of one element or direction.
type probe struct {
	step          float64
	numeric       float64
	fPlus, fMinus float64
	scale         float64 // largest scale of the two evaluations
}

// element compares element k (row-major) of tensor p. An element that is
// not clean at h is measured again at every step of the ladder and keeps
// its best verdict; one that is wrong at every step is then examined for a
// kink at θ from the function's own behaviour (see kinkAt): at a kink it is
// undecidable (StatusKink), never wrong.
func (e *engine) element(w worker, p, k int) Element {
	t := e.ts[p]
	row, col := k/t.cols, k%t.cols
	a := t.grad[k]
	h := e.o.Step
	first := e.probe(w, p, k, h)
	best := e.judge(w, a, first)
	if best.Status <= StatusOK {
		best.Row, best.Col = row, col
		return best
	}
	small := map[float64]probe{1: first}
	for _, m := range ladder {
		pr := e.probe(w, p, k, h*m)
		if m < 1 {
			small[m] = pr
		}
		if el := e.judge(w, a, pr); better(el, best) {
			best = el
		}
	}
	if best.Status >= StatusSuspicious {
		if left, right, ok := e.kinkAt(w, small[1], small[0.1], small[0.01]); ok {
			best = e.judge(w, a, first)
			best.Status, best.Left, best.Right = StatusKink, left, right
		}
	}
	if best.Status == StatusFailed {
		// Wrong at every step: show the values at the configured h.
		best = e.judge(w, a, first)
	}
	best.Row, best.Col = row, col
	return best
}

// kinkAt decides from f's own values whether θ sits at a kink (a jump in
// slope) of f along the element: the one-sided slopes R = (f(θ+h) − f(θ))/h
// and L = (f(θ) − f(θ−h))/h differ by J(h) = s(h)/h, s the second
// difference f(θ+h) − 2f(θ) + f(θ−h). A smooth f has J(h) ≈ f″·h, shrinking
// tenfold with each tenfold smaller step; at a kink J(h) tends to the jump
// itself. So θ is at a kink (within h/100) if s is above rounding at h/100
// and J(h/100) ≥ J(h/10)/3. It returns L and R at h/100. At a kink the
// derivative depends on the convention (ReLU′(0) anywhere in [0, 1], for
// every unit at its kink), and several units whose jumps partly cancel can
// give any value, so the element cannot be decided there.
func (e *engine) kinkAt(w worker, ph, p1, p2 probe) (left, right float64, ok bool) {
	b := w.base()
	jump := func(pr probe) (s, j float64) {
		s = math.Abs(pr.fPlus - 2*b.loss + pr.fMinus)
		return s, s / pr.step
	}
	s2, j2 := jump(p2)
	_, j1 := jump(p1)
	if !(s2 > kinkFloor*eps*max(p2.scale, b.scale)) || !(j2 >= j1/3) {
		return 0, 0, false
	}
	return (b.loss - p2.fMinus) / p2.step, (p2.fPlus - b.loss) / p2.step, true
}

// probe measures the central difference of element k of tensor p with step
// h, using gonum's fd.Derivative with the fd.Central formula (always given
// explicitly: fd's default is the forward difference).
func (e *engine) probe(w worker, p, k int, h float64) probe {
	pr := probe{step: h}
	w.ready(p)
	v := w.params()[p].Value
	raw := v.RawMatrix()
	_, cols := v.Dims()
	idx := (k/cols)*raw.Stride + k%cols
	data := raw.Data
	orig := data[idx]
	tPlus, tMinus := math.NaN(), math.NaN()
	n := fd.Derivative(func(t float64) float64 {
		data[idx] = t
		ev := w.eval(p, k, t-orig)
		data[idx] = orig
		switch {
		case t > orig:
			pr.fPlus, tPlus = ev.loss, t
		case t < orig:
			pr.fMinus, tMinus = ev.loss, t
		}
		pr.scale = max(pr.scale, ev.scale)
		return ev.loss
	}, orig, &fd.Settings{Formula: fd.Central, Step: h})
	e.evals.Add(2)
	// fd divides by the nominal 2h; θ±h rounded to float64 are 2h apart
	// only up to ε·|θ|, so rescale to the realised step (a no-op for
	// |θ| ≲ 1, and NaN if h vanished against θ).
	pr.numeric = n * (2 * h) / (tPlus - tMinus)
	return pr
}

// judge classifies analytic value a against the probe pr.
func (e *engine) judge(w worker, a float64, pr probe) Element {
	n := pr.numeric
	el := Element{Analytic: a, Numeric: n, Step: pr.step, AbsErr: math.Abs(a - n), RelErr: relErr(a, n)}
	if math.IsNaN(n) || math.IsInf(n, 0) {
		// f is not finite at θ ± h: nothing can be measured here.
		el.Status = StatusNotRun
		el.RelErr = math.Inf(1)
		return el
	}
	if math.IsNaN(a) || math.IsInf(a, 0) {
		el.Status = StatusFailed
		el.RelErr = math.Inf(1)
		return el
	}
	el.Tol = e.o.ATol + e.noise(w, pr) + e.o.RTol*math.Abs(n)
	el.WithinNoise = el.AbsErr <= el.Tol
	switch {
	case el.RelErr <= e.o.GoodRel || el.WithinNoise:
		el.Status = StatusGood
	case el.RelErr <= e.o.SuspiciousRel:
		el.Status = StatusOK
	case el.RelErr <= e.o.WrongRel:
		el.Status = StatusSuspicious
	default:
		el.Status = StatusFailed
	}
	return el
}

// noise is the rounding-noise floor of the central difference pr.
func (e *engine) noise(w worker, pr probe) float64 {
	return noiseFactor * eps * max(pr.scale, w.base().scale) / pr.step
}

// better reports whether x is a better verdict than y: a lower status, or
// the same status with a smaller relative error.
func better(x, y Element) bool {
	if x.Status != y.Status {
		return x.Status < y.Status
	}
	return x.RelErr < y.RelErr
}

// relErr is the CS231n relative error |a − n| / max(|a| + |n|, tiny).
func relErr(a, n float64) float64 {
	return math.Abs(a-n) / max(math.Abs(a)+math.Abs(n), tiny)
}
