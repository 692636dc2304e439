package lesson

import (
	"fmt"
	"html"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/nn"
)

// Trace is one forward and backward pass of a network on a batch, with every
// intermediate value of the derivation copied out of nn's layers.
//
// Rows are examples (see nn's doc): for a batch of N examples, the per-layer
// vectors u, v, a, δ of the derivation are the rows of the N×n_out matrices
// U, V, A, Delta, and δ includes the 1/N of the batch mean.
type Trace struct {
	X       *mat.Dense   // a⁽⁰⁾ = x, N×n_in
	Labels  []int        // class of each example
	Y       *mat.Dense   // one-hot targets, N×k
	Loss    float64      // E = −(1/N) Σ_n Σ_j y_nj ln a_nj
	Correct int          // examples whose most probable class is the label
	Layers  []LayerTrace // Layers[s−1] is layer s; the last is the output layer h

	net *nn.Network // a private clone, for finite differences
}

// LayerTrace holds the values of layer s for the traced batch. All matrices
// are copies owned by the trace.
type LayerTrace struct {
	S   int    // layer number, 1 … h
	Act string // name of φ⁽ˢ⁾: "relu", "softmax", …

	W *mat.Dense // W⁽ˢ⁾, n_out×n_in
	B *mat.Dense // b⁽ˢ⁾, n_out×1

	U    *mat.Dense // u⁽ˢ⁾ = W⁽ˢ⁾a⁽ˢ⁻¹⁾; batch U = A⁽ˢ⁻¹⁾W⁽ˢ⁾ᵀ, N×n_out
	V    *mat.Dense // v⁽ˢ⁾ = u⁽ˢ⁾ + b⁽ˢ⁾, N×n_out
	A    *mat.Dense // a⁽ˢ⁾ = φ⁽ˢ⁾(v⁽ˢ⁾), N×n_out
	DPhi *mat.Dense // φ′(v⁽ˢ⁾), N×n_out; nil for softmax (its Jacobian is not diagonal)
	// G is ∂E/∂a⁽ˢ⁾ = W⁽ˢ⁺¹⁾ᵀδ⁽ˢ⁺¹⁾ (batch: Δ⁽ˢ⁺¹⁾W⁽ˢ⁺¹⁾, N×n_out), what
	// layer s+1 sends back; nil for the output layer.
	G     *mat.Dense
	Delta *mat.Dense // δ⁽ˢ⁾ = ∂E/∂v⁽ˢ⁾, N×n_out (batch mean: includes 1/N)
	DW    *mat.Dense // ∂E/∂W⁽ˢ⁾ = δ⁽ˢ⁾a⁽ˢ⁻¹⁾ᵀ; batch Δᵀ·A⁽ˢ⁻¹⁾, n_out×n_in
	DB    *mat.Dense // ∂E/∂b⁽ˢ⁾ = δ⁽ˢ⁾; batch Δᵀ·1, n_out×1
}

// NewTrace runs one forward and backward pass of net on the batch x (N×n_in,
// one example per row) with the given labels and returns every intermediate
// value. It works on a clone, so net (weights, caches and gradients) is left
// untouched. It panics if a layer is not an *nn.Dense or the shapes do not
// fit.
func NewTrace(net *nn.Network, x *mat.Dense, labels []int) *Trace {
	c := net.Clone()
	loss := c.LossAndGrad(x, labels)
	_, correct := nn.CrossEntropy(c.Output(), labels)
	_, k := c.Output().Dims()
	t := &Trace{
		X:       mat.DenseCopyOf(x),
		Labels:  append([]int(nil), labels...),
		Y:       nn.OneHot(labels, k),
		Loss:    loss,
		Correct: correct,
		net:     c,
	}
	for s := 1; s <= len(c.Layers); s++ {
		d := c.Dense(s)
		lt := LayerTrace{
			S: s, Act: d.Act.Name(),
			W: mat.DenseCopyOf(d.W), B: mat.DenseCopyOf(d.B),
			U: mat.DenseCopyOf(d.U()), V: mat.DenseCopyOf(d.V()), A: mat.DenseCopyOf(d.A()),
			Delta: mat.DenseCopyOf(d.Delta()),
			DW:    mat.DenseCopyOf(d.DW), DB: mat.DenseCopyOf(d.DB),
		}
		if e, ok := d.Act.(nn.Elementwise); ok {
			lt.DPhi = nn.Derivative(e, d.V(), d.A())
		}
		t.Layers = append(t.Layers, lt)
	}
	for s := 1; s < len(t.Layers); s++ {
		up := t.Layers[s] // layer s+1
		g := new(mat.Dense)
		g.Mul(up.Delta, up.W)
		t.Layers[s-1].G = g
	}
	return t
}

// H returns the number of layers h (the output layer's number).
func (t *Trace) H() int { return len(t.Layers) }

// N returns the number of examples in the batch.
func (t *Trace) N() int { r, _ := t.X.Dims(); return r }

// Layer returns layer s (1 … h). It panics outside that range.
func (t *Trace) Layer(s int) *LayerTrace {
	if s < 1 || s > len(t.Layers) {
		panic(fmt.Sprintf("lesson: Trace.Layer: layer %d outside 1…%d", s, len(t.Layers)))
	}
	return &t.Layers[s-1]
}

// Input returns a⁽ˢ⁻¹⁾, the input of layer s: x for s = 1.
func (t *Trace) Input(s int) *mat.Dense {
	if s == 1 {
		return t.X
	}
	return t.Layer(s - 1).A
}

// Sizes returns the layer widths {n_in, n_1, …, n_h}.
func (t *Trace) Sizes() []int {
	_, c := t.X.Dims()
	sizes := []int{c}
	for _, l := range t.Layers {
		r, _ := l.W.Dims()
		sizes = append(sizes, r)
	}
	return sizes
}

// traceRow is one quantity of a layer as the renderings show it.
type traceRow struct {
	name string // in the derivation's notation, e.g. "δ⁽¹⁾ = φ′(v⁽¹⁾) ⊙ ∂E/∂a⁽¹⁾"
	m    mat.Matrix
	note string // shown instead of a matrix when m is nil
}

// rows lists what the renderings show for layer l of t, in forward then
// backward order.
func (t *Trace) rows(l *LayerTrace) []traceRow {
	s, p := sup(l.S), sup(l.S-1)
	rows := []traceRow{
		{name: "W" + s, m: l.W},
		{name: "b" + s, m: l.B},
		{name: "u" + s + " = W" + s + "a" + p, m: l.U},
		{name: "v" + s + " = u" + s + " + b" + s, m: l.V},
		{name: "a" + s + " = " + l.Act + "(v" + s + ")", m: l.A},
	}
	if l.DPhi != nil {
		rows = append(rows, traceRow{name: "φ′(v" + s + ")", m: l.DPhi})
	} else {
		rows = append(rows, traceRow{name: "φ′(v" + s + ")", note: l.Act + " is not element-wise: δ comes from a − y directly"})
	}
	if l.S < t.H() {
		n := sup(l.S + 1)
		rows = append(rows,
			traceRow{name: "∂E/∂a" + s + " = W" + n + "ᵀδ" + n, m: l.G},
			traceRow{name: "δ" + s + " = φ′(v" + s + ") ⊙ ∂E/∂a" + s, m: l.Delta})
	} else {
		rows = append(rows, traceRow{name: "δ" + s + " = (a" + s + " − y)/N", m: l.Delta})
	}
	return append(rows,
		traceRow{name: "∂E/∂W" + s + " = δ" + s + "a" + p + "ᵀ", m: l.DW},
		traceRow{name: "∂E/∂b" + s + " = δ" + s, m: l.DB})
}

// summary is the one-line description at the top of both renderings.
func (t *Trace) summary() string {
	sizes := make([]string, 0, len(t.Layers)+1)
	for _, n := range t.Sizes() {
		sizes = append(sizes, fmt.Sprint(n))
	}
	return fmt.Sprintf("%s network, N = %d example(s), E = %s, %d/%d classified right. Rows of x, u, v, a, φ′, δ are examples; δ includes the 1/N of the batch mean.",
		strings.Join(sizes, "-"), t.N(), num(t.Loss), t.Correct, t.N())
}

// Text renders the trace as plain text: each layer's quantities with their
// shapes, small matrices in full and large ones as shape, min/max/mean and an
// excerpt.
func (t *Trace) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Trace: %s\n", t.summary())
	fmt.Fprintf(&b, "\na%s = x   %s\n%s", sup(0), dims(t.X), matrixText(t.X, "  "))
	fmt.Fprintf(&b, "y (one-hot of labels %v)   %s\n%s", t.Labels, dims(t.Y), matrixText(t.Y, "  "))
	for i := range t.Layers {
		l := &t.Layers[i]
		fmt.Fprintf(&b, "\nLayer %d (%s)\n", l.S, l.Act)
		for _, r := range t.rows(l) {
			if r.m == nil {
				fmt.Fprintf(&b, "%s: %s\n", r.name, r.note)
				continue
			}
			fmt.Fprintf(&b, "%s   %s\n%s", r.name, dims(r.m), matrixText(r.m, "  "))
		}
	}
	return b.String()
}

// traceCSS styles Trace.HTML and Check.HTML; scoped by class names.
const traceCSS = `<style>
.bp-trace{font:13px/1.4 sans-serif}
.bp-trace table.bp-layer{border-collapse:collapse;margin:6px 0 14px}
.bp-trace table.bp-layer>tbody>tr>td{border-top:1px solid #ddd;padding:3px 10px;vertical-align:top}
.bp-trace td.bp-q{white-space:nowrap;font-family:serif;font-size:14px}
.bp-trace td.bp-s{color:#666;white-space:nowrap}
.bp-mat{border-collapse:collapse;font-family:monospace;font-size:12px}
.bp-mat td{padding:0 6px;text-align:right;border-left:1px solid #ccc;border-right:1px solid #ccc}
.bp-sum{color:#555;font-size:12px}
</style>`

// HTML renders the trace as HTML tables, one per layer, in the same form as
// Text.
func (t *Trace) HTML() string {
	var b strings.Builder
	b.WriteString(traceCSS)
	b.WriteString(`<div class="bp-trace">`)
	fmt.Fprintf(&b, "<p><b>Trace</b>: %s</p>", html.EscapeString(t.summary()))
	b.WriteString(`<table class="bp-layer"><tbody>`)
	writeRow := func(name string, m mat.Matrix, note string) {
		fmt.Fprintf(&b, `<tr><td class="bp-q">%s</td>`, html.EscapeString(name))
		if m == nil {
			fmt.Fprintf(&b, `<td class="bp-s"></td><td>%s</td></tr>`, html.EscapeString(note))
			return
		}
		fmt.Fprintf(&b, `<td class="bp-s">%s</td><td>%s</td></tr>`, dims(m), matrixHTML(m))
	}
	writeRow("a"+sup(0)+" = x", t.X, "")
	writeRow(fmt.Sprintf("y (labels %v)", t.Labels), t.Y, "")
	b.WriteString("</tbody></table>")
	for i := range t.Layers {
		l := &t.Layers[i]
		fmt.Fprintf(&b, "<p><b>Layer %d</b> (%s)</p>", l.S, html.EscapeString(l.Act))
		b.WriteString(`<table class="bp-layer"><tbody>`)
		for _, r := range t.rows(l) {
			writeRow(r.name, r.m, r.note)
		}
		b.WriteString("</tbody></table>")
	}
	b.WriteString("</div>")
	return b.String()
}
