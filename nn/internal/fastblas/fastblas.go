package fastblas

import (
	"fmt"
	"sync/atomic"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is gonum's pure-Go BLAS with a faster Dgemm. It satisfies
// blas.Float64, so blas64.Use(fastblas.Implementation{}) routes every
// gonum/mat product through it.
type Implementation struct {
	gonum.Implementation
}

var _ blas.Float64 = Implementation{}

// kernels lists the micro-kernels available on this machine, best last.
var kernels = platformKernels()

// current is the kernel Dgemm uses; the best available one by default.
var current atomic.Pointer[kernel]

func init() { current.Store(kernels[len(kernels)-1]) }

// Kernel returns the name of the micro-kernel Dgemm uses: "avx512"
// (AVX-512F assembly, amd64), "avx2" (AVX2+FMA assembly, amd64), "generic"
// (portable Go) or "gonum" (hand the product to gonum's Dgemm).
func Kernel() string { return current.Load().name }

// Kernels returns the names of the micro-kernels usable on this machine,
// best last.
func Kernels() []string {
	names := make([]string, len(kernels))
	for i, k := range kernels {
		names[i] = k.name
	}
	return names
}

// SetKernel selects the micro-kernel by name (one of Kernels()) and returns
// an error if it is not available here. It is meant for tests and
// benchmarks, e.g. SetKernel("generic") forces the portable path. Calls to
// Dgemm that are already running keep the kernel they started with.
func SetKernel(name string) error {
	for _, k := range kernels {
		if k.name == name {
			current.Store(k)
			return nil
		}
	}
	return fmt.Errorf("fastblas: kernel %q not available (have %v)", name, Kernels())
}

// threads caps the goroutines one Dgemm call uses; 0 means GOMAXPROCS.
var threads atomic.Int32

// SetThreads caps the number of goroutines (the caller included) that one
// Dgemm call uses and returns the previous cap; n ≤ 0 means GOMAXPROCS,
// the default. SetThreads(1) makes every product run on the calling
// goroutine, e.g. on a machine whose other cores are busy with other work.
func SetThreads(n int) int {
	return int(threads.Swap(int32(max(n, 0))))
}

// Panic messages, identical to gonum's so that callers see the same text
// whichever implementation is in use.
const (
	mLT0         = "blas: m < 0"
	nLT0         = "blas: n < 0"
	kLT0         = "blas: k < 0"
	badTranspose = "blas: illegal transpose"
	badLdA       = "blas: bad leading dimension of A"
	badLdB       = "blas: bad leading dimension of B"
	badLdC       = "blas: bad leading dimension of C"
	shortA       = "blas: insufficient length of a"
	shortB       = "blas: insufficient length of b"
	shortC       = "blas: insufficient length of c"
)

// isTrans reports whether t transposes its operand and panics with gonum's
// message for values that are not a blas.Transpose. Real matrices have no
// conjugate, so ConjTrans means Trans.
func isTrans(t blas.Transpose) bool {
	switch t {
	case blas.NoTrans:
		return false
	case blas.Trans, blas.ConjTrans:
		return true
	}
	panic(badTranspose)
}

// Dgemm performs one of the matrix-matrix operations
//
//	C = alpha * op(A) * op(B) + beta * C,   op(X) = X or Xᵀ
//
// where op(A) is m×k, op(B) is k×n and C is m×n, all row-major with leading
// dimensions lda, ldb, ldc. Arguments are checked in the same order and with
// the same panic messages as gonum's Dgemm. When beta == 0, C is not read
// (NaN or Inf in C does not propagate); when alpha == 0 or k == 0, A and B
// are not read and C is only scaled by beta.
func (Implementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	aTrans := isTrans(tA)
	bTrans := isTrans(tB)
	switch {
	case m < 0:
		panic(mLT0)
	case n < 0:
		panic(nLT0)
	case k < 0:
		panic(kLT0)
	}
	// op(A) is m×k: stored k×m when transposed.
	if aTrans && lda < max(1, m) || !aTrans && lda < max(1, k) {
		panic(badLdA)
	}
	if bTrans && ldb < max(1, k) || !bTrans && ldb < max(1, n) {
		panic(badLdB)
	}
	if ldc < max(1, n) {
		panic(badLdC)
	}
	if m == 0 || n == 0 {
		return
	}
	// The length checks hold trivially for k == 0 (gonum's convention).
	if aTrans && len(a) < (k-1)*lda+m || !aTrans && len(a) < (m-1)*lda+k {
		panic(shortA)
	}
	if bTrans && len(b) < (n-1)*ldb+k || !bTrans && len(b) < (k-1)*ldb+n {
		panic(shortB)
	}
	if len(c) < (m-1)*ldc+n {
		panic(shortC)
	}

	if alpha == 0 || k == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}

	// Describe both operands by element strides so the driver never needs
	// to know about transposes: op(A)(i,p) = a[i*ars+p*aks] and
	// op(B)(p,j) = b[p*bks+j*bjs].
	ars, aks := lda, 1
	if aTrans {
		ars, aks = 1, lda
	}
	bks, bjs := ldb, 1
	if bTrans {
		bks, bjs = 1, ldb
	}
	kn := current.Load()
	if kn.fn == nil { // the "gonum" kernel
		gonum.Implementation{}.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gemm(kn, m, n, k, alpha, operand{a, ars, aks}, operand{b, bks, bjs}, beta, c, ldc)
}

// scaleC sets C = beta·C, writing zeros (not reading C) when beta == 0.
func scaleC(m, n int, beta float64, c []float64, ldc int) {
	if beta == 1 {
		return
	}
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}
