package grading

// Build the engine: the learner writes the backward pass of package
// autodiff's Value (the topological sort and the reverse loop) and two of
// its operations, tanh and sigmoid, with their local derivatives. This file
// holds what lesson 02's practice and exercises 10 and 11 share: the
// causes a wrong engine is diagnosed by (EngineDiagnoses, the only table of
// them), the graphs the backward pass is run on (fixed probes for the
// practice, graphs drawn afresh for grading), and the two halves of a
// check: observe (ask the learner's code through a worker.Client: the
// worker builds each described graph with autodiff, runs the learner's
// code and answers numbers) and judge (compare with autodiff's own
// Backward on the same description, in this process, and name the
// causes). A graded verdict never shows an expected gradient; the
// practice of lesson 02 does (showWant).

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/grading/worker"
	"github.com/backprop-lab/backprop/lesson/autodiff"
)

// BackwardFunc is the learner's backward pass: after backward(out), n.Grad
// must be ∂out/∂n for every node n of out's graph, whatever the nodes'
// Grad fields held before.
type BackwardFunc = func(out *autodiff.Value)

// OpFunc is a learner's one-input operation, e.g. tanh: it returns a new
// node (autodiff.NewOp) whose only parent is x.
type OpFunc = func(x *autodiff.Value) *autodiff.Value

// EngineResult is the verdict of a check of the engine: what was checked,
// whether it passed, one sentence, the keys of the EngineDiagnoses that
// fit (in table order), and the details (what differed, the causes' hints).
type EngineResult struct {
	Title   string
	OK      bool
	Summary string
	Causes  []string
	Details []string
}

// String prints "✓ title: summary" or "✗ title: summary" and the details,
// every line indented.
func (r EngineResult) String() string {
	mark := "✓"
	if !r.OK {
		mark = "✗"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s", mark, r.Title, r.Summary)
	for _, d := range r.Details {
		b.WriteString("\n    " + strings.ReplaceAll(d, "\n", "\n    "))
	}
	return wrapLines(b.String(), verdictWidth)
}

// backwardOutcome is what the graphs showed of a backward pass.
type backwardOutcome struct {
	panicked     string // the learner's panic, "" if none
	ok           []bool // per graph class (tree, shared, diamond): right on the first call
	allZero      bool   // every gradient 0 on the tree
	sharedOnce   bool   // b := a + a gave a the gradient of one use only
	repeatDiffer bool   // a second call on the same graph changed the gradients
}

// opOutcome is what the points showed of a one-input operation.
type opOutcome struct {
	panicked     string
	detached     bool // the node's parents are not exactly [x]
	forward      bool // Data right at every point
	local        bool // local derivative right at every point
	localAtInput bool // local derivative = the right formula applied to x instead of z
}

// EngineDiagnosis is one diagnosable cause of a wrong engine: its key, its
// name, the hint shown, the pattern of results that identifies it, and an
// example of the mistake (a backward pass, or a tanh operation, that makes
// it), which lesson 02 runs live and the tests check the diagnosis against.
type EngineDiagnosis struct {
	Key, Name, Hint string
	fitsBackward    func(o backwardOutcome) bool
	fitsOp          func(o opOutcome) bool
	Mistake         BackwardFunc // nil for the operations' causes
	MistakeOp       OpFunc       // a tanh with this mistake; nil for the backward pass's causes
}

// EngineDiagnoses are the causes the engine's checks name, one entry each:
// lesson 02's practice and exercises 10 and 11 read them from here.
var EngineDiagnoses = []EngineDiagnosis{
	{Key: "not-implemented", Name: "not implemented yet",
		Hint:         "replace panic(\"not implemented\") by your code; start with Hint 1 under the exercise.",
		fitsBackward: func(o backwardOutcome) bool { return worker.IsNotImplemented(o.panicked) },
		fitsOp:       func(o opOutcome) bool { return worker.IsNotImplemented(o.panicked) },
		Mistake:      func(*autodiff.Value) { panic(worker.NotImplemented) },
		MistakeOp:    func(*autodiff.Value) *autodiff.Value { panic(worker.NotImplemented) }},
	{Key: "no-seed", Name: "no seed: out.Grad is never 1",
		Hint: "every gradient is 0: the backward pass starts from ∂out/∂out = 1;\n" +
			"set out.Grad = 1 (after zeroing) before the loop (Hint 2).",
		fitsBackward: func(o backwardOutcome) bool { return o.panicked == "" && o.allZero },
		Mistake: func(out *autodiff.Value) {
			order := topoOrder(out)
			for _, n := range order {
				n.Grad = 0
			}
			reverseLoop(order, false)
		}},
	{Key: "overwrite", Name: "gradients overwritten, not accumulated (b := a + a)",
		Hint: "with b := a + a, a got the gradient of one use only: a value used twice gets\n" +
			"a gradient from each use, and they add up: p.Grad += …, not p.Grad = … (Hint 2).",
		fitsBackward: func(o backwardOutcome) bool { return o.panicked == "" && o.ok[0] && o.sharedOnce },
		Mistake: func(out *autodiff.Value) {
			order := topoOrder(out)
			for _, n := range order {
				n.Grad = 0
			}
			out.Grad = 1
			reverseLoop(order, true)
		}},
	{Key: "order", Name: "not in reverse topological order",
		Hint: "right on a tree, wrong when a node is shared: a node passed its gradient on before\n" +
			"it had all of it; visit every node after all the nodes that use it (Hint 1).",
		fitsBackward: func(o backwardOutcome) bool { return o.panicked == "" && o.ok[0] && o.ok[1] && !o.ok[2] },
		Mistake: func(out *autodiff.Value) { // depth first from the output, passing each gradient on at once
			for _, n := range topoOrder(out) {
				n.Grad = 0
			}
			out.Grad = 1
			var visit func(n *autodiff.Value)
			visit = func(n *autodiff.Value) {
				for k, p := range n.Parents() {
					p.Grad += n.Grad * n.Local(k)
					visit(p)
				}
			}
			visit(out)
		}},
	{Key: "stale", Name: "stale gradients: not zeroed between backward passes",
		Hint: "right the first time, wrong when called again: with +=, the previous pass's gradients\n" +
			"are still there; set every node's Grad to 0 before seeding the output (Hint 2).",
		fitsBackward: func(o backwardOutcome) bool {
			return o.panicked == "" && !slices.Contains(o.ok, false) && o.repeatDiffer
		},
		Mistake: func(out *autodiff.Value) {
			out.Grad = 1
			reverseLoop(topoOrder(out), false)
		}},
	{Key: "detached", Name: "the new node is not connected to x",
		Hint: "the node must have x as its only parent, with its local derivative:\n" +
			"autodiff.NewOp(name, z, []*autodiff.Value{x}, []float64{dzdx}).",
		fitsOp:    func(o opOutcome) bool { return o.panicked == "" && o.detached },
		MistakeOp: func(x *autodiff.Value) *autodiff.Value { return autodiff.New(math.Tanh(x.Data), "tanh") }},
	{Key: "forward", Name: "wrong forward value",
		Hint: "the node's Data must be the function's value at x.Data\n" +
			"(math.Tanh for tanh; 1/(1 + e^(−x)) for σ).",
		fitsOp: func(o opOutcome) bool { return o.panicked == "" && !o.detached && !o.forward },
		MistakeOp: func(x *autodiff.Value) *autodiff.Value { // tanh written as sinh/cosh with a slip
			return autodiff.NewOp("tanh", math.Sinh(x.Data)/math.Cosh(2*x.Data), []*autodiff.Value{x}, []float64{1})
		}},
	{Key: "local-at-input", Name: "local derivative written with the input x instead of the output z",
		Hint: "your local derivative is the right polynomial, evaluated at the input x: it needs\n" +
			"the output z = f(x), which the forward pass has just computed (Hint 2).",
		fitsOp: func(o opOutcome) bool { return o.panicked == "" && o.forward && o.localAtInput },
		MistakeOp: func(x *autodiff.Value) *autodiff.Value {
			return autodiff.NewOp("tanh", math.Tanh(x.Data), []*autodiff.Value{x}, []float64{1 - x.Data*x.Data})
		}},
	{Key: "local", Name: "wrong local derivative",
		Hint: "differentiate the function on paper, then write the derivative with the output z\n" +
			"that the forward pass has just computed (the last hint).",
		fitsOp: func(o opOutcome) bool {
			return o.panicked == "" && o.forward && !o.detached && !o.local && !o.localAtInput
		},
		MistakeOp: func(x *autodiff.Value) *autodiff.Value { // the square forgotten
			z := math.Tanh(x.Data)
			return autodiff.NewOp("tanh", z, []*autodiff.Value{x}, []float64{1 - z})
		}},
}

// EngineMistake returns the diagnosis of key; it panics if there is none.
func EngineMistake(key string) EngineDiagnosis {
	for _, d := range EngineDiagnoses {
		if d.Key == key {
			return d
		}
	}
	panic(fmt.Sprintf("grading: no engine diagnosis %q", key))
}

// topoOrder is the graph below out, every node after its parents (the
// mistakes' own sort: autodiff.Topo may be forbidden where they run as
// learner code).
func topoOrder(out *autodiff.Value) []*autodiff.Value {
	var order []*autodiff.Value
	seen := map[*autodiff.Value]bool{}
	var visit func(*autodiff.Value)
	visit = func(n *autodiff.Value) {
		if !seen[n] {
			seen[n] = true
			for _, p := range n.Parents() {
				visit(p)
			}
			order = append(order, n)
		}
	}
	visit(out)
	return order
}

// reverseLoop sends every node's gradient to its parents, from the last
// node of order to the first: p.Grad += n.Grad·local, or p.Grad = … when
// overwrite is set (a mistake).
func reverseLoop(order []*autodiff.Value, overwrite bool) {
	for i := len(order) - 1; i >= 0; i-- {
		n := order[i]
		for k, p := range n.Parents() {
			if overwrite {
				p.Grad = n.Grad * n.Local(k)
			} else {
				p.Grad += n.Grad * n.Local(k)
			}
		}
	}
}

// engineGraph is a graph the backward pass runs on, as a description (the
// output last). Its class is its index in a list of three: a tree (every
// value used once), b := a + a (shared is the index of the leaf a, used
// twice by one node and nowhere else), a diamond (an inner node used by
// several nodes).
type engineGraph struct {
	name   string
	nodes  []worker.GraphNode
	shared int
}

func leaf(v float64) worker.GraphNode { return worker.GraphNode{V: v} }
func node(op string, parents ...int) worker.GraphNode {
	return worker.GraphNode{Op: op, Parents: parents}
}

// engineProbes are the fixed graphs of lesson 02's practice.
var engineProbes = []engineGraph{
	{name: "tree f = exp(x·y + z)", shared: -1, nodes: []worker.GraphNode{
		leaf(0.5), leaf(-1.5), leaf(2), node("×", 0, 1), node("+", 3, 2), node("exp", 4)}},
	{name: "shared b := a + a, f = b·c", shared: 0, nodes: []worker.GraphNode{
		leaf(3), leaf(-2), node("+", 0, 0), node("×", 2, 1)}},
	{name: "diamond a = x·y, f = a·(a + x) + a", shared: -1, nodes: []worker.GraphNode{
		leaf(1.5), leaf(-0.5), node("×", 0, 1), node("+", 2, 0), node("×", 2, 3), node("+", 4, 2)}},
}

// graphBuilder draws a graph description node by node, keeping every
// node's forward value (built with autodiff alongside) to keep exp's input
// small.
type graphBuilder struct {
	rng   *rand.Rand
	nodes []worker.GraphNode
	data  []float64
}

func (g *graphBuilder) add(n worker.GraphNode) int {
	built, err := worker.BuildGraph(append(g.nodes, n))
	if err != nil {
		panic(err) // the judge's own description
	}
	g.nodes = append(g.nodes, n)
	g.data = append(g.data, built[len(built)-1].Data)
	return len(g.nodes) - 1
}

// leaf draws a leaf in ±[0.3, 1.5].
func (g *graphBuilder) leaf() int {
	v := 0.3 + 1.2*g.rng.Float64()
	if g.rng.IntN(2) == 0 {
		v = -v
	}
	return g.add(leaf(v))
}

// binary joins a and b by + or ×.
func (g *graphBuilder) binary(a, b int) int {
	return g.add(node([]string{"+", "×"}[g.rng.IntN(2)], a, b))
}

// unary applies one of tanh, σ, a power, or exp (on a small input).
func (g *graphBuilder) unary(a int) int {
	switch k := g.rng.IntN(4); {
	case k == 0 && math.Abs(g.data[a]) < 2:
		return g.add(node("exp", a))
	case k == 1:
		return g.add(worker.GraphNode{Op: "^", Parents: []int{a}, V: float64(2 + g.rng.IntN(2))})
	case k == 2:
		return g.add(node("σ", a))
	}
	return g.add(node("tanh", a))
}

// tree joins the nodes of free, each used once, into one output, with
// unary operations on the way up.
func (g *graphBuilder) tree(free []int) int {
	for len(free) > 1 {
		i := g.rng.IntN(len(free))
		a := free[i]
		free = slices.Delete(free, i, i+1)
		j := g.rng.IntN(len(free))
		n := g.binary(a, free[j])
		if g.rng.IntN(2) == 0 {
			n = g.unary(n)
		}
		free[j] = n
	}
	return free[0]
}

// drawEngineGraphs draws the three classes afresh: a tree of 3–5 leaves, b
// := a + a under a tree, and a diamond with depth and fan-out.
func drawEngineGraphs(rng *rand.Rand) []engineGraph {
	t := &graphBuilder{rng: rng}
	var free []int
	for range 3 + rng.IntN(3) {
		free = append(free, t.leaf())
	}
	t.unary(t.tree(free))

	s := &graphBuilder{rng: rng}
	a := s.leaf()
	free = []int{s.add(node("+", a, a))}
	for range 1 + rng.IntN(3) {
		free = append(free, s.leaf())
	}
	s.tree(free)

	d := &graphBuilder{rng: rng}
	x, y, z := d.leaf(), d.leaf(), d.leaf()
	inner := d.add(node("×", x, y)) // shared: used by both branches
	left := inner
	for range 1 + rng.IntN(3) {
		left = d.unary(left)
	}
	right := d.binary(inner, z)
	out := d.binary(left, right)
	if rng.IntN(2) == 0 { // fan-out: the inner node used a third time
		out = d.binary(out, inner)
	}
	d.unary(out)

	return []engineGraph{
		{name: fmt.Sprintf("a tree of %d nodes", len(t.nodes)), nodes: t.nodes, shared: -1},
		{name: fmt.Sprintf("a graph of %d nodes with b := a + a", len(s.nodes)), nodes: s.nodes, shared: a},
		{name: fmt.Sprintf("a diamond of %d nodes", len(d.nodes)), nodes: d.nodes, shared: -1},
	}
}

// backwardObservation is what the learner's backward pass answered on
// each graph: every node's gradient after the first and the second call,
// in the description's order; panic is its panic (the observation stops
// there).
type backwardObservation struct {
	first, second [][]float64
	panic         *worker.PanicError
}

// observeBackward asks the learner's backward pass through c on each
// graph. A panic of the learner's code is recorded; a missing function or
// a failed worker panics on (the exercise's guard reports them).
func observeBackward(c worker.Client, graphs []engineGraph) (o backwardObservation) {
	defer func() {
		if p := recover(); p != nil {
			e, ok := p.(*worker.PanicError)
			if !ok {
				panic(p)
			}
			o.panic = e
		}
	}()
	for _, g := range graphs {
		first, second := c.EngineBackward(g.nodes)
		o.first = append(o.first, first)
		o.second = append(o.second, second)
	}
	return o
}

// referenceGrads runs autodiff's Backward on the described graph, in this
// process, and returns every node's gradient in the description's order.
func referenceGrads(desc []worker.GraphNode) []float64 {
	want, _ := referenceWithSlack(desc)
	return want
}

// referenceWithSlack returns referenceGrads and, per node, how far a
// correct backward pass may be from it (gradClose's allowance).
//
// The allowance is 1e-14·(1 + |want|), plus 2·n·ε·(|∂|_n − |want_n|) for a
// graph of n nodes, where |∂|_n is the node's gradient with every local
// derivative and every contribution taken by its absolute value (the sum
// over paths of |products|) and ε = 2⁻⁵². A correct pass may add a node's
// contributions in any order (its topological sort is its own), and the
// rounding error of a sum in any order is bounded by its terms' absolute
// sum, not by its value: where contributions cancel, |∂|_n exceeds
// |want_n| and the allowance grows with what cancelled. Where nothing
// cancels the second term is 0 and the check is as tight as before.
// A recursive, an iterative and Kahn's sort, and the sum over paths,
// differ from the reference by at most 3·10⁻¹⁶ where nothing cancels, so
// measured over 3000 draws of the graphs. A difference quotient of out,
// the graph evaluated forward again with a node moved (no derivative
// needed), errs by at least 2.7·10⁻¹⁴ with a five-point stencil at its
// best step and 2·10⁻¹² centrally (at 1e-9 these passed). A derivative
// exact to rounding by other means no check of values can refuse.
func referenceWithSlack(desc []worker.GraphNode) (want, slack []float64) {
	nodes, err := worker.BuildGraph(desc)
	if err != nil {
		panic(err) // the judge's own description
	}
	nodes[len(nodes)-1].Backward()
	n := len(nodes)
	abs := make([]float64, n) // |∂|: in the description's order, parents come first
	abs[n-1] = 1
	index := make(map[*autodiff.Value]int, n)
	for i, v := range nodes {
		index[v] = i
	}
	for i := n - 1; i >= 0; i-- {
		for k, p := range nodes[i].Parents() {
			abs[index[p]] += abs[i] * math.Abs(nodes[i].Local(k))
		}
	}
	want, slack = make([]float64, n), make([]float64, n)
	for i, v := range nodes {
		want[i] = v.Grad
		slack[i] = 1e-14*(1+math.Abs(v.Grad)) + 2*float64(n)*0x1p-52*math.Max(0, abs[i]-math.Abs(v.Grad))
	}
	return want, slack
}

// twice doubles an allowance: two correct passes that add up in different
// orders (a sort that iterates over a map) may each be slack away from the
// reference, on either side.
func twice(slack []float64) []float64 {
	out := make([]float64, len(slack))
	for i, s := range slack {
		out[i] = 2 * s
	}
	return out
}

// gradClose reports whether got is within slack of want.
func gradClose(got, want, slack float64) bool { return math.Abs(got-want) <= slack }

// firstWrong is the index of the first element of got that is not within
// slack of want, and how many are not (-1, 0 if none).
func firstWrong(got, want, slack []float64) (int, int) {
	first, n := -1, 0
	for i := range want {
		if !gradClose(got[i], want[i], slack[i]) {
			if first < 0 {
				first = i
			}
			n++
		}
	}
	return first, n
}

// nodeName says which node i of desc is: "node 3 (×)", "node 0 (a leaf)".
func nodeName(desc []worker.GraphNode, i int) string {
	op := desc[i].Op
	if op == "" {
		op = "a leaf"
	} else if op == "^" {
		op = fmt.Sprintf("^%g", desc[i].V)
	}
	return fmt.Sprintf("node %d (%s)", i, op)
}

// judgeBackward compares an observation with autodiff's Backward on the
// same descriptions and names the causes that fit. Unless showWant, its
// details give the learner's own values only.
func judgeBackward(title string, graphs []engineGraph, obs backwardObservation, showWant bool) EngineResult {
	o := backwardOutcome{}
	if obs.panic != nil {
		o.panicked = obs.panic.Msg
	}
	var details []string
	for i, g := range graphs {
		if i >= len(obs.first) || i >= len(obs.second) {
			break
		}
		want, slack := referenceWithSlack(g.nodes)
		got := obs.first[i]
		observeRow(g.name+": every node's ∂out/∂n", got, want)
		at, nWrong := firstWrong(got, want, slack)
		o.ok = append(o.ok, nWrong == 0)
		if nWrong > 0 {
			if showWant {
				details = append(details, fmt.Sprintf("%s, every node in the order it was built:\n  yours %s\n  want  %s", g.name, g4s(got), g4s(want)))
			} else {
				details = append(details, fmt.Sprintf("%s: %d of %d gradients wrong, the first at %s: your ∂out/∂n = %.6g", g.name, nWrong, len(want), nodeName(g.nodes, at), got[at]))
			}
		}
		switch i {
		case 0:
			o.allZero = !slices.ContainsFunc(got, func(x float64) bool { return x != 0 })
		case 1:
			a := g.shared
			o.sharedOnce = a >= 0 && math.Abs(want[a]) > 1e-9 && gradClose(got[a], want[a]/2, slack[a])
		}
		if at, n := firstWrong(obs.second[i], got, twice(slack)); n > 0 {
			o.repeatDiffer = true
			if showWant {
				details = append(details, fmt.Sprintf("%s, called again on the same graph:\n  now   %s\n  first %s", g.name, g4s(obs.second[i]), g4s(got)))
			} else {
				details = append(details, fmt.Sprintf("%s, called again on the same graph: %d gradients changed, e.g. %s from %.6g to %.6g", g.name, n, nodeName(g.nodes, at), got[at], obs.second[i][at]))
			}
		}
	}
	if o.panicked == "" && len(o.ok) < len(graphs) {
		o.panicked = fmt.Sprintf("the observation covers %d of %d graphs", len(o.ok), len(graphs))
	}
	for len(o.ok) < len(graphs) {
		o.ok = append(o.ok, false)
	}
	r := EngineResult{Title: title}
	for _, d := range EngineDiagnoses {
		if d.fitsBackward != nil && d.fitsBackward(o) {
			r.Causes = append(r.Causes, d.Key)
		}
	}
	r.OK = o.panicked == "" && len(details) == 0
	switch {
	case r.OK:
		r.Summary = "right on a tree, on b := a + a and on a diamond, and when called twice"
		return r
	case slices.Contains(r.Causes, "not-implemented"):
		r.Summary = "not implemented yet: write func backward"
	case o.panicked != "":
		r.Summary = "your code panicked: " + o.panicked
	default:
		r.Summary = wrongSummary(r.Causes)
	}
	r.Details = append(details, causeHints(r.Causes, "")...)
	return r
}

// engineOpRef is an operation the learner adds: its name (a Funcs kind),
// the reference function, its derivative in terms of the output z.
type engineOpRef struct {
	name string
	f    func(x float64) float64
	dOfZ func(z float64) float64
}

// engineOps are the operations the learner adds, in the order checked.
var engineOps = []engineOpRef{
	{"tanh", math.Tanh, func(z float64) float64 { return 1 - z*z }},
	{"sigmoid", func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }, func(z float64) float64 { return z * (1 - z) }},
}

// engineOpProbe are the fixed points of lesson 02's practice.
var engineOpProbe = []float64{-2, -0.3, 0.7, 3}

// drawOpPoints draws five points in ±[0.25, 3], away from 0 (where the
// derivative written with x and with z agree).
func drawOpPoints(rng *rand.Rand) []float64 {
	xs := make([]float64, 5)
	for i := range xs {
		xs[i] = 0.25 + 2.75*rng.Float64()
		if i%2 == 0 {
			xs[i] = -xs[i]
		}
	}
	return xs
}

// opObservation is what the learner's operations made at the points, by
// engineOps' order; panic as in backwardObservation.
type opObservation struct {
	points [][]worker.OpPoint
	panic  *worker.PanicError
}

// observeOps asks the learner's operations through c at xs.
func observeOps(c worker.Client, xs []float64) (o opObservation) {
	defer func() {
		if p := recover(); p != nil {
			e, ok := p.(*worker.PanicError)
			if !ok {
				panic(p)
			}
			o.panic = e
		}
	}()
	for _, op := range engineOps {
		o.points = append(o.points, c.EngineOp(op.name, xs))
	}
	return o
}

// judgeOps compares what the operations made with the reference: the
// forward value, that the node hangs on x, its local derivative against
// the formula and against central differences of the function. Unless
// showWant, its details give the learner's own values only.
func judgeOps(title string, xs []float64, obs opObservation, showWant bool) EngineResult {
	var details, causes []string
	panicked := ""
	if obs.panic != nil {
		panicked = obs.panic.Msg
	}
	for i, ref := range engineOps {
		o := opOutcome{panicked: panicked, forward: true, local: true, localAtInput: true}
		var pts []worker.OpPoint
		if i < len(obs.points) {
			pts = obs.points[i]
		}
		if o.panicked == "" && len(pts) != len(xs) {
			o.panicked = fmt.Sprintf("%s: %d of %d points observed", ref.name, len(pts), len(xs))
			panicked = o.panicked
		}
		if len(pts) > 0 {
			var data, local, wantData, wantLocal []float64
			for _, pt := range pts {
				data, local = append(data, pt.Data), append(local, pt.Local)
				wantData, wantLocal = append(wantData, ref.f(pt.X)), append(wantLocal, ref.dOfZ(ref.f(pt.X)))
			}
			observeRow(ref.name+"'s values", data, wantData)
			observeRow(ref.name+"'s local derivatives", local, wantLocal)
		}
		for _, pt := range pts {
			if !pt.ParentIsX {
				o.detached = true
				details = append(details, fmt.Sprintf("%s(%.4g): the node's parents are %d values, want exactly x", ref.name, pt.X, pt.Parents))
				break
			}
			want := ref.f(pt.X)
			if !within(pt.Data, want, 1e-12) {
				o.forward = false
				details = append(details, fmt.Sprintf("%s(%.4g): your value %.6g is wrong%s", ref.name, pt.X, pt.Data, wantNote(showWant, want)))
			}
			wantLocal := ref.dOfZ(want)
			const h = 1e-5 // central differences: error ~1e-10 here
			fd := (ref.f(pt.X+h) - ref.f(pt.X-h)) / (2 * h)
			if !within(pt.Local, wantLocal, localTol) || !within(pt.Local, fd, 1e-7) {
				o.local = false
				details = append(details, fmt.Sprintf("%s′ at x = %.4g: your local derivative %.6g is wrong%s", ref.name, pt.X, pt.Local, wantNote(showWant, wantLocal)))
			}
			if !within(pt.Local, ref.dOfZ(pt.X), 1e-12) {
				o.localAtInput = false
			}
		}
		if o.local || o.detached {
			o.localAtInput = false // the right formula, or none, cannot be that mistake
		}
		for _, d := range EngineDiagnoses {
			if d.fitsOp != nil && d.fitsOp(o) && !slices.Contains(causes, d.Key) {
				causes = append(causes, d.Key)
				details = append(details, causeHints([]string{d.Key}, ref.name+": ")...)
			}
		}
	}
	r := EngineResult{Title: title, Causes: causes}
	r.OK = len(details) == 0 && panicked == ""
	switch {
	case r.OK:
		r.Summary = "right values and local derivatives, checked by central differences"
		return r
	case slices.Contains(causes, "not-implemented"):
		r.Summary = "not implemented yet: write func tanh and func sigmoid"
	case panicked != "":
		r.Summary = "your code panicked: " + panicked
	default:
		r.Summary = wrongSummary(causes)
	}
	r.Details = details
	return r
}

// localTol is how far an operation's local derivative may be from the
// formula's, absolute (|f′| ≤ 1 for tanh and σ). Every analytic form —
// 1 − z², (1 − z)(1 + z), 1/cosh²x; z(1 − z), e⁻ˣ/(1 + e⁻ˣ)², through
// tanh(x/2) — is exact to a few ε ≈ 10⁻¹⁶; a difference quotient of the
// function is not: central differences err by ≥ 10⁻¹¹ at any step, a
// five-point stencil by ≥ 10⁻¹³ (the corpus's numeric forgeries). A
// derivative exact to rounding by other means (extrapolation to the
// limit, dual numbers) no check of values can refuse.
const localTol = 1e-14

// observeRow tells observeReference (the tests' search for printed
// references) of numbers a verdict is decided on, as a 1×n row.
func observeRow(name string, got, want []float64) {
	if observeReference != nil && len(want) > 0 && len(got) == len(want) {
		observeReference(name, mat.NewDense(1, len(got), slices.Clone(got)), mat.NewDense(1, len(want), slices.Clone(want)))
	}
}

// within reports whether |got − want| ≤ tol: false for a NaN (a comparison
// written as "> tol" would let NaN pass).
func within(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

// wantNote is ", want w" when the expected value may be shown.
func wantNote(show bool, w float64) string {
	if !show {
		return ""
	}
	return fmt.Sprintf(", want %.6g", w)
}

// causeHints are the name and hint of each cause of keys, in table order,
// each line led by prefix.
func causeHints(keys []string, prefix string) []string {
	var out []string
	for _, d := range EngineDiagnoses {
		if slices.Contains(keys, d.Key) {
			out = append(out, fmt.Sprintf("%s%s.\nHint: %s", prefix, d.Name, d.Hint))
		}
	}
	return out
}

// wrongSummary names the one cause that fits, or counts them.
func wrongSummary(keys []string) string {
	var names []string
	for _, d := range EngineDiagnoses {
		if slices.Contains(keys, d.Key) {
			names = append(names, d.Name)
		}
	}
	switch len(names) {
	case 0:
		return "wrong: no known mistake fits; compare the numbers below with your derivation"
	case 1:
		return "wrong: " + names[0]
	}
	return fmt.Sprintf("wrong: %d known mistakes fit, named below", len(names))
}

// g4s formats gradients with 4 significant digits.
func g4s(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprintf("%.4g", x)
	}
	return "[" + strings.Join(s, " ") + "]"
}

// PracticeEngineBackward is lesson 02's practice: backward on the fixed
// probe graphs (a tree, b := a + a, a diamond), twice each, in-process,
// against autodiff's Backward, with the expected gradients shown.
func PracticeEngineBackward(backward BackwardFunc) EngineResult {
	c := worker.Client{A: worker.NewSession(worker.Funcs{EngineBackward: backward})}
	return judgeBackward("Practice: backward", engineProbes, observeBackward(c, engineProbes), true)
}

// PracticeEngineOps is lesson 02's practice of tanh and sigmoid: at fixed
// points, in-process, with the expected values shown.
func PracticeEngineOps(tanh, sigmoid OpFunc) EngineResult {
	c := worker.Client{A: worker.NewSession(worker.Funcs{EngineTanh: tanh, EngineSigmoid: sigmoid})}
	return judgeOps("Practice: tanh and sigmoid", engineOpProbe, observeOps(c, engineOpProbe), true)
}

// engineExercise turns an engine verdict into exercise res's, with right
// as its summary if it passed: a panic of the learner's code goes to the
// exercise's guard (not implemented yet, or the panic and its line).
func engineExercise(res *ExerciseResult, r EngineResult, p *worker.PanicError, right string) {
	if p != nil {
		panic(p)
	}
	res.Details, res.Summary, res.Status = r.Details, r.Summary, ExerciseFailed
	if r.OK {
		res.Status, res.Summary = ExercisePassed, "right: "+right
	}
}
