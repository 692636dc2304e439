package autodiff

import (
	"fmt"
	"math"

	"github.com/backprop-lab/backprop/internal/engineguard"
)

// NewOp returns the node z = data that an operation computed from parents,
// with local[i] = ∂z/∂parents[i] evaluated now, in the forward pass: how a
// new operation joins the engine (Tanh and Sigmoid below are two).
// Backward then needs nothing else from it. It panics if parents and local
// differ in length.
func NewOp(name string, data float64, parents []*Value, local []float64) *Value {
	if len(parents) != len(local) {
		panic(fmt.Sprintf("autodiff: NewOp %q: %d parents but %d local derivatives", name, len(parents), len(local)))
	}
	return op(name, data, parents, local)
}

// Tanh returns z = tanh v, with ∂z/∂v = 1 − z² (written with the output z,
// which the forward pass has at hand).
func (v *Value) Tanh() *Value {
	engineguard.Check(engineguard.Tanh)
	z := math.Tanh(v.Data)
	return op("tanh", z, []*Value{v}, []float64{1 - z*z})
}

// Sigmoid returns z = σ(v) = 1/(1 + e⁻ᵛ), with ∂z/∂v = z(1 − z).
func (v *Value) Sigmoid() *Value {
	engineguard.Check(engineguard.Sigmoid)
	z := 1 / (1 + math.Exp(-v.Data))
	return op("σ", z, []*Value{v}, []float64{z * (1 - z)})
}
