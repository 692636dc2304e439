//go:build !amd64 || purego

package fastblas

// platformKernels lists the kernels usable here, best last: the portable
// one on non-amd64 platforms or when built with the purego tag (gonum's
// Dgemm is pure Go there too).
func platformKernels() []*kernel { return []*kernel{gonumKernel, genericKernel} }
