package gradcheck

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// Message is a short, student-friendly sentence about the tensor: for a
// wrong one it names the worst element and gives a hint, e.g.
//
//	gradient of W1 is wrong: worst at (3, 17): analytic 0.0421, numeric 0.021
//	(relative error 0.33); 30 of 30 checked elements are wrong. Hint: …
//
// batch is the batch size, used by the hints (0 if unknown).
func (t TensorResult) Message(batch int) string {
	what := "gradient of " + t.Name
	if t.Name == InputName {
		what = "gradient with respect to the input x (the matrix Backward returns)"
	}
	w := t.Worst
	at := fmt.Sprintf("(%d, %d)", w.Row, w.Col)
	if w.Row < 0 {
		at = "along a random direction"
	}
	switch t.Status {
	case StatusFailed:
		msg := fmt.Sprintf("%s is wrong: worst at %s: analytic %.4g, numeric %.4g (relative error %.2g); %d of %d checked elements are wrong",
			what, at, w.Analytic, w.Numeric, w.RelErr, t.Failed, t.Checked)
		if h := hint(t, batch); h != "" {
			msg += ". Hint: " + h
		}
		return msg
	case StatusSuspicious:
		return fmt.Sprintf("%s is suspicious (not failed): worst at %s: analytic %.6g, numeric %.6g (relative error %.2g)",
			what, at, w.Analytic, w.Numeric, w.RelErr)
	case StatusKink:
		return fmt.Sprintf("%s could not be checked: all %d sampled elements sit at ReLU kinks", what, t.KinkSkipped)
	}
	return fmt.Sprintf("%s is correct (max relative error %.2g over %d elements)", what, t.MaxRelErr, t.Checked)
}

// hint guesses the cause of a wrong gradient from the ratio analytic /
// numeric of its worst elements and from the tensor's name.
func hint(t TensorResult, batch int) string {
	var ratios []float64
	for _, el := range t.Top {
		if el.Status == StatusFailed && el.Numeric != 0 && el.Row >= 0 {
			ratios = append(ratios, el.Analytic/el.Numeric)
		}
	}
	if len(ratios) >= 2 {
		r := ratios[0]
		same := true
		for _, q := range ratios[1:] {
			same = same && math.Abs(q-r) <= 0.02*math.Abs(r)
		}
		near := func(x float64) bool { return math.Abs(r-x) <= 0.02*math.Abs(x) }
		switch {
		case !same:
		case near(-1):
			return "your values have the wrong sign (analytic = −numeric)."
		case batch > 1 && near(float64(batch)):
			return fmt.Sprintf("your values are %d times too large, the batch size: average over the batch (divide by N).", batch)
		case batch > 1 && near(1/float64(batch)):
			return fmt.Sprintf("your values are %d times too small, the batch size: you divide by N twice.", batch)
		default:
			return fmt.Sprintf("your values are %.3g times the true ones everywhere: look for a stray constant factor.", r)
		}
	}
	switch {
	case t.Name == InputName:
		return "∂L/∂x = δ·W with δ = φ′(v) ⊙ g; multiplying g instead of δ by W (the lab's bug) or using Wᵀ gives this."
	case strings.HasPrefix(t.Name, "W"):
		return "∂E/∂W⁽ˢ⁾ = δ⁽ˢ⁾ᵀ·A⁽ˢ⁻¹⁾ (n_out×B)·(B×n_in); if the formula is right, the δ reaching this layer is wrong (check φ′ and the layer above)."
	case strings.HasPrefix(t.Name, "b"):
		return "∂E/∂b⁽ˢ⁾ is the column sum of δ⁽ˢ⁾ over the batch; if that is right, the δ reaching this layer is wrong."
	}
	return "compare your formula with the numeric values in the report's worst elements."
}

// Assert fails t with one short message per wrong tensor of r (see
// TensorResult.Message) and logs the suspicious ones. It returns r.OK().
func Assert(t testing.TB, r *Report) bool {
	t.Helper()
	for _, tr := range r.Tensors {
		switch tr.Status {
		case StatusFailed:
			t.Errorf("%s", tr.Message(r.Batch))
		case StatusSuspicious:
			t.Logf("%s", tr.Message(r.Batch))
		}
	}
	if !r.OK() {
		t.Logf("gradcheck %s: seed %d, step %g (rerun with the same seed to reproduce)", r.Name, r.Seed, r.Options.Step)
	}
	return r.OK()
}

// AssertLayer checks l on the batch x (see CheckLayer) and fails t if a
// gradient is wrong: one line in a grader's test,
//
//	gradcheck.AssertLayer(t, student.NewLayer(5, 3), x, nil)
func AssertLayer(t testing.TB, l nn.Layer, x *mat.Dense, o *Options) *Report {
	t.Helper()
	r := CheckLayer(l, x, o)
	Assert(t, r)
	return r
}

// AssertNetwork checks net on (x, labels) (see CheckNetwork) and fails t if
// a gradient is wrong.
func AssertNetwork(t testing.TB, net *nn.Network, x *mat.Dense, labels []int, o *Options) *Report {
	t.Helper()
	r := CheckNetwork(net, x, labels, o)
	Assert(t, r)
	return r
}
