package gradcheck

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// Layer is the interface a layer must implement to be checked: it is
// nn.Layer (Forward, Backward, Params), the same interface nn's own Dense
// layers implement and nn.Network trains. A student's layer, written in a
// notebook or a package, implements it to be checked by CheckLayer and
// trained by nn.Network.
type Layer = nn.Layer

// Param is a named parameter tensor with its analytic gradient, nn.Param.
type Param = nn.Param

// Func is a scalar function f(θ) of named parameter tensors together with
// its analytic gradient, the general thing a check compares.
//
// The check perturbs Params[i].Value in place, one element (or, in
// Directional mode, one tensor) at a time, calls Loss, and restores the
// value bit for bit; Params[i].Grad must already hold ∂f/∂Params[i].Value
// and is only read.
type Func struct {
	// Params are the tensors θ with their analytic gradients.
	Params []Param
	// Loss returns f at the current values of Params.
	Loss func() float64
	// Kinks, if not nil, appends to dst a fingerprint of which side of each
	// kink (non-differentiable point) the last Loss evaluation was on, e.g.
	// one byte per ReLU unit: 1 if v > 0, else 0. StepSweep and TaylorTest
	// use it to mark the steps that cross a kink. The checks do not: they
	// decide kinks from f's own values (see the package doc), so that a
	// verdict does not depend on how much a layer tells about itself.
	Kinks func(dst []byte) []byte
	// Scale, if not nil, returns the size of the terms that the last Loss
	// evaluation summed, e.g. Σ|g_i·a_i| for Σ g_i·a_i. The rounding error
	// of the loss is a few ε·Scale, and the noise floor of the absolute
	// test is derived from it. If nil, |Loss()| is used, which is right for
	// a loss whose terms do not cancel (a cross-entropy, a sum of squares).
	Scale func() float64
}

// Kinker is an optional interface of a layer with kinks (points where it is
// not differentiable, like ReLU at v = 0) that is not built on nn.Dense,
// for the Kinks fingerprint of NetworkFunc and LayerFunc (which StepSweep
// and TaylorTest show). Layers that have methods V() *mat.Dense and
// Activation() nn.Activation — nn.Dense and every struct embedding it —
// need not implement it: their ReLU units are fingerprinted from V.
type Kinker interface {
	// KinkPattern appends to dst one byte per non-differentiable unit of the
	// last Forward saying which side of its kink the unit is on (for ReLU:
	// 1 if v > 0, else 0) and returns the extended slice.
	KinkPattern(dst []byte) []byte
}

// preActivations is the part of nn.Dense (and of any layer embedding it)
// that lets the checker fingerprint ReLU units.
type preActivations interface {
	V() *mat.Dense
	Activation() nn.Activation
}

// knownActivation reports whether a is one of nn's activations and whether
// it is ReLU (the one with kinks), for the kink fingerprints of Func.Kinks.
func knownActivation(a nn.Activation) (known, relu bool) {
	switch a {
	case nn.ReLU:
		return true, true
	case nn.Sigmoid, nn.Tanh, nn.Identity, nn.Softmax:
		return true, false
	}
	return false, false
}

// understood reports whether the kinks of l are known: it implements
// Kinker, or it has pre-activations and one of nn's activations.
func understood(l nn.Layer) bool {
	if _, ok := l.(Kinker); ok {
		return true
	}
	if pa, ok := l.(preActivations); ok {
		known, _ := knownActivation(pa.Activation())
		return known
	}
	return false
}

// layerPattern appends the kink fingerprint of l's last Forward to dst.
func layerPattern(dst []byte, l nn.Layer) []byte {
	if k, ok := l.(Kinker); ok {
		return k.KinkPattern(dst)
	}
	if pa, ok := l.(preActivations); ok {
		if _, relu := knownActivation(pa.Activation()); relu {
			return appendSigns(dst, pa.V())
		}
	}
	return dst
}

// appendSigns appends 1 for each element of v that is > 0, else 0.
func appendSigns(dst []byte, v *mat.Dense) []byte {
	if v == nil {
		return dst
	}
	raw := v.RawMatrix()
	for i := 0; i < raw.Rows; i++ {
		for _, x := range raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols] {
			b := byte(0)
			if x > 0 {
				b = 1
			}
			dst = append(dst, b)
		}
	}
	return dst
}

// NetworkFunc returns the mean cross-entropy of net on (x, labels) as a
// Func: it runs net.LossAndGrad once and copies the gradients at once, so
// that the Grad of every parameter (W1, b1, W2, …) holds the analytic
// gradient (a layer may clear its own in the next Forward), and Loss is net.Loss(x,
// labels). Kinks fingerprints every ReLU layer (nil if a layer's kinks are
// unknown, see Kinker). CheckNetwork checks the same function faster.
func NetworkFunc(net *nn.Network, x *mat.Dense, labels []int) Func {
	net.LossAndGrad(x, labels)
	ps := net.Params()
	grads := gradCopies(ps) // read now: a layer may clear them in Forward
	for i := range ps {
		ps[i].Grad = grads[i]
	}
	f := Func{Params: ps, Loss: func() float64 { return net.Loss(x, labels) }}
	for _, l := range net.Layers {
		if !understood(l) {
			return f
		}
	}
	f.Kinks = func(dst []byte) []byte {
		for _, l := range net.Layers {
			dst = layerPattern(dst, l)
		}
		return dst
	}
	return f
}

// InputName is the name of the pseudo-parameter x of a layer check: its
// analytic gradient is ∂L/∂x, the matrix the layer's Backward returns.
const InputName = "x"

// LayerFunc returns the layer check's function L(x, θ) = Σ G ⊙ l.Forward(x)
// (a scalar), where G (N×n_out, standard normal) is a fixed upstream
// gradient drawn from seed. Its gradients are what l.Backward(G) computes:
// ∂L/∂θ for every parameter and ∂L/∂x (a vector-Jacobian product). The
// returned Params are l.Params() with copies of their gradients, read
// right after Backward, followed by the pseudo-parameter "x" (InputName),
// a copy of x whose Grad is the matrix Backward returned. LayerFunc runs
// l.Forward and l.Backward (on a copy of G) once.
func LayerFunc(l nn.Layer, x *mat.Dense, seed uint64) Func {
	xc := mat.DenseCopyOf(x)
	out := l.Forward(xc)
	g := upstream(out, seed)
	gx := l.Backward(mat.DenseCopyOf(g)) // Backward may overwrite its argument
	ps := append([]nn.Param(nil), l.Params()...)
	grads := gradCopies(ps) // read now: a layer may clear them in Forward
	for i := range ps {
		ps[i].Grad = grads[i]
	}
	checkInputGrad(l, gx, xc)
	ps = append(ps, nn.Param{Name: InputName, Value: xc, Grad: mat.DenseCopyOf(gx)})
	var scale float64
	f := Func{Params: ps,
		Loss:  func() (loss float64) { loss, scale = weightedSum(g, l.Forward(xc)); return loss },
		Scale: func() float64 { return scale },
	}
	if understood(l) {
		f.Kinks = func(dst []byte) []byte { return layerPattern(dst, l) }
	}
	return f
}

// upstream returns the fixed random upstream gradient G of a layer check,
// the shape of out, drawn from seed.
func upstream(out *mat.Dense, seed uint64) *mat.Dense {
	r, c := out.Dims()
	rng := newRand(seed, streamUpstream)
	g := mat.NewDense(r, c, nil)
	for i, raw := 0, g.RawMatrix().Data; i < len(raw); i++ {
		raw[i] = rng.NormFloat64()
	}
	return g
}

// weightedSum returns Σ_ij g_ij·a_ij, summed row by row in a fixed order,
// and the size of its terms Σ_ij |g_ij·a_ij|.
func weightedSum(g, a *mat.Dense) (sum, scale float64) {
	rg, ra := g.RawMatrix(), a.RawMatrix()
	if rg.Rows != ra.Rows || rg.Cols != ra.Cols {
		panic(fmt.Sprintf("gradcheck: layer output changed shape from %d×%d to %d×%d", rg.Rows, rg.Cols, ra.Rows, ra.Cols))
	}
	for i := 0; i < ra.Rows; i++ {
		gi, ai := rg.Data[i*rg.Stride:i*rg.Stride+rg.Cols], ra.Data[i*ra.Stride:i*ra.Stride+ra.Cols]
		for j, x := range ai {
			t := gi[j] * x
			sum += t
			scale += math.Abs(t)
		}
	}
	return sum, scale
}

// Random streams: each use of the seed gets its own PCG stream, so that
// changing, say, the number of directions never changes the spot samples.
const (
	streamUpstream uint64 = iota + 0x6772616463686b00 // "gradchk\0"
	streamSpot
	streamDirection
	streamTaylor
	streamProbe
)

func newRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream))
}
