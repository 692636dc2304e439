package fastblas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

var (
	transposes = []blas.Transpose{blas.NoTrans, blas.Trans}
	alphas     = []float64{0, 1, -0.5, 2}
	betas      = []float64{0, 1, 0.5}
)

// sentinel fills the padding of A, B and C (the elements between the end of
// a row and the next leading-dimension boundary, and after the last row).
// Dgemm must neither read padding of A/B into the result (NaN would
// propagate) nor write padding of C.
var sentinel = math.NaN()

// cSentinel marks C's padding; it is checked bit for bit after the call.
const cSentinel = -12345.678

// gemmCase is one Dgemm call with operands laid out with padded strides.
type gemmCase struct {
	tA, tB      blas.Transpose
	m, n, k     int
	alpha, beta float64
	pad         int // extra elements per row beyond the minimum leading dimension
}

func (tc gemmCase) String() string {
	return fmt.Sprintf("tA=%c tB=%c m=%d n=%d k=%d alpha=%g beta=%g pad=%d",
		tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, tc.beta, tc.pad)
}

// stored returns the stored rows and columns of op(X) = r×c.
func stored(t blas.Transpose, r, c int) (int, int) {
	if t == blas.NoTrans {
		return r, c
	}
	return c, r
}

// newMatrix returns a rows×cols matrix with leading dimension cols+pad whose
// padding (and one extra row of slack) holds fill, and values from r.
func newMatrix(rnd *rand.Rand, rows, cols, pad int, fill float64) ([]float64, int) {
	ld := max(1, cols+pad)
	s := make([]float64, rows*ld+pad)
	for i := range s {
		s[i] = fill
	}
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			s[i*ld+j] = rnd.Float64()*2 - 1
		}
	}
	return s, ld
}

// checkGemm runs impl and gonum's reference on the same case and compares.
func checkGemm(t *testing.T, rnd *rand.Rand, impl blas.Float64, tc gemmCase) {
	t.Helper()
	ar, ac := stored(tc.tA, tc.m, tc.k)
	br, bc := stored(tc.tB, tc.k, tc.n)
	a, lda := newMatrix(rnd, ar, ac, tc.pad, sentinel)
	b, ldb := newMatrix(rnd, br, bc, tc.pad, sentinel)
	c0, ldc := newMatrix(rnd, tc.m, tc.n, tc.pad, cSentinel)
	if tc.beta == 0 {
		// beta == 0: C must be write-only, so NaN in it must not survive.
		for i := 0; i < tc.m; i++ {
			for j := 0; j < tc.n; j++ {
				c0[i*ldc+j] = math.NaN()
			}
		}
	}
	aCopy := append([]float64(nil), a...)
	bCopy := append([]float64(nil), b...)

	got := append([]float64(nil), c0...)
	impl.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, got, ldc)

	// The reference needs NaN-free padding in A and B (gonum reads only
	// the matrix, but be safe) and zero-scales C itself when beta == 0.
	want := append([]float64(nil), c0...)
	gonum.Implementation{}.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, want, ldc)

	// Error bound. Both results are sums of k products computed in some
	// order (ours in blocks, with FMA); each differs from the exact value
	// by at most γ_k·bound with γ_k ≈ k·eps (standard dot-product error
	// analysis, Higham §3.1), where
	//   bound_ij = |alpha|·Σ_p |op(A)_ip|·|op(B)_pj| + |beta|·|C_ij|.
	// So they differ from each other by at most 2·γ_k·bound. The +2 covers
	// the final alpha and beta roundings.
	absA := absOf(a)
	absB := absOf(b)
	bound := make([]float64, len(c0))
	for i := 0; i < tc.m; i++ {
		for j := 0; j < tc.n; j++ {
			if tc.beta != 0 {
				bound[i*ldc+j] = math.Abs(tc.beta * c0[i*ldc+j])
			}
		}
	}
	if tc.alpha != 0 && tc.k > 0 {
		gonum.Implementation{}.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, math.Abs(tc.alpha), absA, lda, absB, ldb, 1, bound, ldc)
	}
	gamma := 2 * float64(tc.k+2) * 0x1p-52

	for i := range got {
		row, col := i/ldc, i%ldc
		inside := row < tc.m && col < tc.n
		if !inside {
			if math.Float64bits(got[i]) != math.Float64bits(c0[i]) {
				t.Fatalf("%v: padding C[%d] (row %d col %d) changed from %v to %v", tc, i, row, col, c0[i], got[i])
			}
			continue
		}
		tol := gamma * bound[i]
		if d := math.Abs(got[i] - want[i]); !(d <= tol) {
			t.Fatalf("%v: C[%d,%d] = %v, want %v (|diff| %g > tol %g)", tc, row, col, got[i], want[i], d, tol)
		}
	}
	if !sameBits(a, aCopy) || !sameBits(b, bCopy) {
		t.Fatalf("%v: A or B modified", tc)
	}
}

func absOf(s []float64) []float64 {
	r := make([]float64, len(s))
	for i, v := range s {
		if !math.IsNaN(v) {
			r[i] = math.Abs(v)
		}
	}
	return r
}

func sameBits(x, y []float64) bool {
	for i := range x {
		if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
			return false
		}
	}
	return true
}

// forEachKernel runs f once per available micro-kernel (so the portable
// one is always covered, also on amd64), restoring the default after.
func forEachKernel(t *testing.T, f func(t *testing.T)) {
	def := Kernel()
	defer SetKernel(def)
	for _, name := range Kernels() {
		t.Run(name, func(t *testing.T) {
			if err := SetKernel(name); err != nil {
				t.Fatal(err)
			}
			f(t)
		})
	}
}

// TestDgemmSmall sweeps every small shape (including 0 and sizes around the
// register tiles 4×4 and 6×8) with all transposes, cycling through the
// alpha, beta and padding choices.
func TestDgemmSmall(t *testing.T) {
	sizes := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}
	ks := []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 17}
	forEachKernel(t, func(t *testing.T) {
		rnd := rand.New(rand.NewPCG(1, 2))
		i := 0
		for _, tA := range transposes {
			for _, tB := range transposes {
				for _, m := range sizes {
					for _, n := range sizes {
						for _, k := range ks {
							i++
							checkGemm(t, rnd, Implementation{}, gemmCase{tA, tB, m, n, k,
								alphas[i%len(alphas)], betas[(i/len(alphas))%len(betas)], (i / 12) % 3})
						}
					}
				}
			}
		}
	})
}

// TestDgemmAlphaBeta crosses every alpha and beta on shapes with full and
// partial tiles, with and without padding.
func TestDgemmAlphaBeta(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rnd := rand.New(rand.NewPCG(3, 4))
		for _, sh := range [][3]int{{12, 16, 9}, {13, 19, 31}, {31, 33, 65}} {
			for _, tA := range transposes {
				for _, tB := range transposes {
					for _, alpha := range alphas {
						for _, beta := range betas {
							for _, pad := range []int{0, 5} {
								checkGemm(t, rnd, Implementation{}, gemmCase{tA, tB, sh[0], sh[1], sh[2], alpha, beta, pad})
							}
						}
					}
				}
			}
		}
	})
}

// TestDgemmMedium covers sizes around cache-block and tile boundaries and
// the shapes of the MLP training step, which also exercise the parallel
// split when GOMAXPROCS > 1.
func TestDgemmMedium(t *testing.T) {
	sizes := []int{31, 33, 63, 65, 97, 200, 257}
	forEachKernel(t, func(t *testing.T) {
		rnd := rand.New(rand.NewPCG(5, 6))
		i := 0
		for _, tA := range transposes {
			for _, tB := range transposes {
				for _, m := range sizes {
					for _, n := range sizes {
						k := sizes[(i*3+m)%len(sizes)]
						i++
						checkGemm(t, rnd, Implementation{}, gemmCase{tA, tB, m, n, k,
							alphas[1+i%3], betas[i%len(betas)], i % 2})
					}
				}
			}
		}
		for _, s := range benchShapes[:5] {
			for _, beta := range betas {
				checkGemm(t, rnd, Implementation{}, gemmCase{s.tA, s.tB, s.m, s.n, s.k, 1, beta, 0})
			}
		}
		if !testing.Short() {
			checkGemm(t, rnd, Implementation{}, gemmCase{blas.NoTrans, blas.Trans, 1000, 96, 784, 1, 0, 3})
			checkGemm(t, rnd, Implementation{}, gemmCase{blas.Trans, blas.NoTrans, 17, 2100, 300, -0.5, 0.5, 1})
			checkGemm(t, rnd, Implementation{}, gemmCase{blas.NoTrans, blas.NoTrans, 7, 5, 1100, 2, 1, 2})
		}
	})
}

// TestDgemmBlocking runs the driver with tiny cache blocks so that every
// blocking loop (over n, k and m) and every edge path runs many times on
// small matrices.
func TestDgemmBlocking(t *testing.T) {
	def := current.Load()
	defer current.Store(def)
	rnd := rand.New(rand.NewPCG(7, 8))
	for _, kn := range kernels {
		for _, blk := range [][3]int{{1, 1, 1}, {5, 2, 3}, {16, 3, 2}} {
			tiny := *kn
			tiny.kc, tiny.mc, tiny.nc = blk[0], blk[1]*kn.mr, blk[2]*kn.nr
			current.Store(&tiny)
			for _, tA := range transposes {
				for _, tB := range transposes {
					for _, sh := range [][3]int{{1, 1, 1}, {23, 29, 37}, {48, 64, 16}, {61, 7, 12}} {
						checkGemm(t, rnd, Implementation{}, gemmCase{tA, tB, sh[0], sh[1], sh[2], -0.5, 0.5, 2})
						checkGemm(t, rnd, Implementation{}, gemmCase{tA, tB, sh[0], sh[1], sh[2], 2, 0, 0})
					}
				}
			}
		}
	}
}

// TestDgemmAlphaZero checks that alpha == 0 does not read A and B (BLAS
// semantics: Inf·0 would give NaN) and only scales C.
func TestDgemmAlphaZero(t *testing.T) {
	a := []float64{math.Inf(1), math.NaN(), 1, 2}
	b := []float64{math.NaN(), math.Inf(-1), 3, 4}
	for _, beta := range betas {
		c := []float64{1, 2, 3, 4}
		Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, 2, 2, 2, 0, a, 2, b, 2, beta, c, 2)
		for i, v := range c {
			if want := beta * float64(i+1); v != want {
				t.Errorf("beta=%v: c[%d] = %v, want %v", beta, i, v, want)
			}
		}
	}
}

// TestDgemmPanics checks that bad arguments panic exactly like gonum's
// Dgemm, in the same order of checks.
func TestDgemmPanics(t *testing.T) {
	s := make([]float64, 100)
	type args struct {
		tA, tB  blas.Transpose
		m, n, k int
		a       []float64
		lda     int
		b       []float64
		ldb     int
		c       []float64
		ldc     int
	}
	cases := []args{
		{'X', blas.NoTrans, 2, 2, 2, s, 2, s, 2, s, 2},
		{blas.NoTrans, 0, 2, 2, 2, s, 2, s, 2, s, 2},
		{blas.NoTrans, blas.NoTrans, -1, 2, 2, s, 2, s, 2, s, 2},
		{blas.NoTrans, blas.NoTrans, 2, -1, 2, s, 2, s, 2, s, 2},
		{blas.NoTrans, blas.NoTrans, 2, 2, -1, s, 2, s, 2, s, 2},
		{blas.NoTrans, blas.NoTrans, 2, 3, 4, s, 3, s, 3, s, 3},
		{blas.Trans, blas.NoTrans, 2, 3, 4, s, 1, s, 3, s, 3},
		{blas.NoTrans, blas.NoTrans, 2, 3, 4, s, 4, s, 2, s, 3},
		{blas.NoTrans, blas.Trans, 2, 3, 4, s, 4, s, 3, s, 3},
		{blas.NoTrans, blas.NoTrans, 2, 3, 4, s, 4, s, 3, s, 2},
		{blas.NoTrans, blas.NoTrans, 2, 3, 4, s[:6], 4, s, 3, s, 3},
		{blas.Trans, blas.NoTrans, 2, 3, 4, s[:6], 2, s, 3, s, 3},
		{blas.NoTrans, blas.NoTrans, 2, 3, 4, s, 4, s[:10], 3, s, 3},
		{blas.NoTrans, blas.Trans, 2, 3, 4, s, 4, s[:10], 4, s, 3},
		{blas.NoTrans, blas.NoTrans, 2, 3, 4, s, 4, s, 3, s[:5], 3},
		{blas.NoTrans, blas.NoTrans, 0, 3, 4, s[:0], 4, s[:0], 3, s[:0], 3}, // quick return, no panic
		{blas.NoTrans, blas.NoTrans, 2, 3, 0, s[:0], 1, s[:0], 3, s[:6], 3}, // k == 0: no panic
	}
	for i, c := range cases {
		want := panicOf(func() {
			gonum.Implementation{}.Dgemm(c.tA, c.tB, c.m, c.n, c.k, 1, c.a, c.lda, c.b, c.ldb, 0, c.c, c.ldc)
		})
		got := panicOf(func() {
			Implementation{}.Dgemm(c.tA, c.tB, c.m, c.n, c.k, 1, c.a, c.lda, c.b, c.ldb, 0, c.c, c.ldc)
		})
		if got != want {
			t.Errorf("case %d: panic %q, gonum panics %q", i, got, want)
		}
	}
}

func panicOf(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

// FuzzDgemm compares Dgemm with gonum's reference on shapes, transposes,
// strides, alpha and beta decoded from the fuzz input.
func FuzzDgemm(f *testing.F) {
	f.Add(uint8(6), uint8(8), uint8(5), uint8(0), uint8(0), uint8(1), uint64(1))
	f.Add(uint8(13), uint8(9), uint8(33), uint8(3), uint8(2), uint8(2), uint64(2))
	f.Add(uint8(0), uint8(3), uint8(3), uint8(1), uint8(1), uint8(0), uint64(3))
	f.Add(uint8(70), uint8(70), uint8(70), uint8(2), uint8(3), uint8(3), uint64(4))
	f.Fuzz(func(t *testing.T, m, n, k, trans, ab, pad uint8, seed uint64) {
		tc := gemmCase{
			tA: transposes[trans&1], tB: transposes[trans>>1&1],
			m: int(m % 80), n: int(n % 80), k: int(k % 80),
			alpha: alphas[ab%4], beta: betas[(ab>>2)%3],
			pad: int(pad % 4),
		}
		rnd := rand.New(rand.NewPCG(seed, 0))
		forEachKernel(t, func(t *testing.T) {
			checkGemm(t, rnd, Implementation{}, tc)
		})
	})
}

// TestDgemmConcurrent runs parallel-sized products from several goroutines
// at once: they share the worker pool and the buffer pool.
func TestDgemmConcurrent(t *testing.T) {
	const g = 6
	errs := make(chan string, g)
	for w := range g {
		go func() {
			rnd := rand.New(rand.NewPCG(uint64(w), 11))
			for i := range 5 {
				tc := gemmCase{transposes[i%2], transposes[w%2], 90 + w, 70 + i, 200, 1, 0.5, w % 2}
				ar, ac := stored(tc.tA, tc.m, tc.k)
				br, bc := stored(tc.tB, tc.k, tc.n)
				a, lda := newMatrix(rnd, ar, ac, tc.pad, 0)
				b, ldb := newMatrix(rnd, br, bc, tc.pad, 0)
				c, ldc := newMatrix(rnd, tc.m, tc.n, tc.pad, 0)
				want := append([]float64(nil), c...)
				Implementation{}.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
				gonum.Implementation{}.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, want, ldc)
				for j := range c {
					// Values are sums of 200 products of numbers in [-1, 1):
					// 1e-12 is far above the rounding differences (~1e-14).
					if math.Abs(c[j]-want[j]) > 1e-12 {
						errs <- fmt.Sprintf("goroutine %d, %v: c[%d] = %v, want %v", w, tc, j, c[j], want[j])
						return
					}
				}
			}
			errs <- ""
		}()
	}
	for range g {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}

func TestKernelSelection(t *testing.T) {
	def := Kernel()
	defer SetKernel(def)
	names := Kernels()
	if !slices.Contains(names, "generic") || !slices.Contains(names, "gonum") || names[len(names)-1] != def {
		t.Fatalf("Kernels() = %v, default %q: want generic and gonum, the default last", names, def)
	}
	if err := SetKernel("generic"); err != nil || Kernel() != "generic" {
		t.Fatalf("SetKernel(generic) = %v, Kernel() = %q", err, Kernel())
	}
	if err := SetKernel("no-such-kernel"); err == nil || Kernel() != "generic" {
		t.Fatalf("SetKernel(no-such-kernel) = %v, Kernel() = %q: want an error and no change", err, Kernel())
	}
}

// TestSetThreads checks the cap on goroutines per call: with 1 the
// products run on the caller only and are still right.
func TestSetThreads(t *testing.T) {
	prev := SetThreads(1)
	defer SetThreads(prev)
	if got := SetThreads(1); got != 1 {
		t.Fatalf("SetThreads returned %d, want 1", got)
	}
	rnd := rand.New(rand.NewPCG(12, 12))
	for _, s := range benchShapes[:5] {
		checkGemm(t, rnd, Implementation{}, gemmCase{s.tA, s.tB, s.m, s.n, s.k, 1, 0.5, 1})
	}
}

// TestDgemmHalfEdge runs shapes whose right edge is at most nr/2 columns
// wide or whose bottom edge at most shortRows rows high, where a kernel's
// edge kernels (fnHalf, fnShort) compute the last tiles: the lab's output
// layer (200×10×96 forward, 10×96×200 for ∂E/∂W⁽²⁾), edges that fill the
// edge tile exactly (written to C directly) or partly (through the scratch
// tile), and corners where both edges meet.
func TestDgemmHalfEdge(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rnd := rand.New(rand.NewPCG(11, 12))
		i := 0
		for _, sh := range [][3]int{{200, 10, 96}, {10, 96, 200}, {12, 4, 5}, {6, 12, 9}, {13, 11, 33}, {7, 2, 1}, {24, 20, 17}, {4, 8, 3}, {10, 12, 7}, {3, 3, 40}, {16, 19, 9}} {
			for _, tA := range transposes {
				for _, tB := range transposes {
					for _, beta := range betas {
						i++
						checkGemm(t, rnd, Implementation{}, gemmCase{tA, tB, sh[0], sh[1], sh[2], alphas[1+i%3], beta, i % 3})
					}
				}
			}
		}
	})
}

// TestBlocks: how a parallel product is cut. X·W⁽¹⁾ᵀ (200×96×784, B
// packed, split by columns) on 2 cores gets blocks of 3 panels of the 6×8
// kernel (12 panels: 4 blocks) and of 2 panels of the 8×24 kernel (4
// panels: 2 blocks, not 4 of one panel, which would each stream all of A
// from beyond L2 through one panel).
func TestBlocks(t *testing.T) {
	for _, c := range []struct {
		tiles, procs  int
		packB, splitN bool
		want          int
	}{
		{12, 2, true, true, 4},  // X·W⁽¹⁾ᵀ, 6×8 kernel
		{4, 2, true, true, 2},   // X·W⁽¹⁾ᵀ, 8×24 kernel
		{98, 2, false, true, 8}, // δ⁽¹⁾ᵀ·X, B in place: up to 4 a core
		{34, 2, true, false, 2}, // split by rows with a packed B: one a core
		{6, 2, true, true, 2},   // 3 panels a block
		{12, 8, true, true, 8},  // never fewer than one a goroutine
		{1, 2, true, true, 1},   // never more than the tiles
		{64, 8, true, true, 16}, // at most 2 a goroutine
	} {
		if got := blocks(c.tiles, c.procs, c.packB, c.splitN); got != c.want {
			t.Errorf("blocks(%d tiles, %d procs, packB %v, splitN %v) = %d, want %d", c.tiles, c.procs, c.packB, c.splitN, got, c.want)
		}
	}
}
