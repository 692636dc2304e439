//go:build amd64 && !purego

package fastblas

import (
	"math/rand/v2"
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
