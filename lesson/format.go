package lesson

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/lesson/internal/format"
)

// sup returns the layer index in the derivation's superscript form: ⁽¹²⁾.
func sup(s int) string {
	const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	ds := []rune(digits)
	var b strings.Builder
	b.WriteString("⁽")
	if s < 0 {
		b.WriteString("⁻")
		s = -s
	}
	for _, c := range strconv.Itoa(s) {
		b.WriteRune(ds[c-'0'])
	}
	b.WriteString("⁾")
	return b.String()
}

// dims formats a matrix shape as "r×c".
func dims(m mat.Matrix) string {
	r, c := m.Dims()
	return fmt.Sprintf("%d×%d", r, c)
}

// num formats a value for tables: 4 significant digits, no exponent for
// ordinary magnitudes (format.Num, shared with the charts).
var num = format.Num

// stats summarises a matrix: min, max and mean of its elements.
type stats struct{ min, max, mean float64 }

func statsOf(m mat.Matrix) stats {
	r, c := m.Dims()
	st := stats{min: math.Inf(1), max: math.Inf(-1)}
	var sum float64
	for i := range r {
		for j := range c {
			x := m.At(i, j)
			st.min = math.Min(st.min, x)
			st.max = math.Max(st.max, x)
			sum += x
		}
	}
	st.mean = sum / float64(r*c)
	// A mean that is zero up to rounding (δ⁽ʰ⁾'s rows sum to 0, so do the
	// columns of ∂E/∂W⁽ʰ⁾) shows as 0, not as noise like 2.7e-20 whose
	// digits depend on the summation order of the matrix products.
	if math.Abs(st.mean) <= 1e-12*math.Max(math.Abs(st.min), math.Abs(st.max)) {
		st.mean = 0
	}
	return st
}

// Matrices with at most smallRows rows and smallCols columns are shown in
// full; larger ones as a summary with an excerpt of excerptRows×excerptCols.
const (
	smallRows, smallCols     = 8, 10
	excerptRows, excerptCols = 3, 6
)

func isSmall(m mat.Matrix) bool {
	r, c := m.Dims()
	return r <= smallRows && c <= smallCols
}

// excerpt returns the top-left corner of m shown for large matrices and
// whether rows or columns were cut.
func excerpt(m mat.Matrix) (rows [][]float64, moreRows, moreCols bool) {
	r, c := m.Dims()
	er, ec := min(r, excerptRows), min(c, excerptCols)
	if isSmall(m) {
		er, ec = r, c
	}
	for i := range er {
		row := make([]float64, ec)
		for j := range ec {
			row[j] = m.At(i, j)
		}
		rows = append(rows, row)
	}
	return rows, er < r, ec < c
}

// matrixText renders m as aligned rows, or a summary line plus an excerpt
// when it is large. Every line starts with indent.
func matrixText(m mat.Matrix, indent string) string {
	rows, moreR, moreC := excerpt(m)
	var b strings.Builder
	if !isSmall(m) {
		st := statsOf(m)
		fmt.Fprintf(&b, "%smin %s  max %s  mean %s\n", indent, num(st.min), num(st.max), num(st.mean))
	}
	width := 0
	for _, row := range rows {
		for _, x := range row {
			width = max(width, len(num(x)))
		}
	}
	for _, row := range rows {
		b.WriteString(indent + "[")
		for _, x := range row {
			fmt.Fprintf(&b, " %*s", width, num(x))
		}
		if moreC {
			b.WriteString(" …")
		}
		b.WriteString(" ]\n")
	}
	if moreR {
		b.WriteString(indent + "  ⋮\n")
	}
	return b.String()
}

// matrixHTML renders m as an HTML table, or a summary and an excerpt when it
// is large.
func matrixHTML(m mat.Matrix) string {
	rows, moreR, moreC := excerpt(m)
	var b strings.Builder
	if !isSmall(m) {
		st := statsOf(m)
		fmt.Fprintf(&b, `<div class="bp-sum">min %s · max %s · mean %s</div>`, num(st.min), num(st.max), num(st.mean))
	}
	b.WriteString(`<table class="bp-mat">`)
	for _, row := range rows {
		b.WriteString("<tr>")
		for _, x := range row {
			fmt.Fprintf(&b, "<td>%s</td>", num(x))
		}
		if moreC {
			b.WriteString("<td>…</td>")
		}
		b.WriteString("</tr>")
	}
	if moreR {
		b.WriteString("<tr>")
		for range rows[0] {
			b.WriteString("<td>⋮</td>")
		}
		if moreC {
			b.WriteString("<td>⋱</td>")
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</table>")
	return b.String()
}
