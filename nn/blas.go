package nn

import (
	"fmt"
	"os"

	"github.com/backprop-lab/backprop/nn/internal/fastblas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// EnvBLAS names the environment variable read once, when the package is
// initialised, to choose the BLAS behind gonum/mat for the whole process:
// "gonum" keeps gonum's own implementation (nothing is replaced), "fast" or
// unset plugs in the package's fast Dgemm, "dense" plugs it in with zero
// skipping off (every product computes all its terms, as numpy's do: for
// timing the products alone; the results are the same bits). Any other
// value panics at start with a message naming the variable and the value.
const EnvBLAS = "BACKPROP_BLAS"

// The matrix products of this package are plain gonum/mat calls (Mul with
// T() views), which go through gonum's BLAS interface (blas64). Importing nn
// plugs in a pure-Go (Go assembly, no cgo) Dgemm with AVX-512/AVX2 kernels
// that uses every core, so those products run 10–40× faster than with
// gonum's own implementation; every other BLAS routine stays gonum's. The
// choice is process-wide (other gonum users in the same program get the
// fast Dgemm too) and reversible: see UseGonumBLAS and EnvBLAS.
func init() {
	switch v := os.Getenv(EnvBLAS); v {
	case "", "fast":
		UseFastBLAS()
	case "dense":
		UseFastBLAS()
		fastblas.SetZeroSkip(false)
	case "gonum":
		// blas64's default is gonum's implementation: leave it alone.
	default:
		panic(fmt.Sprintf("nn: $%s=%q: want \"gonum\" (gonum's own BLAS), \"fast\" (the default) or \"dense\" (fast, no zero skipping)", EnvBLAS, v))
	}
}

// UseGonumBLAS makes gonum/mat use gonum's own BLAS implementation again
// (blas64.Use(gonum.Implementation{})), undoing what importing nn did: every
// product, of nn and of any other gonum user in the process, then gives
// exactly gonum's results, at gonum's speed. Setting $BACKPROP_BLAS=gonum
// (EnvBLAS) has the same effect without a code change.
//
// Like blas64.Use, it must not run concurrently with matrix products: call
// it at the start of a program or test.
func UseGonumBLAS() { blas64.Use(gonum.Implementation{}) }

// UseFastBLAS plugs the package's fast Dgemm in under gonum/mat, as
// importing nn does by default. Results differ from gonum's in the last
// bits only (another summation order, fused multiply-adds). Its products
// leave out the terms whose factor is +0 where the other factor is finite
// (the background of the images: half the work of the first layer's two
// products on MNIST), which changes no bit of any result. Like
// UseGonumBLAS, it must not run concurrently with matrix products.
func UseFastBLAS() { blas64.Use(fastblas.Implementation{}) }

// overlapProducts runs t and u, two independent matrix products, at the
// same time on two cores (fastblas.Overlap) when the BLAS under gonum/mat
// is nn's own, whose Dgemm is safe to call from two goroutines at once.
// Under any other implementation (gonum's after UseGonumBLAS, or one a
// program installed with blas64.Use: a wrapper that counts or traces the
// products, which need not be safe for concurrent use) it runs t, then u,
// as a serial program would issue them, so that such a wrapper sees the
// products one at a time and in a fixed order.
func overlapProducts(t, u fastblas.Task) {
	if _, ours := blas64.Implementation().(fastblas.Implementation); ours {
		fastblas.Overlap(t, u)
		return
	}
	t.Run()
	u.Run()
}
