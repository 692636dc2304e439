// Package corpus holds student layers written from scratch (none embeds
// nn.Dense) for testing graders: Correct are right but unusual (loops
// instead of matrix calls, ReLU′(0) anywhere in [0, 1], gradients zeroed
// in Forward, n_in or n_out = 1, batch 1, zero or ±1e3 weights, 1e-12
// inputs, in-place δ, parameters that are views, other names and orders
// …), and a grader must pass every one of them in every mode; Wrong each
// carry one mistake of gradcheck's catalogue (see gradcheck.Cause), which
// a grader must fail and should name.
//
// A Case is a constructor with the signature graders ask students for,
//
//	func NewLayer(nIn, nOut int) nn.Layer
//
// and the sizes and inputs it is meant to be checked with.
package corpus

import (
	"math/rand/v2"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// Case is one student layer.
type Case struct {
	// Name says what is unusual (or wrong) about the layer.
	Name string
	// New builds the layer n_in → n_out, with its own initial parameters
	// (a grader may overwrite them; some cases are about those values).
	New func(nIn, nOut int) nn.Layer
	// Cause is the mistake of a Wrong case (empty for a Correct one), and
	// Tensor the tensor ("W", "b" or "x") whose diagnosis must name it.
	Cause  gradcheck.Cause
	Tensor string
	// In, Out and Batch are the sizes the case needs: n_in, n_out and N
	// (0: any; the caller's choice).
	In, Out, Batch int
	// InputScale multiplies the check's inputs (0 means 1), e.g. 1e-12.
	InputScale float64
}

// Sizes returns the case's n_in, n_out and N, taking the caller's values
// where the case needs none.
func (c Case) Sizes(nIn, nOut, n int) (int, int, int) {
	pick := func(need, def int) int {
		if need > 0 {
			return need
		}
		return def
	}
	return pick(c.In, nIn), pick(c.Out, nOut), pick(c.Batch, n)
}

// Input returns an N×n_in input in [−1, 1) (times InputScale) drawn from
// seed.
func (c Case) Input(seed uint64, n, nIn int) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 0x636f72707573)) // "corpus"
	s := c.InputScale
	if s == 0 {
		s = 1
	}
	x := mat.NewDense(n, nIn, nil)
	for i, raw := 0, x.RawMatrix().Data; i < len(raw); i++ {
		raw[i] = s * (2*rng.Float64() - 1)
	}
	return x
}

// newCase returns a constructor of layers with activation a and style s,
// initial weights of size k (0: zero), changed by opts.
func newCase(a act, s style, k float64, opts ...func(*layer)) func(nIn, nOut int) nn.Layer {
	return func(nIn, nOut int) nn.Layer {
		l := newLayer(nIn, nOut, a, s)
		if k != 0 {
			l.init(k)
		}
		for _, o := range opts {
			o(l)
		}
		return l
	}
}

func zeroInForward(accumulate bool) func(*layer) {
	return func(l *layer) { l.zeroInForward, l.accumulate = true, accumulate }
}
func inPlaceDelta(l *layer) { l.inPlaceDelta = true }
func freshGrads(l *layer)   { l.freshGrads = true }
func copyInput(l *layer)    { l.copyInput = true }
func noBias(l *layer)       { l.noBias = true }
func withBug(b bug, scale float64, perN bool) func(*layer) {
	return func(l *layer) { l.bug, l.scale, l.perN = b, scale, perN }
}

// Correct returns the correct layers (at least 40); every grader must
// pass each of them, whatever the mode and with or without randomised
// parameters.
func Correct() []Case {
	cs := []Case{
		{Name: "ReLU, matrix calls", New: newCase(relu(0), matrix, 0.8)},
		{Name: "ReLU, triple loops with At/Set", New: newCase(relu(0), loops, 0.8)},
		{Name: "ReLU, one example at a time (Σ δ⁽ⁿ⁾a⁽ⁿ⁾ᵀ)", New: newCase(relu(0), perExample, 0.8)},
		{Name: "ReLU, loops over raw slices", New: newCase(relu(0), raw, 0.8)},
		{Name: "sigmoid, loops", New: newCase(sigmoid, loops, 0.8)},
		{Name: "tanh, matrix calls", New: newCase(tanh, matrix, 0.8)},
		{Name: "identity, raw slices", New: newCase(identity, raw, 0.8)},
		{Name: "softplus, one example at a time", New: newCase(softplus, perExample, 0.8)},
		{Name: "leaky ReLU (0.1), loops", New: newCase(leaky, loops, 0.8)},
		{Name: "softmax written from scratch, loops", New: newCase(softmax, loops, 0.8)},
		{Name: "ReLU′(0) = 0, zero weights (every unit at its kink)", New: newCase(relu(0), matrix, 0)},
		{Name: "ReLU′(0) = 0.5, zero weights", New: newCase(relu(0.5), loops, 0)},
		{Name: "ReLU′(0) = 1, zero weights", New: newCase(relu(1), raw, 0)},
		{Name: "ReLU′(0) = 0.3, zero weights", New: newCase(relu(0.3), perExample, 0)},
		{Name: "ReLU′(0) = 1, random weights", New: newCase(relu(1), loops, 0.8)},
		{Name: "leaky ReLU, zero weights (kinks)", New: newCase(leaky, matrix, 0)},
		{Name: "gradients zeroed in Forward, Backward adds (zero_grad habit)", New: newCase(relu(0), matrix, 0.8, zeroInForward(true))},
		{Name: "gradients zeroed in Forward, Backward overwrites", New: newCase(tanh, loops, 0.8, zeroInForward(false))},
		{Name: "gradients zeroed in Forward, sigmoid, one example at a time", New: newCase(sigmoid, perExample, 0.8, zeroInForward(true))},
		{Name: "δ computed in place in g (ReLU)", New: newCase(relu(0), matrix, 0.8, inPlaceDelta)},
		{Name: "δ computed in place in g (sigmoid, loops)", New: newCase(sigmoid, loops, 0.8, inPlaceDelta)},
		{Name: "δ computed in place in g (softmax)", New: newCase(softmax, loops, 0.8, inPlaceDelta)},
		{Name: "new gradient matrices on every Backward", New: newCase(relu(0), raw, 0.8, freshGrads)},
		{Name: "keeps a copy of its input", New: newCase(tanh, matrix, 0.8, copyInput)},
		{Name: "no bias (W only)", New: newCase(relu(0), loops, 0.8, noBias)},
		{Name: "n_in = 1", New: newCase(relu(0), matrix, 0.8), In: 1},
		{Name: "n_out = 1", New: newCase(tanh, loops, 0.8), Out: 1},
		{Name: "n_in = n_out = 1", New: newCase(sigmoid, raw, 0.8), In: 1, Out: 1},
		{Name: "batch of 1", New: newCase(relu(0), perExample, 0.8), Batch: 1},
		{Name: "batch of 1, n_in = 1", New: newCase(tanh, loops, 0.8), Batch: 1, In: 1},
		{Name: "zero weights and biases (tanh)", New: newCase(tanh, matrix, 0)},
		{Name: "weights ±1e3 (ReLU)", New: newCase(relu(0), matrix, 1e3)},
		{Name: "weights ±1e3 (tanh, saturated)", New: newCase(tanh, loops, 1e3)},
		{Name: "weights ±1e3 (sigmoid, saturated)", New: newCase(sigmoid, raw, 1e3)},
		{Name: "weights ±1e3 (identity)", New: newCase(identity, matrix, 1e3)},
		{Name: "inputs of 1e-12 (ReLU)", New: newCase(relu(0), loops, 0.8), InputScale: 1e-12},
		{Name: "inputs of 1e-12 (tanh)", New: newCase(tanh, matrix, 0.8), InputScale: 1e-12},
		{Name: "inputs of 1e3 (sigmoid)", New: newCase(sigmoid, matrix, 0.8), InputScale: 1e3},
		{Name: "bias folded into W: parameters are views of [W | b]", New: func(nIn, nOut int) nn.Layer { return newFolded(nIn, nOut) }},
		{Name: "weights stored n_in×n_out, named weight, after the bias", New: func(nIn, nOut int) nn.Layer { return newTransposedStorage(nIn, nOut) }},
		{Name: "reuses and returns its own buffers", New: func(nIn, nOut int) nn.Layer {
			return &ownedBuffers{layer: newLayer(nIn, nOut, relu(0), raw).init(0.8)}
		}},
		{Name: "square layer", New: newCase(relu(0), raw, 0.8), In: 5, Out: 5},
		{Name: "large layer (spot check)", New: newCase(relu(0), matrix, 0.3), In: 80, Out: 64},
		{Name: "batch of 1, sigmoid, one example at a time", New: newCase(sigmoid, perExample, 0.8), Batch: 1},
	}
	return cs
}

// Wrong returns the wrong layers (at least 25), each with its mistake: a
// cause of gradcheck's catalogue, or CauseUnknown for a mistake in no
// catalogue (the diagnosis must then say that nothing fits).
func Wrong() []Case {
	w := func(name string, c gradcheck.Cause, tensor string, a act, s style, b bug, scale float64, perN bool) Case {
		return Case{Name: name, Cause: c, Tensor: tensor, New: newCase(a, s, 0.8, withBug(b, scale, perN))}
	}
	sq := func(c Case, n int) Case { c.In, c.Out = n, n; return c }
	return []Case{
		sq(w("∂E/∂W = Xᵀ·Δ (transposed; square)", gradcheck.CauseTransposed, "W", relu(0), matrix, bugTransposeDW, 0, false), 5),
		sq(w("∂E/∂W transposed (tanh, square)", gradcheck.CauseTransposed, "W", tanh, loops, bugTransposeDW, 0, false), 4),
		sq(w("∂L/∂x = Δ·Wᵀ (square)", gradcheck.CauseTransposed, "x", relu(0), matrix, bugTransposeGX, 0, false), 5),
		w("∂E/∂W doubled", gradcheck.CauseScaled, "W", relu(0), matrix, bugScaleDW, 2, false),
		w("∂E/∂W with the wrong sign", gradcheck.CauseScaled, "W", tanh, loops, bugScaleDW, -1, false),
		w("∂E/∂W divided by N", gradcheck.CauseScaled, "W", sigmoid, raw, bugScaleDW, 0, true),
		w("∂E/∂b times 3", gradcheck.CauseScaled, "b", relu(0), loops, bugScaleDB, 3, false),
		w("∂L/∂x with the wrong sign", gradcheck.CauseScaled, "x", tanh, matrix, bugScaleGX, -1, false),
		w("φ′ mask missing (ReLU)", gradcheck.CauseMaskMissing, "W", relu(0), matrix, bugNoMask, 0, false),
		w("φ′ mask missing (sigmoid)", gradcheck.CauseMaskMissing, "W", sigmoid, loops, bugNoMask, 0, false),
		w("φ′ mask missing (tanh, one example at a time)", gradcheck.CauseMaskMissing, "W", tanh, perExample, bugNoMask, 0, false),
		w("σ′ = v(1−v) instead of a(1−a)", gradcheck.CauseMaskWrong, "W", sigmoid, matrix, bugMaskWrong, 0, false),
		w("tanh′ = 1−v² instead of 1−a²", gradcheck.CauseMaskWrong, "W", tanh, raw, bugMaskWrong, 0, false),
		sq(w("ReLU′ from the input x instead of v", gradcheck.CauseMaskWrong, "W", relu(0), loops, bugMaskWrong, 0, false), 5),
		w("∂E/∂W never written", gradcheck.CauseNotWritten, "W", relu(0), matrix, bugNoDW, 0, false),
		w("∂E/∂b never written", gradcheck.CauseNotWritten, "b", tanh, loops, bugNoDB, 0, false),
		w("∂E/∂b from the previous call's δ", gradcheck.CauseStale, "b", relu(0), raw, bugStaleDB, 0, false),
		w("∂E/∂W from the previous call's δ", gradcheck.CauseStale, "W", sigmoid, matrix, bugStaleDW, 0, false),
		w("gradients added to, never cleared", gradcheck.CauseAccumulated, "W", tanh, matrix, bugAccumulate, 0, false),
		w("only the first example (ReLU)", gradcheck.CauseFirstExample, "W", relu(0), matrix, bugFirstExample, 0, false),
		w("only the first example (sigmoid, one example at a time)", gradcheck.CauseFirstExample, "W", sigmoid, perExample, bugFirstExample, 0, false),
		w("examples of Δ and X paired in reverse order", gradcheck.CauseRowsPermuted, "W", tanh, loops, bugReverseRows, 0, false),
		{Name: "∂E/∂b summed over the units (N = n_out)", Cause: gradcheck.CauseBiasAxis, Tensor: "b",
			New: newCase(relu(0), matrix, 0.8, withBug(bugBiasAxis, 0, false)), In: 6, Out: 4, Batch: 4},
		w("∂E/∂b averaged while ∂E/∂W is summed", gradcheck.CauseBiasAveraged, "b", tanh, raw, bugBiasMean, 0, false),
		w("∂E/∂b = Gᵀ·1, the mask missing from the bias only (ReLU)", gradcheck.CauseBiasMaskMissing, "b", relu(0), matrix, bugBiasFromG, 0, false),
		w("∂E/∂b = Gᵀ·1 (tanh, loops)", gradcheck.CauseBiasMaskMissing, "b", tanh, loops, bugBiasFromG, 0, false),
		w("sign flipped in the odd rows of ∂E/∂W", gradcheck.CauseSignRows, "W", relu(0), loops, bugSignRows, 0, false),
		w("the lab's bug: ∂L/∂x = G·W (ReLU)", gradcheck.CauseLabBug, "x", relu(0), matrix, bugLabGX, 0, false),
		w("the lab's bug: ∂L/∂x = G·W (tanh, loops)", gradcheck.CauseLabBug, "x", tanh, loops, bugLabGX, 0, false),
		w("the lab's bug: ∂L/∂x = G·W (sigmoid)", gradcheck.CauseLabBug, "x", sigmoid, raw, bugLabGX, 0, false),
		w("∂L/∂x written into the caller's x", gradcheck.CauseInputModified, "x", relu(0), matrix, bugClobberX, 0, false),
		// Mistakes in no catalogue: the diagnosis must say that nothing fits.
		w("∂E/∂W + 0.3 (no known cause)", gradcheck.CauseUnknown, "W", tanh, matrix, bugOffsetDW, 0, false),
		w("∂L/∂x = Δ·|W| (no known cause)", gradcheck.CauseUnknown, "x", relu(0), loops, bugAbsW, 0, false),
	}
}
