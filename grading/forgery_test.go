package grading

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/grading/worker"
	"github.com/backprop-lab/backprop/nn"
)

// recorder is an Asker that remembers every query and answer of a
// session, as a worker's pipes carry them.
type recorder struct {
	s       *worker.Session
	queries []worker.Query
	answers []worker.Answer
}

func (r *recorder) Ask(q worker.Query) (worker.Answer, error) {
	a, err := r.s.Ask(q)
	r.queries = append(r.queries, q)
	r.answers = append(r.answers, a)
	return a, err
}

func grade(t *testing.T, n int, s Submission, seed uint64) (ExerciseResult, *recorder) {
	t.Helper()
	rec := &recorder{s: worker.NewSession(s)}
	return exerciseByN(n).Grade(worker.Client{A: rec}, seed), rec
}

func dense(t *testing.T, m worker.Matrix) *mat.Dense {
	t.Helper()
	d, err := m.Dense()
	if err != nil || d == nil {
		t.Fatalf("matrix %v: %v", m, err)
	}
	return d
}

// leaks reports the elements of want whose value the verdict text prints
// (in any of the formats a verdict might use), skipping values the
// learner's own answer holds too and values too round to tell.
func leaks(text string, want, own *mat.Dense) []string {
	var out []string
	r, c := want.Dims()
	for i := range r {
		for j := range c {
			w := want.At(i, j)
			if math.Abs(w) < 1e-3 || own != nil && math.Abs(own.At(i, j)-w) < 1e-9 {
				continue
			}
			for _, f := range []string{"%.4g", "%.5g", "%.6g", "%.7g", "%.8g", "%.10g", "%g"} {
				if s := fmt.Sprintf(f, w); len(strings.TrimLeft(s, "-0.")) >= 4 && strings.Contains(text, s) {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// A graded verdict never prints an expected value: for wrong answers of
// exercises 2, 3 and 7 the test computes the reference from the queries
// the worker saw and searches the verdict (and its details) for it.
func TestVerdictsPrintNoExpectedValue(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		// Exercise 2: a − y without 1/N.
		res, rec := grade(t, 2, Submission{OutputDelta: func(a, y *mat.Dense) *mat.Dense {
			d := new(mat.Dense)
			d.Sub(a, y)
			return d
		}}, seed)
		a, y := dense(t, rec.queries[0].M[0]), dense(t, rec.queries[0].M[1])
		want := new(mat.Dense)
		want.Sub(a, y)
		n, _ := a.Dims()
		want.Scale(1/float64(n), want)
		if res.OK() {
			t.Fatal("a − y passed")
		}
		if l := leaks(res.String(), want, nil); len(l) > 0 {
			t.Errorf("seed %d: exercise 2's verdict prints reference values %v:\n%s", seed, l, res)
		}

		// Exercise 3: ∂E/∂W scaled by 0.98; the reference's ∂E/∂W from the
		// forward and backward queries.
		res, rec = grade(t, 3, Submission{NewLayer: func(nIn, nOut int) nn.Layer { return scaledDW{nn.NewDense(nIn, nOut, nn.ReLU)} }}, seed)
		if res.OK() {
			t.Fatal("∂E/∂W × 0.98 passed")
		}
		var fwd, bwd worker.Query
		for _, q := range rec.queries {
			switch {
			case q.Op == "forward" && fwd.Op == "":
				fwd = q
			case q.Op == "backward" && bwd.Op == "":
				bwd = q
			}
		}
		x, w, b, g := dense(t, fwd.M[0]), dense(t, fwd.W[0]), dense(t, fwd.W[1]), dense(t, bwd.M[0])
		wantA, wantW, wantB, wantX := denseReLU.reference(x, w, b, g)
		for name, m := range map[string]*mat.Dense{"A": wantA, "∂E/∂W": wantW, "∂E/∂b": wantB, "∂E/∂X": wantX} {
			if l := leaks(res.String(), m, nil); len(l) > 0 {
				t.Errorf("seed %d: exercise 3's verdict prints the reference %s %v:\n%s", seed, name, l, res)
			}
		}

		// Exercise 7: N times too large.
		res, rec = grade(t, 7, Submission{Backprop: func(w, v, a []*mat.Dense, y *mat.Dense) (dW, db []*mat.Dense) {
			dW, db = solutionBackprop(w, v, a, y)
			n, _ := y.Dims()
			for s := 1; s < len(dW); s++ {
				dW[s].Scale(float64(n), dW[s])
				db[s].Scale(float64(n), db[s])
			}
			return dW, db
		}}, seed)
		if res.OK() {
			t.Fatal("N × the gradient passed")
		}
		q := rec.queries[0]
		var ws, vs []*mat.Dense
		for i := range q.W {
			if i == 0 {
				ws, vs = append(ws, nil), append(vs, nil)
				continue
			}
			ws, vs = append(ws, dense(t, q.W[i])), append(vs, dense(t, q.G[i]))
		}
		var as []*mat.Dense
		for _, m := range q.M {
			as = append(as, dense(t, m))
		}
		dW, db := solutionBackprop(ws, vs, as[:len(as)-1], as[len(as)-1])
		for s := 1; s < len(dW); s++ {
			if l := append(leaks(res.String(), dW[s], nil), leaks(res.String(), db[s], nil)...); len(l) > 0 {
				t.Errorf("seed %d: exercise 7's verdict prints reference gradients %v:\n%s", seed, l, res)
			}
		}
	}
}

// scaledDW is a ReLU dense layer whose ∂E/∂W is 0.98 times the right one.
type scaledDW struct{ *nn.Dense }

func (l scaledDW) Backward(g *mat.Dense) *mat.Dense {
	dx := l.Dense.Backward(g)
	l.DW.Scale(0.98, l.DW)
	return dx
}

// solutionBackprop is exercise 7's solution, for the tests.
func solutionBackprop(w, v, a []*mat.Dense, y *mat.Dense) (dW, db []*mat.Dense) {
	L := len(w) - 1
	dW, db = make([]*mat.Dense, L+1), make([]*mat.Dense, L+1)
	nEx, _ := y.Dims()
	delta := new(mat.Dense)
	delta.Sub(a[L], y)
	delta.Scale(1/float64(nEx), delta)
	for s := L; s >= 1; s-- {
		dW[s] = new(mat.Dense)
		dW[s].Mul(delta.T(), a[s-1])
		_, n := delta.Dims()
		db[s] = mat.NewDense(n, 1, nil)
		for i := range n {
			db[s].Set(i, 0, mat.Sum(delta.ColView(i)))
		}
		if s == 1 {
			break
		}
		down := new(mat.Dense)
		down.Mul(delta, w[s])
		down.Apply(func(n, i int, t float64) float64 { return t * step(v[s-1].At(n, i)) }, down)
		delta = down
	}
	return dW, db
}

// A table of right answers recorded over earlier grading runs (every
// query and the right answer to it, as a learner could collect them
// from a correct friend's worker) answers nothing of a new run: its
// inputs are fresh.
func TestTablesOfEarlierRunsFail(t *testing.T) {
	right := func(a, y *mat.Dense) *mat.Dense {
		n, _ := a.Dims()
		d := new(mat.Dense)
		d.Sub(a, y)
		d.Scale(1/float64(n), d)
		return d
	}
	table := map[string]*mat.Dense{}
	var last *mat.Dense
	for seed := uint64(1); seed <= 20; seed++ {
		_, rec := grade(t, 2, Submission{OutputDelta: right}, seed)
		a := dense(t, rec.queries[0].M[0])
		last = right(a, dense(t, rec.queries[0].M[1]))
		table[fmt.Sprint(mat.Formatted(a))] = last
	}
	lookup := func(a, y *mat.Dense) *mat.Dense {
		if d, ok := table[fmt.Sprint(mat.Formatted(a))]; ok {
			return d
		}
		return last
	}
	for _, seed := range []uint64{NewSeed(), NewSeed(), NewSeed()} {
		if res, _ := grade(t, 2, Submission{OutputDelta: lookup}, seed); res.OK() {
			t.Errorf("seed %d: a table of 20 earlier runs passed:\n%s", seed, res)
		}
	}
	// The same table replays a recorded run: the test above is not vacuous.
	if res, _ := grade(t, 2, Submission{OutputDelta: lookup}, 7); !res.OK() {
		t.Errorf("the table fails its own run:\n%s", res)
	}
}

// Probes are fresh: a reluPrime right only at the points one run asked
// fails another run.
func TestReLUProbesAreFresh(t *testing.T) {
	_, rec := grade(t, 1, Submission{ReLUPrime: func(v float64) float64 { return step(v) }}, 1)
	seen := map[float64]bool{}
	for _, q := range rec.queries {
		seen[q.V] = true
	}
	lookup := func(v float64) float64 {
		if seen[v] {
			return step(v)
		}
		return 0.5
	}
	if res, _ := grade(t, 1, Submission{ReLUPrime: lookup}, 1); !res.OK() {
		t.Fatalf("the lookup fails its own run:\n%s", res)
	}
	if res, _ := grade(t, 1, Submission{ReLUPrime: lookup}, 2); res.OK() {
		t.Errorf("a lookup of another run's points passed:\n%s", res)
	}
}

// Every query carries fresh matrices: a layer that caches Forward by the
// input's pointer never hits its cache, so a Backward that returns no
// ∂E/∂X fails, and so does a zero Forward with a zero Backward (which
// agree with each other, not with the specification).
func TestSelfConsistentLayersFail(t *testing.T) {
	for name, l := range map[string]func(nIn, nOut int) nn.Layer{
		"zeros": func(nIn, nOut int) nn.Layer { return zeroLayer{nn.NewDense(nIn, nOut, nn.ReLU)} },
		"pointer": func(nIn, nOut int) nn.Layer {
			return &cachingLayer{Dense: nn.NewDense(nIn, nOut, nn.ReLU), seen: map[*mat.Dense]bool{}}
		},
	} {
		for seed := uint64(1); seed <= 3; seed++ {
			if res, _ := grade(t, 3, Submission{NewLayer: l}, seed); res.OK() || res.Status != ExerciseFailed {
				t.Errorf("%s, seed %d: %s", name, seed, res)
			}
		}
	}
}

// zeroLayer's Forward and Backward return zeros and leave zero gradients.
type zeroLayer struct{ *nn.Dense }

func (l zeroLayer) Forward(x *mat.Dense) *mat.Dense {
	r, _ := x.Dims()
	n, _ := l.W.Dims()
	return mat.NewDense(r, n, nil)
}

func (l zeroLayer) Backward(g *mat.Dense) *mat.Dense {
	l.DW.Zero()
	l.DB.Zero()
	r, _ := g.Dims()
	_, c := l.W.Dims()
	return mat.NewDense(r, c, nil)
}

// cachingLayer returns zeros for ∂E/∂X once it has seen its input matrix
// before (gradcheck's probes perturb the same matrix in place).
type cachingLayer struct {
	*nn.Dense
	seen map[*mat.Dense]bool
	last *mat.Dense
}

func (l *cachingLayer) Forward(x *mat.Dense) *mat.Dense {
	l.seen[x], l.last = true, x
	return l.Dense.Forward(x)
}

func (l *cachingLayer) Backward(g *mat.Dense) *mat.Dense {
	l.Dense.Backward(g)
	r, c := l.last.Dims()
	return mat.NewDense(r, c, nil)
}

// Exercise 4 is judged by the network's own matrices: a step that puts
// new matrices into the slice changes nothing and fails, in-process and
// through the wire alike.
func TestSGDThroughTheSliceFails(t *testing.T) {
	step := func(params []nn.Param, eta float64) {
		for i, p := range params {
			m := new(mat.Dense)
			m.Scale(eta, p.Grad)
			m.Sub(p.Value, m)
			params[i].Value = m
		}
	}
	res := SGDStep(step)
	if res.OK() || !strings.Contains(res.Summary, "no parameter of the network changed") {
		t.Errorf("%s", res)
	}
}

// The tolerance is the specification's: δ × 1.02 fails exercise 2 and
// ∂E/∂W × 0.98 exercises 3 and 7, at every seed tried.
func TestToleranceCatchesSmallScalings(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		if res, _ := grade(t, 2, Submission{OutputDelta: func(a, y *mat.Dense) *mat.Dense {
			n, _ := a.Dims()
			d := new(mat.Dense)
			d.Sub(a, y)
			d.Scale(1.02/float64(n), d)
			return d
		}}, seed); res.OK() {
			t.Errorf("seed %d: δ × 1.02 passed", seed)
		}
		if res, _ := grade(t, 3, Submission{NewLayer: func(nIn, nOut int) nn.Layer { return scaledDW{nn.NewDense(nIn, nOut, nn.ReLU)} }}, seed); res.OK() {
			t.Errorf("seed %d: ∂E/∂W × 0.98 passed exercise 3", seed)
		}
		if res, _ := grade(t, 7, Submission{Backprop: func(w, v, a []*mat.Dense, y *mat.Dense) ([]*mat.Dense, []*mat.Dense) {
			dW, db := solutionBackprop(w, v, a, y)
			for s := 1; s < len(dW); s++ {
				dW[s].Scale(0.98, dW[s])
			}
			return dW, db
		}}, seed); res.OK() {
			t.Errorf("seed %d: ∂E/∂W × 0.98 passed exercise 7", seed)
		}
		// And the right answers pass at every one of these seeds.
		if res, _ := grade(t, 7, Submission{Backprop: solutionBackprop}, seed); !res.OK() {
			t.Errorf("seed %d: the solution fails exercise 7:\n%s", seed, res)
		}
		if res, _ := grade(t, 3, Submission{NewLayer: func(nIn, nOut int) nn.Layer { return nn.NewDense(nIn, nOut, nn.ReLU) }}, seed); !res.OK() {
			t.Errorf("seed %d: nn.Dense fails exercise 3:\n%s", seed, res)
		}
	}
}
