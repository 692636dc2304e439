package fastblas

// The parallel side of gemm: a call's blocks are claimed by the caller and
// by a pool of worker goroutines that live for the whole process.

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// waitSpin is how long a caller spins for the workers before it blocks.
const waitSpin = 20 * time.Microsecond

// call is one parallel Dgemm: its arguments and the claiming state of its
// blocks. Calls are recycled through callPool once the caller and every
// worker it was handed to have let go of it, so Dgemm does not allocate.
type call struct {
	kn                 *kernel
	m, n, k            int
	alpha, beta        float64
	a, b               operand
	c                  []float64
	ldc                int
	splitN             bool
	tiles, unit, parts int
	zs                 side // the side whose zeros may be skipped

	// task, if not nil, makes the call one block that runs task.Run
	// instead of a product (Overlap).
	task Task

	next atomic.Int32 // blocks claimed so far
	done atomic.Int32 // blocks finished
	refs atomic.Int32 // goroutines still holding the call

	// wake receives a token from whoever finishes the last block, for a
	// caller that stopped spinning. It is kept across uses of the call.
	wake chan struct{}
}

var callPool = sync.Pool{New: func() any { return new(call) }}

// work claims and computes blocks until none is left.
func (cl *call) work() {
	for {
		w := int(cl.next.Add(1)) - 1
		if w >= cl.parts {
			return
		}
		if cl.task != nil {
			cl.task.Run()
			cl.finish()
			continue
		}
		lo := w * cl.tiles / cl.parts * cl.unit
		hi := (w + 1) * cl.tiles / cl.parts * cl.unit
		if cl.splitN {
			hi = min(hi, cl.n)
			gemmSerial(cl.kn, cl.m, hi-lo, cl.k, cl.alpha, cl.a, operand{cl.b.at(0, lo), cl.b.rs, cl.b.cs}, cl.beta, cl.c[lo:], cl.ldc, cl.zs)
		} else {
			hi = min(hi, cl.m)
			gemmSerial(cl.kn, hi-lo, cl.n, cl.k, cl.alpha, operand{cl.a.at(lo, 0), cl.a.rs, cl.a.cs}, cl.b, cl.beta, cl.c[lo*cl.ldc:], cl.ldc, cl.zs)
		}
		cl.finish()
	}
}

// finish counts one block done and wakes a blocked caller after the last.
func (cl *call) finish() {
	if cl.done.Add(1) == int32(cl.parts) {
		select {
		case cl.wake <- struct{}{}:
		default:
		}
	}
}

// newCall returns a call from the pool, its wake channel kept and drained.
func newCall() *call {
	cl := callPool.Get().(*call)
	wake := cl.wake
	if wake == nil {
		wake = make(chan struct{}, 1)
	}
	select { // drop a token left by the previous use
	case <-wake:
	default:
	}
	*cl = call{wake: wake}
	return cl
}

// handOut gives cl to helpers workers, computes what blocks are left on
// the caller, waits for the blocks that workers are still computing and
// lets go of cl. Spin first: parking and being woken costs tens of µs, a
// large share of a 200×96×784 product, and on a quiet machine the blocks
// end within µs of each other. Then block: a worker still busy after
// waitSpin has probably been preempted, and a caller spinning on its core
// would keep the OS from running the worker there. between, if not nil,
// runs on the caller after the hand-out and before it claims blocks.
func (cl *call) handOut(helpers int, between Task) {
	workers.ensure(helpers)
	cl.refs.Store(int32(helpers + 1))
	for range helpers {
		workers.calls <- cl
	}
	if between != nil {
		between.Run()
	}
	cl.work()
	start := time.Now()
	for i := 1; cl.done.Load() != int32(cl.parts); i++ {
		if i%256 == 0 {
			if time.Since(start) > waitSpin {
				<-cl.wake
				break
			}
			runtime.Gosched()
		}
	}
	cl.release()
}

// Task is work that Overlap can hand to another goroutine. A pointer to a
// struct that holds the arguments (kept between calls) makes a Task
// without allocating, where a closure handed to another goroutine would
// escape to the heap on every call.
type Task interface{ Run() }

// Overlap runs t and u, which must be independent (neither reads what the
// other writes), at the same time if it can: t is offered to a worker
// goroutine of the pool while the caller runs u, and the caller runs t
// itself if no worker has taken it by then, so nothing waits for a worker
// that the OS has not scheduled. It returns when both are done. The
// results are those of t.Run(); u.Run() whoever runs t. With one
// goroutine allowed (GOMAXPROCS or SetThreads) it runs them in that order.
//
// In a training step, ∂E/∂W⁽²⁾ = Δ⁽²⁾ᵀ·A⁽¹⁾ and Δ⁽²⁾·W⁽²⁾ are such a pair:
// two products too small (10×96×200, 200×96×10) to split one across
// cores with profit.
func Overlap(t, u Task) {
	procs := runtime.GOMAXPROCS(0)
	if n := int(threads.Load()); n > 0 {
		procs = min(procs, n)
	}
	if procs < 2 {
		t.Run()
		u.Run()
		return
	}
	cl := newCall()
	cl.task, cl.parts = t, 1
	cl.handOut(1, u)
}

func (cl *call) release() {
	if cl.refs.Add(-1) == 0 {
		*cl = call{wake: cl.wake}
		callPool.Put(cl)
	}
}

// workers is a small persistent pool of goroutines that help with calls,
// grown on demand to GOMAXPROCS-1. A call is handed over as a pointer
// through a buffered channel, so this allocates nothing. After a call a
// worker keeps polling for the next one for about spinTime (100µs) before
// it blocks: the products of a training step come back to back, and a
// worker that is still awake starts within a µs instead of the tens of µs
// a wake-up takes. Idle workers block on the channel for the rest of the
// process, like the threads of any multithreaded BLAS.
var workers workerPool

const spinTime = 100 * time.Microsecond

type workerPool struct {
	mu    sync.Mutex
	n     atomic.Int32
	calls chan *call
}

func (p *workerPool) ensure(n int) {
	if int(p.n.Load()) >= n {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.calls == nil {
		// Large enough that a caller never blocks handing out a call.
		p.calls = make(chan *call, 256)
	}
	for int(p.n.Load()) < n {
		p.n.Add(1)
		go p.work()
	}
}

func (p *workerPool) work() {
	for {
		cl := <-p.calls
		for cl != nil {
			cl.work()
			cl.release()
			cl = p.poll()
		}
	}
}

// poll waits up to spinTime for a call without blocking the thread. A
// non-blocking receive on an empty channel takes no lock, so polling is
// cheap; Gosched now and then keeps other goroutines on this P going.
func (p *workerPool) poll() *call {
	start := time.Now()
	for i := 1; ; i++ {
		select {
		case cl := <-p.calls:
			return cl
		default:
		}
		if i%256 == 0 {
			if time.Since(start) > spinTime {
				return nil
			}
			runtime.Gosched()
		}
	}
}
