package nn

import (
	"github.com/backprop-lab/backprop/nn/internal/fastblas"
	"gonum.org/v1/gonum/blas/blas64"
)

// The matrix products of this package are plain gonum mat calls (Mul with
// T() views), which go through gonum's BLAS interface. Importing nn plugs
// in fastblas, a pure-Go (Go assembly) Dgemm with AVX-512/AVX2 kernels that
// uses every core, so those products run 10–40× faster than with gonum's
// own implementation; every other BLAS routine stays gonum's. This is
// process-wide: other gonum users in the same program get the fast Dgemm
// too. fastblas.SetKernel("gonum") restores gonum's Dgemm, and the build tag
// purego keeps fastblas free of assembly.
func init() {
	blas64.Use(fastblas.Implementation{})
}
