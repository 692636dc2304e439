package autodiff

import (
	"fmt"
	"strconv"
)

// Layer is one fully connected layer built from scalars, in the notation of
// package nn for one example (vectors are columns):
//
//	u_i = Σ_j W_ij a⁽ˢ⁻¹⁾_j,   v_i = u_i + b_i,   a_i = φ(v_i)
type Layer struct {
	W       [][]*Value // n_out × n_in leaves
	B       []*Value   // n_out leaves
	U, V, A []*Value   // n_out each
}

// MLP is a multi-layer perceptron built from scalars for one example: ReLU
// hidden layers and a softmax output with the cross-entropy loss
//
//	a⁽ʰ⁾_k = e^{v_k} · (Σ_j e^{v_j})⁻¹,   E = −ln a⁽ʰ⁾_y
//
// (no max subtraction: the graph is for small, readable numbers). After
// Loss.Backward(), V[i].Grad is δ_i = ∂E/∂v_i, W[i][j].Grad is ∂E/∂W_ij and
// B[i].Grad is ∂E/∂b_i, the quantities package nn computes with matrices.
// Only a⁽ʰ⁾_y lies on the path to E; the other outputs are computed for
// display and keep gradient 0.
type MLP struct {
	X      []*Value // a⁽⁰⁾, n_in leaves
	Layers []Layer  // Layers[s−1] is layer s
	Label  int      // y, the true class
	Loss   *Value   // E
}

// NewMLP builds the graph of the forward pass of x through the layers with
// weights w[s][i][j] (layer s+1, n_out × n_in) and biases b[s][i], and the
// loss for class label. It panics if the shapes do not chain or the label is
// out of range.
func NewMLP(x []float64, label int, w [][][]float64, b [][]float64) *MLP {
	if len(w) == 0 || len(w) != len(b) {
		panic(fmt.Sprintf("autodiff: %d weight matrices but %d bias vectors (need the same number, ≥ 1)", len(w), len(b)))
	}
	m := &MLP{Label: label}
	for j, xj := range x {
		m.X = append(m.X, New(xj, "x"+sub(j+1)))
	}
	in := m.X
	h := len(w)
	for s := range h {
		if len(w[s]) != len(b[s]) {
			panic(fmt.Sprintf("autodiff: layer %d has %d weight rows but %d biases", s+1, len(w[s]), len(b[s])))
		}
		var l Layer
		sup := "⁽" + superscript(s+1) + "⁾"
		for i, row := range w[s] {
			if len(row) != len(in) {
				panic(fmt.Sprintf("autodiff: layer %d: row %d of W has %d entries but the layer gets %d inputs", s+1, i+1, len(row), len(in)))
			}
			ws := make([]*Value, len(row))
			terms := make([]*Value, len(row))
			for j, wij := range row {
				ws[j] = New(wij, "W"+sup+pair(i+1, j+1))
				terms[j] = ws[j].Mul(in[j])
			}
			bi := New(b[s][i], "b"+sup+sub(i+1))
			u := Sum(terms...)
			u.Label = "u" + sup + sub(i+1)
			v := u.Add(bi)
			v.Label = "v" + sup + sub(i+1)
			l.W, l.B, l.U, l.V = append(l.W, ws), append(l.B, bi), append(l.U, u), append(l.V, v)
			if s < h-1 {
				a := v.ReLU()
				a.Label = "a" + sup + sub(i+1)
				l.A = append(l.A, a)
			}
		}
		if s == h-1 {
			if label < 0 || label >= len(l.V) {
				panic(fmt.Sprintf("autodiff: label %d out of range for %d classes", label, len(l.V)))
			}
			exps := make([]*Value, len(l.V))
			for k, v := range l.V {
				exps[k] = v.Exp()
				exps[k].Label = "e^v" + sub(k+1)
			}
			total := Sum(exps...)
			total.Label = "Σe^v"
			inv := total.Pow(-1)
			for k, e := range exps {
				a := e.Mul(inv)
				a.Label = "a" + sup + sub(k+1)
				l.A = append(l.A, a)
			}
			lna := l.A[label].Ln()
			lna.Label = "ln a" + sup + sub(label+1)
			m.Loss = lna.Neg()
			m.Loss.Label = "E"
		}
		m.Layers = append(m.Layers, l)
		in = l.A
	}
	return m
}

func sub(n int) string         { return digits(n, "₀₁₂₃₄₅₆₇₈₉") }
func superscript(n int) string { return digits(n, "⁰¹²³⁴⁵⁶⁷⁸⁹") }

func digits(n int, set string) string {
	r := []rune(set)
	var out []rune
	for _, c := range strconv.Itoa(n) {
		out = append(out, r[c-'0'])
	}
	return string(out)
}

// pair writes the subscript ij, with a comma when an index has two digits.
func pair(i, j int) string {
	if i >= 10 || j >= 10 {
		return sub(i) + "‚" + sub(j)
	}
	return sub(i) + sub(j)
}
