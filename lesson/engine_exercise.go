package lesson

import (
	"fmt"
	"math"
	"strings"

	"github.com/backprop-lab/backprop/lesson/autodiff"
)

// This file holds the "build the engine" practice of lesson 02: the
// learner writes the backward pass of package autodiff's Value (the
// topological sort and the reverse loop) and two operations, tanh and
// sigmoid, with their local derivatives. The checks below compare the
// learner's code with the reference (autodiff's own Backward, Tanh and
// Sigmoid) on small probe graphs and name the classic mistakes they find.
//
// What a grader needs: the learner's three functions with the signatures
// of EngineBackward and EngineOp. CheckEngineBackward and CheckEngineOps
// return the verdict, its causes by key (EngineDiagnoses) and the details,
// in one process. Each is split in two for a grader that runs the
// learner's code apart: Observe… runs it and records plain numbers (a
// worker's job), Judge… compares those numbers with the reference and
// names the mistakes (a judge's job, which never runs learner code).

// EngineBackward is the learner's backward pass: after backward(out),
// n.Grad must be ∂out/∂n for every node n of out's graph, whatever the
// nodes' Grad fields held before.
type EngineBackward = func(out *autodiff.Value)

// EngineOp is a learner's one-input operation, e.g. tanh: it returns a new
// node (autodiff.NewOp) whose only parent is x.
type EngineOp = func(x *autodiff.Value) *autodiff.Value

// EngineResult is the verdict of a practice check.
type EngineResult struct {
	Title   string   // what was checked
	OK      bool     // passed
	Summary string   // one sentence
	Causes  []string // keys of the EngineDiagnoses that fit, in table order
	Details []string // what differed, and the hints of the causes
}

// String prints "✓ title: summary" or "✗ title: summary" and the details,
// every line indented. Lines stay under 100 characters, so that a
// notebook's output area does not break them inside a word.
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
	return b.String()
}

// engineProbe is a small graph built afresh on each call, out last.
type engineProbe struct {
	name  string
	build func() *autodiff.Value
}

// engineProbes are the graphs the backward pass is run on: a tree (every
// value used once), a value used twice by one operation (b := a + a), and
// a diamond whose shared node must wait for all its gradient.
var engineProbes = []engineProbe{
	{"tree f = exp(x·y + z)", func() *autodiff.Value {
		x, y, z := autodiff.New(0.5, "x"), autodiff.New(-1.5, "y"), autodiff.New(2, "z")
		return x.Mul(y).Add(z).Exp()
	}},
	{"shared b := a + a, f = b·c", func() *autodiff.Value {
		a, c := autodiff.New(3, "a"), autodiff.New(-2, "c")
		b := a.Add(a)
		return b.Mul(c)
	}},
	{"diamond a = x·y, f = a·(a + x) + a", func() *autodiff.Value {
		x, y := autodiff.New(1.5, "x"), autodiff.New(-0.5, "y")
		a := x.Mul(y)
		return a.Mul(a.Add(x)).Add(a)
	}},
}

// engineGrads returns the gradients of every node of out's graph, in
// autodiff.Topo's order (the same for two graphs built the same way).
func engineGrads(out *autodiff.Value) []float64 {
	var g []float64
	for _, n := range autodiff.Topo(out) {
		g = append(g, n.Grad)
	}
	return g
}

func sameGrads(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9*(1+math.Abs(b[i])) {
			return false
		}
	}
	return true
}

// backwardOutcome is what the probes found about a backward pass.
type backwardOutcome struct {
	panicked     string // a recovered panic, "" if none
	ok           []bool // per probe: right gradients on the first call
	allZero      bool   // every gradient 0 on the tree probe
	sharedOnce   bool   // b := a + a gave a's gradient from one use only
	repeatDiffer bool   // a second call on the same graph changed the gradients
}

// EngineDiagnosis is one diagnosable cause of a wrong engine: its key, its
// name in the lesson, the hint shown, the pattern of results that
// identifies it, and an example of the mistake (a backward pass, or a tanh
// operation, that makes it), which the lesson runs live and the tests check
// the diagnosis against.
type EngineDiagnosis struct {
	Key, Name, Hint string
	fitsBackward    func(o backwardOutcome) bool
	fitsOp          func(o opOutcome) bool
	Mistake         EngineBackward // nil for the operations' causes
	MistakeOp       EngineOp       // a tanh with this mistake; nil for the backward pass's causes
}

// EngineDiagnoses are the causes the practice checks name, one entry each.
var EngineDiagnoses = []EngineDiagnosis{
	{Key: "not-implemented", Name: "not implemented yet",
		Hint:         "replace panic(\"not implemented\") by your code; start with Hint 1 under the exercise.",
		fitsBackward: func(o backwardOutcome) bool { return strings.Contains(o.panicked, "not implemented") },
		fitsOp:       func(o opOutcome) bool { return strings.Contains(o.panicked, "not implemented") },
		Mistake:      func(*autodiff.Value) { panic("not implemented") },
		MistakeOp:    func(*autodiff.Value) *autodiff.Value { panic("not implemented") }},
	{Key: "no-seed", Name: "no seed: out.Grad is never 1",
		Hint: "every gradient is 0: the backward pass starts from ∂out/∂out = 1;\n" +
			"set out.Grad = 1 (after zeroing) before the loop (Hint 2).",
		fitsBackward: func(o backwardOutcome) bool { return o.panicked == "" && o.allZero },
		Mistake: func(out *autodiff.Value) {
			order := autodiff.Topo(out)
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
			order := autodiff.Topo(out)
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
			for _, n := range autodiff.Topo(out) {
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
		fitsBackward: func(o backwardOutcome) bool { return o.panicked == "" && okAll(o.ok) && o.repeatDiffer },
		Mistake: func(out *autodiff.Value) {
			out.Grad = 1
			reverseLoop(autodiff.Topo(out), false)
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
			"that the forward pass has just computed (Hint 3).",
		fitsOp: func(o opOutcome) bool {
			return o.panicked == "" && o.forward && !o.detached && !o.local && !o.localAtInput
		},
		MistakeOp: func(x *autodiff.Value) *autodiff.Value { // the square forgotten
			z := math.Tanh(x.Data)
			return autodiff.NewOp("tanh", z, []*autodiff.Value{x}, []float64{1 - z})
		}},
}

func okAll(ok []bool) bool {
	for _, b := range ok {
		if !b {
			return false
		}
	}
	return true
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

// BackwardObservation is what running a backward pass on the probe
// graphs produced: numbers only, so that it can cross a process boundary
// (a worker runs the learner's code and reports it, a judge compares it
// with the reference; see JudgeEngineBackward).
type BackwardObservation struct {
	Panic  string      // a panic of the learner's code, recovered; "" if none
	First  [][]float64 // per probe: every node's gradient after the first call, in autodiff.Topo's order
	Second [][]float64 // per probe: the same after a second call on the same graph
}

// ObserveEngineBackward runs backward on each probe graph twice and
// records the gradients (the worker's half of CheckEngineBackward). It
// stops at the first panic.
func ObserveEngineBackward(backward EngineBackward) BackwardObservation {
	var o BackwardObservation
	o.Panic = protect(func() {
		for _, p := range engineProbes {
			out := p.build()
			backward(out)
			o.First = append(o.First, engineGrads(out))
			backward(out)
			o.Second = append(o.Second, engineGrads(out))
		}
	})
	return o
}

// JudgeEngineBackward compares an observation with autodiff's Backward on
// the same probe graphs and names what went wrong (the judge's half).
func JudgeEngineBackward(obs BackwardObservation) EngineResult {
	r := EngineResult{Title: "Practice: backward"}
	o := backwardOutcome{panicked: obs.Panic}
	var details []string
	for i, p := range engineProbes {
		if i >= len(obs.First) || i >= len(obs.Second) {
			break
		}
		ref := p.build()
		ref.Backward()
		got, want := obs.First[i], engineGrads(ref)
		o.ok = append(o.ok, sameGrads(got, want))
		if !o.ok[i] {
			details = append(details, fmt.Sprintf("%s, every node in topological order:\n  yours %s\n  want  %s", p.name, g4s(got), g4s(want)))
		}
		switch i {
		case 0:
			o.allZero = true
			for _, g := range got {
				o.allZero = o.allZero && g == 0
			}
		case 1: // the leaf a is first in topological order; from one use, a gets c·1 = b's gradient
			o.sharedOnce = len(got) > 0 && got[0] == want[0]/2
		}
		if !sameGrads(obs.Second[i], got) {
			o.repeatDiffer = true
			details = append(details, fmt.Sprintf("%s, called again on the same graph:\n  now   %s\n  first %s", p.name, g4s(obs.Second[i]), g4s(got)))
		}
	}
	if o.panicked == "" && len(o.ok) < len(engineProbes) {
		o.panicked = fmt.Sprintf("the observation covers %d of %d probe graphs", len(o.ok), len(engineProbes))
	}
	return verdict(r, o.panicked, details, func(d EngineDiagnosis) bool { return d.fitsBackward != nil && d.fitsBackward(o) })
}

// CheckEngineBackward runs backward on the probe graphs, compares every
// node's gradient with autodiff's Backward on a twin graph, calls it a
// second time on the same graph, and names what went wrong: in one
// process, JudgeEngineBackward(ObserveEngineBackward(backward)).
func CheckEngineBackward(backward EngineBackward) EngineResult {
	return JudgeEngineBackward(ObserveEngineBackward(backward))
}

// opOutcome is what the probes found about a one-input operation.
type opOutcome struct {
	panicked     string
	detached     bool // the node's parents are not exactly [x]
	forward      bool // Data right at every probe point
	local        bool // local derivative right at every probe point
	localAtInput bool // local derivative equals the right formula applied to x instead of z
}

// engineOps are the operations the learner adds: the reference function,
// its derivative in terms of the output z, and the points they are probed at.
type engineOpRef struct {
	name  string
	f     func(x float64) float64
	dOfZ  func(z float64) float64
	probe []float64
}

var engineOps = []engineOpRef{
	{"tanh", math.Tanh, func(z float64) float64 { return 1 - z*z }, []float64{-2, -0.3, 0.7, 3}},
	{"sigmoid", func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }, func(z float64) float64 { return z * (1 - z) }, []float64{-2, -0.3, 0.7, 3}},
}

// OpObservation is what a learner's operation produced at the probe
// points: numbers only (see BackwardObservation).
type OpObservation struct {
	Op     string // "tanh" or "sigmoid"
	Panic  string
	Points []OpPoint
}

// OpPoint is the node z = op(x) at one probe point: its value, whether its
// parents are exactly [x], its local derivative, and x.Grad after
// autodiff's Backward from z.
type OpPoint struct {
	X, Data, Local, Grad float64
	ParentIsX            bool
	Parents              int
}

// ObserveEngineOp runs op (the operation called name: "tanh" or
// "sigmoid") at the probe points (the worker's half of CheckEngineOps).
// It panics on another name.
func ObserveEngineOp(name string, op EngineOp) OpObservation {
	o := OpObservation{Op: name}
	ref := engineOpNamed(name)
	o.Panic = protect(func() {
		for _, x0 := range ref.probe {
			x := autodiff.New(x0, "x")
			z := op(x)
			pt := OpPoint{X: x0, Data: z.Data, Parents: len(z.Parents())}
			pt.ParentIsX = pt.Parents == 1 && z.Parents()[0] == x
			if pt.ParentIsX {
				pt.Local = z.Local(0)
				z.Backward()
				pt.Grad = x.Grad
			}
			o.Points = append(o.Points, pt)
		}
	})
	return o
}

func engineOpNamed(name string) engineOpRef {
	for _, op := range engineOps {
		if op.name == name {
			return op
		}
	}
	panic(fmt.Sprintf("lesson: no engine operation %q", name))
}

// JudgeEngineOps compares the observations of the operations with the
// reference: the forward value, that the node hangs on x, its local
// derivative, and the gradient through it against central differences of
// the function (the judge's half).
func JudgeEngineOps(obs ...OpObservation) EngineResult {
	r := EngineResult{Title: "Practice: tanh and sigmoid"}
	var details, causes []string
	var panicked string
	for _, ob := range obs {
		ref := engineOpNamed(ob.Op)
		o := opOutcome{panicked: ob.Panic, forward: true, local: true, localAtInput: true}
		if o.panicked == "" && len(ob.Points) != len(ref.probe) {
			o.panicked = fmt.Sprintf("%s: %d of %d probe points observed", ref.name, len(ob.Points), len(ref.probe))
		}
		for _, pt := range ob.Points {
			if !pt.ParentIsX {
				o.detached = true
				details = append(details, fmt.Sprintf("%s(%g): the node's parents are %d values, want exactly x", ref.name, pt.X, pt.Parents))
				break
			}
			want := ref.f(pt.X)
			if math.Abs(pt.Data-want) > 1e-12 {
				o.forward = false
				details = append(details, fmt.Sprintf("%s(%g) = %.6g, want %.6g", ref.name, pt.X, pt.Data, want))
			}
			wantLocal := ref.dOfZ(want)
			if math.Abs(pt.Local-wantLocal) > 1e-9 {
				o.local = false
				details = append(details, fmt.Sprintf("%s′ at x = %g: local derivative %.6g, want %.6g", ref.name, pt.X, pt.Local, wantLocal))
			}
			if math.Abs(pt.Local-ref.dOfZ(pt.X)) > 1e-12 {
				o.localAtInput = false
			}
			// The gradient through the node, by the reference backward pass,
			// against central differences (h = 1e-5: error ~1e-10 here).
			const h = 1e-5
			if fd := (ref.f(pt.X+h) - ref.f(pt.X-h)) / (2 * h); o.local && math.Abs(pt.Grad-fd) > 1e-7 {
				o.local = false
				details = append(details, fmt.Sprintf("%s at x = %g: ∂z/∂x = %.6g by Backward, %.6g by central differences", ref.name, pt.X, pt.Grad, fd))
			}
		}
		if o.local {
			o.localAtInput = false // the right formula cannot be that mistake
		}
		if o.panicked != "" && panicked == "" {
			panicked = o.panicked
		}
		for _, d := range EngineDiagnoses {
			if d.fitsOp != nil && d.fitsOp(o) && !contains(causes, d.Key) {
				causes = append(causes, d.Key)
				details = append(details, fmt.Sprintf("%s: %s.\nHint: %s", ref.name, d.Name, d.Hint))
			}
		}
	}
	r.Causes = causes
	r.Details = details
	r.OK = len(details) == 0 && panicked == ""
	switch {
	case r.OK:
		r.Summary = "right values and local derivatives, checked by central differences"
	case contains(causes, "not-implemented"):
		r.Summary = "not implemented yet: write func tanh and func sigmoid"
	case panicked != "":
		r.Summary = "your code panicked: " + panicked
	default:
		r.Summary = wrongSummary(causes)
	}
	return r
}

// CheckEngineOps checks the learner's tanh and sigmoid in one process:
// JudgeEngineOps of ObserveEngineOp of each.
func CheckEngineOps(tanh, sigmoid EngineOp) EngineResult {
	return JudgeEngineOps(ObserveEngineOp("tanh", tanh), ObserveEngineOp("sigmoid", sigmoid))
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// wrongSummary names the one cause that fits, or counts them.
func wrongSummary(keys []string) string {
	names := causeNames(keys)
	if len(names) == 1 {
		return "wrong: " + names[0]
	}
	return fmt.Sprintf("wrong: %d known mistakes fit, named below", len(names))
}

func causeNames(keys []string) []string {
	var names []string
	for _, d := range EngineDiagnoses {
		if contains(keys, d.Key) {
			names = append(names, d.Name)
		}
	}
	if len(names) == 0 {
		names = []string{"no known mistake fits; compare the numbers below with your derivation"}
	}
	return names
}

// verdict fills r from a backward pass's panic, details and the causes
// that fit.
func verdict(r EngineResult, panicked string, details []string, fits func(EngineDiagnosis) bool) EngineResult {
	for _, d := range EngineDiagnoses {
		if fits(d) {
			r.Causes = append(r.Causes, d.Key)
		}
	}
	r.OK = panicked == "" && len(details) == 0
	switch {
	case r.OK:
		r.Summary = "right on a tree, on b := a + a and on a diamond, and when called twice"
		return r
	case contains(r.Causes, "not-implemented"):
		r.Summary = "not implemented yet: write func backward"
	case panicked != "":
		r.Summary = "your code panicked: " + panicked
	default:
		r.Summary = wrongSummary(r.Causes)
	}
	r.Details = details
	for _, d := range EngineDiagnoses {
		if contains(r.Causes, d.Key) {
			r.Details = append(r.Details, fmt.Sprintf("%s.\nHint: %s", d.Name, d.Hint))
		}
	}
	return r
}

// g4s formats gradients with 4 significant digits.
func g4s(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprintf("%.4g", x)
	}
	return "[" + strings.Join(s, " ") + "]"
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

// EngineMistake returns the diagnosis of key; it panics if there is none.
func EngineMistake(key string) EngineDiagnosis {
	for _, d := range EngineDiagnoses {
		if d.Key == key {
			return d
		}
	}
	panic(fmt.Sprintf("lesson: no engine diagnosis %q", key))
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
