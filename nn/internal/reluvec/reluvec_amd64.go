//go:build amd64 && !purego

package reluvec

import "golang.org/x/sys/cpu"

var haveAVX2 = cpu.X86.HasAVX2

// forwardBiasAVX2 and backwardSumAVX2 (reluvec_amd64.s) do ForwardBias's
// and BackwardSum's work for j < n, n a positive multiple of 4, four
// elements an instruction: the addition, the comparison v > 0 (ordered:
// false for NaN) and the AND with its mask, each the scalar operation with
// the same operands in the same order.
//
//go:noescape
func forwardBiasAVX2(v, a, u, b *float64, n int)

//go:noescape
func backwardSumAVX2(d, db, v, grad *float64, n int)

// vectorForwardBias does the first len(b)&^3 elements with AVX2 and
// returns how many it did (0 without AVX2).
func vectorForwardBias(v, a, u, b []float64) int {
	n := len(b) &^ 3
	if !haveAVX2 || n == 0 {
		return 0
	}
	forwardBiasAVX2(&v[0], &a[0], &u[0], &b[0], n)
	return n
}

func vectorBackwardSum(d, db, v, g []float64) int {
	n := len(db) &^ 3
	if !haveAVX2 || n == 0 {
		return 0
	}
	backwardSumAVX2(&d[0], &db[0], &v[0], &g[0], n)
	return n
}
