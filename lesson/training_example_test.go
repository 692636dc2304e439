package lesson_test

import (
	"fmt"

	"github.com/backprop-lab/backprop/lesson"
	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
)

// The notebook's lab run, in miniature: a small network trained for one
// epoch on 1000 embedded images, measured on 1000 training and 500 test
// images.
func ExampleEvaluateLab() {
	train, test := mnist.Embedded()
	data := &lesson.MNISTData{Train: train.Subset(1000), Test: test.Subset(500), Source: "embedded"}
	net := nn.MustNew(nn.Config{Sizes: []int{784, 32, 10}, Seed: 1})
	sgd := nn.SGD{LearningRate: 0.1, BatchSize: 20, Epochs: 1, Seed: 1}
	if err := sgd.Train(net, data.Train); err != nil {
		fmt.Println(err)
		return
	}
	run := lesson.EvaluateLab(net, data)
	fmt.Println(run)
	fmt.Println("reproduced:", run.Reproduced())
	// Output:
	// Training accuracy: 75.00%
	// Test accuracy: 63.00%
	// Trained on the embedded subset (not the full MNIST), so the lab's 97.58% test accuracy is not expected: fewer training images, lower test accuracy.
	// reproduced: false
}

func ExampleLabRun_String() {
	fmt.Println(lesson.LabRun{TrainAcc: 0.9918, TestAcc: 0.9741, Full: true})
	fmt.Println(lesson.LabRun{TrainAcc: 0.9990, TestAcc: 0.9500, Full: false})
	// Output:
	// Training accuracy: 99.18%
	// Test accuracy: 97.41%
	// Lab result reproduced: test accuracy 97.41% ≥ 97% on the full MNIST (the lab: 99.28% train, 97.58% test).
	// Training accuracy: 99.90%
	// Test accuracy: 95.00%
	// Trained on the embedded subset (not the full MNIST), so the lab's 97.58% test accuracy is not expected: fewer training images, lower test accuracy.
}

func ExampleActivationStats() {
	fmt.Print(lesson.ActivationStats(tiny()))
	// Output:
	// layer 1 (relu, 2 units): a⁽¹⁾ mean 0.100, 50.0% exactly 0; rms ∂E/∂W⁽¹⁾ = 3.07e-01
	// layer 2 (softmax, 2 units): a⁽²⁾ mean 0.500, 0.0% exactly 0; rms ∂E/∂W⁽²⁾ = 7.78e-02
}
