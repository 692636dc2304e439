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
// code does not build or panics, 2 on a usage error.
//
// Go cannot load code at run time, so gradcheck writes a three-line main
// program into a temporary module that imports the student's package and
// calls grade.Main (package gradcheck/grade), then builds and runs it:
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
//	-timeout D       limit for building and running (5m)
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/gradcheck/grade"
)

// modulePath is this project's module.
const modulePath = "github.com/backprop-lab/backprop"

// zeroVersion is the placeholder version of a replaced module.
const zeroVersion = "v0.0.0-00010101000000-000000000000"

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
	timeout := fs.Duration("timeout", 5*time.Minute, "limit for building and running the check")
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
	code, err := check(ctx, c, fs.Arg(0), *backprop, *keep, stdout, stderr)
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

// check generates, builds and runs the check program.
func check(ctx context.Context, c grade.Config, dir, backprop string, keep bool, stdout, stderr io.Writer) (int, error) {
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
	ourDir, ourVersion, err := findBackprop(backprop)
	if err != nil {
		return 0, usageError{err}
	}
	tmp, err := os.MkdirTemp("", "gradcheck-")
	if err != nil {
		return 0, err
	}
	if keep {
		fmt.Fprintln(stderr, "gradcheck: generated module in", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}

	// go.mod: our module (replaced by its directory, or at a version), and
	// the student's module (replaced by its directory) or copied files.
	var gomod, gosum bytes.Buffer
	fmt.Fprintf(&gomod, "module gradcheckrun\n\ngo 1.26\n\n")
	if ourDir != "" {
		fmt.Fprintf(&gomod, "require %s %s\nreplace %s => %s\n", modulePath, zeroVersion, modulePath, quote(ourDir))
		appendFile(&gosum, filepath.Join(ourDir, "go.sum"))
	} else {
		fmt.Fprintf(&gomod, "require %s %s\n", modulePath, ourVersion)
	}
	importPath, err := placeStudent(student, tmp, ourDir, &gomod, &gosum)
	if err != nil {
		return 0, err
	}
	mainGo := fmt.Sprintf(`// Code generated by gradcheck. DO NOT EDIT.

package main

import (
	"github.com/backprop-lab/backprop/gradcheck/grade"
	"github.com/backprop-lab/backprop/nn"
	student %q
)

func main() {
	grade.Main(func(nIn, nOut int) nn.Layer { return student.%s(nIn, nOut) })
}
`, importPath, c.Name)
	for name, data := range map[string][]byte{"go.mod": gomod.Bytes(), "go.sum": gosum.Bytes(), "main.go": []byte(mainGo)} {
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return 0, err
		}
	}

	bin := filepath.Join(tmp, "check")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	build.Dir = tmp
	build.Env = append(os.Environ(), "GOFLAGS="+goflags(os.Getenv("GOFLAGS")), "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		return 1, reportBuildFailure(c, dir, out, err, stdout)
	}
	cmd := exec.CommandContext(ctx, bin, c.Args()...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &exit) && exit.ExitCode() > 0:
		return exit.ExitCode(), nil
	}
	return 1, fmt.Errorf("running the check: %v", err)
}

// goflags returns the GOFLAGS of the build: the caller's, with -mod=mod
// instead of any -mod setting (the generated go.mod lacks the indirect
// requirements until the go command adds them).
func goflags(env string) string {
	var out []string
	for _, f := range strings.Fields(env) {
		if !strings.HasPrefix(f, "-mod=") {
			out = append(out, f)
		}
	}
	return strings.Join(append(out, "-mod=mod"), " ")
}

// reportBuildFailure prints why the student's package did not build: as
// text, or as a failed Gradescope test.
func reportBuildFailure(c grade.Config, dir string, out []byte, err error, stdout io.Writer) error {
	msg := fmt.Sprintf("the package in %s does not build with the check (it must export func %s(nIn, nOut int) L, L an nn.Layer):\n%s%v",
		dir, c.Name, out, err)
	if !c.JSON {
		fmt.Fprintf(stdout, "gradcheck: %s\nFAIL\n", msg)
		return nil
	}
	g := &gradcheck.GradescopeResults{Output: "the submission does not build", Tests: []gradcheck.GradescopeTest{
		{Name: "build", MaxScore: c.Points, Status: "failed", Output: msg, Visibility: "visible"}}}
	stdout.Write(g.JSON())
	return nil
}

// placeStudent makes the student's package importable from the generated
// module and returns its import path.
func placeStudent(student, tmp, ourDir string, gomod, gosum *bytes.Buffer) (string, error) {
	modDir, modPath, err := findModule(student)
	if err != nil {
		return "", err
	}
	if modDir == "" {
		// No module: copy the package's files into ours.
		dst := filepath.Join(tmp, "student")
		if err := os.Mkdir(dst, 0o755); err != nil {
			return "", err
		}
		files, _ := filepath.Glob(filepath.Join(student, "*.go"))
		n := 0
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				return "", err
			}
			if err := os.WriteFile(filepath.Join(dst, filepath.Base(f)), data, 0o644); err != nil {
				return "", err
			}
			n++
		}
		if n == 0 {
			return "", usageError{fmt.Errorf("no Go files in %s", student)}
		}
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
	if modPath != modulePath || ourDir == "" {
		fmt.Fprintf(gomod, "require %s %s\nreplace %s => %s\n", modPath, zeroVersion, modPath, quote(modDir))
		appendFile(gosum, filepath.Join(modDir, "go.sum"))
	}
	return importPath, nil
}

// findModule returns the directory and path of the module containing dir
// ("" if none).
func findModule(dir string) (modDir, modPath string, err error) {
	for d := dir; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			p := moduleLine(data)
			if p == "" {
				return "", "", usageError{fmt.Errorf("%s has no module line", filepath.Join(d, "go.mod"))}
			}
			return d, p, nil
		}
		if filepath.Dir(d) == d {
			return "", "", nil
		}
	}
}

// moduleLine returns the module path of a go.mod file.
func moduleLine(gomod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// findBackprop locates this project: the -backprop directory, the working
// directory's module, or the version this binary was built from.
func findBackprop(flagDir string) (dir, version string, err error) {
	if flagDir != "" {
		d, err := filepath.Abs(flagDir)
		if err != nil {
			return "", "", err
		}
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err != nil || moduleLine(data) != modulePath {
			return "", "", fmt.Errorf("-backprop %s: no go.mod of module %s there", flagDir, modulePath)
		}
		return d, "", nil
	}
	if wd, err := os.Getwd(); err == nil {
		if d, p, err := findModule(wd); err == nil && p == modulePath {
			return d, "", nil
		}
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Path == modulePath &&
		bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return "", bi.Main.Version, nil
	}
	return "", "", fmt.Errorf("cannot find module %s: run gradcheck inside it, or give -backprop DIR", modulePath)
}

func appendFile(b *bytes.Buffer, path string) {
	if data, err := os.ReadFile(path); err == nil {
		b.Write(data)
		if len(data) > 0 && data[len(data)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
}

// quote quotes a path for go.mod if it needs it.
func quote(path string) string {
	if strings.ContainsAny(path, " \t\"'`") {
		return fmt.Sprintf("%q", path)
	}
	return path
}
