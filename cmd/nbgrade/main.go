// Command nbgrade grades a learner's copy of the exercises notebook
// (10-exercises.ipynb) without Jupyter: it takes the Go declarations of the
// notebook's cells (as GoNB would compile them), builds them with a
// generated main that serves the notebook's own checks (package
// grading: ReLU′, the output delta, the dense layer's backward pass,
// the SGD step, a numerical gradient, a tanh layer's backward pass, the
// backward pass through two hidden layers and numbers worked out by hand,
// each against gradcheck or package nn), runs each check in its own
// process through package grading/runner, and prints one ✓/✗ line
// per exercise with its points ("[2/2 points]") and the total, or
// Gradescope's results.json (a test per exercise, score and max_score).
//
// Usage:
//
//	go run ./cmd/nbgrade [flags] NOTEBOOK.ipynb
//
// Flags:
//
//	-json          print Gradescope's results.json (one test per exercise)
//	-points P      points of every exercise (default: each exercise's own,
//	               1 or 2, printed with its verdict)
//	-o FILE        write the result to FILE (atomically) instead of stdout
//	-export DIR    write the notebook's declarations to DIR/exercises.go
//	               (package student) and grade nothing: go run ./cmd/gradcheck
//	               DIR then checks its NewLayer alone
//	-backprop DIR  this project's module directory (default: the module
//	               containing the working directory)
//	-keep          keep (and print) the generated module's directory
//	-timeout D     limit for building (5m)
//	-limit D       time limit of each exercise's check (default: the
//	               exercise's own, 10 s or 20 s)
//
// The learner's code is treated as hostile: each exercise runs in its own
// process with a time limit, and its verdict counts only if it arrives
// signed on a private pipe (see package runner); whatever the code prints,
// writes or exits with decides nothing. What it printed is shown under a
// failed exercise, each line prefixed with "│". A panic names the learner's
// cell and line as the notebook shows them ("In [7], line 3"). Before
// building, the notebook's code is checked (runner.CheckImports): imports
// only from an allowlist (fmt, math, gonum's mat, nn, …), and no write to
// another package's variable (nn.Softmax = …, &pkg.X); a refusal names the
// cell and line and fails every exercise.
//
// The exit status is 0 if every exercise passed, 1 if one failed or the
// notebook's code does not build, 2 on a usage error, if grading itself
// failed, or if a check could not decide and none failed (results.json's
// extra_data.check_error says which and why). Run it in a container for submissions you do not trust (see the
// README, "For graders").
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/grading"
	"github.com/backprop-lab/backprop/grading/runner"
	"github.com/backprop-lab/backprop/internal/atomicfile"
	notebooks "github.com/backprop-lab/backprop/notebooks/nbtool"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	json     bool
	points   float64
	out      string
	export   string
	backprop string
	keep     bool
	timeout  time.Duration
	limit    time.Duration
}

func run(args []string, stdout, stderr io.Writer) int {
	var c config
	fs := flag.NewFlagSet("nbgrade", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&c.json, "json", false, "print Gradescope's results.json")
	fs.Float64Var(&c.points, "points", 0, "points of every exercise (default: each exercise's own)")
	fs.StringVar(&c.out, "o", "", "write the result to `FILE` instead of stdout")
	fs.StringVar(&c.export, "export", "", "write the notebook's declarations to `DIR`/exercises.go (package student) and grade nothing")
	fs.StringVar(&c.backprop, "backprop", "", "this project's module `directory` (default: the module containing the working directory)")
	fs.BoolVar(&c.keep, "keep", false, "keep the generated module's directory")
	fs.DurationVar(&c.timeout, "timeout", 5*time.Minute, "limit for building")
	fs.DurationVar(&c.limit, "limit", 0, "time limit of each exercise's check (default: the exercise's own)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: nbgrade [flags] NOTEBOOK.ipynb\n\nGrades the exercises of a learner's notebook (see go doc ./cmd/nbgrade).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "nbgrade:", err)
		return 2
	}
	nb, err := notebooks.Parse(data)
	if err != nil {
		fmt.Fprintf(stderr, "nbgrade: %s: %v\n", fs.Arg(0), err)
		return 2
	}
	if c.export != "" {
		return export(nb, c.export, stdout, stderr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	var result strings.Builder
	code, err := gradeNotebook(ctx, c, nb, &result, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "nbgrade:", err)
		return 2
	}
	if c.out == "" {
		io.WriteString(stdout, result.String())
	} else if err := atomicfile.WriteFile(c.out, []byte(result.String()), 0o644); err != nil {
		fmt.Fprintln(stderr, "nbgrade:", err)
		return 2
	}
	return code
}

// export writes the notebook's declarations as package student.
func export(nb *notebooks.Notebook, dir string, stdout, stderr io.Writer) int {
	src, err := notebooks.GoSource(nb, "student")
	if err != nil {
		fmt.Fprintln(stderr, "nbgrade:", err)
		return 1
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(stderr, "nbgrade:", err)
		return 2
	}
	path := filepath.Join(dir, "exercises.go")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		fmt.Fprintln(stderr, "nbgrade:", err)
		return 2
	}
	fmt.Fprintln(stdout, "wrote", path)
	return 0
}

// units returns the exercises as the runner's units.
func units(c config) []runner.Unit {
	var out []runner.Unit
	for _, e := range grading.ExerciseList() {
		u := e.Unit(c.points)
		if c.limit > 0 {
			u.Timeout = c.limit
		}
		out = append(out, u)
	}
	return out
}

// gradeNotebook builds the notebook's code with a generated main and runs
// each exercise's check; it writes the verdicts to w and returns the exit
// code.
func gradeNotebook(ctx context.Context, c config, nb *notebooks.Notebook, w, stderr io.Writer) (int, error) {
	dir, version, err := runner.FindBackprop(c.backprop)
	if err != nil {
		return 0, err
	}
	src, err := notebooks.GoSourceLines(nb, "main")
	if err != nil {
		return refuse(c, w, "the notebook's Go code cannot be read: "+err.Error()), nil
	}
	if err := checkSource(map[string][]byte{"notebook.go": src}, nil); err != nil {
		return refuse(c, w, err.Error()), nil
	}
	tmp, bin, err := runner.Build(ctx, runner.Program{Module: "nbgraderun", Backprop: dir, Version: version,
		Files: map[string][]byte{"notebook.go": src, "main_nbgrade.go": []byte(mainGo(defined(src)))}})
	if tmp != "" {
		if c.keep {
			fmt.Fprintln(stderr, "nbgrade: generated module in", tmp)
		} else {
			defer os.RemoveAll(tmp)
		}
	}
	var be *runner.BuildError
	if errors.As(err, &be) {
		return refuse(c, w, "the notebook's code does not build:\n"+be.Output), nil
	}
	if err != nil {
		return 0, err
	}
	outcomes, err := runner.Run(context.Background(), bin, units(c), &runner.Options{IsLearnerFile: isCell})
	if err != nil {
		return 0, err
	}
	switch wrong, undecided := write(c, w, outcomes); {
	case wrong:
		return 1, nil
	case undecided:
		return 2, nil // a check could not decide: neither the learner's pass nor fail
	}
	return 0, nil
}

// checkSource checks the notebook's code before it is built
// (runner.CheckImports); tests of the runner's own defences turn it off.
var checkSource = runner.CheckImports

// isCell reports whether a file named in a stack trace is a notebook cell
// (GoSourceLines' line directives).
func isCell(file string) bool {
	return strings.HasPrefix(file, "In [") || strings.HasPrefix(file, "code cell ")
}

// defined returns the names of the top-level functions of src.
func defined(src []byte) map[string]bool {
	names := map[string]bool{}
	f, err := parser.ParseFile(token.NewFileSet(), "", src, 0)
	if err != nil {
		return names
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
			names[fd.Name.Name] = true
		}
	}
	return names
}

// mainGo is the generated main: the notebook's functions that exist, in a
// grading.Submission served by runner.Serve (a missing one is graded
// "missing"). Its names are prefixed so as not to clash with the
// learner's.
func mainGo(have map[string]bool) string {
	var fields strings.Builder
	for _, e := range grading.ExerciseList() {
		for _, b := range e.Bindings() {
			if have[b.Ident] {
				fmt.Fprintf(&fields, "\t\t%s: %s,\n", b.Field, b.Adapt)
			}
		}
	}
	return fmt.Sprintf(`// Code generated by nbgrade. DO NOT EDIT.

package main

import (
	nbgradeGrade %q
	nbgradeRunner %q
	nn "github.com/backprop-lab/backprop/nn"
	mat "gonum.org/v1/gonum/mat"
)

var (
	_ nn.Layer   // nn and mat are used by adapters, when there are some
	_ mat.Matrix
)

func main() {
	nbgradeRunner.Serve(nbgradeGrade.ExerciseUnits(nbgradeGrade.Submission{
%s	}))
}
`, runner.ModulePath+"/grading", runner.Path, fields.String())
}

// refuse reports code that cannot be graded (it does not build, or
// imports what graded code may not): as text, or as Gradescope results
// with every exercise failed (so the maximum score stays the same).
func refuse(c config, w io.Writer, msg string) int {
	if !c.json {
		total := 0.0
		for _, u := range units(c) {
			total += u.Points
		}
		fmt.Fprintf(w, "✗ %s\n0 of %d exercises passed, 0 of %s points\n", msg, len(grading.ExerciseList()), fmtPoints(total))
		return 1
	}
	g := &gradcheck.GradescopeResults{Output: "The notebook's code could not be graded, so no exercise could be checked."}
	for _, u := range units(c) {
		g.Tests = append(g.Tests, gradcheck.GradescopeTest{Name: u.TestName, MaxScore: u.Points,
			Status: "failed", Output: msg, Visibility: "visible"})
	}
	w.Write(g.JSON())
	return 1
}

// write prints the outcomes as ✓/✗ lines (? for a check that could not
// decide), each with its points (or results.json, a test per exercise with
// its score and max_score, and extra_data.check_error), and reports
// whether an exercise failed and whether a check could not decide.
func write(c config, w io.Writer, outcomes []runner.Outcome) (wrong, checkError bool) {
	passed := 0
	var score, total float64
	g := &gradcheck.GradescopeResults{}
	for _, o := range outcomes {
		ok := o.Passed()
		if o.Authentic && o.Verdict.CheckError != "" {
			checkError = true
			g.Add(&gradcheck.GradescopeResults{ExtraData: map[string]string{"check_error": o.Unit.Name + ": " + o.Verdict.CheckError}})
		} else if !ok {
			wrong = true
		}
		points := o.Unit.Points
		total += points
		if ok {
			passed++
			score += points
		}
		printed := learnerOutput(o)
		if !c.json {
			got := 0.0
			if ok {
				got = points
			}
			fmt.Fprintln(w, withPoints(o.Verdict.Text, got, points))
			if printed != "" {
				fmt.Fprintln(w, indent(printed, "    "))
			}
			continue
		}
		for _, t := range o.Verdict.Tests {
			t.MaxScore, t.Score, t.Status = points, 0, "failed"
			if ok {
				t.Score, t.Status = points, "passed"
			}
			if printed != "" {
				t.Output += "\n\n" + printed
			}
			g.Score += t.Score
			g.Tests = append(g.Tests, t)
		}
	}
	if c.json {
		w.Write(g.JSON())
	} else {
		fmt.Fprintf(w, "%d of %d exercises passed, %s of %s points\n", passed, len(outcomes), fmtPoints(score), fmtPoints(total))
		if checkError {
			fmt.Fprintln(w, "? marks a check that could not decide (an error of the check, not a wrong answer): grade those exercises by hand.")
		}
	}
	return wrong, checkError
}

// learnerOutput renders what the learner's code printed during a failed
// exercise, every line marked "│ " so that it cannot pass for a verdict
// ("" for a passed exercise or no output).
func learnerOutput(o runner.Outcome) string {
	if o.Passed() || strings.TrimSpace(o.Output) == "" {
		return ""
	}
	const maxLines = 20
	lines := strings.Split(strings.TrimRight(o.Output, "\n"), "\n")
	more := len(lines) > maxLines || o.Truncated
	if len(lines) > maxLines {
		lines = lines[:maxLines]
	}
	var b strings.Builder
	b.WriteString("what your code printed:")
	for _, l := range lines {
		if len(l) > 200 {
			l = l[:200] + "…"
		}
		b.WriteString("\n│ " + l)
	}
	if more {
		b.WriteString("\n│ … (more not shown)")
	}
	return b.String()
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
