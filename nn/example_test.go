package nn_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// A 2-3-2 network on one example: the per-layer values of the derivation
// are read straight from the layers after Forward and Backward.
func ExampleNetwork_Backward() {
	net := nn.MustNew(nn.Config{Sizes: []int{2, 3, 2}, Seed: 4})
	x := mat.NewDense(1, 2, []float64{0.5, -1}) // one example per row
	labels := []int{1}

	loss := net.LossAndGrad(x, labels)
	fmt.Printf("E = %.4f\n", loss)
	for s := 1; s <= 2; s++ {
		d := net.Dense(s)
		fmt.Printf("layer %d (%s): v %s, δ %s, ∂E/∂W %s\n", s, d.Act.Name(),
			dims(d.V()), dims(d.Delta()), dims(d.DW))
	}
	// δ⁽ʰ⁾ = a − y for a single example.
	a, delta := net.Output(), net.Dense(2).Delta()
	fmt.Printf("a − y = [%.4f %.4f], δ⁽²⁾ = [%.4f %.4f]\n",
		a.At(0, 0)-0, a.At(0, 1)-1, delta.At(0, 0), delta.At(0, 1))
	// Output:
	// E = 0.6781
	// layer 1 (relu): v 1×3, δ 1×3, ∂E/∂W 3×2
	// layer 2 (softmax): v 1×2, δ 1×2, ∂E/∂W 2×3
	// a − y = [0.4924 -0.4924], δ⁽²⁾ = [0.4924 -0.4924]
}

func dims(m mat.Matrix) string {
	r, c := m.Dims()
	return fmt.Sprintf("%d×%d", r, c)
}

// Training a small network with mini-batch SGD and a per-epoch callback.
func ExampleSGD_Train() {
	// XOR-like data: class 1 when the two inputs have different signs.
	x := mat.NewDense(4, 2, []float64{1, 1, 1, -1, -1, 1, -1, -1})
	data := nn.Examples{X: x, Labels: []int{0, 1, 1, 0}}
	net := nn.MustNew(nn.Config{Sizes: []int{2, 8, 2}, Init: nn.He, Seed: 7})

	sgd := nn.SGD{LearningRate: 0.5, BatchSize: 4, Epochs: 300, Seed: 1,
		OnEpoch: func(e nn.Epoch) error {
			if e.Epoch%100 == 0 {
				fmt.Printf("epoch %d: loss %.3f\n", e.Epoch, e.Loss)
			}
			return nil
		}}
	if err := sgd.Train(net, data); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("predictions:", net.Predict(x))
	// Output:
	// epoch 100: loss 0.004
	// epoch 200: loss 0.002
	// epoch 300: loss 0.001
	// predictions: [0 1 1 0]
}

// New checks the configuration; He initialisation draws W from
// N(0, 2/n_in), so the spread of W1 shrinks with the input width.
func ExampleNew() {
	net, err := nn.New(nn.Config{Sizes: []int{784, 96, 10}, Init: nn.He, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("sizes", net.Sizes())
	var shapes []string
	for _, p := range net.Params() {
		shapes = append(shapes, p.Name+" "+dims(p.Value))
	}
	fmt.Println(strings.Join(shapes, ", "))
	w := net.Dense(1).W.RawMatrix().Data
	fmt.Printf("std W1 = %.4f, √(2/784) = %.4f; b1 = 0: %v\n",
		stat.PopStdDev(w, nil), math.Sqrt(2.0/784), mat.Max(net.Dense(1).B) == 0 && mat.Min(net.Dense(1).B) == 0)

	_, err = nn.New(nn.Config{Sizes: []int{784, 0, 10}})
	fmt.Println(err)
	_, err = nn.New(nn.Config{Sizes: []int{784, 96, 10}, Hidden: nn.Softmax})
	fmt.Println(err)
	// Output:
	// sizes [784 96 10]
	// W1 96×784, b1 96×1, W2 10×96, b2 10×1
	// std W1 = 0.0504, √(2/784) = 0.0505; b1 = 0: true
	// nn: layer size 0 (index 1 of [784 0 10]) must be positive
	// nn: softmax is for the output layer only, not a hidden activation
}

// A tanh network with Xavier initialisation: every weight of layer s lies
// within ±√(6/(n_in+n_out)).
func ExampleMustNew() {
	net := nn.MustNew(nn.Config{Sizes: []int{4, 8, 3}, Hidden: nn.Tanh, Init: nn.Xavier, Seed: 2})
	for s := 1; s <= 2; s++ {
		d := net.Dense(s)
		nIn, nOut := d.Dims()
		bound := math.Sqrt(6 / float64(nIn+nOut))
		fmt.Printf("layer %d (%s): max |W| ≤ %.4f: %v\n", s, d.Act.Name(), bound,
			math.Max(mat.Max(d.W), -mat.Min(d.W)) <= bound)
	}
	// Output:
	// layer 1 (tanh): max |W| ≤ 0.7071: true
	// layer 2 (softmax): max |W| ≤ 0.7385: true
}

// One layer on its own: a batch of 4 examples with 3 inputs through a 3 → 2
// sigmoid layer and back. With zero weights every a is σ(0) = ½ and
// δ = σ′(0)·g = ¼·g.
func ExampleNewDense() {
	d := nn.NewDense(3, 2, nn.Sigmoid)
	x := mat.NewDense(4, 3, []float64{
		1, 0, -1,
		0, 2, 1,
		-1, 1, 0,
		3, 0, 2,
	})
	a := d.Forward(x)
	fmt.Printf("x %s → a %s, a = %v\n", dims(x), dims(a), mat.Row(nil, 0, a))

	g := mat.NewDense(4, 2, []float64{1, 1, 1, 1, 1, 1, 1, 1}) // ∂E/∂a
	gx := d.Backward(g)
	fmt.Printf("g %s → ∂E/∂x %s, ∂E/∂W %s, ∂E/∂b %s\n", dims(g), dims(gx), dims(d.DW), dims(d.DB))
	fmt.Println("δ row 0:", mat.Row(nil, 0, d.Delta()), " ∂E/∂b:", mat.Col(nil, 0, d.DB))
	// Output:
	// x 4×3 → a 4×2, a = [0.5 0.5]
	// g 4×2 → ∂E/∂x 4×3, ∂E/∂W 2×3, ∂E/∂b 2×1
	// δ row 0: [0.25 0.25]  ∂E/∂b: [1 1]
}

func ExampleOneHot() {
	y := nn.OneHot([]int{2, 0, 1}, 3)
	fmt.Println(mat.Formatted(y, mat.Squeeze()))
	// Output:
	// ⎡0  0  1⎤
	// ⎢1  0  0⎥
	// ⎣0  1  0⎦
}

// The loss of two predictions, one right and one wrong; a probability of 0
// at the label costs +Inf.
func ExampleCrossEntropy() {
	a := mat.NewDense(2, 3, []float64{
		0.7, 0.2, 0.1, // label 0: right
		0.1, 0.6, 0.3, // label 2: wrong (class 1 is the most probable)
	})
	loss, correct := nn.CrossEntropy(a, []int{0, 2})
	fmt.Printf("E = −(ln 0.7 + ln 0.3)/2 = %.4f, %d of 2 correct\n", loss, correct)

	loss, _ = nn.CrossEntropy(mat.NewDense(1, 2, []float64{1, 0}), []int{1})
	fmt.Println("p = 0 at the label: E =", loss)
	// Output:
	// E = −(ln 0.7 + ln 0.3)/2 = 0.7803, 1 of 2 correct
	// p = 0 at the label: E = +Inf
}

// Names as a flag or a saved network spells them; only the element-wise
// activations have a scalar derivative.
func ExampleActivationByName() {
	for _, name := range []string{"ReLU", "tanh", "softmax", "gelu"} {
		act, err := nn.ActivationByName(name)
		if err != nil {
			fmt.Println(err)
			continue
		}
		_, elementwise := act.(nn.Elementwise)
		fmt.Printf("%s: element-wise %v\n", act.Name(), elementwise)
	}
	// Output:
	// relu: element-wise true
	// tanh: element-wise true
	// softmax: element-wise false
	// nn: unknown activation "gelu" (known: relu, sigmoid, tanh, identity, softmax)
}

// φ′ for a whole batch, given v and a = φ(v). ReLU′(0) is 0 by convention.
func ExampleDerivative() {
	v := mat.NewDense(1, 4, []float64{-2, 0, 0.5, 3})
	for _, act := range []nn.Elementwise{nn.ReLU, nn.Sigmoid, nn.Tanh} {
		a := mat.NewDense(1, 4, nil)
		act.Forward(a, v)
		d := nn.Derivative(act, v, a)
		fmt.Printf("%-7s φ′ = %.4f\n", act.Name(), mat.Row(nil, 0, d))
	}
	// Output:
	// relu    φ′ = [0.0000 0.0000 1.0000 1.0000]
	// sigmoid φ′ = [0.1050 0.2500 0.2350 0.0452]
	// tanh    φ′ = [0.0707 1.0000 0.7864 0.0099]
}

// A save and load round trip through memory: the loaded network has the
// same sizes, activations and weights, bit for bit.
func ExampleNetwork_Save() {
	net := nn.MustNew(nn.Config{Sizes: []int{784, 96, 10}, Seed: 1})
	var buf bytes.Buffer
	if err := net.Save(&buf); err != nil {
		fmt.Println(err)
		return
	}
	params := 0
	for _, p := range net.Params() {
		params += p.Value.RawMatrix().Rows * p.Value.RawMatrix().Cols
	}
	fmt.Printf("%d parameters, %d bytes\n", params, buf.Len())

	back, err := nn.Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(back.Sizes(), back.Dense(1).Act.Name(), back.Dense(2).Act.Name(),
		mat.Equal(back.Dense(1).W, net.Dense(1).W) && mat.Equal(back.Dense(2).B, net.Dense(2).B))
	// Output:
	// 76330 parameters, 610685 bytes
	// [784 96 10] relu softmax true
}

// Load rejects anything that is not a complete, intact saved network.
func ExampleLoad() {
	var buf bytes.Buffer
	if err := nn.MustNew(nn.Config{Sizes: []int{2, 3, 2}, Seed: 1}).Save(&buf); err != nil {
		fmt.Println(err)
		return
	}
	saved := buf.Bytes()

	_, err := nn.Load(bytes.NewReader(saved[:len(saved)-10]))
	fmt.Println(err)
	corrupt := bytes.Clone(saved)
	corrupt[len(corrupt)/2] ^= 1 // one bit of a weight flipped
	_, err = nn.Load(bytes.NewReader(corrupt))
	fmt.Println(err)
	_, err = nn.Load(strings.NewReader("P6 640 480 255"))
	fmt.Println(err)
	// Output:
	// nn: Load: unexpected end of data while reading layer 2 parameters
	// nn: Load: checksum mismatch (stored 76511170, computed dbac2d04): the data is corrupt
	// nn: Load: not a saved network: magic "P6 6", want "BPNN"
}

// xor is the XOR-like data of ExampleSGD_Train.
func xor() nn.Examples {
	x := mat.NewDense(4, 2, []float64{1, 1, 1, -1, -1, 1, -1, -1})
	return nn.Examples{X: x, Labels: []int{0, 1, 1, 0}}
}

// Examples is nn.Data for a dataset already in a matrix: SGD.Train and
// Evaluate gather batches from it with Batch.
func ExampleExamples() {
	data := xor()
	fmt.Println(data.Len(), "examples of dimension", data.Dim())

	x := make([]float64, 2*data.Dim()) // 2×Dim, one example per row
	labels := make([]int, 2)
	data.Batch(x, labels, []int{3, 1})
	fmt.Println(x, labels)
	// Output:
	// 4 examples of dimension 2
	// [-1 -1 1 -1] [0 1]
}

// Loss and accuracy on a whole data set, before and after training.
func ExampleNetwork_Evaluate() {
	data := xor()
	net := nn.MustNew(nn.Config{Sizes: []int{2, 8, 2}, Init: nn.He, Seed: 7})
	loss, acc := net.Evaluate(data)
	fmt.Printf("before: loss %.2f, accuracy %.2f\n", loss, acc)

	sgd := nn.SGD{LearningRate: 0.5, BatchSize: 4, Epochs: 100, Seed: 1}
	if err := sgd.Train(net, data); err != nil {
		fmt.Println(err)
		return
	}
	loss, acc = net.Evaluate(data)
	fmt.Printf("after:  loss %.3f, accuracy %.2f\n", loss, acc)
	// Output:
	// before: loss 0.74, accuracy 0.75
	// after:  loss 0.004, accuracy 1.00
}

// PredictAll classifies every example of a data set, in order, e.g. for a
// confusion matrix.
func ExampleNetwork_PredictAll() {
	data := xor()
	net := nn.MustNew(nn.Config{Sizes: []int{2, 8, 2}, Init: nn.He, Seed: 7})
	sgd := nn.SGD{LearningRate: 0.5, BatchSize: 4, Epochs: 100, Seed: 1}
	if err := sgd.Train(net, data); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("labels:     ", data.Labels)
	fmt.Println("predictions:", net.PredictAll(data))
	// Output:
	// labels:      [0 1 1 0]
	// predictions: [0 1 1 0]
}

// A learning rate far too large makes the loss infinite; Train stops before
// that batch's update and says where.
func ExampleDivergenceError() {
	data := xor()
	net := nn.MustNew(nn.Config{Sizes: []int{2, 8, 2}, Init: nn.He, Seed: 7})
	err := nn.SGD{LearningRate: 1e6, BatchSize: 2, Epochs: 10, Seed: 1}.Train(net, data)

	var div *nn.DivergenceError
	if errors.As(err, &div) {
		fmt.Printf("diverged at epoch %d, batch %d (loss %v)\n", div.Epoch, div.Batch, div.Loss)
		fmt.Println("the network keeps finite weights:", !math.IsNaN(mat.Sum(net.Dense(1).W)))
	}
	fmt.Println(err)
	// Output:
	// diverged at epoch 1, batch 2 (loss +Inf)
	// the network keeps finite weights: true
	// nn: training diverged at epoch 1, batch 2: batch loss is +Inf (try a smaller learning rate)
}
