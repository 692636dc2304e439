package fastblas

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

func TestQuick(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, kn := range Kernels() {
		SetKernel(kn)
		for _, sh := range [][3]int{{6, 8, 5}, {7, 9, 3}, {200, 96, 784}, {96, 784, 200}, {13, 17, 300}} {
			m, n, k := sh[0], sh[1], sh[2]
			for _, ta := range []blas.Transpose{blas.NoTrans, blas.Trans} {
				for _, tb := range []blas.Transpose{blas.NoTrans, blas.Trans} {
					a := make([]float64, m*k)
					b := make([]float64, k*n)
					for i := range a {
						a[i] = r.NormFloat64()
					}
					for i := range b {
						b[i] = r.NormFloat64()
					}
					lda, ldb := k, n
					if ta == blas.Trans {
						lda = m
					}
					if tb == blas.Trans {
						ldb = k
					}
					c1 := make([]float64, m*n)
					c2 := make([]float64, m*n)
					for i := range c1 {
						c1[i] = r.NormFloat64()
						c2[i] = c1[i]
					}
					Implementation{}.Dgemm(ta, tb, m, n, k, 1.5, a, lda, b, ldb, 0.5, c1, n)
					gonum.Implementation{}.Dgemm(ta, tb, m, n, k, 1.5, a, lda, b, ldb, 0.5, c2, n)
					var md float64
					for i := range c1 {
						md = math.Max(md, math.Abs(c1[i]-c2[i]))
					}
					if md > 1e-10 {
						t.Errorf("%s %v %v %v: maxdiff %g", kn, sh, ta, tb, md)
					}
				}
			}
		}
	}
}
