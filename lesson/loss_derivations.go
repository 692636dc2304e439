package lesson

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/lesson/autodiff"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// This file holds the derivations that transfer (lesson 04): the output
// delta of other output layers and losses than softmax + cross-entropy,
// each as a scalar function of the logits V (N×k, one example per row)
// with its analytic gradient, for package gradcheck to verify.

// LossDerivation is one output layer and loss with its derived δ = ∂E/∂v.
// Func builds a random case (N examples, seeded) whose single parameter is
// the logit matrix V with Grad the derived δ; Wrong, if set, is a tempting
// derivation that is not right, for the check to refute.
type LossDerivation struct {
	Name  string // e.g. "sigmoid + binary cross-entropy"
	Delta string // the derived δ, in the lesson's notation
	Func  func(n int, seed uint64) gradcheck.Func
	Wrong *LossDerivation
}

// LossDerivations are the lesson's derivations, one entry each:
//
//	sigmoid + binary cross-entropy  a = σ(v), E = −(1/N) Σ_n [y ln a + (1−y) ln(1−a)]
//	                                δ = (a − y)/N   (σ′ = a(1−a) cancels against the loss's 1/(a(1−a)))
//	MSE on softmax outputs          a = softmax(v), E = (1/2N) Σ_n ‖a − y‖²
//	                                δ = Jᵀ ∇ₐE with J = diag(a) − a aᵀ:
//	                                δ_i = a_i (g_i − Σ_k a_k g_k),  g = (a − y)/N   (no cancellation)
//
// The MSE entry's Wrong is the diagonal form δ_i = a_i(1 − a_i) g_i, i.e.
// Nielsen's BP1 ∇ₐE ⊙ φ′(v) with φ′ the diagonal of J: right for an
// element-wise output activation, wrong for softmax, whose a_i depends on
// every v_k (the bug of lesson 05).
var LossDerivations = []LossDerivation{
	{Name: "sigmoid + binary cross-entropy", Delta: "δ = (a − y)/N",
		Func: func(n int, seed uint64) gradcheck.Func {
			v, y := randomLogits(n, 1, seed)
			for i := range n { // a 0/1 target per example
				y.Set(i, 0, float64(int(y.At(i, 0)+0.5)))
			}
			grad := mat.NewDense(n, 1, nil)
			loss := func() float64 {
				var e float64
				for i := range n {
					// ln σ(v) = −softplus(−v), ln(1−σ(v)) = −softplus(v): no overflow.
					x, t := v.At(i, 0), y.At(i, 0)
					e += t*softplus(-x) + (1-t)*softplus(x)
				}
				return e / float64(n)
			}
			for i := range n {
				grad.Set(i, 0, (sigmoid(v.At(i, 0))-y.At(i, 0))/float64(n))
			}
			return gradcheck.Func{Params: []gradcheck.Param{{Name: "V", Value: v, Grad: grad}}, Loss: loss}
		}},
	{Name: "MSE on softmax outputs", Delta: "δ = Jᵀ∇ₐE: δ_i = a_i (g_i − Σ_k a_k g_k), g = (a − y)/N",
		Func: func(n int, seed uint64) gradcheck.Func { return mseSoftmax(n, seed, false) },
		Wrong: &LossDerivation{Name: "MSE on softmax outputs, diagonal Jacobian", Delta: "δ_i = a_i (1 − a_i) g_i (∇ₐE ⊙ diag J: wrong)",
			Func: func(n int, seed uint64) gradcheck.Func { return mseSoftmax(n, seed, true) }}},
}

// mseSoftmax is the MSE-on-softmax case; diagonal selects the wrong δ.
func mseSoftmax(n int, seed uint64, diagonal bool) gradcheck.Func {
	const k = 4
	v, y := randomLogits(n, k, seed)
	oneHot(y)
	loss := func() float64 {
		var e float64
		for i := range n {
			a := StableSoftmax(v.RawRowView(i))
			for j := range k {
				e += (a[j] - y.At(i, j)) * (a[j] - y.At(i, j))
			}
		}
		return e / (2 * float64(n))
	}
	grad := mat.NewDense(n, k, nil)
	for i := range n {
		a := StableSoftmax(v.RawRowView(i))
		var ag float64 // Σ_k a_k g_k
		g := make([]float64, k)
		for j := range k {
			g[j] = (a[j] - y.At(i, j)) / float64(n)
			ag += a[j] * g[j]
		}
		for j := range k {
			if diagonal {
				grad.Set(i, j, a[j]*(1-a[j])*g[j])
			} else {
				grad.Set(i, j, a[j]*(g[j]-ag))
			}
		}
	}
	return gradcheck.Func{Params: []gradcheck.Param{{Name: "V", Value: v, Grad: grad}}, Loss: loss}
}

// randomLogits returns V (n×k, N(0, 1.5²)) and a matrix of uniform [0, 1)
// numbers of the same shape for the caller to turn into targets.
func randomLogits(n, k int, seed uint64) (v, u *mat.Dense) {
	rng := rand.New(rand.NewPCG(seed, 7))
	v, u = mat.NewDense(n, k, nil), mat.NewDense(n, k, nil)
	for i := range n {
		for j := range k {
			v.Set(i, j, 1.5*rng.NormFloat64())
			u.Set(i, j, rng.Float64())
		}
	}
	return v, u
}

// oneHot replaces each row of u by the one-hot vector of its largest entry.
func oneHot(u *mat.Dense) {
	r, c := u.Dims()
	for i := range r {
		best := 0
		for j := range c {
			if u.At(i, j) > u.At(i, best) {
				best = j
			}
		}
		for j := range c {
			u.Set(i, j, 0)
		}
		u.Set(i, best, 1)
	}
}

func softplus(x float64) float64 { return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) }

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// CheckLossDerivation runs gradcheck on a random case of d with n examples.
func CheckLossDerivation(d LossDerivation, n int, seed uint64) *gradcheck.Report {
	return gradcheck.Check(d.Func(n, seed), nil)
}

// WeightDecay is L2 weight decay: the loss E_λ = E + (λ/2) Σ_s ‖W⁽ˢ⁾‖²
// (biases are not decayed). In the computational graph the penalty is a
// second path from every weight to the loss, so the gradients add:
//
//	∂E_λ/∂W⁽ˢ⁾ = δ⁽ˢ⁾ a⁽ˢ⁻¹⁾ᵀ + λ W⁽ˢ⁾,   ∂E_λ/∂b⁽ˢ⁾ = δ⁽ˢ⁾
//
// and the SGD step becomes W ← (1 − ηλ) W − η δ aᵀ: the weights "decay".
type WeightDecay struct{ Lambda float64 }

// Func returns E_λ of net on the batch as a gradcheck.Func whose
// gradients are nn's plus λW (computed now, at net's current weights).
// The check perturbs net's own weights in place and restores them.
func (wd WeightDecay) Func(net *nn.Network, x *mat.Dense, labels []int) gradcheck.Func {
	net.LossAndGrad(x, labels)
	var params []gradcheck.Param
	for _, p := range net.Params() {
		g := mat.DenseCopyOf(p.Grad)
		if p.Name[0] == 'W' {
			g.Add(g, scaled(wd.Lambda, p.Value))
		}
		params = append(params, gradcheck.Param{Name: p.Name, Value: p.Value, Grad: g})
	}
	return gradcheck.Func{Params: params, Loss: func() float64 { return net.Loss(x, labels) + wd.Penalty(net) }}
}

// Penalty returns (λ/2) Σ_s ‖W⁽ˢ⁾‖² for net.
func (wd WeightDecay) Penalty(net *nn.Network) float64 {
	var s float64
	for _, p := range net.Params() {
		if p.Name[0] == 'W' {
			n := mat.Norm(p.Value, 2)
			s += n * n
		}
	}
	return wd.Lambda / 2 * s
}

func scaled(c float64, m *mat.Dense) *mat.Dense {
	var out mat.Dense
	out.Scale(c, m)
	return &out
}

// CheckWeightDecayGraph builds net's scalar graph on one example (x is
// 1×n_in), adds the penalty nodes (λ/2)·Σ W_ij² to its loss, runs the
// graph's backward pass and compares every weight's gradient with
// δ⁽ˢ⁾a⁽ˢ⁻¹⁾ᵀ + λW⁽ˢ⁾ computed by nn: the graph adds the penalty's path to
// the loss's path by itself.
func CheckWeightDecayGraph(net *nn.Network, x *mat.Dense, labels []int, lambda float64) []Check {
	g := ScalarGraph(net, x, labels)
	var squares []*autodiff.Value
	for _, l := range g.Layers {
		for _, row := range l.W {
			for _, w := range row {
				squares = append(squares, w.Pow(2))
			}
		}
	}
	total := g.Loss.Add(autodiff.Sum(squares...).Mul(autodiff.New(lambda/2, "λ/2")))
	total.Backward()
	net.LossAndGrad(x, labels)
	var checks []Check
	for s, l := range g.Layers {
		d := net.Dense(s + 1)
		r, c := d.W.Dims()
		graph := mat.NewDense(r, c, nil)
		for i := range r {
			for j := range c {
				graph.Set(i, j, l.W[i][j].Grad)
			}
		}
		want := mat.DenseCopyOf(d.DW)
		want.Add(want, scaled(lambda, d.W))
		checks = append(checks, CheckEquation(fmt.Sprintf("∂E_λ/∂W%s (graph with penalty) = δ%sa%sᵀ + λW%s (nn)", sup(s+1), sup(s+1), sup(s), sup(s+1)), graph, want, 1e-12))
	}
	return checks
}

// Check runs gradcheck on E_λ of net on the batch (see Func).
func (wd WeightDecay) Check(net *nn.Network, x *mat.Dense, labels []int) *gradcheck.Report {
	return gradcheck.Check(wd.Func(net, x, labels), nil)
}
