package grading_test

import (
	"math"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/grading"
	"github.com/backprop-lab/backprop/grading/worker"
	"github.com/backprop-lab/backprop/internal/textcheck"
	"github.com/backprop-lab/backprop/lesson"
	"github.com/backprop-lab/backprop/nn"
	"github.com/backprop-lab/backprop/nn/nntest/tiny"
	"gonum.org/v1/gonum/mat"
)

// Right answers to exercises 5–8, and the usual wrong ones, written as a
// learner would.

// numGradWith returns a numerical gradient: central (the right one) or
// with a slip.
func numGradWith(slip string) func(loss func() float64, theta *mat.Dense, h float64) *mat.Dense {
	return func(loss func() float64, theta *mat.Dense, h float64) *mat.Dense {
		r, c := theta.Dims()
		out := mat.NewDense(r, c, nil)
		for i := range r {
			for j := range c {
				old := theta.At(i, j)
				theta.Set(i, j, old+h)
				up := loss()
				theta.Set(i, j, old-h)
				down := loss()
				switch slip {
				case "forward":
					theta.Set(i, j, old)
					down = loss()
					out.Set(i, j, (up-down)/h)
				case "divide by h":
					out.Set(i, j, (up-down)/h)
				case "no restore":
					out.Set(i, j, (up-down)/(2*h))
					theta.Set(i, j, old+h) // left where the last step put it, then moved
					continue
				default:
					out.Set(i, j, (up-down)/(2*h))
				}
				theta.Set(i, j, old)
			}
		}
		return out
	}
}

var numGrad = numGradWith("")

// numGradW is exercise 5's second part, L = Σ G ⊙ Forward(x).
func numGradW(l nn.Layer, x, g *mat.Dense) *mat.Dense {
	loss := func() float64 {
		a := mat.DenseCopyOf(l.Forward(x))
		a.MulElem(a, g)
		return mat.Sum(a)
	}
	return numGrad(loss, l.Params()[0].Value, 1e-5)
}

// numGradWNoG forgets G.
func numGradWNoG(l nn.Layer, x, _ *mat.Dense) *mat.Dense {
	return numGrad(func() float64 { return mat.Sum(l.Forward(x)) }, l.Params()[0].Value, 1e-5)
}

func newTanh(nIn, nOut int) nn.Layer { return nn.NewDense(nIn, nOut, nn.Tanh) }

// slipTanh is a learner's tanh layer, written from scratch, whose Backward
// uses prime for tanh′ and, with labBug, returns G·W.
type slipTanh struct {
	w, b, dw, db *mat.Dense
	prime        func(v, a float64) float64
	labBug       bool
	x, v         *mat.Dense
}

func newSlipTanh(prime func(v, a float64) float64, labBug bool) func(nIn, nOut int) nn.Layer {
	return func(nIn, nOut int) nn.Layer {
		return &slipTanh{w: mat.NewDense(nOut, nIn, nil), b: mat.NewDense(nOut, 1, nil),
			dw: mat.NewDense(nOut, nIn, nil), db: mat.NewDense(nOut, 1, nil), prime: prime, labBug: labBug}
	}
}

func (l *slipTanh) Params() []nn.Param {
	return []nn.Param{{Name: "W", Value: l.w, Grad: l.dw}, {Name: "b", Value: l.b, Grad: l.db}}
}

func (l *slipTanh) Forward(x *mat.Dense) *mat.Dense {
	l.x = mat.DenseCopyOf(x)
	l.v = new(mat.Dense)
	l.v.Mul(x, l.w.T())
	l.v.Apply(func(_, j int, t float64) float64 { return t + l.b.At(j, 0) }, l.v)
	a := new(mat.Dense)
	a.Apply(func(_, _ int, t float64) float64 { return math.Tanh(t) }, l.v)
	return a
}

func (l *slipTanh) Backward(g *mat.Dense) *mat.Dense {
	delta := new(mat.Dense)
	delta.Apply(func(i, j int, t float64) float64 { v := l.v.At(i, j); return t * l.prime(v, math.Tanh(v)) }, g)
	l.dw.Mul(delta.T(), l.x)
	_, k := delta.Dims()
	for j := range k {
		l.db.Set(j, 0, mat.Sum(delta.ColView(j)))
	}
	dx := new(mat.Dense)
	if l.labBug {
		dx.Mul(g, l.w)
	} else {
		dx.Mul(delta, l.w)
	}
	return dx
}

// backpropWith is exercise 7 for any number of layers, right or with a
// slip: "lab" hands G·W down, "mask" drops ReLU′, "mean" forgets 1/N,
// "row" returns each db as a row; "aT" computes ∂E/∂W as Aᵀ·Δ (the
// transpose), "noT" as Δ·A (a transpose missing), "wT" hands Δ·Wᵀ down.
func backpropWith(slip string) func(w, v, a []*mat.Dense, y *mat.Dense) (dW, db []*mat.Dense) {
	return func(w, v, a []*mat.Dense, y *mat.Dense) (dW, db []*mat.Dense) {
		L := len(w) - 1
		n, _ := y.Dims()
		dW, db = make([]*mat.Dense, L+1), make([]*mat.Dense, L+1)
		delta := new(mat.Dense)
		delta.Sub(a[L], y)
		if slip != "mean" {
			delta.Scale(1/float64(n), delta)
		}
		var g *mat.Dense // ∂E/∂A⁽ˢ⁾, what layer s is handed from above
		for s := L; s >= 1; s-- {
			if s < L {
				delta = mat.DenseCopyOf(g)
				if slip != "mask" {
					delta.Apply(func(i, j int, t float64) float64 {
						if v[s].At(i, j) > 0 {
							return t
						}
						return 0
					}, g)
				}
			}
			dW[s] = new(mat.Dense)
			switch slip {
			case "aT":
				dW[s].Mul(a[s-1].T(), delta) // Aᵀ·Δ: n_{s−1}×n_s, the transpose
			case "noT":
				dW[s].Mul(delta, a[s-1]) // Δ·A: (N×n_s)·(N×n_{s−1}) fits only if N = n_s
			default:
				dW[s].Mul(delta.T(), a[s-1])
			}
			_, k := delta.Dims()
			db[s] = mat.NewDense(k, 1, nil)
			if slip == "row" {
				db[s] = mat.NewDense(1, k, nil)
			}
			for j := range k {
				db[s].RawMatrix().Data[j] = mat.Sum(delta.ColView(j))
			}
			handed := delta
			if slip == "lab" && s < L {
				handed = g // the lab's backward returns G·W
			}
			g = new(mat.Dense)
			if slip == "wT" {
				g.Mul(handed, w[s].T()) // Δ·Wᵀ: fits only if W is square
			} else {
				g.Mul(handed, w[s])
			}
		}
		return dW, db
	}
}

func tinyRight() (float64, float64, float64) { return 0.3395893, 0, -0.3395893 }

func TestNumGradExercise(t *testing.T) {
	newLayer := func(nIn, nOut int) nn.Layer { return nn.NewDense(nIn, nOut, nn.ReLU) }
	for _, c := range []struct {
		name     string
		numGrad  func(func() float64, *mat.Dense, float64) *mat.Dense
		numGradW func(nn.Layer, *mat.Dense, *mat.Dense) *mat.Dense
		want     string // in the verdict; "" passes
	}{
		{"right", numGrad, numGradW, ""},
		{"forward differences", numGradWith("forward"), numGradW, "one-sided differences"},
		{"divided by h", numGradWith("divide by h"), numGradW, "twice the true gradient"},
		{"theta moved", numGradWith("no restore"), numGradW, "θ is not the same after numGrad"},
		{"G forgotten", numGrad, numGradWNoG, "without G"},
		{"stub", func(func() float64, *mat.Dense, float64) *mat.Dense { panic("not implemented") }, numGradW, "not implemented yet"},
		{"part 2 missing", numGrad, nil, "missing: the notebook defines no func numGradW"},
	} {
		r := grading.NumGrad(c.numGrad, c.numGradW, newLayer)
		if r.OK() != (c.want == "") || !textcheck.ContainsWords(r.String(), c.want) {
			t.Errorf("%s: %s", c.name, r)
		}
	}
}

func TestNumGradVsBackward(t *testing.T) {
	for _, c := range []struct {
		name  string
		layer func(nIn, nOut int) nn.Layer
		want  string
	}{
		{"right", func(nIn, nOut int) nn.Layer { return nn.NewDense(nIn, nOut, nn.ReLU) }, "agrees with your numGradW"},
		{"lab's layer", func(nIn, nOut int) nn.Layer { return labBug{nn.NewDense(nIn, nOut, nn.ReLU)} }, "agrees"}, // its ∂L/∂W is right
		{"wrong tanh′", newSlipTanh(func(v, _ float64) float64 { return 1 }, false), "disagrees with your numGradW"},
		{"stub", func(nIn, nOut int) nn.Layer { return stubLayer{nn.NewDense(nIn, nOut, nn.ReLU)} }, "Cannot compare yet: not implemented"},
	} {
		if got := grading.NumGradVsBackward(numGradW, c.layer); !textcheck.ContainsWords(got, c.want) {
			t.Errorf("%s: %s", c.name, got)
		}
	}
}

// stubLayer's Backward is the student version's stub.
type stubLayer struct{ *nn.Dense }

func (stubLayer) Backward(*mat.Dense) *mat.Dense { panic("not implemented") }

func TestTanhLayerExercise(t *testing.T) {
	relu := func(v, _ float64) float64 {
		if v > 0 {
			return 1
		}
		return 0
	}
	for _, c := range []struct {
		name  string
		layer func(nIn, nOut int) nn.Layer
		want  string
	}{
		{"nn's tanh layer", newTanh, ""},
		{"a learner's right tanh layer", newSlipTanh(func(_, a float64) float64 { return 1 - a*a }, false), ""},
		{"ReLU′", newSlipTanh(relu, false), "wrong: your ∂E/∂W uses ReLU′ (1 where v > 0)"},
		{"sigmoid′", newSlipTanh(func(_, a float64) float64 { return a * (1 - a) }, false), "the sigmoid's derivative"},
		{"1 − v²", newSlipTanh(func(v, _ float64) float64 { return 1 - v*v }, false), "wrong tensor"},
		{"the lab's G·W", newSlipTanh(func(_, a float64) float64 { return 1 - a*a }, true), "the lab's bug"},
	} {
		r := grading.TanhLayer(c.layer)
		if r.OK() != (c.want == "") || !textcheck.ContainsWords(r.String(), c.want) {
			t.Errorf("%s: %s", c.name, r)
		}
	}
}

func TestDenseLayerNamesTheLabsBug(t *testing.T) {
	r := grading.DenseLayer(func(nIn, nOut int) nn.Layer { return labBug{nn.NewDense(nIn, nOut, nn.ReLU)} })
	if r.OK() || !textcheck.ContainsWords(r.Summary, "the lab's bug") {
		t.Errorf("%s", r)
	}
}

func TestBackpropExercise(t *testing.T) {
	for _, c := range []struct{ slip, want string }{
		{"", "right: every ∂E/∂W⁽ˢ⁾ and ∂E/∂b⁽ˢ⁾ agrees with the specified backward pass"},
		{"lab", "wrong: this is the lab's bug"},
		{"mask", "ReLU′ mask is missing"},
		{"mean", "every gradient is N times too large"},
		{"row", "wrong shape: db[1] is 1×"},
	} {
		r := grading.Backprop(backpropWith(c.slip))
		if r.OK() != (c.slip == "") || !textcheck.ContainsWords(r.String(), c.want) {
			t.Errorf("%q: %s", c.slip, r)
		}
	}
	// No two of N, n_0…n_3 are ever equal, so no matrix is square: a
	// factor transposed by mistake panics or has the wrong shape on every
	// draw of the judge, as the notebook's statement says (with N = n_1 a
	// missing transpose ran, and only its values were wrong).
	ex7 := grading.ExerciseList()[6]
	if ex7.N != 7 {
		t.Fatalf("ExerciseList()[6] is exercise %d", ex7.N)
	}
	right := backpropWith("")
	for seed := uint64(1); seed <= 200; seed++ {
		var sizes []int
		record := func(w, v, a []*mat.Dense, y *mat.Dense) (dW, db []*mat.Dense) {
			n, n0 := a[0].Dims()
			sizes = []int{n, n0}
			for _, ws := range w[1:] {
				r, _ := ws.Dims()
				sizes = append(sizes, r)
			}
			return right(w, v, a, y)
		}
		ex7.Grade(worker.Client{A: worker.NewSession(grading.Submission{Backprop: record})}, seed)
		seen := map[int]bool{}
		for _, k := range sizes {
			if seen[k] {
				t.Errorf("seed %d: N, n_0…n_3 = %v: two are equal, so a transposed factor could run", seed, sizes)
			}
			seen[k] = true
		}
		// The lab's G·W and a forgotten mask fail on every draw too: the
		// judge draws no batch on which every hidden unit is active.
		for _, slip := range []string{"lab", "mask"} {
			if r := ex7.Grade(worker.Client{A: worker.NewSession(grading.Submission{Backprop: backpropWith(slip)})}, seed); r.OK() {
				t.Errorf("seed %d, %s passed: %s", seed, slip, r)
			}
		}
		for _, slip := range []string{"aT", "noT", "wT"} {
			r := ex7.Grade(worker.Client{A: worker.NewSession(grading.Submission{Backprop: backpropWith(slip)})}, seed)
			if msg := r.String(); r.OK() || !(strings.Contains(msg, "wrong shape") || strings.Contains(msg, "dimension mismatch")) {
				t.Errorf("seed %d, %s: %s", seed, slip, msg)
			}
		}
	}
	if r := grading.Backprop(backpropWith("lab")); !textcheck.ContainsWords(r.String(), "∂E/∂W⁽¹⁾: wrong") || textcheck.ContainsWords(r.String(), "∂E/∂W⁽²⁾: wrong") {
		t.Errorf("the lab's bug should show in W1 and b1 only:\n%s", r)
	}
}

func TestTinyAnswersExercise(t *testing.T) {
	const d1, dw = 0.3395893, -0.3395893
	for _, c := range []struct {
		name   string
		answer func() (float64, float64, float64)
		want   string
	}{
		{"right", tinyRight, "right: δ⁽¹⁾₁, δ⁽¹⁾₂ and ∂E/∂W⁽¹⁾₁₂"},
		{"rounded to 6 decimals", func() (float64, float64, float64) { return 0.339589, 0, -0.339589 }, "right"},
		{"sign", func() (float64, float64, float64) { return -d1, 0, -dw }, "the sign is flipped"},
		{"mask left out", func() (float64, float64, float64) { return d1, 0.4754251, dw }, "δ⁽¹⁾₂ = 0.4754251: the hidden unit's ReLU′ is left out"},
		{"W not transposed", func() (float64, float64, float64) { return -0.5433430, 0, dw }, "W⁽²⁾ gives where its transpose belongs"},
		{"indices swapped", func() (float64, float64, float64) { return d1, 0, 2 * d1 }, "that is ∂E/∂W⁽¹⁾₁₁"},
		{"off", func() (float64, float64, float64) { return d1 + 1e-5, 0, dw }, "wrong: δ⁽¹⁾₁ (to 1e-06); right: δ⁽¹⁾₂, ∂E/∂W⁽¹⁾₁₂."},
	} {
		r := grading.TinyAnswers(c.answer)
		if r.OK() != (c.name == "right" || strings.HasPrefix(c.name, "rounded")) || !textcheck.ContainsWords(r.String(), c.want) {
			t.Errorf("%s: %s", c.name, r)
		}
		if !r.OK() && textcheck.ContainsWords(r.String(), "0.33958") && c.name != "sign" && c.name != "off" && c.name != "mask left out" && c.name != "indices swapped" {
			t.Errorf("%s: the verdict gives the answer away: %s", c.name, r)
		}
	}
}

// TestTinyNetIsNotebook01s keeps exercise 8's network the one notebook 01
// draws, and its answers those of package nn's backward pass.
func TestTinyNetIsNotebook01s(t *testing.T) {
	net := lesson.TinyNet()
	x, labels := tiny.Exercise()
	if x.At(0, 0) != 2 || x.At(0, 1) != -1 || labels[0] != 0 {
		t.Errorf("exercise 8's example is not the notebook's x = (2, −1), y = (1, 0): %v, %v", mat.Formatted(x), labels)
	}
	net.LossAndGrad(x, labels)
	ps := net.Params()
	if r := grading.TinyAnswers(func() (float64, float64, float64) {
		return ps[1].Grad.At(0, 0), ps[1].Grad.At(1, 0), ps[0].Grad.At(0, 1)
	}); !r.OK() {
		t.Errorf("lesson.TinyNet's own gradients fail exercise 8: %s", r)
	}
}

// A wrong output delta that is none of the usual slips gets a hint that
// leads on without giving the formula away.
func TestOutputDeltaHintGivesNothingAway(t *testing.T) {
	r := grading.OutputDelta(func(a, y *mat.Dense) *mat.Dense { return mat.DenseCopyOf(a) })
	if r.OK() || !textcheck.ContainsWords(r.String(), "the hints under the exercise's text") || textcheck.ContainsWords(r.String(), "a − y") {
		t.Errorf("%s", r)
	}
}
