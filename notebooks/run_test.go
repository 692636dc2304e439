//go:build unix

package notebooks

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
)

// debianPackages provide the headless Jupyter tooling the execution test
// needs (jupyter-core comes with them).
const debianPackages = "jupyter-nbconvert python3-nbclient jupyter-client"

// cellTimeout bounds one cell's run (nbclient's per-cell timeout): generous,
// for training cells on 2 shared cores.
const cellTimeout = 20 * time.Minute

// kernel is a GoNB kernel installed for the test: the environment that
// jupyter nbconvert runs with, and where the executed notebooks go.
type kernel struct {
	env       []string
	artefacts string
}

// TestNotebooks executes every notebook with a real GoNB kernel, built from
// the versions pinned in go.mod, and checks the executed copy (see
// CheckExecuted). The copies, nbconvert's log and GoNB's logs are kept in
// notebooks/out/ or $ARTIFACTS_DIR/notebooks.
func TestNotebooks(t *testing.T) {
	files := notebookFiles(t)
	if testing.Short() {
		t.Skip("executing notebooks is slow; skipped in -short mode")
	}
	requireJupyter(t)
	k := installKernel(t)
	for _, path := range files {
		// One after the other: a GoNB cell compiles with every core it finds.
		t.Run(strings.TrimSuffix(path, ".ipynb"), func(t *testing.T) { k.execute(t, path) })
	}
}

// requireJupyter skips the test (fails it when CI is set) if jupyter
// nbconvert, nbclient's jupyter execute or jupyter-client's jupyter
// kernelspec is missing.
func requireJupyter(t *testing.T) {
	t.Helper()
	// jupyter runs its subcommand "jupyter X" as the program jupyter-X.
	var missing []string
	for _, prog := range []string{"jupyter", "jupyter-nbconvert", "jupyter-execute", "jupyter-kernelspec"} {
		if _, err := exec.LookPath(prog); err != nil {
			missing = append(missing, prog)
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("executing notebooks needs Jupyter's headless tooling (nbconvert, nbclient, jupyter-client); on Debian: apt-get install %s\nnot on PATH: %s",
		debianPackages, strings.Join(missing, ", "))
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// installKernel builds gonb and goimports from go.mod's pinned versions
// (into $NOTEBOOK_TOOLS_DIR, or backprop-notebook-tools beside GOCACHE),
// makes sure every module go.mod requires is in the module cache, and
// installs the kernelspec (plain-text errors, logs to files) into a
// temporary Jupyter data directory.
func installKernel(t *testing.T) *kernel {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	artefacts := filepath.Join(root, "notebooks", "out")
	if dir := os.Getenv("ARTIFACTS_DIR"); dir != "" {
		artefacts = filepath.Join(dir, "notebooks")
	}
	logDir := filepath.Join(artefacts, "gonb-logs")
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		t.Fatal(err)
	}
	goEnv := strings.Fields(run(t, root, nil, "go", "env", "GOROOT", "GOCACHE"))
	if len(goEnv) != 2 {
		t.Fatalf("go env GOROOT GOCACHE: %q", goEnv)
	}
	goroot, gocache := goEnv[0], goEnv[1]
	tmp := t.TempDir()

	// go build relinks only when an input changed, so keeping the binaries
	// beside the Go build cache makes warm runs fast (and a fresh GOCACHE
	// gives a cold run).
	tools := os.Getenv("NOTEBOOK_TOOLS_DIR")
	if tools == "" && filepath.IsAbs(gocache) {
		tools = filepath.Join(filepath.Dir(gocache), "backprop-notebook-tools")
	} else if tools == "" {
		tools = filepath.Join(tmp, "bin") // GOCACHE=off
	}
	start := time.Now()
	run(t, root, nil, "go", "build", "-o", tools+string(filepath.Separator),
		"github.com/janpfeifer/gonb", "golang.org/x/tools/cmd/goimports")
	version := run(t, root, nil, "go", "version", "-m", filepath.Join(tools, "gonb"))
	t.Logf("built gonb and goimports in %s (%s)", time.Since(start).Round(time.Millisecond), gonbModLine(version))
	// The kernel runs with GOPROXY=off: what notebooks import must be cached now.
	run(t, root, nil, "go", "mod", "download")

	env := append(os.Environ(),
		"PATH="+tools+string(filepath.ListSeparator)+filepath.Join(goroot, "bin")+string(filepath.ListSeparator)+os.Getenv("PATH"),
		"JUPYTER_DATA_DIR="+filepath.Join(tmp, "jupyter-data"),
		"JUPYTER_CONFIG_DIR="+filepath.Join(tmp, "jupyter-config"),
		"JUPYTER_RUNTIME_DIR="+filepath.Join(tmp, "jupyter-runtime"),
		"GOPROXY=off",       // notebooks need no network at run time
		"GOTOOLCHAIN=local", // nor another Go toolchain
	)
	// gopls (autocompletion only) is not installed: --force_deps.
	run(t, root, env, filepath.Join(tools, "gonb"), "--install", "--force_deps",
		"--raw_error", "--logtostderr=false", "--log_dir="+logDir)
	spec, err := os.ReadFile(filepath.Join(tmp, "jupyter-data", "kernels", "gonb", "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ks struct{ Argv []string }
	if err := json.Unmarshal(spec, &ks); err != nil {
		t.Fatal(err)
	}
	argv := strings.Join(ks.Argv, " ")
	for _, want := range []string{"-raw_error=true", "-logtostderr=false", "-log_dir=" + logDir} {
		if !strings.Contains(argv, want) {
			t.Fatalf("gonb --install did not carry %s into kernel.json: %s", want, argv)
		}
	}
	return &kernel{env: env, artefacts: artefacts}
}

// execute runs one notebook with jupyter nbconvert and checks the result.
func (k *kernel) execute(t *testing.T, path string) {
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
	cmd := exec.CommandContext(ctx, "jupyter", "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
		"--ExecutePreprocessor.kernel_name=gonb",
		fmt.Sprintf("--ExecutePreprocessor.timeout=%d", int(cellTimeout.Seconds())),
		"--output-dir", k.artefacts, abs)
	cmd.Env = k.env
	cmd.Dir = t.TempDir() // the setup cell must not depend on where Jupyter starts
	// Kill the kernel and the cell programs with nbconvert on timeout.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	out, err := cmd.CombinedOutput()
	elapsed := time.Since(start).Round(time.Millisecond)
	logPath := filepath.Join(k.artefacts, strings.TrimSuffix(path, ".ipynb")+".log")
	if werr := os.WriteFile(logPath, out, 0o644); werr != nil {
		t.Error(werr)
	}
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			t.Fatalf("%s: stopped after %s at the test deadline: raise go test -timeout; log in %s:\n%s", path, elapsed, logPath, tail(out))
		}
		t.Fatalf("%s: jupyter nbconvert: %v after %s; log in %s:\n%s", path, err, elapsed, logPath, tail(out))
	}
	result := filepath.Join(k.artefacts, path)
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
