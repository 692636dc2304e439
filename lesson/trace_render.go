package lesson

import (
	"fmt"
	"html"
	"strings"

	"gonum.org/v1/gonum/mat"
)

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
