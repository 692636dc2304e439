package fastblas

import (
	"math/rand/v2"
	"sync/atomic"
	"testing"

	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn/nntest"
	"gonum.org/v1/gonum/blas"
)

// imageBatch returns a 200×784 batch X of the embedded MNIST images (pixel
// bytes over 255, mostly +0), a W⁽¹⁾ (96×784) and a Δ⁽¹⁾ (200×96) of random
// values: the operands of the first layer's two products in a step.
func imageBatch() (x, w, delta []float64) {
	train, _ := mnist.Embedded()
	const bs = 200
	x = make([]float64, bs*784)
	idx := make([]int, bs)
	for i := range idx {
		idx[i] = (i * 37) % train.Len()
	}
	train.Batch(x, make([]int, bs), idx)
	r := rand.New(rand.NewPCG(5, 5))
	return x, randSlice(r, 96*784), randSlice(r, bs*96)
}

// BenchmarkImages times the first layer's two products of a training step
// on 200 MNIST images, with zero skipping (skip) and without (dense), with
// the default kernel (on an AVX-512 machine the 8×24 kernel, which skips no
// zeros: run it with the AVX2 kernel too to compare).
// GFLOP/s counts the dense product's flops in both, so it compares times.
func BenchmarkImages(b *testing.B) {
	x, w, delta := imageBatch()
	for _, p := range []struct {
		name    string
		tA, tB  blas.Transpose
		m, n, k int
		a, bb   []float64
		lda     int
		ldb     int
	}{
		{"X·W1ᵀ", blas.NoTrans, blas.Trans, 200, 96, 784, x, w, 784, 784},
		{"Δ1ᵀ·X", blas.Trans, blas.NoTrans, 96, 784, 200, delta, x, 96, 784},
	} {
		c := make([]float64, p.m*p.n)
		for _, skip := range []bool{true, false} {
			name := p.name + "/dense"
			if skip {
				name = p.name + "/skip"
			}
			b.Run(name, func(b *testing.B) {
				defer SetZeroSkip(SetZeroSkip(skip))
				for b.Loop() {
					Implementation{}.Dgemm(p.tA, p.tB, p.m, p.n, p.k, 1, p.a, p.lda, p.bb, p.ldb, 0, c, p.n)
				}
				b.ReportMetric(2*float64(p.m*p.n*p.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// TestImagesSkipAndAllocateNothing: on MNIST images the first layer's two
// products skip zeros (the counting kernels run) and, in steady state,
// allocate nothing, like the dense ones (TestDgemmNoAlloc).
func TestImagesSkipAndAllocateNothing(t *testing.T) {
	if nntest.RaceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector; the run without -race checks this")
	}
	defer current.Store(current.Load())
	defer SetZeroSkip(SetZeroSkip(true))
	var calls atomic.Int64
	current.Store(countingKernel(t, &calls))
	x, w, delta := imageBatch()
	u, dw := make([]float64, 200*96), make([]float64, 96*784)
	products := []func(){
		func() { Implementation{}.Dgemm(blas.NoTrans, blas.Trans, 200, 96, 784, 1, x, 784, w, 784, 0, u, 96) },
		func() {
			Implementation{}.Dgemm(blas.Trans, blas.NoTrans, 96, 784, 200, 1, delta, 96, x, 784, 0, dw, 784)
		},
	}
	for i, f := range products {
		calls.Store(0)
		f()
		if calls.Load() == 0 {
			t.Errorf("product %d skipped no zeros of the images", i)
		}
		// A GC during the run may empty the buffer pool once; allow for
		// that but not for a per-call allocation.
		if allocs := testing.AllocsPerRun(50, f); allocs >= 0.5 {
			t.Errorf("product %d: %.2f allocations per call, want 0", i, allocs)
		}
	}
}
