//go:build !amd64 || purego

package fastblas

// platformKernels lists the kernels usable here: only the portable one on
// non-amd64 platforms or when built with the purego tag.
func platformKernels() []*kernel { return []*kernel{genericKernel} }
