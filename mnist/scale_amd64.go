//go:build amd64 && !purego

package mnist

import "golang.org/x/sys/cpu"

// scaleAVX2 (scale_amd64.s) sets dst[j] = src[j]/255 for j < n, n a
// positive multiple of 8, and prefetches next[0..n) (only a hint to the
// cache: nothing is read from it, and a prefetch never faults), 8 bytes a
// step: widened to float64 (VPMOVZXBD,
// VCVTDQ2PD), then divided by 255 as q = x·r, q += (x − 255·q)·r with
// r = 1/255 rounded: one correction step of Markstein's division, which
// gives the correctly rounded x/255, the same bits as the division, for
// each of the 256 possible bytes (TestScaleExact checks them all).
//
//go:noescape
func scaleAVX2(dst *float64, src *byte, n int, r, d float64, next *byte)

var haveAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// scale sets dst[j] = src[j]/255 for len(src) == len(dst): with AVX2 and
// FMA, 8 bytes an instruction sequence, no branch, while the row to be
// scaled next (next, nil if none) is prefetched: the rows of a batch are
// drawn at random from 47 MB of images, so each would start with cache
// misses. Else, and for the tail of fewer than 8 bytes, scaleGo.
//
// A 200×784 batch of the embedded set: 48 µs against scaleGo's 72–78
// (BenchmarkBatch, the builds alternated); in a training epoch, where the
// batch is written to memory and its rows missed, the gather took 40–54 ms
// per epoch with the prefetch and 60–79 ms without (gathered on Train's
// goroutine so as to be timed, three runs alternated).
func scale(dst []float64, src, next []byte) {
	dst = dst[:len(src)]
	n := 0
	if haveAVX2 {
		n = len(src) &^ 7
	}
	if n > 0 {
		pf := &src[0]
		if len(next) >= n {
			pf = &next[0]
		}
		scaleAVX2(&dst[0], &src[0], n, 1.0/255, 255, pf)
	}
	scaleGo(dst[n:], src[n:])
}
