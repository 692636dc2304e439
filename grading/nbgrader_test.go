package grading

import (
	"strings"
	"testing"
)

// TestAssert: a graded run (nbgrader's) panics on every verdict but ✓,
// naming the exercise and the status, after printing the verdict; an
// ungraded run only prints.
func TestAssert(t *testing.T) {
	right := func(v float64) float64 {
		if v > 0 {
			return 1
		}
		return 0
	}
	for _, tc := range []struct {
		name   string
		f      func(float64) float64
		panics string // "" for no panic in a graded run
	}{
		{"right", right, ""},
		{"stub", func(float64) float64 { panic("not implemented") }, "ReLU′: not implemented yet"},
		{"wrong", func(v float64) float64 { return max(v, 0) }, "ReLU′: failed"},
	} {
		r := ReLUPrime(tc.f)
		for _, graded := range []bool{false, true} {
			var out strings.Builder
			got := func() (p any) {
				defer func() { p = recover() }()
				r.assert(&out, graded)
				return nil
			}()
			if out.String() != r.String()+"\n" {
				t.Errorf("%s, graded %v: printed %q, want the verdict %q", tc.name, graded, out.String(), r.String())
			}
			switch {
			case !graded || tc.panics == "":
				if got != nil {
					t.Errorf("%s, graded %v: panicked %v", tc.name, graded, got)
				}
			case got == nil:
				t.Errorf("%s, graded: no panic, want one with %q", tc.name, tc.panics)
			case !strings.Contains(got.(string), tc.panics) || !strings.Contains(got.(string), "0 points"):
				t.Errorf("%s, graded: panic %q, want %q and 0 points", tc.name, got, tc.panics)
			}
		}
	}
}

// TestAssertReadsNbgraderExecution: Assert is graded exactly when the
// variable nbgrader sets is.
func TestAssertReadsNbgraderExecution(t *testing.T) {
	stub := ReLUPrime(func(float64) float64 { panic("not implemented") })
	t.Setenv(NbgraderExecution, "")
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Errorf("Assert panicked without %s: %v", NbgraderExecution, p)
			}
		}()
		stub.Assert()
	}()
	t.Setenv(NbgraderExecution, "autograde")
	defer func() {
		if recover() == nil {
			t.Errorf("Assert did not panic with %s=autograde", NbgraderExecution)
		}
	}()
	stub.Assert()
}
