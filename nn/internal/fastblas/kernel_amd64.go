//go:build amd64 && !purego

package fastblas

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// kern6x8 is the AVX2+FMA micro-kernel in kernel_amd64.s. Strides are in
// bytes; see the comment there for the exact contract.
//
//go:noescape
func kern6x8(k int, a *float64, ars, aks int, b *float64, bks int, c *float64, ldc int, alpha, beta float64)

// kernAVX2 adapts kern6x8 to the kernelFunc contract (element strides,
// slices). The driver guarantees that every element the kernel touches lies
// inside the slices, so taking &s[0] is all the checking needed here.
func kernAVX2(k int, a []float64, ars, aks int, b []float64, bks int, c []float64, ldc int, alpha, beta float64) {
	const w = int(unsafe.Sizeof(float64(0)))
	kern6x8(k, &a[0], ars*w, aks*w, &b[0], bks*w, &c[0], ldc*w, alpha, beta)
}

// kern6x4 (kernel_amd64.s) is kern6x8 for a 6×4 tile: the right-edge
// kernel of B panels at most 4 columns wide.
//
//go:noescape
func kern6x4(k int, a *float64, ars, aks int, b *float64, bks int, c *float64, ldc int, alpha, beta float64)

func kernAVX2Half(k int, a []float64, ars, aks int, b []float64, bks int, c []float64, ldc int, alpha, beta float64) {
	const w = int(unsafe.Sizeof(float64(0)))
	kern6x4(k, &a[0], ars*w, aks*w, &b[0], bks*w, &c[0], ldc*w, alpha, beta)
}

// kern4x8 (kernel_amd64.s) is kern6x8 for a 4×8 tile: the bottom-edge
// kernel of A panels at most 4 rows high.
//
//go:noescape
func kern4x8(k int, a *float64, ars, aks int, b *float64, bks int, c *float64, ldc int, alpha, beta float64)

func kernAVX2Short(k int, a []float64, ars, aks int, b []float64, bks int, c []float64, ldc int, alpha, beta float64) {
	const w = int(unsafe.Sizeof(float64(0)))
	kern4x8(k, &a[0], ars*w, aks*w, &b[0], bks*w, &c[0], ldc*w, alpha, beta)
}

// kern6x8OffB (kernel_amd64.s) is kern6x8 with the B row of step p at a
// byte offset off[p].
//
//go:noescape
func kern6x8OffB(k int, a *float64, ars, aks int, b *float64, off *int, c *float64, ldc int, alpha, beta float64)

// kernAVX2OffB adapts it to the kernel's fnOffB contract. The driver
// guarantees that every offset lies inside b (off holds at least k
// offsets).
func kernAVX2OffB(k int, a []float64, ars, aks int, b []float64, off []int, c []float64, ldc int, alpha, beta float64) {
	const w = int(unsafe.Sizeof(float64(0)))
	_ = off[k-1]
	kern6x8OffB(k, &a[0], ars*w, aks*w, &b[0], &off[0], &c[0], ldc*w, alpha, beta)
}

// kern12x4OffA (kernel_amd64.s) computes a 12×4 tile with A's column p
// (12 contiguous doubles) at a byte offset off[p] and B a packed 4-column
// panel; packNZ4x2 packs the rows of both 4-column halves of an 8-column
// panel of B that are not all +0 (packNonzeroB4x2).
//
//go:noescape
func kern12x4OffA(k int, a *float64, off *int, b *float64, c *float64, ldc int, alpha, beta float64)

//go:noescape
func packNZ4x2(k int, src *float64, rs int, dl *float64, ol *int, dr *float64, or *int, astep int) (kl, kr int)

// kernAVX2OffA12x4 adapts kern12x4OffA to the kernel's fnOffA contract.
// The driver guarantees that every offset lies inside a (off holds k
// offsets and 6 more that are only prefetched, b at least 4k values).
func kernAVX2OffA12x4(k int, a []float64, off []int, b []float64, c []float64, ldc int, alpha, beta float64) {
	const w = int(unsafe.Sizeof(float64(0)))
	_ = off[k+5]
	_ = b[4*k-1]
	_ = c[11*ldc+3]
	kern12x4OffA(k, &a[0], &off[0], &b[0], &c[0], ldc*w, alpha, beta)
}

// packB4x2Bulk packs packNonzeroB4x2's panel whole, as packA6Bulk.
func packB4x2Bulk(dl []float64, ol []int, dr []float64, or []int, src []float64, rs, kb, astep int) (done, kl, kr int) {
	kl, kr = packNZ4x2(kb, &src[0], rs*8, &dl[0], &ol[0], &dr[0], &or[0], astep)
	return kb, kl, kr
}

// finiteSum (kernel_amd64.s) reports whether the n doubles at x, n a
// positive multiple of 8, are all finite.
//
//go:noescape
func finiteSum(x *float64, n int) bool

// allFinite reports whether every element of x is finite (no ±Inf, no NaN).
func allFinite(x []float64) bool {
	n := len(x) &^ 7
	if n > 0 && !finiteSum(&x[0], n) {
		return false
	}
	return finiteGo(x[n:])
}

// packNZ6 (kernel_amd64.s) is the loop of packNonzeroA6 (zeroskip.go),
// with strides in bytes, for a multiple of 4 steps.
//
//go:noescape
func packNZ6(k int, src *float64, rs int, dst *float64, off *int, bstep int) int

// packA6Bulk packs the first steps of packNonzeroA6's panel, a multiple of
// 4, and returns how many steps it packed and how many it kept. The
// caller has checked every slice's length.
func packA6Bulk(dst []float64, off []int, src []float64, rs, kb, bstep int) (done, kept int) {
	done = kb &^ 3
	if done == 0 {
		return 0, 0
	}
	return done, packNZ6(done, &src[0], rs*8, &dst[0], &off[0], bstep)
}

// packT8 (kernel_amd64.s) packs 8 rows of length k&^3 into 8 columns of a
// panel: dst[p*ldd/8+j] = src[j*lds/8+p]. lds and ldd are in bytes.
//
//go:noescape
func packT8(k int, src *float64, lds int, dst *float64, ldd int)

// packTransAVX2 returns a packer for full k×nr panels of a B whose columns
// are contiguous: dst[p*nr+j] = src[j*lds+p] for j < nr, p < k, nr a
// multiple of 8. The driver guarantees len(src) > (nr-1)*lds+k-1 and
// len(dst) ≥ nr*k.
func packTransAVX2(nr int) func(dst, src []float64, lds, k int) {
	return func(dst, src []float64, lds, k int) {
		_ = src[(nr-1)*lds+k-1]
		_ = dst[nr*k-1]
		k4 := k &^ 3
		for j0 := 0; j0 < nr; j0 += 8 {
			if k4 > 0 {
				packT8(k4, &src[j0*lds], lds*8, &dst[j0], nr*8)
			}
			for p := k4; p < k; p++ {
				for j := j0; j < j0+8; j++ {
					dst[p*nr+j] = src[j*lds+p]
				}
			}
		}
	}
}

var avx2Kernel = &kernel{
	name: "avx2",
	mr:   6, nr: 8,
	kc: 256, mc: 96, nc: 2048,
	fn:      kernAVX2,
	fnHalf:  kernAVX2Half,
	fnShort: kernAVX2Short, shortRows: 4,
	fnOffA: kernAVX2OffA12x4, fnOffB: kernAVX2OffB,
	packTrans: packTransAVX2(8),
	peakLoop:  fmaLoop256, peakFlops: 12 * 4 * 2,
}

var avx512Kernel = &kernel{
	name: "avx512",
	mr:   8, nr: 24,
	kc: 400, mc: 96, nc: 2400,
	fn:        kernAVX512,
	packTrans: packTransAVX2(24),
	peakLoop:  fmaLoop512, peakFlops: 24 * 8 * 2,
}

// platformKernels lists the kernels usable on this CPU, best last. Without
// AVX2 and FMA, gonum's own Dgemm (SSE2 assembly) beats the portable Go
// kernel on amd64, so it is the default there.
func platformKernels() []*kernel {
	ks := []*kernel{genericKernel, gonumKernel}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ks = append(ks, avx2Kernel)
		if cpu.X86.HasAVX512F {
			ks = append(ks, avx512Kernel)
		}
	}
	return ks
}

// kern8x24 is the AVX-512F micro-kernel in kernel512_amd64.s, with the same
// contract as kern6x8 but an 8×24 tile.
//
//go:noescape
func kern8x24(k int, a *float64, ars, aks int, b *float64, bks int, c *float64, ldc int, alpha, beta float64)

func kernAVX512(k int, a []float64, ars, aks int, b []float64, bks int, c []float64, ldc int, alpha, beta float64) {
	const w = int(unsafe.Sizeof(float64(0)))
	kern8x24(k, &a[0], ars*w, aks*w, &b[0], bks*w, &c[0], ldc*w, alpha, beta)
}

// fmaLoop256 and fmaLoop512 (peak_amd64.s) run n iterations of
// register-only FMAs, 96 and 384 flops per iteration: the loops that
// measure the peak the AVX2 and AVX-512 kernels are compared with.
//
//go:noescape
func fmaLoop256(n int)

//go:noescape
func fmaLoop512(n int)
