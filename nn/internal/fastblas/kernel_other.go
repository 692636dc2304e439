//go:build !amd64 || purego

package fastblas

// platformKernels lists the kernels usable here, best last: the portable
// one on non-amd64 platforms or when built with the purego tag (gonum's
// Dgemm is pure Go there too).
func platformKernels() []*kernel { return []*kernel{gonumKernel, genericKernel} }

// allFinite reports whether every element of x is finite (no ±Inf, no NaN).
func allFinite(x []float64) bool { return finiteGo(x) }

// packA6Bulk and packB4x2Bulk pack nothing here: zeroskip.go's Go loops do
// it all (no kernel here skips zeros; they are only compiled).
func packA6Bulk(dst []float64, off []int, src []float64, rs, kb, bstep int) (done, kept int) {
	return 0, 0
}

func packB4x2Bulk(dl []float64, ol []int, dr []float64, or []int, src []float64, rs, kb, astep int) (done, kl, kr int) {
	return 0, 0, 0
}
