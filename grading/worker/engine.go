package worker

// The engine exercises (lesson/autodiff): the judge describes a graph, the
// worker builds it with autodiff and runs the learner's backward pass on
// it; or the judge sends points x, the worker runs the learner's
// operation at each and reports the node it made.

import (
	"fmt"
	"math"

	"github.com/backprop-lab/backprop/internal/engineguard"
	"github.com/backprop-lab/backprop/lesson/autodiff"
)

// GraphNode is one node of a graph description, in an order where every
// node comes after its parents (the output last): a leaf (Op "") with
// value V, or an operation of package autodiff on the nodes Parents
// (indices of earlier nodes; one index may appear twice, as in b := a + a):
//
//	"+", "×"                      two parents
//	"exp", "tanh", "σ", "relu"    one parent
//	"^"                           one parent, to the constant power V
//
// A description carries no labels: the nodes the learner's code receives
// say only what autodiff says of every node.
type GraphNode struct {
	Op      string
	Parents []int
	V       float64
}

// graphArity is the number of parents of each operation of a description.
var graphArity = map[string]int{"": 0, "+": 2, "×": 2, "exp": 1, "tanh": 1, "σ": 1, "relu": 1, "^": 1}

// MaxGraphNodes bounds a graph description's size.
const MaxGraphNodes = 1 << 12

// BuildGraph builds the described graph with package autodiff and returns
// its nodes in the description's order (the output last), or an error
// naming what is malformed.
func BuildGraph(desc []GraphNode) ([]*autodiff.Value, error) {
	if len(desc) == 0 || len(desc) > MaxGraphNodes {
		return nil, fmt.Errorf("a graph of %d nodes", len(desc))
	}
	nodes := make([]*autodiff.Value, len(desc))
	for i, d := range desc {
		n, ok := graphArity[d.Op]
		if !ok || len(d.Parents) != n {
			return nil, fmt.Errorf("node %d: operation %q with %d parents", i, d.Op, len(d.Parents))
		}
		var p []*autodiff.Value
		for _, k := range d.Parents {
			if k < 0 || k >= i {
				return nil, fmt.Errorf("node %d: parent %d is not an earlier node", i, k)
			}
			p = append(p, nodes[k])
		}
		switch d.Op {
		case "":
			nodes[i] = autodiff.New(d.V, "")
		case "+":
			nodes[i] = p[0].Add(p[1])
		case "×":
			nodes[i] = p[0].Mul(p[1])
		case "exp":
			nodes[i] = p[0].Exp()
		case "tanh":
			nodes[i] = p[0].Tanh()
		case "σ":
			nodes[i] = p[0].Sigmoid()
		case "relu":
			nodes[i] = p[0].ReLU()
		case "^":
			nodes[i] = p[0].Pow(d.V)
		}
	}
	return nodes, nil
}

// OpPoint is what a learner's one-input operation made at x: the node's
// value, how many parents it has and whether its only parent is x itself,
// and its local derivative (Local(0), NaN unless the parent is x).
type OpPoint struct {
	X, Data, Local float64
	Parents        int
	ParentIsX      bool
}

// engineOp is the learner's operation named kind ("tanh", "sigmoid").
func (f Funcs) engineOp(kind string) func(*autodiff.Value) *autodiff.Value {
	switch kind {
	case "tanh":
		return f.EngineTanh
	case "sigmoid":
		return f.EngineSigmoid
	}
	panic(operandError{fmt.Errorf("no engine operation %q", kind)})
}

// guard forbids ops of package autodiff while learner code runs, in a
// worker process (see internal/engineguard); the in-process practice
// sessions leave them allowed.
func (s *Session) guard(ops engineguard.Op) func() {
	if !s.guarded {
		return func() {}
	}
	return engineguard.Forbid(ops)
}

// engineOps are the queries of the engine exercises (part of ops).
var engineOps = map[string]func(*Session, Query) Answer{
	// Graph → F = every node's Grad after EngineBackward(out), in the
	// description's order, then every node's Grad after a second call on
	// the same graph. Value.Backward and Topo are forbidden meanwhile.
	"engineBackward": func(s *Session, q Query) Answer {
		if s.funcs.EngineBackward == nil {
			return missing
		}
		nodes := must(BuildGraph(q.Graph))
		defer s.guard(engineguard.Backward | engineguard.Topo)()
		out := nodes[len(nodes)-1]
		f := make([]float64, 0, 2*len(nodes))
		for range 2 {
			s.funcs.EngineBackward(out)
			for _, n := range nodes {
				f = append(f, n.Grad)
			}
		}
		return Answer{F: f}
	},
	// Kind ("tanh", "sigmoid"), F = points x → F = per point the node's
	// Data and Local(0) (NaN unless its only parent is x), Ints = per
	// point its number of parents and 1 if its only parent is x, else 0.
	// Value.Tanh and Value.Sigmoid are forbidden meanwhile, and so are
	// Value.Backward and Topo: autodiff's backward pass on tanh built from
	// its exponentials would answer the local derivative underived.
	"engineOp": func(s *Session, q Query) Answer {
		op := s.funcs.engineOp(q.Kind)
		if op == nil {
			return missing
		}
		defer s.guard(engineguard.Tanh | engineguard.Sigmoid | engineguard.Backward | engineguard.Topo)()
		var a Answer
		for _, x0 := range q.F {
			x := autodiff.New(x0, "")
			z := op(x)
			if z == nil {
				panic(fmt.Sprintf("%s returned nil", q.Kind))
			}
			ps := z.Parents()
			isX := len(ps) == 1 && ps[0] == x
			local := math.NaN()
			if isX {
				local = z.Local(0)
			}
			a.F = append(a.F, z.Data, local)
			a.Ints = append(a.Ints, len(ps), map[bool]int{true: 1}[isX])
		}
		return a
	},
}

func init() {
	for k, op := range engineOps {
		ops[k] = op
	}
}

// EngineBackward builds the described graph in the worker, runs the
// learner's backward pass from its output twice, and returns every node's
// gradient after the first and after the second call, in the
// description's order.
func (c Client) EngineBackward(graph []GraphNode) (first, second []float64) {
	a := c.ask(Query{Op: "engineBackward", Graph: graph})
	if len(a.F) != 2*len(graph) {
		panic(&Failure{"malformed answer"})
	}
	return a.F[:len(graph)], a.F[len(graph):]
}

// EngineOp runs the learner's operation kind ("tanh", "sigmoid") at each
// of xs and returns what it made.
func (c Client) EngineOp(kind string, xs []float64) []OpPoint {
	a := c.ask(Query{Op: "engineOp", Kind: kind, F: xs})
	if len(a.F) != 2*len(xs) || len(a.Ints) != 2*len(xs) {
		panic(&Failure{"malformed answer"})
	}
	out := make([]OpPoint, len(xs))
	for i, x := range xs {
		out[i] = OpPoint{X: x, Data: a.F[2*i], Local: a.F[2*i+1], Parents: a.Ints[2*i], ParentIsX: a.Ints[2*i+1] == 1}
	}
	return out
}
