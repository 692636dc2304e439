package nn

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/nn/nntest"
	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

// randomBiases gives every bias of net U[−0.5, 0.5) (nntest.RandomBiases:
// away from the kinks that zero biases create) and returns net.
func randomBiases(net *Network, seed uint64) *Network {
	biases := make([]*mat.Dense, len(net.Layers))
	for s := range biases {
		biases[s] = net.Dense(s + 1).B
	}
	nntest.RandomBiases(seed, biases...)
	return net
}

// fdTol is the largest relative error accepted between an analytic gradient
// and its central difference with step fdStep. The central formula's
// truncation error is O(h²·f‴) ≈ 1e-12 and its rounding error
// O(eps·|E|/h) ≈ 1e-10 for losses of order 1, so a correct gradient of
// magnitude ≥ 1e-4 agrees to ≈ 1e-6 relative; a wrong one is off by O(1).
const (
	fdStep = 1e-5
	fdTol  = 1e-5
	// fdAbs absorbs the rounding error for gradients near zero.
	fdAbs = 1e-8
)

// checkNetworkGrad compares every parameter gradient of net on (x, labels)
// with central differences (gonum diff/fd).
func checkNetworkGrad(t *testing.T, net *Network, x *mat.Dense, labels []int) {
	t.Helper()
	net.LossAndGrad(x, labels)
	for _, p := range net.Params() {
		analytic := mat.DenseCopyOf(p.Grad)
		raw := p.Value.RawMatrix().Data
		r, c := p.Value.Dims()
		for i := range r {
			for j := range c {
				k := i*c + j
				orig := raw[k]
				num := fd.Derivative(func(h float64) float64 {
					raw[k] = orig + h
					defer func() { raw[k] = orig }()
					return net.Loss(x, labels)
				}, 0, &fd.Settings{Formula: fd.Central, Step: fdStep})
				a := analytic.At(i, j)
				if diff := math.Abs(a - num); diff > fdAbs+fdTol*math.Max(math.Abs(a), math.Abs(num)) {
					t.Errorf("%s[%d,%d]: analytic %.10g, numeric %.10g (|diff| %.3g)", p.Name, i, j, a, num, diff)
				}
			}
		}
	}
}

func TestGradientsMatchFiniteDifferences(t *testing.T) {
	for _, act := range []Elementwise{ReLU, Sigmoid, Tanh, Identity} {
		for depth := 1; depth <= 3; depth++ {
			// depth hidden layers; depth 1 with no hidden layer would not
			// exercise the activation, so sizes get depth hidden widths.
			sizes := []int{5}
			for h := range depth {
				sizes = append(sizes, 4+h)
			}
			sizes = append(sizes, 3)
			t.Run(fmt.Sprintf("%s/depth%d", act.Name(), depth), func(t *testing.T) {
				net := randomBiases(MustNew(Config{Sizes: sizes, Hidden: act, Init: Uniform(0.8), Seed: uint64(depth)}), 1)
				x, labels := nntest.RandomBatch(uint64(10+depth), 6, 5, 3)
				checkNetworkGrad(t, net, x, labels)
			})
		}
	}
	t.Run("softmax-only", func(t *testing.T) {
		net := MustNew(Config{Sizes: []int{4, 3}, Init: Uniform(1), Seed: 3})
		x, labels := nntest.RandomBatch(4, 5, 4, 3)
		checkNetworkGrad(t, net, x, labels)
	})
}

// TestLayerInputGradient checks each layer's ∂E/∂x as a vector-Jacobian
// product: with a fixed random upstream G, the scalar L(x) = Σ G ⊙ f(x) has
// ∂L/∂x = Backward(G).
func TestLayerInputGradient(t *testing.T) {
	for _, act := range []Activation{ReLU, Sigmoid, Tanh, Identity, Softmax} {
		t.Run(act.Name(), func(t *testing.T) {
			net := MustNew(Config{Sizes: []int{4, 3}, Init: Uniform(1), Seed: 9})
			d := net.Dense(1)
			d.Act = act
			x, _ := nntest.RandomBatch(5, 3, 4, 3)
			g, _ := nntest.RandomBatch(6, 3, 3, 3)
			d.Forward(x)
			gx := mat.DenseCopyOf(d.Backward(g))
			r, c := x.Dims()
			for i := range r {
				for j := range c {
					orig := x.At(i, j)
					num := fd.Derivative(func(h float64) float64 {
						x.Set(i, j, orig+h)
						defer x.Set(i, j, orig)
						return mat.Sum(elemMul(g, d.Forward(x)))
					}, 0, &fd.Settings{Formula: fd.Central, Step: fdStep})
					if a := gx.At(i, j); math.Abs(a-num) > fdAbs+fdTol*math.Abs(num) {
						t.Errorf("∂L/∂x[%d,%d]: analytic %.10g, numeric %.10g", i, j, a, num)
					}
				}
			}
		})
	}
}

func elemMul(a, b mat.Matrix) *mat.Dense {
	var m mat.Dense
	m.MulElem(a, b)
	return &m
}

// TestHiddenDeltaRecursion checks δ⁽ˢ⁻¹⁾ = φ′(v⁽ˢ⁻¹⁾) ⊙ (δ⁽ˢ⁾ W⁽ˢ⁾) in batch
// form, the line the lab got wrong, directly on the stored values.
func TestHiddenDeltaRecursion(t *testing.T) {
	net := randomBiases(MustNew(Config{Sizes: []int{6, 5, 4, 3}, Init: Uniform(0.8), Seed: 2}), 2)
	x, labels := nntest.RandomBatch(3, 7, 6, 3)
	net.LossAndGrad(x, labels)
	for s := 3; s >= 2; s-- {
		hi, lo := net.Dense(s), net.Dense(s-1)
		var want mat.Dense
		want.Mul(hi.Delta(), hi.W)
		want.MulElem(&want, Derivative(ReLU, lo.V(), lo.A()))
		if !mat.EqualApprox(&want, lo.Delta(), 1e-14) {
			t.Errorf("δ⁽%d⁾ ≠ φ′(v⁽%d⁾) ⊙ (δ⁽%d⁾ W⁽%d⁾)", s-1, s-1, s, s)
		}
	}
	// Output delta δ⁽ʰ⁾ = (a − y)/N.
	var want mat.Dense
	want.Sub(net.Output(), OneHot(labels, 3))
	want.Scale(1/7.0, &want)
	if !mat.EqualApprox(&want, net.Dense(3).Delta(), 1e-15) {
		t.Error("δ⁽ʰ⁾ ≠ (a − y)/N")
	}
}

func TestInitialLossIsLn10(t *testing.T) {
	// With weights of order 1e-3 every logit is ≈ 0, softmax is ≈ uniform
	// and E ≈ −ln(1/10) = ln 10 ≈ 2.3026; 1e-3 bounds the logits' effect.
	net := MustNew(Config{Sizes: []int{20, 16, 10}, Init: Uniform(1e-3), Seed: 1})
	x, labels := nntest.RandomBatch(1, 50, 20, 10)
	if got := net.Loss(x, labels); math.Abs(got-math.Log(10)) > 1e-3 {
		t.Errorf("initial loss %.6f, want ≈ ln 10 = %.6f", got, math.Log(10))
	}
}

func TestOverfitsTwentyExamples(t *testing.T) {
	net := MustNew(Config{Sizes: []int{10, 32, 4}, Init: He, Seed: 5})
	x, labels := nntest.RandomBatch(8, 20, 10, 4)
	data := Examples{X: x, Labels: labels}
	before, _ := net.Evaluate(data)
	err := SGD{LearningRate: 0.5, BatchSize: 5, Epochs: 400, Seed: 1}.Train(net, data)
	if err != nil {
		t.Fatal(err)
	}
	loss, acc := net.Evaluate(data)
	// Near-zero loss: 20 random points in 10 dimensions are separable by a
	// 32-unit hidden layer, so plain SGD memorises them completely.
	if loss > 0.01 || acc != 1 {
		t.Errorf("after 400 epochs loss %.4g (before %.4g), accuracy %.2f; want loss < 0.01 and accuracy 1", loss, before, acc)
	}
}

func trainedWeights(seed uint64) []float64 {
	net := MustNew(Config{Sizes: []int{8, 6, 3}, Seed: seed})
	x, labels := nntest.RandomBatch(2, 30, 8, 3)
	if err := (SGD{LearningRate: 0.1, BatchSize: 7, Epochs: 3, Seed: seed}).Train(net, Examples{x, labels}); err != nil {
		panic(err)
	}
	var all []float64
	for _, p := range net.Params() {
		all = append(all, p.Value.RawMatrix().Data...)
	}
	return all
}

func TestDeterministic(t *testing.T) {
	a, b := trainedWeights(42), trainedWeights(42)
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("same seed, weight %d differs: %v vs %v", i, a[i], b[i])
		}
	}
	c := trainedWeights(43)
	same := true
	for i := range a {
		same = same && a[i] == c[i]
	}
	if same {
		t.Error("different seeds gave identical weights")
	}
}

func TestLabInitialisation(t *testing.T) {
	net := MustNew(Config{Sizes: []int{784, 96, 10}, Seed: 1})
	for _, p := range net.Params() {
		lo, hi := mat.Min(p.Value), mat.Max(p.Value)
		if strings.HasPrefix(p.Name, "b") {
			if lo != 0 || hi != 0 {
				t.Errorf("%s not zero: [%g, %g]", p.Name, lo, hi)
			}
			continue
		}
		// 75 264 draws from U[−0.2, 0.2): the extremes come within 1e-3 of
		// the bounds with overwhelming probability (miss chance ≈ e^−188).
		if lo < -0.2 || hi >= 0.2 || lo > -0.199 || hi < 0.199 {
			t.Errorf("%s range [%g, %g], want ≈ [−0.2, 0.2)", p.Name, lo, hi)
		}
	}
}

func TestSoftmaxLargeLogitsStayFinite(t *testing.T) {
	v := mat.NewDense(2, 3, []float64{1000, 999, -1000, -1e300, 0, 1e300})
	a := mat.NewDense(2, 3, nil)
	Softmax.Forward(a, v)
	for _, x := range a.RawMatrix().Data {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			t.Fatalf("softmax of large logits not finite: %v", mat.Formatted(a))
		}
	}
	if want := 1 / (1 + math.Exp(-1)); math.Abs(a.At(0, 0)-want) > 1e-15 {
		t.Errorf("a[0,0] = %v, want %v", a.At(0, 0), want)
	}
	if a.At(1, 2) != 1 {
		t.Errorf("a[1,2] = %v, want 1", a.At(1, 2))
	}
}

func TestDivergenceNamesEpochAndBatch(t *testing.T) {
	net := MustNew(Config{Sizes: []int{4, 8, 3}, Seed: 1})
	x, labels := nntest.RandomBatch(3, 40, 4, 3)
	x.Scale(1e3, x)
	err := SGD{LearningRate: 1e6, BatchSize: 10, Epochs: 5, Seed: 1}.Train(net, Examples{x, labels})
	de, ok := err.(*DivergenceError)
	if !ok {
		t.Fatalf("got %v, want a *DivergenceError", err)
	}
	if de.Epoch < 1 || de.Batch < 1 || de.Batch > 4 || !strings.Contains(err.Error(), fmt.Sprintf("epoch %d, batch %d", de.Epoch, de.Batch)) {
		t.Errorf("error %q does not name a valid epoch and batch", err)
	}
	for _, p := range net.Params() {
		for _, w := range p.Value.RawMatrix().Data {
			if math.IsNaN(w) {
				t.Fatalf("%s has NaN after divergence: the bad update was applied", p.Name)
			}
		}
	}
}

func TestTrainRejectsBadConfig(t *testing.T) {
	net := MustNew(Config{Sizes: []int{4, 3}, Seed: 1})
	x, labels := nntest.RandomBatch(3, 10, 4, 3)
	data := Examples{x, labels}
	for _, tc := range []struct {
		sgd  SGD
		want string
	}{
		{SGD{LearningRate: 0, BatchSize: 2, Epochs: 1}, "learning rate"},
		{SGD{LearningRate: math.NaN(), BatchSize: 2, Epochs: 1}, "learning rate"},
		{SGD{LearningRate: 0.1, BatchSize: 0, Epochs: 1}, "batch size"},
		{SGD{LearningRate: 0.1, BatchSize: 2, Epochs: -1}, "epochs"},
	} {
		if err := tc.sgd.Train(net, data); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want an error about %s", tc.sgd, err, tc.want)
		}
	}
	x5, _ := nntest.RandomBatch(3, 10, 5, 3)
	if err := (SGD{LearningRate: 0.1, BatchSize: 2, Epochs: 1}).Train(net, Examples{x5, labels}); err == nil ||
		!strings.Contains(err.Error(), "5 inputs") {
		t.Errorf("wrong input dimension: got %v", err)
	}
}

func TestNewRejectsBadSizes(t *testing.T) {
	for _, sizes := range [][]int{nil, {784}, {784, 0, 10}, {784, -3, 10}} {
		if _, err := New(Config{Sizes: sizes}); err == nil {
			t.Errorf("New(%v) succeeded", sizes)
		}
	}
	if _, err := New(Config{Sizes: []int{3, 3, 2}, Hidden: Softmax}); err == nil {
		t.Error("softmax hidden layer accepted")
	}
}

func mustPanic(t *testing.T, want []string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		msg := fmt.Sprint(r)
		for _, w := range want {
			if !strings.Contains(msg, w) {
				t.Errorf("panic %q does not mention %q", msg, w)
			}
		}
		if r == nil {
			t.Error("no panic")
		}
	}()
	f()
}

func TestShapeMismatchPanicsWithBothShapes(t *testing.T) {
	d := NewDense(4, 3, ReLU)
	mustPanic(t, []string{"5×7", "3×4"}, func() { d.Forward(mat.NewDense(5, 7, nil)) })
	d.Forward(mat.NewDense(5, 4, nil))
	mustPanic(t, []string{"2×3", "5×3"}, func() { d.Backward(mat.NewDense(2, 3, nil)) })
	mustPanic(t, []string{"2×2", "2×3"}, func() { ReLU.Forward(mat.NewDense(2, 2, nil), mat.NewDense(2, 3, nil)) })
}

func TestLastPartialBatch(t *testing.T) {
	// 23 examples in batches of 10: 10, 10, 3.
	net := MustNew(Config{Sizes: []int{4, 3}, Seed: 1})
	x, labels := nntest.RandomBatch(3, 23, 4, 3)
	var sizes []int
	err := SGD{LearningRate: 0.1, BatchSize: 10, Epochs: 2, Seed: 1, OnBatch: func(s Step) error {
		if s.Epoch == 1 {
			sizes = append(sizes, s.Size)
		}
		return nil
	}}.Train(net, Examples{x, labels})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sizes) != "[10 10 3]" {
		t.Errorf("batch sizes %v, want [10 10 3]", sizes)
	}
}

func TestTrainingStepDoesNotAllocate(t *testing.T) {
	if nntest.RaceEnabled {
		t.Skip("allocation counts are meaningless under the race detector (it allocates itself); the run without -race checks this")
	}
	net := MustNew(Config{Sizes: []int{30, 20, 10, 5}, Seed: 1})
	x, labels := nntest.RandomBatch(3, 16, 30, 5)
	params := net.Params()
	var upd updater
	step := func() {
		CrossEntropy(net.Forward(x), labels)
		net.Backward(labels)
		upd.update(params, 0.01)
	}
	step()
	if n := testing.AllocsPerRun(20, step); n != 0 {
		t.Errorf("a training step allocates %v times, want 0", n)
	}
}

// TestTrainAllocatesNothingPerStep: Train's allocations do not grow with
// the number of steps (buffers are set up once and the batch goroutine is
// reused). 64 examples in batches of 8 or of 2: 8 or 32 steps an epoch.
func TestTrainAllocatesNothingPerStep(t *testing.T) {
	if nntest.RaceEnabled {
		t.Skip("allocation counts are meaningless under the race detector (it allocates itself); the run without -race checks this")
	}
	x, labels := nntest.RandomBatch(3, 64, 12, 4)
	data := Examples{x, labels}
	allocs := func(batch int) float64 {
		net := MustNew(Config{Sizes: []int{12, 10, 4}, Seed: 1})
		sgd := SGD{LearningRate: 0.1, BatchSize: batch, Epochs: 3, Seed: 1}
		return testing.AllocsPerRun(5, func() {
			if err := sgd.Train(net, data); err != nil {
				t.Fatal(err)
			}
		})
	}
	// 72 more steps with even one allocation each would add 72; starting
	// the batch goroutine allocates once or not, depending on the runtime's
	// pool of goroutines, hence the slack of 2.
	if few, many := allocs(8), allocs(2); many > few+2 {
		t.Errorf("Train allocates %v times for 24 steps and %v for 96: something allocates per step", few, many)
	}
}

type panickyData struct{ Examples }

func (panickyData) Batch(x []float64, labels []int, idx []int) { panic("bad data") }

// TestBatchPanicReachesTheCaller: Data.Batch runs on Train's helper
// goroutine, but its panic is raised on the caller's.
func TestBatchPanicReachesTheCaller(t *testing.T) {
	x, labels := nntest.RandomBatch(3, 20, 4, 3)
	net := MustNew(Config{Sizes: []int{4, 3}, Seed: 1})
	mustPanic(t, []string{"bad data"}, func() {
		SGD{LearningRate: 0.1, BatchSize: 5, Epochs: 1}.Train(net, panickyData{Examples{x, labels}})
	})
}
