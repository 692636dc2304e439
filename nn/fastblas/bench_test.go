package fastblas

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// corePeakGFLOPs is the double-precision peak of one core of the reference
// machine (AMD Zen 4 at ≈3.65 GHz): 2 FMA pipes × 4 doubles (256 bits; a
// 512-bit op takes both pipes on Zen 4) × 2 flops × 3.65 GHz = 58.4 GFLOP/s.
// The benchmarks report "%peak" against corePeakGFLOPs × GOMAXPROCS, so on
// the 2-core machine the reference is 116.8 GFLOP/s. On other machines the
// percentage is only indicative.
const corePeakGFLOPs = 58.4

// benchShapes are the Dgemm calls of one training step of the 784-96-10
// MLP with batch 200 (one example per row) and of evaluating 10000
// examples, as gonum/mat issues them.
var benchShapes = []struct {
	name    string
	tA, tB  blas.Transpose
	m, n, k int
}{
	{"fwd1_X·W1ᵀ", blas.NoTrans, blas.Trans, 200, 96, 784},
	{"fwd2_A1·W2ᵀ", blas.NoTrans, blas.Trans, 200, 10, 96},
	{"dW2_δ2ᵀ·A1", blas.Trans, blas.NoTrans, 10, 96, 200},
	{"δ1_δ2·W2", blas.NoTrans, blas.NoTrans, 200, 96, 10},
	{"dW1_δ1ᵀ·X", blas.Trans, blas.NoTrans, 96, 784, 200},
	{"eval_X·W1ᵀ", blas.NoTrans, blas.Trans, 10000, 96, 784},
}

type dgemmer interface {
	Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int)
}

func BenchmarkDgemm(b *testing.B) {
	impls := []struct {
		name string
		impl dgemmer
	}{
		{"fastblas", Implementation{}},
		{"gonum", gonum.Implementation{}},
	}
	for _, s := range benchShapes {
		for _, im := range impls {
			b.Run(fmt.Sprintf("%s_%dx%dx%d/%s", s.name, s.m, s.n, s.k, im.name), func(b *testing.B) {
				benchDgemm(b, im.impl, s.tA, s.tB, s.m, s.n, s.k, 1)
			})
		}
	}
}

// BenchmarkDgemmKernels compares the micro-kernels available here on the
// two biggest shapes of a training step.
func BenchmarkDgemmKernels(b *testing.B) {
	defer SetKernel(Kernel())
	for _, s := range benchShapes[:5] {
		if s.m*s.n*s.k < 1<<20 {
			continue
		}
		for _, kn := range Kernels() {
			b.Run(fmt.Sprintf("%s/%s", s.name, kn), func(b *testing.B) {
				if err := SetKernel(kn); err != nil {
					b.Fatal(err)
				}
				benchDgemm(b, Implementation{}, s.tA, s.tB, s.m, s.n, s.k, 1)
			})
		}
	}
}

// BenchmarkDgemmSingleThread measures the step shapes on one goroutine.
// The %peak metric is then relative to one core.
func BenchmarkDgemmSingleThread(b *testing.B) {
	for _, s := range benchShapes[:5] {
		b.Run(s.name, func(b *testing.B) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
			benchDgemm(b, Implementation{}, s.tA, s.tB, s.m, s.n, s.k, 1)
		})
	}
}

func benchDgemm(b *testing.B, impl dgemmer, tA, tB blas.Transpose, m, n, k int, beta float64) {
	r := rand.New(rand.NewPCG(1, 1))
	a := randSlice(r, m*k)
	bb := randSlice(r, k*n)
	c := randSlice(r, m*n)
	lda, ldb := k, n
	if tA != blas.NoTrans {
		lda = m
	}
	if tB != blas.NoTrans {
		ldb = k
	}
	impl.Dgemm(tA, tB, m, n, k, 1, a, lda, bb, ldb, beta, c, n) // warm caches and pools
	b.ReportAllocs()
	for b.Loop() {
		impl.Dgemm(tA, tB, m, n, k, 1, a, lda, bb, ldb, beta, c, n)
	}
	flops := 2 * float64(m) * float64(n) * float64(k)
	gflops := flops * float64(b.N) / b.Elapsed().Seconds() / 1e9
	b.ReportMetric(gflops, "GFLOP/s")
	b.ReportMetric(100*gflops/(corePeakGFLOPs*float64(runtime.GOMAXPROCS(0))), "%peak")
}

func randSlice(r *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = r.Float64()*2 - 1
	}
	return s
}
