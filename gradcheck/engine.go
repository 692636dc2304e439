package gradcheck

import (
	"fmt"
	"math"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/diff/fd"
)

const (
	// eps is the float64 machine epsilon, 2⁻⁵² ≈ 2.2e-16.
	eps = 0x1p-52
	// tiny is the floor of the relative error's denominator: the smallest
	// normal float64. When a = n = 0 the error is 0/tiny = 0 (a pass), and
	// any |a − n| that is not itself denormal still gives a ratio ≤ 1.
	tiny = 0x1p-1022
	// noiseFactor turns ε·F/h, the rounding unit of a central difference
	// of a loss whose terms have size F (Func.Scale), into the noise floor
	// of the absolute test. Each loss evaluation is off by a few ε·F, so
	// their difference over 2h is ≲ 2ε·F/h: measured on random networks and
	// layers (TestNoiseFloorHolds) correct gradients stay below 1.4ε·F/h.
	// 16 leaves a margin > 10 and, for an O(1) loss at h = 1e-5, is a floor
	// of ≈ 1e-9: a million times below the errors of the mutant suite.
	noiseFactor = 16
	// kinkFloor is how far a second difference f(θ+h) − 2f(θ) + f(θ−h) must
	// rise above the rounding unit ε·F before it counts as a jump in slope.
	kinkFloor = 64
	// chunk is how many elements a worker takes at a time: large enough
	// that scheduling costs nothing, small enough to balance 2–64 workers.
	chunk = 64
)

// ladder are the steps, as multiples of Options.Step, at which an element
// that is not clean at h is measured again: a correct gradient fails at h
// only if rounding (cured by 10h, 100h) or truncation (cured by h/10)
// dominates there, while a wrong gradient is off by the same amount at
// every step. An element is wrong only if it is wrong at every step tried.
var ladder = [...]float64{0.1, 0.01, 10, 100}

// worker evaluates the function being checked on its own copy of the
// parameters.
type worker interface {
	// params returns the worker's parameters, in the engine's order.
	params() []nn.Param
	// base returns f(θ) as this worker computes it.
	base() evaluation
	// eval returns f after params()[p] was changed in place: only its
	// element k (row-major) by delta when k ≥ 0, any of its elements when
	// k < 0.
	eval(p, k int, delta float64) evaluation
	// ready prepares the evaluations of params()[p]'s elements; it is
	// called while every parameter is at θ.
	ready(p int)
}

// evaluation is one evaluation of the loss.
type evaluation struct {
	loss  float64
	scale float64 // size of the terms summed: the rounding error is a few ε·scale
}

// tensor is the engine's view of one parameter tensor.
type tensor struct {
	name       string
	rows, cols int
	grad       []float64 // analytic gradient, row-major snapshot
	method     string
	elems      []int     // row-major indices to compare
	results    []Element // one per elems
	direction  *Element
}

type engine struct {
	o       Options
	ts      []*tensor
	workers []worker
	evals   atomic.Int64
}

// newEngine snapshots the analytic gradients of ps.
func newEngine(o Options, ps []nn.Param) *engine {
	e := &engine{o: o}
	seen := map[string]bool{}
	for _, p := range ps {
		if p.Value == nil || p.Grad == nil {
			panic(fmt.Sprintf("gradcheck: parameter %q has a nil Value or Grad", p.Name))
		}
		r, c := p.Value.Dims()
		if gr, gc := p.Grad.Dims(); gr != r || gc != c {
			panic(fmt.Sprintf("gradcheck: parameter %q is %d×%d but its gradient is %d×%d", p.Name, r, c, gr, gc))
		}
		if seen[p.Name] {
			panic(fmt.Sprintf("gradcheck: two parameters are called %q", p.Name))
		}
		seen[p.Name] = true
		g := make([]float64, 0, r*c)
		for i := range r {
			for j := range c {
				g = append(g, p.Grad.At(i, j))
			}
		}
		e.ts = append(e.ts, &tensor{name: p.Name, rows: r, cols: c, grad: g})
	}
	return e
}

// run plans, compares and summarises. newWorker(i) makes worker i; the
// engine makes min(o.Workers, maxWorkers) of them.
func (e *engine) run(name string, maxWorkers int, newWorker func(i int) worker) *Report {
	start := time.Now()
	n := min(e.o.Workers, maxWorkers)
	for i := range n {
		e.workers = append(e.workers, newWorker(i))
	}
	rep := &Report{Name: name, Seed: e.o.Seed, Options: e.o, Loss: e.workers[0].base().loss}
	if l := rep.Loss; math.IsNaN(l) || math.IsInf(l, 0) {
		rep.CheckError = fmt.Errorf("%w: it is %g, so no derivative can be measured there (the check could not run; "+
			"huge weights or inputs overflow the softmax or the cross-entropy)", ErrLossNotFinite, l)
		for _, t := range e.ts {
			rep.Tensors = append(rep.Tensors, TensorResult{Name: t.name, Rows: t.rows, Cols: t.cols, Method: "not run", Status: StatusNotRun})
		}
		rep.Elapsed = time.Since(start)
		return rep
	}
	var todo []int // tensors to check element by element
	if e.o.Mode == Directional {
		e.parallel(len(e.ts), func(w worker, p int) { e.directional(w, p) })
		for p, t := range e.ts {
			if t.direction.Status > StatusOK {
				todo = append(todo, p)
			} else {
				t.method = "directional"
			}
		}
	} else {
		for p := range e.ts {
			todo = append(todo, p)
		}
	}
	type job struct{ p, lo, hi int }
	var jobs []job
	for _, p := range todo {
		t := e.ts[p]
		e.plan(p)
		if t.direction != nil {
			t.method = "directional, then " + t.method
		}
		t.results = make([]Element, len(t.elems))
		for lo := 0; lo < len(t.elems); lo += chunk {
			jobs = append(jobs, job{p, lo, min(lo+chunk, len(t.elems))})
		}
	}
	e.parallel(len(jobs), func(w worker, i int) {
		j := jobs[i]
		t := e.ts[j.p]
		for q := j.lo; q < j.hi; q++ {
			t.results[q] = e.element(w, j.p, t.elems[q])
		}
	})
	for _, t := range e.ts {
		rep.results = append(rep.results, t.results)
		tr := e.summarise(t)
		if tr.NotFinite > 0 && rep.CheckError == nil {
			rep.CheckError = fmt.Errorf("%w: next to it, at θ ± h for %d element(s) of %s, so they could not be checked", ErrLossNotFinite, tr.NotFinite, tr.Name)
		}
		rep.Tensors = append(rep.Tensors, tr)
	}
	rep.Evaluations = int(e.evals.Load())
	rep.Elapsed = time.Since(start)
	return rep
}

// parallel calls fn(w, i) for i in [0, n) on the engine's workers. A panic
// in fn (a layer that panics, say) is re-raised in the caller.
func (e *engine) parallel(n int, fn func(w worker, i int)) {
	if len(e.workers) == 1 || n <= 1 {
		for i := range n {
			fn(e.workers[0], i)
		}
		return
	}
	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		mu      sync.Mutex
		problem any
	)
	for _, w := range e.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					if problem == nil {
						problem = r
					}
					mu.Unlock()
					next.Store(int64(n)) // stop the others
				}
			}()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(w, i)
			}
		}()
	}
	wg.Wait()
	if problem != nil {
		panic(problem)
	}
}

// plan chooses the elements of tensor p to compare (Auto or Full).
func (e *engine) plan(p int) {
	t := e.ts[p]
	size := t.rows * t.cols
	if e.o.Mode == Full || size <= e.o.MaxFull || t.rows == 1 || t.cols == 1 {
		t.method = "full"
		t.elems = make([]int, size)
		for i := range t.elems {
			t.elems[i] = i
		}
		return
	}
	t.method = "spot"
	t.elems = spotSample(t.rows, t.cols, e.o.Samples, newRand(e.o.Seed, streamSpot+uint64(p)<<16))
}

// spotSample returns max(n, rows) distinct row-major indices of a rows×cols
// matrix (all of them if that is fewer), sorted, stratified: the rows, in a
// random order, take turns, so each gets ⌊n/rows⌋ or ⌈n/rows⌉ samples;
// columns are drawn by cycling through a random permutation, so each column
// is sampled about n/cols times.
func spotSample(rows, cols, n int, rng interface{ Perm(int) []int }) []int {
	n = max(n, rows)
	if n >= rows*cols {
		all := make([]int, rows*cols)
		for i := range all {
			all[i] = i
		}
		return all
	}
	rowOrder, colOrder := rng.Perm(rows), rng.Perm(cols)
	taken := make(map[int]bool, n)
	out := make([]int, 0, n)
	c := 0
	for s := range n {
		r := rowOrder[s%rows]
		// Row r has at most ⌈n/rows⌉ ≤ cols samples, so a free column exists.
		for taken[r*cols+colOrder[c%cols]] {
			c++
		}
		k := r*cols + colOrder[c%cols]
		c++
		taken[k] = true
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// directional compares one directional derivative of tensor p.
func (e *engine) directional(w worker, p int) {
	t := e.ts[p]
	v := w.params()[p].Value
	raw := v.RawMatrix()
	rng := newRand(e.o.Seed, streamDirection+uint64(p)<<16)
	d := make([]float64, t.rows*t.cols)
	var norm float64
	for i := range d {
		d[i] = rng.NormFloat64()
		norm += d[i] * d[i]
	}
	norm = math.Sqrt(norm)
	for i := range d {
		d[i] /= norm
	}
	orig := make([]float64, len(d))
	plus, minus := make([]float64, len(d)), make([]float64, len(d))
	at := func(i int) *float64 { return &raw.Data[(i/t.cols)*raw.Stride+i%t.cols] }
	for i := range orig {
		orig[i] = *at(i)
	}
	h := e.o.Step
	pr := probe{step: h}
	n := fd.Derivative(func(s float64) float64 {
		for i := range d {
			*at(i) = orig[i] + s*d[i]
		}
		ev := w.eval(p, -1, 0)
		f := ev.loss
		pr.scale = max(pr.scale, ev.scale)
		for i := range d {
			if s > 0 {
				plus[i] = *at(i)
			} else {
				minus[i] = *at(i)
			}
			*at(i) = orig[i]
		}
		if s > 0 {
			pr.fPlus = f
		} else {
			pr.fMinus = f
		}
		return f
	}, 0, &fd.Settings{Formula: fd.Central, Step: h})
	e.evals.Add(2)
	pr.numeric = n
	// ⟨∇f, d⟩ with the perturbation as realised in float64, so that both
	// sides see exactly the same step.
	var a float64
	for i, g := range t.grad {
		a += g * (plus[i] - minus[i]) / (2 * h)
	}
	el := e.judge(w, a, pr)
	el.Row, el.Col = -1, -1
	t.direction = &el
}

// summarise turns a tensor's element results into its TensorResult.
func (e *engine) summarise(t *tensor) TensorResult {
	tr := TensorResult{Name: t.name, Rows: t.rows, Cols: t.cols, Method: t.method, Direction: t.direction}
	var checked []Element
	for _, el := range t.results {
		switch el.Status {
		case StatusKink:
			tr.KinkSkipped++
			continue
		case StatusNotRun:
			tr.NotFinite++
			continue
		case StatusFailed:
			tr.Failed++
		case StatusSuspicious:
			tr.Suspicious++
		}
		checked = append(checked, el)
	}
	if t.results == nil && t.direction != nil { // directional only
		checked = append(checked, *t.direction)
	}
	tr.Checked = len(checked)
	// Keep the TopK worst by insertion (k is small; no sort of 75 k
	// elements), and the worst of all even when TopK is 0.
	keep := max(e.o.TopK, 1)
	var top []Element
	for _, el := range checked {
		tr.MaxRelErr = max(tr.MaxRelErr, el.RelErr)
		if len(top) == keep && !worse(el, top[keep-1]) {
			continue
		}
		i := sort.Search(len(top), func(i int) bool { return worse(el, top[i]) })
		if len(top) < keep {
			top = append(top, Element{})
		}
		copy(top[i+1:], top[i:])
		top[i] = el
	}
	switch {
	case len(top) > 0:
		tr.Worst = top[0]
		tr.Status = top[0].Status
	case tr.NotFinite > 0:
		tr.Status = StatusNotRun
	default:
		tr.Status = StatusKink
	}
	tr.Top = top[:min(e.o.TopK, len(top))]
	return tr
}

// worse orders elements worst first: by status, then relative error, then
// absolute error, then position.
func worse(x, y Element) bool {
	switch {
	case x.Status != y.Status:
		return x.Status > y.Status
	case x.RelErr != y.RelErr:
		return x.RelErr > y.RelErr
	case x.AbsErr != y.AbsErr:
		return x.AbsErr > y.AbsErr
	case x.Row != y.Row:
		return x.Row < y.Row
	}
	return x.Col < y.Col
}
