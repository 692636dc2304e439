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

// packT8 (kernel_amd64.s) packs 8 rows of length k&^3 into a k×8 panel:
// dst[p*8+j] = src[j*lds/8+p]. lds is in bytes.
//
//go:noescape
func packT8(k int, src *float64, lds int, dst *float64)

// packTransAVX2 packs the k×8 panel dst[p*8+j] = src[j*lds+p] (j < 8,
// p < k): the columns of a transposed B. The caller guarantees that
// len(src) > 7*lds+k-1 and len(dst) ≥ 8k.
func packTransAVX2(dst, src []float64, lds, k int) {
	_ = src[7*lds+k-1]
	_ = dst[8*k-1]
	k4 := k &^ 3
	if k4 > 0 {
		packT8(k4, &src[0], lds*8, &dst[0])
	}
	for p := k4; p < k; p++ {
		for j := range 8 {
			dst[p*8+j] = src[j*lds+p]
		}
	}
}

var avx2Kernel = &kernel{
	name: "avx2",
	mr:   6, nr: 8,
	kc: 256, mc: 96, nc: 2048,
	fn:        kernAVX2,
	packTrans: packTransAVX2,
}

// platformKernels lists the kernels usable on this CPU, best last.
func platformKernels() []*kernel {
	ks := []*kernel{genericKernel}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ks = append(ks, avx2Kernel)
	}
	return ks
}
