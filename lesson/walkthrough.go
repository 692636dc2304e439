package lesson

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// TinyNet returns the 2-2-2 network of the hand-computed walkthrough: a ReLU
// hidden layer and a softmax output layer with one-decimal weights chosen so
// that one hidden unit is active and one is not (its ReLU′ is 0):
//
//	W⁽¹⁾ = [0.5 −0.2; −0.3 0.4], b⁽¹⁾ = (0.1, −0.6)
//	W⁽²⁾ = [0.3 −0.5; 0.8 0.2],  b⁽²⁾ = (0, 0.1)
func TinyNet() *nn.Network {
	l1 := nn.NewDense(2, 2, nn.ReLU)
	l1.W.Copy(mat.NewDense(2, 2, []float64{0.5, -0.2, -0.3, 0.4}))
	l1.B.Copy(mat.NewDense(2, 1, []float64{0.1, -0.6}))
	l2 := nn.NewDense(2, 2, nn.Softmax)
	l2.W.Copy(mat.NewDense(2, 2, []float64{0.3, -0.5, 0.8, 0.2}))
	l2.B.Copy(mat.NewDense(2, 1, []float64{0, 0.1}))
	return &nn.Network{Layers: []nn.Layer{l1, l2}}
}

// TinyExample returns the walkthrough's input x = (1, 2) as a 1×2 batch and
// its label, class 0.
func TinyExample() (x *mat.Dense, labels []int) {
	return mat.NewDense(1, 2, []float64{1, 2}), []int{0}
}

// Vectors and matrices up to walkMax entries a side are written out in the
// walkthrough; element-by-element sums are expanded up to walkExpand terms.
const (
	walkMax    = 6
	walkExpand = 4
)

// Walkthrough renders a trace of one example as Markdown with LaTeX: every
// equation of the forward and backward pass with the numbers substituted
// (rounded to 4 decimals), so it can be redone by hand. It is meant for tiny
// networks such as TinyNet; larger vectors are abbreviated. It panics if the
// trace holds more than one example.
func (t *Trace) Walkthrough() string {
	if t.N() != 1 {
		panic(fmt.Sprintf("lesson: Walkthrough needs a trace of one example, got N = %d", t.N()))
	}
	var b strings.Builder
	eq := func(key, tex string) { fmt.Fprintf(&b, "$$%s \\qquad %s$$\n\n", tex, Ref(key)) }

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

// row returns row 0 of m; col returns column 0.
func row(m *mat.Dense) []float64 { return mat.Row(nil, 0, m) }
func col(m *mat.Dense) []float64 { return mat.Col(nil, 0, m) }

// tex formats x for hand computation: at most 4 decimals, no trailing zeros.
func tex(x float64) string {
	s := strconv.FormatFloat(x, 'f', 4, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

// paren wraps negative numbers in parentheses, for products.
func paren(x float64) string {
	if s := tex(x); strings.HasPrefix(s, "-") {
		return "(" + s + ")"
	}
	return tex(x)
}

func colVec(xs []float64) string {
	strs := make([]string, len(xs))
	for i, x := range xs {
		strs[i] = tex(x)
	}
	return colList(strs)
}

// colList writes a column vector of TeX entries, abbreviated when long.
func colList(xs []string) string {
	if len(xs) > walkMax {
		xs = append(append([]string(nil), xs[:walkMax-1]...), `\vdots`)
	}
	return `\begin{pmatrix} ` + strings.Join(xs, ` \\ `) + ` \end{pmatrix}`
}

func rowVec(xs []float64) string {
	strs := make([]string, 0, len(xs))
	for i, x := range xs {
		if i == walkMax-1 && len(xs) > walkMax {
			strs = append(strs, `\cdots`)
			break
		}
		strs = append(strs, tex(x))
	}
	return `\begin{pmatrix} ` + strings.Join(strs, ` & `) + ` \end{pmatrix}`
}

// matTeX writes a matrix, abbreviated to walkMax rows and columns.
func matTeX(m mat.Matrix) string {
	r, c := m.Dims()
	var rows []string
	for i := range min(r, walkMax) {
		var cells []string
		for j := range min(c, walkMax) {
			cells = append(cells, tex(m.At(i, j)))
		}
		if c > walkMax {
			cells = append(cells, `\cdots`)
		}
		rows = append(rows, strings.Join(cells, " & "))
	}
	if r > walkMax {
		rows = append(rows, `\vdots`)
	}
	return `\begin{pmatrix} ` + strings.Join(rows, ` \\ `) + ` \end{pmatrix}`
}

// expandMatVec writes the sums Σ_j m_ij x_j term by term followed by " = ",
// or "" when the sums are too long to be useful.
func expandMatVec(m mat.Matrix, x []float64) string {
	r, c := m.Dims()
	if c > walkExpand || r > walkMax {
		return ""
	}
	sums := make([]string, r)
	for i := range r {
		terms := make([]string, c)
		for j := range c {
			terms[j] = paren(m.At(i, j)) + ` \cdot ` + paren(x[j])
		}
		sums[i] = strings.Join(terms, " + ")
	}
	return colList(sums) + " = "
}

// expandOuter writes the products d_i x_j of an outer product followed by
// " = ", or "" when it is too large.
func expandOuter(d, x []float64) string {
	if len(d) > walkExpand || len(x) > walkExpand {
		return ""
	}
	rows := make([]string, len(d))
	for i := range d {
		cells := make([]string, len(x))
		for j := range x {
			cells[j] = paren(d[i]) + ` \cdot ` + paren(x[j])
		}
		rows[i] = strings.Join(cells, " & ")
	}
	return `\begin{pmatrix} ` + strings.Join(rows, ` \\ `) + ` \end{pmatrix} = `
}

// elementwise applies f to the TeX form of each element of xs.
func elementwise(xs []float64, f func(string) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(tex(x))
	}
	return out
}

// actName writes the name of a hidden activation.
func actName(act string) string {
	switch act {
	case "relu":
		return `\mathrm{ReLU}`
	case "sigmoid":
		return `\sigma`
	}
	return `\mathrm{` + act + `}`
}

// actTeX writes φ(x) of a hidden activation.
func actTeX(act, x string) string {
	switch act {
	case "relu":
		return `\max(0, ` + x + `)`
	case "sigmoid":
		return `\frac{1}{1 + e^{-(` + x + `)}}`
	case "tanh":
		return `\tanh(` + x + `)`
	}
	return x
}

// derivTeX writes φ′(x) of a hidden activation (ReLU′(0) = 0).
func derivTeX(act, x string) string {
	switch act {
	case "relu":
		return `\mathbf{1}[` + x + ` > 0]`
	case "sigmoid":
		return `\sigma(` + x + `)\,(1 - \sigma(` + x + `))`
	case "tanh":
		return `1 - \tanh^2(` + x + `)`
	}
	return "1"
}
