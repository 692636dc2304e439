package lesson

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/backprop-lab/backprop/nn/nntest/tiny"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/nn"
)

// TinyNet returns the 2-2-2 network of the hand-computed walkthrough: a ReLU
// hidden layer and a softmax output layer with one-decimal weights chosen so
// that one hidden unit is active and one is not (its ReLU′ is 0):
//
//	W⁽¹⁾ = [0.5 −0.2; −0.3 0.4], b⁽¹⁾ = (0.1, −0.6)
//	W⁽²⁾ = [0.3 −0.5; 0.8 0.2],  b⁽²⁾ = (0, 0.1)
func TinyNet() *nn.Network { return tiny.Net() }

// TinyExample returns the walkthrough's input x = (1, 2) as a 1×2 batch and
// its label, class 0 (tiny.Walkthrough).
func TinyExample() (x *mat.Dense, labels []int) { return tiny.Walkthrough() }

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

// Vectors and matrices up to walkMax entries a side are written out in the
// walkthrough; element-by-element sums are expanded up to walkExpand terms.
const (
	walkMax    = 6
	walkExpand = 4
)

// walkthrough renders a trace of one example as Markdown with LaTeX: every
// equation of the forward and backward pass with the numbers substituted
// (rounded to 4 decimals), so it can be redone by hand. It is meant for tiny
// networks such as TinyNet; larger vectors are abbreviated. It panics if the
// trace holds more than one example.
func walkthrough(t *Trace) string {
	if t.N() != 1 {
		panic(fmt.Sprintf("lesson: WalkthroughStep needs a trace of one example, got N = %d", t.N()))
	}
	var b strings.Builder
	eq := func(key, tex string) { fmt.Fprintf(&b, "$$%s \\qquad %s$$\n\n", tex, ref(key)) }

	b.WriteString("### Forward pass\n\n")
	fmt.Fprintf(&b, "Input $a^{(0)} = x = %s$, target $y = %s$ (class %d). Numbers are rounded to 4 decimals.\n\n",
		colVec(row(t.X)), colVec(row(t.Y)), t.Labels[0])
	for i := range t.Layers {
		l := &t.Layers[i]
		s := l.S
		in := row(t.Input(s))
		fmt.Fprintf(&b, "**Layer %d** (%s)\n\n", s, l.Act)
		eq("linear", fmt.Sprintf(`u^{(%d)} = W^{(%d)} a^{(%d)} = %s %s = %s%s`,
			s, s, s-1, matTeX(l.W), colVec(in), expandMatVec(l.W, in), colVec(row(l.U))))
		eq("bias", fmt.Sprintf(`v^{(%d)} = u^{(%d)} + b^{(%d)} = %s + %s = %s`,
			s, s, s, colVec(row(l.U)), colVec(col(l.B)), colVec(row(l.V))))
		v, a := row(l.V), row(l.A)
		if l.Act == nn.Softmax.Name() {
			m := slices.Max(v)
			e := make([]float64, len(v))
			var sum float64
			for j := range v {
				e[j] = math.Exp(v[j] - m)
				sum += e[j]
			}
			terms := make([]string, len(v))
			for j := range v {
				terms[j] = fmt.Sprintf("e^{%s - %s}", tex(v[j]), tex(m))
			}
			eq("softmax", fmt.Sprintf(`e^{v^{(%d)} - m} = %s = %s, \quad \textstyle\sum = %s, \quad a^{(%d)} = \frac{e^{v - m}}{\sum} = %s`,
				s, colList(terms), colVec(e), tex(sum), s, colVec(a)))
		} else {
			eq("activation", fmt.Sprintf(`a^{(%d)} = %s\big(v^{(%d)}\big) = %s = %s`,
				s, actName(l.Act), s, colList(elementwise(v, func(x string) string { return actTeX(l.Act, x) })), colVec(a)))
		}
	}
	out := row(t.Layer(t.H()).A)
	y := row(t.Y)
	terms := make([]string, len(out))
	for j := range out {
		terms[j] = fmt.Sprintf(`%s \ln %s`, tex(y[j]), tex(out[j]))
	}
	lossTeX := strings.Join(terms, " + ")
	if len(out) > walkExpand {
		lossTeX = fmt.Sprintf(`\ln %s`, tex(out[t.Labels[0]]))
	}
	eq("cross-entropy", fmt.Sprintf(`E = -\sum_j y_j \ln a^{(%d)}_j = -\big(%s\big) = %s`, t.H(), lossTeX, tex(t.Loss)))

	b.WriteString("### Backward pass\n\n")
	for s := t.H(); s >= 1; s-- {
		l := t.Layer(s)
		fmt.Fprintf(&b, "**Layer %d**\n\n", s)
		d := row(l.Delta)
		if s == t.H() {
			eq("output-delta", fmt.Sprintf(`\delta^{(%d)} = a^{(%d)} - y = %s - %s = %s`,
				s, s, colVec(row(l.A)), colVec(y), colVec(d)))
		} else {
			up := t.Layer(s + 1)
			g := row(l.G)
			eq("hidden-delta", fmt.Sprintf(`W^{(%d)\top} \delta^{(%d)} = %s %s = %s%s`,
				s+1, s+1, matTeX(up.W.T()), colVec(row(up.Delta)), expandMatVec(up.W.T(), row(up.Delta)), colVec(g)))
			dphi := row(l.DPhi)
			key := "activation"
			if l.Act == nn.ReLU.Name() {
				key = "relu"
			}
			eq(key, fmt.Sprintf(`\varphi'\big(v^{(%d)}\big) = %s = %s`,
				s, colList(elementwise(row(l.V), func(x string) string { return derivTeX(l.Act, x) })), colVec(dphi)))
			prods := make([]string, len(d))
			for j := range d {
				prods[j] = tex(dphi[j]) + ` \cdot ` + paren(g[j])
			}
			eq("hidden-delta", fmt.Sprintf(`\delta^{(%d)} = \varphi'\big(v^{(%d)}\big) \odot \big(W^{(%d)\top} \delta^{(%d)}\big) = %s = %s`,
				s, s, s+1, s+1, colList(prods), colVec(d)))
		}
		in := row(t.Input(s))
		eq("weight-grad", fmt.Sprintf(`\frac{\partial E}{\partial W^{(%d)}} = \delta^{(%d)} a^{(%d)\top} = %s %s = %s%s`,
			s, s, s-1, colVec(d), rowVec(in), expandOuter(d, in), matTeX(l.DW)))
		eq("bias-grad", fmt.Sprintf(`\frac{\partial E}{\partial b^{(%d)}} = \delta^{(%d)} = %s`, s, s, colVec(col(l.DB))))
	}
	return b.String()
}

// WalkthroughStep returns the lines of the hand-computed walkthrough that
// substitute the numbers of a one-example trace into the step with the given
// key for layer s, as Markdown with display math: "linear", "bias",
// "activation" (hidden layers), "softmax" and "cross-entropy" (output layer)
// from the forward pass; "output-delta", "hidden-delta" (two lines: W⁽ˢ⁺¹⁾ᵀδ⁽ˢ⁺¹⁾,
// then δ⁽ˢ⁾), "relu" (φ′ of a ReLU layer), "weight-grad" and "bias-grad" from
// the backward pass. "bias-trick", which the walkthrough does not show, is
// rendered here with the same numbers. It panics if the trace holds more than
// one example or the walkthrough has no such step for layer s.
func WalkthroughStep(t *Trace, key string, s int) string {
	t.Layer(s) // range check
	if key == "bias-trick" {
		return biasTrickWalkthrough(t, s)
	}
	tag := ` \qquad ` + ref(key) + `$$`
	header := fmt.Sprintf("**Layer %d**", s)
	var out []string
	in := false
	for _, line := range strings.Split(walkthrough(t), "\n") {
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
func biasTrickWalkthrough(t *Trace, s int) string {
	if t.N() != 1 {
		panic(fmt.Sprintf("lesson: WalkthroughStep needs a trace of one example, got N = %d", t.N()))
	}
	l := t.Layer(s)
	nOut, nIn := l.W.Dims()
	wb := mat.NewDense(nOut, nIn+1, nil)
	wb.Augment(l.W, l.B)
	a1 := append(row(t.Input(s)), 1)
	return fmt.Sprintf(`$$\begin{bmatrix} W^{(%d)} & b^{(%d)} \end{bmatrix} \begin{bmatrix} a^{(%d)} \\ 1 \end{bmatrix} = %s %s = %s%s \qquad %s$$`+"\n",
		s, s, s-1, matTeX(wb), colVec(a1), expandMatVec(wb, a1), colVec(row(l.V)), ref("bias-trick"))
}
