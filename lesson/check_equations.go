package lesson

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/nn"
)

// CheckLinear checks (linear) for layer s: nn's u⁽ˢ⁾ against the sums
// Σⱼ W⁽ˢ⁾ᵢⱼ a⁽ˢ⁻¹⁾ⱼ written out as loops, for every example (batch form
// U = A⁽ˢ⁻¹⁾W⁽ˢ⁾ᵀ, N×n_out).
func CheckLinear(t *Trace, s int) Check {
	l, in := t.Layer(s), t.Input(s)
	n, nIn := in.Dims()
	nOut, _ := l.W.Dims()
	want := mat.NewDense(n, nOut, nil)
	for r := range n {
		for i := range nOut {
			var sum float64
			for j := range nIn {
				sum += l.W.At(i, j) * in.At(r, j)
			}
			want.Set(r, i, sum)
		}
	}
	c := CheckEquation("u"+sup(s)+" = W"+sup(s)+"a"+sup(s-1), l.U, want, tolExact)
	c.Detail = "nn's u vs the sums Σⱼ Wᵢⱼaⱼ" + examples(n)
	return c
}

// CheckBias checks (bias) for layer s: nn's v⁽ˢ⁾ against u⁽ˢ⁾ + b⁽ˢ⁾ added
// entry by entry (batch form V = U + 1b⁽ˢ⁾ᵀ: b added to every row).
func CheckBias(t *Trace, s int) Check {
	l := t.Layer(s)
	n, nOut := l.U.Dims()
	want := mat.NewDense(n, nOut, nil)
	for r := range n {
		for i := range nOut {
			want.Set(r, i, l.U.At(r, i)+l.B.At(i, 0))
		}
	}
	c := CheckEquation("v"+sup(s)+" = u"+sup(s)+" + b"+sup(s), l.V, want, tolExact)
	c.Detail = "nn's v vs u + b entry by entry" + examples(n)
	return c
}

// CheckBiasTrick checks (bias-trick) for layer s: [W|b]·[a;1] against
// v = W a + b as nn computed it. In batch form the augmented input is
// [A⁽ˢ⁻¹⁾ | 1] (N×(n_in+1)) and the product [A | 1]·[W | b]ᵀ.
func CheckBiasTrick(t *Trace, s int) Check {
	l := t.Layer(s)
	in := t.Input(s)
	r, c := in.Dims()
	nOut, _ := l.W.Dims()
	aug := mat.NewDense(r, c+1, nil) // [A | 1]
	aug.Augment(in, ones(r, 1))
	wb := mat.NewDense(nOut, c+1, nil) // [W | b]
	wb.Augment(l.W, l.B)
	lhs := new(mat.Dense)
	lhs.Mul(aug, wb.T())
	p := sup(s - 1)
	ch := CheckEquation("[W"+sup(s)+" | b"+sup(s)+"]·[a"+p+"; 1] = W"+sup(s)+"a"+p+" + b"+sup(s)+" = v"+sup(s), lhs, l.V, tolExact)
	ch.Detail = "vs nn's v"
	return ch
}

// CheckActivation checks (activation) for layer s: nn's a⁽ˢ⁾ against φ⁽ˢ⁾
// applied to v⁽ˢ⁾ here, element by element (φ.F) or, for softmax, row by row
// as e^{vᵢ−m}/Σₖe^{vₖ−m} written out with math.Exp.
func CheckActivation(t *Trace, s int) Check {
	l := t.Layer(s)
	act := t.net.Dense(s).Act
	n, k := l.V.Dims()
	want := mat.NewDense(n, k, nil)
	for r := range n {
		v := l.V.RawRowView(r)
		if e, ok := act.(nn.Elementwise); ok {
			for i, x := range v {
				want.Set(r, i, e.F(x))
			}
			continue
		}
		want.SetRow(r, softmaxLoops(v))
	}
	c := CheckEquation("a"+sup(s)+" = "+l.Act+"(v"+sup(s)+")", l.A, want, tolExact)
	c.Detail = "nn's a vs φ applied here" + examples(n)
	return c
}

// softmaxLoops is softmax with the maximum subtracted, written out.
func softmaxLoops(v []float64) []float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	a := make([]float64, len(v))
	var sum float64
	for i, x := range v {
		a[i] = math.Exp(x - m)
		sum += a[i]
	}
	for i := range a {
		a[i] /= sum
	}
	return a
}

// CheckBatchRows checks the batch form of the forward pass, V⁽ˢ⁾ =
// A⁽ˢ⁻¹⁾W⁽ˢ⁾ᵀ + 1b⁽ˢ⁾ᵀ: row n of every layer's V in the trace must be what
// a pass of example n alone (a 1×n_in batch) gives. The rows of a batch do not
// interact in the forward pass.
func CheckBatchRows(t *Trace) Check {
	n, nIn := t.X.Dims()
	var maxErr float64
	for r := range n {
		t.net.Forward(mat.NewDense(1, nIn, t.X.RawRowView(r)))
		for s := 1; s <= t.H(); s++ {
			batch := t.Layer(s).V
			_, k := batch.Dims()
			d := CheckEquation("", t.net.Dense(s).V(), batch.Slice(r, r+1, 0, k), 0).MaxErr
			if math.IsNaN(d) || d > maxErr {
				maxErr = d
			}
		}
	}
	return Check{
		Name:   "V = A·Wᵀ + 1bᵀ, row n = the pass of example n alone",
		Detail: fmt.Sprintf("every layer's v, N = %d examples", n),
		MaxErr: maxErr, Tol: tolExact, OK: maxErr <= tolExact,
	}
}

// derivName is how a derivative check names φ′ of an activation.
var derivName = map[string]string{
	"relu":     "ReLU′(v) = 1[v > 0]",
	"sigmoid":  "σ′(v) = σ(v)(1 − σ(v))",
	"tanh":     "tanh′(v) = 1 − tanh²(v)",
	"identity": "identity′(v) = 1",
}

// CheckDerivative checks an activation's derivative φ′ (act.Deriv, what
// ActivationCurves draws dashed) against central finite differences of φ
// at 80 points v = −3.95, −3.85, …, 3.95. The grid misses the kink of ReLU
// at 0 on purpose: there no difference quotient can confirm a derivative,
// and ReLU′(0) = 0 is a convention.
func CheckDerivative(act nn.Elementwise) Check {
	const points = 80
	var maxErr float64
	for k := range points {
		v := -3.95 + 0.1*float64(k)
		fd := (act.F(v+fdStep) - act.F(v-fdStep)) / (2 * fdStep)
		e := math.Abs(act.Deriv(v, act.F(v)) - fd)
		if math.IsNaN(e) {
			maxErr = math.NaN()
			break
		}
		maxErr = math.Max(maxErr, e)
	}
	name, ok := derivName[act.Name()]
	if !ok {
		name = act.Name() + "′"
	}
	return Check{Name: name, Detail: fmt.Sprintf("vs central differences at %d points in [−4, 4], h = %.0e", points, fdStep),
		MaxErr: maxErr, Tol: tolFD, OK: maxErr <= tolFD}
}

// CheckSoftmaxForms checks (softmax) on v: the two forms of the equation,
// e^{vᵢ}/Σₖe^{vₖ} computed as written and e^{vᵢ−m}/Σₖe^{vₖ−m}
// (StableSoftmax, nn's), agree on the k logits v. For logits beyond ±700 the naive form gives NaN and the check
// fails.
func CheckSoftmaxForms(v []float64) Check {
	k := len(v)
	c := CheckEquation("e^vᵢ/Σₖe^vₖ = e^(vᵢ−m)/Σₖe^(vₖ−m)",
		mat.NewDense(1, k, naiveSoftmax(v)), mat.NewDense(1, k, StableSoftmax(v)), tolExact)
	c.Detail = "naive vs max-subtracted (nn), v = " + vec(v)
	return c
}

// CheckSoftmaxJacobian checks (softmax-jacobian) at v: SoftmaxJacobian
// against central finite differences of softmax, one column ∂a/∂vₖ per
// nudged vₖ.
func CheckSoftmaxJacobian(v []float64) Check {
	k := len(v)
	fd := mat.NewDense(k, k, nil)
	w := append([]float64(nil), v...)
	for c := range k {
		w[c] = v[c] + fdStep
		plus := StableSoftmax(w)
		w[c] = v[c] - fdStep
		minus := StableSoftmax(w)
		w[c] = v[c]
		for i := range k {
			fd.Set(i, c, (plus[i]-minus[i])/(2*fdStep))
		}
	}
	c := CheckEquation("∂aᵢ/∂vₖ = aᵢ(1[i = k] − aₖ)", SoftmaxJacobian(v), fd, tolFD)
	c.Detail = fmt.Sprintf("vs central differences, h = %.0e, v = %s", fdStep, vec(v))
	return c
}

// CheckLikelihood checks that the cross-entropy is the negative mean
// log-likelihood, E = −(1/N) ln Πₙ a⁽ʰ⁾ₙ,cₙ, computing the product as
// written: it passes on small batches and fails on large ones, where the
// product underflows to 0 and its ln is −Inf.
func CheckLikelihood(t *Trace) Check {
	out := t.Layer(t.H()).A
	prod := 1.0
	for n, c := range t.Labels {
		prod *= out.At(n, c)
	}
	lhs := mat.NewDense(1, 1, []float64{t.Loss})
	rhs := mat.NewDense(1, 1, []float64{-math.Log(prod) / float64(t.N())})
	c := CheckEquation("E = −(1/N) ln Πₙ aₙ,cₙ", lhs, rhs, tolExact)
	c.Detail = fmt.Sprintf("nn's E vs the product of %d probabilities", t.N())
	return c
}

// CheckNoLnDelta checks the output delta of the loss without its ln (the
// lab's text), E' = −a_c for one example of class c = label with k logits
// v: ∂E'/∂v = a_c(a − y) (k values, see LnComparison) against central
// finite differences of E' in v.
func CheckNoLnDelta(v []float64, label int) Check {
	k := len(v)
	fd := make([]float64, k)
	w := append([]float64(nil), v...)
	for i := range k {
		w[i] = v[i] + fdStep
		plus := -StableSoftmax(w)[label]
		w[i] = v[i] - fdStep
		minus := -StableSoftmax(w)[label]
		w[i] = v[i]
		fd[i] = (plus - minus) / (2 * fdStep)
	}
	c := CheckEquation("∂(−a_c)/∂v = a_c(a − y)", mat.NewDense(1, k, noLnDelta(v, label)), mat.NewDense(1, k, fd), tolFD)
	c.Detail = fmt.Sprintf("vs central differences, h = %.0e, v = %s, c = %d", fdStep, vec(v), label)
	return c
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
		plus := lossFromV(t, s, v)
		v.Set(i, j, x-fdStep)
		minus := lossFromV(t, s, v)
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
	return Check{Name: "δ" + sup(s) + " = ∂E/∂v" + sup(s), Detail: detail, MaxErr: maxErr, Tol: tolFD, OK: maxErr <= tolFD}
}

// CheckOutputDelta checks (output-delta) for the batch: nn's δ⁽ʰ⁾ against
// (a⁽ʰ⁾ − y)/N computed from the traced output.
func CheckOutputDelta(t *Trace) Check {
	out := t.Layer(t.H())
	want := new(mat.Dense)
	want.Sub(out.A, t.Y)
	want.Scale(1/float64(t.N()), want)
	h := sup(t.H())
	c := CheckEquation("δ"+h+" = (a"+h+" − y)/N", out.Delta, want, tolExact)
	c.Detail = "nn's δ vs the formula"
	return c
}

// CheckHiddenDelta checks (hidden-delta) for layer s < h: nn's δ⁽ˢ⁾ against
// φ′(v⁽ˢ⁾) ⊙ (W⁽ˢ⁺¹⁾ᵀ δ⁽ˢ⁺¹⁾) computed from the trace (batch form
// φ′(V) ⊙ (Δ⁽ˢ⁺¹⁾ W⁽ˢ⁺¹⁾)).
func CheckHiddenDelta(t *Trace, s int) Check {
	if s < 1 || s >= t.H() {
		panic(fmt.Sprintf("lesson: CheckHiddenDelta: layer %d is not a hidden layer (1…%d)", s, t.H()-1))
	}
	l, up := t.Layer(s), t.Layer(s+1)
	if l.DPhi == nil {
		panic(fmt.Sprintf("lesson: CheckHiddenDelta: layer %d's %s is not element-wise", s, l.Act))
	}
	want := new(mat.Dense)
	want.Mul(up.Delta, up.W)
	want.MulElem(l.DPhi, want)
	n := sup(s + 1)
	c := CheckEquation("δ"+sup(s)+" = φ′(v"+sup(s)+") ⊙ (W"+n+"ᵀδ"+n+")", l.Delta, want, tolExact)
	c.Detail = "nn's δ vs the formula"
	return c
}

// CheckWeightGrad checks (weight-grad) for layer s: the formula δ⁽ˢ⁾a⁽ˢ⁻¹⁾ᵀ
// (batch Δᵀ·A⁽ˢ⁻¹⁾) computed from the trace against central finite
// differences of E.
func CheckWeightGrad(t *Trace, s int) Check {
	l := t.Layer(s)
	formula := new(mat.Dense)
	formula.Mul(l.Delta.T(), t.Input(s))
	return CheckGrad("∂E/∂W"+sup(s)+" = δ"+sup(s)+"a"+sup(s-1)+"ᵀ", t, s, formula)
}

// CheckBiasGrad checks (bias-grad) for layer s: δ⁽ˢ⁾ (batch: the column sums
// of Δ) against central finite differences of E.
func CheckBiasGrad(t *Trace, s int) Check {
	l := t.Layer(s)
	r, _ := l.Delta.Dims()
	sum := new(mat.Dense)
	sum.Mul(l.Delta.T(), ones(r, 1))
	return checkFD("∂E/∂b"+sup(s)+" = δ"+sup(s), t, s, "b", sum)
}

// CheckGrad compares a claimed ∂E/∂W⁽ˢ⁾ (n_out×n_in), for instance one a
// student computed or a network WithLabBug, against central finite differences
// of the traced loss. Large layers are checked on a seeded random sample of
// 64 entries (an even stride would fall on the same few columns, which for
// MNIST's first layer are blank pixels whose gradient is exactly 0).
func CheckGrad(name string, t *Trace, s int, dW mat.Matrix) Check {
	return checkFD(name, t, s, "W", dW)
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
	c := CheckEquation("∂E/∂W"+sup(s)+" = Δ"+sup(s)+"ᵀA"+sup(s-1)+" = (1/N) Σₙ δₙ"+sup(s)+"aₙ"+sup(s-1)+"ᵀ", l.DW, mean, tolExact)
	c.Detail = fmt.Sprintf("batch vs the mean of %d one-example gradients", n)
	return c
}
