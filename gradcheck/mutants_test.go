package gradcheck

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// The mutant suite: deliberately wrong backward passes, each of which the
// checker must catch and pin to exactly the tensors whose gradient is
// wrong; and correct ones, in awkward places, that it must never fail.
//
// Mutants are nn.Layer wrappers around *nn.Dense that override Backward
// (hidden layers: nn.Network calls Layer.Backward) or BackwardDelta (the
// softmax output layer: nn.Network starts from δ⁽ʰ⁾ = (a − y)/N).

// labBug is the lab's own bug: Backward returns g·W instead of δ·W, so the
// ReLU mask φ′(v) is missing from what flows to the layer below.
type labBug struct{ *nn.Dense }

func (m labBug) Backward(g *mat.Dense) *mat.Dense {
	m.Dense.Backward(g)
	var gx mat.Dense
	gx.Mul(g, m.W)
	return &gx
}

// scaleDW multiplies ∂E/∂W by k (hidden layer).
type scaleDW struct {
	*nn.Dense
	k float64
}

func (m scaleDW) Backward(g *mat.Dense) *mat.Dense {
	gx := m.Dense.Backward(g)
	m.DW.Scale(m.k, m.DW)
	return gx
}

// outScaleDB multiplies ∂E/∂b of the output layer by k.
type outScaleDB struct {
	*nn.Dense
	k float64
}

func (m outScaleDB) BackwardDelta(delta *mat.Dense, inputGrad bool) *mat.Dense {
	gx := m.Dense.BackwardDelta(delta, inputGrad)
	m.DB.Scale(m.k, m.DB)
	return gx
}

// noMask forgets φ′: it treats g = ∂E/∂a as δ = ∂E/∂v.
type noMask struct{ *nn.Dense }

func (m noMask) Backward(g *mat.Dense) *mat.Dense { return m.Dense.BackwardDelta(g, true) }

// transposedW returns δ·Wᵀ instead of δ·W (a square W, so shapes agree).
type transposedW struct{ *nn.Dense }

func (m transposedW) Backward(g *mat.Dense) *mat.Dense {
	m.Dense.Backward(g)
	var gx mat.Dense
	gx.Mul(m.Delta(), m.W.T())
	return &gx
}

// unaveraged sums over the batch instead of averaging: δ⁽ʰ⁾ = a − y.
type unaveraged struct{ *nn.Dense }

func (m unaveraged) BackwardDelta(delta *mat.Dense, inputGrad bool) *mat.Dense {
	var d mat.Dense
	d.Scale(float64(delta.RawMatrix().Rows), delta)
	return m.Dense.BackwardDelta(&d, inputGrad)
}

// noSubtractY uses δ⁽ʰ⁾ = a/N, forgetting to subtract y.
type noSubtractY struct{ *nn.Dense }

func (m noSubtractY) BackwardDelta(delta *mat.Dense, inputGrad bool) *mat.Dense {
	var d mat.Dense
	d.Scale(1/float64(delta.RawMatrix().Rows), m.A())
	return m.Dense.BackwardDelta(&d, inputGrad)
}

// offByOne writes the gradient of layer s+1 into layer s's slots (an
// index off by one; W⁽ˢ⁾ and W⁽ˢ⁺¹⁾ have the same shape).
type offByOne struct {
	*nn.Dense
	next *nn.Dense
}

func (m offByOne) Backward(g *mat.Dense) *mat.Dense {
	gx := m.Dense.Backward(g)
	m.DW.Copy(m.next.DW)
	m.DB.Copy(m.next.DB)
	return gx
}

// signFlip negates ∂E/∂W.
type signFlip struct{ *nn.Dense }

func (m signFlip) Backward(g *mat.Dense) *mat.Dense {
	gx := m.Dense.Backward(g)
	m.DW.Scale(-1, m.DW)
	return gx
}

// sigmoidAtV computes σ′ as v(1−v) instead of a(1−a).
type sigmoidAtV struct{ *nn.Dense }

func (m sigmoidAtV) Backward(g *mat.Dense) *mat.Dense {
	var d mat.Dense
	d.Apply(func(i, j int, v float64) float64 { return v * (1 - v) * g.At(i, j) }, m.V())
	return m.Dense.BackwardDelta(&d, true)
}

// oneBias doubles the gradient of a single bias element.
type oneBias struct {
	*nn.Dense
	i int
}

func (m oneBias) Backward(g *mat.Dense) *mat.Dense {
	gx := m.Dense.Backward(g)
	m.DB.Set(m.i, 0, 2*m.DB.At(m.i, 0))
	return gx
}

// oneRow triples one row of ∂E/∂W (one unit's weights).
type oneRow struct {
	*nn.Dense
	i int
}

func (m oneRow) Backward(g *mat.Dense) *mat.Dense {
	gx := m.Dense.Backward(g)
	for j := range m.DW.RawMatrix().Cols {
		m.DW.Set(m.i, j, 3*m.DW.At(m.i, j))
	}
	return gx
}

// noBiasGrad leaves ∂E/∂b at zero.
type noBiasGrad struct{ *nn.Dense }

func (m noBiasGrad) Backward(g *mat.Dense) *mat.Dense {
	gx := m.Dense.Backward(g)
	m.DB.Zero()
	return gx
}

// wrongActivation uses A⁽ˢ⁾ instead of A⁽ˢ⁻¹⁾ in ∂E/∂W = δᵀ·A (square W).
type wrongActivation struct{ *nn.Dense }

func (m wrongActivation) Backward(g *mat.Dense) *mat.Dense {
	gx := m.Dense.Backward(g)
	m.DW.Mul(m.Delta().T(), m.A())
	return gx
}

// studentReLU is a layer written from scratch, as a student would, not
// built on nn.Dense: it has no V() or Activation(), so its kinks are not
// fingerprinted and the checker must recognise them numerically. With
// bug set, its Backward has the lab's bug.
type studentReLU struct {
	W, B, DW, DB *mat.Dense
	x, v         *mat.Dense
	bug          bool
}

func newStudentReLU(nIn, nOut int, seed uint64) *studentReLU {
	l := &studentReLU{W: mat.NewDense(nOut, nIn, nil), B: mat.NewDense(nOut, 1, nil),
		DW: mat.NewDense(nOut, nIn, nil), DB: mat.NewDense(nOut, 1, nil)}
	x, _ := randData(seed, nOut, nIn, 1)
	l.W.Copy(x)
	return l
}

func (l *studentReLU) Forward(x *mat.Dense) *mat.Dense {
	l.x = x
	var v mat.Dense
	v.Mul(x, l.W.T())
	v.Apply(func(i, j int, u float64) float64 { return u + l.B.At(j, 0) }, &v)
	l.v = &v
	var a mat.Dense
	a.Apply(func(_, _ int, u float64) float64 { return math.Max(u, 0) }, &v)
	return &a
}

func (l *studentReLU) Backward(g *mat.Dense) *mat.Dense {
	var delta mat.Dense
	delta.Apply(func(i, j int, gv float64) float64 {
		if l.v.At(i, j) > 0 {
			return gv
		}
		return 0
	}, g)
	l.DW.Mul(delta.T(), l.x)
	for j := range l.DB.RawMatrix().Rows {
		l.DB.Set(j, 0, mat.Sum(delta.ColView(j)))
	}
	var gx mat.Dense
	if l.bug {
		gx.Mul(g, l.W)
	} else {
		gx.Mul(&delta, l.W)
	}
	return &gx
}

func (l *studentReLU) Params() []nn.Param {
	return []nn.Param{{Name: "W", Value: l.W, Grad: l.DW}, {Name: "b", Value: l.B, Grad: l.DB}}
}

// wrap replaces layer s (1-based) of net by f(its *nn.Dense).
func wrap(net *nn.Network, s int, f func(d *nn.Dense) nn.Layer) *nn.Network {
	net.Layers[s-1] = f(net.Dense(s))
	return net
}

type gradCase struct {
	name  string
	check func(o *Options) *Report
	want  []string // the tensors that must fail (nil: none)
	kinks bool     // a correct case whose element checks must skip kinks
}

func withKinks(c gradCase) gradCase { c.kinks = true; return c }

// netCase checks net (built fresh by build) on a random batch of 7.
func netCase(name string, build func() *nn.Network, want ...string) gradCase {
	return gradCase{name: name, want: want, check: func(o *Options) *Report {
		net := build()
		sizes := dims(net)
		x, labels := randData(3, 7, sizes[0], sizes[len(sizes)-1])
		return CheckNetwork(net, x, labels, o)
	}}
}

// dims returns the layer widths of a network of (possibly wrapped) Dense
// layers.
func dims(net *nn.Network) []int {
	var sizes []int
	for _, l := range net.Layers {
		if len(l.Params()) == 0 {
			continue // zeroRow, scaledInput
		}
		r, c := l.Params()[0].Value.Dims()
		if sizes == nil {
			sizes = append(sizes, c)
		}
		sizes = append(sizes, r)
	}
	return sizes
}

func layerCase(name string, build func() nn.Layer, want ...string) gradCase {
	return gradCase{name: name, want: want, check: func(o *Options) *Report {
		l := build()
		nIn := l.Params()[0].Value.RawMatrix().Cols
		x, _ := randData(5, 6, nIn, 1)
		return CheckLayer(l, x, o)
	}}
}

func relu(seed uint64, sizes ...int) func() *nn.Network {
	return func() *nn.Network { return randomNet(seed, nn.ReLU, sizes...) }
}

func mutants() []gradCase {
	return []gradCase{
		netCase("lab bug g·Wᵀ instead of δ·Wᵀ (2 hidden layers)", func() *nn.Network {
			return wrap(relu(1, 6, 5, 4, 3)(), 2, func(d *nn.Dense) nn.Layer { return labBug{d} })
		}, "W1", "b1"),
		netCase("dW scaled by 2", func() *nn.Network {
			return wrap(relu(2, 6, 5, 4, 3)(), 2, func(d *nn.Dense) nn.Layer { return scaleDW{d, 2} })
		}, "W2"),
		netCase("db scaled by 4 (output layer)", func() *nn.Network {
			return wrap(relu(3, 6, 5, 4, 3)(), 3, func(d *nn.Dense) nn.Layer { return outScaleDB{d, 4} })
		}, "b3"),
		netCase("missing ReLU mask", func() *nn.Network {
			return wrap(relu(4, 6, 5, 4, 3)(), 2, func(d *nn.Dense) nn.Layer { return noMask{d} })
		}, "W1", "b1", "W2", "b2"),
		netCase("transposed W in the delta", func() *nn.Network {
			return wrap(relu(5, 6, 5, 5, 3)(), 2, func(d *nn.Dense) nn.Layer { return transposedW{d} })
		}, "W1", "b1"),
		netCase("un-averaged batch gradient", func() *nn.Network {
			return wrap(relu(6, 6, 5, 4, 3)(), 3, func(d *nn.Dense) nn.Layer { return unaveraged{d} })
		}, "W1", "b1", "W2", "b2", "W3", "b3"),
		netCase("softmax delta without subtracting y", func() *nn.Network {
			return wrap(relu(7, 6, 5, 4, 3)(), 3, func(d *nn.Dense) nn.Layer { return noSubtractY{d} })
		}, "W1", "b1", "W2", "b2", "W3", "b3"),
		netCase("off-by-one layer: layer 2's gradient written to layer 1", func() *nn.Network {
			net := relu(18, 5, 5, 5, 3)() // seed 8 has a dead layer 2
			return wrap(net, 1, func(d *nn.Dense) nn.Layer { return offByOne{d, net.Dense(2)} })
		}, "W1", "b1"),
		netCase("sign flip of dW1", func() *nn.Network {
			return wrap(relu(9, 6, 5, 4, 3)(), 1, func(d *nn.Dense) nn.Layer { return signFlip{d} })
		}, "W1"),
		netCase("sigmoid′ evaluated at v instead of a", func() *nn.Network {
			net := randomNet(10, nn.Sigmoid, 6, 5, 4, 3)
			return wrap(net, 2, func(d *nn.Dense) nn.Layer { return sigmoidAtV{d} })
		}, "W1", "b1", "W2", "b2"),
		netCase("one bias element doubled", func() *nn.Network {
			return wrap(relu(11, 6, 5, 4, 3)(), 1, func(d *nn.Dense) nn.Layer { return oneBias{d, 3} })
		}, "b1"),
		netCase("one row of a large W tripled (spot check)", func() *nn.Network {
			return wrap(relu(12, 300, 40, 3)(), 1, func(d *nn.Dense) nn.Layer { return oneRow{d, 17} })
		}, "W1"),
		netCase("bias gradient left at zero", func() *nn.Network {
			return wrap(relu(13, 6, 5, 4, 3)(), 2, func(d *nn.Dense) nn.Layer { return noBiasGrad{d} })
		}, "b2"),
		netCase("dW from A⁽ˢ⁾ instead of A⁽ˢ⁻¹⁾", func() *nn.Network {
			return wrap(relu(14, 6, 5, 5, 3)(), 2, func(d *nn.Dense) nn.Layer { return wrongActivation{d} })
		}, "W2"),
		layerCase("layer check: lab bug", func() nn.Layer {
			return labBug{randomNet(15, nn.ReLU, 6, 5, 3).Dense(1)}
		}, "x"),
		layerCase("layer check: missing ReLU mask", func() nn.Layer {
			return noMask{randomNet(16, nn.ReLU, 6, 5, 3).Dense(1)}
		}, "W", "b", "x"),
		layerCase("layer check: student's own layer with the lab bug", func() nn.Layer {
			l := newStudentReLU(6, 5, 17)
			l.bug = true
			return l
		}, "x"),
	}
}

// correctCases are right gradients in awkward places: none may fail.
func correctCases() []gradCase {
	var cs []gradCase
	for _, act := range []nn.Elementwise{nn.ReLU, nn.Sigmoid, nn.Tanh, nn.Identity} {
		cs = append(cs, netCase("random "+act.Name()+" net", func() *nn.Network {
			return randomNet(20, act, 6, 5, 4, 3)
		}))
	}
	cs = append(cs,
		// nn.New's zero biases: an example whose first layer is entirely
		// inactive gives v⁽²⁾ = 0 exactly, a kink every b2 element straddles.
		withKinks(netCase("zero biases, a dead example (exact kinks)", func() *nn.Network {
			net := nn.MustNew(nn.Config{Sizes: []int{6, 5, 4, 3}, Init: nn.Uniform(0.8), Seed: 21})
			return killFirstExample(net)
		})),
		// Every unit sits at its kink, but with zero weights above them no
		// kink changes the loss: every element is decided (and right).
		netCase("zero weights and biases (ReLU)", func() *nn.Network {
			return nn.MustNew(nn.Config{Sizes: []int{6, 5, 4, 3}, Init: nn.Uniform(0), Seed: 22})
		}),
		netCase("zero weights and biases (tanh)", func() *nn.Network {
			return nn.MustNew(nn.Config{Sizes: []int{6, 5, 4, 3}, Hidden: nn.Tanh, Init: nn.Uniform(0), Seed: 22})
		}),
		withKinks(netCase("units exactly at their kink", func() *nn.Network {
			net := randomNet(23, nn.ReLU, 6, 5, 4, 3)
			x, _ := randData(3, 7, 6, 3)
			// b1[i] = −u1[n,i] puts unit i of example n exactly at v = 0.
			d := net.Dense(1)
			d.Forward(x)
			for i := range 5 {
				d.B.Set(i, 0, -d.U().At(i, i))
			}
			return net
		})),
		netCase("tiny gradients: inputs of 1e-10", func() *nn.Network {
			return &nn.Network{Layers: []nn.Layer{scaledInput{1e-10}, randomNet(24, nn.Tanh, 6, 5, 3).Layers[0], randomNet(24, nn.Tanh, 6, 5, 3).Layers[1]}}
		}),
		netCase("a large layer (spot check)", relu(25, 300, 40, 3)),
		// The lab's bug is harmless with one hidden layer: the input
		// gradient it gets wrong is never used.
		netCase("lab bug with one hidden layer (harmless)", func() *nn.Network {
			return wrap(relu(29, 6, 5, 3)(), 1, func(d *nn.Dense) nn.Layer { return labBug{d} })
		}),
		layerCase("layer: tiny gradients (saturated sigmoid, ≈1e-10)", func() nn.Layer {
			d := randomNet(26, nn.ReLU, 6, 5, 3).Dense(1)
			d.Act = nn.Sigmoid
			for i := range 5 {
				d.B.Set(i, 0, 23) // σ′(23) ≈ 1e-10
			}
			return d
		}),
		withKinks(layerCase("layer: zero weights (ReLU, every unit at its kink)", func() nn.Layer {
			return nn.NewDense(6, 5, nn.ReLU)
		})),
		layerCase("layer: softmax", func() nn.Layer {
			d := randomNet(27, nn.ReLU, 6, 5, 3).Dense(1)
			d.Act = nn.Softmax
			return d
		}),
		withKinks(gradCase{name: "layer: student's own ReLU layer at exact kinks (no fingerprint)", check: func(o *Options) *Report {
			// Zero bias and an all-zero example: v = 0 exactly for every
			// unit of that example, and the layer offers no fingerprint.
			x, _ := randData(5, 6, 6, 1)
			for j := range 6 {
				x.Set(2, j, 0)
			}
			return CheckLayer(newStudentReLU(6, 5, 28), x, o)
		}}),
		gradCase{name: "function: 1e-10·Σ sin θ", check: func(o *Options) *Report {
			return Check(tinyFunc(1e-10), o)
		}},
		withKinks(gradCase{name: "function: max(θ, 0) at θ = 0 (a kink, numerically detected)", check: func(o *Options) *Report {
			return Check(reluFunc(), o)
		}}),
	)
	return cs
}

// killFirstExample makes example 0 of any batch from randData dead in
// layer 1 by giving W1 a huge weight on input 0 against its sign... it
// relies on the data: instead the caller's batch row 0 is zeroed through a
// zeroing layer in front.
func killFirstExample(net *nn.Network) *nn.Network {
	net.Layers = append([]nn.Layer{zeroRow{}}, net.Layers...)
	return net
}

// zeroRow is a parameter-free layer that zeroes row 0 of its input: with
// zero biases the next layers then see v = 0 exactly for that example.
type zeroRow struct{}

func (zeroRow) Forward(x *mat.Dense) *mat.Dense {
	y := mat.DenseCopyOf(x)
	for j := range y.RawMatrix().Cols {
		y.Set(0, j, 0)
	}
	return y
}
func (zeroRow) Backward(g *mat.Dense) *mat.Dense { return g }
func (zeroRow) Params() []nn.Param               { return nil }
func (zeroRow) KinkPattern(dst []byte) []byte    { return dst }

// scaledInput multiplies its input by k (no parameters).
type scaledInput struct{ k float64 }

func (s scaledInput) Forward(x *mat.Dense) *mat.Dense {
	var y mat.Dense
	y.Scale(s.k, x)
	return &y
}
func (s scaledInput) Backward(g *mat.Dense) *mat.Dense {
	var y mat.Dense
	y.Scale(s.k, g)
	return &y
}
func (scaledInput) Params() []nn.Param            { return nil }
func (scaledInput) KinkPattern(dst []byte) []byte { return dst }

// tinyFunc is f(θ) = k·Σ sin θ_i with its gradient k·cos θ.
func tinyFunc(k float64) Func {
	th := mat.NewDense(3, 4, nil)
	g := mat.NewDense(3, 4, nil)
	for i := range 12 {
		th.RawMatrix().Data[i] = float64(i) - 5.5
		g.RawMatrix().Data[i] = k * math.Cos(th.RawMatrix().Data[i])
	}
	return Func{Params: []nn.Param{{Name: "θ", Value: th, Grad: g}}, Loss: func() float64 {
		var s float64
		for _, t := range th.RawMatrix().Data {
			s += k * math.Sin(t)
		}
		return s
	}}
}

// reluFunc is f(θ) = Σ max(θ_i, 0) + θ_i² with gradient 1{θ > 0} + 2θ,
// evaluated with θ_0 = 0 exactly (a kink: the central difference there is
// ½, the convention 0) and no kink fingerprint.
func reluFunc() Func {
	th := mat.NewDense(1, 4, []float64{0, 0.5, -1, 2})
	g := mat.NewDense(1, 4, nil)
	for i, t := range th.RawMatrix().Data {
		s := 0.0
		if t > 0 {
			s = 1
		}
		g.Set(0, i, s+2*t)
	}
	return Func{Params: []nn.Param{{Name: "θ", Value: th, Grad: g}}, Loss: func() float64 {
		var s float64
		for _, t := range th.RawMatrix().Data {
			s += max(t, 0) + t*t
		}
		return s
	}}
}

func failing(r *Report) []string {
	var names []string
	for _, t := range r.Failures() {
		names = append(names, t.Name)
	}
	sort.Strings(names)
	return names
}

var modes = []Mode{Auto, Directional}

func TestMutantsAreCaughtAndPinned(t *testing.T) {
	caught, total := 0, 0
	for _, c := range mutants() {
		for _, m := range modes {
			total++
			t.Run(fmt.Sprintf("%s/%s", c.name, m), func(t *testing.T) {
				r := c.check(&Options{Mode: m})
				want := slices.Clone(c.want)
				sort.Strings(want)
				got := failing(r)
				if !slices.Equal(got, want) {
					t.Errorf("failing tensors %v, want %v\n%s", got, want, r)
					return
				}
				caught++
				for _, tr := range r.Failures() {
					if tr.Worst.Status != StatusFailed || tr.Failed == 0 {
						t.Errorf("%s failed without a failing worst element: %+v", tr.Name, tr)
					}
				}
			})
		}
	}
	t.Logf("mutants caught and pinned to the right tensors: %d/%d", caught, total)
}

func TestCorrectGradientsNeverFail(t *testing.T) {
	alarms, suspicious, total, kinks := 0, 0, 0, 0
	for _, c := range correctCases() {
		for _, m := range []Mode{Auto, Full, Directional} {
			total++
			t.Run(fmt.Sprintf("%s/%s", c.name, m), func(t *testing.T) {
				r := c.check(&Options{Mode: m})
				k := 0
				for _, tr := range r.Tensors {
					k += tr.KinkSkipped
				}
				kinks += k
				if c.kinks && m != Directional && k == 0 {
					t.Errorf("no element was kink-skipped, but this case has exact kinks:\n%s", r)
				}
				if !r.OK() {
					alarms++
					t.Errorf("false alarm:\n%s", r)
				}
				if r.Status() == StatusSuspicious {
					suspicious++
					t.Logf("suspicious:\n%s", r)
				}
			})
		}
	}
	t.Logf("correct cases: %d false alarms, %d suspicious, out of %d (%d elements kink-skipped)", alarms, suspicious, total, kinks)
}

// TestNoFalseAlarmsOnRandomNetworks checks many random correct networks —
// the lab's zero-bias initialisation with sparse, MNIST-like inputs
// included — and requires that none fails.
func TestNoFalseAlarmsOnRandomNetworks(t *testing.T) {
	acts := []nn.Elementwise{nn.ReLU, nn.ReLU, nn.Tanh, nn.Sigmoid}
	alarms, suspicious, total, kinks := 0, 0, 0, 0
	for seed := uint64(1); seed <= 40; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		act := acts[seed%4]
		sizes := []int{2 + rng.IntN(8)}
		for range 1 + rng.IntN(3) {
			sizes = append(sizes, 2+rng.IntN(7))
		}
		sizes = append(sizes, 2+rng.IntN(5))
		cfg := nn.Config{Sizes: sizes, Hidden: act, Init: nn.Uniform(0.2 + rng.Float64()), Seed: seed}
		net := nn.MustNew(cfg) // zero biases
		if seed%4 != 0 {
			randomBiases(net, seed)
		}
		b := 1 + rng.IntN(9)
		x, labels := randData(seed, b, sizes[0], sizes[len(sizes)-1])
		if seed%2 == 0 { // sparse non-negative inputs, like MNIST pixels
			for i, raw := 0, x.RawMatrix().Data; i < len(raw); i++ {
				raw[i] = max(raw[i], 0)
			}
		}
		for _, m := range []Mode{Auto, Directional} {
			total++
			r := CheckNetwork(net, x, labels, &Options{Mode: m, Seed: seed})
			for _, tr := range r.Tensors {
				kinks += tr.KinkSkipped
			}
			if !r.OK() {
				alarms++
				t.Errorf("seed %d %v %s: false alarm\n%s", seed, sizes, m, r)
			}
			if r.Status() == StatusSuspicious {
				suspicious++
				t.Logf("seed %d %v %s: suspicious\n%s", seed, sizes, m, r)
			}
		}
	}
	t.Logf("random correct networks: %d false alarms, %d suspicious, out of %d checks (%d elements kink-skipped)", alarms, suspicious, total, kinks)
}
