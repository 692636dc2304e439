package gradcheck

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// labNet is the lab's 784-96-10 network (U[−0.2, 0.2) weights, zero
// biases) with a batch of 8 MNIST-like inputs in [0, 1), a third of them 0
// as on MNIST's border pixels.
func labNet() (*nn.Network, *mat.Dense, []int) {
	net := nn.MustNew(nn.Config{Sizes: []int{784, 96, 10}, Seed: 1})
	rng := rand.New(rand.NewPCG(2, 3))
	x := mat.NewDense(8, 784, nil)
	for i, raw := 0, x.RawMatrix().Data; i < len(raw); i++ {
		if rng.IntN(3) > 0 {
			raw[i] = rng.Float64()
		}
	}
	labels := make([]int, 8)
	for i := range labels {
		labels[i] = rng.IntN(10)
	}
	return net, x, labels
}

// BenchmarkFullCheck784 checks every one of the 76 330 parameters of the
// lab's network (batch 8), concurrently on Options.Workers clones.
func BenchmarkFullCheck784(b *testing.B) {
	net, x, labels := labNet()
	var r *Report
	for b.Loop() {
		r = CheckNetwork(net, x, labels, &Options{Mode: Full})
	}
	if !r.OK() {
		b.Fatalf("correct network failed:\n%s", r)
	}
	n := 0
	for _, t := range r.Tensors {
		n += t.Checked + t.KinkSkipped
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(sec, "s/check")
	b.ReportMetric(float64(n)/sec, "params/s")
}

// BenchmarkDirectionalCheck784 is the directional check of the same
// network: two loss evaluations per tensor.
func BenchmarkDirectionalCheck784(b *testing.B) {
	net, x, labels := labNet()
	var r *Report
	for b.Loop() {
		r = CheckNetwork(net, x, labels, &Options{Mode: Directional})
	}
	if !r.OK() || r.Tensors[0].Method != "directional" {
		b.Fatalf("directional check not clean:\n%s", r)
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/check")
}

// BenchmarkAutoCheck784 is the default check: spot check of W1 (1024
// samples), the rest in full.
func BenchmarkAutoCheck784(b *testing.B) {
	net, x, labels := labNet()
	for b.Loop() {
		CheckNetwork(net, x, labels, nil)
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/check")
}

// BenchmarkFullCheck784Plain is the full check without the structure
// (every evaluation a whole net.Loss), on one goroutine, for comparison;
// it checks 2000 elements of W1 and extrapolates.
func BenchmarkFullCheck784Plain(b *testing.B) {
	net, x, labels := labNet()
	f := NetworkFunc(net, x, labels)
	f.Params = f.Params[:1]
	for b.Loop() {
		Check(f, &Options{Samples: 2000})
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(sec/2000*76330, "s/fullcheck(extrapolated)")
}

// TestLabNetworkFullCheck runs the full check of the lab's 784-96-10
// network once (≈ 1 s on two cores): every one of its 76 330 gradients
// passes, and the few elements whose step crosses a ReLU kink are skipped.
func TestLabNetworkFullCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("full check of 76 330 parameters")
	}
	net, x, labels := labNet()
	r := CheckNetwork(net, x, labels, &Options{Mode: Full})
	n, kinks := 0, 0
	for _, tr := range r.Tensors {
		n += tr.Checked + tr.KinkSkipped
		kinks += tr.KinkSkipped
	}
	if !r.OK() || r.Status() > StatusOK || n != 784*96+96+96*10+10 {
		t.Errorf("%d elements:\n%s", n, r)
	}
	t.Logf("%d parameters in %v (%d evaluations, %d kink-skipped, %d workers)", n, r.Elapsed.Round(time.Millisecond), r.Evaluations, kinks, r.Options.Workers)
}
