package gradcheck

import (
	"fmt"
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
		if d := t.Diagnosis; d != nil && d.Cause == CauseInputModified {
			return fmt.Sprintf("%s is wrong: %s", what, d)
		}
		msg := fmt.Sprintf("%s is wrong: worst at %s: analytic %.4g, numeric %.4g (relative error %.2g); %d of %d checked elements are wrong",
			what, at, w.Analytic, w.Numeric, w.RelErr, t.Failed, t.Checked)
		if d := t.Diagnosis; d != nil && d.Cause != CauseUnknown {
			// The diagnosis first, in one line; the numbers after it.
			return fmt.Sprintf("%s is wrong: %s. %s", what, d, strings.TrimPrefix(msg, what+" is wrong: "))
		}
		if h := hint(t, batch); h != "" {
			msg += ". Hint: " + h
		}
		return msg
	case StatusNotRun:
		return fmt.Sprintf("%s was not checked: the loss is not finite at the check point (or next to it)", what)
	case StatusSuspicious:
		return fmt.Sprintf("%s is suspicious (not failed): worst at %s: analytic %.6g, numeric %.6g (relative error %.2g)",
			what, at, w.Analytic, w.Numeric, w.RelErr)
	case StatusKink:
		return fmt.Sprintf("%s is undecidable at a kink: each of its %d elements sits at a kink of the function (a jump in slope), where the derivative is a convention; not failed", what, t.KinkSkipped)
	}
	return fmt.Sprintf("%s is correct (max relative error %.2g over %d elements)", what, t.MaxRelErr, t.Checked)
}

// hint is the formula to compare with when the diagnosis found no cause.
func hint(t TensorResult, batch int) string {
	switch {
	case t.Name == InputName:
		return "∂L/∂x = Δ·W (N×n_out)·(n_out×n_in) with Δ = φ′(V) ⊙ G."
	case strings.HasPrefix(t.Name, "W"):
		return "∂E/∂W⁽ˢ⁾ = Δ⁽ˢ⁾ᵀ·A⁽ˢ⁻¹⁾ (n_out×N)·(N×n_in), the sum over the batch of δ⁽ˢ⁾a⁽ˢ⁻¹⁾ᵀ; if the formula is right, the Δ reaching this layer is wrong (check φ′ and the layer above)."
	case strings.HasPrefix(t.Name, "b"):
		return "∂E/∂b⁽ˢ⁾ is the column sum of δ⁽ˢ⁾ over the batch; if that is right, the δ reaching this layer is wrong."
	}
	return "compare your formula with the numeric values in the report's worst elements."
}

// Assert fails t with one short message per wrong tensor of r (see
// TensorResult.Message), or with the check error if the check could not
// run, and logs the suspicious ones. It returns r.OK().
func Assert(t testing.TB, r *Report) bool {
	t.Helper()
	if r.CheckError != nil {
		t.Errorf("gradcheck %s: check not run: %v", r.Name, r.CheckError)
		return false
	}
	for _, tr := range r.Tensors {
		switch tr.Status {
		case StatusFailed:
			t.Errorf("%s", tr.Message(r.Batch))
		case StatusKink:
			t.Logf("%s", tr.Message(r.Batch))
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
