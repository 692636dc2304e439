package nn_test

import (
	"math"
	"slices"
	"testing"

	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
	"github.com/backprop-lab/backprop/nn/internal/fastblas"
)

// TestTrainingMatchesReferenceBLAS trains the same network with every
// fastblas kernel and with gonum's own Dgemm: the products differ only in
// summation order and fused multiply-adds, so after a whole epoch the
// weights agree to rounding, and the accuracies are the same.
func TestTrainingMatchesReferenceBLAS(t *testing.T) {
	train, test := mnist.Embedded()
	train = train.Subset(2000)
	run := func(kernel string) (*nn.Network, float64) {
		defer fastblas.SetKernel(fastblas.Kernel())
		if err := fastblas.SetKernel(kernel); err != nil {
			t.Fatal(err)
		}
		net := nn.MustNew(nn.Config{Sizes: []int{784, 32, 16, 10}, Seed: 1})
		if err := (nn.SGD{LearningRate: 0.1, BatchSize: 50, Epochs: 2, Seed: 1}).Train(net, train); err != nil {
			t.Fatal(err)
		}
		_, acc := net.Evaluate(test)
		return net, acc
	}
	ref, refAcc := run("gonum")
	for _, k := range fastblas.Kernels() {
		if k == "gonum" {
			continue
		}
		net, acc := run(k)
		var worst float64
		for i, p := range net.Params() {
			want := ref.Params()[i].Value.RawMatrix().Data
			for j, w := range p.Value.RawMatrix().Data {
				worst = math.Max(worst, math.Abs(w-want[j]))
			}
		}
		// 80 SGD steps carry last-bit differences of the products along
		// (seen: ≈ 3e-16); weights are O(0.2), so 1e-12 is rounding-level
		// agreement with room to spare, far below any real difference.
		if worst > 1e-12 || acc != refAcc {
			t.Errorf("kernel %s: weights differ from gonum's by up to %.3g, accuracy %.4f vs %.4f", k, worst, acc, refAcc)
		}
		t.Logf("kernel %s: max |Δw| = %.3g vs gonum", k, worst)
	}
}

// TestTrainingIndependentOfThreads: training on one goroutine and on every
// core (products split across workers, the output layer's two backward
// products overlapped, each block and task claimed by whoever gets there
// first) gives bit-identical weights: no result depends on which goroutine
// computed it, or when.
func TestTrainingIndependentOfThreads(t *testing.T) {
	one := trainedWeights(t, 1)
	for range 3 {
		all := trainedWeights(t, 0)
		for i := range one {
			if math.Float64bits(one[i]) != math.Float64bits(all[i]) {
				t.Fatalf("parameter %d: %v on one goroutine, %v on all cores", i, one[i], all[i])
			}
		}
	}
}

// TestTrainingIndependentOfZeroSkip: skipping the products' all-zero steps
// (the background of the images, fastblas.SetZeroSkip) gives the weights
// of the dense products bit for bit, on one goroutine and on every core.
func TestTrainingIndependentOfZeroSkip(t *testing.T) {
	// The AVX2 kernel skips zeros; it is the default unless the CPU has
	// AVX-512, whose 8×24 kernel does not.
	if !slices.Contains(fastblas.Kernels(), "avx2") {
		t.Skipf("no kernel here skips zeros (have %v)", fastblas.Kernels())
	}
	defer fastblas.SetKernel(fastblas.Kernel())
	if err := fastblas.SetKernel("avx2"); err != nil {
		t.Fatal(err)
	}
	run := func(skip bool, threads int) []float64 {
		defer fastblas.SetZeroSkip(fastblas.SetZeroSkip(skip))
		return trainedWeights(t, threads)
	}
	for _, threads := range []int{1, 0} {
		dense, sparse := run(false, threads), run(true, threads)
		for i := range dense {
			if math.Float64bits(dense[i]) != math.Float64bits(sparse[i]) {
				t.Fatalf("threads=%d: parameter %d: %v with dense products, %v skipping zeros", threads, i, dense[i], sparse[i])
			}
		}
	}
}

// trainedWeights trains 784-96-10 for 2 epochs on 1000 embedded MNIST
// images (batch 200, seed 1) with at most threads goroutines per product
// (0: all cores) and returns all its parameters, one after the other.
func trainedWeights(t *testing.T, threads int) []float64 {
	t.Helper()
	defer fastblas.SetThreads(fastblas.SetThreads(threads))
	train, _ := mnist.Embedded()
	net := nn.MustNew(nn.Config{Sizes: []int{784, 96, 10}, Seed: 1})
	if err := (nn.SGD{LearningRate: 0.1, BatchSize: 200, Epochs: 2, Seed: 1}).Train(net, train.Subset(1000)); err != nil {
		t.Fatal(err)
	}
	var w []float64
	for _, p := range net.Params() {
		w = append(w, p.Value.RawMatrix().Data...)
	}
	return w
}
