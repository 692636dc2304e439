package lesson

// Helpers of notebook 1 (the forward pass): a small batch for TinyNet, the
// walkthrough one equation at a time, checks of the forward equations, and
// the shapes of a batch pass.

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// TinyBatch returns four examples for TinyNet, one per row (x is 4×2), and
// their labels. The first is TinyExample's; each switches on a different set
// of hidden units, so the batch shows every ReLU pattern:
//
//	x          v⁽¹⁾           active hidden units   label
//	( 1, 2)    ( 0.2, −0.1)   1                     0
//	(−1, 1)    (−0.6,  0.1)   2                     1
//	( 2, 4)    ( 0.3,  0.4)   1 and 2               1
//	(−1, 0.5)  (−0.5, −0.1)   none                  0
func TinyBatch() (x *mat.Dense, labels []int) {
	return mat.NewDense(4, 2, []float64{
		1, 2,
		-1, 1,
		2, 4,
		-1, 0.5,
	}), []int{0, 1, 1, 0}
}

// WalkthroughStep returns the lines of the walkthrough (Walkthrough) that
// substitute the numbers of a one-example trace into the step with the given
// key for layer s, as Markdown with display math: "linear", "bias",
// "activation" (hidden layers), "softmax" and "cross-entropy" (output layer)
// from the forward pass; "output-delta", "hidden-delta" (two lines: W⁽ˢ⁺¹⁾ᵀδ⁽ˢ⁺¹⁾,
// then δ⁽ˢ⁾), "relu" (φ′ of a ReLU layer), "weight-grad" and "bias-grad" from
// the backward pass. "bias-trick", which the walkthrough does not show, is
// rendered here with the same numbers. It panics if the trace holds more than
// one example or the walkthrough has no such step for layer s.
func (t *Trace) WalkthroughStep(key string, s int) string {
	t.Layer(s) // range check
	if key == "bias-trick" {
		return t.biasTrickWalkthrough(s)
	}
	tag := ` \qquad ` + Ref(key) + `$$`
	header := fmt.Sprintf("**Layer %d**", s)
	var out []string
	in := false
	for _, line := range strings.Split(t.Walkthrough(), "\n") {
		switch {
		case strings.HasPrefix(line, "### "):
			in = false
		case strings.HasPrefix(line, "**Layer "):
			in = line == header || strings.HasPrefix(line, header+" ")
		case in && strings.HasSuffix(line, tag):
			out = append(out, line)
		}
	}
	if len(out) == 0 {
		panic(fmt.Sprintf("lesson: the walkthrough has no step %q for layer %d", key, s))
	}
	return strings.Join(out, "\n\n") + "\n"
}

// biasTrickWalkthrough renders (bias-trick) for layer s with the numbers of
// a one-example trace: [W | b] times [a; 1] gives v.
func (t *Trace) biasTrickWalkthrough(s int) string {
	if t.N() != 1 {
		panic(fmt.Sprintf("lesson: WalkthroughStep needs a trace of one example, got N = %d", t.N()))
	}
	l := t.Layer(s)
	nOut, nIn := l.W.Dims()
	wb := mat.NewDense(nOut, nIn+1, nil)
	wb.Augment(l.W, l.B)
	a1 := append(row(t.Input(s)), 1)
	return fmt.Sprintf(`$$\begin{bmatrix} W^{(%d)} & b^{(%d)} \end{bmatrix} \begin{bmatrix} a^{(%d)} \\ 1 \end{bmatrix} = %s %s = %s%s \qquad %s$$`+"\n",
		s, s, s-1, matTeX(wb), colVec(a1), expandMatVec(wb, a1), colVec(row(l.V)), Ref("bias-trick"))
}

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
	c := CheckEquation("u"+sup(s)+" = W"+sup(s)+"a"+sup(s-1), l.U, want, TolExact)
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
	c := CheckEquation("v"+sup(s)+" = u"+sup(s)+" + b"+sup(s), l.V, want, TolExact)
	c.Detail = "nn's v vs u + b entry by entry" + examples(n)
	return c
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
	c := CheckEquation("a"+sup(s)+" = "+l.Act+"(v"+sup(s)+")", l.A, want, TolExact)
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

// examples describes the batch size in a check's detail when it is not 1.
func examples(n int) string {
	if n == 1 {
		return ""
	}
	return fmt.Sprintf(", N = %d examples", n)
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
		MaxErr: maxErr, Tol: TolExact, OK: maxErr <= TolExact,
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
		MaxErr: maxErr, Tol: TolFD, OK: maxErr <= TolFD}
}

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
