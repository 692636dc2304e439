package gradcheck

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrLossNotFinite is the check error (Report.CheckError) of a loss that is
// NaN or ±Inf at the check point, or next to it: no derivative can be
// measured there, so the check could not run. It is not a wrong gradient.
var ErrLossNotFinite = errors.New("the loss is not finite at the check point")

// Status is the verdict on an element or a tensor, from best to worst.
type Status int

const (
	// StatusGood: relative error ≤ GoodRel (1e-7), or numeric and analytic
	// agree within the absolute test (float64 noise).
	StatusGood Status = iota
	// StatusOK: relative error ≤ SuspiciousRel (1e-4): acceptable.
	StatusOK
	// StatusSuspicious: relative error in (1e-4, 1e-2]: worth a look, but
	// not a failure (a loss with many kinks, or a large step, can do this).
	StatusSuspicious
	// StatusFailed: relative error > WrongRel (1e-2) and the absolute test
	// fails, at every step tried: the gradient is wrong.
	StatusFailed
	// StatusKink: undecidable at a kink. The element is wrong at every step
	// tried, but θ sits at a kink of f along it (a jump between its
	// one-sided slopes, Element.Left and Element.Right, that does not shrink
	// with the step): the derivative there depends on a convention
	// (ReLU′(0)), so the element is skipped, never failed. A tensor has this
	// status when every sampled element was skipped.
	StatusKink
	// StatusNotRun: the check could not run (the loss is not finite at θ
	// or θ ± h; see Report.CheckError): neither passed nor failed.
	StatusNotRun
)

func (s Status) String() string {
	switch s {
	case StatusGood:
		return "good"
	case StatusOK:
		return "ok"
	case StatusSuspicious:
		return "suspicious"
	case StatusFailed:
		return "FAILED"
	case StatusKink:
		return "undecidable (kinks)"
	case StatusNotRun:
		return "NOT RUN"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Element is one comparison of an analytic and a numeric derivative.
type Element struct {
	// Row and Col locate the element in its tensor (0-based; a bias b is
	// n_out×1, so its elements are (i, 0)); both are −1 for a directional
	// comparison.
	Row, Col int
	// Analytic is the caller's gradient (for a direction d: ⟨∇f, d⟩).
	Analytic float64
	// Numeric is the central difference (f(θ+h) − f(θ−h)) / 2h.
	Numeric float64
	// AbsErr is |a − n|; RelErr is |a − n| / max(|a| + |n|, tiny).
	AbsErr, RelErr float64
	// Tol is the absolute test's bound atol + rtol·|n| (with the noise
	// floor in atol); WithinNoise reports AbsErr ≤ Tol.
	Tol         float64
	WithinNoise bool
	// Step is the h of the central difference that decided the verdict.
	Step   float64
	Status Status
	// Left and Right are the one-sided slopes (f(θ) − f(θ−h))/h and
	// (f(θ+h) − f(θ))/h at h = Step/100 of an element undecidable at a kink
	// (StatusKink); 0 otherwise.
	Left, Right float64
}

// TensorResult is the verdict on one parameter tensor.
type TensorResult struct {
	Name       string
	Rows, Cols int
	// Method is how its elements were chosen: "full", "spot",
	// "directional", or "directional, then full|spot" after a directional
	// check that was not clean.
	Method string
	// Checked counts the elements compared (kinks excluded; 1 for a clean
	// directional check); Failed and Suspicious count those with that
	// status; KinkSkipped those skipped at a kink.
	Checked, Failed, Suspicious, KinkSkipped int
	// NotFinite counts the elements whose loss was not finite at θ ± h at
	// every step tried (they are not checked; see Report.CheckError).
	NotFinite int
	// MaxRelErr is the largest relative error of the checked elements (the
	// CS231n number). Elements whose gradient is at the float64 noise level
	// can show a large one and still pass the absolute test: see Worst.
	MaxRelErr float64
	// Worst is the worst checked element (by status, then relative error);
	// zero if Checked is 0.
	Worst Element
	// Top are the TopK worst checked elements, worst first.
	Top []Element
	// Direction is the directional comparison, in Directional mode.
	Direction *Element
	// Status is the worst status of the checked elements (StatusKink if
	// none could be checked).
	Status Status
	// Diagnosis is the most likely cause of a wrong gradient (nil if the
	// tensor did not fail): see Cause.
	Diagnosis *Diagnosis
}

// Size returns the number of elements of the tensor.
func (t TensorResult) Size() int { return t.Rows * t.Cols }

// OK reports whether the tensor did not fail and was checked.
func (t TensorResult) OK() bool { return t.Status != StatusFailed && t.Status != StatusNotRun }

// Report is the result of a check.
type Report struct {
	// Name says what was checked ("network 784-96-10", "layer *nn.Dense",
	// "function").
	Name    string
	Tensors []TensorResult
	// Seed is the seed of the spot samples, directions and upstream
	// gradient: rerunning with the same Options reproduces the report.
	Seed uint64
	// Options are the options used, defaults filled in.
	Options Options
	// Loss is f(θ).
	Loss float64
	// Batch is the batch size of a network or layer check (0 otherwise);
	// the hints use it.
	Batch int
	// Evaluations counts the loss evaluations; Elapsed the wall time.
	Evaluations int
	Elapsed     time.Duration
	// CheckError, if not nil, says why the check could not run, in whole
	// or in part (errors.Is(err, ErrLossNotFinite): the loss is not finite
	// at θ or next to it). It is an error of the check, not a verdict on
	// the gradients: commands exit with 2, not 1, and results.json marks
	// it as such. OK is false.
	CheckError error

	results [][]Element // every element compared, per tensor (for the diagnosis)
}

// OK reports whether the check ran and no tensor failed.
func (r *Report) OK() bool {
	if r.CheckError != nil {
		return false
	}
	for _, t := range r.Tensors {
		if !t.OK() {
			return false
		}
	}
	return true
}

// Status returns the worst status of the tensors (kink-only tensors count
// as good).
func (r *Report) Status() Status {
	if r.CheckError != nil {
		return StatusNotRun
	}
	s := StatusGood
	for _, t := range r.Tensors {
		if t.Status != StatusKink {
			s = max(s, t.Status)
		}
	}
	return s
}

// Failures returns the tensors that failed.
func (r *Report) Failures() []TensorResult {
	var out []TensorResult
	for _, t := range r.Tensors {
		if !t.OK() {
			out = append(out, t)
		}
	}
	return out
}

// Tensor returns the result for the tensor called name, or nil.
func (r *Report) Tensor(name string) *TensorResult {
	for i := range r.Tensors {
		if r.Tensors[i].Name == name {
			return &r.Tensors[i]
		}
	}
	return nil
}

// Err returns nil if the check passed, else an error whose message names
// every wrong tensor and its worst element (see TensorResult.Message).
func (r *Report) Err() error {
	if r.CheckError != nil {
		return fmt.Errorf("gradcheck: %s: check not run: %w", r.Name, r.CheckError)
	}
	f := r.Failures()
	if len(f) == 0 {
		return nil
	}
	msgs := make([]string, len(f))
	for i, t := range f {
		msgs[i] = t.Message(r.Batch)
	}
	return fmt.Errorf("gradcheck: %s", strings.Join(msgs, "; "))
}
