package grading

// The exercises of the exercises notebook (10-exercises). Each exercise
// is one file (exercise_*.go) holding its table entry (register) and its
// check. A check draws its inputs (values and shapes) from the rng it is
// given, asks the learner's functions through a worker.Client, compares
// every answer with the course's reference (the specification, never the
// learner's code) and returns a verdict that prints as one ✓/✗ line plus
// details: which tensor is wrong, where, the diagnosis, the learner's own
// value, never an expected value. Graded, the client talks to a worker
// process and the inputs are fresh (Grade, GradeNotebook); in the
// learner's kernel the same check runs in-process on a fixed example
// (Check, and the per-exercise functions ReLUPrime, OutputDelta, …), which
// is practice, not grading.

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/grading/learner"
	"github.com/backprop-lab/backprop/grading/worker"
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
	N int // exercise number, 1… (0 for the final training run or a layer check)
	// Name, if set, names the check in place of "Exercise N".
	Name  string
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
	switch {
	case r.Name != "":
		name = r.Name
	case r.N > 0:
		name = fmt.Sprintf("Exercise %d", r.N)
	}
	var b strings.Builder
	if r.Title != "" {
		name += " (" + r.Title + ")"
	}
	fmt.Fprintf(&b, "%s %s: %s", mark, name, r.Summary)
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

// guardExercise runs check and turns what the learner's code did instead
// of answering into a verdict: a function the notebook does not define is
// "missing", the stub's panic "not implemented yet", another panic a
// failure quoting it and the learner's line, a worker that died, hung or
// answered garbage a failure with the reason. Any other panic is the
// judge's own: a check error (undecided), never a pass or a fail.
func guardExercise(res ExerciseResult, check func(*ExerciseResult)) (out ExerciseResult) {
	defer func() {
		p := recover()
		switch e := p.(type) {
		case nil:
		case *worker.MissingError:
			out = missing(res)
		case *worker.PanicError:
			out = panicked(res, e.Msg, e.Where)
		case *worker.Failure:
			res.Details, res.Report = nil, nil
			res.Status, res.Summary = ExerciseFailed, "no answer: "+learner.Inline(e.Reason)
			out = res
		default:
			res.Details, res.Report = nil, nil
			res.Status = ExerciseCheckError
			res.CheckError = fmt.Sprintf("the grader failed: %v", p)
			res.Summary = "check error (not a wrong answer): " + res.CheckError + "."
			out = res
		}
	}()
	check(&res)
	return res
}

// panicked is the verdict on an exercise whose code panicked with msg at
// where (see worker.LearnerFrame).
func panicked(res ExerciseResult, msg, where string) ExerciseResult {
	res.Details, res.Report = nil, nil
	if worker.IsNotImplemented(msg) {
		res.Status = ExerciseNotImplemented
		res.Summary = fmt.Sprintf("not implemented yet: write %s in place of panic(%q) in its cell, run that cell, then this one. Stuck? The hints under the exercise's text open one at a time.", res.Func, worker.NotImplemented)
		if res.N == 0 {
			res.Summary = fmt.Sprintf("not implemented yet: %s still panic with %q; finish exercises 3 and 4 first.", res.Func, worker.NotImplemented)
		}
		return res
	}
	res.Status = ExerciseFailed
	res.Summary = "your code panicked: " + learner.Inline(msg)
	if where != "" {
		res.Summary += " (in " + learner.Inline(where) + ")"
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

// Submission holds a learner's answers to the exercises notebook (the
// functions a worker serves); nil fields are reported as missing.
type Submission = worker.Funcs

// An Exercise is one graded exercise of the exercises notebook. Its entry,
// in the file that holds its check, is the only place it is declared:
// cmd/nbgrade, the Gradescope autograder and the practice checks take
// everything from it.
type Exercise struct {
	N     int    // its number, 1…
	Title string // what is implemented: "ReLU′"
	Func  string // the declaration the notebook asks for
	// Bindings are the notebook's functions the exercise needs, each
	// filling a Submission field (see Binding).
	Bindings []Binding
	// Needs are the learner's functions and types the graded functions
	// need besides Bindings' (e.g. "MyDense"); the source rules follow
	// them transitively.
	Needs []string
	// MayUse are the identifiers of package nn the exercise's code may use
	// ("nn.Param"); the source rules refuse others.
	MayUse []string
	// Timeout limits the exercise's worker (its whole life).
	Timeout time.Duration
	// Points is what the exercise is worth (unless the grader overrides it).
	Points float64
	// check judges the learner's answers through c on inputs drawn from
	// rng, against the reference.
	check func(c worker.Client, rng *rand.Rand) ExerciseResult
}

// A Binding ties a function the notebook defines (Ident) to the
// Submission field it fills (Field), whose value is the Go expression
// Adapt (in terms of Ident).
type Binding struct{ Ident, Field, Adapt string }

// exercises are the graded exercises, in order of N; each file's entry
// adds itself (register).
var exercises []Exercise

// register adds e to the table and returns it.
func register(e Exercise) Exercise {
	i := sort.Search(len(exercises), func(i int) bool { return exercises[i].N >= e.N })
	if i < len(exercises) && exercises[i].N == e.N {
		panic(fmt.Sprintf("grading: exercise %d declared twice", e.N))
	}
	exercises = slices.Insert(exercises, i, e)
	return e
}

// ExerciseList returns the graded exercises, in order.
func ExerciseList() []Exercise { return append([]Exercise(nil), exercises...) }

// exerciseByN returns exercise n's entry.
func exerciseByN(n int) Exercise {
	for _, e := range exercises {
		if e.N == n {
			return e
		}
	}
	panic(fmt.Sprintf("grading: no exercise %d", n))
}

// exerciseResult starts the verdict on exercise n.
func exerciseResult(n int) ExerciseResult {
	e := exerciseByN(n)
	return ExerciseResult{N: e.N, Title: e.Title, Func: e.Func}
}

// Grade judges the exercise through c on inputs drawn from seed: the
// graded path (the worker behind c holds the learner's code).
func (e Exercise) Grade(c worker.Client, seed uint64) ExerciseResult {
	return e.check(c, rand.New(rand.NewPCG(seed, uint64(e.N))))
}

// practiceSeed draws the inputs of the practice checks the notebook's
// check cells run in the learner's own kernel: fixed, so that the learner
// sees the same example each time.
const practiceSeed = 2026

// Check runs the exercise's practice check on s, in-process.
func (e Exercise) Check(s Submission) ExerciseResult {
	return e.Grade(worker.Client{A: worker.NewSession(s)}, practiceSeed)
}

// Exercises runs the practice check of every exercise on s, in-process.
func Exercises(s Submission) []ExerciseResult {
	out := make([]ExerciseResult, len(exercises))
	for i, e := range exercises {
		out[i] = e.Check(s)
	}
	return out
}
