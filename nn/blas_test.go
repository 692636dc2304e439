package nn_test

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/nn"
	"github.com/backprop-lab/backprop/nn/internal/fastblas"
	"github.com/backprop-lab/backprop/nn/nntest"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/mat"
)

// stepProducts runs one forward and backward pass of a 784→96 ReLU layer on
// a batch of 200 (the lab's first-layer shapes) and returns copies of the
// three matrix products of a training step, U = X·Wᵀ, ∂E/∂W = δᵀ·X and
// ∂E/∂X = δ·W, with the layer's X, W and δ.
func stepProducts() (u, dw, gx, x, w, delta *mat.Dense) {
	x, _ = nntest.RandomBatch(1, 200, 784, 10)
	g, _ := nntest.RandomBatch(2, 200, 96, 10)
	d := nn.NewDense(784, 96, nn.ReLU)
	wx, _ := nntest.RandomBatch(3, 96, 784, 10)
	d.W.Copy(wx)
	d.Forward(x)
	gx = mat.DenseCopyOf(d.Backward(g))
	return mat.DenseCopyOf(d.U()), mat.DenseCopyOf(d.DW), gx, x, d.W, mat.DenseCopyOf(d.Delta())
}

// gonumGemm computes alpha·op(A)·op(B) with gonum's own Dgemm directly.
func gonumGemm(tA, tB blas.Transpose, a, b *mat.Dense) *mat.Dense {
	ra, rb := a.RawMatrix(), b.RawMatrix()
	m, k := ra.Rows, ra.Cols
	if tA == blas.Trans {
		m, k = k, m
	}
	n := rb.Cols
	if tB == blas.Trans {
		n = rb.Rows
	}
	c := mat.NewDense(m, n, nil)
	gonum.Implementation{}.Dgemm(tA, tB, m, n, k, 1, ra.Data, ra.Stride, rb.Data, rb.Stride, 0, c.RawMatrix().Data, n)
	return c
}

// maxBitDiff returns the largest |a−b| over the elements and whether some
// element differs in any bit.
func maxBitDiff(a, b *mat.Dense) (worst float64, differ bool) {
	ra, rb := a.RawMatrix().Data, b.RawMatrix().Data
	for i := range ra {
		if math.Float64bits(ra[i]) != math.Float64bits(rb[i]) {
			differ = true
		}
		worst = math.Max(worst, math.Abs(ra[i]-rb[i]))
	}
	return worst, differ
}

// TestUseGonumBLASGivesGonumResults: after UseGonumBLAS, the three products
// of a training step are bit for bit what gonum's own Dgemm computes; after
// UseFastBLAS they agree with it to rounding (and, with a vector kernel,
// differ in the last bits: the switch really switches).
func TestUseGonumBLASGivesGonumResults(t *testing.T) {
	defer blas64.Use(blas64.Implementation())

	nn.UseGonumBLAS()
	if _, ok := blas64.Implementation().(gonum.Implementation); !ok {
		t.Fatalf("after UseGonumBLAS, blas64 uses %T, want gonum.Implementation", blas64.Implementation())
	}
	u, dw, gx, x, w, delta := stepProducts()
	want := []*mat.Dense{
		gonumGemm(blas.NoTrans, blas.Trans, x, w),       // U = X·Wᵀ
		gonumGemm(blas.Trans, blas.NoTrans, delta, x),   // ∂E/∂W = δᵀ·X
		gonumGemm(blas.NoTrans, blas.NoTrans, delta, w), // ∂E/∂X = δ·W
	}
	names := []string{"U = X·Wᵀ", "∂E/∂W = δᵀ·X", "∂E/∂X = δ·W"}
	for i, got := range []*mat.Dense{u, dw, gx} {
		if worst, differ := maxBitDiff(got, want[i]); differ {
			t.Errorf("gonum BLAS: %s differs from gonum's Dgemm by up to %.3g; want identical bits", names[i], worst)
		}
	}

	nn.UseFastBLAS()
	if _, ok := blas64.Implementation().(gonum.Implementation); ok {
		t.Fatal("after UseFastBLAS, blas64 still uses gonum.Implementation")
	}
	u, dw, gx, _, _, _ = stepProducts()
	anyDiffer := false
	for i, got := range []*mat.Dense{u, dw, gx} {
		worst, differ := maxBitDiff(got, want[i])
		anyDiffer = anyDiffer || differ
		// Entries are sums of ≤ 784 products of O(1) values: 1e-11 is
		// rounding-level agreement, far below any real difference.
		if worst > 1e-11 {
			t.Errorf("fast BLAS: %s differs from gonum's Dgemm by up to %.3g", names[i], worst)
		}
	}
	t.Logf("fast BLAS differs from gonum's in the last bits: %v", anyDiffer)
}

// TestEnvBLAS starts this test binary again with $BACKPROP_BLAS set and
// checks which BLAS the package's init left in place, and that a bad value
// stops the program with a message naming the variable and the value.
func TestEnvBLAS(t *testing.T) {
	for _, tc := range []struct {
		value, want string
		fail        bool
	}{
		{"gonum", "gonum.Implementation", false},
		{"fast", "fastblas.Implementation, zero skipping true", false},
		{"", "fastblas.Implementation, zero skipping true", false},
		{"dense", "fastblas.Implementation, zero skipping false", false},
		{"mkl", `nn: $BACKPROP_BLAS="mkl": want "gonum"`, true},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestBLASInUseChild$", "-test.v")
		cmd.Env = append(os.Environ(), nn.EnvBLAS+"="+tc.value, "NN_BLAS_CHILD=1")
		out, err := cmd.CombinedOutput()
		if (err != nil) != tc.fail || !strings.Contains(string(out), tc.want) {
			t.Errorf("%s=%q: error %v, output:\n%s\nwant failure=%v and output containing %q", nn.EnvBLAS, tc.value, err, out, tc.fail, tc.want)
		}
	}
}

// TestBLASInUseChild is TestEnvBLAS's child process: it prints the BLAS
// implementation in use. Run on its own it has nothing to check.
func TestBLASInUseChild(t *testing.T) {
	if os.Getenv("NN_BLAS_CHILD") == "" {
		t.Skip("the child process of TestEnvBLAS")
	}
	fmt.Printf("BLAS in use: %T, zero skipping %v\n", blas64.Implementation(), fastblas.ZeroSkip())
}

// recordingBLAS wraps the BLAS in use and records the shape of every
// Dgemm, with no lock: like a wrapper a program might install to count or
// trace products, it is not safe for concurrent use.
type recordingBLAS struct {
	blas.Float64
	calls  *[]string
	inside *int
}

func (r recordingBLAS) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	*r.inside++
	if *r.inside > 1 {
		*r.calls = append(*r.calls, "overlapping calls")
	}
	*r.calls = append(*r.calls, fmt.Sprintf("%d×%d×%d", m, n, k))
	r.Float64.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	*r.inside--
}

// A BLAS that a program installs (blas64.Use) gets a training step's
// products one at a time and in the order a serial program issues them:
// nn runs two products at once only on its own BLAS, which is safe for it.
// (Without that rule the output layer's ∂E/∂W and ∂E/∂X products reached
// such a wrapper from two goroutines, in either order, run to run.)
func TestInstalledBLASSeesProductsInOrder(t *testing.T) {
	defer blas64.Use(blas64.Implementation())
	net := nn.MustNew(nn.Config{Sizes: []int{784, 96, 10}, Seed: 1})
	x, labels := nntest.RandomBatch(4, 200, 784, 10)
	var want []string
	for run := range 50 {
		var calls []string
		inside := 0
		blas64.Use(recordingBLAS{blas64.Implementation(), &calls, &inside})
		net.Forward(x)
		net.Backward(labels)
		blas64.Use(blas64.Implementation().(recordingBLAS).Float64)
		got := strings.Join(calls, ", ")
		if strings.Contains(got, "overlapping") {
			t.Fatalf("run %d: products reached the installed BLAS concurrently: %s", run, got)
		}
		if run == 0 {
			want = calls
			continue
		}
		if got != strings.Join(want, ", ") {
			t.Fatalf("run %d: products in the order %s, run 0 had %s", run, got, strings.Join(want, ", "))
		}
	}
	// Backward issues ∂E/∂W⁽²⁾ = Δᵀ·A (10×96×200) before ∂E/∂A = Δ·W (200×96×10).
	if len(want) != 5 || want[2] != "10×96×200" || want[3] != "200×96×10" {
		t.Fatalf("products %v, want forward's two, then 10×96×200, 200×96×10, 96×784×200", want)
	}
}
