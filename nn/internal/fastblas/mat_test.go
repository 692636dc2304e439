package fastblas_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/backprop-lab/backprop/nn/internal/fastblas"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/mat"
)

// TestMatPlumbing proves that blas64.Use routes gonum/mat products through
// fastblas: the forward product V = X·Wᵀ of a layer (one example per row)
// matches a naive triple loop, and a counting wrapper sees the Dgemm call.
func TestMatPlumbing(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 9))
	x := mat.NewDense(200, 784, nil) // a batch, one example per row
	w := mat.NewDense(96, 784, nil)  // W⁽¹⁾: n_out×n_in
	for _, m := range []*mat.Dense{x, w} {
		r, c := m.Dims()
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				m.Set(i, j, rnd.Float64()-0.5)
			}
		}
	}

	counter := &countingBLAS{}
	blas64.Use(counter)
	defer blas64.Use(gonum.Implementation{})

	var v mat.Dense
	v.Mul(x, w.T()) // V = X·Wᵀ: (200×784)·(784×96) → 200×96
	if counter.dgemm != 1 {
		t.Fatalf("mat.Mul made %d Dgemm calls through blas64, want 1", counter.dgemm)
	}
	for i := 0; i < 200; i++ {
		for j := 0; j < 96; j++ {
			var s float64
			for p := 0; p < 784; p++ {
				s += x.At(i, p) * w.At(j, p)
			}
			// 784 products of magnitude ≤ 0.25: a 1e-12 absolute tolerance is
			// ~100× the worst rounding difference (784·2⁻⁵³·0.25·784/4).
			if d := v.At(i, j) - s; d > 1e-12 || d < -1e-12 {
				t.Fatalf("V[%d,%d] = %v, want %v", i, j, v.At(i, j), s)
			}
		}
	}
}

// countingBLAS counts Dgemm calls and forwards them to fastblas.
type countingBLAS struct {
	fastblas.Implementation
	dgemm int
}

func (c *countingBLAS) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, cc []float64, ldc int) {
	c.dgemm++
	c.Implementation.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, cc, ldc)
}

// Example shows the one line that makes every gonum/mat product use
// fastblas.
func Example() {
	blas64.Use(fastblas.Implementation{})
	defer blas64.Use(gonum.Implementation{})

	a := mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6})
	b := mat.NewDense(2, 3, []float64{1, 0, 1, 0, 1, 0})
	var c mat.Dense
	c.Mul(a, b.T()) // (2×3)·(3×2) → 2×2
	fmt.Println(mat.Formatted(&c))
	// Output:
	// ⎡ 4   2⎤
	// ⎣10   5⎦
}

// BenchmarkMatStep runs the five gonum/mat products of one training step
// of the 784-96-10 MLP (batch 200, one example per row) into reused
// receivers, as the trainer does, and reports the product time of a
// 300-step epoch, with fastblas and with gonum's own BLAS.
func BenchmarkMatStep(b *testing.B) {
	rnd := rand.New(rand.NewPCG(4, 4))
	randDense := func(r, c int) *mat.Dense {
		d := make([]float64, r*c)
		for i := range d {
			d[i] = rnd.Float64() - 0.5
		}
		return mat.NewDense(r, c, d)
	}
	x, w1, w2 := randDense(200, 784), randDense(96, 784), randDense(10, 96)
	d2 := randDense(200, 10)
	a1 := randDense(200, 96)
	d1 := randDense(200, 96)
	v1, v2 := mat.NewDense(200, 96, nil), mat.NewDense(200, 10, nil)
	dw1, dw2, g1 := mat.NewDense(96, 784, nil), mat.NewDense(10, 96, nil), mat.NewDense(200, 96, nil)
	for _, impl := range []struct {
		name string
		impl blas.Float64
	}{{"fastblas", fastblas.Implementation{}}, {"gonum", gonum.Implementation{}}} {
		b.Run(impl.name, func(b *testing.B) {
			blas64.Use(impl.impl)
			defer blas64.Use(gonum.Implementation{})
			for b.Loop() {
				v1.Mul(x, w1.T())   // V⁽¹⁾ = X·W⁽¹⁾ᵀ   (200×784)·(784×96)
				v2.Mul(a1, w2.T())  // V⁽²⁾ = A⁽¹⁾·W⁽²⁾ᵀ (200×96)·(96×10)
				dw2.Mul(d2.T(), a1) // ∂E/∂W⁽²⁾ = δ⁽²⁾ᵀ·A⁽¹⁾ (10×200)·(200×96)
				g1.Mul(d2, w2)      // δ⁽²⁾·W⁽²⁾ (200×10)·(10×96)
				dw1.Mul(d1.T(), x)  // ∂E/∂W⁽¹⁾ = δ⁽¹⁾ᵀ·X (96×200)·(200×784)
			}
			b.ReportMetric(300*b.Elapsed().Seconds()/float64(b.N)*1e3, "ms/epoch")
		})
	}
}
