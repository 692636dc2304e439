package worker

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/backprop-lab/backprop/lesson/autodiff"
	"github.com/backprop-lab/backprop/lesson/autodiff/autodifftest"
)

// diamond is a = x·y, f = a·(a + x) + a; sharedSum is b := a + a, f = b·c.
var (
	diamond = []GraphNode{{V: 1.5}, {V: -0.5}, {Op: "×", Parents: []int{0, 1}}, {Op: "+", Parents: []int{2, 0}},
		{Op: "×", Parents: []int{2, 3}}, {Op: "+", Parents: []int{4, 2}}}
	sharedSum = []GraphNode{{V: 3}, {V: -2}, {Op: "+", Parents: []int{0, 0}}, {Op: "×", Parents: []int{2, 1}}}
)

// frames is an Asker that sends every query and answer through the
// pipes' framing (gob), as a worker process does.
type frames struct{ s *Session }

func (f frames) Ask(q Query) (Answer, error) {
	var buf bytes.Buffer
	if err := writeFrame(&buf, q); err != nil {
		return Answer{}, err
	}
	var q2 Query
	if err := readFrame(&buf, &q2); err != nil {
		return Answer{}, err
	}
	a, err := f.s.Ask(q2)
	if err != nil {
		return a, err
	}
	if err := writeFrame(&buf, a); err != nil {
		return Answer{}, err
	}
	var a2 Answer
	return a2, readFrame(&buf, &a2)
}

// A graph description crosses the pipes and comes back as every node's
// gradient, twice, in the description's order.
func TestEngineQueriesCrossThePipes(t *testing.T) {
	c := Client{A: frames{NewGuardedSession(Funcs{EngineBackward: autodifftest.Backward,
		EngineTanh: func(x *autodiff.Value) *autodiff.Value {
			z := math.Tanh(x.Data)
			return autodiff.NewOp("tanh", z, []*autodiff.Value{x}, []float64{1 - z*z})
		}})}}
	first, second := c.EngineBackward(diamond)
	// x = 1.5, y = −0.5, a = −0.75: ∂f/∂a = 2a + x + 1 = 1, ∂f/∂x = a + ∂f/∂a·y = −1.25, ∂f/∂y = ∂f/∂a·x = 1.5.
	want := []float64{-1.25, 1.5, 1, -0.75, 1, 1}
	for i := range want {
		if math.Abs(first[i]-want[i]) > 1e-12 || second[i] != first[i] {
			t.Fatalf("gradients %v then %v, want %v", first, second, want)
		}
	}
	first, _ = c.EngineBackward(sharedSum)
	if first[0] != -4 {
		t.Errorf("b := a + a: ∂f/∂a = %v, want −4", first[0])
	}
	pts := c.EngineOp("tanh", []float64{0.5, -2})
	if len(pts) != 2 || !pts[0].ParentIsX || pts[0].Parents != 1 || pts[1].Data != math.Tanh(-2) || pts[1].Local != 1-math.Tanh(-2)*math.Tanh(-2) {
		t.Errorf("tanh points: %+v", pts)
	}
	if _, err := (frames{NewSession(Funcs{EngineBackward: autodifftest.Backward})}).Ask(Query{Op: "engineOp", Kind: "tanh", F: []float64{1}}); err != nil {
		t.Errorf("a missing operation is an answer, not an error: %v", err)
	}
}

// A malformed description is the judge's error, never a learner's panic.
func TestBuildGraphRefusesMalformed(t *testing.T) {
	for name, g := range map[string][]GraphNode{
		"empty":           nil,
		"parent later":    {{V: 1}, {Op: "+", Parents: []int{0, 2}}, {V: 2}},
		"parent itself":   {{Op: "exp", Parents: []int{0}}},
		"wrong arity":     {{V: 1}, {Op: "×", Parents: []int{0}}},
		"unknown op":      {{V: 1}, {Op: "sin", Parents: []int{0}}},
		"leaf w/ parents": {{V: 1}, {Parents: []int{0}}},
		"too large":       make([]GraphNode, MaxGraphNodes+1),
	} {
		if _, err := BuildGraph(g); err == nil {
			t.Errorf("%s: built", name)
		}
		s := NewGuardedSession(Funcs{EngineBackward: autodifftest.Backward})
		if _, err := s.Ask(Query{Op: "engineBackward", Graph: g}); err == nil {
			t.Errorf("%s: answered", name)
		}
	}
}

// The worker program (Serve) runs the guarded session: a backward pass
// that reaches autodiff's Backward through an interface panics there.
func TestServeGuardsTheEngine(t *testing.T) {
	p, err := Start(buildProg(t), nil, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var msg string
	func() {
		defer func() {
			if e, ok := recover().(*PanicError); ok {
				msg = e.Msg
			}
		}()
		Client{A: p}.EngineBackward(diamond)
	}()
	if !strings.Contains(msg, "Value.Backward may not run in this exercise") {
		t.Errorf("the worker's answer: panic %q", msg)
	}
}
