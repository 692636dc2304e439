// Command nbgrade grades a learner's copy of the exercises notebook
// (10-exercises.ipynb) without Jupyter: it takes the Go declarations of the
// notebook's cells (as GoNB would compile them), builds them with a
// generated main that runs the notebook's own checks (lesson.GradeMain:
// ReLU′, the output delta, the dense layer's backward pass and the SGD step,
// each against gradcheck), and prints one ✓/✗ line per exercise, or
// Gradescope's results.json.
//
// Usage:
//
//	go run ./notebooks/cmd/nbgrade [flags] NOTEBOOK.ipynb
//
// Flags:
//
//	-json          print Gradescope's results.json (one test per exercise)
//	-points P      points per exercise (1)
//	-export DIR    write the notebook's declarations to DIR/exercises.go
//	               (package student) and grade nothing: go run ./cmd/gradcheck
//	               DIR then checks its NewLayer alone
//	-backprop DIR  this project's module directory (default: the module
//	               containing the working directory)
//	-keep          keep (and print) the generated module's directory
//	-timeout D     limit for building and running (5m)
//
// The exit status is 0 if every exercise passed, 1 if one did not or the
// notebook's code does not build, 2 on a usage error. The learner's code
// runs on the grader's machine, like any autograder's: use a container or a
// sandbox for submissions you do not trust.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/lesson"
	notebooks "github.com/backprop-lab/backprop/notebooks/nbtool"
)

// modulePath is this project's module.
const modulePath = "github.com/backprop-lab/backprop"

// exercises binds the functions the notebook asks for to the fields of
// lesson.Submission: field, function name, and the expression that adapts it.
var exercises = []struct{ field, fn, expr string }{
	{"ReLUPrime", "reluPrime", "reluPrime"},
	{"OutputDelta", "outputDelta", "outputDelta"},
	{"NewLayer", "NewLayer", "func(nIn, nOut int) nn.Layer { return NewLayer(nIn, nOut) }"},
	{"SGDStep", "sgdStep", "sgdStep"},
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	json     bool
	points   float64
	export   string
	backprop string
	keep     bool
	timeout  time.Duration
}

func run(args []string, stdout, stderr io.Writer) int {
	var c config
	fs := flag.NewFlagSet("nbgrade", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&c.json, "json", false, "print Gradescope's results.json")
	fs.Float64Var(&c.points, "points", 1, "points per exercise")
	fs.StringVar(&c.export, "export", "", "write the notebook's declarations to `DIR`/exercises.go (package student) and grade nothing")
	fs.StringVar(&c.backprop, "backprop", "", "this project's module `directory` (default: the module containing the working directory)")
	fs.BoolVar(&c.keep, "keep", false, "keep the generated module's directory")
	fs.DurationVar(&c.timeout, "timeout", 5*time.Minute, "limit for building and running")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: nbgrade [flags] NOTEBOOK.ipynb\n\nGrades the exercises of a learner's notebook (see go doc ./notebooks/cmd/nbgrade).")
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
	code, err := grade(ctx, c, nb, stdout, stderr)
	if err != nil {
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

// grade builds the notebook's code with a generated main and runs it.
func grade(ctx context.Context, c config, nb *notebooks.Notebook, stdout, stderr io.Writer) (int, error) {
	root, err := findBackprop(c.backprop)
	if err != nil {
		return 0, err
	}
	src, err := notebooks.GoSource(nb, "main")
	if err != nil {
		return buildFailure(c, "the notebook's Go code cannot be read: "+err.Error(), stdout), nil
	}
	tmp, err := os.MkdirTemp("", "nbgrade-")
	if err != nil {
		return 0, err
	}
	if c.keep {
		fmt.Fprintln(stderr, "nbgrade: generated module in", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		return 0, err
	}
	gomod := fmt.Sprintf("module nbgraderun\n\ngo 1.26\n\nrequire %s v0.0.0-00010101000000-000000000000\n\nreplace %s => %s\n",
		modulePath, modulePath, strconv.Quote(root))
	files := map[string][]byte{"go.mod": []byte(gomod), "go.sum": sum, "notebook.go": src, "main_nbgrade.go": []byte(mainGo(defined(src)))}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return 0, err
		}
	}
	bin := filepath.Join(tmp, "grade")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	build.Dir = tmp
	build.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		return buildFailure(c, fmt.Sprintf("the notebook's code does not build (%v):\n%s", err, strings.ReplaceAll(string(out), tmp+string(filepath.Separator), "")), stdout), nil
	}
	cmd := exec.CommandContext(ctx, bin, "-json="+strconv.FormatBool(c.json), "-points="+strconv.FormatFloat(c.points, 'g', -1, 64))
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return 1, nil
	}
	return 0, fmt.Errorf("running the checks: %v", err)
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

// mainGo is the generated main: the notebook's functions that exist, passed
// to lesson.GradeMain (a missing one is graded "missing").
func mainGo(have map[string]bool) string {
	var fields strings.Builder
	for _, e := range exercises {
		if have[e.fn] {
			fmt.Fprintf(&fields, "\t\t%s: %s,\n", e.field, e.expr)
		}
	}
	return fmt.Sprintf(`// Code generated by nbgrade. DO NOT EDIT.

package main

import (
	nbgradeOS "os"

	nbgradeLesson "github.com/backprop-lab/backprop/lesson"
	nn "github.com/backprop-lab/backprop/nn"
)

var _ nn.Layer // nn is used by the NewLayer adapter, when there is one

func main() {
	nbgradeOS.Exit(nbgradeLesson.GradeMain(nbgradeOS.Stdout, nbgradeOS.Args[1:], nbgradeLesson.Submission{
%s	}))
}
`, fields.String())
}

// buildFailure reports code that does not build: as text, or as Gradescope
// results with every exercise failed (so the maximum score stays the same).
func buildFailure(c config, msg string, stdout io.Writer) int {
	if !c.json {
		fmt.Fprintf(stdout, "✗ %s\n0 of %d exercises passed\n", msg, len(exercises))
		return 1
	}
	g := &gradcheck.GradescopeResults{Output: "The notebook's code does not build, so no exercise could be checked."}
	for _, r := range lesson.GradeExercises(lesson.Submission{}) { // the exercises' names, as GradeMain gives them
		g.Tests = append(g.Tests, gradcheck.GradescopeTest{Name: fmt.Sprintf("Exercise %d: %s", r.N, r.Title), MaxScore: c.points,
			Status: "failed", Output: msg, Visibility: "visible"})
	}
	stdout.Write(g.JSON())
	return 1
}

// findBackprop returns this project's module directory: dir if given,
// else the module containing the working directory.
func findBackprop(dir string) (string, error) {
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		for d := wd; ; d = filepath.Dir(d) {
			if moduleLine(filepath.Join(d, "go.mod")) == modulePath {
				return d, nil
			}
			if filepath.Dir(d) == d {
				return "", fmt.Errorf("cannot find module %s above %s: run nbgrade inside it, or give -backprop DIR", modulePath, wd)
			}
		}
	}
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if moduleLine(filepath.Join(d, "go.mod")) != modulePath {
		return "", fmt.Errorf("-backprop %s: no go.mod of module %s there", dir, modulePath)
	}
	return d, nil
}

// moduleLine returns the module path of a go.mod file ("" if none).
func moduleLine(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}
