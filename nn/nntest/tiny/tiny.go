// Package tiny holds the shared fixtures of the lessons and the grader, in
// one place: the 2-2-2 network that notebook 01 draws and every later
// lesson and exercise 8 reuse, its two examples, and the ReLU sum that
// shows a kink to gradcheck.
//
// The network (ReLU hidden layer, softmax output; W is n_out×n_in):
//
//	W⁽¹⁾ = [0.5 −0.2; −0.3 0.4], b⁽¹⁾ = (0.1, −0.6)
//	W⁽²⁾ = [0.3 −0.5; 0.8 0.2],  b⁽²⁾ = (0, 0.1)
//
// Two examples run through it, for two audiences: the lessons' walkthrough,
// x = (1, 2) with class 0 (its numbers are printed by notebooks 01–04), and
// exercise 8's, x = (2, −1) with class 0, which the learner works out by
// hand and therefore must not find printed in a lesson.
package tiny

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/nn"
)

// Net returns a fresh copy of the 2-2-2 network (see the package doc).
func Net() *nn.Network {
	l1 := nn.NewDense(2, 2, nn.ReLU)
	l1.W.Copy(mat.NewDense(2, 2, []float64{0.5, -0.2, -0.3, 0.4}))
	l1.B.Copy(mat.NewDense(2, 1, []float64{0.1, -0.6}))
	l2 := nn.NewDense(2, 2, nn.Softmax)
	l2.W.Copy(mat.NewDense(2, 2, []float64{0.3, -0.5, 0.8, 0.2}))
	l2.B.Copy(mat.NewDense(2, 1, []float64{0, 0.1}))
	return &nn.Network{Layers: []nn.Layer{l1, l2}}
}

// Walkthrough returns the lessons' example, x = (1, 2) as a 1×2 batch, and
// its label, class 0: v⁽¹⁾ = (0.2, −0.1), so hidden unit 2 is off.
func Walkthrough() (x *mat.Dense, labels []int) {
	return mat.NewDense(1, 2, []float64{1, 2}), []int{0}
}

// Exercise returns exercise 8's example, x = (2, −1) as a 1×2 batch, and
// its label, class 0: v⁽¹⁾ = (1.3, −1.6), so hidden unit 2 is off.
func Exercise() (x *mat.Dense, labels []int) {
	return mat.NewDense(1, 2, []float64{2, -1}), []int{0}
}

// ReLUSum is f(θ) = Σ_i ReLU(θ_i) for θ a 1×n row holding theta, with the
// analytic gradient ReLU′(θ_i) = 1{θ_i > 0} (0 at the kink θ_i = 0, the
// convention) and a kink fingerprint (which side of 0 each θ_i is on), so
// that gradcheck can tell a kink from a wrong gradient. A grader overwrites
// the gradient with the values under test.
func ReLUSum(theta ...float64) gradcheck.Func {
	th := mat.NewDense(1, len(theta), append([]float64(nil), theta...))
	g := mat.NewDense(1, len(theta), nil)
	for i, t := range theta {
		if t > 0 {
			g.Set(0, i, 1)
		}
	}
	return gradcheck.Func{
		Params: []nn.Param{{Name: "θ", Value: th, Grad: g}},
		Loss: func() float64 {
			var s float64
			for _, t := range th.RawMatrix().Data {
				s += math.Max(t, 0)
			}
			return s
		},
		Kinks: func(dst []byte) []byte {
			for _, t := range th.RawMatrix().Data {
				b := byte(0)
				if t > 0 {
					b = 1
				}
				dst = append(dst, b)
			}
			return dst
		},
	}
}
