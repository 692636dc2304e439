package lesson

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// This file holds the theory half of the initialisation lesson (07): why
// the weights must be random at all (symmetry), and which variance keeps
// the forward signal, the backward signal or both at their scale when the
// layers' widths change.

// Constant returns the initialisation W_ij = c for every weight (c = 0 is
// the all-zero initialisation). It breaks no symmetry: see SymmetryStudy.
func Constant(c float64) nn.Init {
	return nn.Init{Name: fmt.Sprintf("constant %g", c), Sample: func(*rand.Rand, int, int) float64 { return c }}
}

// UnitSpread measures how different the units of a layer are: the largest,
// over the inputs j (and the bias), of max_i θ_ij − min_i θ_ij across the
// layer's n_out units i, where row i of θ is (W_i1 … W_i,n_in, b_i).
// It is 0 exactly when every unit has the same incoming weights and bias,
// so that every unit computes the same function of the input.
func UnitSpread(d *nn.Dense) float64 {
	r, c := d.W.Dims()
	var worst float64
	for j := 0; j <= c; j++ {
		col := func(i int) float64 {
			if j == c {
				return d.B.At(i, 0)
			}
			return d.W.At(i, j)
		}
		lo, hi := col(0), col(0)
		for i := 1; i < r; i++ {
			lo, hi = math.Min(lo, col(i)), math.Max(hi, col(i))
		}
		worst = math.Max(worst, hi-lo)
	}
	return worst
}

// SymmetryStudy trains the same network from several initialisations and
// measures, per hidden layer, the UnitSpread of its weights after training.
type SymmetryStudy struct {
	Sizes        []int // e.g. {784, 32, 32, 10}
	LearningRate float64
	BatchSize    int
	Epochs       int
	Seed         uint64 // initialisation and shuffling
}

// SymmetryRun is one initialisation's result.
type SymmetryRun struct {
	Init     string
	Steps    int       // SGD steps taken
	Spread   []float64 // Spread[s−1] = UnitSpread of hidden layer s after training
	Accuracy float64   // on the test data after training
}

// Run trains one ReLU network per initialisation on train and measures it
// (UnitSpread per hidden layer, accuracy on test).
func (c SymmetryStudy) Run(train, test nn.Data, inits []nn.Init) ([]SymmetryRun, error) {
	var runs []SymmetryRun
	for _, init := range inits {
		net, err := nn.New(nn.Config{Sizes: c.Sizes, Hidden: nn.ReLU, Init: init, Seed: c.Seed})
		if err != nil {
			return nil, err
		}
		r := SymmetryRun{Init: init.Name}
		sgd := nn.SGD{LearningRate: c.LearningRate, BatchSize: c.BatchSize, Epochs: c.Epochs, Seed: c.Seed,
			OnBatch: func(nn.Step) error { r.Steps++; return nil }}
		if err := sgd.Train(net, train); err != nil {
			return nil, fmt.Errorf("%s: %w", init.Name, err)
		}
		for s := 1; s < len(c.Sizes)-1; s++ {
			r.Spread = append(r.Spread, UnitSpread(net.Dense(s)))
		}
		_, r.Accuracy = net.Evaluate(test)
		runs = append(runs, r)
	}
	return runs, nil
}

// SymmetryTable prints one line per run: the spread of each hidden layer
// after training and the test accuracy.
func SymmetryTable(runs []SymmetryRun) string {
	var b strings.Builder
	for _, r := range runs {
		fmt.Fprintf(&b, "%-14s after %d steps: spread across units", r.Init, r.Steps)
		for s, v := range r.Spread {
			fmt.Fprintf(&b, "  layer %d: %.3g", s+1, v)
		}
		fmt.Fprintf(&b, "  → test accuracy %.1f%%\n", 100*r.Accuracy)
	}
	return b.String()
}

// VarianceRule chooses the variance of a ReLU layer's Gaussian weights from
// its fan-in n_in and fan-out n_out, as σ² = 2/n for one n:
//
//	forward  σ² = 2/n_in              rms(v⁽ˢ⁾) = rms(v⁽ˢ⁻¹⁾)  (He)
//	backward σ² = 2/n_out             rms(δ⁽ˢ⁻¹⁾) = rms(δ⁽ˢ⁾)
//	Glorot   σ² = 2/((n_in+n_out)/2)  the compromise: n is the mean of fan-in and fan-out
//
// The 2 is ReLU's: it keeps half of the second moment forward (E[ReLU(v)²] =
// E[v²]/2) and half backward (ReLU′ is 1 on half the units). Glorot and
// Bengio's σ² = 2/(n_in+n_out) is the same compromise for φ′(0) = 1 (tanh,
// linear), without that factor 2.
type VarianceRule struct {
	Name string                      // "n_in", "n_out" or "(n_in+n_out)/2"
	N    func(nIn, nOut int) float64 // the n in σ² = 2/n
}

// VarianceRules are the three rules the lesson measures, one entry each.
var VarianceRules = []VarianceRule{
	{"n_in (forward, He)", func(nIn, _ int) float64 { return float64(nIn) }},
	{"n_out (backward)", func(_, nOut int) float64 { return float64(nOut) }},
	{"(n_in+n_out)/2 (Glorot)", func(nIn, nOut int) float64 { return float64(nIn+nOut) / 2 }},
}

// Sigma returns the rule's σ = √(2/n) for a layer.
func (r VarianceRule) Sigma(nIn, nOut int) float64 { return math.Sqrt(2 / r.N(nIn, nOut)) }

// Init returns the rule as an nn.Init: W_ij ~ N(0, 2/n).
func (r VarianceRule) Init() nn.Init {
	return nn.Init{Name: "σ² = 2/n, n = " + r.Name, Sample: func(rng *rand.Rand, nIn, nOut int) float64 {
		return r.Sigma(nIn, nOut) * rng.NormFloat64()
	}}
}

// LayerGain compares, for layer s ≥ 2 of a ReLU network, the predicted and
// measured factors by which the layer's weights scale the two signals:
//
//	forward  rms(v⁽ˢ⁾)/rms(v⁽ˢ⁻¹⁾)   predicted σ_s·√(n_in/2)   (v sums n_in terms)
//	backward rms(δ⁽ˢ⁻¹⁾)/rms(δ⁽ˢ⁾)   predicted σ_s·√(n_out/2)  (Wᵀδ sums n_out terms)
//
// with n_in × n_out the shape of W⁽ˢ⁾ᵀ, i.e. W⁽ˢ⁾ is n_out×n_in.
type LayerGain struct {
	S, NIn, NOut int
	Sigma        float64
	FwdPred, Fwd float64
	BwdPred, Bwd float64
}

// VarianceFlow is one rule measured on one network: a LayerGain per layer
// s = 2 … h, and the end-to-end ratios rms(v⁽ʰ⁾)/rms(v⁽¹⁾) and
// rms(δ⁽¹⁾)/rms(δ⁽ʰ⁾) with their predictions (the products of the layers').
type VarianceFlow struct {
	Rule                       string
	Layers                     []LayerGain
	FwdPred, Fwd, BwdPred, Bwd float64
}

// MeasureVarianceFlow builds the ReLU network sizes with the rule's Gaussian
// weights once per seed in seeds, runs one forward and backward pass on the
// batch x (N×sizes[0]) and measures every LayerGain. The mean squares are
// pooled over the seeds before the ratios are taken: the rule is an
// expectation over random weights, and one draw of a 16-unit layer scatters
// by tens of percent. It panics on no seeds.
func MeasureVarianceFlow(sizes []int, rule VarianceRule, x *mat.Dense, labels []int, seeds []uint64) VarianceFlow {
	if len(seeds) == 0 {
		panic("lesson: MeasureVarianceFlow without seeds")
	}
	h := len(sizes) - 1
	msV, msD := make([]float64, h), make([]float64, h) // pooled mean squares of v⁽ˢ⁾ and δ⁽ˢ⁾
	for _, seed := range seeds {
		net := nn.MustNew(nn.Config{Sizes: sizes, Hidden: nn.ReLU, Init: rule.Init(), Seed: seed})
		t := NewTrace(net, x, labels)
		for s := 0; s < h; s++ {
			msV[s] += math.Pow(rms(t.Layers[s].V), 2)
			msD[s] += math.Pow(rms(t.Layers[s].Delta), 2)
		}
	}
	f := VarianceFlow{Rule: rule.Name, FwdPred: 1, BwdPred: 1}
	for s := 2; s <= h; s++ {
		nIn, nOut := sizes[s-1], sizes[s]
		sigma := rule.Sigma(nIn, nOut)
		g := LayerGain{S: s, NIn: nIn, NOut: nOut, Sigma: sigma,
			FwdPred: sigma * math.Sqrt(float64(nIn)/2), Fwd: math.Sqrt(msV[s-1] / msV[s-2]),
			BwdPred: sigma * math.Sqrt(float64(nOut)/2), Bwd: math.Sqrt(msD[s-2] / msD[s-1])}
		f.Layers = append(f.Layers, g)
		f.FwdPred *= g.FwdPred
		f.BwdPred *= g.BwdPred
	}
	f.Fwd = math.Sqrt(msV[h-1] / msV[0])
	f.Bwd = math.Sqrt(msD[0] / msD[h-1])
	return f
}

// VarianceTable prints the flows side by side: per layer its shape, σ and
// the forward and backward factors, predicted → measured, then the
// end-to-end ratios.
func VarianceTable(flows []VarianceFlow) string {
	var b strings.Builder
	for _, f := range flows {
		fmt.Fprintf(&b, "σ² = 2/n, n = %s\n", f.Rule)
		fmt.Fprintf(&b, "  %-20s %7s %22s %22s\n", "layer (n_in→n_out)", "σ", "forward pred → meas", "backward pred → meas")
		for _, g := range f.Layers {
			fmt.Fprintf(&b, "  %-20s %7.4f %10.3f → %-9.3f %10.3f → %-9.3f\n",
				fmt.Sprintf("W%s (%d→%d)", sup(g.S), g.NIn, g.NOut), g.Sigma, g.FwdPred, g.Fwd, g.BwdPred, g.Bwd)
		}
		fmt.Fprintf(&b, "  end to end: rms(v⁽ʰ⁾)/rms(v⁽¹⁾) %.3f → %.3f,  rms(δ⁽¹⁾)/rms(δ⁽ʰ⁾) %.3f → %.3f\n",
			f.FwdPred, f.Fwd, f.BwdPred, f.Bwd)
	}
	return b.String()
}

// CheckVarianceFlow passes when every measured layer factor of f, forward
// and backward, is within tol (relative) of its prediction.
func CheckVarianceFlow(f VarianceFlow, tol float64) Check {
	var worst float64
	for _, g := range f.Layers {
		worst = math.Max(worst, math.Max(math.Abs(g.Fwd/g.FwdPred-1), math.Abs(g.Bwd/g.BwdPred-1)))
	}
	return Check{Name: fmt.Sprintf("σ² = 2/n, n = %s: measured factors = σ√(n_in/2) forward, σ√(n_out/2) backward", f.Rule),
		Detail: "largest relative deviation over the layers", MaxErr: worst, Tol: tol, OK: worst <= tol}
}
