package fastblas

import (
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/backprop-lab/backprop/nn/nntest"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// taskFunc makes a Task of a function, for tests (it allocates).
type taskFunc func()

func (f taskFunc) Run() { f() }

// TestOverlapRunsOnTwoGoroutines: with two cores, t runs while u is still
// running. u waits for t to start: run one after the other, that wait
// would time out.
func TestOverlapRunsOnTwoGoroutines(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs GOMAXPROCS ≥ 2 (the single-goroutine order is TestOverlapOneThread's)")
	}
	for range 20 {
		started := make(chan struct{})
		var concurrent bool
		Overlap(taskFunc(func() { close(started) }), taskFunc(func() {
			select {
			case <-started:
				concurrent = true
			case <-time.After(10 * time.Second):
			}
		}))
		if !concurrent {
			t.Fatal("Overlap ran t only after u: no worker took it within 10 s")
		}
	}
}

// TestOverlapOneThread: with one goroutine allowed, t then u on the caller.
func TestOverlapOneThread(t *testing.T) {
	defer SetThreads(SetThreads(1))
	var order []string
	Overlap(taskFunc(func() { order = append(order, "t") }), taskFunc(func() { order = append(order, "u") }))
	if len(order) != 2 || order[0] != "t" || order[1] != "u" {
		t.Errorf("order %v, want [t u]", order)
	}
}

// gemmTask is C = A·B through Dgemm, as a Task.
type gemmTask struct {
	m, n, k int
	a, b, c []float64
}

func (g *gemmTask) Run() {
	Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, g.m, g.n, g.k, 1, g.a, g.k, g.b, g.n, 0, g.c, g.n)
}

// TestOverlapProducts: two products, one of them big enough to split across
// the workers itself (a Dgemm inside a Task must not wait for a worker that
// is busy with the other Task), both equal to gonum's, many times over, with
// each task claimed by whoever gets there first.
func TestOverlapProducts(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	mk := func(m, n, k int) *gemmTask {
		return &gemmTask{m, n, k, randSlice(r, m*k), randSlice(r, k*n), make([]float64, m*n)}
	}
	big, small := mk(200, 96, 784), mk(10, 96, 200)
	want := func(g *gemmTask) []float64 {
		c := make([]float64, g.m*g.n)
		gonum.Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, g.m, g.n, g.k, 1, g.a, g.k, g.b, g.n, 0, c, g.n)
		return c
	}
	wantBig, wantSmall := want(big), want(small)
	for i := range 50 {
		clear(big.c)
		clear(small.c)
		if i%2 == 0 {
			Overlap(big, small)
		} else {
			Overlap(small, big)
		}
		for _, p := range []struct {
			got, want []float64
		}{{big.c, wantBig}, {small.c, wantSmall}} {
			for j := range p.got {
				if d := p.got[j] - p.want[j]; d > 1e-9 || d < -1e-9 {
					t.Fatalf("run %d: element %d = %v, want %v", i, j, p.got[j], p.want[j])
				}
			}
		}
	}
}

type countTask struct{ n atomic.Int32 }

func (c *countTask) Run() { c.n.Add(1) }

// TestOverlapNoAlloc: handing out pointer Tasks allocates nothing, and each
// task runs exactly once per call.
func TestOverlapNoAlloc(t *testing.T) {
	if nntest.RaceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector; the run without -race checks this")
	}
	var a, b countTask
	allocs := testing.AllocsPerRun(200, func() { Overlap(&a, &b) })
	if allocs >= 0.5 {
		t.Errorf("%.2f allocations per Overlap, want 0", allocs)
	}
	if a.n.Load() != b.n.Load() || a.n.Load() < 200 {
		t.Errorf("t ran %d times, u %d, want the same, ≥ 200", a.n.Load(), b.n.Load())
	}
}

// BenchmarkOverlap times the output layer's two backward products of
// 784-96-10 at batch 200 (∂E/∂W⁽²⁾ = Δ⁽²⁾ᵀ·A⁽¹⁾, 10×96×200, and Δ⁽²⁾·W⁽²⁾,
// 200×96×10) one after the other and overlapped, in one binary.
func BenchmarkOverlap(b *testing.B) {
	r := rand.New(rand.NewPCG(6, 6))
	mk := func(m, n, k int) *gemmTask {
		return &gemmTask{m, n, k, randSlice(r, m*k), randSlice(r, k*n), make([]float64, m*n)}
	}
	dw, gx := mk(10, 96, 200), mk(200, 96, 10)
	b.Run("serial", func(b *testing.B) {
		for b.Loop() {
			dw.Run()
			gx.Run()
		}
	})
	b.Run("overlap", func(b *testing.B) {
		for b.Loop() {
			Overlap(dw, gx)
		}
	})
}
