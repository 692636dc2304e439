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

// Bowl is the loss of a network along its descent direction, f(η) =
// E(θ − η·g) with g = ∂E/∂θ at θ, next to the one-parameter bowl that
// describes it near η = 0: f(η) ≈ E − η‖g‖² + ½η²λ‖g‖², where λ = gᵀHg/‖g‖²
// is the curvature of E along g (H the Hessian). On the bowl one step of η
// lowers the loss for 0 < η < 2/λ, most at η = 1/λ, and raises it above.
type Bowl struct {
	E, G2, Lambda float64   // E(θ), ‖g‖², the curvature along g
	Eta           []float64 // the steps measured
	Measured      []float64 // E(θ − η·g) − E(θ), by a forward pass
	Predicted     []float64 // −η‖g‖² + ½η²λ‖g‖²
}

// MeasureBowl measures the loss of net on the batch along −∂E/∂θ, at steps
// η = m/λ for each multiple m: λ from the second difference of E at a step
// of length 10⁻³ along g, then one forward pass per η. net is not changed.
func MeasureBowl(net *nn.Network, x *mat.Dense, labels []int, multiples ...float64) Bowl {
	g := net.Clone()
	e0 := g.LossAndGrad(x, labels)
	grads := g.Params()
	var g2 float64
	for _, p := range grads {
		for _, v := range p.Grad.RawMatrix().Data {
			g2 += v * v
		}
	}
	along := func(t float64) float64 { // E(θ − t·g)
		c := net.Clone()
		for k, p := range c.Params() {
			d := p.Value.RawMatrix().Data
			for i, gv := range grads[k].Grad.RawMatrix().Data {
				d[i] -= t * gv
			}
		}
		return c.Loss(x, labels)
	}
	t := 1e-3 / math.Sqrt(g2)
	lambda := (along(t) - 2*e0 + along(-t)) / (t * t) / g2
	b := Bowl{E: e0, G2: g2, Lambda: lambda}
	for _, m := range multiples {
		eta := m / lambda
		b.Eta = append(b.Eta, eta)
		b.Measured = append(b.Measured, along(eta)-e0)
		b.Predicted = append(b.Predicted, -eta*g2+0.5*eta*eta*lambda*g2)
	}
	return b
}

// CheckBowl checks that the bowl describes the network for the steps up to
// η = maxMultiple/λ: the measured change of the loss agrees with the
// predicted one to within tol, relative to the prediction.
func CheckBowl(b Bowl, maxMultiple, tol float64) Check {
	var worst float64
	for i, eta := range b.Eta {
		if eta*b.Lambda <= maxMultiple*(1+1e-12) {
			worst = math.Max(worst, math.Abs(b.Measured[i]-b.Predicted[i])/math.Abs(b.Predicted[i]))
		}
	}
	return Check{Name: fmt.Sprintf("E(θ − η∂E/∂θ) − E(θ) = −η‖g‖² + ½η²λ‖g‖² for η ≤ %g/λ (λ = %.3g along g, 2/λ = %.3g)", maxMultiple, b.Lambda, 2/b.Lambda),
		Detail: "relative to the prediction", MaxErr: worst, Tol: tol, OK: worst <= tol}
}

// String prints the bowl as a table: each step η (as a multiple of 1/λ),
// the measured and the predicted change of the loss.
func (b Bowl) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "E = %.4f, ‖g‖² = %.4g, λ = %.4g along g\n%8s %8s %12s %12s\n", b.E, b.G2, b.Lambda, "η·λ", "η", "measured ΔE", "bowl ΔE")
	for i, eta := range b.Eta {
		fmt.Fprintf(&sb, "%8.2f %8.3g %12.4f %12.4f\n", eta*b.Lambda, eta, b.Measured[i], b.Predicted[i])
	}
	return sb.String()
}

// gradSpread measures the noise of the mini-batch gradient itself: at fixed
// weights it draws `samples` random batches of n examples (as
// batchLossSpread does) and returns the standard deviation of ∂E/∂θ across
// the batches, as the root mean square over all P parameters:
// √((1/P) Σ_p var_batches(∂E/∂θ_p)). Each entry of the gradient is a mean
// over the batch, so this too shrinks like 1/√n.
func gradSpread(net *nn.Network, data nn.Data, n, samples int, seed uint64) float64 {
	if n < 1 || n > data.Len() || samples < 2 {
		panic(fmt.Sprintf("lesson: gradSpread: batch size %d of %d examples, %d samples (need 1 ≤ n ≤ len, samples ≥ 2)", n, data.Len(), samples))
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float64, n*data.Dim())
	labels := make([]int, n)
	g := net.Clone()
	var mean, m2 []float64 // Welford's running mean and sum of squared deviations, per parameter
	for b := range samples {
		idx := rng.Perm(data.Len())[:n]
		data.Batch(x, labels, idx)
		g.LossAndGrad(mat.NewDense(n, data.Dim(), x), labels)
		k := 0
		for _, p := range g.Params() {
			for _, v := range p.Grad.RawMatrix().Data {
				if b == 0 {
					mean, m2 = append(mean, 0), append(m2, 0)
				}
				d := v - mean[k]
				mean[k] += d / float64(b+1)
				m2[k] += d * (v - mean[k])
				k++
			}
		}
	}
	var total float64
	for _, v := range m2 {
		total += v / float64(samples-1)
	}
	return math.Sqrt(total / float64(len(m2)))
}

// GradSpreadTable prints gradSpread for each batch size, with the ratio to
// the first one's, √(N₁/N), and √(N₁/N) times the finite-population
// correction of batches drawn without replacement from the M examples of
// data, √((M − N)/(M − N₁)): the noise of the gradient, measured.
func GradSpreadTable(net *nn.Network, data nn.Data, samples int, seed uint64, ns ...int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%6s %14s %8s %9s %18s\n", "N", "std of ∂E/∂θ", "ratio", "√(N₁/N)", "× √((M−N)/(M−N₁))")
	var s0 float64
	m := float64(data.Len())
	for k, n := range ns {
		s := gradSpread(net, data, n, samples, seed)
		if k == 0 {
			s0 = s
		}
		plain := math.Sqrt(float64(ns[0]) / float64(n))
		fmt.Fprintf(&b, "%6d %14.3e %8.3f %9.3f %18.3f\n", n, s, s/s0, plain, plain*math.Sqrt((m-float64(n))/(m-float64(ns[0]))))
	}
	return b.String()
}
