package gradcheck

import (
	"math/rand/v2"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// randData returns b examples of dim inputs in [−1, 1) and labels in [0, k).
func randData(seed uint64, b, dim, k int) (*mat.Dense, []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	x := mat.NewDense(b, dim, nil)
	raw := x.RawMatrix().Data
	for i := range raw {
		raw[i] = 2*rng.Float64() - 1
	}
	labels := make([]int, b)
	for i := range labels {
		labels[i] = rng.IntN(k)
	}
	return x, labels
}

// randomBiases fills every bias of a Dense network with U[−0.5, 0.5), away
// from the exact kinks that zero biases create.
func randomBiases(net *nn.Network, seed uint64) *nn.Network {
	rng := rand.New(rand.NewPCG(seed, 11))
	for s := range net.Layers {
		for i, raw := 0, net.Dense(s+1).B.RawMatrix().Data; i < len(raw); i++ {
			raw[i] = rng.Float64() - 0.5
		}
	}
	return net
}

// randomNet is a Dense network with U[−0.8, 0.8) weights and random biases.
func randomNet(seed uint64, act nn.Elementwise, sizes ...int) *nn.Network {
	return randomBiases(nn.MustNew(nn.Config{Sizes: sizes, Hidden: act, Init: nn.Uniform(0.8), Seed: seed}), seed)
}
