//go:build !amd64 || purego

package mnist

// scale sets dst[j] = src[j]/255 for len(src) == len(dst).
func scale(dst []float64, src, next []byte) { scaleGo(dst, src) }
