package nn_test

import (
	"fmt"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
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
