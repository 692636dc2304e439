// Command nbgrade grades a learner's copy of the exercises notebook
// (10-exercises.ipynb) without Jupyter: it takes the Go declarations of the
// notebook's cells that the exercises need (as GoNB would compile them),
// builds them with a generated main into a worker (package grading/worker)
// that only answers the judge's queries, and has the judge (package
// grading: ReLU′, the output delta, the dense layer's backward pass, the
// SGD step, a numerical gradient, a tanh layer's backward pass, the
// backward pass through two hidden layers, numbers worked out by hand, a
// sigmoid layer's backward pass) grade each exercise through its own
// worker process, on inputs drawn fresh from a seed, against the course's
// reference. It prints one ✓/✗ line per exercise with its points ("[2/2
// points]"), the total and the seed, or Gradescope's results.json (a test
// per exercise, score and max_score, extra_data.seed).
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
//	-limit D       time limit of each exercise's worker (default: the
//	               exercise's own, 10 s or 20 s)
//	-seed S        replay a grading run: the seed its verdict printed
//	               (default: a fresh seed from the system's randomness)
//
// The learner's code is treated as hostile: it runs only in the worker,
// one process per exercise with a time limit, and the judge decides every
// verdict from the worker's answers to its own queries; whatever the code
// prints, writes or exits with decides nothing, and no verdict prints an
// expected value. What it printed is shown under a
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
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

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
	seed     uint64
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
	fs.Uint64Var(&c.seed, "seed", 0, "seed of every input the judge draws (default: fresh from the system's randomness; the verdict prints it)")
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

// gradeNotebook checks the notebook's code, then has the judge build it
// into a worker and grade every exercise (grading.GradeNotebook); it
// writes the verdicts to w and returns the exit code.
func gradeNotebook(ctx context.Context, c config, nb *notebooks.Notebook, w, stderr io.Writer) (int, error) {
	dir, version, err := runner.FindBackprop(c.backprop)
	if err != nil {
		return 0, err
	}
	var res *grading.Results
	src, err := notebooks.GoSourceLines(nb, "main")
	var sel *runner.Selection
	if err == nil {
		sel, err = grading.SelectNotebook(src) // only what the exercises need is checked and built
	}
	if err == nil {
		src = sel.Source
		err = checkSource(map[string][]byte{"notebook.go": src}, nil)
	} else if sel == nil {
		err = fmt.Errorf("the notebook's Go code cannot be read: %v", err)
	}
	if err != nil {
		res = grading.RefuseNotebook(err.Error(), c.points)
	} else {
		o := grading.NotebookOptions{Backprop: dir, Version: version, Seed: c.seed, Points: c.points, Limit: c.limit}
		if c.keep {
			o.Keep = func(dir string) { fmt.Fprintln(stderr, "nbgrade: generated module in", dir) }
		}
		if res, err = grading.GradeNotebook(ctx, src, grading.DefinedFuncs(src), o); err != nil {
			return 0, err
		}
		res.Note = strings.TrimSpace(res.Note + "\n" + grading.NotebookNotes(sel))
	}
	if c.json {
		w.Write(res.JSON())
	} else {
		io.WriteString(w, res.Text())
	}
	return res.ExitCode(), nil
}

// checkSource checks the notebook's code before it is built
// (runner.CheckImports); tests of the judge's own defences turn it off.
var checkSource = runner.CheckImports
