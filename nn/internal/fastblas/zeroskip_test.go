package fastblas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"

	"gonum.org/v1/gonum/blas"
)

// opSet sets op(X)(r, c) = v in x, stored with leading dimension ld.
func opSet(x []float64, ld int, t blas.Transpose, r, c int, v float64) {
	if t == blas.NoTrans {
		x[r*ld+c] = v
		return
	}
	x[c*ld+r] = v
}

// sparsify zeroes each element of the rows×cols op(X) with probability
// frac, a tenth of them as -0, and op(X) wholly in column (if col) or row
// zero of index at (−1: none).
func sparsify(rnd *rand.Rand, x []float64, ld int, t blas.Transpose, rows, cols int, frac float64, col bool, at int) {
	for i := range rows {
		for j := range cols {
			whole := at >= 0 && (col && j == at || !col && i == at)
			switch u := rnd.Float64(); {
			case whole || u < 0.9*frac:
				opSet(x, ld, t, i, j, 0)
			case u < frac:
				opSet(x, ld, t, i, j, math.Copysign(0, -1))
			}
		}
	}
}

// skippingKernel returns the best kernel of this machine that skips zeros
// (the AVX2 one, also where the default is the 8×24 AVX-512 kernel, which
// does not), or nil if none does (no AVX2, purego, other architectures).
func skippingKernel(t *testing.T) *kernel {
	t.Helper()
	for i := len(kernels) - 1; i >= 0; i-- {
		if kernels[i].fnOffA != nil && kernels[i].fnOffB != nil {
			return kernels[i]
		}
	}
	t.Skipf("no kernel here skips zeros (have %v)", Kernels())
	return nil
}

// countingKernel returns a copy of skippingKernel whose zero-skipping
// kernels count their calls in n.
func countingKernel(t *testing.T, n *atomic.Int64) *kernel {
	t.Helper()
	kn := *skippingKernel(t)
	if offA := kn.fnOffA; offA != nil {
		kn.fnOffA = func(k int, a []float64, off []int, b []float64, c []float64, ldc int, alpha, beta float64) {
			n.Add(1)
			offA(k, a, off, b, c, ldc, alpha, beta)
		}
	}
	if offB := kn.fnOffB; offB != nil {
		kn.fnOffB = func(k int, a []float64, ars, aks int, b []float64, off []int, c []float64, ldc int, alpha, beta float64) {
			n.Add(1)
			offB(k, a, ars, aks, b, off, c, ldc, alpha, beta)
		}
	}
	return &kn
}

// TestZeroSkipSameBits checks that skipping the zero steps of sparse
// operands gives the dense product's bits: on both sides (A sparse with B
// packed: X·W⁽¹⁾ᵀ; B sparse read in place: Δ⁽¹⁾ᵀ·X), shapes with full and
// edge tiles, several cache blocks of k, on one goroutine and on several;
// with -0 among the zeros, all-zero panels, and an ±Inf or NaN facing a
// zero step, which the dense product turns into NaN and so must the
// sparse one. It also checks that the zero-skipping kernels ran where the
// operand was sparse, and not where it was dense.
func TestZeroSkipSameBits(t *testing.T) {
	defer current.Store(current.Load())
	defer SetZeroSkip(SetZeroSkip(true))
	defer SetThreads(SetThreads(0))
	var calls atomic.Int64
	skipping := skippingKernel(t)
	counting := countingKernel(t, &calls)

	type shape struct {
		tA, tB  blas.Transpose
		m, n, k int
		lab     bool // a product of the lab's training step: skips must happen
	}
	kc := skipping.kc
	shapes := []shape{
		{blas.NoTrans, blas.Trans, 200, 96, 784, true}, // X·W⁽¹⁾ᵀ
		{blas.NoTrans, blas.Trans, 13, 100, 300, false},
		{blas.NoTrans, blas.Trans, 6, 32, 5, false},
		{blas.Trans, blas.NoTrans, 96, 784, 200, true}, // Δ⁽¹⁾ᵀ·X
		{blas.NoTrans, blas.NoTrans, 97, 21, 300, false},
		{blas.Trans, blas.NoTrans, 30, 20, 50, false}, // 2 pairs of row tiles and one more; an edge panel
		{blas.Trans, blas.NoTrans, 24, 8, 3, false},
	}
	type fill struct {
		name  string
		frac  float64
		whole bool    // one step wholly zero on the sparse side
		other float64 // put at that step on the other side (0: nothing)
	}
	fills := []fill{
		{"dense", 0, false, 0},
		{"sparse", 0.97, false, 0},
		{"all zero", 1, false, 0},
		{"zero step", 0.97, true, 0},
		{"Inf facing a zero step", 0.97, true, math.Inf(-1)},
		{"NaN facing a zero step", 0.97, true, math.NaN()},
	}
	rnd := rand.New(rand.NewPCG(20, 7))
	for _, sh := range shapes {
		sparseA := sh.tB == blas.Trans
		for _, f := range fills {
			for _, threads := range []int{1, 2} {
				for _, ab := range [][2]float64{{1, 0}, {-0.5, 1}} {
					name := fmt.Sprintf("%c%c %d×%d×%d %s threads=%d alpha=%g beta=%g", sh.tA, sh.tB, sh.m, sh.n, sh.k, f.name, threads, ab[0], ab[1])
					ar, ac := stored(sh.tA, sh.m, sh.k)
					br, bc := stored(sh.tB, sh.k, sh.n)
					a, lda := newMatrix(rnd, ar, ac, 1, sentinel)
					b, ldb := newMatrix(rnd, br, bc, 1, sentinel)
					c0, ldc := newMatrix(rnd, sh.m, sh.n, 1, cSentinel)
					step := -1
					if f.whole {
						step = sh.k / 2
					}
					if sparseA {
						sparsify(rnd, a, lda, sh.tA, sh.m, sh.k, f.frac, true, step)
					} else {
						sparsify(rnd, b, ldb, sh.tB, sh.k, sh.n, f.frac, false, step)
					}
					if f.other != 0 || math.IsNaN(f.other) {
						if sparseA {
							opSet(b, ldb, sh.tB, step, sh.n/2, f.other)
						} else {
							opSet(a, lda, sh.tA, sh.m/2, step, f.other)
						}
					}
					SetThreads(threads)
					SetZeroSkip(false)
					current.Store(skipping)
					want := slices.Clone(c0)
					Implementation{}.Dgemm(sh.tA, sh.tB, sh.m, sh.n, sh.k, ab[0], a, lda, b, ldb, ab[1], want, ldc)

					SetZeroSkip(true)
					current.Store(counting)
					calls.Store(0)
					got := slices.Clone(c0)
					Implementation{}.Dgemm(sh.tA, sh.tB, sh.m, sh.n, sh.k, ab[0], a, lda, b, ldb, ab[1], got, ldc)
					for i := range got {
						if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
							t.Fatalf("%s: C[%d,%d] = %v skipping zeros, %v dense", name, i/ldc, i%ldc, got[i], want[i])
						}
					}
					// On the lab's shapes: a dense operand is not skipped,
					// a sparse one is, but not where the other operand is
					// not finite: in a sparse A's cache block of k (kc
					// deep), in a sparse B's whole call.
					wantSkip := f.frac > 0 && (f.other == 0 || sh.k > kc)
					if skipped := calls.Load() > 0; sh.lab && skipped != wantSkip {
						t.Errorf("%s: zero-skipping kernels ran %d times", name, calls.Load())
					}
				}
			}
		}
	}
}

// TestZeroSkipOffKeepsDense: with SetZeroSkip(false) the zero-skipping
// kernels do not run, even on an all-zero operand.
func TestZeroSkipOffKeepsDense(t *testing.T) {
	defer current.Store(current.Load())
	defer SetZeroSkip(SetZeroSkip(false))
	var calls atomic.Int64
	current.Store(countingKernel(t, &calls))
	a := make([]float64, 200*784)
	b := make([]float64, 96*784)
	c := make([]float64, 200*96)
	Implementation{}.Dgemm(blas.NoTrans, blas.Trans, 200, 96, 784, 1, a, 784, b, 784, 0, c, 96)
	if calls.Load() != 0 {
		t.Fatalf("zero-skipping kernels ran %d times with zero skipping off", calls.Load())
	}
}

// TestPackNonzero checks the three packers against their definitions: the
// steps kept are those not all +0, in order, with their offsets, and an
// all-zero panel keeps one step.
func TestPackNonzero(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 3))
	for _, kb := range []int{1, 2, 7, 64} {
		for _, frac := range []float64{0, 0.5, 0.9, 1} {
			const rs = 70
			src := make([]float64, 8*rs+kb*rs)
			for i := range src {
				switch u := rnd.Float64(); {
				case u < frac:
				case u < frac+(1-frac)/10:
					src[i] = math.Copysign(0, -1)
				default:
					src[i] = rnd.NormFloat64()
				}
			}
			// A: 6 rows rs apart, steps contiguous.
			dst, off := make([]float64, 6*kb), make([]int, kb)
			n := packNonzeroA6(dst, off, src, rs, kb, 64)
			var wantOff []int
			var wantVal []float64
			for p := range kb {
				col := []float64{src[p], src[rs+p], src[2*rs+p], src[3*rs+p], src[4*rs+p], src[5*rs+p]}
				if slices.ContainsFunc(col, func(v float64) bool { return math.Float64bits(v) != 0 }) {
					wantOff = append(wantOff, p*64)
					wantVal = append(wantVal, col...)
				}
			}
			checkPacked(t, fmt.Sprintf("A kb=%d frac=%g", kb, frac), n, dst, off, wantVal, wantOff, 6)
			// B: the two 4-value halves of 8 contiguous values a step,
			// steps rs apart.
			dl, ol, dr, or := make([]float64, 4*kb), make([]int, kb), make([]float64, 4*kb), make([]int, kb)
			nl, nr := packNonzeroB4x2(dl, ol, dr, or, src, rs, kb, 24)
			for h, got := range []struct {
				n   int
				dst []float64
				off []int
			}{{nl, dl, ol}, {nr, dr, or}} {
				wantOff, wantVal = nil, nil
				for p := range kb {
					half := src[p*rs+4*h : p*rs+4*h+4]
					if slices.ContainsFunc(half, func(v float64) bool { return math.Float64bits(v) != 0 }) {
						wantOff = append(wantOff, p*24)
						wantVal = append(wantVal, half...)
					}
				}
				checkPacked(t, fmt.Sprintf("B half %d kb=%d frac=%g", h, kb, frac), got.n, got.dst, got.off, wantVal, wantOff, 4)
			}
			// A packed 6-row panel: 6 values a step, one step after the other.
			dst, off = make([]float64, 6*kb), make([]int, kb)
			n = compactPacked6(dst, off, src, kb, 16)
			wantOff, wantVal = nil, nil
			for p := range kb {
				col := src[6*p : 6*p+6]
				if slices.ContainsFunc(col, func(v float64) bool { return math.Float64bits(v) != 0 }) {
					wantOff = append(wantOff, p*16)
					wantVal = append(wantVal, col...)
				}
			}
			checkPacked(t, fmt.Sprintf("packed kb=%d frac=%g", kb, frac), n, dst, off, wantVal, wantOff, 6)
		}
	}
}

func checkPacked(t *testing.T, name string, n int, dst []float64, off []int, wantVal []float64, wantOff []int, w int) {
	t.Helper()
	if len(wantOff) == 0 {
		if n != 1 || !slices.Equal(dst[:w], make([]float64, w)) {
			t.Fatalf("%s: all-zero panel kept %d steps, first %v; want one step of +0", name, n, dst[:w])
		}
		return
	}
	if n != len(wantOff) || !slices.Equal(off[:n], wantOff) || !sameBits(dst[:n*w], wantVal) {
		t.Fatalf("%s: kept %d steps at %v, want %d at %v (or values differ)", name, n, off[:n], len(wantOff), wantOff)
	}
}

// TestAllFinite checks the finite test at every length around the
// assembly's 8-element blocks, with one ±Inf or NaN at every position.
func TestAllFinite(t *testing.T) {
	for n := range 40 {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(i) - 3.5
		}
		if !allFinite(x) {
			t.Fatalf("n=%d: finite values reported not finite", n)
		}
		for i := range n {
			for _, bad := range []float64{math.Inf(1), math.Inf(-1), math.NaN()} {
				old := x[i]
				x[i] = bad
				if allFinite(x) {
					t.Fatalf("n=%d: %v at %d not seen", n, bad, i)
				}
				x[i] = old
			}
		}
	}
}

// FuzzZeroSkip checks the bits of products with zero skipping against
// the same products without it, on shapes, transposes, zero fractions
// (a tenth of the zeros -0), whole zero steps and an Inf or NaN at one of
// them decoded from the fuzz input, on one goroutine or two.
func FuzzZeroSkip(f *testing.F) {
	f.Add(uint8(200), uint8(96), uint8(200), uint8(2), uint8(230), uint8(0), uint64(1))
	f.Add(uint8(96), uint8(200), uint8(200), uint8(1), uint8(240), uint8(5), uint64(2))
	f.Add(uint8(30), uint8(20), uint8(50), uint8(1), uint8(255), uint8(9), uint64(3))
	f.Fuzz(func(t *testing.T, m, n, k, trans, zeros, special uint8, seed uint64) {
		defer current.Store(current.Load())
		current.Store(skippingKernel(t))
		defer SetZeroSkip(SetZeroSkip(true))
		defer SetThreads(SetThreads(int(special>>4&1) + 1))
		tA, tB := transposes[trans&1], transposes[trans>>1&1]
		mm, nn, kk := int(m)%150+1, int(n)%150+1, int(k)%300+1
		rnd := rand.New(rand.NewPCG(seed, 1))
		ar, ac := stored(tA, mm, kk)
		br, bc := stored(tB, kk, nn)
		a, lda := newMatrix(rnd, ar, ac, int(special>>5), sentinel)
		b, ldb := newMatrix(rnd, br, bc, int(special>>5), sentinel)
		frac := float64(zeros) / 255
		step := -1
		if special&1 != 0 {
			step = rnd.IntN(kk)
		}
		sparsify(rnd, a, lda, tA, mm, kk, frac, true, step)
		sparsify(rnd, b, ldb, tB, kk, nn, frac, false, step)
		if special&6 != 0 && step >= 0 {
			bad := []float64{math.Inf(1), math.Inf(-1), math.NaN()}[(special>>1&3)%3]
			if special&8 != 0 {
				opSet(b, ldb, tB, step, rnd.IntN(nn), bad) // facing A's zeros
			} else {
				opSet(a, lda, tA, rnd.IntN(mm), step, bad) // facing B's zeros
			}
		}
		c0, ldc := newMatrix(rnd, mm, nn, 1, cSentinel)
		want, got := slices.Clone(c0), slices.Clone(c0)
		SetZeroSkip(false)
		Implementation{}.Dgemm(tA, tB, mm, nn, kk, 1, a, lda, b, ldb, 0, want, ldc)
		SetZeroSkip(true)
		Implementation{}.Dgemm(tA, tB, mm, nn, kk, 1, a, lda, b, ldb, 0, got, ldc)
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("%c%c %d×%d×%d zeros %.2f: C[%d] = %v skipping zeros, %v dense", tA, tB, mm, nn, kk, frac, i, got[i], want[i])
			}
		}
	})
}
