package grading

import (
	"fmt"
	"strings"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/nn"
)

// The activations this package's reference computations use, captured when
// it is initialised. A grading program initialises this package before any
// of the learner's code (cmd/nbgrade's learner code is package main, which
// imports it; cmd/gradcheck adds an import of it to the student's
// packages), so a learner's code that replaced nn.Softmax or nn.ReLU would
// not change what the checks compare with. Graded code may not assign
// another package's variables anyway (runner.CheckImports): this is the
// second line of defence.
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
