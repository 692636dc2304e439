// Package student is a hostile submission whose Go source passes every
// check of the source, but whose package holds an assembly file (asm.s)
// that the go command would assemble into it.
package student

import "github.com/backprop-lab/backprop/nn"

// NewLayer returns nn's dense layer.
func NewLayer(nIn, nOut int) *nn.Dense { return nn.NewDense(nIn, nOut, nn.ReLU) }
