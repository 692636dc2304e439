package grading

import (
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/internal/textcheck"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// The commonest mistakes of exercise 3, each reported by its one-line
// cause first: Wᵀ where W is needed (a panic, with the shapes and the
// product that fits), a ∂E/∂b never written, the φ′ mask forgotten.

// mistake is a ReLU dense layer whose Backward is replaced.
type mistake struct {
	*nn.Dense
	backward func(l *nn.Dense, g *mat.Dense) *mat.Dense
}

func (m mistake) Backward(g *mat.Dense) *mat.Dense { return m.backward(m.Dense, g) }

func layerWith(backward func(l *nn.Dense, g *mat.Dense) *mat.Dense) func(nIn, nOut int) nn.Layer {
	return func(nIn, nOut int) nn.Layer { return mistake{nn.NewDense(nIn, nOut, nn.ReLU), backward} }
}

// delta is Δ = ReLU′(V) ⊙ G, recomputed from the layer's last input.
func delta(l *nn.Dense, g *mat.Dense) *mat.Dense {
	v := new(mat.Dense)
	v.Mul(l.X(), l.W.T())
	r, c := v.Dims()
	d := mat.NewDense(r, c, nil)
	for n := range r {
		for i := range c {
			if v.At(n, i)+l.B.At(i, 0) > 0 {
				d.Set(n, i, g.At(n, i))
			}
		}
	}
	return d
}

func TestDenseLayerCauses(t *testing.T) {
	for _, tc := range []struct {
		name     string
		backward func(l *nn.Dense, g *mat.Dense) *mat.Dense
		summary  []string
		details  string
	}{
		{"Wᵀ", func(l *nn.Dense, g *mat.Dense) *mat.Dense {
			l.Backward(g)
			var gx mat.Dense
			gx.Mul(delta(l, g), l.W.T()) // Δ·Wᵀ: (4×5)(6×5) does not fit
			return &gx
		}, []string{"your code panicked: mat: dimension mismatch"},
			"products that fit: Δ·W:"},
		{"DB never written", func(l *nn.Dense, g *mat.Dense) *mat.Dense {
			d := delta(l, g)
			l.DW.Mul(d.T(), l.X())
			l.DB.Zero()
			var gx mat.Dense
			gx.Mul(d, l.W)
			return &gx
		}, []string{"wrong: cause (certain): never written: Backward leaves this gradient at zero (b)"}, ""},
		{"mask missing", func(l *nn.Dense, g *mat.Dense) *mat.Dense {
			l.DW.Mul(g.T(), l.X())
			for i := range l.DB.RawMatrix().Rows {
				l.DB.Set(i, 0, mat.Sum(g.ColView(i)))
			}
			var gx mat.Dense
			gx.Mul(g, l.W)
			return &gx
		}, []string{"wrong: your ∂E/∂W uses no derivative at all", "the ReLU′ mask left out"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := DenseLayer(layerWith(tc.backward))
			if r.Status != ExerciseFailed {
				t.Fatalf("%s:\n%s", r.Status, r)
			}
			for _, want := range tc.summary {
				if !textcheck.ContainsWords(r.Summary, want) {
					t.Errorf("summary lacks %q:\n%s", want, r)
				}
			}
			if tc.details != "" && !textcheck.ContainsWords(strings.Join(r.Details, "\n"), tc.details) {
				t.Errorf("details lack %q:\n%s", tc.details, r)
			}
		})
	}
}
