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
// serves grade.LayerUnits through package gradcheck/grade/runner, then
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
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/gradcheck/grade"
	"github.com/backprop-lab/backprop/gradcheck/grade/runner"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is a mistake of the grader, not the student (exit code 2).
type usageError struct{ error }

// run is the command; it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	c := grade.DefaultConfig()
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
func check(ctx context.Context, c grade.Config, dir, backprop string, keep bool, limit time.Duration, stdout, stderr io.Writer) (int, error) {
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

	"github.com/backprop-lab/backprop/gradcheck/grade"
	"github.com/backprop-lab/backprop/gradcheck/grade/runner"
	"github.com/backprop-lab/backprop/nn"
	student %q
)

func main() {
	runner.Serve(grade.LayerUnits(os.Args[1:], func(nIn, nOut int) nn.Layer { return student.%s(nIn, nOut) }))
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
func reportBuildFailure(c grade.Config, dir string, msg string, stdout io.Writer) error {
	if !c.JSON {
		fmt.Fprintf(stdout, "gradcheck: %s\nFAIL\n", msg)
		return nil
	}
	g := &gradcheck.GradescopeResults{Output: "the submission does not build", Tests: []gradcheck.GradescopeTest{
		{Name: "build", MaxScore: c.Points, Status: "failed", Output: msg, Visibility: "visible"}}}
	stdout.Write(g.JSON())
	return nil
}

// checkSource checks the student's sources before they are built
// (runner.CheckImports); tests of the runner's own defences turn it off.
var checkSource = runner.CheckImports

// packageFiles returns the non-test Go files of the package in dir (name →
// contents) and its name.
func packageFiles(dir string) (map[string][]byte, string, error) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	srcs := map[string][]byte{}
	pkg := ""
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, "", err
		}
		srcs[f] = data
		if pf, err := parser.ParseFile(token.NewFileSet(), f, data, parser.PackageClauseOnly); err == nil && pkg == "" {
			pkg = pf.Name.Name
		}
	}
	return srcs, pkg, nil
}

// studentSources returns the source files of the student's package and of
// every package of the student's module it imports, directly or not (name
// relative to the student's directory → contents), and the rules that let
// them import one another.
func studentSources(student string) (map[string][]byte, *runner.SourceRules, error) {
	modDir, modPath, err := runner.FindModule(student)
	if err != nil {
		return nil, nil, usageError{err}
	}
	rules := &runner.SourceRules{Local: map[string]string{}}
	out := map[string][]byte{}
	todo, seen := []string{student}, map[string]bool{student: true}
	for len(todo) > 0 {
		dir := todo[0]
		todo = todo[1:]
		srcs, _, err := packageFiles(dir)
		if err != nil {
			return nil, nil, err
		}
		if f := foreignSource(dir); f != "" {
			name, _ := filepath.Rel(student, f)
			return nil, nil, refusal{fmt.Errorf("%s: a package of graded code may hold only Go files; the go command would build or link this one (assembly, C, an object file), which the check of the Go source cannot see", name)}
		}
		for f, data := range srcs {
			name, err := filepath.Rel(student, f)
			if err != nil {
				name = f
			}
			out[name] = data
			if modDir == "" || modPath == runner.ModulePath {
				continue // no packages of its own to import
			}
			pf, err := parser.ParseFile(token.NewFileSet(), f, data, parser.ImportsOnly)
			if err != nil {
				continue // the compiler reports it
			}
			for _, im := range pf.Imports {
				p, _ := strconv.Unquote(im.Path.Value)
				if p != modPath && !strings.HasPrefix(p, modPath+"/") {
					continue
				}
				d := filepath.Join(modDir, filepath.FromSlash(strings.TrimPrefix(p, modPath)))
				if _, name, err := packageFiles(d); err == nil && name != "" {
					rules.Local[p] = name
					if !seen[d] {
						seen[d] = true
						todo = append(todo, d)
					}
				}
			}
		}
	}
	return out, rules, nil
}

// refusal is student code that is not built (exit 1).
type refusal struct{ error }

// foreignSource returns the first file in dir that the go command would
// build or link into the package besides Go files ("" if none).
func foreignSource(dir string) string {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".s", ".sx", ".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".hxx", ".m", ".f", ".for", ".f90", ".swig", ".swigcxx", ".syso":
			if !e.IsDir() {
				return filepath.Join(dir, e.Name())
			}
		}
	}
	return ""
}

// placeStudent makes the student's package importable from the generated
// program p and returns its import path. A file importing packages runner
// and grade is added to the student's package, so that runner is
// initialised (and has taken its key), and grade has captured what its
// reference computations use, before any of the student's code runs.
func placeStudent(student, ourDir string, p *runner.Program) (string, error) {
	srcs, pkg, err := packageFiles(student)
	if err != nil {
		return "", err
	}
	if len(srcs) == 0 {
		return "", usageError{fmt.Errorf("no Go files in %s", student)}
	}
	first := []byte(fmt.Sprintf("// Code generated by gradcheck. DO NOT EDIT.\n\npackage %s\n\nimport (\n\t_ %q\n\t_ %q\n)\n", pkg, runner.Path, gradePath))
	const firstName = "zz_gradcheck_runner_first.go"
	modDir, modPath, err := runner.FindModule(student)
	if err != nil {
		return "", usageError{err}
	}
	if modDir == "" {
		// No module: copy the package's files into ours.
		for f, data := range srcs {
			p.Files["student/"+filepath.Base(f)] = data
		}
		p.Files["student/"+firstName] = first
		return "gradcheckrun/student", nil
	}
	rel, err := filepath.Rel(modDir, student)
	if err != nil {
		return "", err
	}
	importPath := modPath
	if rel != "." {
		importPath += "/" + filepath.ToSlash(rel)
	}
	if modPath != runner.ModulePath || ourDir == "" {
		if p.Replace == nil {
			p.Replace = map[string]string{}
		}
		p.Replace[modPath] = modDir
	}
	p.Overlay = map[string][]byte{filepath.Join(student, firstName): first}
	if modPath != runner.ModulePath {
		// The package's imports from its own module are initialised before
		// it: give each package of the module the same first import.
		for dir, name := range packageDirs(modDir) {
			if dir != student {
				p.Overlay[filepath.Join(dir, firstName)] = []byte(fmt.Sprintf("package %s\n\nimport (\n\t_ %q\n\t_ %q\n)\n", name, runner.Path, gradePath))
			}
		}
	}
	return importPath, nil
}

// gradePath is package grade's import path.
const gradePath = runner.ModulePath + "/gradcheck/grade"

// packageDirs returns the directories under root (skipping testdata,
// vendor and hidden ones) holding a non-main Go package, with its name.
func packageDirs(root string) map[string]string {
	out := map[string]string{}
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (n == "testdata" || n == "vendor" || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		dir := filepath.Dir(path)
		if _, seen := out[dir]; seen || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		if f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.PackageClauseOnly); err == nil && f.Name.Name != "main" {
			out[dir] = f.Name.Name
		}
		return nil
	})
	return out
}
