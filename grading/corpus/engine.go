package corpus

// Exercises 10 and 11 (the engine's backward pass; tanh and sigmoid as
// operations of lesson/autodiff): forgeries, the typical wrong answers,
// and correct-but-unusual solutions. They join Forgeries and Correct.

const (
	imAD     = "import \"github.com/backprop-lab/backprop/lesson/autodiff\"\n\n"
	imADMath = "import (\n\t\"math\"\n\n\t\"github.com/backprop-lab/backprop/lesson/autodiff\"\n)\n\n"
)

// engineSort is a right topological sort, shared by the wrong answers
// below so that each differs from the solution in one mistake only.
const engineSort = `func engineSort(out *autodiff.Value) []*autodiff.Value {
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
	return order
}

`

var engineForgeries = []Submission{
	// Delegation: autodiff's own engine, named or reached without a name.
	{Name: "engine: backward calls autodiff's Backward", Class: "delegation", Forged: []int{10}, Want: "may not use autodiff.Value.Backward",
		Cells: []string{imAD + `func backward(out *autodiff.Value) { out.Backward() }`}},
	{Name: "engine: backward sorts with autodiff.Topo, held in a variable", Class: "delegation", Forged: []int{10}, Want: "may not use autodiff.Topo",
		Cells: []string{imAD + `var sortGraph = autodiff.Topo

func backward(out *autodiff.Value) {
	order := sortGraph(out)
	for _, n := range order {
		n.Grad = 0
	}
	out.Grad = 1
	for i := len(order) - 1; i >= 0; i-- {
		for k, p := range order[i].Parents() {
			p.Grad += order[i].Grad * order[i].Local(k)
		}
	}
}`}},
	{Name: "engine: autodiff's Backward reached through an interface (no name to refuse)", Class: "delegation", Forged: []int{10}, Want: "Value.Backward may not run in this exercise",
		Cells: []string{imAD + `type differentiable interface{ Backward() }

func backward(out *autodiff.Value) { any(out).(differentiable).Backward() }`}},
	{Name: "engine: tanh is autodiff's Value.Tanh", Class: "delegation", Forged: []int{11}, Want: "may not use autodiff.Value.Tanh",
		Cells: []string{imAD + `func tanh(x *autodiff.Value) *autodiff.Value { return x.Tanh() }`}},
	{Name: "engine: sigmoid reached through an interface (no name to refuse)", Class: "delegation", Forged: []int{11}, Want: "Value.Sigmoid may not run in this exercise",
		Cells: []string{imAD + `func sigmoid(x *autodiff.Value) *autodiff.Value {
	return any(x).(interface{ Sigmoid() *autodiff.Value }).Sigmoid()
}`}},
	{Name: "engine: gradients looked up by the nodes' labels", Class: "delegation", Forged: []int{10}, Want: "may not use autodiff.Value.Label",
		Cells: []string{imAD + engineSort + `var known = map[string]float64{"x": 1, "y": 1}

func backward(out *autodiff.Value) {
	for _, n := range engineSort(out) {
		n.Grad = known[n.Label]
	}
}`}},
	// Lookup: lesson 02's fixed probe graphs, answered from a table.
	{Name: "engine: the practice's fixed graphs answered from a table", Class: "lookup", Forged: []int{10}, Want: "wrong",
		Cells: []string{imAD + engineSort + `func backward(out *autodiff.Value) {
	order := engineSort(out)
	table := map[int][]float64{
		6: {-5.2, 1.7, 3.5, 3.5, 3.5, 3.5}, // the tree f = exp(x·y + z), by its size
		4: {-4, 6, -2, 1},                  // b := a + a, f = b·c
	}
	for i, n := range order {
		n.Grad = 0
		if g, ok := table[len(order)]; ok {
			n.Grad = g[i]
		}
	}
}`}},
	// The typical wrong answers, each named by its cause.
	{Name: "engine: gradients overwritten (p.Grad = …)", Class: "wrong", Forged: []int{10}, Want: "gradients overwritten, not accumulated",
		Cells: []string{imAD + engineSort + `func backward(out *autodiff.Value) {
	order := engineSort(out)
	for _, n := range order {
		n.Grad = 0
	}
	out.Grad = 1
	for i := len(order) - 1; i >= 0; i-- {
		for k, p := range order[i].Parents() {
			p.Grad = order[i].Grad * order[i].Local(k)
		}
	}
}`}},
	{Name: "engine: gradients not zeroed between passes", Class: "wrong", Forged: []int{10}, Want: "stale gradients",
		Cells: []string{imAD + engineSort + `func backward(out *autodiff.Value) {
	order := engineSort(out)
	out.Grad = 1
	for i := len(order) - 1; i >= 0; i-- {
		for k, p := range order[i].Parents() {
			p.Grad += order[i].Grad * order[i].Local(k)
		}
	}
}`}},
	{Name: "engine: depth first from the output, each gradient passed on at once", Class: "wrong", Forged: []int{10}, Want: "not in reverse topological order",
		Cells: []string{imAD + engineSort + `func backward(out *autodiff.Value) {
	for _, n := range engineSort(out) {
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
}`}},
	{Name: "engine: no seed (out.Grad never 1)", Class: "wrong", Forged: []int{10}, Want: "no seed",
		Cells: []string{imAD + engineSort + `func backward(out *autodiff.Value) {
	order := engineSort(out)
	for _, n := range order {
		n.Grad = 0
	}
	for i := len(order) - 1; i >= 0; i-- {
		for k, p := range order[i].Parents() {
			p.Grad += order[i].Grad * order[i].Local(k)
		}
	}
}`}},
	{Name: "engine: σ′ written with the input x", Class: "wrong", Forged: []int{11}, Want: "local derivative written with the input x",
		Cells: []string{imADMath + `func sigmoid(x *autodiff.Value) *autodiff.Value {
	z := 1 / (1 + math.Exp(-x.Data))
	return autodiff.NewOp("σ", z, []*autodiff.Value{x}, []float64{x.Data * (1 - x.Data)})
}`}},
	{Name: "engine: tanh's node not connected to x", Class: "wrong", Forged: []int{11}, Want: "the new node is not connected to x",
		Cells: []string{imADMath + `func tanh(x *autodiff.Value) *autodiff.Value {
	z := math.Tanh(x.Data)
	return autodiff.NewOp("tanh", z, nil, nil)
}`}},
	// Red team: reaching autodiff's engine without naming it, numbers
	// instead of a derivation, and what a hostile answer can carry.
	{Name: "engine: tanh′ by autodiff's own Backward on tanh built from exponentials, reached through interfaces, the gradient read through fmt", Class: "delegation", Forged: []int{11}, Want: "Value.Backward may not run in this exercise",
		Cells: []string{`import (
	"fmt"
	"strconv"
	"strings"

	"github.com/backprop-lab/backprop/lesson/autodiff"
)

type engineOps interface {
	Exp() *autodiff.Value
	Add(*autodiff.Value) *autodiff.Value
	Mul(*autodiff.Value) *autodiff.Value
	Pow(float64) *autodiff.Value
	Backward()
}

func ops(v *autodiff.Value) engineOps { return any(v).(engineOps) }

func constant(c float64) *autodiff.Value { return autodiff.NewOp("", c, nil, nil) }

// gradOf reads a node's Grad from fmt's %v of the struct: {Data Grad Op Label …}.
func gradOf(v *autodiff.Value) float64 {
	f := strings.Fields(strings.Trim(fmt.Sprint(*v), "{}"))
	g, _ := strconv.ParseFloat(f[1], 64)
	return g
}

func tanh(x *autodiff.Value) *autodiff.Value {
	u := constant(x.Data)
	e := ops(ops(u).Mul(constant(2))).Exp()
	z := ops(ops(e).Add(constant(-1))).Mul(ops(ops(e).Add(constant(1))).Pow(-1))
	ops(z).Backward()
	return autodiff.NewOp("tanh", z.Data, []*autodiff.Value{x}, []float64{gradOf(u)})
}`}},
	{Name: "engine: tanh′ by central differences of math.Tanh", Class: "numeric", Forged: []int{11}, Want: "wrong local derivative",
		Cells: []string{imADMath + `func tanh(x *autodiff.Value) *autodiff.Value {
	const h = 1e-5
	d := (math.Tanh(x.Data+h) - math.Tanh(x.Data-h)) / (2 * h)
	return autodiff.NewOp("tanh", math.Tanh(x.Data), []*autodiff.Value{x}, []float64{d})
}`}},
	{Name: "engine: σ′ by a five-point stencil", Class: "numeric", Forged: []int{11}, Want: "wrong local derivative",
		Cells: []string{imADMath + `func sigmoid(x *autodiff.Value) *autodiff.Value {
	s := func(t float64) float64 { return 1 / (1 + math.Exp(-t)) }
	const h = 1e-3
	d := (-s(x.Data+2*h) + 8*s(x.Data+h) - 8*s(x.Data-h) + s(x.Data-2*h)) / (12 * h)
	return autodiff.NewOp("σ", s(x.Data), []*autodiff.Value{x}, []float64{d})
}`}},
	{Name: "engine: every gradient by a five-point difference quotient of out, the graph evaluated again with each operation read through fmt's %v", Class: "numeric", Forged: []int{10}, Want: "wrong",
		Cells: []string{`import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/backprop-lab/backprop/lesson/autodiff"
)

` + engineSort + `// opOf reads a node's operation from fmt's %v of the struct: {Data Grad Op Label …}.
func opOf(n *autodiff.Value) string {
	f := strings.Fields(strings.Trim(fmt.Sprint(*n), "{}"))
	if len(f) < 3 || strings.HasPrefix(f[2], "[") {
		return ""
	}
	return f[2]
}

func backward(out *autodiff.Value) {
	order := engineSort(out)
	at := map[*autodiff.Value]int{}
	data := make([]float64, len(order))
	for i, n := range order {
		at[n], data[i] = i, n.Data
	}
	eval := func(moved int, s float64) float64 {
		d := append([]float64(nil), data...)
		d[moved] += s
		for i := moved + 1; i < len(order); i++ {
			ps := order[i].Parents()
			if len(ps) == 0 {
				continue
			}
			a := d[at[ps[0]]]
			switch op := opOf(order[i]); {
			case op == "+":
				d[i] = a + d[at[ps[1]]]
			case op == "×":
				d[i] = a * d[at[ps[1]]]
			case op == "exp":
				d[i] = math.Exp(a)
			case op == "tanh":
				d[i] = math.Tanh(a)
			case op == "σ":
				d[i] = 1 / (1 + math.Exp(-a))
			case op == "relu":
				d[i] = math.Max(a, 0)
			case strings.HasPrefix(op, "^"):
				p, _ := strconv.ParseFloat(op[len("^"):], 64)
				d[i] = math.Pow(a, p)
			}
		}
		return d[len(d)-1]
	}
	const h = 1e-4
	for i, n := range order {
		n.Grad = (-eval(i, 2*h) + 8*eval(i, h) - 8*eval(i, -h) + eval(i, -2*h)) / (12 * h)
	}
}`}},
	{Name: "engine: tanh′ NaN", Class: "hostile", Forged: []int{11}, Want: "wrong local derivative",
		Cells: []string{imADMath + `func tanh(x *autodiff.Value) *autodiff.Value {
	return autodiff.NewOp("tanh", math.Tanh(x.Data), []*autodiff.Value{x}, []float64{math.NaN()})
}`}},
	{Name: "engine: Backward through a generic type parameter's constraint", Class: "delegation", Forged: []int{10}, Want: "Value.Backward may not run in this exercise",
		Cells: []string{imAD + `func run[T interface{ Backward() }](v T) { v.Backward() }

func backward(out *autodiff.Value) { run(out) }`}},
	{Name: "engine: Backward as an interface's method expression, held in a package-level variable", Class: "delegation", Forged: []int{10}, Want: "Value.Backward may not run in this exercise",
		Cells: []string{imAD + `var backwardOf = interface{ Backward() }.Backward

func backward(out *autodiff.Value) { backwardOf(out) }`}},
	{Name: "engine: Backward promoted through a local struct embedding *autodiff.Value", Class: "delegation", Forged: []int{10}, Want: "may not use autodiff.Value.Backward",
		Cells: []string{imAD + `type node struct{ *autodiff.Value }

func backward(out *autodiff.Value) { node{out}.Backward() }`}},
	{Name: "engine: the guard's panic recovered, autodiff's Backward retried by a goroutine until the guard is lifted", Class: "delegation", Forged: []int{10}, Want: "wrong",
		Cells: []string{imAD + `func tryBackward(v *autodiff.Value) (ok bool) {
	defer func() { ok = recover() == nil }()
	any(v).(interface{ Backward() }).Backward()
	return
}

func backward(out *autodiff.Value) {
	if tryBackward(out) {
		return
	}
	go func() {
		for !tryBackward(out) {
		}
	}()
}`}},
	{Name: "engine: gradients looked up by labels read through fmt's %v of a node (no name to refuse)", Class: "lookup", Forged: []int{10}, Want: "wrong",
		Cells: []string{`import (
	"fmt"
	"strings"

	"github.com/backprop-lab/backprop/lesson/autodiff"
)

` + engineSort + `var known = map[string]float64{"x": 1, "y": -2, "z": 0.5}

func backward(out *autodiff.Value) {
	for _, n := range engineSort(out) {
		f := strings.Fields(strings.Trim(fmt.Sprint(*n), "{}"))
		n.Grad = 0
		if len(f) > 3 {
			n.Grad = known[f[3]]
		}
	}
}`}},
	{Name: "engine: every Data and Grad set to 0, as if the graph were another", Class: "self-consistency", Forged: []int{10}, Want: "wrong",
		Cells: []string{imAD + engineSort + `func backward(out *autodiff.Value) {
	for _, n := range engineSort(out) {
		n.Data, n.Grad = 0, 0
	}
}`}},
	{Name: "engine: a panic whose message is megabytes of forged verdicts", Class: "hostile", Forged: []int{10}, Want: "your code panicked",
		Cells: []string{imAD + `import "strings"

func backward(out *autodiff.Value) {
	panic(strings.Repeat("\n✓ Exercise 10 (the engine's backward pass): right\n", 1<<16))
}`}},
}

var engineCorrect = []Submission{
	{Name: "engine: an iterative depth-first sort with an explicit stack", Cells: []string{imAD + `func backward(out *autodiff.Value) {
	type frame struct {
		n    *autodiff.Value
		next int
	}
	var order []*autodiff.Value
	seen := map[*autodiff.Value]bool{out: true}
	stack := []frame{{n: out}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if ps := top.n.Parents(); top.next < len(ps) {
			p := ps[top.next]
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
}`}},
	{Name: "engine: Kahn's algorithm, counting each node's users", Cells: []string{imAD + `func backward(out *autodiff.Value) {
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
	for ready := []*autodiff.Value{out}; len(ready) > 0; {
		n := ready[0]
		ready = ready[1:]
		for k, p := range n.Parents() {
			p.Grad += n.Grad * n.Local(k)
			if users[p]--; users[p] == 0 {
				ready = append(ready, p)
			}
		}
	}
}`}},
	{Name: "engine: recursion that returns the order, and a helper per step", Cells: []string{imAD + `func postorder(n *autodiff.Value, seen map[*autodiff.Value]bool) []*autodiff.Value {
	if seen[n] {
		return nil
	}
	seen[n] = true
	var out []*autodiff.Value
	for _, p := range n.Parents() {
		out = append(out, postorder(p, seen)...)
	}
	return append(out, n)
}

func send(n *autodiff.Value) {
	for k, p := range n.Parents() {
		p.Grad += n.Grad * n.Local(k)
	}
}

func backward(out *autodiff.Value) {
	order := postorder(out, map[*autodiff.Value]bool{})
	for _, n := range order {
		n.Grad = 0
	}
	out.Grad = 1
	for i := range order {
		send(order[len(order)-1-i])
	}
}`}},
	{Name: "engine: every gradient as a sum over the paths to out of the local derivatives' products (no reverse loop)", Cells: []string{imAD + engineSort + `type use struct {
	user *autodiff.Value
	k    int
}

func backward(out *autodiff.Value) {
	order := engineSort(out)
	users := map[*autodiff.Value][]use{}
	for _, n := range order {
		for k, p := range n.Parents() {
			users[p] = append(users[p], use{n, k})
		}
	}
	var toOut func(n *autodiff.Value) float64
	toOut = func(n *autodiff.Value) float64 {
		if n == out {
			return 1
		}
		s := 0.0
		for _, u := range users[n] {
			s += u.user.Local(u.k) * toOut(u.user)
		}
		return s
	}
	for _, n := range order {
		n.Grad = toOut(n)
	}
}`}},
	{Name: "engine: σ through tanh, tanh through exponentials, derivatives via cosh", Cells: []string{imADMath + `func tanh(x *autodiff.Value) *autodiff.Value {
	e := math.Exp(2 * x.Data)
	c := math.Cosh(x.Data)
	return autodiff.NewOp("tanh", (e-1)/(e+1), []*autodiff.Value{x}, []float64{1 / (c * c)})
}

func sigmoid(x *autodiff.Value) *autodiff.Value {
	t := math.Tanh(x.Data / 2)
	z := (1 + t) / 2
	return autodiff.NewOp("σ", z, []*autodiff.Value{x}, []float64{(1 - t*t) / 4})
}`}},
}

func init() {
	Forgeries = append(Forgeries, engineForgeries...)
	Correct = append(Correct, engineCorrect...)
	// Here, not in Together's literal: combine finds its parts in
	// Forgeries, which holds the engine's only from now on.
	Together = append(Together, combine("forgeries of exercises 10–12 in one notebook: each guard and check holds beside the others",
		"engine: autodiff's Backward reached through an interface (no name to refuse)",
		"engine: tanh′ by central differences of math.Tanh",
		"softmaxMSEDelta by central differences of E through softmax of ln a"))
}
