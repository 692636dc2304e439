package lesson

// Helpers of notebook 3 (softmax and cross-entropy): softmax computed naively
// and with the maximum subtracted, the overflow that tells them apart, the
// softmax Jacobian, the likelihood behind the cross-entropy, what dropping
// the ln would do to δ, and the output probabilities as bars.

import (
	"fmt"
	"math"
	"strings"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// NaiveSoftmax returns e^{vᵢ}/Σₖe^{vₖ} computed as written, without
// subtracting the maximum (as the lab does): e^v overflows to +Inf for
// v > 709.78 and underflows to 0 below about −745, and the quotient is
// then NaN.
func NaiveSoftmax(v []float64) []float64 {
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

// CheckSoftmaxForms checks (softmax) on v: the two forms of the equation,
// e^{vᵢ}/Σₖe^{vₖ} (NaiveSoftmax) and e^{vᵢ−m}/Σₖe^{vₖ−m} (StableSoftmax,
// nn's), agree. For logits beyond ±700 the naive form gives NaN and the check
// fails.
func CheckSoftmaxForms(v []float64) Check {
	k := len(v)
	c := CheckEquation("e^vᵢ/Σₖe^vₖ = e^(vᵢ−m)/Σₖe^(vₖ−m)",
		mat.NewDense(1, k, NaiveSoftmax(v)), mat.NewDense(1, k, StableSoftmax(v)), TolExact)
	c.Detail = "naive vs max-subtracted (nn), v = " + vec(v)
	return c
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
	fmt.Fprintf(&b, "naive:          e^v     = %s, Σ = %s → a = %s\n", vec(e), g4(sum), vec(NaiveSoftmax(v)))
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
// softmax at v, (softmax-jacobian).
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
	c := CheckEquation("∂aᵢ/∂vₖ = aᵢ(1[i = k] − aₖ)", SoftmaxJacobian(v), fd, TolFD)
	c.Detail = fmt.Sprintf("vs central differences, h = %.0e, v = %s", fdStep, vec(v))
	return c
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
	c := CheckEquation("E = −(1/N) ln Πₙ aₙ,cₙ", lhs, rhs, TolExact)
	c.Detail = fmt.Sprintf("nn's E vs the product of %d probabilities", t.N())
	return c
}

// NoLnDelta returns the output delta the loss would have without its ln,
// E' = −a_c for one example of class c (the lab's text): by
// (softmax-jacobian), ∂E'/∂vₖ = −a_c(1[c = k] − aₖ) = a_c(aₖ − yₖ), the
// cross-entropy's δ = a − y scaled down by a_c.
func NoLnDelta(v []float64, label int) []float64 {
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

// CheckNoLnDelta checks NoLnDelta against central finite differences of
// E' = −a_c in v.
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
	c := CheckEquation("∂(−a_c)/∂v = a_c(a − y)", mat.NewDense(1, k, NoLnDelta(v, label)), mat.NewDense(1, k, fd), TolFD)
	c.Detail = fmt.Sprintf("vs central differences, h = %.0e, v = %s, c = %d", fdStep, vec(v), label)
	return c
}

// LnComparison compares, for one example with logits v and class c, the
// cross-entropy E = −ln a_c and its δ = a − y with the loss without the ln,
// E' = −a_c, and its δ' = a_c(a − y) (NoLnDelta), as text.
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
		g4(-a[label]), vec(NoLnDelta(v, label)), g4(1/a[label]))
	return b.String()
}

// OutputBars plots the output probabilities a⁽ʰ⁾ of example n of a trace
// with SoftmaxBars, rounded to 4 decimals for the bar labels, the true class
// in green.
func OutputBars(t *Trace, n int, classNames []string) *Chart {
	probs := mat.Row(nil, n, t.Layer(t.H()).A)
	for i, p := range probs {
		probs[i] = math.Round(p*1e4) / 1e4
	}
	return SoftmaxBars(probs, t.Labels[n], classNames)
}
