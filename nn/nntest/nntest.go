// Package nntest provides seeded random batches and biases for tests of nn
// and of the packages built on it, as net/http/httptest does for net/http.
//
// It imports gonum/mat only (not nn), so that nn's own in-package tests can
// use it too. Every function is deterministic given its seed.
package nntest

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// RandomBatch returns a batch of n examples, one per row of x (n×dim), with
// inputs drawn from U[−1, 1), and n class labels drawn uniformly from
// [0, k). The same arguments give the same batch.
func RandomBatch(seed uint64, n, dim, k int) (x *mat.Dense, labels []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	x = mat.NewDense(n, dim, nil)
	raw := x.RawMatrix().Data
	for i := range raw {
		raw[i] = 2*rng.Float64() - 1
	}
	labels = make([]int, n)
	for i := range labels {
		labels[i] = rng.IntN(k)
	}
	return x, labels
}

// RandomBiases overwrites every element of the given bias vectors (n_out×1
// matrices, e.g. the B of each nn.Dense layer in order) with draws from
// U[−0.5, 0.5), one generator for all of them.
//
// Why tests want it: nn.New starts biases at 0, and then an example whose
// units of one ReLU layer are all inactive gives v = 0 exactly in the next
// ReLU layer, a kink where no finite difference agrees with the convention
// ReLU′(0) = 0. Random biases keep a gradient check away from such points.
func RandomBiases(seed uint64, biases ...*mat.Dense) {
	rng := rand.New(rand.NewPCG(seed, 11))
	for _, b := range biases {
		r, c := b.Dims()
		for i := range r {
			for j := range c {
				b.Set(i, j, rng.Float64()-0.5)
			}
		}
	}
}
