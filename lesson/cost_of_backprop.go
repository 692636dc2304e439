package lesson

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Product is one matrix product C = A·B of an m×k by a k×n matrix, as
// gonum's BLAS saw it (Dgemm): 2·m·n·k floating-point operations.
type Product struct{ M, N, K int }

// Flops returns 2·m·n·k, a multiply and an add per term.
func (p Product) Flops() float64 { return 2 * float64(p.M) * float64(p.N) * float64(p.K) }

func (p Product) String() string {
	return fmt.Sprintf("(%d×%d)·(%d×%d)", p.M, p.K, p.K, p.N)
}

// ProductCount lists the matrix products of one forward and one backward
// pass, in the order they ran.
type ProductCount struct {
	Forward, Backward []Product
}

// flops sums the operations of ps.
func flops(ps []Product) float64 {
	var f float64
	for _, p := range ps {
		f += p.Flops()
	}
	return f
}

// countingBLAS passes every BLAS call to the implementation in use and
// records the matrix products (Dgemm).
type countingBLAS struct {
	blas.Float64
	products *[]Product
}

func (c countingBLAS) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, cc []float64, ldc int) {
	*c.products = append(*c.products, Product{M: m, N: n, K: k})
	c.Float64.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, cc, ldc)
}

// CountProducts runs one forward and one backward pass of a clone of net on
// the batch (N ≥ 2 examples, so that every product is a matrix-matrix one)
// and records every matrix product gonum computes. It counts by swapping
// gonum's process-wide BLAS implementation for a counting wrapper for the
// duration of the call: do not run it concurrently with other gonum work.
func CountProducts(net *nn.Network, x *mat.Dense, labels []int) ProductCount {
	if r, _ := x.Dims(); r < 2 {
		panic(fmt.Sprintf("lesson: CountProducts needs a batch of at least 2 examples, got x %s", dims(x)))
	}
	c := net.Clone()
	var fwd, bwd []Product
	impl := blas64.Implementation()
	defer blas64.Use(impl)
	blas64.Use(countingBLAS{impl, &fwd})
	c.Forward(x)
	blas64.Use(countingBLAS{impl, &bwd})
	c.Backward(labels)
	return ProductCount{Forward: fwd, Backward: bwd}
}

// String lists the products with their operation counts and the ratio of
// forward+backward to forward.
func (pc ProductCount) String() string {
	var b strings.Builder
	for _, part := range []struct {
		name string
		ps   []Product
	}{{"forward", pc.Forward}, {"backward", pc.Backward}} {
		fmt.Fprintf(&b, "%s: %d matrix products, %.3g flops\n", part.name, len(part.ps), flops(part.ps))
		for _, p := range part.ps {
			fmt.Fprintf(&b, "  %-22s %12.0f flops\n", p, p.Flops())
		}
	}
	fmt.Fprintf(&b, "(forward + backward) / forward = %.3f in flops\n", pc.Ratio())
	return b.String()
}

// Ratio returns the flops of forward+backward divided by those of forward.
func (pc ProductCount) Ratio() float64 {
	return (flops(pc.Forward) + flops(pc.Backward)) / flops(pc.Forward)
}

// ParamCount returns the number of trainable numbers of net (every entry of
// every W⁽ˢ⁾ and b⁽ˢ⁾).
func ParamCount(net *nn.Network) int {
	n := 0
	for _, p := range net.Params() {
		r, c := p.Value.Dims()
		n += r * c
	}
	return n
}

// PassTimes are wall-clock medians of repeated passes on one batch.
type PassTimes struct {
	Forward, ForwardBackward time.Duration
	Reps                     int
}

// TimePasses times net.Forward and net.LossAndGrad on the batch, each reps
// times after one warm-up, and returns the medians. It runs on a clone; the
// numbers depend on the machine and its load, so they are for display,
// never for a test.
func TimePasses(net *nn.Network, x *mat.Dense, labels []int, reps int) PassTimes {
	c := net.Clone()
	median := func(f func()) time.Duration {
		f()
		ds := make([]time.Duration, max(1, reps))
		for i := range ds {
			start := time.Now()
			f()
			ds[i] = time.Since(start)
		}
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	return PassTimes{
		Forward:         median(func() { c.Forward(x) }),
		ForwardBackward: median(func() { c.LossAndGrad(x, labels) }),
		Reps:            max(1, reps),
	}
}

// fdGradient computes ∂E/∂θ for every parameter of net by central
// differences, (E(θ + h) − E(θ − h)) / 2h, one parameter at a time: 2 loss
// evaluations (forward passes) per parameter. It returns the gradients in
// the order of net.Params() and the number of loss evaluations. net's
// weights are restored exactly.
func fdGradient(net *nn.Network, x *mat.Dense, labels []int, h float64) (grads []*mat.Dense, evals int) {
	for _, p := range net.Params() {
		r, c := p.Value.Dims()
		g := mat.NewDense(r, c, nil)
		for i := range r {
			for j := range c {
				old := p.Value.At(i, j)
				p.Value.Set(i, j, old+h)
				ep := net.Loss(x, labels)
				p.Value.Set(i, j, old-h)
				em := net.Loss(x, labels)
				p.Value.Set(i, j, old)
				g.Set(i, j, (ep-em)/(2*h))
				evals += 2
			}
		}
		grads = append(grads, g)
	}
	return grads, evals
}

// checkFDGradient compares fdGradient with backpropagation (nn's
// LossAndGrad) on every parameter of net, to tolFD. It leaves net's
// weights as they were (its gradients and caches hold the last pass).
func checkFDGradient(net *nn.Network, x *mat.Dense, labels []int) Check {
	fd, evals := fdGradient(net, x, labels, fdStep)
	net.LossAndGrad(x, labels)
	var worst Check
	for k, p := range net.Params() {
		ch := CheckEquation("", p.Grad, fd[k], tolFD)
		if k == 0 || !(ch.MaxErr <= worst.MaxErr) {
			worst = ch
		}
	}
	worst.Name = fmt.Sprintf("backprop gradient = central differences on all %d parameters", ParamCount(net))
	worst.Detail = fmt.Sprintf("%d loss evaluations, h = %g", evals, fdStep)
	return worst
}

// FDVersusBackprop computes one gradient of small both ways on the batch,
// checks that they agree (checkFDGradient) and times both; then it
// extrapolates to big: central differences cost 2·P forward passes, timed
// on big's forward pass, beside one measured backpropagation of big. The
// times depend on the machine and its load: they are for display only.
func FDVersusBackprop(small, big *nn.Network, x *mat.Dense, labels []int, reps int) (Check, string) {
	start := time.Now()
	check := checkFDGradient(small, x, labels)
	fdSmall := time.Since(start)
	ts, tb := TimePasses(small, x, labels, reps), TimePasses(big, x, labels, reps)
	ps, pb := ParamCount(small), ParamCount(big)
	fdBig := time.Duration(2 * float64(pb) * float64(tb.Forward))
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %d parameters, batch of %d (measured):\n", sizesString(small.Sizes()), ps, x.RawMatrix().Rows)
	fmt.Fprintf(&b, "  central differences: %d loss evaluations in %v\n", 2*ps, fdSmall.Round(time.Millisecond))
	fmt.Fprintf(&b, "  backpropagation:     one forward + backward in %v (%.0f× faster)\n", ts.ForwardBackward, float64(fdSmall)/float64(ts.ForwardBackward))
	fmt.Fprintf(&b, "%s, %d parameters (extrapolated from one forward pass, %v):\n", sizesString(big.Sizes()), pb, tb.Forward)
	fmt.Fprintf(&b, "  central differences: %d loss evaluations ≈ %v\n", 2*pb, fdBig.Round(time.Millisecond))
	fmt.Fprintf(&b, "  backpropagation:     %v (measured), about %.0f× faster\n", tb.ForwardBackward, float64(fdBig)/float64(tb.ForwardBackward))
	return check, b.String()
}

func sizesString(sizes []int) string {
	s := make([]string, len(sizes))
	for i, n := range sizes {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, "-")
}

// predictedProducts lists the matrix products the derivation predicts for
// a network of the given sizes on a batch of n examples, in the order nn
// runs them: forward, U⁽ˢ⁾ = A⁽ˢ⁻¹⁾·W⁽ˢ⁾ᵀ for s = 1 … h, (n×n_in)·(n_in×n_out);
// backward, for s = h … 1, ∂E/∂W⁽ˢ⁾ = Δ⁽ˢ⁾ᵀ·A⁽ˢ⁻¹⁾, (n_out×n)·(n×n_in), then
// for s > 1 the input gradient Δ⁽ˢ⁾·W⁽ˢ⁾, (n×n_out)·(n_out×n_in).
func predictedProducts(sizes []int, n int) ProductCount {
	var pc ProductCount
	for s := 1; s < len(sizes); s++ {
		pc.Forward = append(pc.Forward, Product{M: n, N: sizes[s], K: sizes[s-1]})
	}
	for s := len(sizes) - 1; s >= 1; s-- {
		pc.Backward = append(pc.Backward, Product{M: sizes[s], N: sizes[s-1], K: n})
		if s > 1 {
			pc.Backward = append(pc.Backward, Product{M: n, N: sizes[s-1], K: sizes[s]})
		}
	}
	return pc
}

// CheckProducts compares the products counted in nn (CountProducts) with
// predictedProducts: the same number, each with the same flop count
// (2·m·n·k; a product and its transposed form count the same).
func CheckProducts(counted ProductCount, sizes []int, n int) Check {
	want := predictedProducts(sizes, n)
	name := fmt.Sprintf("%s, N = %d: %d forward + %d backward products as predicted", sizesString(sizes), n, len(want.Forward), len(want.Backward))
	flopsOf := func(pc ProductCount) []float64 {
		var f []float64
		for _, p := range append(slices.Clone(pc.Forward), pc.Backward...) {
			f = append(f, p.Flops())
		}
		return f
	}
	got, exp := flopsOf(counted), flopsOf(want)
	if len(counted.Forward) != len(want.Forward) || len(got) != len(exp) {
		return Check{Name: name, Detail: fmt.Sprintf("counted %d + %d products", len(counted.Forward), len(counted.Backward)),
			MaxErr: 1, Tol: 0, OK: false}
	}
	c := CheckEquation(name, mat.NewDense(1, len(got), got), mat.NewDense(1, len(exp), exp), 0)
	c.Detail = "flops of each product, counted in gonum's BLAS"
	return c
}
