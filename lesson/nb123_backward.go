package lesson

// Helpers of notebook 2 (backpropagation): δ checked against its definition
// ∂E/∂v, the gradient a learner gets when forgetting φ′, the batch gradient
// as a mean of one-example gradients, the shapes of the backward pass, and a
// step's result on its own.

import (
	"fmt"
	"math"
	"strings"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// ResultMarkdown renders only the boxed, numbered result of the step, for
// stating an equation whose derivation comes elsewhere.
func (s DerivationStep) ResultMarkdown() string {
	return fmt.Sprintf("$$\\boxed{%s} \\qquad (%d)$$\n", s.Result, s.N)
}

// CheckDelta checks (delta), the definition δ⁽ˢ⁾ = ∂E/∂v⁽ˢ⁾, for layer s:
// nn's δ⁽ˢ⁾ (which backpropagation computed from the layers above) against
// central finite differences of E in the pre-activation v⁽ˢ⁾ itself, each
// entry nudged by ±h and the pass continued from there to the loss. Large
// layers are checked on an even sample of at most 64 entries. (A v exactly
// at a ReLU kink, 0, would make the difference meaningless; the lessons'
// examples have none.)
func CheckDelta(t *Trace, s int) Check {
	l := t.Layer(s)
	v := mat.DenseCopyOf(l.V)
	r, c := v.Dims()
	total := r * c
	n := min(total, fdMaxEntries)
	var maxErr float64
	for k := range n {
		idx := k * total / n
		i, j := idx/c, idx%c
		x := v.At(i, j)
		v.Set(i, j, x+fdStep)
		plus := t.lossFromV(s, v)
		v.Set(i, j, x-fdStep)
		minus := t.lossFromV(s, v)
		v.Set(i, j, x)
		e := math.Abs(l.Delta.At(i, j) - (plus-minus)/(2*fdStep))
		if math.IsNaN(e) {
			maxErr = math.NaN()
			break
		}
		maxErr = math.Max(maxErr, e)
	}
	detail := fmt.Sprintf("nn's δ vs central differences of E in v%s, h = %.0e", sup(s), fdStep)
	if n < total {
		detail += fmt.Sprintf(", %d of %d entries", n, total)
	}
	return Check{Name: "δ" + sup(s) + " = ∂E/∂v" + sup(s), Detail: detail, MaxErr: maxErr, Tol: TolFD, OK: maxErr <= TolFD}
}

// lossFromV returns the loss E when layer s's pre-activation is v (N×n_out):
// a = φ⁽ˢ⁾(v), then the layers above, then the mean cross-entropy.
func (t *Trace) lossFromV(s int, v *mat.Dense) float64 {
	r, c := v.Dims()
	a := mat.NewDense(r, c, nil)
	t.net.Dense(s).Act.Forward(a, v)
	for k := s + 1; k <= t.H(); k++ {
		a = t.net.Dense(k).Forward(a)
	}
	loss, _ := nn.CrossEntropy(a, t.Labels)
	return loss
}

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

// CheckBatchMean checks the batch form of (weight-grad) for layer s: the
// batch gradient Δ⁽ˢ⁾ᵀ·A⁽ˢ⁻¹⁾, whose Δ carries the 1/N of the mean, against
// the mean of the N one-example gradients δₙ⁽ˢ⁾aₙ⁽ˢ⁻¹⁾ᵀ, each from its own
// trace of that example alone.
func CheckBatchMean(t *Trace, s int) Check {
	l := t.Layer(s)
	n, nIn := t.X.Dims()
	mean := mat.NewDense(l.DW.RawMatrix().Rows, l.DW.RawMatrix().Cols, nil)
	for r := range n {
		one := NewTrace(t.net, mat.NewDense(1, nIn, t.X.RawRowView(r)), t.Labels[r:r+1])
		mean.Add(mean, one.Layer(s).DW)
	}
	mean.Scale(1/float64(n), mean)
	c := CheckEquation("∂E/∂W"+sup(s)+" = Δ"+sup(s)+"ᵀA"+sup(s-1)+" = (1/N) Σₙ δₙ"+sup(s)+"aₙ"+sup(s-1)+"ᵀ", l.DW, mean, TolExact)
	c.Detail = fmt.Sprintf("batch vs the mean of %d one-example gradients", n)
	return c
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
