package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Network is a stack of layers whose last layer outputs class probabilities
// (a softmax), trained with the mean cross-entropy loss
// E = −(1/N) Σ_n ln a_{n,y_n}.
//
// Layers[0] is layer 1 of the derivation, Layers[len−1] the output layer h.
type Network struct {
	Layers []Layer

	probs *mat.Dense // output of the last Forward
	delta *mat.Dense // scratch for δ⁽ʰ⁾ or ∂E/∂a⁽ʰ⁾
	eval  evalBuffers
}

// evalBuffers hold the batches of Evaluate and PredictAll between calls.
type evalBuffers struct {
	x           *mat.Dense // evalBatch×n_in, or fewer rows for small data
	labels, idx []int
}

// Init draws one initial weight for a layer with nIn inputs and nOut
// outputs. Biases always start at 0.
type Init struct {
	Name   string
	Sample func(rng *rand.Rand, nIn, nOut int) float64
}

// Uniform draws weights uniformly from [−r, r). The lab uses r = 0.2.
func Uniform(r float64) Init {
	return Init{
		Name:   fmt.Sprintf("uniform[-%g,%g)", r, r),
		Sample: func(rng *rand.Rand, _, _ int) float64 { return (2*rng.Float64() - 1) * r },
	}
}

// The weight initialisations offered by Config.
var (
	// LabUniform is the lab's initialisation: U[−0.2, 0.2).
	LabUniform = Uniform(0.2)
	// He draws from N(0, 2/n_in), suited to ReLU layers (He et al., 2015).
	He = Init{Name: "he", Sample: func(rng *rand.Rand, nIn, _ int) float64 {
		return rng.NormFloat64() * math.Sqrt(2/float64(nIn))
	}}
	// Xavier draws from U[−√(6/(n_in+n_out)), √(6/(n_in+n_out))), suited to
	// tanh and sigmoid layers (Glorot & Bengio, 2010).
	Xavier = Init{Name: "xavier", Sample: func(rng *rand.Rand, nIn, nOut int) float64 {
		r := math.Sqrt(6 / float64(nIn+nOut))
		return (2*rng.Float64() - 1) * r
	}}
)

// Config describes a fully connected network.
type Config struct {
	// Sizes are the layer widths from input to output, e.g. {784, 96, 10}:
	// len(Sizes)−1 layers, the last one softmax.
	Sizes []int
	// Hidden is the activation of every hidden layer (default ReLU).
	Hidden Activation
	// Init draws the initial weights (default LabUniform).
	Init Init
	// Seed seeds the initialisation (the same seed gives the same weights).
	Seed uint64
}

// New builds the network described by cfg: Dense layers with cfg.Hidden on
// the hidden layers and Softmax on the output layer, weights drawn row by row,
// layer by layer, from cfg.Init, biases 0.
func New(cfg Config) (*Network, error) {
	if len(cfg.Sizes) < 2 {
		return nil, fmt.Errorf("nn: need at least an input and an output size, got %v", cfg.Sizes)
	}
	for i, s := range cfg.Sizes {
		if s <= 0 {
			return nil, fmt.Errorf("nn: layer size %d (index %d of %v) must be positive", s, i, cfg.Sizes)
		}
	}
	if cfg.Hidden == nil {
		cfg.Hidden = ReLU
	}
	if cfg.Hidden == Softmax {
		return nil, errors.New("nn: softmax is for the output layer only, not a hidden activation")
	}
	if cfg.Init.Sample == nil {
		cfg.Init = LabUniform
	}
	rng := newRand(cfg.Seed)
	net := &Network{}
	for s := 1; s < len(cfg.Sizes); s++ {
		act := cfg.Hidden
		if s == len(cfg.Sizes)-1 {
			act = Softmax
		}
		nIn, nOut := cfg.Sizes[s-1], cfg.Sizes[s]
		d := NewDense(nIn, nOut, act)
		w := d.W.RawMatrix().Data
		for i := range w {
			w[i] = cfg.Init.Sample(rng, nIn, nOut)
		}
		net.Layers = append(net.Layers, d)
	}
	return net, nil
}

// MustNew is New that panics on error, for examples and notebooks.
func MustNew(cfg Config) *Network {
	n, err := New(cfg)
	if err != nil {
		panic(err)
	}
	return n
}

// newRand returns the package's deterministic generator for seed.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}

// Dense returns layer s (1-based, as in the derivation) if it is a *Dense,
// else nil.
func (n *Network) Dense(s int) *Dense {
	if s < 1 || s > len(n.Layers) {
		panic(fmt.Sprintf("nn: Network.Dense: layer %d outside 1…%d", s, len(n.Layers)))
	}
	d, _ := n.Layers[s-1].(*Dense)
	return d
}

// Sizes returns the layer widths {n_in, h1, …, n_out} of a network of Dense
// layers (nil if a layer is not a *Dense).
func (n *Network) Sizes() []int {
	var sizes []int
	for i, l := range n.Layers {
		d, ok := l.(*Dense)
		if !ok {
			return nil
		}
		nIn, nOut := d.Dims()
		if i == 0 {
			sizes = append(sizes, nIn)
		}
		sizes = append(sizes, nOut)
	}
	return sizes
}

// Params returns every layer's parameters in order, named with their layer
// number: W1, b1, W2, b2, …
func (n *Network) Params() []Param {
	var ps []Param
	for s, l := range n.Layers {
		for _, p := range l.Params() {
			p.Name = fmt.Sprintf("%s%d", p.Name, s+1)
			ps = append(ps, p)
		}
	}
	return ps
}

// Forward runs x (N×n_in) through every layer and returns the output
// probabilities a⁽ʰ⁾ (N×n_out), owned by the output layer.
func (n *Network) Forward(x *mat.Dense) *mat.Dense {
	if len(n.Layers) == 0 {
		panic("nn: Network.Forward: network has no layers")
	}
	a := x
	for _, l := range n.Layers {
		a = l.Forward(a)
	}
	n.probs = a
	return a
}

// Output returns a⁽ʰ⁾ of the last Forward.
func (n *Network) Output() *mat.Dense { return n.probs }

// Loss returns the mean cross-entropy of the network on (x, labels):
// Forward followed by CrossEntropy.
func (n *Network) Loss(x *mat.Dense, labels []int) float64 {
	loss, _ := CrossEntropy(n.Forward(x), labels)
	return loss
}

// CrossEntropy returns E = −(1/N) Σ_n ln a[n][labels[n]] for probabilities
// a (N×k) and the number of rows whose largest probability is at the label.
// A probability of exactly 0 at the label gives +Inf.
func CrossEntropy(a *mat.Dense, labels []int) (loss float64, correct int) {
	ra := a.RawMatrix()
	if len(labels) != ra.Rows {
		panic(fmt.Sprintf("nn: CrossEntropy: %d labels for output %s", len(labels), shape(a)))
	}
	for i, l := range labels {
		row := ra.Data[i*ra.Stride : i*ra.Stride+ra.Cols]
		if l < 0 || l >= len(row) {
			panic(fmt.Sprintf("nn: CrossEntropy: label %d of example %d is outside [0, %d)", l, i, len(row)))
		}
		loss -= math.Log(row[l])
		if argmax(row) == l {
			correct++
		}
	}
	return loss / float64(len(labels)), correct
}

// argmax returns the index of the largest element (the first on ties).
func argmax(row []float64) int {
	best := 0
	for j, x := range row {
		if x > row[best] {
			best = j
		}
	}
	return best
}

// deltaLayer is an output layer that can start backpropagation from
// δ = ∂E/∂v directly (Dense does).
type deltaLayer interface {
	Activation() Activation
	BackwardDelta(delta *mat.Dense, inputGrad bool) *mat.Dense
}

// Backward backpropagates the loss of the last Forward for labels and writes
// every layer's parameter gradients (batch means). For a softmax output layer
// it starts from δ⁽ʰ⁾ = (a − y)/N, which is exact and never divides by a;
// for any other output layer from ∂E/∂a⁽ʰ⁾ = −y/(N·a). The input gradient of
// the first layer is not computed when that layer is a *Dense.
func (n *Network) Backward(labels []int) {
	if n.probs == nil {
		panic("nn: Network.Backward called before Forward")
	}
	bsz, k := n.probs.Dims()
	if len(labels) != bsz {
		panic(fmt.Sprintf("nn: Network.Backward: %d labels for output %s", len(labels), shape(n.probs)))
	}
	top := len(n.Layers) - 1
	inv := 1 / float64(bsz)
	var g *mat.Dense
	if out, ok := n.Layers[top].(deltaLayer); ok && out.Activation() == Softmax {
		// δ⁽ʰ⁾ is written once: straight into a plain Dense layer's own
		// buffer, which BackwardDelta then uses without a copy.
		d := &n.delta
		if dense, ok := out.(*Dense); ok {
			d = &dense.delta
		}
		rp, rd := n.probs.RawMatrix(), reuse(d, bsz, k).RawMatrix()
		for i, l := range labels {
			p, dr := rp.Data[i*rp.Stride:i*rp.Stride+k], rd.Data[i*rd.Stride:i*rd.Stride+k]
			for j := range dr {
				dr[j] = p[j] * inv
			}
			dr[l] -= inv
		}
		g = out.BackwardDelta(*d, top > 0)
	} else {
		d := reuse(&n.delta, bsz, k)
		rp, rd := n.probs.RawMatrix(), d.RawMatrix()
		d.Zero()
		for i, l := range labels {
			rd.Data[i*rd.Stride+l] = -inv / rp.Data[i*rp.Stride+l]
		}
		g = n.Layers[top].Backward(d)
	}
	for s := top - 1; s >= 0; s-- {
		if first, ok := n.Layers[s].(*Dense); ok && s == 0 {
			first.backwardFromA(g, false)
			break
		}
		g = n.Layers[s].Backward(g)
	}
}

// LossAndGrad runs Forward and Backward on (x, labels) and returns the loss;
// the gradients are in Params().
func (n *Network) LossAndGrad(x *mat.Dense, labels []int) float64 {
	loss, _ := CrossEntropy(n.Forward(x), labels)
	n.Backward(labels)
	return loss
}

// Predict returns the most probable class of each row of x.
func (n *Network) Predict(x *mat.Dense) []int {
	p := n.Forward(x)
	r, _ := p.Dims()
	out := make([]int, r)
	rp := p.RawMatrix()
	for i := range out {
		out[i] = argmax(rp.Data[i*rp.Stride : i*rp.Stride+rp.Cols])
	}
	return out
}

// Clone returns a deep copy of a network made of *Dense layers (weights,
// biases and activations; not the cached values). It panics on other layer
// types, which it cannot copy.
func (n *Network) Clone() *Network {
	c := &Network{Layers: make([]Layer, len(n.Layers))}
	for i, l := range n.Layers {
		d, ok := l.(*Dense)
		if !ok {
			panic(fmt.Sprintf("nn: Network.Clone: layer %d is a %T, not a *Dense", i+1, l))
		}
		nIn, nOut := d.Dims()
		e := NewDense(nIn, nOut, d.Act)
		e.W.Copy(d.W)
		e.B.Copy(d.B)
		c.Layers[i] = e
	}
	return c
}
