package fastblas

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/backprop-lab/backprop/nn/nntest"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

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

// BenchmarkStep runs the five Dgemm calls of one training step of the
// 784-96-10 MLP (batch 200) and reports the GEMM time of a 300-step epoch.
func BenchmarkStep(b *testing.B) {
	impls := []struct {
		name string
		impl dgemmer
	}{
		{"fastblas", Implementation{}},
		{"gonum", gonum.Implementation{}},
	}
	type op struct {
		tA, tB        blas.Transpose
		m, n, k       int
		a, b, c       []float64
		lda, ldb, ldc int
	}
	r := rand.New(rand.NewPCG(2, 2))
	var ops []op
	for _, s := range benchShapes[:5] {
		o := op{tA: s.tA, tB: s.tB, m: s.m, n: s.n, k: s.k, lda: s.k, ldb: s.n, ldc: s.n}
		if s.tA != blas.NoTrans {
			o.lda = s.m
		}
		if s.tB != blas.NoTrans {
			o.ldb = s.k
		}
		o.a, o.b, o.c = randSlice(r, s.m*s.k), randSlice(r, s.k*s.n), randSlice(r, s.m*s.n)
		ops = append(ops, o)
	}
	for _, im := range impls {
		b.Run(im.name, func(b *testing.B) {
			var flops float64
			for b.Loop() {
				for _, o := range ops {
					im.impl.Dgemm(o.tA, o.tB, o.m, o.n, o.k, 1, o.a, o.lda, o.b, o.ldb, 0, o.c, o.ldc)
				}
			}
			for _, o := range ops {
				flops += 2 * float64(o.m*o.n*o.k)
			}
			sec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(flops/sec/1e9, "GFLOP/s")
			b.ReportMetric(300*sec*1e3, "ms/epoch")
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
	reportPeak(b, gflops)
}

func randSlice(r *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = r.Float64()*2 - 1
	}
	return s
}

// TestBestOf prints, for each step shape, the best and the median time of
// fastblas on one core and on GOMAXPROCS cores and of gonum's Dgemm, the
// variants interleaved in short batches for a few seconds per shape. On a
// shared, busy machine these are steadier figures than benchmark means,
// and the interleaving exposes all variants to the same load. Between
// batches it also times 1 ms bursts of the kernel's FMA peak loop (see
// measurePeak), and %peak divides each best time by the best burst of the
// run on as many cores. It runs only when asked:
//
//	FASTBLAS_BESTOF=1 go test -run TestBestOf -v ./nn/internal/fastblas/
//
// FASTBLAS_BESTOF=N sets the seconds per shape (default 5).
func TestBestOf(t *testing.T) {
	secs, _ := strconv.Atoi(os.Getenv("FASTBLAS_BESTOF"))
	if secs == 0 {
		t.Skip("set FASTBLAS_BESTOF=1 (or a number of seconds per shape) to run")
	}
	if secs == 1 {
		secs = 5
	}
	procs := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(procs)
	variants := []struct {
		name  string
		impl  dgemmer
		procs int
	}{
		{"fastblas 1 core", Implementation{}, 1},
		{fmt.Sprintf("fastblas %d cores", procs), Implementation{}, procs},
		{fmt.Sprintf("gonum %d cores", procs), gonum.Implementation{}, procs},
	}
	// The peak is measured like the products: best of bursts interleaved
	// with them, so that it sees the same load (see measurePeak).
	kn := current.Load()
	if kn.peakLoop == nil {
		t.Fatalf("kernel %s has no peak loop", kn.name)
	}
	peak := map[int]float64{}
	iters := peakIters(kn)
	var report []func()
	r := rand.New(rand.NewPCG(1, 1))
	for _, s := range benchShapes {
		m, n, k := s.m, s.n, s.k
		a, b, c := randSlice(r, m*k), randSlice(r, k*n), randSlice(r, m*n)
		lda, ldb := k, n
		if s.tA != blas.NoTrans {
			lda = m
		}
		if s.tB != blas.NoTrans {
			ldb = k
		}
		times := make([][]time.Duration, len(variants))
		deadline := time.Now().Add(time.Duration(secs) * time.Second)
		for time.Now().Before(deadline) {
			for i, v := range variants {
				runtime.GOMAXPROCS(v.procs)
				peak[v.procs] = max(peak[v.procs], burstRate(kn, v.procs, iters))
				// Batches of ≥ 20 calls or ≥ 20 ms: the first call after a
				// GOMAXPROCS change may wait for the scheduler.
				for start, j := time.Now(), 0; j < 20 || time.Since(start) < 20*time.Millisecond; j++ {
					t0 := time.Now()
					v.impl.Dgemm(s.tA, s.tB, m, n, k, 1, a, lda, b, ldb, 0, c, n)
					times[i] = append(times[i], time.Since(t0))
				}
			}
		}
		flop := 2 * float64(m) * float64(n) * float64(k)
		report = append(report, func() {
			t.Logf("%s %d×%d×%d (%c%c):", s.name, m, n, k, s.tA, s.tB)
			for i, v := range variants {
				ts := times[i]
				slices.Sort(ts)
				best, p50 := ts[0], ts[len(ts)/2]
				t.Logf("    %-17s best %9.1fµs %6.1f GFLOP/s %5.1f%%peak   median %9.1fµs %6.1f GFLOP/s   (%d calls)",
					v.name, us(best), flop/float64(best.Nanoseconds()),
					100*flop/float64(best.Nanoseconds())/peak[v.procs],
					us(p50), flop/float64(p50.Nanoseconds()), len(ts))
			}
		})
	}
	// %peak divides by the best burst of the whole run.
	t.Logf("%s FMA peak (best 1 ms burst): %.1f GFLOP/s on 1 core, %.1f on %d cores", kn.name, peak[1], peak[procs], procs)
	for _, f := range report {
		f()
	}
}

func us(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }

// TestDgemmNoAlloc checks that steady-state calls, serial and parallel,
// allocate nothing.
func TestDgemmNoAlloc(t *testing.T) {
	if nntest.RaceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector; the run without -race checks this")
	}
	r := rand.New(rand.NewPCG(3, 3))
	for _, s := range benchShapes[:5] {
		m, n, k := s.m, s.n, s.k
		a, b, c := randSlice(r, m*k), randSlice(r, k*n), randSlice(r, m*n)
		lda, ldb := k, n
		if s.tA != blas.NoTrans {
			lda = m
		}
		if s.tB != blas.NoTrans {
			ldb = k
		}
		allocs := testing.AllocsPerRun(50, func() {
			Implementation{}.Dgemm(s.tA, s.tB, m, n, k, 1, a, lda, b, ldb, 0, c, n)
		})
		// A GC during the run may empty the buffer pool once; allow for
		// that but not for a per-call allocation.
		if allocs >= 0.5 {
			t.Errorf("%s: %.2f allocations per call, want 0", s.name, allocs)
		}
	}
}
