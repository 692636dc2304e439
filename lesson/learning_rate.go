package lesson

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/backprop-lab/backprop/lesson/chart"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// RateRun is one training run of a learning-rate or batch-size comparison.
type RateRun struct {
	LearningRate float64
	BatchSize    int
	BatchLoss    []float64 // loss of every mini-batch before its update, in order
	EpochLoss    []float64 // nn.Epoch.Loss per finished epoch
	TestAccuracy float64   // after training; 0 if it diverged
	Batches      int       // mini-batches per epoch
	Diverged     *nn.DivergenceError
}

// RateStudy trains the same network (same Sizes, initialisation and Seed)
// with different learning rates or batch sizes.
type RateStudy struct {
	Sizes  []int // e.g. the lab's {784, 96, 10}
	Epochs int
	Seed   uint64 // initialisation and shuffling
}

// run trains one network with η and N.
func (c RateStudy) run(train, test nn.Data, eta float64, n int) (RateRun, error) {
	net, err := nn.New(nn.Config{Sizes: c.Sizes, Seed: c.Seed})
	if err != nil {
		return RateRun{}, err
	}
	r := RateRun{LearningRate: eta, BatchSize: n, Batches: batchCount(train.Len(), n)}
	sgd := nn.SGD{LearningRate: eta, BatchSize: n, Epochs: c.Epochs, Seed: c.Seed,
		OnBatch: func(s nn.Step) error { r.BatchLoss = append(r.BatchLoss, s.Loss); return nil },
		OnEpoch: func(e nn.Epoch) error { r.EpochLoss = append(r.EpochLoss, e.Loss); return nil }}
	err = sgd.Train(net, train)
	if errors.As(err, &r.Diverged) {
		return r, nil
	}
	if err != nil {
		return r, err
	}
	_, r.TestAccuracy = net.Evaluate(test)
	return r, nil
}

// SweepLearningRates trains one network per learning rate η with batch size
// n. A run that diverges (nn.DivergenceError) is kept, with Diverged set and
// its losses up to that batch; other errors are returned.
func (c RateStudy) SweepLearningRates(train, test nn.Data, n int, etas ...float64) ([]RateRun, error) {
	var runs []RateRun
	for _, eta := range etas {
		r, err := c.run(train, test, eta, n)
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	return runs, nil
}

// CompareBatchSizes trains one network per batch size N with learning rate
// η (see SweepLearningRates).
func (c RateStudy) CompareBatchSizes(train, test nn.Data, eta float64, ns ...int) ([]RateRun, error) {
	var runs []RateRun
	for _, n := range ns {
		r, err := c.run(train, test, eta, n)
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	return runs, nil
}

// roughness measures how noisy a loss curve is: the root mean square of the
// change from one mini-batch to the next, divided by √2. When the loss
// drifts slowly and each batch adds independent noise of standard deviation
// σ, this estimates σ (a difference of two draws has variance 2σ²). It is
// NaN for fewer than two finite points.
func roughness(batchLoss []float64) float64 {
	var sum float64
	n := 0
	for i := 1; i < len(batchLoss); i++ {
		d := batchLoss[i] - batchLoss[i-1]
		if math.IsNaN(d) || math.IsInf(d, 0) {
			continue
		}
		sum += d * d
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	return math.Sqrt(sum / float64(n) / 2)
}

// RateTable summarises runs, one line each: η, N, the loss after each epoch,
// and the test accuracy or where training diverged.
func RateTable(runs []RateRun) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%8s %6s   %s\n", "η", "N", "loss per epoch → test accuracy")
	for _, r := range runs {
		fmt.Fprintf(&b, "%8g %6d   ", r.LearningRate, r.BatchSize)
		for _, l := range r.EpochLoss {
			fmt.Fprintf(&b, "%.3f ", l)
		}
		if r.Diverged != nil {
			fmt.Fprintf(&b, "diverged: %v\n", r.Diverged)
			continue
		}
		fmt.Fprintf(&b, "→ %.1f%%\n", 100*r.TestAccuracy)
	}
	return b.String()
}

// NoiseTable gives, per batch size, the number of steps per epoch and the
// roughness of the loss curve (see roughness), with the ratio to the first
// run's and 1/√(N/N₁), the ratio if the noise of a batch mean shrank like
// 1/√N.
func NoiseTable(runs []RateRun) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%6s %14s %11s %10s %12s\n", "N", "steps/epoch", "roughness", "ratio", "√(N₁/N)")
	if len(runs) == 0 {
		return b.String()
	}
	r0 := roughness(runs[0].BatchLoss)
	for _, r := range runs {
		steps := len(r.BatchLoss)
		if len(r.EpochLoss) > 0 {
			steps /= len(r.EpochLoss)
		}
		rough := roughness(r.BatchLoss)
		fmt.Fprintf(&b, "%6d %14d %11.4f %10.3f %12.3f\n", r.BatchSize, steps, rough, rough/r0,
			math.Sqrt(float64(runs[0].BatchSize)/float64(r.BatchSize)))
	}
	return b.String()
}

// batchLossSpread measures the noise that the batch size controls: at fixed
// weights it draws `samples` random batches of n examples (without
// replacement within a batch; seeded) and returns the mean and the standard
// deviation of their loss. The loss of a batch is a mean of n example
// losses, so its standard deviation shrinks like 1/√n; the gradient's noise
// behaves the same way.
func batchLossSpread(net *nn.Network, data nn.Data, n, samples int, seed uint64) (mean, std float64) {
	if n < 1 || n > data.Len() || samples < 2 {
		panic(fmt.Sprintf("lesson: batchLossSpread: batch size %d of %d examples, %d samples (need 1 ≤ n ≤ len, samples ≥ 2)", n, data.Len(), samples))
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float64, n*data.Dim())
	labels := make([]int, n)
	losses := make([]float64, samples)
	for k := range losses {
		idx := rng.Perm(data.Len())[:n]
		data.Batch(x, labels, idx)
		losses[k] = net.Loss(mat.NewDense(n, data.Dim(), x), labels)
		mean += losses[k]
	}
	mean /= float64(samples)
	for _, l := range losses {
		std += (l - mean) * (l - mean)
	}
	return mean, math.Sqrt(std / float64(samples-1))
}

// SpreadTable prints batchLossSpread for each batch size, with the ratio of
// the standard deviations to the first one's and √(n₁/n).
func SpreadTable(net *nn.Network, data nn.Data, samples int, seed uint64, ns ...int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%6s %10s %10s %8s %9s\n", "N", "mean loss", "std", "ratio", "√(N₁/N)")
	var s0 float64
	for k, n := range ns {
		m, s := batchLossSpread(net, data, n, samples, seed)
		if k == 0 {
			s0 = s
		}
		fmt.Fprintf(&b, "%6d %10.4f %10.4f %8.3f %9.3f\n", n, m, s, s/s0, math.Sqrt(float64(ns[0])/float64(n)))
	}
	return b.String()
}

// RateLossCurves overlays the batch losses of the runs against epochs, one
// curve per run, named by η (by N when all runs share η).
func RateLossCurves(title string, runs []RateRun) *chart.Chart {
	byN := len(runs) > 1
	for _, r := range runs {
		byN = byN && r.LearningRate == runs[0].LearningRate
	}
	var series []chart.Series
	for _, r := range runs {
		name := fmt.Sprintf("η = %g", r.LearningRate)
		if byN {
			name = fmt.Sprintf("N = %d", r.BatchSize)
		}
		if r.Diverged != nil {
			name += " (diverged)"
		}
		series = append(series, epochSeries(name, r.BatchLoss, r.Batches))
	}
	return chart.LossCurves(title, series)
}

// CheckSGDStep checks the update rule θ ← θ − η ∂E/∂θ on nn: one nn.SGD
// step with the whole batch (x, labels) as its mini-batch moves every
// parameter of a clone of net by exactly −η times the gradient that
// LossAndGrad computes on that batch (to tolExact: the batch is shuffled, so
// the mean is summed in another order).
func CheckSGDStep(net *nn.Network, x *mat.Dense, labels []int, eta float64) Check {
	grad := net.Clone()
	grad.LossAndGrad(x, labels)
	stepped := net.Clone()
	n, _ := x.Dims()
	err := nn.SGD{LearningRate: eta, BatchSize: n, Epochs: 1}.Train(stepped, nn.Examples{X: x, Labels: labels})
	if err != nil {
		panic(fmt.Sprintf("lesson: CheckSGDStep: %v", err))
	}
	var worst float64
	before, after, g := net.Params(), stepped.Params(), grad.Params()
	for k := range before {
		want := new(mat.Dense)
		want.Scale(-eta, g[k].Grad)
		want.Add(want, before[k].Value)
		c := CheckEquation("", after[k].Value, want, tolExact)
		worst = math.Max(worst, c.MaxErr)
	}
	return Check{Name: fmt.Sprintf("θ after one SGD step = θ − η ∂E/∂θ (η = %g, every parameter)", eta),
		MaxErr: worst, Tol: tolExact, OK: worst <= tolExact}
}

// quadraticDescent runs k gradient-descent steps θ ← θ − η·λθ on the
// one-parameter loss E(θ) = ½λθ² from θ₀ and returns every θ (k+1 values).
func quadraticDescent(lambda, eta, theta0 float64, k int) []float64 {
	th := []float64{theta0}
	for range k {
		t := th[len(th)-1]
		th = append(th, t-eta*lambda*t)
	}
	return th
}

// CheckQuadraticDescent checks the closed form of gradient descent on
// E(θ) = ½λθ²: θ_k = (1 − ηλ)^k θ₀, which shrinks to 0 when |1 − ηλ| < 1,
// that is 0 < η < 2/λ, and blows up when η > 2/λ. Relative tolerance 1e-12.
func CheckQuadraticDescent(lambda, eta, theta0 float64, k int) Check {
	th := quadraticDescent(lambda, eta, theta0, k)
	var worst float64
	for i, t := range th {
		want := math.Pow(1-eta*lambda, float64(i)) * theta0
		worst = math.Max(worst, math.Abs(t-want)/math.Max(1, math.Abs(want)))
	}
	verdict := "converges"
	if math.Abs(1-eta*lambda) >= 1 {
		verdict = "diverges"
	}
	return Check{Name: fmt.Sprintf("λ = %g, η = %g: θ_k = (1 − ηλ)^k θ₀ = %.4g after %d steps (|1 − ηλ| = %.2g: %s)",
		lambda, eta, th[k], k, math.Abs(1-eta*lambda), verdict), Detail: "relative", MaxErr: worst, Tol: 1e-12, OK: worst <= 1e-12}
}
