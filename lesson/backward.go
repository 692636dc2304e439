package lesson

import (
	"fmt"

	"strings"

	"gonum.org/v1/gonum/mat"
)

// UnmaskedWeightGrad returns the ∂E/∂W⁽ˢ⁾ of a backward pass that forgets the
// factor φ′(v⁽ˢ⁾) in (hidden-delta): it uses ∂E/∂a⁽ˢ⁾ = W⁽ˢ⁺¹⁾ᵀδ⁽ˢ⁺¹⁾ in
// place of δ⁽ˢ⁾ (batch: G⁽ˢ⁾ᵀ·A⁽ˢ⁻¹⁾, n_out×n_in). Units whose φ′ is 0 (an
// inactive ReLU) then get a gradient although they cannot change the loss.
// It panics for the output layer s = h, which has no φ′ to forget.
func UnmaskedWeightGrad(t *Trace, s int) *mat.Dense {
	l := t.Layer(s)
	if s == t.H() {
		panic(fmt.Sprintf("lesson: UnmaskedWeightGrad: layer %d is the output layer; want a hidden layer 1…%d", s, t.H()-1))
	}
	dW := new(mat.Dense)
	dW.Mul(l.G.T(), t.Input(s))
	return dW
}

// BackwardShapes lists the backward pass of a trace in batch form, one
// example per row, with the shapes of every product as they are for this
// batch, from the output layer down.
func BackwardShapes(t *Trace) string {
	var b strings.Builder
	n := t.N()
	for s := t.H(); s >= 1; s-- {
		l := t.Layer(s)
		p, q := sup(s), sup(s-1)
		nOut, nIn := l.W.Dims()
		fmt.Fprintf(&b, "layer %d (%s):\n", s, l.Act)
		var delta [2]string
		if s == t.H() {
			delta = [2]string{"Δ" + p + " = (A" + p + " − Y)/N", fmt.Sprintf("(%s − %s)/%d → %s", dims(l.A), dims(t.Y), n, dims(l.Delta))}
		} else {
			up := sup(s + 1)
			nUp, _ := t.Layer(s + 1).W.Dims()
			delta = [2]string{"Δ" + p + " = φ′(V" + p + ") ⊙ (Δ" + up + "·W" + up + ")",
				fmt.Sprintf("%s ⊙ ((%d×%d)·(%d×%d)) → %s", dims(l.DPhi), n, nUp, nUp, nOut, dims(l.Delta))}
		}
		b.WriteString(aligned([][2]string{
			delta,
			{"∂E/∂W" + p + " = Δ" + p + "ᵀ·A" + q, fmt.Sprintf("(%d×%d)·(%d×%d) → %s", nOut, n, n, nIn, dims(l.DW))},
			{"∂E/∂b" + p + " = Δ" + p + "ᵀ·1", fmt.Sprintf("(%d×%d)·(%d×1) → %s", nOut, n, n, dims(l.DB))},
		}))
	}
	return b.String()
}

// ZeroGradientText explains the exact zeros of ∂E/∂W⁽ˢ⁾ = Δ⁽ˢ⁾ᵀA⁽ˢ⁻¹⁾ for
// a trace: how many entries are 0, how many whole columns are 0 because
// input j is 0 in every example of the batch (a blank MNIST pixel), and how
// many whole rows because δᵢ is 0 in every example (a unit inactive for the
// whole batch).
func ZeroGradientText(t *Trace, s int) string {
	l := t.Layer(s)
	in := t.Input(s)
	nOut, nIn := l.DW.Dims()
	zeros := 0
	for i := range nOut {
		for j := range nIn {
			if l.DW.At(i, j) == 0 {
				zeros++
			}
		}
	}
	allZero := func(m mat.Matrix, col int) bool {
		r, _ := m.Dims()
		for n := range r {
			if m.At(n, col) != 0 {
				return false
			}
		}
		return true
	}
	cols, rows := 0, 0
	for j := range nIn {
		if allZero(in, j) {
			cols++
		}
	}
	for i := range nOut {
		if allZero(l.Delta, i) {
			rows++
		}
	}
	return fmt.Sprintf("∂E/∂W%s: %d of its %d entries (%.1f%%) are exactly 0;\n"+
		"  %d of %d columns are 0: their input a%sⱼ is 0 for every example\n"+
		"  %d of %d rows are 0: their unit's δ%sᵢ is 0 for every example\n",
		sup(s), zeros, nOut*nIn, 100*float64(zeros)/float64(nOut*nIn), cols, nIn, sup(s-1), rows, nOut, sup(s))
}
