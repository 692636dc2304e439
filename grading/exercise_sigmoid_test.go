package grading

import (
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/internal/textcheck"
	"github.com/backprop-lab/backprop/nn"
)

// slipSigmoid is nn's sigmoid layer whose ∂E/∂W, ∂E/∂b and ∂E/∂X are
// recomputed with another φ′ (as a function of v and a).
type slipSigmoid struct {
	*nn.Dense
	prime func(v, a float64) float64
}

func (l slipSigmoid) Backward(g *mat.Dense) *mat.Dense {
	l.Dense.Backward(g)
	v := affine(l.X(), l.W, l.B)
	n, nOut := g.Dims()
	delta := mat.NewDense(n, nOut, nil)
	delta.Apply(func(i, j int, gij float64) float64 {
		a := denseSigmoid.phi(v.At(i, j))
		return gij * l.prime(v.At(i, j), a)
	}, g)
	l.DW.Mul(delta.T(), l.X())
	for j := range nOut {
		l.DB.Set(j, 0, mat.Sum(delta.ColView(j)))
	}
	dx := new(mat.Dense)
	dx.Mul(delta, l.W)
	return dx
}

func TestSigmoidLayerExercise(t *testing.T) {
	sig := func(prime func(v, a float64) float64) func(nIn, nOut int) nn.Layer {
		return func(nIn, nOut int) nn.Layer { return slipSigmoid{nn.NewDense(nIn, nOut, nn.Sigmoid), prime} }
	}
	for _, c := range []struct {
		name  string
		layer func(nIn, nOut int) nn.Layer
		want  string // in the verdict; "" passes
	}{
		{"nn's sigmoid layer", func(nIn, nOut int) nn.Layer { return nn.NewDense(nIn, nOut, nn.Sigmoid) }, ""},
		{"a(1 − a) by hand", sig(func(_, a float64) float64 { return a * (1 - a) }), ""},
		{"tanh′", sig(func(_, a float64) float64 { return 1 - a*a }), "1 − a², tanh's derivative"},
		{"of v", sig(func(v, _ float64) float64 { return v * (1 - v) }), "σ′ of the wrong tensor"},
		{"no derivative", sig(func(_, _ float64) float64 { return 1 }), "no derivative at all"},
		{"a ReLU layer", func(nIn, nOut int) nn.Layer { return nn.NewDense(nIn, nOut, nn.ReLU) }, "Forward (A): wrong at"},
		{"missing", nil, "missing: the notebook defines no func (l *MySigmoid) Backward"},
	} {
		r := SigmoidLayer(c.layer)
		if r.OK() != (c.want == "") || !textcheck.ContainsWords(r.String(), c.want) {
			t.Errorf("%s: %s", c.name, r)
		}
		for seed := uint64(1); seed <= 5 && c.want == ""; seed++ {
			if r, _ := grade(t, 9, Submission{NewSigmoidLayer: c.layer}, seed); !r.OK() {
				t.Errorf("%s, seed %d: %s", c.name, seed, r)
			}
		}
	}
}
