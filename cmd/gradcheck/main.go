// Command gradcheck checks the backward pass of a student's layer, for
// graders and CI.
//
// Usage:
//
//	gradcheck [flags] DIR
//
// DIR is the student's package. It must export a constructor (name set by
// -layer, default NewLayer)
//
//	func NewLayer(nIn, nOut int) L   // L implements nn.Layer: Forward, Backward, Params
//
// gradcheck checks one layer it builds (every parameter gradient and the
// input gradient Backward returns) and a network whose hidden layers it
// builds (-hidden, default 5,4: with two hidden layers a wrong input
// gradient shows as wrong W1, b1). It prints a table per check, or with
// -json Gradescope's results.json (one test per tensor, -points each), and
// exits with 0 if every gradient is right, 1 if one is wrong or the student's
// code does not build or panics, 2 on a usage error or when a check could
// not run or decide and none failed (the loss is not finite at the check
// point, or every element of a tensor sits at a kink; extra_data's
// "check_error" in the JSON).
//
// Go cannot load code at run time, so gradcheck writes a three-line main
// program into a temporary module that imports the student's package and
// serves grading.LayerUnits through package grading/runner, then
// builds it and runs each check in its own process with a time limit
// (-limit); a check's verdict counts only if it arrives signed on the
// runner's private pipe, so whatever the student's code prints or exits
// with decides nothing. Before building, the student's package and every
// package of the student's module it imports are checked
// (runner.CheckImports): imports only from an allowlist (fmt, math,
// gonum's mat, nn, …), and no write to another package's variable
// (nn.Softmax = …, &pkg.X); a refusal names the file and line (exit 1). A
// check that cannot decide (every element of a tensor at a kink, e.g.
// zero weights with -randomize=false) is a check error (exit 2).
//
//   - The student's package is used in place if it belongs to a module (a
//     go.mod above it; a replace directive points there), else its .go
//     files are copied into the temporary module.
//   - This project's module is taken from -backprop DIR, else from the
//     working directory's module if it is this project, else at the version
//     this command was built from (go install …@version).
//
// The build runs with GOFLAGS=-mod=mod and both go.sum files, so it needs
// no network when the module cache has the dependencies (it does on any
// machine that has built this project); set GOPROXY=off to be sure.
//
// Flags:
//
//	-layer NAME      the constructor (NewLayer)
//	-in, -out N      n_in and n_out of the checked layer (6, 5)
//	-batch B         batch size (4)
//	-hidden W,…      hidden widths of the network check (5,4; "" for none)
//	-classes K       softmax units of the network check (3)
//	-seed S          seed of data, parameters and spot checks (0)
//	-mode M          auto, full or directional (auto)
//	-randomize=false keep the constructor's parameters
//	-json            print Gradescope's results.json
//	-points P        points per tensor in the JSON (1)
//	-backprop DIR    this project's module directory
//	-keep            keep (and print) the temporary module's directory
//	-timeout D       limit for building (5m)
//	-limit D         time limit of each check (30s)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/grading"
	"github.com/backprop-lab/backprop/grading/runner"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is a mistake of the grader, not the student (exit code 2).
type usageError struct{ error }

// run is the command; it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	c := grading.DefaultConfig()
	fs := flag.NewFlagSet("gradcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.RegisterFlags(fs)
	backprop := fs.String("backprop", "", "this project's module directory (default: found from the working directory or the build)")
	keep := fs.Bool("keep", false, "keep the generated module's directory")
	timeout := fs.Duration("timeout", 5*time.Minute, "limit for building the check")
	limit := fs.Duration("limit", 30*time.Second, "time limit of each check")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gradcheck [flags] DIR\n\nChecks the backward pass of the layer built by DIR's constructor (see go doc ./cmd/gradcheck).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	code, err := check(ctx, c, fs.Arg(0), *backprop, *keep, *limit, stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "gradcheck:", err)
		var u usageError
		if errors.As(err, &u) {
			return 2
		}
		return 1
	}
	return code
}

// check generates and builds the check program, and runs its checks.
func check(ctx context.Context, c grading.Config, dir, backprop string, keep bool, limit time.Duration, stdout, stderr io.Writer) (int, error) {
	if !token.IsIdentifier(c.Name) || !token.IsExported(c.Name) {
		return 0, usageError{fmt.Errorf("-layer %q is not an exported Go identifier", c.Name)}
	}
	student, err := filepath.Abs(dir)
	if err != nil {
		return 0, usageError{err}
	}
	if fi, err := os.Stat(student); err != nil || !fi.IsDir() {
		return 0, usageError{fmt.Errorf("%s is not a directory", dir)}
	}
	ourDir, ourVersion, err := runner.FindBackprop(backprop)
	if err != nil {
		return 0, usageError{err}
	}
	p := runner.Program{Module: "gradcheckrun", Backprop: ourDir, Version: ourVersion, Files: map[string][]byte{}}
	importPath, err := placeStudent(student, ourDir, &p)
	if err != nil {
		return 0, err
	}
	srcs, rules, err := studentSources(student)
	var refused refusal
	if errors.As(err, &refused) {
		return 1, reportBuildFailure(c, dir, err.Error(), stdout)
	}
	if err != nil {
		return 0, err
	}
	if err := checkSource(srcs, rules); err != nil {
		return 1, reportBuildFailure(c, dir, err.Error(), stdout)
	}
	p.Files["main.go"] = []byte(fmt.Sprintf(`// Code generated by gradcheck. DO NOT EDIT.

package main

import (
	"os"

	"github.com/backprop-lab/backprop/grading"
	"github.com/backprop-lab/backprop/grading/runner"
	"github.com/backprop-lab/backprop/nn"
	student %q
)

func main() {
	runner.Serve(grading.LayerUnits(os.Args[1:], func(nIn, nOut int) nn.Layer { return student.%s(nIn, nOut) }))
}
`, importPath, c.Name))
	tmp, bin, err := runner.Build(ctx, p)
	if tmp != "" {
		if keep {
			fmt.Fprintln(stderr, "gradcheck: generated module in", tmp)
		} else {
			defer os.RemoveAll(tmp)
		}
	}
	var be *runner.BuildError
	if errors.As(err, &be) {
		msg := fmt.Sprintf("the package in %s does not build with the check (it must export func %s(nIn, nOut int) L, L an nn.Layer):\n%s",
			dir, c.Name, be.Output)
		return 1, reportBuildFailure(c, dir, msg, stdout)
	}
	if err != nil {
		return 0, err
	}
	isStudent := func(file string) bool {
		d := filepath.Dir(file)
		return d == student || strings.HasSuffix(d, "/gradcheckrun/student") || filepath.Base(d) == "student" && strings.HasPrefix(d, tmp)
	}
	outcomes, err := runner.Run(context.Background(), bin, c.Units(limit), &runner.Options{Args: c.Args(), IsLearnerFile: isStudent})
	if err != nil {
		return 0, err
	}
	wrong, checkError := false, false
	g := &gradcheck.GradescopeResults{}
	for _, o := range outcomes {
		if o.Authentic && o.Verdict.CheckError != "" {
			checkError = true
			g.Add(&gradcheck.GradescopeResults{ExtraData: map[string]string{"check_error": o.Verdict.CheckError}})
		} else if !o.Passed() {
			wrong = true
		}
		for _, t := range o.Verdict.Tests {
			if !o.Authentic { // only the check's own, signed verdict scores
				t.Score, t.Status = 0, "failed"
			}
			g.Score += t.Score
			g.Tests = append(g.Tests, t)
		}
		if !c.JSON {
			fmt.Fprintln(stdout, o.Verdict.Text)
			if printed := printedBy(o); printed != "" {
				fmt.Fprintln(stdout, printed)
			}
			fmt.Fprintln(stdout)
		}
	}
	// A decided failure is the verdict; else a check that could not run or
	// decide is an error of the check, not the student's wrong gradient.
	code, word := 0, "PASS"
	switch {
	case wrong:
		code, word = 1, "FAIL"
	case checkError:
		code, word = 2, "CHECK ERROR (not decided: neither pass nor fail)"
	}
	if c.JSON {
		stdout.Write(g.JSON())
	} else {
		fmt.Fprintln(stdout, word)
	}
	return code, nil
}

// printedBy renders what the student's code printed during a failed check,
// each line marked "│ " ("" if it passed or printed nothing).
func printedBy(o runner.Outcome) string {
	if o.Passed() || strings.TrimSpace(o.Output) == "" {
		return ""
	}
	lines := strings.Split(strings.TrimRight(o.Output, "\n"), "\n")
	more := len(lines) > 20 || o.Truncated
	lines = lines[:min(len(lines), 20)]
	s := "what your code printed:\n│ " + strings.Join(lines, "\n│ ")
	if more {
		s += "\n│ … (more not shown)"
	}
	return s
}

// reportBuildFailure prints why the student's package cannot be checked:
// as text, or as a failed Gradescope test.
func reportBuildFailure(c grading.Config, dir string, msg string, stdout io.Writer) error {
	if !c.JSON {
		fmt.Fprintf(stdout, "gradcheck: %s\nFAIL\n", msg)
		return nil
	}
	g := &gradcheck.GradescopeResults{Output: "the submission does not build", Tests: []gradcheck.GradescopeTest{
		{Name: "build", MaxScore: c.Points, Status: "failed", Output: msg, Visibility: "visible"}}}
	stdout.Write(g.JSON())
	return nil
}
