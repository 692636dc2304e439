package grading

import (
	"testing"

	"github.com/backprop-lab/backprop/internal/textcheck"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

func TestReLUPrime(t *testing.T) {
	for _, tc := range []struct {
		name   string
		f      func(float64) float64
		status ExerciseStatus
		want   string
	}{
		{"nil", nil, ExerciseMissing, "missing"},
		{"ones", func(float64) float64 { return 1 }, ExerciseFailed, "not the derivative of ReLU at 8 of 16 points"},
		{"index panic", func(v float64) float64 { return []float64{1}[int(v+10)] }, ExerciseFailed, "your code panicked: runtime error: index out of range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ReLUPrime(tc.f)
			if r.Status != tc.status || !textcheck.ContainsWords(r.String(), tc.want) {
				t.Errorf("got %s:\n%s\nwant %s containing %q", r.Status, r, tc.status, tc.want)
			}
			if textcheck.ContainsWords(r.String(), "panic:") {
				t.Errorf("the verdict contains \"panic:\", which the notebook harness takes for a crash:\n%s", r)
			}
		})
	}
}

func TestOutputDelta(t *testing.T) {
	sub := func(scale float64) func(a, y *mat.Dense) *mat.Dense {
		return func(a, y *mat.Dense) *mat.Dense {
			r, _ := a.Dims()
			d := new(mat.Dense)
			d.Sub(a, y)
			d.Scale(scale/float64(r), d)
			return d
		}
	}
	for _, tc := range []struct {
		name   string
		f      func(a, y *mat.Dense) *mat.Dense
		status ExerciseStatus
		want   string
	}{
		{"right", sub(1), ExercisePassed, "right: your δ⁽ʰ⁾ is ∂E/∂v⁽ʰ⁾ = (a − y)/N on a batch of N"},
		{"sign", sub(-1), ExerciseFailed, "the sign is flipped: ∂E/∂v = (a − y)/N"},
		{"times two", sub(2), ExerciseFailed, "gradcheck agrees: central differences find v⁽ʰ⁾ wrong; cause (certain): scaled by 2"},
		{"in place", func(a, y *mat.Dense) *mat.Dense { n, _ := a.Dims(); a.Sub(a, y); a.Scale(1/float64(n), a); return a }, ExercisePassed, "right"},
		{"nil", func(a, y *mat.Dense) *mat.Dense { return nil }, ExerciseFailed, "returned nil"},
		{"transposed", func(a, y *mat.Dense) *mat.Dense { return mat.DenseCopyOf(a.T()) }, ExerciseFailed, "but must be N×k"},
		{"stub", func(a, y *mat.Dense) *mat.Dense { panic("not implemented") }, ExerciseNotImplemented, "not implemented yet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := OutputDelta(tc.f)
			if r.Status != tc.status || !textcheck.ContainsWords(r.String(), tc.want) {
				t.Errorf("got %s:\n%s\nwant %s containing %q", r.Status, r, tc.status, tc.want)
			}
		})
	}
}

func TestDenseLayerPanics(t *testing.T) {
	r := DenseLayer(func(nIn, nOut int) nn.Layer { return panicky{nn.NewDense(nIn, nOut, nn.ReLU)} })
	if r.Status != ExerciseFailed || !textcheck.ContainsWords(r.Summary, "your code panicked: boom") {
		t.Errorf("got %s: %s", r.Status, r)
	}
	r = DenseLayer(func(nIn, nOut int) nn.Layer { return stubbed{nn.NewDense(nIn, nOut, nn.ReLU)} })
	if r.Status != ExerciseNotImplemented {
		t.Errorf("got %s: %s", r.Status, r)
	}
}

type panicky struct{ *nn.Dense }

func (panicky) Backward(*mat.Dense) *mat.Dense { panic("boom") }

type stubbed struct{ *nn.Dense }

func (stubbed) Backward(*mat.Dense) *mat.Dense { panic("not implemented") }

func TestSGDStep(t *testing.T) {
	update := func(k float64, touchGrad bool, skip string) func([]nn.Param, float64) {
		return func(ps []nn.Param, eta float64) {
			for _, p := range ps {
				if p.Name == skip {
					continue
				}
				d := new(mat.Dense)
				d.Scale(k*eta, p.Grad)
				p.Value.Sub(p.Value, d)
				if touchGrad {
					p.Grad.Zero()
				}
			}
		}
	}
	for _, tc := range []struct {
		name   string
		f      func([]nn.Param, float64)
		status ExerciseStatus
		want   string
	}{
		{"right", update(1, false, ""), ExercisePassed, "every parameter moved by −η·∂E/∂θ, in place, on the parameters (W1, b1, W2, b2"},
		{"uphill", update(-1, false, ""), ExerciseFailed, "you stepped uphill"},
		{"no eta", func(ps []nn.Param, eta float64) { update(1/eta, false, "")(ps, eta) }, ExerciseFailed, "scale it by the learning rate η"},
		{"grads zeroed", update(1, true, ""), ExerciseFailed, "your step changed the gradients"},
		{"one skipped", update(1, false, "b2"), ExerciseFailed, "b2 did not move"},
		{"stub", func([]nn.Param, float64) { panic("not implemented") }, ExerciseNotImplemented, "not implemented yet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := SGDStep(tc.f)
			if r.Status != tc.status || !textcheck.ContainsWords(r.String(), tc.want) {
				t.Errorf("got %s:\n%s\nwant %s containing %q", r.Status, r, tc.status, tc.want)
			}
		})
	}
}

func TestTrainYourOwn(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for three epochs")
	}
	layer := func(nIn, nOut int) nn.Layer { return nn.NewDense(nIn, nOut, nn.ReLU) }
	step := func(ps []nn.Param, eta float64) {
		for _, p := range ps {
			d := new(mat.Dense)
			d.Scale(eta, p.Grad)
			p.Value.Sub(p.Value, d)
		}
	}
	r := TrainYourOwn(layer, step)
	if !r.OK() || !textcheck.ContainsWords(r.String(), "test accuracy") {
		t.Fatalf("%s", r)
	}
	t.Log(r)
	if r := TrainYourOwn(layer, func([]nn.Param, float64) { panic("not implemented") }); r.Status != ExerciseNotImplemented {
		t.Errorf("with a stub: %s", r)
	}
	if r := TrainYourOwn(layer, func([]nn.Param, float64) {}); r.OK() {
		t.Errorf("a step that does nothing passed: %s", r)
	}
}
