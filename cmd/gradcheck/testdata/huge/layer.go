// Package student is a correct layer built with huge weights (1e200): in a
// network the activations overflow and the loss is not finite, so no
// gradient can be checked there.
package student

import "github.com/backprop-lab/backprop/nn"

// NewLayer returns nn's ReLU dense layer with every weight 1e200.
func NewLayer(nIn, nOut int) *nn.Dense {
	l := nn.NewDense(nIn, nOut, nn.ReLU)
	for i, raw := 0, l.W.RawMatrix().Data; i < len(raw); i++ {
		raw[i] = 1e200
	}
	return l
}
