package lesson

import (
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

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
