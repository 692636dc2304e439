package autodiff_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/backprop-lab/backprop/lesson/autodiff"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// params copies nn's weights and biases into the nested slices NewMLP takes.
func params(net *nn.Network) (w [][][]float64, b [][]float64) {
	for s := 1; s <= len(net.Layers); s++ {
		d := net.Dense(s)
		r, c := d.W.Dims()
		ws := make([][]float64, r)
		for i := range r {
			ws[i] = make([]float64, c)
			for j := range c {
				ws[i][j] = d.W.At(i, j)
			}
		}
		w = append(w, ws)
		b = append(b, mat.Col(nil, 0, d.B))
	}
	return w, b
}

// TestMLPMatchesNN builds networks from scalars and compares E, a, δ,
// ∂E/∂W and ∂E/∂b with package nn's matrix backward pass.
func TestMLPMatchesNN(t *testing.T) {
	tiny := func() *nn.Network {
		l1 := nn.NewDense(2, 2, nn.ReLU)
		l1.W.Copy(mat.NewDense(2, 2, []float64{0.5, -0.2, -0.3, 0.4}))
		l1.B.Copy(mat.NewDense(2, 1, []float64{0.1, -0.6}))
		l2 := nn.NewDense(2, 2, nn.Softmax)
		l2.W.Copy(mat.NewDense(2, 2, []float64{0.3, -0.5, 0.8, 0.2}))
		l2.B.Copy(mat.NewDense(2, 1, []float64{0, 0.1}))
		return &nn.Network{Layers: []nn.Layer{l1, l2}}
	}
	rng := rand.New(rand.NewPCG(7, 7))
	deep := nn.MustNew(nn.Config{Sizes: []int{5, 4, 4, 3}, Init: nn.He, Seed: 3})
	for s := 1; s <= 3; s++ { // non-zero biases, so they matter
		b := deep.Dense(s).B.RawMatrix().Data
		for i := range b {
			b[i] = rng.NormFloat64() * 0.1
		}
	}
	cases := []struct {
		name  string
		net   *nn.Network
		x     []float64
		label int
	}{
		{"tiny 2-2-2", tiny(), []float64{1, 2}, 0},
		{"tiny, class 1", tiny(), []float64{-1, 0.5}, 1},
		{"5-4-4-3", deep, []float64{0.3, -1.2, 0.8, 0.05, 2}, 2},
	}
	// Scalar sums and gonum's products add the same terms in a possibly
	// different order: a few ulps of values ≲ 10.
	const tol = 1e-12
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, b := params(c.net)
			g := autodiff.NewMLP(c.x, c.label, w, b)
			g.Loss.Backward()
			net := c.net.Clone()
			loss := net.LossAndGrad(mat.NewDense(1, len(c.x), c.x), []int{c.label})
			if d := math.Abs(g.Loss.Data - loss); d > tol {
				t.Errorf("E: graph %.15g, nn %.15g", g.Loss.Data, loss)
			}
			for s, l := range g.Layers {
				d := net.Dense(s + 1)
				for i := range l.V {
					cmp := func(what string, got, want float64) {
						if math.Abs(got-want) > tol {
							t.Errorf("layer %d unit %d %s: graph %.15g, nn %.15g", s+1, i+1, what, got, want)
						}
					}
					cmp("a", l.A[i].Data, d.A().At(0, i))
					cmp("δ", l.V[i].Grad, d.Delta().At(0, i))
					cmp("∂E/∂b", l.B[i].Grad, d.DB.At(i, 0))
					for j := range l.W[i] {
						cmp("∂E/∂W", l.W[i][j].Grad, d.DW.At(i, j))
					}
				}
			}
		})
	}
}
