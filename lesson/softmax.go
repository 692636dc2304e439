package lesson

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/nn"
)

// naiveSoftmax returns e^{vᵢ}/Σₖe^{vₖ} computed as written, without
// subtracting the maximum (as the lab does): e^v overflows to +Inf for
// v > 709.78 and underflows to 0 below about −745, and the quotient is
// then NaN.
func naiveSoftmax(v []float64) []float64 {
	a := make([]float64, len(v))
	var sum float64
	for i, x := range v {
		a[i] = math.Exp(x)
		sum += a[i]
	}
	for i := range a {
		a[i] /= sum
	}
	return a
}

// StableSoftmax returns softmax(v) as package nn computes it:
// e^{vᵢ−m}/Σₖe^{vₖ−m} with m = maxₖ vₖ, so every exponent is ≤ 0 and the
// largest term is exactly 1.
func StableSoftmax(v []float64) []float64 {
	in := mat.NewDense(1, len(v), append([]float64(nil), v...))
	out := mat.NewDense(1, len(v), nil)
	nn.Softmax.Forward(out, in)
	return out.RawRowView(0)
}

// SoftmaxOverflow shows softmax of v computed both ways, with the
// intermediate exponentials, as three lines of text: v, the naive form
// (which overflows or underflows for large |v|) and the max-subtracted form.
func SoftmaxOverflow(v []float64) string {
	e := make([]float64, len(v))
	var sum float64
	for i, x := range v {
		e[i] = math.Exp(x)
		sum += e[i]
	}
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	es := make([]float64, len(v))
	var sums float64
	for i, x := range v {
		es[i] = math.Exp(x - m)
		sums += es[i]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "v = %s, m = max v = %s\n", vec(v), g4(m))
	fmt.Fprintf(&b, "naive:          e^v     = %s, Σ = %s → a = %s\n", vec(e), g4(sum), vec(naiveSoftmax(v)))
	fmt.Fprintf(&b, "max-subtracted: e^(v−m) = %s, Σ = %s → a = %s\n", vec(es), g4(sums), vec(StableSoftmax(v)))
	return b.String()
}

// g4 formats a number with 4 significant digits (NaN, +Inf as Go writes them).
func g4(x float64) string {
	if x == 0 {
		return "0"
	}
	return fmt.Sprintf("%.4g", x)
}

// vec formats a vector with g4.
func vec(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = g4(x)
	}
	return "[" + strings.Join(s, " ") + "]"
}

// SoftmaxJacobian returns the k×k matrix ∂aᵢ/∂vₖ = aᵢ(1[i = k] − aₖ) of
// softmax at the k logits v: equation (softmax-jacobian) of the derivation.
func SoftmaxJacobian(v []float64) *mat.Dense {
	a := StableSoftmax(v)
	k := len(v)
	j := mat.NewDense(k, k, nil)
	for i := range k {
		for c := range k {
			d := -a[i] * a[c]
			if i == c {
				d += a[i]
			}
			j.Set(i, c, d)
		}
	}
	return j
}

// LikelihoodText shows how the cross-entropy E of a trace comes from the
// likelihood of its labels: for each example the probability pₙ = a⁽ʰ⁾ₙ,cₙ
// the network gives its true class cₙ (the first 8 examples when there are
// more), then the likelihood L = Πₙ pₙ, its logarithm Σₙ ln pₙ, and
// E = −(1/N) ln L. The product is computed as written, so for a large batch it
// underflows to 0 while the sum of logarithms stays finite.
func LikelihoodText(t *Trace) string {
	const shown = 8
	out := t.Layer(t.H()).A
	var b strings.Builder
	fmt.Fprintf(&b, "%-8s %-6s %-12s %s\n", "example", "class", "p = a_n,c", "ln p")
	prod, logSum := 1.0, 0.0
	for n, c := range t.Labels {
		p := out.At(n, c)
		prod *= p
		logSum += math.Log(p)
		if n < shown {
			fmt.Fprintf(&b, "%-8d %-6d %-12s %s\n", n+1, c, g4(p), g4(math.Log(p)))
		}
	}
	if t.N() > shown {
		fmt.Fprintf(&b, "… %d more examples\n", t.N()-shown)
	}
	N := float64(t.N())
	note := ""
	if prod == 0 {
		note = "   (underflow: the true product is below 5e-324, the smallest float64)"
	}
	fmt.Fprintf(&b, "likelihood  L = Πₙ p = %s%s\n", g4(prod), note)
	fmt.Fprintf(&b, "            ln L = Σₙ ln p = %s   (ln of the product: %s)\n", g4(logSum), g4(math.Log(prod)))
	fmt.Fprintf(&b, "E = −(1/N) Σₙ ln p = %s   (N = %d; nn's loss: %s)\n", g4(-logSum/N), t.N(), g4(t.Loss))
	return b.String()
}

// noLnDelta returns the output delta the loss would have without its ln,
// E' = −a_c for one example of class c (the lab's text): by
// (softmax-jacobian), ∂E'/∂vₖ = −a_c(1[c = k] − aₖ) = a_c(aₖ − yₖ), the
// cross-entropy's δ = a − y scaled down by a_c.
func noLnDelta(v []float64, label int) []float64 {
	a := StableSoftmax(v)
	d := make([]float64, len(a))
	for k := range a {
		y := 0.0
		if k == label {
			y = 1
		}
		d[k] = a[label] * (a[k] - y)
	}
	return d
}

// LnComparison compares, for one example with logits v and class c, the
// cross-entropy E = −ln a_c and its δ = a − y with the loss without the ln,
// E' = −a_c, and its δ' = a_c(a − y), as text (k logits, 0 ≤ c < k).
func LnComparison(v []float64, label int) string {
	a := StableSoftmax(v)
	d := make([]float64, len(a))
	for k := range a {
		d[k] = a[k]
		if k == label {
			d[k]--
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "v = %s, true class c = %d: a = %s\n", vec(v), label, vec(a))
	fmt.Fprintf(&b, "with the ln:    E  = −ln a_c = %-9s δ  = a − y      = %s\n", g4(-math.Log(a[label])), vec(d))
	fmt.Fprintf(&b, "without the ln: E' = −a_c    = %-9s δ' = a_c(a − y) = %s   (%s× smaller)\n",
		g4(-a[label]), vec(noLnDelta(v, label)), g4(1/a[label]))
	return b.String()
}
