// Package reluvec holds the ReLU layer's passes over one row of a batch,
// the element-wise work around the hidden layer's matrix products, with an
// AVX2 path on amd64 that gives the same bits as the scalar one:
//
//	ForwardBias:  v = u + b,       a = φ(v) = v·[v > 0]
//	BackwardSum:  d = φ′(v) ⊙ g = g·[v > 0],   db += d
//
// φ(v) and φ′(v)·g are a bitwise AND with the mask [v > 0] (all ones or
// zero; zero for a NaN v), so a non-positive v gives +0, never −0. The
// sums db are added to in the order the rows are passed, one addition per
// element, so a batch's ∂E/∂b = Σ_n δ_n is the same on every path.
package reluvec

import "math"

// Masked returns y if x > 0 and +0 otherwise (also for a NaN x): φ(v) is
// Masked(v, v), φ′(v)·g is Masked(g, v).
func Masked(y, x float64) float64 {
	return math.Float64frombits(math.Float64bits(y) & positiveMask(x))
}

// positiveMask returns all ones if x > 0 and 0 otherwise (also for NaN).
// The signs of v are random, so a branch on them mispredicts half the
// time; the compiler turns this select between integers into a
// conditional move (a select between floats stays a branch).
func positiveMask(x float64) uint64 {
	var m uint64
	if x > 0 {
		m = ^uint64(0)
	}
	return m
}

// ForwardBias sets v[j] = u[j] + b[j] and a[j] = Masked(v[j], v[j]) for
// j < len(b). v, a and u must be at least len(b) long.
func ForwardBias(v, a, u, b []float64) {
	n := len(b)
	v, a, u = v[:n], a[:n], u[:n]
	k := vectorForwardBias(v, a, u, b)
	for j := k; j < n; j++ {
		x := u[j] + b[j]
		v[j] = x
		a[j] = Masked(x, x)
	}
}

// BackwardSum sets d[j] = Masked(g[j], v[j]) and adds it to db[j], for
// j < len(db). d, v and g must be at least len(db) long; d may be g.
func BackwardSum(d, db, v, g []float64) {
	n := len(db)
	d, v, g = d[:n], v[:n], g[:n]
	k := vectorBackwardSum(d, db, v, g)
	for j := k; j < n; j++ {
		x := Masked(g[j], v[j])
		d[j] = x
		db[j] += x
	}
}
