package corpus_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/gradcheck/corpus"
)

// TestDiagnosisNamesTheCause checks every wrong layer of the corpus: it
// must fail, the tensor the case names must carry the case's cause first
// for at least 90% of the cases, and no wrong cause may be stated as
// certain. It prints the confusion table (expected cause → named cause).
func TestDiagnosisNamesTheCause(t *testing.T) {
	cases := corpus.Wrong()
	if len(cases) < 25 {
		t.Errorf("%d wrong cases, want ≥ 25", len(cases))
	}
	confusion := map[gradcheck.Cause]map[string]int{}
	right, certainWrong, total := 0, 0, 0
	var lines strings.Builder
	for k := range 2 * len(cases) {
		i, c := k%len(cases), cases[k%len(cases)]
		rnd := k < len(cases) // then the constructor's own parameters
		total++
		nIn, nOut, n := c.Sizes(6, 5, 4)
		l := c.New(nIn, nOut)
		if rnd {
			randomize(l, uint64(100+i))
		}
		r := gradcheck.CheckLayer(l, c.Input(uint64(100+k), n, nIn), &gradcheck.Options{Seed: uint64(k)})
		if r.OK() {
			t.Errorf("%s: passed\n%s", c.Name, r)
			continue
		}
		tr := r.Tensor(c.Tensor)
		got, conf := "(tensor passed)", gradcheck.Unsure
		if tr != nil && tr.Diagnosis != nil {
			got, conf = string(tr.Diagnosis.Cause), tr.Diagnosis.Confidence
		}
		if confusion[c.Cause] == nil {
			confusion[c.Cause] = map[string]int{}
		}
		confusion[c.Cause][got]++
		ok := got == string(c.Cause)
		if ok {
			right++
		} else if conf == gradcheck.Certain {
			certainWrong++
			t.Errorf("%s: %s named %q as certain, want %q\n%s", c.Name, c.Tensor, got, c.Cause, r)
		}
		mark := "ok"
		if !ok {
			mark = "MISSED"
			t.Logf("%s: %s diagnosed %q (%s), want %q:\n%s", c.Name, c.Tensor, got, conf, c.Cause, tr.Message(r.Batch))
		}
		fmt.Fprintf(&lines, "%-6s %-55s %-5v %s: %s (%s)\n", mark, c.Name, rnd, c.Tensor, got, conf)
	}
	var table strings.Builder
	fmt.Fprintf(&table, "%-34s %s\n", "expected cause", "named first (count)")
	var keys []string
	for k := range confusion {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	for _, k := range keys {
		var cells []string
		for g, n := range confusion[gradcheck.Cause(k)] {
			cells = append(cells, fmt.Sprintf("%s (%d)", g, n))
		}
		sort.Strings(cells)
		fmt.Fprintf(&table, "%-34s %s\n", k, strings.Join(cells, ", "))
	}
	t.Logf("diagnosis: right cause first in %d of %d checks of %d wrong layers (%.0f%%; randomized, then as built); %d wrong causes stated as certain\n%-6s %-55s %-5s %s\n%s\n%s",
		right, total, len(cases), 100*float64(right)/float64(total), certainWrong, "", "case", "rand.", "tensor: cause named first (confidence)", lines.String(), table.String())
	if 10*right < 9*total {
		t.Errorf("right cause first in %d of %d, want ≥ 90%%", right, total)
	}
}
