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
// hidden unit is active (masksMix), where G·W and Δ·W agree and the wrong
// layer would pass by chance (it did, about one draw in fifty).
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

// masksMix wants an exact zero and a positive entry in every hidden
// layer's output.
func TestMasksMix(t *testing.T) {
	l := nn.NewDense(2, 2, nn.ReLU)
	l.W.Copy(mat.NewDense(2, 2, []float64{1, 0, 0, 1}))
	net := &nn.Network{Layers: []nn.Layer{l, nn.NewDense(2, 2, softmax)}}
	for _, c := range []struct {
		x    []float64
		want bool
	}{
		{[]float64{1, -1, 2, 3}, true},     // one zero, positives
		{[]float64{1, 1, 2, 3}, false},     // every unit active
		{[]float64{-1, -1, -2, -3}, false}, // every unit off
	} {
		if got := masksMix(net, mat.NewDense(2, 2, c.x)); got != c.want {
			t.Errorf("x %v: masksMix %v, want %v", c.x, got, c.want)
		}
	}
}
