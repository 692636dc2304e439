package lesson

import (
	"fmt"
	"strings"

	"github.com/backprop-lab/backprop/grading"
	"github.com/backprop-lab/backprop/lesson/autodiff"
)

// This file holds the "build the engine" practice of lesson 02: the
// learner writes the backward pass of package autodiff's Value (the
// topological sort and the reverse loop) and two operations, tanh and
// sigmoid, with their local derivatives. The checks, and the table of the
// classic mistakes they name, are package grading's (grading/engine.go),
// shared with the graded exercises 10 and 11 of notebook 10: here they
// run on small fixed probe graphs, in the learner's kernel, and show the
// expected gradients.

// EngineBackward is the learner's backward pass: after backward(out),
// n.Grad must be ∂out/∂n for every node n of out's graph, whatever the
// nodes' Grad fields held before.
type EngineBackward = grading.BackwardFunc

// EngineOp is a learner's one-input operation, e.g. tanh: it returns a new
// node (autodiff.NewOp) whose only parent is x.
type EngineOp = grading.OpFunc

// EngineResult is the verdict of a practice check.
type EngineResult = grading.EngineResult

// EngineDiagnosis is one diagnosable cause of a wrong engine, with an
// example of the mistake (see grading.EngineDiagnosis).
type EngineDiagnosis = grading.EngineDiagnosis

// EngineDiagnoses are the causes the practice checks name: package
// grading's table, the one the graded exercises use.
var EngineDiagnoses = grading.EngineDiagnoses

// EngineMistake returns the diagnosis of key; it panics if there is none.
func EngineMistake(key string) EngineDiagnosis { return grading.EngineMistake(key) }

// CheckEngineBackward runs backward on the probe graphs (a tree, b := a +
// a, a diamond), compares every node's gradient with autodiff's Backward
// on the same graph, calls it a second time on the same graph, and names
// what went wrong (grading.PracticeEngineBackward).
func CheckEngineBackward(backward EngineBackward) EngineResult {
	return grading.PracticeEngineBackward(backward)
}

// CheckEngineOps checks the learner's tanh and sigmoid at fixed points:
// the value, that the node hangs on x, the local derivative against the
// formula and central differences (grading.PracticeEngineOps).
func CheckEngineOps(tanh, sigmoid EngineOp) EngineResult {
	return grading.PracticeEngineOps(tanh, sigmoid)
}

// protect runs f and returns the message of a panic it raised, "" if none.
func protect(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

// EngineBugsDemo runs b := a + a at a = 3 through a backward pass twice,
// with autodiff's Backward, the overwriting and the stale mistakes, and
// yours, and prints ∂b/∂a after each call (2 both times is right). A panic
// of yours is printed, not raised.
func EngineBugsDemo(yours EngineBackward) string {
	var b strings.Builder
	row := func(name string, backward EngineBackward) {
		a := autodiff.New(3, "a")
		sum := a.Add(a)
		var first, second float64
		if msg := protect(func() {
			backward(sum)
			first = a.Grad
			backward(sum)
			second = a.Grad
		}); msg != "" {
			fmt.Fprintf(&b, "%-52s panicked: %s\n", name, msg)
			return
		}
		fmt.Fprintf(&b, "%-52s ∂b/∂a = %g, then %g\n", name, first, second)
	}
	row("autodiff's Backward", (*autodiff.Value).Backward)
	for _, key := range []string{"overwrite", "stale"} {
		d := EngineMistake(key)
		row(d.Name, d.Mistake)
	}
	row("yours", yours)
	return b.String()
}
