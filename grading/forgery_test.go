package grading

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/grading/corpus"
	"github.com/backprop-lab/backprop/grading/runner"
	"github.com/backprop-lab/backprop/grading/worker"
	"github.com/backprop-lab/backprop/internal/textcheck"
	notebooks "github.com/backprop-lab/backprop/notebooks/nbtool"
)

// recorder is an Asker that remembers every query and answer of a
// session, as a worker's pipes carry them.
type recorder struct {
	s       worker.Asker
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
// learner's own answer (own, if not nil) holds too, the learner's own
// values as the verdict quotes them, and values too round to tell.
func leaks(text string, want, own *mat.Dense) []string {
	var out []string
	r, c := want.Dims()
	if own != nil && !sameDims(own, want) {
		own = nil // a wrong shape: the verdict quotes no value of it
	}
	if own != nil {
		// The learner's own values, as a verdict quotes them ("yours
		// there: %.6g"), are not leaks even where close to the reference.
		for _, v := range own.RawMatrix().Data {
			text = strings.ReplaceAll(text, fmt.Sprintf("%.6g", v), "")
		}
	}
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

// solutionsNotebook is the notebook every corpus submission extends.
const solutionsNotebook = "../notebooks/instructor/10-exercises-solutions.ipynb"

// corpusWorker builds s's notebook into a worker program, as nbgrade does
// (cmd/nbgrade's gradeNotebook: the graded declarations, source-checked,
// then built); err is the refusal of a notebook the source rules refuse
// as a whole.
func corpusWorker(t *testing.T, s corpus.Submission) (w *notebookWorker, refusal error) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a worker program")
	}
	t.Setenv("GOPROXY", "off")
	data, err := os.ReadFile(solutionsNotebook)
	if err != nil {
		t.Fatal(err)
	}
	if data, err = s.Notebook(data); err != nil {
		t.Fatal(err)
	}
	nb, err := notebooks.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	src, err := notebooks.GoSourceLines(nb, "main")
	if err != nil {
		return nil, err
	}
	sel, err := SelectNotebook(src)
	if err != nil {
		return nil, err
	}
	if err := runner.CheckImports(map[string][]byte{"notebook.go": sel.Source}, nil); err != nil {
		return nil, err
	}
	dir, version, err := runner.FindBackprop("")
	if err != nil {
		t.Fatal(err)
	}
	w, err = buildNotebook(context.Background(), sel.Source, DefinedFuncs(sel.Source), NotebookOptions{Backprop: dir, Version: version})
	t.Cleanup(w.remove)
	if err != nil {
		t.Fatal(err)
	}
	if w.refusal != "" {
		return nil, errors.New(w.refusal)
	}
	return w, nil
}

// gradeBin grades exercise e through a worker process of bin at seed,
// and returns with its verdict every tensor the verdict was decided on
// and its reference (observeReference).
func gradeBin(t *testing.T, bin string, e Exercise, seed uint64) (ExerciseResult, []decidedOn) {
	t.Helper()
	p, err := worker.Start(bin, nil, e.Timeout)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var seen []decidedOn
	observeReference = func(name string, got, want *mat.Dense) {
		seen = append(seen, decidedOn{name, got, mat.DenseCopyOf(want)})
	}
	defer func() { observeReference = nil }()
	return e.Grade(worker.Client{A: p}, seed), seen
}

// decidedOn is a tensor a verdict was decided on: the learner's (got, nil
// if none) and the reference.
type decidedOn struct {
	name      string
	got, want *mat.Dense
}

// Seeds of the corpus through the judge: every exercise is graded at
// allSeeds seeds, each forged one at forgedSeeds.
const allSeeds, forgedSeeds = 2, 12

// The public corpus through the judge: each notebook is built into a
// worker once, as nbgrade builds it, then graded at many seeds, every
// tensor its verdict is decided on observed (observeReference). A forged
// exercise fails at every seed (refused, or failed with a verdict that
// says why, Says) and its verdict prints none of the values of the
// references it was decided on; every exercise not forged, and every
// exercise of a correct notebook, passes at every seed; a notebook forged
// as a whole is refused with its reason.
func TestCorpusThroughTheJudge(t *testing.T) {
	all := append(append(append([]corpus.Submission(nil), corpus.Forgeries...), corpus.Together...), corpus.Correct...)
	for _, s := range all {
		t.Run(s.Name, func(t *testing.T) {
			w, refusal := corpusWorker(t, s)
			if s.Whole {
				if refusal == nil || !textcheck.ContainsWords(refusal.Error(), s.Want) {
					t.Fatalf("not refused as a whole with %q: %v", s.Want, refusal)
				}
				return
			}
			if refusal != nil {
				t.Fatalf("refused as a whole: %v", refusal)
			}
			forged, says := s.ForgedSet(), s.Says()
			for _, e := range ExerciseList() {
				if msg, ok := w.refused[e.N]; ok {
					if !forged[e.N] || !textcheck.ContainsWords(msg, says[e.N]) {
						t.Errorf("exercise %d refused (forged: %v, want %q): %s", e.N, forged[e.N], says[e.N], msg)
					}
					continue
				}
				seeds := uint64(allSeeds)
				if forged[e.N] {
					seeds = forgedSeeds
				}
				for seed := uint64(1); seed <= seeds; seed++ {
					res, seen := gradeBin(t, w.bin, e, seed)
					if !forged[e.N] {
						if !res.OK() {
							t.Errorf("seed %d: exercise %d, not forged, fails:\n%s", seed, e.N, res)
						}
						continue
					}
					if res.OK() || res.Status != ExerciseFailed {
						t.Errorf("seed %d: forged exercise %d: %s\n%s", seed, e.N, res.Status, res)
						continue
					}
					if !textcheck.ContainsWords(res.String(), says[e.N]) {
						t.Errorf("seed %d: exercise %d's verdict does not say %q:\n%s", seed, e.N, says[e.N], res)
					}
					for _, d := range seen {
						if l := leaks(res.String(), d.want, d.got); len(l) > 0 {
							t.Errorf("seed %d: exercise %d's verdict prints the reference %s %v:\n%s", seed, e.N, d.name, l, res)
						}
					}
				}
			}
		})
	}
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
