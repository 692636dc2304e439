package grading

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/grading/worker"
	"github.com/backprop-lab/backprop/nn"
)

// labDense is a ReLU layer with the lab's bug: its Backward writes the
// right ∂E/∂W and ∂E/∂b but hands G·W down instead of Δ·W.
type labDense struct{ *nn.Dense }

func (l labDense) Backward(g *mat.Dense) *mat.Dense {
	l.Dense.Backward(g)
	dx := new(mat.Dense)
	dx.Mul(g, l.W)
	return dx
}

// On every fresh draw, both network checks of a layer package fail a
// layer with the lab's bug: the judge never draws a batch on which every
// hidden unit is active (drawMaskPoint), where G·W and Δ·W agree and the
// wrong layer would pass by chance (it did, about one draw in fifty).
func TestNetworkChecksAlwaysSeeTheMask(t *testing.T) {
	sub := Submission{NewLayer: func(nIn, nOut int) nn.Layer { return labDense{nn.NewDense(nIn, nOut, nn.ReLU)} }}
	sizes := []int{0, 5, 4, 3}
	for seed := uint64(1); seed <= 300; seed++ {
		var res ExerciseResult
		consistentNetwork(&res, worker.Client{A: worker.NewSession(sub)}, rand.New(rand.NewPCG(seed, 1)), sizes, 0)
		if res.OK() {
			t.Errorf("seed %d: the lab's layer is consistent: %s", seed, res.Summary)
		}
		res = ExerciseResult{}
		specifiedNetwork(&res, worker.Client{A: worker.NewSession(sub)}, rand.New(rand.NewPCG(seed, 2)), sizes, specs["dense-relu"])
		if res.OK() {
			t.Errorf("seed %d: the lab's layer agrees with dense-relu: %s", seed, res.Summary)
		}
	}
}

// noMaskDense is a ReLU layer whose Backward forgets the mask: δ = G.
type noMaskDense struct {
	*nn.Dense
	x *mat.Dense
}

func (l *noMaskDense) Forward(x *mat.Dense) *mat.Dense {
	l.x = x
	return l.Dense.Forward(x)
}

func (l *noMaskDense) Backward(g *mat.Dense) *mat.Dense {
	l.DW.Mul(g.T(), l.x)
	_, k := g.Dims()
	for j := range k {
		l.DB.Set(j, 0, mat.Sum(g.ColView(j)))
	}
	dx := new(mat.Dense)
	dx.Mul(g, l.W)
	return dx
}

// On every fresh draw, the layer checks (against the specification, and
// the consistency check) fail a layer that forgets the ReLU′ mask or
// hands down G·W, and pass nn's right layer: drawMaskPoint leaves no unit
// dead or always active.
func TestLayerChecksAlwaysSeeTheMask(t *testing.T) {
	wrong := map[string]func(nIn, nOut int) nn.Layer{
		"no mask": func(nIn, nOut int) nn.Layer { return &noMaskDense{Dense: nn.NewDense(nIn, nOut, nn.ReLU)} },
		"G·W":     func(nIn, nOut int) nn.Layer { return labDense{nn.NewDense(nIn, nOut, nn.ReLU)} },
	}
	right := Submission{NewLayer: func(nIn, nOut int) nn.Layer { return nn.NewDense(nIn, nOut, nn.ReLU) }}
	for seed := uint64(1); seed <= 1000; seed++ {
		for name, l := range wrong {
			var res ExerciseResult
			checkLayer(&res, worker.Client{A: worker.NewSession(Submission{NewLayer: l})}, rand.New(rand.NewPCG(seed, 1)), "NewLayer", denseReLU)
			if res.OK() {
				t.Errorf("seed %d: %s passes the layer check: %s", seed, name, res.Summary)
			}
			if name == "no mask" && seed <= 300 {
				res = ExerciseResult{}
				consistentLayer(&res, worker.Client{A: worker.NewSession(Submission{NewLayer: l})}, rand.New(rand.NewPCG(seed, 2)), 0)
				if res.OK() {
					t.Errorf("seed %d: %s is consistent: %s", seed, name, res.Summary)
				}
			}
		}
		var res ExerciseResult
		checkLayer(&res, worker.Client{A: worker.NewSession(right)}, rand.New(rand.NewPCG(seed, 1)), "NewLayer", denseReLU)
		if !res.OK() {
			t.Errorf("seed %d: nn's ReLU layer fails the layer check: %s", seed, res)
		}
	}
}

// Over thousands of draws of every kind its users make (one layer, a
// network of two or three layers), every layer of drawMaskPoint's point
// fits: at the ReLU forward pass each unit's V has both signs at examples
// that reach it, none within kinkGap of 0, so each hidden output has an
// exact zero and a positive entry at a live example.
func TestDrawMaskPointFits(t *testing.T) {
	for seed := uint64(1); seed <= 3000; seed++ {
		rng := rand.New(rand.NewPCG(seed, 3))
		sizes := make([]int, 2+int(seed%3))
		for i := range sizes {
			sizes[i] = intIn(rng, 2, 8)
		}
		n := intIn(rng, 2, 8)
		p := drawMaskPoint(rng, sizes, n, denseReLU.phi)
		in := p.x
		for s := range p.w {
			if r, c := p.w[s].Dims(); r != sizes[s+1] || c != sizes[s] {
				t.Fatalf("seed %d: W%d is %d×%d for sizes %v", seed, s+1, r, c, sizes)
			}
			if !maskFits(in, p.w[s], p.b[s]) {
				t.Errorf("seed %d: sizes %v, N = %d: layer %d does not fit", seed, sizes, n, s+1)
			}
			a := affine(in, p.w[s], p.b[s])
			a.Apply(func(_, _ int, t float64) float64 { return max(t, 0) }, a)
			in = a
		}
	}
}

// maskFits wants both signs of every unit's V at live examples, and no V
// near the kink.
func TestMaskFits(t *testing.T) {
	w := mat.NewDense(2, 2, []float64{1, 0, 0, 1})
	zero := mat.NewDense(2, 1, nil)
	for _, c := range []struct {
		name string
		x    []float64
		want bool
	}{
		{"both signs in both units", []float64{1, -1, -2, 3}, true},
		{"every unit active", []float64{1, 1, 2, 3}, false},
		{"every unit off", []float64{-1, -1, -2, -3}, false},
		{"unit 2 never off", []float64{1, 1, -2, 3}, false},
		{"a V at the kink", []float64{1, -1, -2, 1e-4}, false},
	} {
		if got := maskFits(mat.NewDense(2, 2, c.x), w, zero); got != c.want {
			t.Errorf("%s: maskFits %v, want %v", c.name, got, c.want)
		}
	}
	// A unit negative only at an example no input reaches (a dead row)
	// does not fit: there its mask changes no ∂E/∂W.
	x := mat.NewDense(3, 2, []float64{1, 2, 0, 0, -1, 3})
	if maskFits(x, mat.NewDense(1, 2, []float64{0, 1}), mat.NewDense(1, 1, []float64{-0.5})) {
		t.Error("a unit off only at a dead example fits")
	}
}
