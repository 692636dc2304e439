package grading

import (
	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/nn"
)

// maskDraws is how many draws of a network's parameters and batch the
// judge tries before it settles for one whose hidden layers do not all
// mix (a layer with no exact zeros: tanh, sigmoid).
const maskDraws = 30

// masksMix reports whether, in the forward pass of net on x, the output A
// of every hidden layer (all layers but the last) has a positive entry and
// an exact zero at an example whose input to that layer is not all zero.
// Only then does that layer's ReLU′ mask change a gradient the check
// compares: a backward pass that forgets the mask, or the lab's G·W in
// place of Δ·W, gives the right gradients on a batch where every unit is
// active, or where a unit is off only for an example that is off in the
// layer below too; a judge must not draw such a batch (a wrong answer
// would pass by chance). The layers' Forward is called in order, each on a
// copy of the previous output.
func masksMix(net *nn.Network, x *mat.Dense) bool {
	in := x
	for _, l := range net.Layers[:len(net.Layers)-1] {
		a := l.Forward(mat.DenseCopyOf(in))
		seen, pos := false, false
		r, c := a.Dims()
		for n := range r {
			live := false
			for _, v := range in.RawRowView(n) {
				live = live || v != 0
			}
			for i := range c {
				switch v := a.At(n, i); {
				case v == 0 && live:
					seen = true
				case v > 0:
					pos = true
				}
			}
		}
		if !seen || !pos {
			return false
		}
		in = a
	}
	return true
}
