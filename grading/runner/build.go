package runner

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ModulePath is this project's module.
const ModulePath = "github.com/backprop-lab/backprop"

// ZeroVersion is the placeholder version of a replaced module.
const ZeroVersion = "v0.0.0-00010101000000-000000000000"

// Path is this package's import path: a grading program's main imports it.
const Path = ModulePath + "/grading/runner"

// ModuleLine returns the module path declared by go.mod's contents ("" if
// none).
func ModuleLine(gomod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// FindModule returns the directory and path of the module containing dir
// ("" if there is none).
func FindModule(dir string) (modDir, modPath string, err error) {
	for d := dir; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			p := ModuleLine(data)
			if p == "" {
				return "", "", fmt.Errorf("%s has no module line", filepath.Join(d, "go.mod"))
			}
			return d, p, nil
		}
		if filepath.Dir(d) == d {
			return "", "", nil
		}
	}
}

// FindBackprop locates this project for a generated program: the directory
// flagDir if given, else the module containing the working directory if it
// is this project, else the version the running binary was built from
// (go install …@version: then dir is "").
func FindBackprop(flagDir string) (dir, version string, err error) {
	if flagDir != "" {
		d, err := filepath.Abs(flagDir)
		if err != nil {
			return "", "", err
		}
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err != nil || ModuleLine(data) != ModulePath {
			return "", "", fmt.Errorf("-backprop %s: no go.mod of module %s there", flagDir, ModulePath)
		}
		return d, "", nil
	}
	if wd, err := os.Getwd(); err == nil {
		if d, p, err := FindModule(wd); err == nil && p == ModulePath {
			return d, "", nil
		}
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Path == ModulePath &&
		bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return "", bi.Main.Version, nil
	}
	return "", "", fmt.Errorf("cannot find module %s: run inside it, or give -backprop DIR", ModulePath)
}

// Program is a generated grading program: a module that requires this
// project and holds Files (main package files by name), with Requires
// further modules replaced by directories (the learner's module).
type Program struct {
	// Module is the generated module's path ("gradcheckrun").
	Module string
	// Backprop is this project's directory, or "" to use Version.
	Backprop, Version string
	// Files are written into the module's directory: "main.go", or
	// "student/layer.go" for a package copied in.
	Files map[string][]byte
	// Replace maps further module paths to their directories.
	Replace map[string]string
	// Overlay adds files to directories outside the module (go build
	// -overlay): absolute path → contents.
	Overlay map[string][]byte
}

// BuildError is a program that does not build: the compiler's message,
// with the temporary directory's name removed.
type BuildError struct{ Output string }

func (e *BuildError) Error() string { return e.Output }

// Build writes p into a new temporary directory and builds it, offline if
// the module cache has the dependencies (GOFLAGS=-mod=mod, GOWORK=off, both
// go.sum files). It returns the directory (remove it when done) and the
// binary; a compile error is a *BuildError. When ctx is done before the
// build is, the go command's whole process group (compile and link
// included) is killed, the directory removed, and dir is "".
func Build(ctx context.Context, p Program) (dir, bin string, err error) {
	dir, err = os.MkdirTemp("", "grade-build-")
	if err != nil {
		return "", "", err
	}
	var gomod, gosum bytes.Buffer
	fmt.Fprintf(&gomod, "module %s\n\ngo 1.26\n\n", p.Module)
	if p.Backprop != "" {
		fmt.Fprintf(&gomod, "require %s %s\nreplace %s => %s\n", ModulePath, ZeroVersion, ModulePath, quote(p.Backprop))
		appendFile(&gosum, filepath.Join(p.Backprop, "go.sum"))
	} else {
		fmt.Fprintf(&gomod, "require %s %s\n", ModulePath, p.Version)
	}
	mods := make([]string, 0, len(p.Replace))
	for m := range p.Replace {
		mods = append(mods, m)
	}
	sort.Strings(mods)
	for _, m := range mods {
		fmt.Fprintf(&gomod, "require %s %s\nreplace %s => %s\n", m, ZeroVersion, m, quote(p.Replace[m]))
		appendFile(&gosum, filepath.Join(p.Replace[m], "go.sum"))
	}
	files := map[string][]byte{"go.mod": gomod.Bytes(), "go.sum": gosum.Bytes()}
	for name, data := range p.Files {
		files[name] = data
	}
	for name, data := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return dir, "", err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return dir, "", err
		}
	}
	bin = filepath.Join(dir, "grade.bin")
	args := []string{"build", "-o", bin}
	if len(p.Overlay) > 0 {
		ov, err := writeOverlay(dir, p.Overlay)
		if err != nil {
			return dir, "", err
		}
		args = append(args, "-overlay", ov)
	}
	out, err := goCommand(ctx, dir, append(args, ".")...)
	if ctx.Err() != nil {
		// Stopped at the time limit: nothing of the build is left behind.
		os.RemoveAll(dir)
		return "", "", &BuildError{Output: "building took longer than the time limit, and was stopped"}
	}
	if err != nil {
		msg := strings.ReplaceAll(string(out), dir+string(filepath.Separator), "")
		return dir, "", &BuildError{Output: strings.TrimSpace(msg)}
	}
	return dir, bin, nil
}

// goCommand runs the go command with args in dir and returns its combined
// output. It runs in a process group of its own, and when ctx is done the
// whole group is killed: the go command and its children (compile, link,
// asm, cgo…), which would otherwise keep running, reparented to PID 1.
func goCommand(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS="+Goflags(os.Getenv("GOFLAGS")), "GOWORK=off")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return killGroup(cmd.Process.Pid) }
	// A child that escaped the group could hold the output pipe open: stop
	// waiting for it shortly after the kill.
	cmd.WaitDelay = 2 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil && cmd.Process != nil {
		killGroup(cmd.Process.Pid) // children left after the leader ended
	}
	return out, err
}

// killGroup kills the process group whose leader is pid.
var killGroup = func(pid int) error { return syscall.Kill(-pid, syscall.SIGKILL) }

// writeOverlay writes go build's -overlay file for files.
func writeOverlay(dir string, files map[string][]byte) (string, error) {
	var b strings.Builder
	b.WriteString(`{"Replace": {`)
	i := 0
	hidden := filepath.Join(dir, "_overlay") // "_" keeps it out of the package
	if err := os.Mkdir(hidden, 0o755); err != nil {
		return "", err
	}
	for path, data := range files {
		src := filepath.Join(hidden, fmt.Sprintf("overlay%d.go", i))
		if err := os.WriteFile(src, data, 0o644); err != nil {
			return "", err
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %s", strconv.Quote(path), strconv.Quote(src))
		i++
	}
	b.WriteString("}}")
	ov := filepath.Join(dir, "overlay.json")
	return ov, os.WriteFile(ov, []byte(b.String()), 0o644)
}

// Goflags returns the GOFLAGS of a build: the caller's, with -mod=mod
// instead of any -mod setting (the generated go.mod lacks the indirect
// requirements until the go command adds them).
func Goflags(env string) string {
	var out []string
	for _, f := range strings.Fields(env) {
		if !strings.HasPrefix(f, "-mod=") {
			out = append(out, f)
		}
	}
	return strings.Join(append(out, "-mod=mod"), " ")
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
		return strconv.Quote(path)
	}
	return path
}
