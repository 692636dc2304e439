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
// With -spec (dense-relu, dense-tanh, dense-sigmoid, dense-identity),
// gradcheck checks one layer the constructor builds against the specified
// layer A = φ(X·Wᵀ + 1bᵀ): with parameters the judge sets, Forward must be
// the specified A, and Backward's ∂E/∂W, ∂E/∂b and returned ∂E/∂X the
// specified gradients, to a relative 1e-8. Without -spec it checks only
// that Backward agrees with central differences of the layer's own
// Forward (gradient consistency), and the verdict says so. A network whose
// hidden layers the constructor builds (-hidden, default 5,4: with two
// hidden layers a wrong input gradient shows as wrong W1, b1) under a
// softmax layer is checked too: with -spec against the same network built
// from the specified layer (loss and every gradient), else for
// consistency. Shapes and values are
// drawn fresh from a seed, printed with the verdict (-seed replays it). It
// prints one ✓/✗ line per check, or with -json Gradescope's results.json
// (one test per check, -points each), and exits with 0 if every check
// passed, 1 if one failed or the student's code does not build, 2 on a
// usage error or when a check could not decide and none failed
// (extra_data's "check_error" in the JSON).
//
// Go cannot load code at run time, so gradcheck writes a main program
// into a temporary module that imports the student's package and serves
// its constructor as a worker (package grading/worker), builds it, and
// has the judge (package grading) run each check through its own worker
// process with a time limit (-limit). The worker only answers the judge's
// queries: whatever the student's code prints, writes or exits with
// decides nothing, and no verdict prints an expected value. Before
// building, the student's package and every package of the student's
// module it imports are checked (runner.CheckImports); a refusal names
// the file and line (exit 1).
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
//	-spec S          the specified layer (none: gradient consistency only)
//	-hidden W,…      hidden widths of the network check (5,4; "" for none)
//	-classes K       softmax units of the network check (3)
//	-seed S          replay a run: the seed its verdict printed (default: fresh)
//	-mode M          gradcheck's mode for the consistency checks (auto)
//	-json            print Gradescope's results.json
//	-points P        points per check (1)
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
	"time"

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
	c := grading.DefaultLayerConfig()
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
func check(ctx context.Context, c grading.LayerConfig, dir, backprop string, keep bool, limit time.Duration, stdout, stderr io.Writer) (int, error) {
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
	pkgs, modPath, err := readStudent(student)
	var refused refusal
	if errors.As(err, &refused) {
		return 1, reportBuildFailure(c, dir, err.Error(), stdout)
	}
	if err != nil {
		return 0, err
	}
	if m := collision(ctx, modPath, ourDir); m != "" {
		return 1, reportBuildFailure(c, dir, fmt.Sprintf("the student's module path %s collides with module %s of the grader's own build: not built; give the module a path of its own (e.g. example.com/layer)", modPath, m), stdout)
	}
	importPath, err := placeStudent(pkgs, modPath, &p)
	if err != nil {
		return 0, err
	}
	srcs, rules := studentSources(pkgs)
	if err := checkSource(srcs, rules); err != nil {
		return 1, reportBuildFailure(c, dir, err.Error(), stdout)
	}
	p.Files["main.go"] = []byte(c.WorkerMain(importPath))
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
	if msg, err := checkDerived(ctx, tmp, c.Name, pkgs); err != nil || msg != "" {
		if err != nil {
			msg = "the student's code cannot be checked: " + err.Error()
		}
		return 1, reportBuildFailure(c, dir, msg, stdout)
	}
	res, err := grading.GradeLayer(bin, c, limit)
	if err != nil {
		return 0, err
	}
	if c.JSON {
		stdout.Write(res.JSON())
		return res.ExitCode(), nil
	}
	io.WriteString(stdout, res.Text())
	// A decided failure is the verdict; else a check that could not run or
	// decide is an error of the check, not the student's wrong gradient.
	fmt.Fprintln(stdout, map[int]string{0: "PASS", 1: "FAIL", 2: "CHECK ERROR (not decided: neither pass nor fail)"}[res.ExitCode()])
	return res.ExitCode(), nil
}

// reportBuildFailure prints why the student's package cannot be checked:
// as text, or as a failed Gradescope test.
func reportBuildFailure(c grading.LayerConfig, dir string, msg string, stdout io.Writer) error {
	if !c.JSON {
		fmt.Fprintf(stdout, "gradcheck: %s\nFAIL\n", msg)
		return nil
	}
	stdout.Write(grading.RefuseLayer(msg, c).JSON())
	return nil
}
