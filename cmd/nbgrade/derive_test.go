package main

import (
	"testing"

	"github.com/backprop-lab/backprop/internal/textcheck"
)

// TestDeriveExercisesNameTheMistake grades the solutions notebook with the
// usual wrong answers to exercises 5–8 and 12 in place of the right ones: each of
// those fails, with the mistake named (the lab's bug by name), and
// exercises 1–4 keep their points.
func TestDeriveExercisesNameTheMistake(t *testing.T) {
	path := hostileNotebook(t,
		// 5: one-sided differences.
		`import "gonum.org/v1/gonum/mat"

func numGrad(loss func() float64, theta *mat.Dense, h float64) *mat.Dense {
	r, c := theta.Dims()
	grad := mat.NewDense(r, c, nil)
	f0 := loss()
	for i := range r {
		for j := range c {
			old := theta.At(i, j)
			theta.Set(i, j, old+h)
			grad.Set(i, j, (loss()-f0)/h)
			theta.Set(i, j, old)
		}
	}
	return grad
}`,
		// 6: the sigmoid's derivative in a tanh layer.
		`import "gonum.org/v1/gonum/mat"

func (l *MyTanh) Backward(g *mat.Dense) *mat.Dense {
	delta := new(mat.Dense)
	delta.Apply(func(n, i int, gni float64) float64 { a := l.a.At(n, i); return a * (1 - a) * gni }, g)
	l.DW.Mul(delta.T(), l.x)
	_, nOut := g.Dims()
	for i := range nOut {
		l.DB.Set(i, 0, mat.Sum(delta.ColView(i)))
	}
	dx := new(mat.Dense)
	dx.Mul(delta, l.W)
	return dx
}`,
		// 7: the lab's backward pass, G·W handed down.
		`import "gonum.org/v1/gonum/mat"

func backprop(w, v, a []*mat.Dense, y *mat.Dense) (dW, db []*mat.Dense) {
	L := len(w) - 1
	dW, db = make([]*mat.Dense, L+1), make([]*mat.Dense, L+1)
	delta := outputDelta(a[L], y)
	var g *mat.Dense
	for s := L; s >= 1; s-- {
		if s < L {
			delta = new(mat.Dense)
			delta.Apply(func(n, i int, t float64) float64 { return reluPrime(v[s].At(n, i)) * t }, g)
		}
		dW[s] = new(mat.Dense)
		dW[s].Mul(delta.T(), a[s-1])
		_, k := delta.Dims()
		db[s] = mat.NewDense(k, 1, nil)
		for i := range k {
			db[s].Set(i, 0, mat.Sum(delta.ColView(i)))
		}
		handed := delta
		if s < L {
			handed = g // the lab: G·W
		}
		g = new(mat.Dense)
		g.Mul(handed, w[s])
	}
	return dW, db
}`,
		// 8: y − a for a − y.
		"func tinyAnswers() (delta1, delta2, dW12 float64) { return -0.33958935, 0, 0.33958935 }",
		// 12: the diagonal form (lesson 05's diagonal softmax).
		`import "gonum.org/v1/gonum/mat"

func softmaxMSEDelta(a, y *mat.Dense) *mat.Dense {
	n, _ := a.Dims()
	d := new(mat.Dense)
	d.Sub(a, y)
	d.Apply(func(i, j int, t float64) float64 { p := a.At(i, j); return p * (1 - p) * t / float64(n) }, d)
	return d
}`,
	)
	out, code := nbgrade(t, path)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		"✓ Exercise 1 (", "✓ Exercise 2 (", "✓ Exercise 3 (", "✓ Exercise 4 (",
		"✗ Exercise 5 (numerical gradient): wrong", "these are one-sided differences",
		"✗ Exercise 6 (tanh layer backward): wrong: your ∂E/∂W uses a(1 − a), the sigmoid's derivative, not tanh's.",
		"✗ Exercise 7 (backward through two hidden layers): wrong: this is the lab's bug", "∂E/∂W⁽¹⁾: wrong at",
		"✗ Exercise 8 (by hand on the 2-2-2 network): wrong: δ⁽¹⁾₁, ∂E/∂W⁽¹⁾₁₂ (to 1e-06); right: δ⁽¹⁾₂.", "the sign is flipped",
		"✗ Exercise 12 (δ for MSE on softmax outputs): wrong", "the diagonal form a ⊙ (1 − a) ⊙ g",
		wantScore(5, 6, 7, 8, 12),
	} {
		if !textcheck.ContainsWords(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if textcheck.ContainsWords(out, "δ⁽¹⁾₁ = 0.3395") || textcheck.ContainsWords(out, "₁₂ = -0.3395") {
		t.Errorf("a verdict gives the right value away:\n%s", out)
	}
}
