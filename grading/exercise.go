package grading

// The automatic checks of the exercises notebook (10-exercises). Each check
// (ReLUPrime, OutputDelta, DenseLayer, SGDStep, TrainYourOwn; NumGrad,
// TanhLayer, Backprop, TinyAnswers in exercise_numgrad.go,
// exercise_derive.go and exercise_tiny.go) calls the learner's code,
// compares it with what gradcheck (or package nn) gives, and returns a
// verdict that prints as one ✓/✗ line, the most likely cause first, plus
// details: which element is wrong, the diagnosis's evidence, a hint. A
// stub that panics with "not implemented" gives "not implemented yet", any
// other panic is reported with the learner's line, not raised, so a
// notebook full of stubs runs to the end. Exercises grades a whole
// Submission; cmd/nbgrade runs ExerciseUnits on a learner's notebook, one
// process per exercise.
//
// Adding an exercise: a Submission field, a check function returning an
// ExerciseResult, a line in exercises (the notebook's function name, the
// field, the adapter expression, the time limit, the points; More for
// further functions it asks for) and a case in Exercise.Check; cmd/nbgrade
// and the Gradescope autograder pick it up.

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/grading/runner"
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
	// ExerciseCheckError: the check could not decide (see
	// ExerciseResult.CheckError): neither passed nor failed.
	ExerciseCheckError
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
	case ExerciseCheckError:
		return "could not be checked"
	}
	return fmt.Sprintf("ExerciseStatus(%d)", int(s))
}

// ExerciseResult is the verdict on one exercise.
type ExerciseResult struct {
	N     int    // exercise number, 1…8 (0 for the final training run)
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
	// CheckError says why the check could not decide (Status
	// ExerciseCheckError): an error of the check, not a wrong answer.
	CheckError string
}

// OK reports whether the exercise passed.
func (r ExerciseResult) OK() bool { return r.Status == ExercisePassed }

// String renders the verdict: "✓ Exercise 1 (ReLU′): …" or "✗ …", then the
// details indented.
func (r ExerciseResult) String() string {
	mark := "✓"
	switch {
	case r.Status == ExerciseCheckError:
		mark = "?"
	case !r.OK():
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
	return wrapLines(b.String(), verdictWidth)
}

// verdictWidth is the widest line of a verdict, in characters: narrower
// than a notebook's output area at common window widths, where Jupyter
// would otherwise break a long line anywhere, even inside a word or a
// number, and than a grader's wide terminal.
const verdictWidth = 100

// wrapLines breaks every line of s longer than width characters at its
// last space before the limit; a continuation line keeps the line's
// indentation plus two spaces. A word longer than the limit stays whole.
func wrapLines(s string, width int) string {
	var b strings.Builder
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		indent := line[:len(line)-len(strings.TrimLeft(line, " "))] + "  "
		for {
			r := []rune(line)
			if len(r) <= width {
				b.WriteString(line)
				break
			}
			cut := strings.LastIndex(string(r[:width+1]), " ")
			if cut <= len(indent) {
				if cut = strings.Index(line[len(indent):], " "); cut < 0 {
					b.WriteString(line)
					break
				}
				cut += len(indent)
			}
			b.WriteString(strings.TrimRight(line[:cut], " ") + "\n")
			line = indent + strings.TrimLeft(line[cut:], " ")
		}
	}
	return b.String()
}

// notImplemented is what the stubs of the student version panic with.
const notImplemented = "not implemented"

// guardExercise runs the learner's code through check and turns a panic
// into a verdict: "not implemented yet" for the stub's panic, else a
// failure that quotes the panic and the learner's line it came from.
func guardExercise(res ExerciseResult, check func(*ExerciseResult)) (out ExerciseResult) {
	defer func() {
		if p := recover(); p != nil {
			out = panicked(res, fmt.Sprint(p), learnerFrame(2))
		}
	}()
	check(&res)
	return res
}

// panicked is the verdict on an exercise whose code panicked with msg at
// where (see learnerFrame).
func panicked(res ExerciseResult, msg, where string) ExerciseResult {
	res.Details, res.Report = nil, nil
	if strings.Contains(msg, notImplemented) {
		res.Status = ExerciseNotImplemented
		res.Summary = fmt.Sprintf("not implemented yet: write %s in place of panic(%q) in its cell, run that cell, then this one. Stuck? The hints under the exercise's text open one at a time.", res.Func, notImplemented)
		if res.N == 0 {
			res.Summary = fmt.Sprintf("not implemented yet: %s still panic with %q; finish exercises 3 and 4 first.", res.Func, notImplemented)
		}
		return res
	}
	res.Status = ExerciseFailed
	res.Summary = "your code panicked: " + msg
	if where != "" {
		res.Summary += " (in " + where + ")"
	}
	return res
}

// checkError makes res the verdict on a check that could not decide
// (r.CheckError, e.g. an *UndecidedError) and reports whether it did.
func checkError(res *ExerciseResult, r *gradcheck.Report) bool {
	if r == nil || r.CheckError == nil {
		return false
	}
	res.Status, res.CheckError = ExerciseCheckError, r.CheckError.Error()
	res.Summary = "check error (not a wrong answer): " + res.CheckError + "."
	return true
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

// Submission holds a learner's answers to the exercises notebook; nil
// fields are reported as missing.
type Submission struct {
	ReLUPrime   func(v float64) float64
	OutputDelta func(a, y *mat.Dense) *mat.Dense
	NewLayer    func(nIn, nOut int) nn.Layer
	SGDStep     func(params []nn.Param, eta float64)
	// Exercises 5–8 (exercise_derive.go).
	NumGrad      func(loss func() float64, theta *mat.Dense, h float64) *mat.Dense
	NumGradLayer func(l nn.Layer, x, g *mat.Dense) *mat.Dense
	NewTanhLayer func(nIn, nOut int) nn.Layer
	Backprop     func(w, v, a []*mat.Dense, y *mat.Dense) (dW, db []*mat.Dense)
	TinyAnswers  func() (delta1, delta2, dW12 float64)
}

// An Exercise is one graded exercise of the exercises notebook, as
// cmd/nbgrade finds it in a learner's notebook and runs it.
type Exercise struct {
	N     int    // its number, 1…
	Title string // what is implemented: "ReLU′"
	Func  string // the declaration the notebook asks for
	// Ident is the notebook's name for the function ("reluPrime"), Field
	// the Submission field it fills, Adapt the Go expression of the
	// field's value in terms of Ident.
	Ident, Field, Adapt string
	// Timeout limits the check's run in a grading program.
	Timeout time.Duration
	// Points is what the exercise is worth (unless the grader overrides it).
	Points float64
	// More are further functions the exercise asks for, each a Submission
	// field like Ident, Field and Adapt above.
	More []Binding
}

// A Binding ties a function the notebook defines (Ident) to the
// Submission field it fills (Field), whose value is the Go expression
// Adapt.
type Binding struct{ Ident, Field, Adapt string }

// Bindings returns the functions the exercise asks for: its own, then More.
func (e Exercise) Bindings() []Binding {
	return append([]Binding{{e.Ident, e.Field, e.Adapt}}, e.More...)
}

// exercises are the graded exercises, in order. A new exercise is a
// Submission field, a check function and a line here.
var exercises = []Exercise{
	{N: 1, Title: "ReLU′", Func: "func reluPrime(v float64) float64", Ident: "reluPrime", Field: "ReLUPrime", Adapt: "reluPrime",
		Timeout: 10 * time.Second, Points: 1},
	{N: 2, Title: "output delta δ⁽ʰ⁾", Func: "func outputDelta(a, y *mat.Dense) *mat.Dense", Ident: "outputDelta", Field: "OutputDelta", Adapt: "outputDelta",
		Timeout: 10 * time.Second, Points: 1},
	{N: 3, Title: "dense layer backward", Func: "func (l *MyDense) Backward(g *mat.Dense) *mat.Dense", Ident: "NewLayer", Field: "NewLayer",
		Adapt: "func(nIn, nOut int) nn.Layer { return NewLayer(nIn, nOut) }", Timeout: 20 * time.Second, Points: 2},
	{N: 4, Title: "one SGD step", Func: "func sgdStep(params []nn.Param, eta float64)", Ident: "sgdStep", Field: "SGDStep", Adapt: "sgdStep",
		Timeout: 10 * time.Second, Points: 1},
	// Exercises 5–8 make the learner derive (exercise_derive.go).
	exerciseNumGrad, exerciseTanh, exerciseBackprop, exerciseTiny,
}

// Check runs the exercise's check on s.
func (e Exercise) Check(s Submission) ExerciseResult {
	switch e.N {
	case 1:
		return ReLUPrime(s.ReLUPrime)
	case 2:
		return OutputDelta(s.OutputDelta)
	case 3:
		return DenseLayer(s.NewLayer)
	case 4:
		return SGDStep(s.SGDStep)
	case 5:
		return NumGrad(s.NumGrad, s.NumGradLayer, s.NewLayer)
	case 6:
		return TanhLayer(s.NewTanhLayer)
	case 7:
		return Backprop(s.Backprop)
	case 8:
		return TinyAnswers(s.TinyAnswers)
	}
	panic(fmt.Sprintf("grade: no exercise %d", e.N))
}

// ExerciseList returns the graded exercises, in order.
func ExerciseList() []Exercise { return append([]Exercise(nil), exercises...) }

// exerciseResult starts the verdict on exercise n.
func exerciseResult(n int) ExerciseResult {
	e := exercises[n-1]
	return ExerciseResult{N: e.N, Title: e.Title, Func: e.Func}
}

// Exercises checks every exercise of a submission.
func Exercises(s Submission) []ExerciseResult {
	out := make([]ExerciseResult, len(exercises))
	for i, e := range exercises {
		out[i] = e.Check(s)
	}
	return out
}

// Unit is the exercise as a unit of a grading program (runner.Unit), worth
// points (e.Points if points ≤ 0).
func (e Exercise) Unit(points float64) runner.Unit {
	if points <= 0 {
		points = e.Points
	}
	return runner.Unit{ID: strconv.Itoa(e.N), Name: fmt.Sprintf("Exercise %d (%s)", e.N, e.Title),
		TestName: fmt.Sprintf("Exercise %d: %s", e.N, e.Title), Points: points, Timeout: e.Timeout}
}

// ExerciseUnits is what the main of cmd/nbgrade's program serves
// (runner.Serve): each exercise's check of s, by Unit ID, its verdict a
// test worth the exercise's points (the grader may override them).
func ExerciseUnits(s Submission) map[string]func() runner.Verdict {
	units := map[string]func() runner.Verdict{}
	for _, e := range exercises {
		units[strconv.Itoa(e.N)] = func() runner.Verdict { return e.Check(s).Verdict(e.Points) }
	}
	return units
}

// Verdict is r as a grading program's verdict: its text and one Gradescope
// test worth points.
func (r ExerciseResult) Verdict(points float64) runner.Verdict {
	g := ExercisesGradescope([]ExerciseResult{r}, points)
	return runner.Verdict{Passed: r.OK(), Text: r.String(), Tests: g.Tests, CheckError: r.CheckError}
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
