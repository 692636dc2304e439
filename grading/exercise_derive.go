package grading

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/nn"
)

// Exercises 6 and 7: backward passes the learner derives (the tanh layer;
// the whole backward pass of a network with two hidden layers).
var (
	exerciseTanh = Exercise{N: 6, Title: "tanh layer backward", Func: "func (l *MyTanh) Backward(g *mat.Dense) *mat.Dense",
		Ident: "NewTanhLayer", Field: "NewTanhLayer", Adapt: "func(nIn, nOut int) nn.Layer { return NewTanhLayer(nIn, nOut) }",
		Timeout: 20 * time.Second, Points: 2}
	exerciseBackprop = Exercise{N: 7, Title: "backward through two hidden layers",
		Func:  "func backprop(w, v, a []*mat.Dense, y *mat.Dense) (dW, db []*mat.Dense)",
		Ident: "backprop", Field: "Backprop", Adapt: "backprop", Timeout: 20 * time.Second, Points: 2}
)

// TanhLayer checks exercise 6, the backward pass of a dense tanh layer
// A = tanh(X·Wᵀ + 1bᵀ), exactly as DenseLayer checks exercise 3's (Run:
// the layer alone, with ∂E/∂x, and two of them in a 6-5-4-3 network). A
// wrong layer's verdict names the usual slips: the derivative of another
// activation (ReLU's mask, the sigmoid's a(1 − a)), tanh′ taken of the
// wrong tensor, no derivative at all, the lab's G·W.
func TanhLayer(newLayer func(nIn, nOut int) nn.Layer) ExerciseResult {
	res := exerciseResult(6)
	if newLayer == nil {
		return missing(res)
	}
	return guardExercise(res, func(res *ExerciseResult) {
		layerVerdict(res, "NewTanhLayer", newLayer)
		leadWithCause(res, newLayer, math.Tanh, tanhPrimes)
	})
}

// A derivative is a candidate φ′ for a layer's backward pass, as a
// function of v and a = φ(v); the first of a list is the right one.
type derivative struct {
	name  string
	prime func(v, a float64) float64
}

// tanhPrimes are tanh′ = 1 − a² and the usual slips.
var tanhPrimes = []derivative{
	{"", func(_, a float64) float64 { return 1 - a*a }},
	{"ReLU′ (1 where v > 0), the derivative of another activation", func(v, _ float64) float64 { return step(v) }},
	{"a(1 − a), the sigmoid's derivative, not tanh's", func(_, a float64) float64 { return a * (1 - a) }},
	{"1 − v², tanh′ of the wrong tensor: written with the layer's output it is 1 − a², and a is what Forward keeps", func(v, _ float64) float64 { return 1 - v*v }},
	{"no derivative at all: Δ = G, as if there were no activation", func(_, _ float64) float64 { return 1 }},
}

// reluPrimes are ReLU′ and the usual slips.
var reluPrimes = []derivative{
	{"", func(v, _ float64) float64 { return step(v) }},
	{"no derivative at all: Δ = G, the ReLU′ mask left out", func(_, _ float64) float64 { return 1 }},
}

// leadWithCause names the slip of a wrong layer in res's summary, when
// gradcheck's diagnosis could not and activationHint can.
func leadWithCause(res *ExerciseResult, newLayer func(nIn, nOut int) nn.Layer, phi func(float64) float64, primes []derivative) {
	if res.Status != ExerciseFailed || res.Summary != wrongGradients {
		return
	}
	if h := activationHint(newLayer, phi, primes); h != "" {
		res.Summary = "wrong: " + h + "."
	}
}

// activationHint runs a 4 → 3 layer built by newLayer (whose activation is
// phi) on a batch of 5 and names the slip its Backward makes, if it is a
// known one: the φ′ among primes it used, or the lab's G·W for ∂E/∂X.
// Params must list W (n_out×n_in) first.
func activationHint(newLayer func(nIn, nOut int) nn.Layer, phi func(float64) float64, primes []derivative) (hint string) {
	defer func() {
		if recover() != nil { // the verdict already says what is wrong
			hint = ""
		}
	}()
	const nIn, nOut, batch = 4, 3, 5
	rng := rand.New(rand.NewPCG(6, 6))
	l := build(newLayer, nIn, nOut, "layer")
	randomize(l, rng)
	ps := l.Params()
	if len(ps) < 2 || !sameDims(ps[0].Value, mat.NewDense(nOut, nIn, nil)) {
		return ""
	}
	w, b := ps[0].Value, ps[1].Value
	x, g := uniform(rng, batch, nIn), uniform(rng, batch, nOut)
	l.Forward(mat.DenseCopyOf(x))
	dx := l.Backward(mat.DenseCopyOf(g))
	dw := l.Params()[0].Grad
	v := affine(x, w, b)
	a := mat.NewDense(batch, nOut, nil)
	a.Apply(func(_, _ int, t float64) float64 { return phi(t) }, v)
	for k, m := range primes {
		delta := mat.NewDense(batch, nOut, nil)
		delta.Apply(func(i, j int, gij float64) float64 { return gij * m.prime(v.At(i, j), a.At(i, j)) }, g)
		want := new(mat.Dense)
		want.Mul(delta.T(), x)
		if !mat.EqualApprox(dw, want, 1e-9) {
			continue
		}
		if k > 0 {
			return "your ∂E/∂W uses " + m.name
		}
		if dx != nil && sameDims(dx, x) {
			lab := new(mat.Dense)
			lab.Mul(g, w)
			if mat.EqualApprox(dx, lab, 1e-9) {
				return "∂E/∂W is right, but the matrix you return is G·W, the lab's bug: what flows down must pass through the activation's derivative first, as it did for ∂E/∂W"
			}
		}
		return ""
	}
	return ""
}

// affine returns V = X·Wᵀ + 1bᵀ (N×n_out), b n_out×1.
func affine(x, w, b *mat.Dense) *mat.Dense {
	v := new(mat.Dense)
	v.Mul(x, w.T())
	v.Apply(func(_, j int, t float64) float64 { return t + b.At(j, 0) }, v)
	return v
}

func step(v float64) float64 {
	if v > 0 {
		return 1
	}
	return 0
}

// twoHidden is the network of exercise 7: 5-4-3-2, ReLU, ReLU, softmax, on
// a batch of N = twoHiddenBatch = 6. No two of N, n₀…n₃ are equal, so no
// matrix of the exercise is square and no two have the same shape: a factor
// transposed by mistake panics with both shapes or returns a gradient of the
// wrong shape, which gradcheck reports.
var twoHidden = []int{5, 4, 3, 2}

// twoHiddenBatch is exercise 7's batch size N (see twoHidden).
const twoHiddenBatch = 6

// Backprop checks exercise 7, the whole backward pass of a network with
// two hidden ReLU layers and a softmax output, given the forward pass:
// w[s] = W⁽ˢ⁾ (n_s×n_{s−1}), v[s] = V⁽ˢ⁾ and a[s] = A⁽ˢ⁾ (N×n_s) for
// s = 1…3, a[0] = X, y the one-hot targets (N×k); index 0 of w and v is
// nil, so that indices match the text. It must return dW[s] = ∂E/∂W⁽ˢ⁾ and
// db[s] = ∂E/∂b⁽ˢ⁾ (n_s×1) for the mean cross-entropy E, which gradcheck
// compares with central differences. A wrong answer that is the lab's
// (∂E/∂A⁽ˢ⁾·W⁽ˢ⁾ handed down in place of Δ⁽ˢ⁾·W⁽ˢ⁾) is named as such.
func Backprop(f func(w, v, a []*mat.Dense, y *mat.Dense) (dW, db []*mat.Dense)) ExerciseResult {
	res := exerciseResult(7)
	if f == nil {
		return missing(res)
	}
	return guardExercise(res, func(res *ExerciseResult) {
		const batch = twoHiddenBatch
		L := len(twoHidden) - 1
		net := nn.MustNew(nn.Config{Sizes: twoHidden, Hidden: relu, Init: nn.Uniform(1), Seed: 77})
		x, labels := exerciseBatch(77, batch, twoHidden[0], twoHidden[L])
		w, b, v, a := forwardTrace(net, x)
		y := nn.OneHot(labels, twoHidden[L])
		dW, db := f(copies(w), copies(v), copies(a), mat.DenseCopyOf(y))
		if msg := backpropShapes(dW, db, w, b); msg != "" {
			res.Status, res.Summary = ExerciseFailed, "wrong shape: "+msg
			return
		}
		fn := gradcheck.NetworkFunc(net, x, labels)
		right := make([]*mat.Dense, len(fn.Params))
		for i := range fn.Params {
			right[i] = mat.DenseCopyOf(fn.Params[i].Grad)
			s := i/2 + 1
			fn.Params[i].Grad = map[bool]*mat.Dense{true: dW[s], false: db[s]}[i%2 == 0]
		}
		r := decided(gradcheck.Check(fn, nil))
		r.Name, r.Batch, res.Report = "network "+sizesName(twoHidden), batch, r
		if checkError(res, r) {
			return
		}
		if r.OK() {
			res.Summary = fmt.Sprintf("right: gradcheck finds every ∂E/∂W⁽ˢ⁾ and ∂E/∂b⁽ˢ⁾ of the %s network right on a batch of N = %d (%s).", sizesName(twoHidden), batch, tensorNames(r))
			return
		}
		res.Status = ExerciseFailed
		res.Summary = "wrong: gradcheck finds wrong gradients: " + failedNames(r) + "."
		if h := backpropHint(fn.Params, right, w, v, a, y); h != "" {
			res.Summary = "wrong: " + h
		}
		res.Details = failures(r)
	})
}

// forwardTrace runs net's forward pass by hand and returns its W⁽ˢ⁾, b⁽ˢ⁾,
// V⁽ˢ⁾ and A⁽ˢ⁾ indexed from 1 (a[0] = x).
func forwardTrace(net *nn.Network, x *mat.Dense) (w, b, v, a []*mat.Dense) {
	L := len(net.Layers)
	w, b, v, a = make([]*mat.Dense, L+1), make([]*mat.Dense, L+1), make([]*mat.Dense, L+1), make([]*mat.Dense, L+1)
	a[0] = x
	for s := 1; s <= L; s++ {
		ps := net.Layers[s-1].Params()
		w[s], b[s] = ps[0].Value, ps[1].Value
		v[s] = affine(a[s-1], w[s], b[s])
		a[s] = mat.DenseCopyOf(v[s])
		if s < L {
			a[s].Apply(func(_, _ int, t float64) float64 { return math.Max(t, 0) }, v[s])
		} else {
			softmax.Forward(a[s], v[s])
		}
	}
	return w, b, v, a
}

// backpropShapes checks that dW and db hold one gradient of the right
// shape per layer, indexed from 1.
func backpropShapes(dW, db, w, b []*mat.Dense) string {
	L := len(w) - 1
	if len(dW) != L+1 || len(db) != L+1 {
		return fmt.Sprintf("dW and db have %d and %d entries; return %d each, indexed like w (dW[1] … dW[%d], index 0 unused).", len(dW), len(db), L+1, L)
	}
	for s := 1; s <= L; s++ {
		for _, t := range []struct {
			name      string
			got, like *mat.Dense
		}{{"dW", dW[s], w[s]}, {"db", db[s], b[s]}} {
			r, c := t.like.Dims()
			if t.got == nil {
				return fmt.Sprintf("%s[%d] is nil; it must be %d×%d.", t.name, s, r, c)
			}
			if !sameDims(t.got, t.like) {
				gr, gc := t.got.Dims()
				return fmt.Sprintf("%s[%d] is %d×%d; it must have the shape of the parameter it is the gradient of, %d×%d.", t.name, s, gr, gc, r, c)
			}
		}
	}
	return ""
}

// backpropHint names the known wrong answers of exercise 7 by computing
// them: the lab's bug, the φ′ mask left out, the 1/N left out.
func backpropHint(got []nn.Param, right []*mat.Dense, w, v, a []*mat.Dense, y *mat.Dense) string {
	same := func(alt []*mat.Dense) bool {
		for i, p := range got {
			if !mat.EqualApprox(p.Grad, alt[i], 1e-9) {
				return false
			}
		}
		return true
	}
	n, _ := y.Dims()
	switch {
	case same(wrongBackprop(w, v, a, y, true, false)):
		return "this is the lab's bug. ∂E/∂W⁽³⁾, ∂E/∂W⁽²⁾ and their biases are right, but what you hand down from layer 2 to layer 1 is ∂E/∂A⁽²⁾·W⁽²⁾ (the gradient before layer 2's ReLU′ mask, G·W) where it must be δ⁽²⁾·W⁽²⁾ (after it). With one hidden layer this mistake cannot show; with two, W⁽¹⁾ and b⁽¹⁾ are wrong."
	case same(wrongBackprop(w, v, a, y, false, true)):
		return "the hidden layers' ReLU′ mask is missing: a unit that was off (v ≤ 0) in the forward pass must pass no gradient back."
	}
	scaled := make([]*mat.Dense, len(right))
	for i, r := range right {
		scaled[i] = new(mat.Dense)
		scaled[i].Scale(float64(n), r)
	}
	if same(scaled) {
		return fmt.Sprintf("every gradient is N = %d times too large: E is the mean over the batch.", n)
	}
	return ""
}

// wrongBackprop computes the gradients of a known wrong backward pass, as
// nn names them (W1, b1, W2, …), layer by layer as the lab's code runs it:
// layer s gets G⁽ˢ⁾ = ∂E/∂A⁽ˢ⁾ (the output layer its δ directly), forms
// δ⁽ˢ⁾ = ReLU′(V⁽ˢ⁾) ⊙ G⁽ˢ⁾ (noMask: δ⁽ˢ⁾ = G⁽ˢ⁾) and hands down δ⁽ˢ⁾·W⁽ˢ⁾,
// or with labBug the hidden layers hand down G⁽ˢ⁾·W⁽ˢ⁾.
func wrongBackprop(w, v, a []*mat.Dense, y *mat.Dense, labBug, noMask bool) []*mat.Dense {
	L := len(w) - 1
	n, _ := y.Dims()
	out := make([]*mat.Dense, 2*L)
	delta := new(mat.Dense)
	delta.Sub(a[L], y)
	delta.Scale(1/float64(n), delta)
	var g *mat.Dense
	for s := L; s >= 1; s-- {
		if s < L {
			delta = mat.DenseCopyOf(g)
			if !noMask {
				delta.Apply(func(i, j int, t float64) float64 { return t * step(v[s].At(i, j)) }, g)
			}
		}
		dw := new(mat.Dense)
		dw.Mul(delta.T(), a[s-1])
		_, k := delta.Dims()
		db := mat.NewDense(k, 1, nil)
		for j := range k {
			db.Set(j, 0, mat.Sum(delta.ColView(j)))
		}
		out[2*(s-1)], out[2*(s-1)+1] = dw, db
		handed := delta
		if labBug && s < L {
			handed = g
		}
		g = new(mat.Dense)
		g.Mul(handed, w[s])
	}
	return out
}

func copies(ms []*mat.Dense) []*mat.Dense {
	out := make([]*mat.Dense, len(ms))
	for i, m := range ms {
		if m != nil {
			out[i] = mat.DenseCopyOf(m)
		}
	}
	return out
}

func sizesName(sizes []int) string {
	s := make([]string, len(sizes))
	for i, n := range sizes {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, "-")
}

// failedNames lists the tensors a report fails.
func failedNames(r *gradcheck.Report) string {
	var names []string
	for _, t := range r.Failures() {
		names = append(names, t.Name)
	}
	return strings.Join(names, ", ")
}
