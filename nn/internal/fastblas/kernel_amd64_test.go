//go:build amd64 && !purego

package fastblas

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// BenchmarkKernelL1 runs the bare AVX2 micro-kernel on packed operands that
// sit in L1: the ceiling the blocked Dgemm can approach on one core.
func BenchmarkKernelL1(b *testing.B) {
	const k = 256
	r := rand.New(rand.NewPCG(1, 1))
	a := randSlice(r, 6*k)
	bb := randSlice(r, k*8)
	c := make([]float64, 6*8)
	for b.Loop() {
		kernAVX2(k, a, 1, 6, bb, 8, c, 8, 1, 1)
	}
	b.ReportMetric(2*6*8*k*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func BenchmarkKernel512L1(b *testing.B) {
	const k = 256
	r := rand.New(rand.NewPCG(1, 1))
	a := randSlice(r, 8*k)
	bb := randSlice(r, k*24)
	c := make([]float64, 8*24)
	for b.Loop() {
		kernAVX512(k, a, 1, 8, bb, 24, c, 24, 1, 1)
	}
	b.ReportMetric(2*8*24*k*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// TestKern6x4MatchesKern6x8 checks the 6×4 edge kernel against the first
// four columns of the 6×8 kernel bit for bit (both sum each element in the
// same order with FMAs) for depths around the 6×8 kernel's unrolling, every
// alpha and beta, and strided A in both layouts, and that it writes
// nothing outside its 6×4 tile of C.
func TestKern6x4MatchesKern6x8(t *testing.T) {
	if avx2Kernel.fnHalf == nil {
		t.Fatal("avx2 kernel has no half-width edge kernel")
	}
	edgeMatchesKern6x8(t, kernAVX2Half, 6, 4, 9)
}

// TestKern4x8MatchesKern6x8 checks the 4×8 edge kernel against the first
// four rows of the 6×8 kernel bit for bit, like TestKern6x4MatchesKern6x8.
func TestKern4x8MatchesKern6x8(t *testing.T) {
	if avx2Kernel.fnShort == nil || avx2Kernel.shortRows != 4 {
		t.Fatal("avx2 kernel has no 4-row edge kernel")
	}
	edgeMatchesKern6x8(t, kernAVX2Short, 4, 8, 10)
}

// edgeMatchesKern6x8 checks that the edge kernel edge, which computes a
// rows×cols tile, gives the top-left rows×cols of the 6×8 kernel's tile
// bit for bit, and writes nothing else of C, over the depths, layouts of A
// and (alpha, beta) pairs above; seed seeds the operands.
func edgeMatchesKern6x8(t *testing.T, edge func(k int, a []float64, ars, aks int, b []float64, bks int, c []float64, ldc int, alpha, beta float64), rows, cols int, seed uint64) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed))
	for _, k := range []int{1, 2, 3, 4, 5, 7, 8, 9, 96, 97} {
		for _, lay := range [][2]int{{1, 6}, {k + 3, 1}} { // A as ars, aks
			ars, aks := lay[0], lay[1]
			a := randSlice(r, 6*ars+k*aks)
			b := randSlice(r, k*8)
			for _, ab := range [][2]float64{{1, 0}, {-0.5, 1}, {2, 0.5}} {
				const ldc = 11
				c0 := randSlice(r, 6*ldc)
				want := slices.Clone(c0)
				got := slices.Clone(c0)
				wide := make([]float64, 6*8)
				for i := range rows {
					copy(wide[i*8:i*8+cols], c0[i*ldc:i*ldc+cols])
				}
				kernAVX2(k, a, ars, aks, b, 8, wide, 8, ab[0], ab[1])
				for i := range rows {
					copy(want[i*ldc:i*ldc+cols], wide[i*8:i*8+cols])
				}
				edge(k, a, ars, aks, b, 8, got, ldc, ab[0], ab[1])
				for i := range got {
					if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
						t.Fatalf("k=%d ars=%d aks=%d alpha=%g beta=%g: C[%d] = %v, want %v", k, ars, aks, ab[0], ab[1], i, got[i], want[i])
					}
				}
			}
		}
	}
}

// TestKern12x4OffA checks the 12×4 zero-skipping kernel against its
// definition computed with math.FMA in the same order, bit for bit: for
// step p < k, A's column at a[off[p]/8:] (12 contiguous values) times B's
// packed row b[4p:4p+4], summed from +0, then C = alpha·sum + beta·C
// (beta = 0: C not read, NaN in it does not survive); for depths around
// nothing and several, every alpha and beta, and nothing outside the tile
// written.
func TestKern12x4OffA(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 4))
	for _, k := range []int{1, 2, 3, 5, 17, 80} {
		const lda, ldc = 20, 6
		a := randSlice(r, k*lda+12)
		b := randSlice(r, 4*k)
		off := make([]int, k+6) // the last 6 only prefetched
		for p := range off {
			off[p] = r.IntN(k) * lda * 8 // any columns, in any order, repeated
		}
		for _, ab := range [][2]float64{{1, 0}, {-0.5, 1}, {2, 0.5}} {
			c0 := randSlice(r, 12*ldc)
			if ab[1] == 0 {
				for i := range 12 {
					for j := range 4 {
						c0[i*ldc+j] = math.NaN()
					}
				}
			}
			want := slices.Clone(c0)
			for i := range 12 {
				for j := range 4 {
					var s float64
					for p := range k {
						s = math.FMA(a[off[p]/8+i], b[4*p+j], s)
					}
					if ab[1] == 0 {
						want[i*ldc+j] = ab[0] * s
					} else {
						want[i*ldc+j] = math.FMA(c0[i*ldc+j], ab[1], ab[0]*s)
					}
				}
			}
			got := slices.Clone(c0)
			kernAVX2OffA12x4(k, a, off, b, got, ldc, ab[0], ab[1])
			for i := range got {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
					t.Fatalf("k=%d alpha=%g beta=%g: C[%d] = %v, want %v", k, ab[0], ab[1], i, got[i], want[i])
				}
			}
		}
	}
}
