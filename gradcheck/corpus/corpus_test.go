package corpus_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/gradcheck/corpus"
	"github.com/backprop-lab/backprop/nn"
)

// mode is one way of checking: a gradcheck mode, or Auto forced to spot
// checks.
type mode struct {
	name string
	opts gradcheck.Options
}

var modes = []mode{
	{"auto", gradcheck.Options{Mode: gradcheck.Auto}},
	{"full", gradcheck.Options{Mode: gradcheck.Full}},
	{"spot", gradcheck.Options{Mode: gradcheck.Auto, MaxFull: 4, Samples: 6}},
	{"directional", gradcheck.Options{Mode: gradcheck.Directional}},
}

// randomize overwrites every parameter with seeded values in [−1, 1), as
// graders do by default.
func randomize(l nn.Layer, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	for _, p := range l.Params() {
		r, c := p.Value.Dims()
		for i := range r {
			for j := range c {
				p.Value.Set(i, j, 2*rng.Float64()-1)
			}
		}
	}
}

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Errorf(f string, a ...any) { r.errs = append(r.errs, fmt.Sprintf(f, a...)) }
func (r *recorder) Logf(string, ...any)       {}

func TestCorrectCorpusHasNoFalseAlarms(t *testing.T) {
	cases := corpus.Correct()
	if len(cases) < 40 {
		t.Errorf("%d correct cases, want ≥ 40", len(cases))
	}
	alarms, total, undecidable := 0, 0, 0
	var table strings.Builder
	fmt.Fprintf(&table, "%-62s %s\n", "case", "verdicts (auto full spot directional) × (randomized, as built)")
	for i, c := range cases {
		nIn, nOut, n := c.Sizes(6, 5, 4)
		var row []string
		for _, rnd := range []bool{true, false} {
			for _, m := range modes {
				total++
				l := c.New(nIn, nOut)
				if rnd {
					randomize(l, uint64(i))
				}
				x := c.Input(uint64(i), n, nIn)
				o := m.opts
				o.Seed = uint64(i)
				r := gradcheck.CheckLayer(l, x, &o)
				rec := &recorder{TB: t}
				l2 := c.New(nIn, nOut)
				if rnd {
					randomize(l2, uint64(i))
				}
				gradcheck.AssertLayer(rec, l2, x, &o)
				verdict := "ok"
				for _, tr := range r.Tensors {
					if tr.Status == gradcheck.StatusKink {
						undecidable++
						verdict = "kink"
					}
				}
				if !r.OK() || len(rec.errs) > 0 {
					alarms++
					verdict = "FALSE ALARM"
					t.Errorf("%s (%s, randomized %v): false alarm\n%s\n%v", c.Name, m.name, rnd, r, rec.errs)
				}
				row = append(row, verdict)
			}
		}
		fmt.Fprintf(&table, "%-62s %s\n", c.Name, strings.Join(row, " "))
	}
	t.Logf("correct corpus: %d false alarms in %d checks of %d layers (%d undecidable tensors at kinks)\n%s",
		alarms, total, len(cases), undecidable, table.String())
}
