package gradcheck_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// labBug is the lab's backward bug: it returns g·W instead of δ·W, so the
// ReLU mask is missing from the gradient that flows to the layer below.
type labBug struct{ *nn.Dense }

func (l labBug) Backward(g *mat.Dense) *mat.Dense {
	l.Dense.Backward(g)
	var gx mat.Dense
	gx.Mul(g, l.W)
	return &gx
}

func data() (*mat.Dense, []int) {
	x := mat.NewDense(4, 6, []float64{
		0.1, -0.9, 0.4, 0.8, -0.3, 0.5,
		-0.7, 0.2, 0.6, -0.1, 0.9, -0.4,
		0.3, 0.7, -0.8, 0.2, -0.6, 0.1,
		0.9, -0.2, -0.5, -0.7, 0.4, 0.6,
	})
	return x, []int{0, 2, 1, 2}
}

// Checking a whole network: the lab's bug in the second of two hidden
// layers makes the first layer's gradients wrong, and only those.
func ExampleCheckNetwork() {
	net := nn.MustNew(nn.Config{Sizes: []int{6, 5, 4, 3}, Init: nn.Uniform(0.8), Seed: 3})
	net.Layers[1] = labBug{net.Dense(2)}
	x, labels := data()

	r := gradcheck.CheckNetwork(net, x, labels, nil)
	fmt.Println(r.Summary())
	for _, t := range r.Tensors {
		fmt.Printf("%s %s: %d checked, %d failed\n", t.Name, t.Status, t.Checked, t.Failed)
	}
	// Output:
	// network 6-5-4-3: FAILED (2 of 6 tensors wrong)
	// W1 FAILED: 30 checked, 29 failed
	// b1 FAILED: 5 checked, 5 failed
	// W2 good: 20 checked, 0 failed
	// b2 good: 4 checked, 0 failed
	// W3 good: 12 checked, 0 failed
	// b3 good: 3 checked, 0 failed
}

// Checking a single layer: its parameters and the input gradient ∂L/∂x
// that its Backward returns, reported as the tensor "x".
func ExampleCheckLayer() {
	layer := nn.MustNew(nn.Config{Sizes: []int{6, 5}, Init: nn.Uniform(0.8), Seed: 3}).Dense(1)
	layer.Act = nn.ReLU
	x, _ := data()

	fmt.Println(gradcheck.CheckLayer(layer, x, nil).Summary())
	r := gradcheck.CheckLayer(labBug{layer}, x, nil)
	for _, t := range r.Failures() {
		fmt.Println(t.Message(r.Batch))
	}
	// Output:
	// layer *nn.Dense: passed (3 tensors)
	// gradient with respect to the input x (the matrix Backward returns) is wrong: cause (certain): G·W instead of Δ·W (the lab's bug): the φ′ mask is missing from the gradient passed down; analytic = G·W on 24 checked element(s) (residual 0). worst at (1, 1): analytic -2.051, numeric 0.1751 (relative error 1); 24 of 24 checked elements are wrong
}

// Checking a plain function f(θ) = θ₀² + 3·θ₀·θ₁ whose hand-derived
// gradient has a slip in ∂f/∂θ₁ (θ₁ instead of θ₀).
func ExampleCheck() {
	theta := mat.NewDense(1, 2, []float64{1.5, -2})
	grad := mat.NewDense(1, 2, nil)
	t0, t1 := theta.At(0, 0), theta.At(0, 1)
	grad.Set(0, 0, 2*t0+3*t1) // right
	grad.Set(0, 1, 3*t1)      // wrong: ∂f/∂θ₁ = 3·θ₀
	f := gradcheck.Func{
		Params: []nn.Param{{Name: "θ", Value: theta, Grad: grad}},
		Loss: func() float64 {
			t0, t1 := theta.At(0, 0), theta.At(0, 1)
			return t0*t0 + 3*t0*t1
		},
	}
	r := gradcheck.Check(f, nil)
	fmt.Println(r.Summary())
	fmt.Println(r.Tensors[0].Message(0))
	// Output:
	// function: FAILED (1 of 1 tensors wrong)
	// gradient of θ is wrong: worst at (0, 1): analytic -6, numeric 4.5 (relative error 1); 1 of 2 checked elements are wrong. None of the known mistakes fits these numbers. Hint: compare your formula with the numeric values in the report's worst elements.
}

// The h-free convergence test: the Taylor remainder of a right gradient
// shrinks as h², of a wrong one as h.
func ExampleTaylorTest() {
	net := nn.MustNew(nn.Config{Sizes: []int{6, 5, 4, 3}, Init: nn.Uniform(0.8), Seed: 3})
	x, labels := data()
	good, _ := gradcheck.TaylorTest(gradcheck.NetworkFunc(net, x, labels), "W1", nil)
	net.Layers[1] = labBug{net.Dense(2)}
	bad, _ := gradcheck.TaylorTest(gradcheck.NetworkFunc(net, x, labels), "W1", nil)
	fmt.Printf("right gradient: order %.1f (%s)\n", good.Order, good.Status)
	fmt.Printf("lab's bug:      order %.1f (%s)\n", bad.Order, bad.Status)
	// Output:
	// right gradient: order 2.0 (good)
	// lab's bug:      order 1.0 (FAILED)
}

// cube is f(θ) = θ³ at θ = 1 with its right gradient 3θ² = 3.
func cube() gradcheck.Func {
	theta := mat.NewDense(1, 1, []float64{1})
	return gradcheck.Func{
		Params: []nn.Param{{Name: "θ", Value: theta, Grad: mat.NewDense(1, 1, []float64{3})}},
		Loss: func() float64 {
			t := theta.At(0, 0)
			return t * t * t
		},
	}
}

// shapes lists the parameters of f with their shapes.
func shapes(f gradcheck.Func) string {
	var s []string
	for _, p := range f.Params {
		r, c := p.Value.Dims()
		s = append(s, fmt.Sprintf("%s %d×%d", p.Name, r, c))
	}
	return strings.Join(s, ", ")
}

// Truncation error: for f(θ) = θ³ the central difference is 3θ² + h²
// exactly, the forward one 3θ² + 3θh + h², so their relative errors fall
// as h² and as h. At h = 1e-12 rounding has taken over.
func ExampleStepSweep() {
	sw, err := gradcheck.StepSweep(cube(), "θ", 0, 0, []float64{1e-1, 1e-2, 1e-3, 1e-12})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range sw.Points[:3] {
		fmt.Printf("h = %.0e: central %.10f (error %.1e), forward %.6f (error %.1e)\n",
			p.Step, p.Central, p.CentralErr, p.Forward, p.ForwardErr)
	}
	fmt.Println("best h:", sw.Best().Step)
	fmt.Println("h = 1e-12 worse than 1e-3:", sw.Points[3].CentralErr > sw.Points[2].CentralErr)
	// Output:
	// h = 1e-01: central 3.0100000000 (error 1.7e-03), forward 3.310000 (error 4.9e-02)
	// h = 1e-02: central 3.0001000000 (error 1.7e-05), forward 3.030100 (error 5.0e-03)
	// h = 1e-03: central 3.0000010000 (error 1.7e-07), forward 3.003001 (error 5.0e-04)
	// best h: 0.001
	// h = 1e-12 worse than 1e-3: true
}

// NetworkFunc turns a network's loss into a Func: the parameters W1, b1, …
// with the gradients that backprop computed. Check compares them with
// central differences, as CheckNetwork does (faster, on copies).
func ExampleNetworkFunc() {
	net := nn.MustNew(nn.Config{Sizes: []int{6, 5, 3}, Init: nn.Uniform(0.8), Seed: 3})
	x, labels := data()
	f := gradcheck.NetworkFunc(net, x, labels)
	fmt.Println(shapes(f))
	fmt.Printf("E = %.4f\n", f.Loss())
	fmt.Println(gradcheck.Check(f, nil).Summary())
	// Output:
	// W1 5×6, b1 5×1, W2 3×5, b2 3×1
	// E = 1.1982
	// function: passed (4 tensors)
}

// LayerFunc is the scalar L = Σ G ⊙ Forward(x) of a layer check, with a
// seeded upstream gradient G. Its parameters end with the input x, whose
// Grad is the matrix Backward returned.
func ExampleLayerFunc() {
	layer := nn.NewDense(6, 5, nn.Tanh)
	layer.W.Apply(func(i, j int, _ float64) float64 { return 0.1 * float64(i-j) }, layer.W)
	x, _ := data()
	f := gradcheck.LayerFunc(layer, x, 1)
	fmt.Println(shapes(f))
	r := gradcheck.Check(f, nil)
	fmt.Println(r.Summary())
	// Output:
	// W 5×6, b 5×1, x 4×6
	// function: passed (3 tensors)
}

// In a grader's test, Assert reports each failure with TensorResult.Message;
// the same sentences are available without a testing.T.
func ExampleReport_Failures() {
	net := nn.MustNew(nn.Config{Sizes: []int{6, 5, 4, 3}, Init: nn.Uniform(0.8), Seed: 3})
	net.Layers[1] = labBug{net.Dense(2)}
	x, labels := data()
	r := gradcheck.CheckNetwork(net, x, labels, nil)
	fmt.Println("OK:", r.OK())
	for _, t := range r.Failures() {
		msg, _, _ := strings.Cut(t.Message(r.Batch), ":")
		fmt.Printf("%s: %d of %d elements wrong\n", msg, t.Failed, t.Checked)
	}
	// Output:
	// OK: false
	// gradient of W1 is wrong: 29 of 30 elements wrong
	// gradient of b1 is wrong: 5 of 5 elements wrong
}

// The -mode flag of cmd/gradcheck.
func ExampleParseMode() {
	for _, s := range []string{"auto", "directional", "fast"} {
		m, err := gradcheck.ParseMode(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(m)
	}
	// Output:
	// auto
	// directional
	// gradcheck: unknown mode "fast" (want auto, full or directional)
}

// The defaults a nil *Options stands for (Workers, GOMAXPROCS, depends on
// the machine).
func ExampleDefaultOptions() {
	o := gradcheck.DefaultOptions()
	fmt.Println("mode", o.Mode, "step", o.Step, "seed", o.Seed)
	fmt.Println("RTol", o.RTol, "ATol", o.ATol)
	fmt.Println("good ≤", o.GoodRel, "ok ≤", o.SuspiciousRel, "suspicious ≤", o.WrongRel)
	fmt.Println("MaxFull", o.MaxFull, "Samples", o.Samples, "TopK", o.TopK)
	// Output:
	// mode auto step 1e-05 seed 0
	// RTol 1e-05 ATol 0
	// good ≤ 1e-07 ok ≤ 0.0001 suspicious ≤ 0.01
	// MaxFull 4096 Samples 1024 TopK 5
}

// fakeT stands in for a grader's *testing.T in this example: it prints
// what the test would report.
type fakeT struct{ testing.TB }

func (fakeT) Helper()                        {}
func (fakeT) Errorf(format string, a ...any) { fmt.Printf("FAIL: "+format+"\n", a...) }
func (fakeT) Logf(format string, a ...any)   {}

// A grader's test is one line per layer: AssertLayer checks the layer on a
// batch and fails the test with the cause first, here the lab's bug.
func ExampleAssertLayer() {
	layer := nn.MustNew(nn.Config{Sizes: []int{6, 5}, Init: nn.Uniform(0.8), Seed: 3}).Dense(1)
	layer.Act = nn.ReLU
	x, _ := data()
	var t testing.TB = fakeT{} // in a real test: the *testing.T

	gradcheck.AssertLayer(t, layer, x, nil) // right: reports nothing
	r := gradcheck.AssertLayer(t, labBug{layer}, x, nil)
	fmt.Println("OK:", r.OK(), "cause:", r.Tensor("x").Diagnosis.Cause)
	// Output:
	// FAIL: gradient with respect to the input x (the matrix Backward returns) is wrong: cause (certain): G·W instead of Δ·W (the lab's bug): the φ′ mask is missing from the gradient passed down; analytic = G·W on 24 checked element(s) (residual 0). worst at (1, 1): analytic -2.051, numeric 0.1751 (relative error 1); 24 of 24 checked elements are wrong
	// OK: false cause: G·W instead of Δ·W
}
