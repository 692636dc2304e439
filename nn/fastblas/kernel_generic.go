package fastblas

// kernGeneric4x4 is the portable micro-kernel: a 4×4 register tile written
// so that the Go compiler keeps the 16 accumulators and the 8 operands in
// registers (amd64 has 16 XMM registers; it spills a little, arm64 has 32).
//
// It computes, for i, j < 4,
//
//	C[i*ldc+j] = alpha·Σ_{p<k} a[i*ars+p*aks]·b[p*bks+j] + beta·C[i*ldc+j]
//
// and never reads C when beta == 0.
func kernGeneric4x4(k int, a []float64, ars, aks int, b []float64, bks int, c []float64, ldc int, alpha, beta float64) {
	var (
		c00, c01, c02, c03 float64
		c10, c11, c12, c13 float64
		c20, c21, c22, c23 float64
		c30, c31, c32, c33 float64
	)
	// Re-slicing to exact lengths lets the compiler drop the bounds checks
	// inside the loop body after the one check per slice expression.
	ia, ib := 0, 0
	for p := 0; p < k; p++ {
		bp := b[ib : ib+4 : ib+4]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		a0 := a[ia]
		a1 := a[ia+ars]
		a2 := a[ia+2*ars]
		a3 := a[ia+3*ars]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
		ia += aks
		ib += bks
	}
	storeRow4(c[0:4:4], alpha, beta, c00, c01, c02, c03)
	storeRow4(c[ldc:ldc+4:ldc+4], alpha, beta, c10, c11, c12, c13)
	storeRow4(c[2*ldc:2*ldc+4:2*ldc+4], alpha, beta, c20, c21, c22, c23)
	storeRow4(c[3*ldc:3*ldc+4:3*ldc+4], alpha, beta, c30, c31, c32, c33)
}

func storeRow4(c []float64, alpha, beta, s0, s1, s2, s3 float64) {
	c = c[:4]
	if beta == 0 {
		c[0] = alpha * s0
		c[1] = alpha * s1
		c[2] = alpha * s2
		c[3] = alpha * s3
		return
	}
	c[0] = alpha*s0 + beta*c[0]
	c[1] = alpha*s1 + beta*c[1]
	c[2] = alpha*s2 + beta*c[2]
	c[3] = alpha*s3 + beta*c[3]
}

var genericKernel = &kernel{
	name: "generic",
	mr:   4, nr: 4,
	kc: 256, mc: 64, nc: 2048,
	fn: kernGeneric4x4,
}
