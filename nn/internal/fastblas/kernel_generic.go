package fastblas

// kernGeneric4x2 is the portable micro-kernel, plain Go: a 4×2 register
// tile. It is written so that the accumulators, the two B values and one A
// value fit in the 16 registers of amd64 with room for the products: a 4×4
// tile measured half as fast there, because the compiler spilled its
// accumulators to the stack (architectures with 32 registers would carry
// a 4×4 tile, but one kernel keeps one code path to test). The compiler
// fuses x*y + z into one instruction where the architecture has FMA
// (arm64, ppc64, s390x, riscv64).
//
// It computes, for i < 4, j < 2,
//
//	C[i*ldc+j] = alpha·Σ_{p<k} a[i*ars+p*aks]·b[p*bks+j] + beta·C[i*ldc+j]
//
// and never reads C when beta == 0.
func kernGeneric4x2(k int, a []float64, ars, aks int, b []float64, bks int, c []float64, ldc int, alpha, beta float64) {
	var c00, c01, c10, c11, c20, c21, c30, c31 float64
	a0 := a
	a1 := a[ars:]
	a2 := a[2*ars:]
	a3 := a[3*ars:]
	ia, ib := 0, 0
	for p := 0; p < k; p++ {
		bp := b[ib : ib+2 : ib+2]
		b0, b1 := bp[0], bp[1]
		x := a0[ia]
		c00 += x * b0
		c01 += x * b1
		x = a1[ia]
		c10 += x * b0
		c11 += x * b1
		x = a2[ia]
		c20 += x * b0
		c21 += x * b1
		x = a3[ia]
		c30 += x * b0
		c31 += x * b1
		ia += aks
		ib += bks
	}
	storeRow2(c[0:2:2], alpha, beta, c00, c01)
	storeRow2(c[ldc:ldc+2:ldc+2], alpha, beta, c10, c11)
	storeRow2(c[2*ldc:2*ldc+2:2*ldc+2], alpha, beta, c20, c21)
	storeRow2(c[3*ldc:3*ldc+2:3*ldc+2], alpha, beta, c30, c31)
}

func storeRow2(c []float64, alpha, beta, s0, s1 float64) {
	c = c[:2]
	if beta == 0 {
		c[0] = alpha * s0
		c[1] = alpha * s1
		return
	}
	c[0] = alpha*s0 + beta*c[0]
	c[1] = alpha*s1 + beta*c[1]
}

var genericKernel = &kernel{
	name: "generic",
	mr:   4, nr: 2,
	kc: 256, mc: 64, nc: 2048,
	fn: kernGeneric4x2,
}

// gonumKernel is not a micro-kernel: selecting it hands every product to
// gonum's own Dgemm (after fastblas's argument checks and its handling of
// alpha == 0 and k == 0). It is the default on amd64 CPUs without AVX2 and
// FMA, where gonum's SSE2 assembly is faster than the portable kernel.
var gonumKernel = &kernel{name: "gonum"}
