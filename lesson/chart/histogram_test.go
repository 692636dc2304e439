package chart

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestNiceStep(t *testing.T) {
	for _, tc := range []struct{ x, want float64 }{
		{0.0757, 0.1}, {0.12, 0.2}, {0.21, 0.25}, {0.3, 0.5}, {1, 1}, {1.0000000000001, 1}, {7, 10}, {2.2e-4, 2.5e-4},
	} {
		if got := niceStep(tc.x); math.Abs(got-tc.want) > 1e-15*tc.want {
			t.Errorf("niceStep(%g) = %g, want %g", tc.x, got, tc.want)
		}
	}
}

// TestNiceEdges checks that histogram bin edges are round numbers (at
// most 3 significant digits, as 0.15 or 2.5e-05), cover the values, and
// number about as many bins as asked.
func TestNiceEdges(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		bins   int
	}{
		{0, 3.02, 40},             // a⁽¹⁾ of a trained ReLU layer
		{0.0757, 2.497, 20},       // the odd ticks 0.07567, 1.286, 2.497 of old
		{-0.004261, 0.004723, 40}, // ∂E/∂W⁽¹⁾
		{-0.15, 0.31, 8},
		{2.5, 2.5, 10}, // a single value
		{0, 0, 10},
		{-1e6, 1e6, 7},
	} {
		e := niceEdges(tc.lo, tc.hi, tc.bins)
		if len(e) < 2 || e[0] > tc.lo || e[len(e)-1] < tc.hi {
			t.Errorf("niceEdges(%g, %g, %d) = %v does not cover the range", tc.lo, tc.hi, tc.bins, e)
			continue
		}
		if n := len(e) - 1; tc.lo != tc.hi && (n > tc.bins+2 || 2*n < tc.bins) {
			t.Errorf("niceEdges(%g, %g, %d): %d bins", tc.lo, tc.hi, tc.bins, n)
		}
		w := e[1] - e[0]
		for i, x := range e {
			if s := strconv.FormatFloat(x, 'e', -1, 64); len(strings.TrimLeft(strings.Split(s, "e")[0], "-")) > 4 { // d.dd
				t.Errorf("niceEdges(%g, %g, %d): edge %d is %s, not a round number", tc.lo, tc.hi, tc.bins, i, s)
			}
			if i > 0 && math.Abs(x-e[i-1]-w) > 1e-9*w {
				t.Errorf("niceEdges(%g, %g, %d): unequal bins %v", tc.lo, tc.hi, tc.bins, e)
				break
			}
		}
	}
}

func TestHistogramCounts(t *testing.T) {
	o := Histogram("h", []float64{0, 0.05, 0.1, 0.1, 0.19, 0.2}, WithBins(4)).Option()
	// Width 0.05: edges 0, 0.05, …, 0.2; the maximum 0.2 counts in the last bin.
	for _, want := range []string{"[0,1]", "[0.05,1]", "[0.1,2]", "[0.15,2]", "[0.2,2]", `"step":"end"`, `"min":0,`, `"max":0.2,`, `"minInterval":0.05,"maxInterval":0.05`} {
		if !strings.Contains(o, want) {
			t.Errorf("histogram option lacks %s: %s", want, o)
		}
	}
	if !strings.Contains(o, `n = 6, mean 0.1067\nmin 0, max 0.2`) {
		t.Errorf("subtitle is not two lines, count and mean then range: %s", o)
	}
}
