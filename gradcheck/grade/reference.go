package grade

import "github.com/backprop-lab/backprop/nn"

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
