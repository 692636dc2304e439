package gradcheck

import (
	"github.com/backprop-lab/backprop/nn"
	"github.com/backprop-lab/backprop/nn/nntest"
	"gonum.org/v1/gonum/mat"
)

// randomBiases gives every bias of a Dense network U[−0.5, 0.5)
// (nntest.RandomBiases: away from the kinks that zero biases create).
func randomBiases(net *nn.Network, seed uint64) *nn.Network {
	biases := make([]*mat.Dense, len(net.Layers))
	for s := range biases {
		biases[s] = net.Dense(s + 1).B
	}
	nntest.RandomBiases(seed, biases...)
	return net
}

// randomNet is a Dense network with U[−0.8, 0.8) weights and random biases.
func randomNet(seed uint64, act nn.Elementwise, sizes ...int) *nn.Network {
	return randomBiases(nn.MustNew(nn.Config{Sizes: sizes, Hidden: act, Init: nn.Uniform(0.8), Seed: seed}), seed)
}
