// Package autodifftest provides a correct backward pass of package
// autodiff written as a learner writes it, for the tests of the lessons and
// of the grading judge and worker, as net/http/httptest does for net/http.
// Only tests import it.
package autodifftest

import "github.com/backprop-lab/backprop/lesson/autodiff"

// Backward sets n.Grad = ∂out/∂n for every node n of out's graph, whatever
// the nodes held before. It sorts the graph with a recursive depth-first
// search (each node appended after all of its parents, once, out last),
// sets every node's Grad to 0, seeds out.Grad = 1 and then, from the last
// node of the order to the first, adds n.Grad · n.Local(k) to the Grad of
// each parent k of n, so that a value used several times gets the sum of
// its uses' contributions.
//
// It uses only what a learner's backward pass may use (Data, Grad,
// Parents, Local), never Value.Backward or autodiff.Topo: a grading
// worker's run-time guard (internal/engineguard) refuses those while
// learner code runs, and tests pass Backward where learner code goes.
func Backward(out *autodiff.Value) { backward(out, false) }

// BackwardParentsReversed is Backward with a sort that visits each node's
// parents last to first: another correct order, in which a node used
// several times gets its contributions added in another order (the same
// gradients up to rounding).
func BackwardParentsReversed(out *autodiff.Value) { backward(out, true) }

func backward(out *autodiff.Value, reversed bool) {
	var order []*autodiff.Value
	seen := map[*autodiff.Value]bool{}
	var visit func(n *autodiff.Value)
	visit = func(n *autodiff.Value) {
		if seen[n] {
			return
		}
		seen[n] = true
		ps := n.Parents()
		for i := range ps {
			if reversed {
				i = len(ps) - 1 - i
			}
			visit(ps[i])
		}
		order = append(order, n)
	}
	visit(out)
	for _, n := range order {
		n.Grad = 0
	}
	out.Grad = 1
	for i := len(order) - 1; i >= 0; i-- {
		n := order[i]
		for k, p := range n.Parents() {
			p.Grad += n.Grad * n.Local(k)
		}
	}
}
