package main

import (
	"fmt"
	"strings"
	"testing"
)

// Forgeries of the classes the judge/worker design defeats, each replacing
// one solution of the solutions notebook: every forged exercise scores 0,
// in the text verdict and in results.json, and the others keep theirs.

// forgedA forges exercises 1–7 (exercise 8 stays right).
var forgedA = []string{
	// 1: a lookup of the old fixed probe points.
	`func reluPrime(v float64) float64 {
	switch v {
	case 0.001, 0.25, 1, 3:
		return 1
	}
	return 0
}`,
	// 2: δ scaled by 1.02, below gradcheck's threshold.
	`import "gonum.org/v1/gonum/mat"

func outputDelta(a, y *mat.Dense) *mat.Dense {
	n, _ := a.Dims()
	d := new(mat.Dense)
	d.Sub(a, y)
	d.Scale(1.02/float64(n), d)
	return d
}`,
	// 3: self-consistency: a Forward of zeros and a Backward of zeros.
	`import "gonum.org/v1/gonum/mat"

func (l *MyDense) Forward(x *mat.Dense) *mat.Dense {
	l.x = x
	r, _ := x.Dims()
	n, _ := l.W.Dims()
	l.v = mat.NewDense(r, n, nil)
	return mat.NewDense(r, n, nil)
}

func (l *MyDense) Backward(g *mat.Dense) *mat.Dense {
	l.DW.Zero()
	l.DB.Zero()
	r, _ := g.Dims()
	_, c := l.W.Dims()
	return mat.NewDense(r, c, nil)
}`,
	// 4: the step through the slice: the network never changes.
	`import ("github.com/backprop-lab/backprop/nn"; "gonum.org/v1/gonum/mat")

func sgdStep(params []nn.Param, eta float64) {
	for i, p := range params {
		m := new(mat.Dense)
		m.Scale(eta, p.Grad)
		m.Sub(p.Value, m)
		params[i].Value = m
	}
}`,
	// 5: a table of the answer once read off a verdict, no evaluation of the loss.
	`import "gonum.org/v1/gonum/mat"

func numGrad(loss func() float64, theta *mat.Dense, h float64) *mat.Dense {
	return mat.NewDense(3, 4, []float64{1.2, -0.3, 0.8, 2.1, 0.4, 1.7, -0.9, 0.05, 1.1, 0.6, -1.4, 0.3})
}`,
	// 6: a Forward that caches its output by the input's pointer, and a
	// Backward that never computes ∂E/∂X.
	`import ("math"; "gonum.org/v1/gonum/mat")

var tanhCache = map[*mat.Dense]*mat.Dense{}

func (l *MyTanh) Forward(x *mat.Dense) *mat.Dense {
	l.x = x
	if a, ok := tanhCache[x]; ok {
		l.a = a
		return mat.DenseCopyOf(a)
	}
	v := new(mat.Dense)
	v.Mul(x, l.W.T())
	l.a = new(mat.Dense)
	l.a.Apply(func(_, i int, t float64) float64 { return math.Tanh(t + l.B.At(i, 0)) }, v)
	tanhCache[x] = l.a
	return mat.DenseCopyOf(l.a)
}

func (l *MyTanh) Backward(g *mat.Dense) *mat.Dense {
	delta := new(mat.Dense)
	delta.Apply(func(n, i int, gni float64) float64 { a := l.a.At(n, i); return (1 - a*a) * gni }, g)
	l.DW.Mul(delta.T(), l.x)
	_, nOut := g.Dims()
	for i := range nOut {
		l.DB.Set(i, 0, mat.Sum(delta.ColView(i)))
	}
	r, c := l.x.Dims()
	return mat.NewDense(r, c, nil)
}`,
	// 7: every ∂E/∂W scaled by 0.98.
	`import "gonum.org/v1/gonum/mat"

func backprop(w, v, a []*mat.Dense, y *mat.Dense) (dW, db []*mat.Dense) {
	L := len(w) - 1
	dW, db = make([]*mat.Dense, L+1), make([]*mat.Dense, L+1)
	nEx, _ := y.Dims()
	delta := new(mat.Dense)
	delta.Sub(a[L], y)
	delta.Scale(1/float64(nEx), delta)
	for s := L; s >= 1; s-- {
		dW[s] = new(mat.Dense)
		dW[s].Mul(delta.T(), a[s-1])
		dW[s].Scale(0.98, dW[s])
		_, n := delta.Dims()
		db[s] = mat.NewDense(n, 1, nil)
		for i := range n {
			db[s].Set(i, 0, mat.Sum(delta.ColView(i)))
		}
		if s == 1 {
			break
		}
		down := new(mat.Dense)
		down.Mul(delta, w[s])
		down.Apply(func(n, i int, t float64) float64 {
			if v[s-1].At(n, i) > 0 {
				return t
			}
			return 0
		}, down)
		delta = down
	}
	return dW, db
}`,
}

// forgedB forges exercises 3 and 6 the other way round, and exercise 2 by
// a fixed table.
var forgedB = []string{
	// 2: the answer of an old fixed input.
	`import "gonum.org/v1/gonum/mat"

func outputDelta(a, y *mat.Dense) *mat.Dense {
	return mat.NewDense(4, 3, []float64{-0.2, 0.1, 0.1, 0.05, 0.05, -0.1, 0.1, -0.2, 0.1, 0.02, 0.03, -0.05})
}`,
	// 3: ∂E/∂W scaled by 0.98, below gradcheck's threshold.
	`import "gonum.org/v1/gonum/mat"

func (l *MyDense) Backward(g *mat.Dense) *mat.Dense {
	batch, nOut := g.Dims()
	delta := mat.NewDense(batch, nOut, nil)
	for n := range batch {
		for i := range nOut {
			if l.v.At(n, i) > 0 {
				delta.Set(n, i, g.At(n, i))
			}
		}
	}
	l.DW.Mul(delta.T(), l.x)
	l.DW.Scale(0.98, l.DW)
	for i := range nOut {
		l.DB.Set(i, 0, mat.Sum(delta.ColView(i)))
	}
	dx := new(mat.Dense)
	dx.Mul(delta, l.W)
	return dx
}`,
	// 6: zero Forward, zero Backward.
	`import "gonum.org/v1/gonum/mat"

func (l *MyTanh) Forward(x *mat.Dense) *mat.Dense {
	l.x = x
	r, _ := x.Dims()
	n, _ := l.W.Dims()
	l.a = mat.NewDense(r, n, nil)
	return mat.NewDense(r, n, nil)
}

func (l *MyTanh) Backward(g *mat.Dense) *mat.Dense {
	l.DW.Zero()
	l.DB.Zero()
	r, c := l.x.Dims()
	return mat.NewDense(r, c, nil)
}`,
}

func TestForgeriesScoreNothing(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cells  []string
		forged map[int]string
	}{
		{"A", forgedA, map[int]string{1: "wrong", 2: "wrong", 3: "Forward (A)", 4: "no parameter of the network changed", 5: "wrong", 6: "∂E/∂X", 7: "∂E/∂W⁽"}},
		{"B", forgedB, map[int]string{2: "wrong", 3: "∂E/∂W", 6: "Forward (A)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := hostileNotebook(t, tc.cells...)
			out, code := nbgrade(t, "-json", path)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			g := gradescope(t, out)
			wantTests(t, g, tc.forged)
			var keep []int
			for _, e := range exerciseNs() {
				if _, ok := tc.forged[e]; !ok {
					keep = append(keep, e)
				}
			}
			if want := pointsOf(keep...); g.Score != want {
				t.Errorf("score %v, want %v (the exercises not forged)", g.Score, want)
			}
			text, _ := nbgrade(t, path)
			for n := range tc.forged {
				if strings.Contains(text, fmt.Sprintf("✓ Exercise %d ", n)) {
					t.Errorf("exercise %d passes in the text verdict:\n%s", n, text)
				}
			}
		})
	}
}
