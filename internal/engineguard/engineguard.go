// Package engineguard lets a grading worker forbid, while learner code
// runs, the parts of package lesson/autodiff that an exercise asks the
// learner to write: autodiff's own backward pass (Value.Backward, Topo)
// and its activations (Value.Tanh, Value.Sigmoid). The source rules
// refuse code that names them; this guard also catches code that reaches
// them without naming them, e.g. any(out).(interface{ Backward() }).Backward().
//
// The package is internal to this module: a learner's program (another
// module) cannot import it, so it cannot lift the guard.
package engineguard

import (
	"fmt"
	"sync/atomic"
)

// Op is a set of guarded operations of package autodiff.
type Op uint32

// The guarded operations.
const (
	Backward Op = 1 << iota // Value.Backward
	Topo                    // autodiff.Topo
	Tanh                    // Value.Tanh
	Sigmoid                 // Value.Sigmoid
)

var names = map[Op]string{Backward: "Value.Backward", Topo: "Topo", Tanh: "Value.Tanh", Sigmoid: "Value.Sigmoid"}

// forbidden is the set of operations forbidden now, process-wide (a
// goroutine the learner started is refused too).
var forbidden atomic.Uint32

// Forbid forbids ops (besides those forbidden already) until restore is
// called, which puts back the set forbidden before.
func Forbid(ops Op) (restore func()) {
	for {
		old := forbidden.Load()
		if forbidden.CompareAndSwap(old, old|uint32(ops)) {
			return func() { forbidden.Store(old) }
		}
	}
}

// Check panics with a *Refusal if op is forbidden now. autodiff's guarded
// operations call it first.
func Check(op Op) {
	if forbidden.Load()&uint32(op) != 0 {
		panic(&Refusal{Op: names[op]})
	}
}

// Refusal is the panic of a forbidden operation.
type Refusal struct{ Op string }

func (r *Refusal) Error() string {
	return fmt.Sprintf("autodiff's %s may not run in this exercise: it is what the exercise asks you to write", r.Op)
}
