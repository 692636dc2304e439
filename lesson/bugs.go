package lesson

// A gallery of backprop bugs: each is one wrong line in a correct backward
// pass (or loss), planted in a network so that gradcheck can be run on it,
// together with the line that fixes it.

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/lesson/chart"
	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
)

// Bug is one entry of the gallery: a mistake in the backward pass of a
// network with one example per row (V = A·Wᵀ + 1bᵀ, W n_out×n_in), the
// wrong line, the right one, and a function that plants it.
type Bug struct {
	Key   string // short name for CheckBug: "mask", "gw", "wt", "no-1/N", …
	Name  string // what is wrong, in words
	Wrong string // the wrong line (batch form)
	Fix   string // the right line
	// plant puts the bug into a fresh correct network (784-16-16-10 in the
	// gallery) and returns the function gradcheck compares, with the
	// analytic gradient already computed on (x, labels).
	plant func(net *nn.Network, x *mat.Dense, labels []int) gradcheck.Func
}

// bugs returns the gallery, in the order of the notebook's table.
func bugs() []Bug {
	return []Bug{
		{"mask", "forgotten φ′: the hidden delta without the ReLU mask",
			"Δ⁽ˢ⁾ = G", "Δ⁽ˢ⁾ = φ′(V⁽ˢ⁾) ⊙ G",
			hiddenBug(1, func(d *nn.Dense, g *mat.Dense) *mat.Dense { return d.BackwardDelta(g, true) })},
		{"gw", "the lab's bug: G·W handed down instead of Δ·W",
			"return G · W⁽ˢ⁾", "return Δ⁽ˢ⁾ · W⁽ˢ⁾",
			hiddenBug(1, func(d *nn.Dense, g *mat.Dense) *mat.Dense { return LabBugDense{d}.Backward(g) })},
		{"wt", "Wᵀ where W belongs (copied from code that stores W as n_in×n_out)",
			"return Δ⁽ˢ⁾ · W⁽ˢ⁾ᵀ", "return Δ⁽ˢ⁾ · W⁽ˢ⁾",
			hiddenBug(2, transposedBackward)},
		{"no-1/N", "the 1/N of the batch mean forgotten",
			"Δ⁽ʰ⁾ = A − Y", "Δ⁽ʰ⁾ = (A − Y) / N",
			outputBug(func(n float64) float64 { return n })},
		{"double-1/N", "the 1/N applied twice",
			"Δ⁽ʰ⁾ = (A − Y) / N²", "Δ⁽ʰ⁾ = (A − Y) / N",
			outputBug(func(n float64) float64 { return 1 / n })},
		{"sign", "the sign flipped",
			"Δ⁽ʰ⁾ = (Y − A) / N", "Δ⁽ʰ⁾ = (A − Y) / N",
			outputBug(func(float64) float64 { return -1 })},
		{"diag", "the lab's softmax derivative: only the diagonal aᵢ(1 − aᵢ) of the Jacobian",
			"Δ⁽ʰ⁾ = A ⊙ (1 − A) ⊙ ∂E/∂A = −Y ⊙ (1 − A) / N", "Δ⁽ʰ⁾ = (A − Y) / N (the whole Jacobian)",
			diagonalSoftmax},
		{"no-max", "softmax without max-subtraction, on logits shifted by +1000",
			"aᵢ = e^{vᵢ} / Σₖ e^{vₖ}", "aᵢ = e^{vᵢ−m} / Σₖ e^{vₖ−m}, m = maxₖ vₖ",
			plantNaiveSoftmax},
		{"no-ln", "the loss without its ln, as the lab's text writes it, with the δ that only the ln gives",
			"E = −(1/N) Σₙ Σⱼ yₙⱼ aₙⱼ", "E = −(1/N) Σₙ Σⱼ yₙⱼ ln aₙⱼ",
			lossWithoutLn},
	}
}

// bugByKey returns the gallery entry called key; it panics on an unknown
// key, naming the known ones.
func bugByKey(key string) Bug {
	var keys []string
	for _, b := range bugs() {
		if b.Key == key {
			return b
		}
		keys = append(keys, b.Key)
	}
	panic(fmt.Sprintf("lesson: no bug %q in the gallery (known: %s)", key, strings.Join(keys, ", ")))
}

// galleryConfig is the network of the gallery: 784-16-16-10, ReLU, the
// lab's U[−0.2, 0.2) weights, seed 1. Two hidden layers, so that a bug in
// what a hidden layer hands down can show; W⁽²⁾ is square (16×16), so that
// Δ·W⁽²⁾ᵀ runs instead of panicking.
var galleryConfig = nn.Config{Sizes: []int{784, 16, 16, 10}, Seed: 1}

// galleryBatch is the gallery's batch: the first 8 training digits of the
// embedded MNIST subset, X 8×784.
func galleryBatch() (*mat.Dense, []int) {
	train, _ := mnist.Embedded()
	return Examples(train, 8)
}

// CheckBug plants the bug called key into a fresh galleryConfig network and
// gradchecks it on 8 MNIST digits; CheckBug("") checks the correct network.
func CheckBug(key string) *gradcheck.Report {
	x, labels := galleryBatch()
	net := nn.MustNew(galleryConfig)
	if key == "" {
		return gradcheck.CheckNetwork(net, x, labels, nil)
	}
	b := bugByKey(key)
	r := gradcheck.Check(b.plant(net, x, labels), nil)
	r.Name, r.Batch = "network 784-16-16-10 with bug "+key, len(labels)
	return r
}

// bugVerdict says in a few words what gradcheck shows in r: the tensors
// that failed and their worst element (analytic ÷ numeric: N = 8 for a
// forgotten 1/N, −1 for a flipped sign), or that it passed.
func bugVerdict(r *gradcheck.Report) string {
	failed := r.Failures()
	if len(failed) == 0 {
		return "passed: " + r.Summary()
	}
	names := make([]string, len(failed))
	worst := failed[0].Worst
	for i, t := range failed {
		names[i] = t.Name
		if t.Worst.RelErr > worst.RelErr {
			worst = t.Worst
		}
	}
	s := fmt.Sprintf("%s FAILED (%d of %d tensors)", strings.Join(names, ", "), len(failed), len(r.Tensors))
	switch {
	case math.IsNaN(r.Loss) || math.IsInf(r.Loss, 0):
		s = fmt.Sprintf("the loss is %v; ", r.Loss) + s
	case worst.Numeric == 0:
		s += fmt.Sprintf("; worst: analytic %.3g where numeric is 0", worst.Analytic)
	default:
		s += fmt.Sprintf("; worst: analytic ÷ numeric = %.3g", worst.Analytic/worst.Numeric)
	}
	return s
}

// BugGalleryHTML runs CheckBug on every bug of the gallery and returns the
// table bug | wrong line | what gradcheck shows | fix as HTML. Cells wrap
// only at spaces, and a bug's key never breaks, so that it can be copied
// into CheckBug.
func BugGalleryHTML() string {
	var b strings.Builder
	b.WriteString(`<table class="bp-bugs" style="border-collapse:collapse;font-size:13px;word-break:normal;overflow-wrap:normal">` +
		`<thead><tr><th>bug</th><th>wrong line</th><th>what gradcheck shows</th><th>the fix</th></tr></thead><tbody>` + "\n")
	cell := `<td style="vertical-align:top;text-align:left;padding:4px 8px;border-top:1px solid #ccc">`
	for _, bug := range bugs() {
		fmt.Fprintf(&b, "<tr>%s%s (<code style=\"white-space:nowrap\">%s</code>)</td>%s%s</td>%s%s</td>%s%s</td></tr>\n",
			cell, textEscaper.Replace(bug.Name), textEscaper.Replace(bug.Key), cell, textEscaper.Replace(bug.Wrong),
			cell, textEscaper.Replace(bugVerdict(CheckBug(bug.Key))), cell, textEscaper.Replace(bug.Fix))
	}
	b.WriteString("</tbody></table>\n")
	return b.String()
}

// buggyDense is a hidden *nn.Dense whose Backward is replaced; embedding
// *nn.Dense keeps V and the activation readable, so that gradcheck still
// recognises ReLU kinks.
type buggyDense struct {
	*nn.Dense
	backward func(d *nn.Dense, g *mat.Dense) *mat.Dense
}

func (l buggyDense) Backward(g *mat.Dense) *mat.Dense { return l.backward(l.Dense, g) }

// hiddenBug replaces the Backward of hidden layers from, …, h−1 by backward.
func hiddenBug(from int, backward func(d *nn.Dense, g *mat.Dense) *mat.Dense) func(*nn.Network, *mat.Dense, []int) gradcheck.Func {
	return func(net *nn.Network, x *mat.Dense, labels []int) gradcheck.Func {
		for s := from; s < len(net.Layers); s++ {
			net.Layers[s-1] = buggyDense{net.Dense(s), backward}
		}
		return gradcheck.NetworkFunc(net, x, labels)
	}
}

// transposedBackward computes Δ, ∂E/∂W and ∂E/∂b right and hands down
// Δ·Wᵀ, which in our storage (W n_out×n_in) only has the right shape when
// W is square; otherwise it panics with both shapes.
func transposedBackward(d *nn.Dense, g *mat.Dense) *mat.Dense {
	d.Backward(g)
	nIn, nOut := d.Dims()
	if nIn != nOut {
		panic(fmt.Sprintf("lesson: Δ·Wᵀ: Δ is %d×%d but Wᵀ is %d×%d", g.RawMatrix().Rows, nOut, nIn, nOut))
	}
	gx := new(mat.Dense)
	gx.Mul(d.Delta(), d.W.T())
	return gx
}

// outputLayer wraps the softmax output layer so that it starts backward
// from a wrong δ⁽ʰ⁾: Network.Backward hands BackwardDelta the right
// Δ = (A − Y)/N, from which Y is recovered exactly (its entries are 0 and 1).
type outputLayer struct {
	*nn.Dense
	delta func(a, y *mat.Dense, n float64) *mat.Dense
}

func (l outputLayer) BackwardDelta(delta *mat.Dense, inputGrad bool) *mat.Dense {
	rows, _ := delta.Dims()
	n := float64(rows)
	a := l.A()
	y := new(mat.Dense)
	y.Scale(-n, delta)
	y.Add(y, a)
	y.Apply(func(_, _ int, v float64) float64 { return math.Round(v) }, y)
	return l.Dense.BackwardDelta(l.delta(a, y, n), inputGrad)
}

// outputBug gives the output layer δ⁽ʰ⁾ = factor(N)·(A − Y)/N.
func outputBug(factor func(n float64) float64) func(*nn.Network, *mat.Dense, []int) gradcheck.Func {
	return withOutput(func(a, y *mat.Dense, n float64) *mat.Dense {
		d := new(mat.Dense)
		d.Sub(a, y)
		d.Scale(factor(n)/n, d)
		return d
	})
}

// diagonalSoftmax uses only the diagonal aᵢ(1 − aᵢ) of the softmax
// Jacobian: δ = a(1 − a) ⊙ ∂E/∂a with ∂E/∂a = −y/(N·a), i.e. −y(1 − a)/N.
// It is right for the true class and 0, instead of aⱼ/N, for the others.
var diagonalSoftmax = withOutput(func(a, y *mat.Dense, n float64) *mat.Dense {
	d := new(mat.Dense)
	d.Apply(func(i, j int, yv float64) float64 { return -yv * (1 - a.At(i, j)) / n }, y)
	return d
})

func withOutput(delta func(a, y *mat.Dense, n float64) *mat.Dense) func(*nn.Network, *mat.Dense, []int) gradcheck.Func {
	return func(net *nn.Network, x *mat.Dense, labels []int) gradcheck.Func {
		top := len(net.Layers)
		net.Layers[top-1] = outputLayer{net.Dense(top), delta}
		return gradcheck.NetworkFunc(net, x, labels)
	}
}

// naiveSoftmaxAct is softmax without max-subtraction, e^{vᵢ}/Σₖ e^{vₖ}, with
// the right Jacobian-vector product δᵢ = aᵢ(gᵢ − Σₖ aₖgₖ).
type naiveSoftmaxAct struct{}

func (naiveSoftmaxAct) Name() string { return "softmax without max-subtraction" }

func (naiveSoftmaxAct) Forward(a, v *mat.Dense) {
	r, _ := v.Dims()
	for i := range r {
		a.SetRow(i, naiveSoftmax(v.RawRowView(i)))
	}
}

func (naiveSoftmaxAct) Backward(delta, v, a, g *mat.Dense) { nn.Softmax.Backward(delta, v, a, g) }

// logitShift is what naiveSoftmax adds to every logit (through b⁽ʰ⁾).
// Softmax does not change when all logits move together, so the right
// network's loss and gradients stay the same; e^{1000} overflows float64.
const logitShift = 1000

// plantNaiveSoftmax shifts every logit by logitShift and gives the output
// layer the softmax without max-subtraction.
func plantNaiveSoftmax(net *nn.Network, x *mat.Dense, labels []int) gradcheck.Func {
	out := net.Dense(len(net.Layers))
	shiftLogits(out)
	out.Act = naiveSoftmaxAct{}
	return gradcheck.NetworkFunc(net, x, labels)
}

func shiftLogits(out *nn.Dense) {
	out.B.Apply(func(_, _ int, b float64) float64 { return b + logitShift }, out.B)
}

// lossWithoutLn computes the gradient the right way, of E = −(1/N) Σ y ln a,
// but measures the loss the lab's text writes, −(1/N) Σ y a.
func lossWithoutLn(net *nn.Network, x *mat.Dense, labels []int) gradcheck.Func {
	f := gradcheck.NetworkFunc(net, x, labels)
	f.Loss = func() float64 {
		a := net.Forward(x)
		var e float64
		for n, c := range labels {
			e -= a.At(n, c)
		}
		return e / float64(len(labels))
	}
	f.Scale = nil
	return f
}

// BugRun is one training run of CompareLabBug: the loss of every
// mini-batch (before its update) and the accuracy on the test data after.
type BugRun struct {
	Name      string
	BatchLoss []float64
	TestAcc   float64
}

// CompareLabBug trains two networks of configuration cfg with the same
// initial weights and the same batches (sgd, with its hooks replaced): one
// correct, one with the lab's bug in every hidden layer (WithLabBug). It
// backs the claim that the buggy network still lowers its loss, only less.
func CompareLabBug(cfg nn.Config, sgd nn.SGD, train, test nn.Data) (right, buggy BugRun, err error) {
	run := func(name string, net *nn.Network) (BugRun, error) {
		r := BugRun{Name: name}
		s := sgd
		s.OnEpoch = nil
		s.OnBatch = func(st nn.Step) error {
			r.BatchLoss = append(r.BatchLoss, st.Loss)
			return nil
		}
		if err := s.Train(net, train); err != nil {
			return r, fmt.Errorf("%s: %w", name, err)
		}
		_, r.TestAcc = net.Evaluate(test)
		return r, nil
	}
	sizes := strings.Trim(strings.ReplaceAll(fmt.Sprint(cfg.Sizes), " ", "-"), "[]")
	if right, err = run(sizes+" (right)", nn.MustNew(cfg)); err != nil {
		return right, buggy, err
	}
	buggy, err = run(sizes+" with the lab's bug", WithLabBug(nn.MustNew(cfg)))
	return right, buggy, err
}

// Series returns the run's mini-batch losses for chart.LossCurves.
func (r BugRun) Series() chart.Series { return chart.Series{Name: r.Name, Y: r.BatchLoss} }

// String summarises a run: first and last mean loss over windows of a
// tenth of the batches, and the test accuracy.
func (r BugRun) String() string {
	w := max(1, len(r.BatchLoss)/10)
	mean := func(xs []float64) float64 {
		var s float64
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
	if len(r.BatchLoss) == 0 {
		return r.Name + ": no batches"
	}
	return fmt.Sprintf("%s: mean batch loss %.3f in the first %d batches, %.3f in the last %d; test accuracy %.1f%%",
		r.Name, mean(r.BatchLoss[:w]), w, mean(r.BatchLoss[len(r.BatchLoss)-w:]), w, 100*r.TestAcc)
}
