package grading

import (
	"fmt"
	"strings"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/nn"
)

// The activations this package's reference computations use. The judge
// never links learner code (it runs in a worker process), so nothing a
// learner writes can change them; the practice checks, which run in the
// learner's kernel, use them as they are there.
var (
	softmax = nn.Softmax
	relu    = nn.ReLU
)

// UndecidedError is the check error of a report in which some tensor has
// no decidable element (every element sits at a kink, gradcheck's
// StatusKink) and no tensor failed: at this point the check can neither
// pass nor fail the gradient. A wrong layer checked only there must not
// pass, and a right one must not fail: checking at another point (random
// parameters) decides.
type UndecidedError struct {
	// Tensors are the undecided tensors' names.
	Tensors []string
}

func (e *UndecidedError) Error() string {
	return fmt.Sprintf("could not decide at this point (every element of %s sits at a kink): check at another point",
		strings.Join(e.Tensors, " and of "))
}

// decided makes a report's undecided tensors (Report.Undecided) a check
// error (an *UndecidedError in Report.CheckError) unless a tensor failed
// or the check already has an error; it returns r.
func decided(r *gradcheck.Report) *gradcheck.Report {
	if r == nil || r.CheckError != nil || len(r.Failures()) > 0 {
		return r
	}
	if u := r.Undecided(); len(u) > 0 {
		r.CheckError = &UndecidedError{Tensors: u}
	}
	return r
}
