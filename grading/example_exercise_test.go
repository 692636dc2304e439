package grading_test

import (
	"fmt"
	"strings"

	"github.com/backprop-lab/backprop/grading"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// labBug is a ReLU dense layer with the lab's bug: its Backward returns
// G·W, the gradient without the ReLU mask, to the layer below.
type labBug struct{ *nn.Dense }

func (l labBug) Backward(g *mat.Dense) *mat.Dense {
	l.Dense.Backward(g)
	var gx mat.Dense
	gx.Mul(g, l.W)
	return &gx
}

// Exercise 1 in three attempts: right, the kink's convention broken, and
// the activation instead of its derivative.
func ExampleReLUPrime() {
	right := func(v float64) float64 {
		if v > 0 {
			return 1
		}
		return 0
	}
	geq := func(v float64) float64 {
		if v >= 0 {
			return 1
		}
		return 0
	}
	relu := func(v float64) float64 { return max(v, 0) }
	for _, f := range []func(float64) float64{right, geq, relu} {
		r := grading.ReLUPrime(f)
		fmt.Println(r.Status, "—", r.Summary[:strings.Index(r.Summary, ":")])
	}
	// Output:
	// passed — right
	// failed — almost
	// failed — wrong
}

// The stub of the student version is "not implemented yet", not a crash.
func ExampleExerciseResult_String() {
	stub := func(v float64) float64 { panic("not implemented") }
	fmt.Println(grading.ReLUPrime(stub))
	// Output:
	// ✗ Exercise 1 (ReLU′): not implemented yet: write func reluPrime(v float64) float64 in place of
	//   panic("not implemented") in its cell, run that cell, then this one. Stuck? The hints under the
	//   exercise's text open one at a time.
}

// Exercise 2: forgetting the 1/N of the batch mean is caught, located and
// named.
func ExampleOutputDelta() {
	forgotN := func(a, y *mat.Dense) *mat.Dense {
		d := new(mat.Dense)
		d.Sub(a, y)
		return d
	}
	r := grading.OutputDelta(forgotN)
	fmt.Println(r.Status)
	fmt.Println(r.Details[len(r.Details)-1])
	// Output:
	// failed
	// Hint: you return a − y; E is the mean over the batch, so divide by N (the number of rows).
}

// Exercise 3, against the specified ReLU dense layer: nn's own dense
// layer passes; the lab's bug fails, pinned to the input gradient ∂E/∂X
// and named.
func ExampleDenseLayer() {
	dense := func(nIn, nOut int) nn.Layer { return nn.NewDense(nIn, nOut, nn.ReLU) }
	buggy := func(nIn, nOut int) nn.Layer { return labBug{nn.NewDense(nIn, nOut, nn.ReLU)} }
	fmt.Println(grading.DenseLayer(dense).Status)
	r := grading.DenseLayer(buggy)
	fmt.Println(r.Status)
	fmt.Println(r.Summary[:strings.Index(r.Summary, ":")+1], strings.Contains(r.Summary, "the lab's bug"))
	d, _, _ := strings.Cut(r.Details[0], ":")
	fmt.Println(d)
	// Output:
	// passed
	// failed
	// wrong: true
	// ∂E/∂X (what Backward returns)
}

// Exercise 4: a step that assigns a new matrix to its copy of nn.Param
// changes nothing, and the hint says why.
func ExampleSGDStep() {
	inPlace := func(params []nn.Param, eta float64) {
		for _, p := range params {
			p.Value.Sub(p.Value, scaled(eta, p.Grad))
		}
	}
	onCopy := func(params []nn.Param, eta float64) {
		for _, p := range params {
			next := new(mat.Dense)
			next.Sub(p.Value, scaled(eta, p.Grad))
			p.Value = next // p is a copy: the network never sees this
		}
	}
	fmt.Println(grading.SGDStep(inPlace).Status)
	r := grading.SGDStep(onCopy)
	fmt.Println(r.Summary)
	// Output:
	// passed
	// wrong: no parameter of the network changed.
}

func scaled(k float64, m *mat.Dense) *mat.Dense {
	s := new(mat.Dense)
	s.Scale(k, m)
	return s
}

// reluPrime, outputDelta, newLayer and sgdStep are a right submission of
// the exercises notebook.
func reluPrime(v float64) float64 {
	if v > 0 {
		return 1
	}
	return 0
}

func outputDelta(a, y *mat.Dense) *mat.Dense {
	n, _ := a.Dims()
	d := new(mat.Dense)
	d.Sub(a, y)
	d.Scale(1/float64(n), d)
	return d
}

func newLayer(nIn, nOut int) nn.Layer { return nn.NewDense(nIn, nOut, nn.ReLU) }

func sgdStep(params []nn.Param, eta float64) {
	for _, p := range params {
		p.Value.Sub(p.Value, scaled(eta, p.Grad))
	}
}

// A complete, right submission: every exercise passes.
func ExampleExercises() {
	results := grading.Exercises(grading.Submission{
		ReLUPrime: reluPrime, OutputDelta: outputDelta, NewLayer: newLayer, SGDStep: sgdStep,
		NumGrad: numGrad, NumGradLayer: numGradW, NewTanhLayer: newTanh, Backprop: backpropWith(""), TinyAnswers: tinyRight,
		NewSigmoidLayer: func(nIn, nOut int) nn.Layer { return nn.NewDense(nIn, nOut, nn.Sigmoid) },
		SoftmaxMSEDelta: softmaxMSEDelta,
	})
	for _, r := range results {
		fmt.Printf("%d %-34s %s\n", r.N, r.Title, r.Status)
	}
	// Output:
	// 1 ReLU′                              passed
	// 2 output delta δ⁽ʰ⁾                  passed
	// 3 dense layer backward               passed
	// 4 one SGD step                       passed
	// 5 numerical gradient                 passed
	// 6 tanh layer backward                passed
	// 7 backward through two hidden layers passed
	// 8 by hand on the 2-2-2 network       passed
	// 9 sigmoid layer backward             passed
	// 12 δ for MSE on softmax outputs       passed
}

// softmaxMSEDelta is exercise 12's δ = ∂E/∂V for E = (1/2N) Σ_n ‖a_n − y_n‖²,
// a = softmax(V): row by row δ_i = a_i (g_i − Σ_k a_k g_k) with
// g = (a − y)/N, i.e. Jᵀg for softmax's Jacobian J = diag(a) − a aᵀ.
func softmaxMSEDelta(a, y *mat.Dense) *mat.Dense {
	n, k := a.Dims()
	d := mat.NewDense(n, k, nil)
	for r := range n {
		g := make([]float64, k)
		s := 0.0 // Σ_k a_k g_k
		for j := range k {
			g[j] = (a.At(r, j) - y.At(r, j)) / float64(n)
			s += a.At(r, j) * g[j]
		}
		for i := range k {
			d.Set(r, i, a.At(r, i)*(g[i]-s))
		}
	}
	return d
}

// Exercise 12's practice check on the diagonal form a ⊙ (1 − a) ⊙ g, the
// general form that lesson 05's diagonal softmax gets wrong: the verdict
// names it.
func ExampleSoftmaxMSEDelta() {
	diagonal := func(a, y *mat.Dense) *mat.Dense {
		n, _ := a.Dims()
		d := new(mat.Dense)
		d.Sub(a, y)
		d.Scale(1/float64(n), d)
		d.Apply(func(i, j int, g float64) float64 { return a.At(i, j) * (1 - a.At(i, j)) * g }, d)
		return d
	}
	fmt.Println(grading.SoftmaxMSEDelta(diagonal))
	fmt.Println(grading.SoftmaxMSEDelta(softmaxMSEDelta).Status)
	// Output:
	// ✗ Exercise 12 (δ for MSE on softmax outputs): wrong: your δ is not ∂E/∂V for the mean squared error
	//   on softmax outputs, on a batch of N = 3 with k = 6 classes.
	//     δ: wrong at (1, 1) and 17 more of 18 elements (yours there: 0.00566311)
	//     Hint: yours is the diagonal form a ⊙ (1 − a) ⊙ g: it keeps only the Jacobian's diagonal
	//       (Nielsen's BP1, the diagonal softmax of lesson 05); softmax's a_i depends on every v_k, so
	//       every output's error reaches every logit.
	// passed
}

// The last cell of the exercises notebook trains a 784-64-10 network built from the
// learner's layer with the learner's step for three epochs of the embedded
// MNIST subset (a right layer and step reach about 85% test accuracy).
// Until exercises 3 and 4 are done it says so instead, at once.
func ExampleTrainYourOwn() {
	stub := func(params []nn.Param, eta float64) { panic("not implemented") }
	fmt.Println(grading.TrainYourOwn(newLayer, stub))
	fmt.Println(grading.TrainYourOwn(newLayer, nil).Status)
	// Output:
	// ✗ Putting it together (your layer and your SGD step on MNIST): not implemented yet: your Backward
	//   and sgdStep still panic with "not implemented"; finish exercises 3 and 4 first.
	// missing
}
