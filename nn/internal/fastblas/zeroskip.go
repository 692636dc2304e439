package fastblas

import (
	"math"
	"sync/atomic"
)

// Zero skipping. A term A(i,p)·B(p,j) with A(i,p) = +0 and B(p,j) finite
// is ±0, and adding it to a sum leaves the sum's bits as they are (the
// kernels' sums start at +0, and x + ±0 = x for every x but -0, which a
// sum from +0 only reaches by a product underflowing to zero). So a tile
// may leave out the steps p at which all its A values (or all its B
// values) are +0, and give the same bits as the dense product, as long as
// the other operand is finite there: 0·Inf and 0·NaN are NaN, and the
// dense product must show it.
//
// Images are mostly background. In a batch of 200 MNIST images, 56 % of
// the columns of a 6-row panel of X are all zero (X·W⁽¹⁾ᵀ), and 72 % of
// the rows of a 4-column panel of X (Δ⁽¹⁾ᵀ·X). gemmSerial packs the
// steps that are not all zero of each panel of the sparse side and runs a
// kernel that finds the other side's step through an offset
// (kernel.fnOffA, kernel.fnOffB). A sparse A's edge rows are skipped too
// (compactPacked6); a sparse B's edge columns, and a last row tile
// without a partner for the 12-row kernel, run dense. Only +0 counts as
// zero (one OR of the bits tests a step); a -0 step is kept, which is
// never wrong.
//
// Once packed, a panel runs the zero-skipping kernel however many steps
// it kept. If the first panel a call of gemmSerial packs has no zero step
// at all, the rest of the call runs dense without packing (a dense operand
// costs one panel's packing).

// zeroSkip enables zero skipping; SetZeroSkip switches it.
var zeroSkip atomic.Bool

func init() { zeroSkip.Store(true) }

// ZeroSkip reports whether zero skipping is on (the default).
func ZeroSkip() bool { return zeroSkip.Load() }

// SetZeroSkip turns zero skipping on or off and returns the previous
// setting. Results are the same bits either way; it is meant for tests and
// for benchmarks that time the dense products.
func SetZeroSkip(on bool) bool { return zeroSkip.Swap(on) }

// side says which operand of a gemmSerial call has its zero steps skipped.
type side int

const (
	dense   side = iota
	sparseA      // mr-row panels of A, packed; B rows found by offset
	sparseB      // nr/2-column panels of B, packed; A columns by offset
)

// skipSide returns the side gemmSerial may skip zeros on: A when B is
// packed anyway (so an all-finite check of the packed block is cheap), A's
// rows are contiguous and a packed A panel serves at least 4 B panels; B
// when B is read in place with contiguous rows, a packed B panel serves at
// least 4 A panels and A is contiguous along its rows (the 12×4 kernel
// loads 12 rows of A's column as vectors).
func skipSide(kn *kernel, m, n int, a, b operand, packB bool) side {
	switch {
	case !zeroSkip.Load():
		return dense
	case packB && kn.fnOffB != nil && kn.mr == 6 && a.cs == 1 && n >= 4*kn.nr:
		return sparseA
	case !packB && kn.fnOffA != nil && m >= 4*kn.mr && a.rs == 1:
		return sparseB
	}
	return dense
}

// mostlyZero reports whether at least half of x is +0: a sample (A's
// first row) by which gemm guesses that A is sparse before splitting it.
func mostlyZero(x []float64) bool {
	zeros := 0
	for _, v := range x {
		if math.Float64bits(v) == 0 {
			zeros++
		}
	}
	return 2*zeros >= len(x)
}

// packNonzeroA6 packs the steps p < kb of the 6-row panel of A at src (row
// i at src[i*rs:], columns contiguous) whose 6 values are not all +0: dst
// gets their values, 6 a step, and off the byte offset p·bstep of B's row
// p. It returns how many steps it kept, at least 1: an all-zero panel
// keeps step 0 with +0 values, whose terms leave the sums at +0.
func packNonzeroA6(dst []float64, off []int, src []float64, rs, kb, bstep int) int {
	src, dst, off = src[:5*rs+kb], dst[:6*kb], off[:kb]
	done, n := packA6Bulk(dst, off, src, rs, kb, bstep)
	return atLeastOne(packNonzero6(dst, off, src, rs, 1, done, kb, bstep, n), dst[:6], off)
}

// compactPacked6 packs the steps p < kb of the packed 6-row panel src
// (step p's values at src[6p:6p+6]) that are not all +0, as
// packNonzeroA6 does: the bottom edge of an A block, packed with zero rows
// by packPanel.
func compactPacked6(dst []float64, off []int, src []float64, kb, bstep int) int {
	dst, off = dst[:6*kb], off[:kb]
	return atLeastOne(packNonzero6(dst, off, src[:6*kb], 1, 6, 0, kb, bstep, 0), dst[:6], off)
}

// packNonzero6 is the loop of the two above: it packs the steps
// from ≤ p < kb of a 6-row panel whose element (i, p) is src[i*rs+p*cs]
// after the n steps already kept, as packNonzeroA6 does, and returns how
// many steps are kept then.
func packNonzero6(dst []float64, off []int, src []float64, rs, cs, from, kb, bstep, n int) int {
	for p := from; p < kb; p++ {
		d := dst[6*n : 6*n+6 : 6*n+6]
		for i := range d {
			d[i] = src[i*rs+p*cs]
		}
		off[n] = p * bstep
		if nonzero(d) {
			n++
		}
	}
	return n
}

// nonzero reports whether any value of s is not +0: one OR of the bits,
// so -0 counts as not zero.
func nonzero(s []float64) bool {
	var bits uint64
	for _, v := range s {
		bits |= math.Float64bits(v)
	}
	return bits != 0
}

// packNonzeroB4x2 packs the two 4-column halves of the 8-column panel of
// B at src (row p at src[p*rs:], 8 contiguous values), each as its own
// panel: the rows p < kb whose half is not all +0 go to dl (dr), 4 values
// a row, with the byte offset p·astep of A's column p in ol (or). It
// returns how many rows each half kept, at least 1, as packNonzeroA6.
func packNonzeroB4x2(dl []float64, ol []int, dr []float64, or []int, src []float64, rs, kb, astep int) (kl, kr int) {
	_ = src[(kb-1)*rs+7]
	dl, ol, dr, or = dl[:4*kb], ol[:kb], dr[:4*kb], or[:kb]
	done, kl, kr := packB4x2Bulk(dl, ol, dr, or, src, rs, kb, astep)
	for p := done; p < kb; p++ {
		s := src[p*rs : p*rs+8 : p*rs+8]
		copy(dl[4*kl:4*kl+4], s[:4])
		copy(dr[4*kr:4*kr+4], s[4:])
		ol[kl], or[kr] = p*astep, p*astep
		if nonzero(s[:4]) {
			kl++
		}
		if nonzero(s[4:]) {
			kr++
		}
	}
	return atLeastOne(kl, dl[:4], ol), atLeastOne(kr, dr[:4], or)
}

// atLeastOne returns n, or makes an empty packed panel one step of +0
// values at offset 0 (step 0) and returns 1.
func atLeastOne(n int, step []float64, off []int) int {
	if n > 0 {
		return n
	}
	clear(step)
	off[0] = 0
	return 1
}

// finiteGo reports whether every element of x is finite.
func finiteGo(x []float64) bool {
	for _, v := range x {
		if v-v != 0 { // NaN for ±Inf and NaN
			return false
		}
	}
	return true
}

// finiteRegion reports whether the rows×cols elements of o at (r, s) are
// all finite; o is contiguous along rows or along columns.
func finiteRegion(o operand, r, s, rows, cols int) bool {
	if o.cs == 1 {
		for i := range rows {
			if !allFinite(o.at(r+i, s)[:cols]) {
				return false
			}
		}
		return true
	}
	for j := range cols {
		if !allFinite(o.at(r, s+j)[:rows]) {
			return false
		}
	}
	return true
}
