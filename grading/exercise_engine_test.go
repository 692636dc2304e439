package grading

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/grading/runner"
	"github.com/backprop-lab/backprop/grading/worker"
	"github.com/backprop-lab/backprop/lesson/autodiff"
	"github.com/backprop-lab/backprop/lesson/autodiff/autodifftest"
)

// Right backward passes, written the ways a learner might: a recursive
// depth-first sort (autodifftest.Backward, the tests' one correct pass), an
// iterative one with an explicit stack, and Kahn's algorithm (counting each
// node's users), which sends gradients in another order.

func iterativeBackward(out *autodiff.Value) {
	type frame struct {
		n    *autodiff.Value
		next int
	}
	var order []*autodiff.Value
	seen := map[*autodiff.Value]bool{out: true}
	stack := []frame{{n: out}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next < len(top.n.Parents()) {
			p := top.n.Parents()[top.next]
			top.next++
			if !seen[p] {
				seen[p] = true
				stack = append(stack, frame{n: p})
			}
			continue
		}
		order = append(order, top.n)
		stack = stack[:len(stack)-1]
	}
	for _, n := range order {
		n.Grad = 0
	}
	out.Grad = 1
	for i := len(order) - 1; i >= 0; i-- {
		for k, p := range order[i].Parents() {
			p.Grad += order[i].Grad * order[i].Local(k)
		}
	}
}

func kahnBackward(out *autodiff.Value) {
	users := map[*autodiff.Value]int{}
	var all []*autodiff.Value
	seen := map[*autodiff.Value]bool{}
	var walk func(n *autodiff.Value)
	walk = func(n *autodiff.Value) {
		if seen[n] {
			return
		}
		seen[n] = true
		all = append(all, n)
		for _, p := range n.Parents() {
			users[p]++
			walk(p)
		}
	}
	walk(out)
	for _, n := range all {
		n.Grad = 0
	}
	out.Grad = 1
	ready := []*autodiff.Value{out}
	for len(ready) > 0 {
		n := ready[0]
		ready = ready[1:]
		for k, p := range n.Parents() {
			p.Grad += n.Grad * n.Local(k)
			if users[p]--; users[p] == 0 {
				ready = append(ready, p)
			}
		}
	}
}

func rightTanh(x *autodiff.Value) *autodiff.Value {
	z := math.Tanh(x.Data)
	return autodiff.NewOp("tanh", z, []*autodiff.Value{x}, []float64{1 - z*z})
}

func rightSigmoid(x *autodiff.Value) *autodiff.Value {
	z := 1 / (1 + math.Exp(-x.Data))
	return autodiff.NewOp("σ", z, []*autodiff.Value{x}, []float64{z * (1 - z)})
}

const engineSeeds = 40

// Right solutions pass on every seed; every mistake of the table fails on
// every seed and is named by its own cause (and no other backward-pass
// cause); the stub points to the hints; a missing function is missing.
func TestEngineBackwardExercise(t *testing.T) {
	for seed := uint64(1); seed <= engineSeeds; seed++ {
		for name, b := range map[string]BackwardFunc{"recursive": autodifftest.Backward, "iterative": iterativeBackward, "Kahn": kahnBackward} {
			if res, _ := grade(t, 10, Submission{EngineBackward: b}, seed); !res.OK() {
				t.Errorf("seed %d: %s backward failed:\n%s", seed, name, res)
			}
		}
		for _, d := range EngineDiagnoses {
			if d.Mistake == nil || d.Key == "not-implemented" {
				continue
			}
			res, _ := grade(t, 10, Submission{EngineBackward: d.Mistake}, seed)
			graphs := drawEngineGraphs(rngFor(10, seed))
			r := judgeBackward("", graphs, observeBackward(worker.Client{A: worker.NewSession(Submission{EngineBackward: d.Mistake})}, graphs), false)
			if res.OK() || !strings.Contains(res.String(), d.Name) || len(r.Causes) != 1 || r.Causes[0] != d.Key {
				t.Errorf("seed %d: mistake %q: causes %v\n%s", seed, d.Key, r.Causes, res)
			}
		}
	}
	res, _ := grade(t, 10, Submission{EngineBackward: EngineMistake("not-implemented").Mistake}, 1)
	if res.Status != ExerciseNotImplemented || !strings.Contains(res.Summary, "hints") {
		t.Errorf("stub: %s", res)
	}
	if res, _ := grade(t, 10, Submission{}, 1); res.Status != ExerciseMissing {
		t.Errorf("no backward: %s", res)
	}
	// A mistake outside the table fails without a name.
	allOnes := func(out *autodiff.Value) {
		for _, n := range topoOrder(out) {
			n.Grad = 1
		}
	}
	if res, _ := grade(t, 10, Submission{EngineBackward: allOnes}, 1); res.OK() || !strings.Contains(res.Summary, "no known mistake fits") {
		t.Errorf("every gradient 1: %s", res)
	}
}

func TestEngineOpsExercise(t *testing.T) {
	for seed := uint64(1); seed <= engineSeeds; seed++ {
		if res, _ := grade(t, 11, Submission{EngineTanh: rightTanh, EngineSigmoid: rightSigmoid}, seed); !res.OK() {
			t.Errorf("seed %d: right ops failed:\n%s", seed, res)
		}
		for _, d := range EngineDiagnoses {
			if d.MistakeOp == nil || d.Key == "not-implemented" {
				continue
			}
			res, _ := grade(t, 11, Submission{EngineTanh: d.MistakeOp, EngineSigmoid: rightSigmoid}, seed)
			if res.OK() || !strings.Contains(res.String(), "tanh: "+d.Name) {
				t.Errorf("seed %d: tanh with mistake %q:\n%s", seed, d.Key, res)
			}
		}
		sigmoidAtInput := func(x *autodiff.Value) *autodiff.Value {
			z := 1 / (1 + math.Exp(-x.Data))
			return autodiff.NewOp("σ", z, []*autodiff.Value{x}, []float64{x.Data * (1 - x.Data)})
		}
		if res, _ := grade(t, 11, Submission{EngineTanh: rightTanh, EngineSigmoid: sigmoidAtInput}, seed); res.OK() ||
			!strings.Contains(res.String(), "sigmoid: "+EngineMistake("local-at-input").Name) {
			t.Errorf("seed %d: σ′ written with x:\n%s", seed, res)
		}
	}
	// NaN and ±Inf compare as nothing: they must fail, not slip through
	// a comparison.
	for _, bad := range []float64{math.NaN(), math.Inf(1)} {
		odd := func(x *autodiff.Value) *autodiff.Value {
			return autodiff.NewOp("tanh", bad, []*autodiff.Value{x}, []float64{bad})
		}
		if res, _ := grade(t, 11, Submission{EngineTanh: odd, EngineSigmoid: rightSigmoid}, 1); res.OK() {
			t.Errorf("tanh answering %v: %s", bad, res)
		}
		allBad := func(out *autodiff.Value) {
			for _, n := range topoOrder(out) {
				n.Grad = bad
			}
		}
		if res, _ := grade(t, 10, Submission{EngineBackward: allBad}, 1); res.OK() {
			t.Errorf("every gradient %v: %s", bad, res)
		}
	}
	res, _ := grade(t, 11, Submission{EngineTanh: EngineMistake("not-implemented").MistakeOp, EngineSigmoid: rightSigmoid}, 1)
	if res.Status != ExerciseNotImplemented || !strings.Contains(res.Summary, "hints") {
		t.Errorf("stub: %s", res)
	}
	if res, _ := grade(t, 11, Submission{EngineTanh: rightTanh}, 1); res.Status != ExerciseMissing {
		t.Errorf("no sigmoid: %s", res)
	}
}

// A graded verdict never prints an expected gradient or value: for every
// mistake, no reference number the learner's answer does not hold appears
// in the verdict. (The practice of lesson 02 prints them: it is practice.)
func TestEngineVerdictsPrintNoExpectedValue(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		for _, d := range EngineDiagnoses {
			if d.Mistake != nil && d.Key != "not-implemented" {
				res, rec := grade(t, 10, Submission{EngineBackward: d.Mistake}, seed)
				for i, q := range rec.queries {
					want := referenceGrads(q.Graph)
					n := len(want)
					own := rec.answers[i].F
					// A value the learner answered in either call is the learner's own.
					l1, l2 := leaks(res.String(), row(want), row(own[:n])), leaks(res.String(), row(want), row(own[n:]))
					for _, l := range l1 {
						if slices.Contains(l2, l) {
							t.Errorf("seed %d, mistake %q: the verdict prints the reference gradient %v:\n%s", seed, d.Key, l, res)
						}
					}
				}
			}
			if d.MistakeOp != nil && d.Key != "not-implemented" {
				res, rec := grade(t, 11, Submission{EngineTanh: d.MistakeOp, EngineSigmoid: rightSigmoid}, seed)
				var want []float64
				for _, x := range rec.queries[0].F {
					z := math.Tanh(x)
					want = append(want, z, 1-z*z)
				}
				if l := leaks(res.String(), row(want), row(rec.answers[0].F)); len(l) > 0 {
					t.Errorf("seed %d, tanh mistake %q: the verdict prints reference values %v:\n%s", seed, d.Key, l, res)
				}
			}
		}
	}
	// The practice does show them (and must, to teach): the test above can fail.
	r := PracticeEngineBackward(EngineMistake("overwrite").Mistake)
	if !strings.Contains(r.String(), "want") {
		t.Errorf("the practice shows no expected gradients:\n%s", r)
	}
}

func row(xs []float64) *mat.Dense { return mat.NewDense(1, len(xs), append([]float64(nil), xs...)) }

// Every draw is fresh: no two seeds of many ask the same graphs, and each
// draw holds what the diagnoses need (b := a + a on a leaf used nowhere
// else; an inner node used by at least two nodes).
func TestEngineGraphsAreFreshAndShaped(t *testing.T) {
	seen := map[string]uint64{}
	for seed := uint64(1); seed <= 200; seed++ {
		graphs := drawEngineGraphs(rngFor(10, seed))
		key := fmt.Sprintf("%v", graphs)
		if s, ok := seen[key]; ok {
			t.Fatalf("seeds %d and %d draw the same graphs", s, seed)
		}
		seen[key] = seed
		uses := func(g engineGraph) []int {
			u := make([]int, len(g.nodes))
			for _, n := range g.nodes {
				for _, p := range n.Parents {
					u[p]++
				}
			}
			return u
		}
		if u := uses(graphs[1]); graphs[1].shared < 0 || u[graphs[1].shared] != 2 || graphs[1].nodes[graphs[1].shared].Op != "" {
			t.Fatalf("seed %d: no b := a + a on a leaf: %+v", seed, graphs[1])
		}
		u, inner := uses(graphs[2]), false
		for i, n := range graphs[2].nodes {
			inner = inner || n.Op != "" && u[i] >= 2
		}
		if !inner {
			t.Fatalf("seed %d: the diamond has no shared inner node: %+v", seed, graphs[2].nodes)
		}
		for _, n := range uses(graphs[0]) {
			if n > 1 {
				t.Fatalf("seed %d: the tree uses a node twice", seed)
			}
		}
	}
}

// rngFor is the rng Exercise.Grade gives exercise n's check at seed.
func rngFor(n int, seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, uint64(n))) }

// The run-time guard: a backward pass that reaches autodiff's own Backward
// or Topo without naming them (the source rules cannot see it), or an
// operation that reaches Value.Tanh or Value.Sigmoid, panics in a worker's
// session; the same code passes in an unguarded session, so the guard is
// what fails it.
func TestEngineGuardRefusesHiddenDelegation(t *testing.T) {
	viaInterface := func(out *autodiff.Value) { any(out).(interface{ Backward() }).Backward() }
	viaTopo := func(out *autodiff.Value) {
		topo := autodiff.Topo // a function value, named elsewhere in a real forgery
		order := topo(out)
		for _, n := range order {
			n.Grad = 0
		}
		out.Grad = 1
		reverseLoop(order, false)
	}
	tanhVia := func(x *autodiff.Value) *autodiff.Value { return any(x).(interface{ Tanh() *autodiff.Value }).Tanh() }
	sigmoidVia := func(x *autodiff.Value) *autodiff.Value {
		return any(x).(interface{ Sigmoid() *autodiff.Value }).Sigmoid()
	}
	for name, s := range map[string]Submission{
		"Backward through an interface": {EngineBackward: viaInterface},
		"Topo as a function value":      {EngineBackward: viaTopo},
	} {
		if res := exerciseByN(10).Grade(worker.Client{A: worker.NewSession(s)}, 1); !res.OK() {
			t.Fatalf("%s, unguarded: %s (the test needs it to pass there)", name, res)
		}
		res := exerciseByN(10).Grade(worker.Client{A: worker.NewGuardedSession(s)}, 1)
		if res.OK() || !strings.Contains(res.Summary, "may not run in this exercise") {
			t.Errorf("%s, in a worker: %s", name, res)
		}
	}
	s := Submission{EngineTanh: tanhVia, EngineSigmoid: sigmoidVia}
	if res := exerciseByN(11).Grade(worker.Client{A: worker.NewSession(s)}, 1); !res.OK() {
		t.Fatalf("Value.Tanh through an interface, unguarded: %s", res)
	}
	if res := exerciseByN(11).Grade(worker.Client{A: worker.NewGuardedSession(s)}, 1); res.OK() || !strings.Contains(res.Summary, "Value.Tanh may not run") {
		t.Errorf("Value.Tanh through an interface, in a worker: %s", res)
	}
	// Exercise 11 forbids Backward too: tanh built from autodiff's
	// exponentials and differentiated by its Backward derives nothing.
	type engineOps interface {
		Exp() *autodiff.Value
		Add(*autodiff.Value) *autodiff.Value
		Mul(*autodiff.Value) *autodiff.Value
		Pow(float64) *autodiff.Value
		Backward()
	}
	ops := func(v *autodiff.Value) engineOps { return any(v).(engineOps) }
	byBackward := func(x *autodiff.Value) *autodiff.Value {
		u := autodiff.New(x.Data, "")
		e := ops(ops(u).Mul(autodiff.New(2, ""))).Exp()
		z := ops(ops(e).Add(autodiff.New(-1, ""))).Mul(ops(ops(e).Add(autodiff.New(1, ""))).Pow(-1))
		ops(z).Backward()
		return autodiff.NewOp("tanh", z.Data, []*autodiff.Value{x}, []float64{u.Grad})
	}
	s = Submission{EngineTanh: byBackward, EngineSigmoid: sigmoidVia}
	if res := exerciseByN(11).Grade(worker.Client{A: worker.NewSession(s)}, 1); !res.OK() {
		t.Fatalf("tanh′ by autodiff's Backward, unguarded: %s", res)
	}
	if res := exerciseByN(11).Grade(worker.Client{A: worker.NewGuardedSession(s)}, 1); res.OK() || !strings.Contains(res.Summary, "Value.Backward may not run") {
		t.Errorf("tanh′ by autodiff's Backward, in a worker: %s", res)
	}
	// After the query, autodiff works again (the worker builds its graphs
	// with it, the judge's reference uses it in-process).
	a := autodiff.New(3, "")
	b := a.Add(a).Tanh()
	b.Backward()
	if a.Grad == 0 {
		t.Error("the guard outlived its query")
	}
}

// The worker's nodes carry no labels (its graph descriptions have none):
// a backward pass cannot look its answers up by them, however it reads
// them (the corpus's forgeries of exercise 10 try, with the other attacks
// that once lived here: a changed graph, gradients written by a goroutine
// after the answer).
func TestWorkerGraphsCarryNoLabels(t *testing.T) {
	nodes, err := worker.BuildGraph(drawEngineGraphs(rngFor(10, 3))[2].nodes)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		if n.Label != "" {
			t.Errorf("a worker's node carries the label %q", n.Label)
		}
	}
}

// The source rules of exercises 10 and 11, from their table entries: the
// Value's Data, Grad, Parents and Local are allowed; Backward, Topo (even
// as a function value), Value.Tanh, Value.Sigmoid and a node's Label are
// refused, at the learner's cell and line.
func TestEngineSourceRules(t *testing.T) {
	if testing.Short() {
		t.Skip("lists export data")
	}
	wd, _ := os.Getwd()
	dir, _, err := runner.FindModule(wd)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := runner.ExportImporter(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	const head = "package main\n\nimport (\n\t\"math\"\n\n\t\"" + runner.AutodiffPath + "\"\n)\n\nvar _ = math.Tanh\n\n"
	// right is the usual solution plus a term that reads Data, on purpose
	// (times 0, so the pass stays right): the accepted source then uses
	// every member exercise 10 allows (Data, Grad, Parents, Local), not
	// three of the four. It is written here, not taken from package corpus:
	// the corpus holds no such pass as one string (its engineSort, the sort
	// alone, is unexported, and its correct passes are the unusual ones).
	const right = `//line In [3]:1
func backward(out *autodiff.Value) {
	var order []*autodiff.Value
	seen := map[*autodiff.Value]bool{}
	var visit func(n *autodiff.Value)
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
	for _, n := range order {
		n.Grad = 0
	}
	out.Grad = 1
	for i := len(order) - 1; i >= 0; i-- {
		for k, p := range order[i].Parents() {
			p.Grad += order[i].Grad * order[i].Local(k) + 0*order[i].Data
		}
	}
}
`
	const ops = `//line In [5]:1
func tanh(x *autodiff.Value) *autodiff.Value {
	z := math.Tanh(x.Data)
	return autodiff.NewOp("tanh", z, []*autodiff.Value{x}, []float64{1 - z*z})
}
func sigmoid(x *autodiff.Value) *autodiff.Value {
	z := 1 / (1 + math.Exp(-x.Data))
	return autodiff.NewOp("σ", z, []*autodiff.Value{x}, []float64{z * (1 - z)})
}
`
	check := func(src string) map[string]error {
		t.Helper()
		out, err := runner.CheckDerived([]runner.LearnerPackage{{Path: "main", Files: map[string][]byte{"notebook.go": []byte(head + src)}}}, sourceRulesList(), imp)
		if err != nil {
			t.Fatalf("%v\n%s", err, src)
		}
		return out
	}
	ex10, ex11 := exerciseByN(10).sourceRules().Name, exerciseByN(11).sourceRules().Name
	if out := check(right + ops); len(out) != 0 {
		t.Fatalf("right solutions refused: %v", out)
	}
	for name, c := range map[string]struct{ src, ex, want string }{
		"Value.Backward": {"//line In [3]:4\nfunc backward(out *autodiff.Value) { out.Backward() }\n" + ops, ex10,
			"In [3], line 4: " + ex10 + " may not use autodiff.Value.Backward"},
		"Topo as a value": {"var sort = autodiff.Topo\n//line In [3]:2\nfunc backward(out *autodiff.Value) { for _, n := range sort(out) { n.Grad = 1 } }\n" + ops, ex10,
			"may not use autodiff.Topo"},
		"Label": {"//line In [3]:2\nfunc backward(out *autodiff.Value) { if out.Label == \"\" { out.Grad = 1 } }\n" + ops, ex10,
			"In [3], line 2: " + ex10 + " may not use autodiff.Value.Label"},
		"Value.Tanh": {right + "//line In [5]:3\nfunc tanh(x *autodiff.Value) *autodiff.Value { return x.Tanh() }\nfunc sigmoid(x *autodiff.Value) *autodiff.Value { return x }\n", ex11,
			"In [5], line 3: " + ex11 + " may not use autodiff.Value.Tanh"},
		"Value.Sigmoid through a helper": {right + "func tanh(x *autodiff.Value) *autodiff.Value { return x }\nfunc sigmoid(x *autodiff.Value) *autodiff.Value { return s(x) }\n//line In [6]:2\nfunc s(x *autodiff.Value) *autodiff.Value { return x.Sigmoid() }\n", ex11,
			"In [6], line 2: " + ex11 + " may not use autodiff.Value.Sigmoid"},
	} {
		out := check(c.src)
		if err := out[c.ex]; err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
		if len(out) != 1 {
			t.Errorf("%s: refusals %v, want only %s's", name, out, c.ex)
		}
	}
}
