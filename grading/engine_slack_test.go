package grading

import (
	"math"
	"testing"

	"github.com/backprop-lab/backprop/grading/worker"
	"github.com/backprop-lab/backprop/lesson/autodiff"
	"github.com/backprop-lab/backprop/lesson/autodiff/autodifftest"
)

// Where a node's contributions cancel, two correct passes that add them in
// different orders differ by more than 1e-14·(1 + |∂|) (rounding scales
// with the terms, not with their sum); the allowance grows with what
// cancelled, so both pass, and stays tight where nothing cancels.
func TestEngineAllowanceCoversCancellation(t *testing.T) {
	// a feeds three products whose contributions to ∂out/∂a nearly cancel:
	// out = (a·c₁ + a·c₂) + a·c₃, ∂out/∂a = c₁ + c₂ + c₃.
	desc := []worker.GraphNode{
		leaf(1.1), leaf(1000.3), leaf(-1000.1), leaf(0.001),
		node("×", 0, 1), node("×", 0, 2), node("×", 0, 3),
		node("+", 4, 5), node("+", 7, 6),
	}
	want, slack := referenceWithSlack(desc)
	var grads [2][]float64
	for i, backward := range []func(*autodiff.Value){autodifftest.Backward, autodifftest.BackwardParentsReversed} {
		reversed := i == 1
		nodes, err := worker.BuildGraph(desc)
		if err != nil {
			t.Fatal(err)
		}
		backward(nodes[len(nodes)-1])
		for _, n := range nodes {
			grads[i] = append(grads[i], n.Grad)
		}
		if at, n := firstWrong(grads[i], want, slack); n > 0 {
			t.Errorf("a correct pass (parents visited reversed: %v) fails at node %d: %.17g, reference %.17g, allowance %.3g",
				reversed, at, grads[i][at], want[at], slack[at])
		}
	}
	if at, n := firstWrong(grads[1], grads[0], twice(slack)); n > 0 {
		t.Errorf("two correct passes differ beyond twice the allowance at node %d", at)
	}
	// The graph does what it is for: the two orders differ by more than the
	// allowance where nothing cancels.
	d := math.Abs(grads[0][0] - grads[1][0])
	if tight := 1e-14 * (1 + math.Abs(want[0])); d <= tight {
		t.Fatalf("the two orders differ by %.3g at a, within 1e-14·(1 + |∂|) = %.3g: the graph shows nothing", d, tight)
	}
	// Where nothing cancels (every leaf but a, a chain of products), the
	// allowance is the tight one.
	for i := 1; i < 4; i++ {
		if tight := 1e-14 * (1 + math.Abs(want[i])); slack[i] != tight {
			t.Errorf("node %d: allowance %.3g, want the tight %.3g (nothing cancels there)", i, slack[i], tight)
		}
	}
}
