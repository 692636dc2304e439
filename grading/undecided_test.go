package grading

import (
	"errors"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/gradcheck/corpus"
	"github.com/backprop-lab/backprop/internal/textcheck"
)

// A wrong layer checked only where every element of W and b sits at a
// kink (zero weights, kept as built) used to pass: there the check cannot
// decide, so it is a check error, neither pass nor fail.
func TestUndecidedIsACheckErrorNotAPass(t *testing.T) {
	c := DefaultConfig()
	c.Randomize, c.Hidden = false, nil
	r := Run(c, newLabBug)[0] // zero weights: v = 0 everywhere
	var u *UndecidedError
	if r.OK() || !errors.As(r.Report.CheckError, &u) || strings.Join(u.Tensors, ",") != "W,b" {
		t.Fatalf("OK %v, check error %v; want an undecided W and b\n%s", r.OK(), r.Report.CheckError, r.Report)
	}
	v := c.verdict(r)
	want := "could not decide at this point (every element of W and of b sits at a kink): check at another point"
	if v.Passed || v.CheckError != want || !textcheck.ContainsWords(v.Text, "CHECK NOT RUN") {
		t.Errorf("verdict %+v, want check error %q", v, want)
	}
	for _, test := range v.Tests {
		if test.Status != "failed" || test.Score != 0 || textcheck.ContainsWords(test.Output, "overflow") {
			t.Errorf("test %+v", test)
		}
	}
	// At a random point the same layer is decided: wrong.
	c.Randomize = true
	if r := Run(c, newLabBug)[0]; r.OK() || r.Report.CheckError != nil {
		t.Errorf("randomized: OK %v, check error %v", r.OK(), r.Report.CheckError)
	}
}

// The corpus of correct but unusual layers through grade: with random
// parameters each passes; as built, each passes or is a check error
// (cannot be decided, or the loss is not finite), never fails.
func TestCorpusThroughGrade(t *testing.T) {
	undecided, notFinite := 0, 0
	for _, cs := range corpus.Correct() {
		c := DefaultConfig()
		c.In, c.Out, c.Batch = cs.Sizes(c.In, c.Out, c.Batch)
		if cs.In > 0 || cs.Out > 0 || cs.Batch > 0 || cs.InputScale != 0 {
			c.Hidden = nil // the case needs its own sizes or inputs: the layer check only
		}
		for _, rnd := range []bool{true, false} {
			c.Randomize = rnd
			for _, r := range Run(c, cs.New) {
				switch {
				case r.OK():
				case !rnd && r.Panic == "" && errors.As(r.Report.CheckError, new(*UndecidedError)):
					undecided++
				case !rnd && r.Panic == "" && errors.Is(r.Report.CheckError, gradcheck.ErrLossNotFinite):
					notFinite++ // ±1e3 weights in a network: a check error too
				case r.Panic != "":
					t.Errorf("%s (randomized %v): %s", cs.Name, rnd, r.Panic)
				default:
					t.Errorf("%s (randomized %v): false alarm\n%s", cs.Name, rnd, r.Report)
				}
			}
		}
	}
	t.Logf("%d correct layers: 0 false alarms; as built, %d checks undecided and %d with a loss that is not finite",
		len(corpus.Correct()), undecided, notFinite)
}
