package grading

import "github.com/backprop-lab/backprop/grading/runner"

// Graded is the exercise as the source rules see it (runner.SelectGraded,
// runner.CheckDerived): its unit's name, the functions it calls, and the
// identifiers of package nn it may use.
func (e Exercise) Graded() runner.Graded {
	g := runner.Graded{Name: e.Unit(0).Name, MayUse: e.MayUse}
	for _, b := range e.Bindings() {
		g.Roots = append(g.Roots, b.Ident)
	}
	return g
}

// GradedList is every exercise's Graded, in order.
func GradedList() []runner.Graded {
	var out []runner.Graded
	for _, e := range exercises {
		out = append(out, e.Graded())
	}
	return out
}
