package lesson

// The automatic checks of notebook 10 (exercises). Each Grade function
// calls the learner's code, compares it with what gradcheck measures, and
// returns a verdict that prints as one ✓/✗ line plus details: which
// element is wrong and a hint. A stub that panics with "not implemented"
// gives "not implemented yet", any other panic is reported, not raised, so
// a notebook full of stubs runs to the end. GradeExercises and GradeMain
// grade a whole submission for a grader (see notebooks/cmd/nbgrade).

import (
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime/debug"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/gradcheck/grade"
	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
)

// ExerciseStatus is the verdict on one exercise.
type ExerciseStatus int

const (
	// ExercisePassed: the code is right.
	ExercisePassed ExerciseStatus = iota
	// ExerciseFailed: the code runs but is wrong, or panics.
	ExerciseFailed
	// ExerciseNotImplemented: the code still panics with "not implemented"
	// (the stub of the student version).
	ExerciseNotImplemented
	// ExerciseMissing: the submission does not define the function.
	ExerciseMissing
)

func (s ExerciseStatus) String() string {
	switch s {
	case ExercisePassed:
		return "passed"
	case ExerciseFailed:
		return "failed"
	case ExerciseNotImplemented:
		return "not implemented yet"
	case ExerciseMissing:
		return "missing"
	}
	return fmt.Sprintf("ExerciseStatus(%d)", int(s))
}

// ExerciseResult is the verdict on one exercise.
type ExerciseResult struct {
	N     int    // exercise number, 1…4 (0 for the final training run)
	Title string // what is implemented, e.g. "ReLU′"
	// Func is the name and signature the notebook asks for.
	Func   string
	Status ExerciseStatus
	// Summary is one sentence; Details are further lines (gradcheck's
	// messages about the worst elements, hints).
	Summary string
	Details []string
	// Report is gradcheck's report behind the verdict, if there is one.
	Report *gradcheck.Report
}

// OK reports whether the exercise passed.
func (r ExerciseResult) OK() bool { return r.Status == ExercisePassed }

// String renders the verdict: "✓ Exercise 1 (ReLU′): …" or "✗ …", then the
// details indented.
func (r ExerciseResult) String() string {
	mark := "✓"
	if !r.OK() {
		mark = "✗"
	}
	name := "Putting it together"
	if r.N > 0 {
		name = fmt.Sprintf("Exercise %d", r.N)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s): %s", mark, name, r.Title, r.Summary)
	for _, d := range r.Details {
		b.WriteString("\n    " + strings.ReplaceAll(d, "\n", "\n    "))
	}
	return b.String()
}

// notImplemented is what the stubs of the student version panic with.
const notImplemented = "not implemented"

// guard runs the learner's code through check and turns a panic into a
// verdict: "not implemented yet" for the stub's panic, else a failure that
// quotes the panic and the learner's line it came from.
func guard(res ExerciseResult, check func(*ExerciseResult)) (out ExerciseResult) {
	defer func() {
		if p := recover(); p != nil {
			out = res
			out.Details, out.Report = nil, nil
			msg := fmt.Sprint(p)
			if strings.Contains(msg, notImplemented) {
				out.Status = ExerciseNotImplemented
				out.Summary = fmt.Sprintf("not implemented yet: write %s in place of panic(%q) in its cell, run that cell, then this one.", res.Func, notImplemented)
				if res.N == 0 {
					out.Summary = fmt.Sprintf("not implemented yet: %s still panic with %q; finish exercises 3 and 4 first.", res.Func, notImplemented)
				}
				return
			}
			out.Status = ExerciseFailed
			out.Summary = "your code panicked: " + msg
			if where := userFrame(string(debug.Stack())); where != "" {
				out.Summary += " (in " + where + ")"
			}
		}
	}()
	check(&res)
	return res
}

// userFrame returns the learner's function a panic came from, read from a
// stack trace: the first function of package main (a GoNB cell and the
// program nbgrade generates are both package main), e.g. "(*MyDense).Backward".
func userFrame(stack string) string {
	for _, l := range strings.Split(stack, "\n") {
		if !strings.HasPrefix(l, "main.") {
			continue
		}
		l = strings.TrimPrefix(l, "main.")
		if k := strings.LastIndex(l, "("); k > 0 && strings.HasSuffix(l, ")") {
			l = l[:k]
		}
		if strings.HasPrefix(l, "main") { // main.main or a closure of it: not the learner's function
			return ""
		}
		return l
	}
	return ""
}

// failures returns gradcheck's sentence about every failed tensor of r.
func failures(r *gradcheck.Report) []string {
	var out []string
	for _, t := range r.Failures() {
		out = append(out, t.Message(r.Batch))
	}
	return out
}

// missing is the verdict on a function the submission does not define.
func missing(res ExerciseResult) ExerciseResult {
	res.Status = ExerciseMissing
	res.Summary = "missing: the notebook defines no " + res.Func + "."
	return res
}

// reluPoints are where ReLU′ is compared with central differences: both
// sides of the kink, none within 100 steps h of it.
var reluPoints = []float64{-3, -1, -0.25, -0.001, 0.001, 0.25, 1, 3}

// GradeReLUPrime checks exercise 1, ReLU′(v) = 1{v > 0}: gradcheck compares
// f with central differences of ReLU at points on both sides of the kink,
// and at the kink v = 0 itself, where no difference quotient can decide,
// f(0) must follow the convention ReLU′(0) = 0.
func GradeReLUPrime(f func(v float64) float64) ExerciseResult {
	res := ExerciseResult{N: 1, Title: "ReLU′", Func: "func reluPrime(v float64) float64"}
	if f == nil {
		return missing(res)
	}
	return guard(res, func(res *ExerciseResult) {
		fn := ReLUSum(reluPoints...)
		g := fn.Params[0].Grad
		asReLU := true
		for i, v := range reluPoints {
			d := f(v)
			g.Set(0, i, d)
			asReLU = asReLU && d == math.Max(v, 0)
		}
		r := gradcheck.Check(fn, nil)
		res.Report = r
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
	nn.Softmax.Forward(a, v)
	e, _ := nn.CrossEntropy(a, labels)
	return e
}

// GradeOutputDelta checks exercise 2, the output layer's
// δ⁽ʰ⁾ = ∂E/∂v⁽ʰ⁾ = (a − y)/N for softmax with the mean cross-entropy, on a
// batch of N = 4 examples with k = 3 classes (a, y, δ are N×k): gradcheck
// compares f(a, y) with central differences of E with respect to v⁽ʰ⁾.
func GradeOutputDelta(f func(a, y *mat.Dense) *mat.Dense) ExerciseResult {
	res := ExerciseResult{N: 2, Title: "output delta δ⁽ʰ⁾", Func: "func outputDelta(a, y *mat.Dense) *mat.Dense"}
	if f == nil {
		return missing(res)
	}
	return guard(res, func(res *ExerciseResult) {
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
		nn.Softmax.Forward(a, v)
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
		r := gradcheck.Check(fn, nil)
		res.Report = r
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
	return "Hint: for softmax with cross-entropy the chain rule collapses to δ⁽ʰ⁾ = (a − y)/N, row by row (N×k)."
}

// GradeDenseLayer checks exercise 3, a ReLU dense layer's backward pass,
// as cmd/gradcheck does (package gradcheck/grade): a 6 → 5 layer built by
// newLayer, with random parameters, on a batch of 4 (∂L/∂W, ∂L/∂b and the
// returned ∂L/∂x, as "x"), and a 6-5-4-3 network whose two hidden layers
// newLayer builds, where a wrong ∂L/∂x (the lab's bug) shows as wrong W1, b1.
func GradeDenseLayer(newLayer func(nIn, nOut int) nn.Layer) ExerciseResult {
	res := ExerciseResult{N: 3, Title: "dense layer backward", Func: "func (l *MyDense) Backward(g *mat.Dense) *mat.Dense"}
	if newLayer == nil {
		return missing(res)
	}
	return guard(res, func(res *ExerciseResult) {
		results := grade.Run(grade.DefaultConfig(), newLayer)
		for _, r := range results {
			if r.Panic != "" {
				panic(firstLine(r.Panic)) // guard reports it, "not implemented" included
			}
		}
		res.Report = results[0].Report
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
			res.Summary = "wrong: gradcheck finds wrong gradients."
			return
		}
		res.Summary = "right: gradcheck passed " + strings.Join(ok, ", and ") + "."
	})
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

// GradeSGDStep checks exercise 4, one step of gradient descent
// θ ← θ − η ∂E/∂θ for every parameter, in place: on a 6-5-4-3 network whose
// gradients gradcheck has verified, the step must move every parameter by
// exactly −η times its gradient and leave the gradients alone; the verdict
// says how E changed, and names the usual slips (a step on a copy of
// nn.Param, uphill, without η).
func GradeSGDStep(step func(params []nn.Param, eta float64)) ExerciseResult {
	res := ExerciseResult{N: 4, Title: "one SGD step", Func: "func sgdStep(params []nn.Param, eta float64)"}
	if step == nil {
		return missing(res)
	}
	return guard(res, func(res *ExerciseResult) {
		const eta = 0.1
		net := nn.MustNew(nn.Config{Sizes: []int{6, 5, 4, 3}, Init: nn.Uniform(0.8), Seed: 7})
		x, labels := exerciseBatch(7, 8, 6, 3)
		r := gradcheck.CheckNetwork(net, x, labels, nil) // leaves the verified gradients in net
		if !r.OK() {
			panic("lesson: GradeSGDStep: nn's own gradients failed gradcheck:\n" + r.Text())
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

// TrainYourOwn puts exercises 3 and 4 together: a 784-64-10 network whose
// hidden layer is built by newLayer (parameters drawn from U[−0.2, 0.2), as
// in the lab) under an nn.Dense softmax layer, trained with step for three
// epochs of mini-batches of 100 (η = 0.1) on the embedded MNIST subset, then
// evaluated on its 2 000 test images. It passes at 80% test accuracy (a
// right layer and step reach about 85%; a broken one stays near 10%).
func TrainYourOwn(newLayer func(nIn, nOut int) nn.Layer, step func(params []nn.Param, eta float64)) ExerciseResult {
	res := ExerciseResult{Title: "your layer and your SGD step on MNIST", Func: "your Backward and sgdStep"}
	if newLayer == nil || step == nil {
		return missing(res)
	}
	return guard(res, func(res *ExerciseResult) {
		const (
			hidden, epochs, batch = 64, 3, 100
			eta, pass             = 0.1, 0.8
		)
		train, test := mnist.Embedded()
		rng := rand.New(rand.NewPCG(1, 6))
		net := &nn.Network{Layers: []nn.Layer{newLayer(train.Dim(), hidden), nn.NewDense(hidden, train.Classes(), nn.Softmax)}}
		for _, p := range net.Params() {
			for i, raw := 0, p.Value.RawMatrix().Data; i < len(raw); i++ {
				raw[i] = 0.4*rng.Float64() - 0.2
			}
		}
		x := mat.NewDense(batch, train.Dim(), nil)
		labels := make([]int, batch)
		var first, last float64
		steps := 0
		for range epochs {
			perm := rng.Perm(train.Len())
			for lo := 0; lo+batch <= len(perm); lo += batch {
				train.Batch(x.RawMatrix().Data, labels, perm[lo:lo+batch])
				loss := net.LossAndGrad(x, labels)
				if math.IsNaN(loss) || math.IsInf(loss, 0) {
					res.Status = ExerciseFailed
					res.Summary = fmt.Sprintf("training diverged: the loss became %v at step %d.", loss, steps+1)
					return
				}
				if steps == 0 {
					first = loss
				}
				last = loss
				step(net.Params(), eta)
				steps++
			}
		}
		_, acc := net.Evaluate(test)
		res.Summary = fmt.Sprintf("a 784-%d-10 network built from your layer, trained with your SGD step (%d epochs, %d steps of %d images of the embedded MNIST subset, η = %g): batch loss %.2f → %.2f, test accuracy %.1f%% on %d images.",
			hidden, epochs, steps, batch, eta, first, last, 100*acc, test.Len())
		if acc < pass {
			res.Status = ExerciseFailed
			res.Summary += fmt.Sprintf(" Expected at least %.0f%%.", 100*pass)
		}
	})
}

// Submission holds a learner's answers to the exercises of notebook 10;
// nil fields are reported as missing.
type Submission struct {
	ReLUPrime   func(v float64) float64
	OutputDelta func(a, y *mat.Dense) *mat.Dense
	NewLayer    func(nIn, nOut int) nn.Layer
	SGDStep     func(params []nn.Param, eta float64)
}

// GradeExercises checks exercises 1–4 of a submission.
func GradeExercises(s Submission) []ExerciseResult {
	return []ExerciseResult{
		GradeReLUPrime(s.ReLUPrime),
		GradeOutputDelta(s.OutputDelta),
		GradeDenseLayer(s.NewLayer),
		GradeSGDStep(s.SGDStep),
	}
}

// ExercisesGradescope converts verdicts into Gradescope's results.json:
// one test per exercise worth points, scored in full if it passed.
func ExercisesGradescope(results []ExerciseResult, points float64) *gradcheck.GradescopeResults {
	g := &gradcheck.GradescopeResults{}
	for _, r := range results {
		t := gradcheck.GradescopeTest{
			Name:       fmt.Sprintf("Exercise %d: %s", r.N, r.Title),
			MaxScore:   points,
			Status:     "failed",
			Output:     r.String(),
			Visibility: "visible",
		}
		if r.OK() {
			t.Score, t.Status = points, "passed"
		}
		g.Score += t.Score
		g.Tests = append(g.Tests, t)
	}
	return g
}

// GradeMain grades a submission as a command: it parses args (-json for
// Gradescope's results.json instead of ✓/✗ lines, -points per exercise),
// writes the verdicts to w and returns the exit code: 0 if every exercise
// passed, 1 if not, 2 on a usage error. notebooks/cmd/nbgrade generates a
// program that calls it with the functions of a learner's notebook.
func GradeMain(w io.Writer, args []string, s Submission) int {
	fs := flag.NewFlagSet("grade", flag.ContinueOnError)
	fs.SetOutput(w)
	asJSON := fs.Bool("json", false, "print Gradescope's results.json")
	points := fs.Float64("points", 1, "points per exercise")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	results := GradeExercises(s)
	ok := true
	for _, r := range results {
		ok = ok && r.OK()
	}
	if *asJSON {
		w.Write(ExercisesGradescope(results, *points).JSON())
	} else {
		for _, r := range results {
			fmt.Fprintln(w, r)
		}
		passed := 0
		for _, r := range results {
			if r.OK() {
				passed++
			}
		}
		fmt.Fprintf(w, "%d of %d exercises passed\n", passed, len(results))
	}
	if !ok {
		return 1
	}
	return 0
}
