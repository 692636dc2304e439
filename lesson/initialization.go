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

// gaussian returns the initialisation W_ij ~ N(0, σ²), "×σ" in the lessons:
// a standard normal draw times σ, whatever the layer's size (the classic
// 0.01·randn, or randn itself for σ = 1).
func gaussian(sigma float64) nn.Init {
	return nn.Init{Name: fmt.Sprintf("×%g", sigma), Sample: func(rng *rand.Rand, _, _ int) float64 {
		return sigma * rng.NormFloat64()
	}}
}

// ComparedInits are the initialisations the initialisation lesson compares:
// the lab's U[−0.2, 0.2), He N(0, 2/n_in), Xavier U[±√(6/(n_in+n_out))),
// 0.01·N(0, 1) and N(0, 1).
func ComparedInits() []nn.Init {
	lab := nn.LabUniform
	lab.Name = "lab U[−0.2,0.2)"
	return []nn.Init{lab, nn.He, nn.Xavier, gaussian(0.01), gaussian(1)}
}

// LayerRMS holds, for layers s = 1 … h (index s−1), the root mean square
// √(mean of x²) over a batch of the activations a⁽ˢ⁾, the deltas δ⁽ˢ⁾ (with
// the batch mean's 1/N, as nn computes them) and the weight gradients
// ∂E/∂W⁽ˢ⁾.
type LayerRMS struct {
	A, Delta, DW []float64
}

// measureLayers runs one forward and backward pass of net on the batch (net
// is not changed) and returns the per-layer RMS values.
func measureLayers(net *nn.Network, x *mat.Dense, labels []int) LayerRMS {
	t := NewTrace(net, x, labels)
	var m LayerRMS
	for _, l := range t.Layers {
		m.A = append(m.A, rms(l.A))
		m.Delta = append(m.Delta, rms(l.Delta))
		m.DW = append(m.DW, rms(l.DW))
	}
	return m
}

// InitStudy trains one network per initialisation, all else equal, and
// measures each layer before training and after the first epoch.
type InitStudy struct {
	Sizes        []int         // e.g. {784, 96, 96, 96, 96, 10}
	Hidden       nn.Activation // hidden activation
	LearningRate float64
	BatchSize    int
	Epochs       int
	Seed         uint64 // the same seed for every initialisation: same draws, rescaled
	Probe        int    // examples (the first ones of the training set) the RMS values are measured on
}

// InitRun is one initialisation's result.
type InitRun struct {
	Init          string
	Step0, Epoch1 LayerRMS  // before training, after the first epoch (Epoch1 empty if it diverged in epoch 1)
	BatchLoss     []float64 // loss of every mini-batch, in order
	EpochLoss     []float64 // nn.Epoch.Loss per finished epoch
	TestAccuracy  float64   // after training (0 if it diverged)
	Batches       int       // mini-batches per epoch
	Diverged      *nn.DivergenceError
}

// Run trains one network per initialisation on train and evaluates it on
// test. Training errors other than divergence are returned.
func (c InitStudy) Run(train, test nn.Data, inits []nn.Init) ([]InitRun, error) {
	xProbe, lProbe := probeBatch(train, c.Probe)
	var runs []InitRun
	for _, init := range inits {
		net, err := nn.New(nn.Config{Sizes: c.Sizes, Hidden: c.Hidden, Init: init, Seed: c.Seed})
		if err != nil {
			return nil, err
		}
		r := InitRun{Init: init.Name, Step0: measureLayers(net, xProbe, lProbe), Batches: batchCount(train.Len(), c.BatchSize)}
		sgd := nn.SGD{LearningRate: c.LearningRate, BatchSize: c.BatchSize, Epochs: c.Epochs, Seed: c.Seed,
			OnBatch: func(s nn.Step) error { r.BatchLoss = append(r.BatchLoss, s.Loss); return nil },
			OnEpoch: func(e nn.Epoch) error {
				r.EpochLoss = append(r.EpochLoss, e.Loss)
				if e.Epoch == 1 {
					r.Epoch1 = measureLayers(net, xProbe, lProbe)
				}
				return nil
			}}
		err = sgd.Train(net, train)
		if errors.As(err, &r.Diverged) {
			runs = append(runs, r)
			continue
		}
		if err != nil {
			return nil, err
		}
		_, r.TestAccuracy = net.Evaluate(test)
		runs = append(runs, r)
	}
	return runs, nil
}

// batchCount is the number of mini-batches of size bs in an epoch of n
// examples, as nn.SGD cuts them.
func batchCount(n, bs int) int {
	bs = max(1, min(bs, n))
	return (n + bs - 1) / bs
}

// probeBatch returns the first n examples of data as one batch.
func probeBatch(data nn.Data, n int) (*mat.Dense, []int) {
	n = min(n, data.Len())
	if n < 1 {
		panic(fmt.Sprintf("lesson: probe batch of %d examples", n))
	}
	x := make([]float64, n*data.Dim())
	labels := make([]int, n)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	data.Batch(x, labels, idx)
	return mat.NewDense(n, data.Dim(), x), labels
}

// InitTable summarises runs: per initialisation the RMS of a⁽ˢ⁾ and
// ∂E/∂W⁽ˢ⁾ in the first and last layer at step 0, the loss after each
// epoch and the test accuracy (or where it diverged).
func InitTable(runs []InitRun) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-16s %10s %10s %10s %10s   %s\n", "init", "a⁽¹⁾", "a⁽ʰ⁻¹⁾", "∂E/∂W⁽¹⁾", "∂E/∂W⁽ʰ⁾", "loss per epoch → test accuracy")
	for _, r := range runs {
		h := len(r.Step0.A)
		fmt.Fprintf(&b, "%-16s %10.2e %10.2e %10.2e %10.2e   ", r.Init, r.Step0.A[0], r.Step0.A[h-2], r.Step0.DW[0], r.Step0.DW[h-1])
		for _, l := range r.EpochLoss {
			fmt.Fprintf(&b, "%.3f ", l)
		}
		if r.Diverged != nil {
			fmt.Fprintf(&b, "diverged (epoch %d, batch %d)\n", r.Diverged.Epoch, r.Diverged.Batch)
			continue
		}
		fmt.Fprintf(&b, "→ %.1f%%\n", 100*r.TestAccuracy)
	}
	return b.String()
}

// FirstLayerGap compares the first layer's ∂E/∂W RMS at step 0 of two runs:
// "ReLU: first-layer ∂E/∂W RMS at step 0 is 3.1e-09 with ×0.01 and 2.4e-03
// with he: 5.9 orders of magnitude smaller". It panics if a name is not among
// the runs.
func FirstLayerGap(act string, runs []InitRun, small, ref string) string {
	get := func(name string) float64 {
		for _, r := range runs {
			if r.Init == name {
				return r.Step0.DW[0]
			}
		}
		panic(fmt.Sprintf("lesson: FirstLayerGap: no run named %q", name))
	}
	a, b := get(small), get(ref)
	return fmt.Sprintf("%s: first-layer ∂E/∂W RMS at step 0 is %.2g with %s and %.2g with %s: %.1f orders of magnitude smaller",
		act, a, small, b, ref, math.Log10(b/a))
}

// InitCharts draws one chart per quantity (RMS of a⁽ˢ⁾, δ⁽ˢ⁾ and
// ∂E/∂W⁽ˢ⁾), layers on the x axis and one bar per initialisation, at step 0
// (afterEpoch false) or after the first epoch. Runs that diverged in the
// first epoch have no bars after it.
func InitCharts(act string, runs []InitRun, afterEpoch bool) []*chart.Chart {
	when := "at step 0"
	if afterEpoch {
		when = "after one epoch"
	}
	quantity := []struct {
		name string
		get  func(LayerRMS) []float64
	}{
		{"a⁽ˢ⁾", func(m LayerRMS) []float64 { return m.A }},
		{"δ⁽ˢ⁾", func(m LayerRMS) []float64 { return m.Delta }},
		{"∂E/∂W⁽ˢ⁾", func(m LayerRMS) []float64 { return m.DW }},
	}
	var out []*chart.Chart
	for _, q := range quantity {
		var series []chart.LayerSeries
		for _, r := range runs {
			m := r.Step0
			if afterEpoch {
				m = r.Epoch1
			}
			vals := q.get(m)
			if vals == nil { // diverged: no measurement
				vals = make([]float64, len(q.get(r.Step0)))
			}
			series = append(series, chart.LayerSeries{Name: r.Init, Values: vals})
		}
		out = append(out, chart.LayerBars(fmt.Sprintf("%s: RMS of %s %s", act, q.name, when), series, chart.WithSize(440, 320)))
	}
	return out
}

// InitLossCurves overlays the batch losses of the runs, one curve per
// initialisation, against epochs.
func InitLossCurves(act string, runs []InitRun) *chart.Chart {
	var series []chart.Series
	for _, r := range runs {
		series = append(series, epochSeries(r.Init, r.BatchLoss, r.Batches))
	}
	return chart.LossCurves(act+": loss by initialisation", series, chart.WithSize(560, 360))
}

// epochSeries places batch k (0-based) of a run at x = (k+1)/perEpoch.
func epochSeries(name string, batchLoss []float64, perEpoch int) chart.Series {
	xs := make([]float64, len(batchLoss))
	for k := range xs {
		xs[k] = float64(k+1) / float64(perEpoch)
	}
	return chart.Series{Name: name, X: xs, Y: batchLoss}
}

// CheckReLUScaling checks the variance rule for ReLU layers on a run: with
// W_ij ~ N(0, σ²) (or any zero-mean law of variance σ²) and n_in inputs, the
// RMS of the activations grows from one hidden layer to the next by
//
//	rms(a⁽ˢ⁾) / rms(a⁽ˢ⁻¹⁾) ≈ σ·√(n_in/2)
//
// (v sums n_in terms of variance σ²·E[a²]; ReLU keeps half of v's second
// moment). It compares the measured ratios of layers 2 … h−1 with σ·√(n_in/2)
// and passes when every relative deviation is ≤ 20%. The rule is an
// expectation over the weights; a network is one draw, in which each of
// the n_out units of a layer has its own ‖wᵢ‖ and its own offset from the
// inputs' common positive part, which ReLU cuts unevenly: with 96 units the
// measured ratios scatter by about 10%, not by rounding.
func CheckReLUScaling(r InitRun, sigma float64, nIn int) Check {
	want := sigma * math.Sqrt(float64(nIn)/2)
	var worst float64
	a := r.Step0.A
	for s := 1; s < len(a)-1; s++ {
		worst = math.Max(worst, math.Abs(a[s]/a[s-1]/want-1))
	}
	return Check{Name: fmt.Sprintf("%s: rms(a⁽ˢ⁾)/rms(a⁽ˢ⁻¹⁾) = σ√(n_in/2) = %.3g", r.Init, want),
		Detail: "largest relative deviation over the hidden layers", MaxErr: worst, Tol: 0.2, OK: worst <= 0.2}
}
