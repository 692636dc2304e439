package nn_test

import (
	"testing"

	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/mnist/mnisttest"
	"github.com/backprop-lab/backprop/nn"
	"github.com/backprop-lab/backprop/nn/internal/fastblas"
	"github.com/backprop-lab/backprop/nn/nntest"
)

// fullMNIST loads the full training set (mnisttest.Dir: $BACKPROP_DATA,
// then the download cache), or skips the benchmark saying how to get it.
func fullMNIST(b *testing.B) *mnist.Set {
	b.Helper()
	train, _, err := mnist.LoadDataset(mnist.MNIST, mnisttest.Dir(b, mnist.MNIST))
	if err != nil {
		b.Fatal(err)
	}
	return train
}

// epochFLOPs counts the floating-point operations of the three matrix
// products per layer in one epoch (forward X·Wᵀ, ∂E/∂W = δᵀ·X and the input
// gradient δ·W, which layer 1 skips): 2·n·n_in·n_out each.
func epochFLOPs(n int, sizes []int) float64 {
	var f float64
	for s := 1; s < len(sizes); s++ {
		products := 3.0
		if s == 1 {
			products = 2
		}
		f += products * 2 * float64(n) * float64(sizes[s-1]) * float64(sizes[s])
	}
	return f
}

// BenchmarkEpoch trains the lab's 784-96-10 network for one epoch over the
// 60 000 MNIST training images (batch 200, learning rate 0.1): the figure
// that cmd/benchpeers compares with numpy and PyTorch.
func BenchmarkEpoch(b *testing.B) { benchEpoch(b) }

// BenchmarkEpochDense is BenchmarkEpoch with the products' zero skipping
// off (fastblas.SetZeroSkip): every product dense, as numpy's are.
func BenchmarkEpochDense(b *testing.B) {
	defer fastblas.SetZeroSkip(fastblas.SetZeroSkip(false))
	benchEpoch(b)
}

func benchEpoch(b *testing.B) {
	train := fullMNIST(b)
	sizes := []int{784, 96, 10}
	net := nn.MustNew(nn.Config{Sizes: sizes, Seed: 1})
	sgd := nn.SGD{LearningRate: 0.1, BatchSize: 200, Epochs: 1, Seed: 1}
	b.ResetTimer()
	for b.Loop() {
		if err := sgd.Train(net, train); err != nil {
			b.Fatal(err)
		}
	}
	perEpoch := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(perEpoch, "s/epoch")
	b.ReportMetric(epochFLOPs(train.Len(), sizes)/perEpoch/1e9, "GFLOP/s")
}

// BenchmarkStep trains the lab's 784-96-10 network (batch 200, learning rate
// 0.1) on 4000 random examples, 20 steps an op, and reports the time of one
// step: the epoch's work without the MNIST data, so it runs anywhere, for
// before/after comparisons of the products and the work around them.
func BenchmarkStep(b *testing.B) {
	const n, bs = 4000, 200
	x, labels := nntest.RandomBatch(1, n, 784, 10)
	net := nn.MustNew(nn.Config{Sizes: []int{784, 96, 10}, Seed: 1})
	sgd := nn.SGD{LearningRate: 0.1, BatchSize: bs, Epochs: 1, Seed: 1}
	b.ReportAllocs()
	for b.Loop() {
		if err := sgd.Train(net, nn.Examples{X: x, Labels: labels}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/(n/bs)*1e6, "µs/step")
}
