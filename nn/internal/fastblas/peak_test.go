package fastblas

import (
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// peakBurst runs kn.peakLoop(iters) on procs goroutines at once, each
// locked to its own OS thread, and returns the wall time from the common
// start to the last one's end.
func peakBurst(kn *kernel, procs, iters int) time.Duration {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(procs)
	done.Add(procs)
	for range procs {
		go func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			ready.Done()
			<-start
			kn.peakLoop(iters)
			done.Done()
		}()
	}
	ready.Wait()
	t0 := time.Now()
	close(start)
	done.Wait()
	return time.Since(t0)
}

// measurePeak returns the float64 FMA peak in GFLOP/s of procs cores for
// kn's vector width: the best of bursts of about 1 ms each of kn.peakLoop
// on every core at once, repeated for the duration budget (at least
// once). The best, not the mean: on a shared machine a burst is slowed by
// whatever else runs, never sped up, so the best burst is the closest to
// the hardware's rate; the budget must be long enough for all procs cores
// to be free together during one burst (with load average 20 on 2 cores,
// 100 ms sometimes was not). Compare it with the best times of a product
// (TestBestOf) for a fair fraction; benchmark means, which include the
// load, give a lower bound.
func measurePeak(kn *kernel, procs int, budget time.Duration) float64 {
	iters := peakIters(kn)
	var best float64
	for start := time.Now(); best == 0 || time.Since(start) < budget; {
		best = max(best, burstRate(kn, procs, iters))
	}
	return best
}

// peakIters returns a number of iterations of kn.peakLoop that takes
// about 1 ms.
func peakIters(kn *kernel) int {
	iters := 1 << 10
	for peakBurst(kn, 1, iters) < 100*time.Microsecond {
		iters *= 2
	}
	return 10 * iters
}

// burstRate runs one burst (peakBurst) and returns its rate in GFLOP/s.
func burstRate(kn *kernel, procs, iters int) float64 {
	d := peakBurst(kn, procs, iters)
	return float64(procs) * float64(iters) * float64(kn.peakFlops) / float64(d.Nanoseconds())
}

// peaks caches measurePeak per kernel and core count for one test binary
// run, so that every %peak figure of a run divides by the same peak,
// measured on this machine in the same run.
var peaks struct {
	sync.Mutex
	m map[[2]any]float64
}

// runPeak returns the measured peak of kn on procs cores (0 if kn has no
// peak loop), measuring it on first use.
func runPeak(kn *kernel, procs int) float64 {
	if kn.peakLoop == nil {
		return 0
	}
	peaks.Lock()
	defer peaks.Unlock()
	key := [2]any{kn.name, procs}
	if p, ok := peaks.m[key]; ok {
		return p
	}
	if peaks.m == nil {
		peaks.m = map[[2]any]float64{}
	}
	p := measurePeak(kn, procs, 2*time.Second)
	peaks.m[key] = p
	return p
}

// reportPeak adds the %peak metric: gflops against the measured peak of
// the current kernel on GOMAXPROCS cores.
func reportPeak(b *testing.B, gflops float64) {
	if p := runPeak(current.Load(), runtime.GOMAXPROCS(0)); p > 0 {
		b.ReportMetric(100*gflops/p, "%peak")
	}
}

// BenchmarkFMAPeak measures, for each kernel with a peak loop, the
// float64 FMA peak of this machine on one core and on GOMAXPROCS cores
// (best 1 ms burst of 100 ms per benchmark iteration, see measurePeak).
func BenchmarkFMAPeak(b *testing.B) {
	for _, kn := range kernels {
		if kn.peakLoop == nil {
			continue
		}
		for _, procs := range []int{1, runtime.GOMAXPROCS(0)} {
			b.Run(kn.name+"/cores="+strconv.Itoa(procs), func(b *testing.B) {
				var best float64
				for b.Loop() {
					best = max(best, measurePeak(kn, procs, 100*time.Millisecond))
				}
				b.ReportMetric(best, "GFLOP/s")
				b.ReportMetric(best/float64(procs), "GFLOP/s/core")
			})
		}
	}
}

// TestPeakLoops checks that every assembly (vector) kernel has a peak loop,
// so that the benchmarks report %peak for whichever kernel Dgemm selects,
// and that measuring it yields a positive, finite rate.
func TestPeakLoops(t *testing.T) {
	for _, kn := range kernels {
		if kn.name == "generic" || kn.name == "gonum" {
			continue
		}
		if kn.peakLoop == nil || kn.peakFlops <= 0 {
			t.Errorf("kernel %s: no peak loop", kn.name)
			continue
		}
		if p := measurePeak(kn, 1, 0); !(p > 0 && p < 1e6) {
			t.Errorf("kernel %s: measured peak %v GFLOP/s", kn.name, p)
		}
	}
}
