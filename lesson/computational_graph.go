package lesson

import (
	"fmt"
	"strings"

	"github.com/backprop-lab/backprop/lesson/autodiff"
	"github.com/backprop-lab/backprop/lesson/chart"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// ScalarGraph builds the forward pass of net on one example (x is 1×n_in) as
// a graph of scalars (package autodiff), runs its backward pass and returns
// it: V[i].Grad are the δ, W[i][j].Grad and B[i].Grad the gradients that nn
// computes with matrices. It panics if x holds more than one example, or if
// net is not ReLU hidden layers under a softmax output (the graph's
// operations).
func ScalarGraph(net *nn.Network, x *mat.Dense, labels []int) *autodiff.MLP {
	if r, _ := x.Dims(); r != 1 || len(labels) != 1 {
		panic(fmt.Sprintf("lesson: ScalarGraph needs one example, got x %s and %d labels", dims(x), len(labels)))
	}
	var w [][][]float64
	var b [][]float64
	for s := 1; s <= len(net.Layers); s++ {
		d := net.Dense(s)
		want := "relu"
		if s == len(net.Layers) {
			want = "softmax"
		}
		if d == nil || d.Act.Name() != want {
			panic(fmt.Sprintf("lesson: ScalarGraph: layer %d must be an nn.Dense with %s", s, want))
		}
		r, c := d.W.Dims()
		ws := make([][]float64, r)
		for i := range r {
			ws[i] = mat.Row(nil, i, d.W)[:c]
		}
		w = append(w, ws)
		b = append(b, mat.Col(nil, 0, d.B))
	}
	g := autodiff.NewMLP(mat.Row(nil, 0, x), labels[0], w, b)
	g.Loss.Backward()
	return g
}

// graphMatrices collects, for layer s of the graph, the gradients of v, W
// and b as nn's shapes: δ 1×n_out, ∂E/∂W n_out×n_in, ∂E/∂b n_out×1.
func graphMatrices(g *autodiff.MLP, s int) (delta, dW, db *mat.Dense) {
	l := g.Layers[s-1]
	n, m := len(l.W), len(l.W[0])
	delta, dW, db = mat.NewDense(1, n, nil), mat.NewDense(n, m, nil), mat.NewDense(n, 1, nil)
	for i := range n {
		delta.Set(0, i, l.V[i].Grad)
		db.Set(i, 0, l.B[i].Grad)
		for j := range m {
			dW.Set(i, j, l.W[i][j].Grad)
		}
	}
	return delta, dW, db
}

// CheckGraphGrads compares the graph's gradients with nn's matrix backward
// pass on the same example (a trace of one example): E, then δ⁽ˢ⁾, ∂E/∂W⁽ˢ⁾
// and ∂E/∂b⁽ˢ⁾ of every layer, to tolExact (the same sums in another order).
func CheckGraphGrads(g *autodiff.MLP, t *Trace) []Check {
	if t.N() != 1 || len(t.Layers) != len(g.Layers) {
		panic(fmt.Sprintf("lesson: CheckGraphGrads needs a trace of one example through %d layers, got N = %d, %d layers", len(g.Layers), t.N(), len(t.Layers)))
	}
	checks := []Check{CheckEquation("E (graph) = E (nn)", mat.NewDense(1, 1, []float64{g.Loss.Data}), mat.NewDense(1, 1, []float64{t.Loss}), tolExact)}
	for s := len(g.Layers); s >= 1; s-- {
		delta, dW, db := graphMatrices(g, s)
		l := t.Layer(s)
		checks = append(checks,
			CheckEquation(fmt.Sprintf("∂E/∂v%s (graph) = δ%s (nn)", sup(s), sup(s)), delta, l.Delta, tolExact),
			CheckEquation(fmt.Sprintf("∂E/∂W%s (graph) = ∂E/∂W%s (nn)", sup(s), sup(s)), dW, l.DW, tolExact),
			CheckEquation(fmt.Sprintf("∂E/∂b%s (graph) = ∂E/∂b%s (nn)", sup(s), sup(s)), db, l.DB, tolExact))
	}
	for i := range checks {
		checks[i].Detail = "graph of scalars vs nn's matrices"
	}
	return checks
}

// CheckBP reads Nielsen's four equations of backpropagation off the graph:
// each left-hand side is a gradient stored in a node, each right-hand side is
// computed from other nodes' values and gradients, so a ✓ means the local
// rules of the graph add up to the equation.
//
//	BP1  δ⁽ʰ⁾ = a⁽ʰ⁾ − y                       (output layer: softmax + cross-entropy)
//	BP2  δ⁽ˢ⁻¹⁾ = ReLU′(v⁽ˢ⁻¹⁾) ⊙ W⁽ˢ⁾ᵀδ⁽ˢ⁾      (mul swaps, add distributes, the ReLU routes)
//	BP3  ∂E/∂b⁽ˢ⁾ = δ⁽ˢ⁾                        (add distributes)
//	BP4  ∂E/∂W⁽ˢ⁾ = δ⁽ˢ⁾ a⁽ˢ⁻¹⁾ᵀ                (mul swaps)
func CheckBP(g *autodiff.MLP) []Check {
	h := len(g.Layers)
	out := g.Layers[h-1]
	lhs, rhs := mat.NewDense(1, len(out.V), nil), mat.NewDense(1, len(out.V), nil)
	for k := range out.V {
		y := 0.0
		if k == g.Label {
			y = 1
		}
		lhs.Set(0, k, out.V[k].Grad)
		rhs.Set(0, k, out.A[k].Data-y)
	}
	checks := []Check{CheckEquation(fmt.Sprintf("BP1 δ%s = a%s − y", sup(h), sup(h)), lhs, rhs, tolExact)}
	for s := h; s >= 2; s-- {
		up, l := g.Layers[s-1], g.Layers[s-2]
		lhs, rhs := mat.NewDense(1, len(l.V), nil), mat.NewDense(1, len(l.V), nil)
		for j := range l.V {
			var sum float64
			for i := range up.V {
				sum += up.W[i][j].Data * up.V[i].Grad
			}
			gate := 0.0
			if l.V[j].Data > 0 {
				gate = 1
			}
			lhs.Set(0, j, l.V[j].Grad)
			rhs.Set(0, j, gate*sum)
		}
		checks = append(checks, CheckEquation(fmt.Sprintf("BP2 δ%s = ReLU′(v%s) ⊙ W%sᵀδ%s", sup(s-1), sup(s-1), sup(s), sup(s)), lhs, rhs, tolExact))
	}
	for s := h; s >= 1; s-- {
		l := g.Layers[s-1]
		in := g.X
		if s > 1 {
			in = g.Layers[s-2].A
		}
		n, m := len(l.W), len(in)
		db, d := mat.NewDense(n, 1, nil), mat.NewDense(n, 1, nil)
		dW, outer := mat.NewDense(n, m, nil), mat.NewDense(n, m, nil)
		for i := range n {
			db.Set(i, 0, l.B[i].Grad)
			d.Set(i, 0, l.V[i].Grad)
			for j := range m {
				dW.Set(i, j, l.W[i][j].Grad)
				outer.Set(i, j, l.V[i].Grad*in[j].Data)
			}
		}
		checks = append(checks,
			CheckEquation(fmt.Sprintf("BP3 ∂E/∂b%s = δ%s", sup(s), sup(s)), db, d, tolExact),
			CheckEquation(fmt.Sprintf("BP4 ∂E/∂W%s = δ%s a%sᵀ", sup(s), sup(s), sup(s-1)), dW, outer, tolExact))
	}
	return checks
}

// GraphText lists every node of the graph below out in topological order
// (inputs first, the output last): name, operation, forward value and
// gradient ∂out/∂node, one per line.
func GraphText(out *autodiff.Value) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-10s %-5s %10s %10s\n", "node", "op", "value", "gradient")
	for _, n := range autodiff.Topo(out) {
		name, op := n.Label, n.Op
		if name == "" {
			name = "·"
		}
		if op == "" {
			op = "leaf"
		}
		fmt.Fprintf(&b, "%-10s %-5s %10.4f %10.4f\n", name, op, n.Data, n.Grad)
	}
	return b.String()
}

// GateExample builds CS231n's f = 2·(x·y + max(z, w)) at (x, y, z, w) =
// (3, −4, 2, −1), runs Backward and returns f and the inputs: add
// distributes, mul swaps, max routes.
func GateExample() (f *autodiff.Value, x, y, z, w *autodiff.Value) {
	x, y, z, w = autodiff.New(3, "x"), autodiff.New(-4, "y"), autodiff.New(2, "z"), autodiff.New(-1, "w")
	p := x.Mul(y)
	p.Label = "x·y"
	m := autodiff.Max(z, w)
	m.Label = "max(z,w)"
	s := p.Add(m)
	s.Label = "sum"
	f = autodiff.New(2, "2").Mul(s)
	f.Label = "f"
	f.Backward()
	return f, x, y, z, w
}

// CheckGateFD compares the gradients of GateExample's inputs with central
// differences of f (h = 1e-6, tolerance tolFD).
func CheckGateFD() Check {
	_, x, y, z, w := GateExample()
	at := []float64{x.Data, y.Data, z.Data, w.Data}
	// f recomputed with plain float64s, independently of the graph.
	eval := func(v []float64) float64 { return 2 * (v[0]*v[1] + max(v[2], v[3])) }
	got, want := mat.NewDense(1, 4, []float64{x.Grad, y.Grad, z.Grad, w.Grad}), mat.NewDense(1, 4, nil)
	for i := range at {
		p, m := append([]float64(nil), at...), append([]float64(nil), at...)
		p[i] += fdStep
		m[i] -= fdStep
		want.Set(0, i, (eval(p)-eval(m))/(2*fdStep))
	}
	c := CheckEquation("(∂f/∂x, ∂f/∂y, ∂f/∂z, ∂f/∂w) graph = finite differences", got, want, tolFD)
	c.Detail = fmt.Sprintf("central differences, h = %g", fdStep)
	return c
}

// GraphChart draws the graph below out (chart.ComputationalGraph): every
// node of autodiff.Topo(out), every edge labelled with the value it carries
// forward and the gradient it carries back, n.Grad × local for an edge into
// n. Leaves named W… and b… are parameters, unnamed leaves and leaves named
// by a number constants, other leaves inputs.
func GraphChart(title string, out *autodiff.Value) *chart.Chart {
	nodes, edges := graphParts(out)
	return chart.ComputationalGraph(title, nodes, edges)
}

// graphParts returns the nodes of autodiff.Topo(out), in that order, and
// the edges between them, as GraphChart describes them.
func graphParts(out *autodiff.Value) ([]chart.GraphNode, []chart.GraphEdge) {
	order := autodiff.Topo(out)
	index := make(map[*autodiff.Value]int, len(order))
	nodes := make([]chart.GraphNode, len(order))
	for i, n := range order {
		index[n] = i
		kind := "operation"
		switch {
		case n == out:
			kind = "output"
		case n.Op == "" && (strings.HasPrefix(n.Label, "W") || strings.HasPrefix(n.Label, "b")):
			kind = "parameter"
		case isConstant(n):
			kind = "constant"
		case n.Op == "":
			kind = "input"
		}
		nodes[i] = chart.GraphNode{Name: n.Label, Op: n.Op, Kind: kind, Value: n.Data, Grad: n.Grad}
	}
	var edges []chart.GraphEdge
	for _, n := range order {
		for k, p := range n.Parents() {
			edges = append(edges, chart.GraphEdge{From: index[p], To: index[n], Value: p.Data, Grad: n.Grad * n.Local(k)})
		}
	}
	return nodes, edges
}

// isConstant reports whether n is a constant: a leaf with no name or named
// by a number ("−1").
func isConstant(n *autodiff.Value) bool {
	return n.Op == "" && (n.Label == "" || strings.ContainsRune("−-0123456789", []rune(n.Label)[0]))
}
