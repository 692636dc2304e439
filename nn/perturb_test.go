package nn

import (
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestForwardPerturbedMatchesForward changes each element of W and b in
// turn: ForwardPerturbed must give what Forward gives with the element
// changed (the same function, rounded differently) and leave the layer's
// cached V and A as they were, bit for bit.
func TestForwardPerturbedMatchesForward(t *testing.T) {
	for _, act := range []Activation{ReLU, Sigmoid, Softmax} {
		rng := rand.New(rand.NewPCG(1, 2))
		d := NewDense(4, 3, act)
		for _, p := range d.Params() {
			for i, raw := 0, p.Value.RawMatrix().Data; i < len(raw); i++ {
				raw[i] = rng.Float64() - 0.5
			}
		}
		x := mat.NewDense(5, 4, nil)
		for i, raw := 0, x.RawMatrix().Data; i < len(raw); i++ {
			raw[i] = rng.Float64() - 0.5
		}
		d.Forward(x)
		v0, a0 := mat.DenseCopyOf(d.V()), mat.DenseCopyOf(d.A())
		ref := d.CloneLayer().(*Dense)
		for p, par := range d.Params() {
			r, c := par.Value.Dims()
			for i := range r {
				for j := range c {
					const delta = 1e-3
					got := mat.DenseCopyOf(d.ForwardPerturbed(p, i, j, delta))
					rp := ref.Params()[p].Value
					rp.Set(i, j, rp.At(i, j)+delta)
					want := ref.Forward(x)
					rp.Set(i, j, par.Value.At(i, j))
					if !mat.EqualApprox(got, want, 1e-14) {
						t.Errorf("%s: %s[%d,%d]: ForwardPerturbed\n%v\nForward\n%v", act.Name(), par.Name, i, j, mat.Formatted(got), mat.Formatted(want))
					}
					if !mat.Equal(d.V(), v0) || !mat.Equal(d.A(), a0) {
						t.Fatalf("%s: %s[%d,%d]: the cached V or A changed", act.Name(), par.Name, i, j)
					}
				}
			}
		}
	}
}

func TestCloneLayerIsIndependent(t *testing.T) {
	d := NewDense(3, 2, Tanh)
	d.W.Set(1, 2, 0.5)
	c := d.CloneLayer().(*Dense)
	c.W.Set(1, 2, 7)
	if d.W.At(1, 2) != 0.5 || c.Act != Tanh || c.B == d.B {
		t.Errorf("clone shares state: W %v, act %v", d.W.At(1, 2), c.Act)
	}
}

func TestForwardPerturbedPanicsWithShapes(t *testing.T) {
	d := NewDense(3, 2, ReLU)
	d.Forward(mat.NewDense(1, 3, nil))
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "W is 2×3") {
			t.Errorf("panic %v, want one naming W's shape", r)
		}
	}()
	d.ForwardPerturbed(0, 2, 0, 1)
}
