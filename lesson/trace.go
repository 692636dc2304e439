package lesson

import (
	"fmt"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// Trace is one forward and backward pass of a network on a batch, with every
// intermediate value of the derivation copied out of nn's layers.
//
// Rows are examples (see nn's doc): for a batch of N examples, the per-layer
// vectors u, v, a, δ of the derivation are the rows of the N×n_out matrices
// U, V, A, Delta, and δ includes the 1/N of the batch mean.
type Trace struct {
	X       *mat.Dense   // a⁽⁰⁾ = x, N×n_in
	Labels  []int        // class of each example
	Y       *mat.Dense   // one-hot targets, N×k
	Loss    float64      // E = −(1/N) Σ_n Σ_j y_nj ln a_nj
	Correct int          // examples whose most probable class is the label
	Layers  []LayerTrace // Layers[s−1] is layer s; the last is the output layer h

	net *nn.Network // a private clone, for finite differences
}

// LayerTrace holds the values of layer s for the traced batch. All matrices
// are copies owned by the trace.
type LayerTrace struct {
	S   int    // layer number, 1 … h
	Act string // name of φ⁽ˢ⁾: "relu", "softmax", …

	W *mat.Dense // W⁽ˢ⁾, n_out×n_in
	B *mat.Dense // b⁽ˢ⁾, n_out×1

	U    *mat.Dense // u⁽ˢ⁾ = W⁽ˢ⁾a⁽ˢ⁻¹⁾; batch U = A⁽ˢ⁻¹⁾W⁽ˢ⁾ᵀ, N×n_out
	V    *mat.Dense // v⁽ˢ⁾ = u⁽ˢ⁾ + b⁽ˢ⁾, N×n_out
	A    *mat.Dense // a⁽ˢ⁾ = φ⁽ˢ⁾(v⁽ˢ⁾), N×n_out
	DPhi *mat.Dense // φ′(v⁽ˢ⁾), N×n_out; nil for softmax (its Jacobian is not diagonal)
	// G is ∂E/∂a⁽ˢ⁾ = W⁽ˢ⁺¹⁾ᵀδ⁽ˢ⁺¹⁾ (batch: Δ⁽ˢ⁺¹⁾W⁽ˢ⁺¹⁾, N×n_out), what
	// layer s+1 sends back; nil for the output layer.
	G     *mat.Dense
	Delta *mat.Dense // δ⁽ˢ⁾ = ∂E/∂v⁽ˢ⁾, N×n_out (batch mean: includes 1/N)
	DW    *mat.Dense // ∂E/∂W⁽ˢ⁾ = δ⁽ˢ⁾a⁽ˢ⁻¹⁾ᵀ; batch Δᵀ·A⁽ˢ⁻¹⁾, n_out×n_in
	DB    *mat.Dense // ∂E/∂b⁽ˢ⁾ = δ⁽ˢ⁾; batch Δᵀ·1, n_out×1
}

// NewTrace runs one forward and backward pass of net on the batch x (N×n_in,
// one example per row) with the given labels and returns every intermediate
// value. It works on a clone, so net (weights, caches and gradients) is left
// untouched. It panics if a layer is not an *nn.Dense or the shapes do not
// fit.
func NewTrace(net *nn.Network, x *mat.Dense, labels []int) *Trace {
	c := net.Clone()
	loss := c.LossAndGrad(x, labels)
	_, correct := nn.CrossEntropy(c.Output(), labels)
	_, k := c.Output().Dims()
	t := &Trace{
		X:       mat.DenseCopyOf(x),
		Labels:  append([]int(nil), labels...),
		Y:       nn.OneHot(labels, k),
		Loss:    loss,
		Correct: correct,
		net:     c,
	}
	for s := 1; s <= len(c.Layers); s++ {
		d := c.Dense(s)
		lt := LayerTrace{
			S: s, Act: d.Act.Name(),
			W: mat.DenseCopyOf(d.W), B: mat.DenseCopyOf(d.B),
			U: mat.DenseCopyOf(d.U()), V: mat.DenseCopyOf(d.V()), A: mat.DenseCopyOf(d.A()),
			Delta: mat.DenseCopyOf(d.Delta()),
			DW:    mat.DenseCopyOf(d.DW), DB: mat.DenseCopyOf(d.DB),
		}
		if e, ok := d.Act.(nn.Elementwise); ok {
			lt.DPhi = nn.Derivative(e, d.V(), d.A())
		}
		t.Layers = append(t.Layers, lt)
	}
	for s := 1; s < len(t.Layers); s++ {
		up := t.Layers[s] // layer s+1
		g := new(mat.Dense)
		g.Mul(up.Delta, up.W)
		t.Layers[s-1].G = g
	}
	return t
}

// H returns the number of layers h (the output layer's number).
func (t *Trace) H() int { return len(t.Layers) }

// N returns the number of examples in the batch.
func (t *Trace) N() int { r, _ := t.X.Dims(); return r }

// Layer returns layer s (1 … h). It panics outside that range.
func (t *Trace) Layer(s int) *LayerTrace {
	if s < 1 || s > len(t.Layers) {
		panic(fmt.Sprintf("lesson: Trace.Layer: layer %d outside 1…%d", s, len(t.Layers)))
	}
	return &t.Layers[s-1]
}

// Input returns a⁽ˢ⁻¹⁾, the input of layer s: x for s = 1.
func (t *Trace) Input(s int) *mat.Dense {
	if s == 1 {
		return t.X
	}
	return t.Layer(s - 1).A
}

// Sizes returns the layer widths {n_in, n_1, …, n_h}.
func (t *Trace) Sizes() []int {
	_, c := t.X.Dims()
	sizes := []int{c}
	for _, l := range t.Layers {
		r, _ := l.W.Dims()
		sizes = append(sizes, r)
	}
	return sizes
}
