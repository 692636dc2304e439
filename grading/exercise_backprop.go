package grading

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/grading/worker"
	"github.com/backprop-lab/backprop/nn"
)

// Exercise 7: the whole backward pass through two hidden layers.
var exerciseBackprop = register(Exercise{N: 7, Title: "backward through two hidden layers",
	Func:     "func backprop(w, v, a []*mat.Dense, y *mat.Dense) (dW, db []*mat.Dense)",
	Bindings: []Binding{{Ident: "backprop", Field: "Backprop", Adapt: "backprop"}},
	Timeout:  20 * time.Second, Points: 2, check: checkBackprop})

// Backprop is exercise 7's practice check, in-process.
func Backprop(f func(w, v, a []*mat.Dense, y *mat.Dense) (dW, db []*mat.Dense)) ExerciseResult {
	return exerciseBackprop.Check(Submission{Backprop: f})
}

// checkBackprop judges exercise 7, the whole backward pass of a network
// with two hidden ReLU layers and a softmax output, given the forward
// pass: w[s] = W⁽ˢ⁾ (n_s×n_{s−1}), v[s] = V⁽ˢ⁾ and a[s] = A⁽ˢ⁾ (N×n_s) for
// s = 1…3, a[0] = X, y the one-hot targets (N×k); index 0 of w and v is
// nil, so that indices match the text. It must return dW[s] = ∂E/∂W⁽ˢ⁾ and
// db[s] = ∂E/∂b⁽ˢ⁾ (n_s×1) for the mean cross-entropy E. The network is
// fresh (widths n_0…n_3 and N five different numbers in 2…8, parameters
// uniform in [−1, 1))
// and every gradient is compared with package nn's backward pass to
// AnalyticTol. A wrong answer that is a known slip (the lab's
// ∂E/∂A⁽ˢ⁾·W⁽ˢ⁾, the mask left out, N times too large) is named.
func checkBackprop(c worker.Client, rng *rand.Rand) ExerciseResult {
	return guardExercise(exerciseResult(7), func(res *ExerciseResult) {
		// Five different numbers in 2…8: n_0…n_3 and N. With no two equal,
		// no matrix is square and no two have the same shape, so a factor
		// transposed by mistake panics or gives a gradient of the wrong
		// shape (the notebook's statement says so).
		d := rng.Perm(7)
		sizes := []int{d[0] + 2, d[1] + 2, d[2] + 2, d[3] + 2}
		batch := d[4] + 2
		L := len(sizes) - 1
		// A network and a batch on which every hidden ReLU′ mask matters
		// (drawMaskPoint), so that the lab's G·W or a missing mask cannot pass.
		p := drawMaskPoint(rng, sizes, batch, denseReLU.phi)
		net, x := p.network(relu), p.x
		labels := make([]int, batch)
		for i := range labels {
			labels[i] = rng.IntN(sizes[L])
		}
		w, b, v, a := forwardTrace(net, x)
		y := nn.OneHot(labels, sizes[L])
		net.LossAndGrad(x, labels)
		right := make([]*mat.Dense, 0, 2*L)
		for _, p := range net.Params() { // W1, b1, W2, …
			right = append(right, mat.DenseCopyOf(p.Grad))
		}
		dW, db := c.Backprop(w, v, a, y)
		if msg := backpropShapes(dW, db, w, b); msg != "" {
			res.Status, res.Summary = ExerciseFailed, "wrong shape: "+msg
			return
		}
		got := make([]*mat.Dense, 0, 2*L)
		var wrong []string
		for s := 1; s <= L; s++ {
			got = append(got, dW[s], db[s])
			for k, t := range []struct {
				name string
				m    *mat.Dense
			}{{"∂E/∂W⁽" + sup(s) + "⁾", dW[s]}, {"∂E/∂b⁽" + sup(s) + "⁾", db[s]}} {
				if msg := checkTensor(t.name, t.m, right[2*(s-1)+k], AnalyticTol); msg != "" {
					wrong = append(wrong, msg)
				}
			}
		}
		where := fmt.Sprintf("a %s network on a batch of N = %d", sizesName(sizes), batch)
		if len(wrong) == 0 {
			res.Summary = fmt.Sprintf("right: every ∂E/∂W⁽ˢ⁾ and ∂E/∂b⁽ˢ⁾ agrees with the specified backward pass on %s.", where)
			return
		}
		res.Status = ExerciseFailed
		res.Summary = fmt.Sprintf("wrong: %s disagree with the specified backward pass on %s.", firstWords(wrong), where)
		if h := backpropHint(got, right, w, v, a, y); h != "" {
			res.Summary = "wrong: " + h
		}
		res.Details = wrong
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
func backpropHint(got, right []*mat.Dense, w, v, a []*mat.Dense, y *mat.Dense) string {
	same := func(alt []*mat.Dense) bool {
		for i, g := range got {
			if compareTensor(g, alt[i], 1e-9) != nil {
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
	scaledRight := make([]*mat.Dense, len(right))
	for i, r := range right {
		scaledRight[i] = new(mat.Dense)
		scaledRight[i].Scale(float64(n), r)
	}
	if same(scaledRight) {
		return "every gradient is N times too large: E is the mean over the batch."
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

// sup writes a layer number 0…9 as a superscript digit.
func sup(i int) string { return string([]rune("⁰¹²³⁴⁵⁶⁷⁸⁹")[i]) }
