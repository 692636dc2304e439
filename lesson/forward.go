package lesson

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// ForwardShapes lists the forward pass of a trace in batch form, one example
// per row, with the shapes of every product as they are for this batch:
//
//	U⁽¹⁾ = A⁽⁰⁾·W⁽¹⁾ᵀ     (4×2)·(2×2) → 4×2
func ForwardShapes(t *Trace) string {
	n := t.N()
	var b strings.Builder
	fmt.Fprintf(&b, "X = A⁽⁰⁾ is %s: one example per row\n", dims(t.X))
	for s := 1; s <= t.H(); s++ {
		l := t.Layer(s)
		p, q := sup(s), sup(s-1)
		nOut, nIn := l.W.Dims()
		fmt.Fprintf(&b, "layer %d (%s), W%s is %d×%d:\n", s, l.Act, p, nOut, nIn)
		b.WriteString(aligned([][2]string{
			{"U" + p + " = A" + q + "·W" + p + "ᵀ", fmt.Sprintf("(%d×%d)·(%d×%d) → %s", n, nIn, nIn, nOut, dims(l.U))},
			{"V" + p + " = U" + p + " + 1b" + p + "ᵀ", fmt.Sprintf("%s + (%d×1)·(1×%d) → %s", dims(l.U), n, nOut, dims(l.V))},
			{"A" + p + " = " + l.Act + "(V" + p + ")", dims(l.A)},
		}))
	}
	return b.String()
}

// aligned writes rows of (equation, shapes), indented, with the shapes
// aligned in a column (widths counted in runes).
func aligned(rows [][2]string) string {
	w := 0
	for _, r := range rows {
		w = max(w, utf8.RuneCountInString(r[0]))
	}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "  %s%s   %s\n", r[0], strings.Repeat(" ", w-utf8.RuneCountInString(r[0])), r[1])
	}
	return b.String()
}

// ParamsText lists the parameters of a trace's network, layer by layer, with
// their shapes: W⁽ˢ⁾ is n_out×n_in (row i holds the incoming weights of unit
// i) and b⁽ˢ⁾ has one entry per unit, stored as an n_out×1 column.
func ParamsText(t *Trace) string {
	var b strings.Builder
	for s := 1; s <= t.H(); s++ {
		l := t.Layer(s)
		nOut, nIn := l.W.Dims()
		fmt.Fprintf(&b, "layer %d (%s): %d inputs → %d units\n", s, l.Act, nIn, nOut)
		fmt.Fprintf(&b, "  W%s  %d×%d (n_out×n_in)\n%s", sup(s), nOut, nIn, matrixText(l.W, "    "))
		fmt.Fprintf(&b, "  b%s  %d×1\n%s", sup(s), nOut, matrixText(l.B, "    "))
	}
	return b.String()
}

// InactiveFraction returns the fraction of the entries of φ′(v⁽ˢ⁾) over the
// batch that are 0: for a ReLU layer, the share of (example, unit) pairs
// whose unit is inactive, a = 0, and passes no gradient back. It panics for
// softmax, which has no element-wise φ′.
func InactiveFraction(t *Trace, s int) float64 {
	l := t.Layer(s)
	if l.DPhi == nil {
		panic(fmt.Sprintf("lesson: InactiveFraction: layer %d's %s is not element-wise", s, l.Act))
	}
	r, c := l.DPhi.Dims()
	zeros := 0
	for _, d := range l.DPhi.RawMatrix().Data {
		if d == 0 {
			zeros++
		}
	}
	return float64(zeros) / float64(r*c)
}
