package grading

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/backprop-lab/backprop/nn/nntest/tiny"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/nn"
)

// reluPoints are where ReLU′ is compared with central differences: both
// sides of the kink, none within 100 steps h of it.
var reluPoints = []float64{-3, -1, -0.25, -0.001, 0.001, 0.25, 1, 3}

// ReLUPrime checks exercise 1, ReLU′(v) = 1{v > 0}: gradcheck compares
// f with central differences of ReLU at points on both sides of the kink,
// and at the kink v = 0 itself, where no difference quotient can decide,
// f(0) must follow the convention ReLU′(0) = 0.
func ReLUPrime(f func(v float64) float64) ExerciseResult {
	res := exerciseResult(1)
	if f == nil {
		return missing(res)
	}
	return guardExercise(res, func(res *ExerciseResult) {
		fn := tiny.ReLUSum(reluPoints...) // its gradient is overwritten with f's values below
		g := fn.Params[0].Grad
		asReLU := true
		for i, v := range reluPoints {
			d := f(v)
			g.Set(0, i, d)
			asReLU = asReLU && d == math.Max(v, 0)
		}
		r := decided(gradcheck.Check(fn, nil))
		res.Report = r
		if checkError(res, r) {
			return
		}
		if !r.OK() {
			res.Status = ExerciseFailed
			res.Summary = "wrong: your ReLU′ disagrees with central differences of ReLU."
			res.Details = failures(r)
			if asReLU {
				res.Details = append(res.Details, "Hint: you return ReLU(v) = max(v, 0) itself; its derivative is 1 where v > 0 and 0 where v < 0.")
			}
			return
		}
		if d0 := f(0); d0 != 0 {
			res.Status = ExerciseFailed
			res.Summary = fmt.Sprintf("almost: right away from the kink, but ReLU′(0) = %g; the convention here (and in package nn) is ReLU′(0) = 0.", d0)
			res.Details = []string{"gradcheck cannot decide this one: at v = 0 the central difference (ReLU(h) − ReLU(−h))/2h = 0.5 lies between the two one-sided slopes 0 and 1, so v = 0 is a convention, not a measurement. Use v > 0, not v ≥ 0."}
			return
		}
		res.Summary = fmt.Sprintf("right: gradcheck finds it equal to central differences of ReLU at %d points (max relative error %.1g), and ReLU′(0) = 0.",
			len(reluPoints), r.Tensors[0].MaxRelErr)
	})
}

// softmaxCE returns the mean cross-entropy of softmax(v) for labels.
func softmaxCE(v *mat.Dense, labels []int) float64 {
	a := new(mat.Dense)
	a.CloneFrom(v)
	softmax.Forward(a, v)
	e, _ := nn.CrossEntropy(a, labels)
	return e
}

// OutputDelta checks exercise 2, the output layer's
// δ⁽ʰ⁾ = ∂E/∂v⁽ʰ⁾ = (a − y)/N for softmax with the mean cross-entropy, on a
// batch of N = 4 examples with k = 3 classes (a, y, δ are N×k): gradcheck
// compares f(a, y) with central differences of E with respect to v⁽ʰ⁾.
func OutputDelta(f func(a, y *mat.Dense) *mat.Dense) ExerciseResult {
	res := exerciseResult(2)
	if f == nil {
		return missing(res)
	}
	return guardExercise(res, func(res *ExerciseResult) {
		const n, k = 4, 3
		rng := rand.New(rand.NewPCG(6, 2))
		v := mat.NewDense(n, k, nil)
		for i := range n {
			for j := range k {
				v.Set(i, j, 2*rng.NormFloat64())
			}
		}
		labels := []int{0, 2, 1, 2}
		a := mat.NewDense(n, k, nil)
		softmax.Forward(a, v)
		y := nn.OneHot(labels, k)
		delta := f(mat.DenseCopyOf(a), mat.DenseCopyOf(y))
		if delta == nil {
			res.Status, res.Summary = ExerciseFailed, "wrong: outputDelta returned nil; return a new N×k matrix."
			return
		}
		if r, c := delta.Dims(); r != n || c != k {
			res.Status = ExerciseFailed
			res.Summary = fmt.Sprintf("wrong shape: δ⁽ʰ⁾ is %d×%d but must be N×k = %d×%d, the shape of a and y (one example per row).", r, c, n, k)
			return
		}
		fn := gradcheck.Func{
			Params: []nn.Param{{Name: "v⁽ʰ⁾", Value: v, Grad: mat.DenseCopyOf(delta)}},
			Loss:   func() float64 { return softmaxCE(v, labels) },
		}
		r := decided(gradcheck.Check(fn, nil))
		res.Report = r
		if checkError(res, r) {
			return
		}
		if !r.OK() {
			res.Status = ExerciseFailed
			res.Summary = "wrong: your δ⁽ʰ⁾ is not ∂E/∂v⁽ʰ⁾ (gradcheck compared it with central differences of E)."
			res.Details = append(failures(r), deltaHint(delta, a, y, n))
			return
		}
		res.Summary = fmt.Sprintf("right: gradcheck finds δ⁽ʰ⁾ = ∂E/∂v⁽ʰ⁾ on a batch of N = %d (max relative error %.1g).", n, r.Tensors[0].MaxRelErr)
	})
}

// deltaHint recognises the usual slips in δ⁽ʰ⁾ = (a − y)/N.
func deltaHint(delta, a, y *mat.Dense, n int) string {
	diff := new(mat.Dense)
	diff.Sub(a, y)
	like := func(scale float64) bool {
		want := new(mat.Dense)
		want.Scale(scale, diff)
		return mat.EqualApprox(delta, want, 1e-12)
	}
	switch {
	case like(1):
		return fmt.Sprintf("Hint: you return a − y; E is the mean over the batch, so divide by N = %d (the number of rows).", n)
	case like(-1.0 / float64(n)):
		return "Hint: the sign is flipped: ∂E/∂v = (a − y)/N, not (y − a)/N."
	case like(-1):
		return fmt.Sprintf("Hint: the sign is flipped and the 1/N is missing: ∂E/∂v = (a − y)/N with N = %d.", n)
	}
	return "Hint: through softmax and the cross-entropy the chain rule collapses to something short, in which no 1/a is left; the hints under the exercise's text lead there one step at a time."
}

// DenseLayer checks exercise 3, a ReLU dense layer's backward pass,
// as cmd/gradcheck does (Run): a 6 → 5 layer built by
// newLayer, with random parameters, on a batch of 4 (∂E/∂W, ∂E/∂b and the
// returned ∂E/∂x, as "x"), and a 6-5-4-3 network whose two hidden layers
// newLayer builds, where a wrong ∂E/∂x (the lab's bug) shows as wrong W1, b1.
func DenseLayer(newLayer func(nIn, nOut int) nn.Layer) ExerciseResult {
	res := exerciseResult(3)
	if newLayer == nil {
		return missing(res)
	}
	return guardExercise(res, func(res *ExerciseResult) {
		layerVerdict(res, "NewLayer", newLayer)
		leadWithCause(res, newLayer, func(v float64) float64 { return math.Max(v, 0) }, reluPrimes)
	})
}

// wrongGradients is the summary of a wrong layer whose cause gradcheck
// cannot name.
const wrongGradients = "wrong: gradcheck finds wrong gradients."

// layerVerdict fills res with cmd/gradcheck's verdict (Run) on the layers
// newLayer, called name, builds.
func layerVerdict(res *ExerciseResult, name string, newLayer func(nIn, nOut int) nn.Layer) {
	c := DefaultConfig()
	c.Name = name
	results := Run(c, newLayer)
	for _, r := range results {
		if r.Panic != "" {
			msg, _, _ := strings.Cut(firstLine(r.Panic), " (in ")
			*res = panicked(*res, msg, r.Where)
			if res.Status == ExerciseFailed && r.Shapes != "" {
				res.Details = []string{r.Shapes}
			}
			return
		}
	}
	res.Report = results[0].Report
	wrong := false
	for _, r := range results {
		for _, t := range r.Report.Tensors {
			wrong = wrong || t.Status == gradcheck.StatusFailed
		}
	}
	for _, r := range results {
		if !wrong && checkError(res, r.Report) {
			return
		}
	}
	var ok []string
	for _, r := range results {
		if r.Report.OK() {
			ok = append(ok, fmt.Sprintf("%s: %s", r.Check, tensorNames(r.Report)))
			continue
		}
		res.Status = ExerciseFailed
		for _, m := range failures(r.Report) {
			res.Details = append(res.Details, r.Check+": "+m)
		}
	}
	if res.Status == ExerciseFailed {
		res.Summary = wrongGradients
		if cause := firstCause(results); cause != "" {
			res.Summary = "wrong: " + cause + "."
		}
		return
	}
	res.Summary = "right: gradcheck passed " + strings.Join(ok, ", and ") + "."
}

// firstCause is the one-line diagnosis of the first wrong tensor that has
// one (the layer check before the network check), with its confidence and
// without its evidence: "cause (certain): the φ′ mask is missing: Δ = G
// instead of Δ = φ′(V) ⊙ G". It is "" when no known cause fits.
func firstCause(results []Result) string {
	for _, r := range results {
		for _, t := range r.Report.Failures() {
			if d := t.Diagnosis; d != nil && d.Cause != gradcheck.CauseUnknown {
				line, _, _ := strings.Cut(d.String(), "; ")
				return line + " (" + t.Name + ")"
			}
		}
	}
	return ""
}

// tensorNames lists the tensors of a report: "W, b, x right".
func tensorNames(r *gradcheck.Report) string {
	var names []string
	for _, t := range r.Tensors {
		names = append(names, t.Name)
	}
	return strings.Join(names, ", ") + " right"
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// SGDStep checks exercise 4, one step of gradient descent
// θ ← θ − η ∂E/∂θ for every parameter, in place: on a 6-5-4-3 network whose
// gradients gradcheck has verified, the step must move every parameter by
// exactly −η times its gradient and leave the gradients alone; the verdict
// says how E changed, and names the usual slips (a step on a copy of
// nn.Param, uphill, without η).
func SGDStep(step func(params []nn.Param, eta float64)) ExerciseResult {
	res := exerciseResult(4)
	if step == nil {
		return missing(res)
	}
	return guardExercise(res, func(res *ExerciseResult) {
		const eta = 0.1
		net := nn.MustNew(nn.Config{Sizes: []int{6, 5, 4, 3}, Hidden: relu, Init: nn.Uniform(0.8), Seed: 7})
		x, labels := exerciseBatch(7, 8, 6, 3)
		r := gradcheck.CheckNetwork(net, x, labels, nil) // leaves the verified gradients in net
		if !r.OK() {
			panic("grade: SGDStep: nn's own gradients failed gradcheck:\n" + r.Text())
		}
		res.Report = r
		before := net.Loss(x, labels)
		params := net.Params()
		theta := make([]*mat.Dense, len(params))
		grads := make([]*mat.Dense, len(params))
		for i, p := range params {
			theta[i], grads[i] = mat.DenseCopyOf(p.Value), mat.DenseCopyOf(p.Grad)
		}
		step(params, eta)
		after := net.Loss(x, labels)

		var wrong []string
		unchanged, uphill, noEta, gradsTouched := true, true, true, false
		for i, p := range params {
			if !mat.Equal(p.Grad, grads[i]) {
				gradsTouched = true
			}
			want := new(mat.Dense)
			want.Scale(-eta, grads[i])
			want.Add(want, theta[i])
			unchanged = unchanged && mat.Equal(p.Value, theta[i])
			uphill = uphill && movedBy(p.Value, theta[i], grads[i], eta)
			noEta = noEta && movedBy(p.Value, theta[i], grads[i], -1)
			if !mat.EqualApprox(p.Value, want, 1e-12) {
				wrong = append(wrong, p.Name)
			}
		}
		switch {
		case len(wrong) == 0 && !gradsTouched:
			res.Summary = fmt.Sprintf("right: every parameter (%s) moved by −η·∂E/∂θ with η = %g, on gradients verified by gradcheck; E fell from %.4f to %.4f.",
				paramNames(params), eta, before, after)
			return
		case len(wrong) == 0:
			res.Summary = "almost: the parameters are right, but your step changed the gradients; only θ may change."
		case unchanged:
			res.Summary = "wrong: no parameter changed."
			res.Details = []string{"Hint: nn.Param is a struct holding pointers: p.Value = newMatrix only changes your copy of it. Update the matrix p.Value points to, in place (p.Value.Sub, p.Value.Set, …)."}
		case uphill:
			res.Summary = fmt.Sprintf("wrong: you stepped uphill, θ + η·∂E/∂θ (E rose from %.4f to %.4f); gradient descent subtracts.", before, after)
		case noEta:
			res.Summary = "wrong: every parameter moved by the whole gradient −∂E/∂θ; scale it by the learning rate η first."
		default:
			res.Summary = fmt.Sprintf("wrong: %s did not move by −η·∂E/∂θ.", strings.Join(wrong, ", "))
			res.Details = []string{"Hint: for every parameter p, every element: θ ← θ − η·∂E/∂θ, i.e. p.Value minus eta times p.Grad."}
		}
		res.Status = ExerciseFailed
	})
}

// movedBy reports whether value = theta + k·g (k = η: a step uphill;
// k = −1: a step without η).
func movedBy(value, theta, g *mat.Dense, k float64) bool {
	want := new(mat.Dense)
	want.Scale(k, g)
	want.Add(want, theta)
	return mat.EqualApprox(value, want, 1e-12)
}

func paramNames(ps []nn.Param) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// exerciseBatch returns b examples of dim inputs in [−1, 1) and labels in
// [0, k), drawn from seed.
func exerciseBatch(seed uint64, b, dim, k int) (*mat.Dense, []int) {
	rng := rand.New(rand.NewPCG(seed, 5))
	x := mat.NewDense(b, dim, nil)
	for i, raw := 0, x.RawMatrix().Data; i < len(raw); i++ {
		raw[i] = 2*rng.Float64() - 1
	}
	labels := make([]int, b)
	for i := range labels {
		labels[i] = rng.IntN(k)
	}
	return x, labels
}
