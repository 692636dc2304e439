//go:build unix

package nbtool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/backprop-lab/backprop/internal/testenv"
)

// cellTimeout bounds one cell's run (nbclient's per-cell timeout): generous,
// for training cells on 2 shared cores.
const cellTimeout = 20 * time.Minute

// kernel is a GoNB kernel installed for the test: the clean environment
// jupyter runs with, and where the executed notebooks go.
type kernel struct {
	env       []string
	venv      string // the Python environment's bin folder: jupyter, python3
	root      string
	artefacts string
}

// TestNotebooks executes every notebook with a real GoNB kernel, built from
// the versions pinned in go.mod and installed as make kernel installs it,
// and checks the executed copy (see CheckExecuted). Jupyter runs in a clean
// environment, without the tools on PATH: the kernelspec must carry them.
// The copies, nbconvert's log and GoNB's logs are kept in
// .cache/artifacts/notebooks/ (git-ignored) or $ARTIFACTS_DIR/notebooks.
func TestNotebooks(t *testing.T) {
	files := notebookFiles(t)
	if testing.Short() {
		t.Skip("executing notebooks is slow; skipped in -short mode")
	}
	k := installKernel(t, false)
	for _, path := range files {
		// One after the other: a GoNB cell compiles with every core it finds.
		t.Run(nameOf(path), func(t *testing.T) { k.execute(t, path) })
	}
}

// requireJupyter returns the bin folder of the project's Python environment
// (see [Venv]: JupyterLab 4, nbconvert, nbclient, jupyter_client from
// PyPI); it skips the test (fails it when CI is set) if there is none.
func requireJupyter(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	bin, err := Venv(root)
	if err == nil {
		return bin
	}
	testenv.Missing(t, "executing notebooks needs Jupyter's headless tooling (nbconvert, nbclient, jupyter-client): "+err.Error())
	return ""
}

// artefactsDir is where the tests keep what they produce for inspection:
// $ARTIFACTS_DIR/notebooks, or .cache/artifacts/notebooks in the
// repository (git-ignored, outside the learner's folder).
func artefactsDir(t *testing.T, root string) string {
	t.Helper()
	dir := filepath.Join(root, ".cache", "artifacts", "notebooks")
	if a := os.Getenv("ARTIFACTS_DIR"); a != "" {
		dir = filepath.Join(a, "notebooks")
	}
	if err := os.MkdirAll(filepath.Join(dir, "gonb-logs"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// installKernel builds gonb and goimports from go.mod's pinned versions
// (and gopls at GoplsVersion if withGopls) into $NOTEBOOK_TOOLS_DIR, or
// backprop-notebook-tools beside GOCACHE, makes sure every module go.mod
// requires is in the module cache, and installs the kernel (see [Kernel];
// plain-text errors, logs to files) into a temporary Jupyter data
// directory. The environment it returns is clean: no tools on PATH, only
// the venv's bin folder (see [Venv]; the test skips without it) and the
// system's, the Go caches, GOPROXY=off.
func installKernel(t *testing.T, withGopls bool) *kernel {
	t.Helper()
	venv := requireJupyter(t)
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	artefacts := artefactsDir(t, root)
	logDir := filepath.Join(artefacts, "gonb-logs")
	goEnv := strings.Fields(run(t, root, nil, "go", "env", "GOROOT", "GOCACHE", "GOMODCACHE"))
	if len(goEnv) != 3 {
		t.Fatalf("go env GOROOT GOCACHE GOMODCACHE: %q", goEnv)
	}
	goroot, gocache, gomodcache := goEnv[0], goEnv[1], goEnv[2]
	tmp := t.TempDir()

	// go build relinks only when an input changed, so keeping the binaries
	// beside the Go build cache makes warm runs fast (and a fresh GOCACHE
	// gives a cold run). gopls goes to a folder of its own: a kernel with
	// gopls on PATH starts it, which the execution tests do not need.
	tools := os.Getenv("NOTEBOOK_TOOLS_DIR")
	if tools == "" && filepath.IsAbs(gocache) {
		tools = filepath.Join(filepath.Dir(gocache), "backprop-notebook-tools")
	} else if tools == "" {
		tools = filepath.Join(tmp, "bin") // GOCACHE=off
	}
	if withGopls {
		tools = filepath.Join(tools, "with-gopls")
	}
	start := time.Now()
	if err := BuildTools(root, tools, withGopls, true); err != nil {
		t.Fatal(err)
	}
	version := run(t, root, nil, "go", "version", "-m", filepath.Join(tools, "gonb"))
	t.Logf("built the kernel's tools in %s (%s)", time.Since(start).Round(time.Millisecond), gonbModLine(version))
	// The kernel runs with GOPROXY=off: what notebooks import must be cached
	// (make deps-test runs go mod download).
	run(t, root, append(os.Environ(), "GOPROXY=off"), "go", "mod", "download")

	k := Kernel{
		Gonb:    filepath.Join(tools, "gonb"),
		Tools:   tools,
		GoRoot:  goroot,
		Repo:    root,
		DataDir: filepath.Join(tmp, "jupyter-data"),
		Args:    []string{"--raw_error", "--logtostderr=false", "--log_dir=" + logDir},
	}
	spec, out, err := k.Install()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if withGopls && strings.Contains(out, "not installed") {
		t.Errorf("gonb --install still says a tool is missing:\n%s", out)
	}
	data, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	var ks struct {
		Argv []string
		Env  map[string]string
	}
	if err := json.Unmarshal(data, &ks); err != nil {
		t.Fatal(err)
	}
	argv := strings.Join(ks.Argv, " ")
	for _, want := range []string{"-raw_error=true", "-logtostderr=false", "-log_dir=" + logDir, "-go_work=" + root} {
		if !strings.Contains(argv, want) {
			t.Fatalf("gonb --install did not carry %s into kernel.json: %s", want, argv)
		}
	}
	if got, want := ks.Env["PATH"], k.KernelPath(); got != want {
		t.Fatalf("kernel.json env PATH = %q, want %q", got, want)
	}
	return &kernel{env: cleanEnv(t, venv, tmp, gocache, gomodcache), venv: venv, root: root, artefacts: artefacts}
}

// cleanEnv is the environment Jupyter runs with in the tests: HOME, a PATH
// of the venv's bin folder (Jupyter's) and the system's (never the tool folder, nor Go's
// bin unless it is a system folder), private Jupyter folders, the Go caches
// the tools were built with, GOPROXY=off and GOTOOLCHAIN=local (no network),
// and BACKPROP_DATA/BACKPROP_ECHARTS/CI if set.
func cleanEnv(t *testing.T, venv, tmp, gocache, gomodcache string) []string {
	t.Helper()
	// Leave out a system folder that holds goimports or gopls, so the run
	// proves the kernelspec carries them.
	path := []string{venv}
	for _, d := range []string{"/usr/local/bin", "/usr/bin", "/bin"} {
		_, errImports := os.Stat(filepath.Join(d, "goimports"))
		_, errGopls := os.Stat(filepath.Join(d, "gopls"))
		if d != path[0] && errImports != nil && errGopls != nil {
			path = append(path, d)
		}
	}
	if _, err := os.Stat(filepath.Join(path[0], "goimports")); err == nil {
		t.Fatalf("goimports is in %s, beside jupyter: the tests cannot prove the kernel finds its own", path[0])
	}
	env := []string{
		"PATH=" + strings.Join(path, string(filepath.ListSeparator)),
		"HOME=" + os.Getenv("HOME"),
		"LANG=C.UTF-8",
		"JUPYTER_DATA_DIR=" + filepath.Join(tmp, "jupyter-data"),
		"JUPYTER_CONFIG_DIR=" + filepath.Join(tmp, "jupyter-config"),
		"JUPYTER_RUNTIME_DIR=" + filepath.Join(tmp, "jupyter-runtime"),
		"GOCACHE=" + gocache,
		"GOMODCACHE=" + gomodcache,
		"GOPROXY=off",       // notebooks need no network at run time
		"GOTOOLCHAIN=local", // nor another Go toolchain
	}
	for _, k := range []string{"BACKPROP_DATA", "BACKPROP_ECHARTS", "CI", "XDG_CACHE_HOME", "GOFLAGS"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// execute runs one notebook with jupyter nbconvert and checks the result.
func (k *kernel) execute(t *testing.T, path string) {
	name := nameOf(path)
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-30*time.Second)) // leave time to report
		defer cancel()
	}
	// --allow-errors: the executed copy always gets written, with every cell's
	// outputs; CheckExecuted decides what is an error.
	cmd := exec.CommandContext(ctx, filepath.Join(k.venv, "jupyter"), "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
		"--ExecutePreprocessor.kernel_name=gonb",
		fmt.Sprintf("--ExecutePreprocessor.timeout=%d", int(cellTimeout.Seconds())),
		"--output-dir", k.artefacts, abs)
	cmd.Env = k.env
	cmd.Dir = t.TempDir() // nothing may depend on where Jupyter starts
	// Kill the kernel and the cell programs with nbconvert on timeout.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	out, err := cmd.CombinedOutput()
	elapsed := time.Since(start).Round(time.Millisecond)
	logPath := filepath.Join(k.artefacts, filepath.Base(name)+".log")
	if werr := os.WriteFile(logPath, out, 0o644); werr != nil {
		t.Error(werr)
	}
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			t.Fatalf("%s: stopped after %s at the test deadline: raise go test -timeout; log in %s:\n%s", path, elapsed, logPath, tail(out))
		}
		t.Fatalf("%s: jupyter nbconvert: %v after %s; log in %s:\n%s", path, err, elapsed, logPath, tail(out))
	}
	result := filepath.Join(k.artefacts, filepath.Base(path))
	data, err := os.ReadFile(result)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", result, err)
	}
	for _, p := range CheckExecuted(nb) {
		t.Errorf("%s: %s", path, p)
	}
	t.Logf("%s executed in %s; with outputs: %s", path, elapsed, result)
	k.checkLayout(t, result)
}

// run runs a command in dir (env nil: the test's own) and returns its
// standard output; it fails the test on error.
func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s%s", strings.Join(cmd.Args, " "), err, out, stderr.String())
	}
	return string(out)
}

// gonbModLine returns the "mod github.com/janpfeifer/gonb vX" line of go
// version -m (gonb --version prints a stale number).
func gonbModLine(versionM string) string {
	for _, l := range strings.Split(versionM, "\n") {
		if f := strings.Fields(l); len(f) >= 3 && f[0] == "mod" && f[1] == "github.com/janpfeifer/gonb" {
			return "gonb " + f[2]
		}
	}
	return "gonb version unknown"
}

// tail returns the end of a long log.
func tail(b []byte) string {
	const n = 3000
	if len(b) > n {
		return "…" + string(b[len(b)-n:])
	}
	return string(b)
}
