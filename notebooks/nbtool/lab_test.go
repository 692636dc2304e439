//go:build unix

package nbtool

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// labDebianPackages serve the JupyterLab front end and let lab_check.py
// drive it (Node ≥ 18 and npm build it: make lab).
const labDebianPackages = "python3-jupyter-server python3-jupyterlab-server python3-websocket libjs-mathjax chromium"

// TestNotebooksJupyterLab runs every notebook in a real JupyterLab 3.6 (the
// npm-built front end of ../shared/tools/jupyterlab, served by Debian's
// jupyter_server), on the kernel TestNotebooks uses, from headless
// Chromium: run all cells, then no error outputs, every code cell executed,
// every chart painted (lab_check.py), and the executed notebook, exported
// from the page, passes CheckExecuted like the nbconvert run. The server
// runs in a clean environment (the kernel finds its tools alone).
//
// $BACKPROP_JUPYTERLAB names the lab tools folder (default
// ../shared/tools/jupyterlab beside the repository) and $JL_APP_DIR the
// built app (default .cache/jupyterlab; make lab builds it).
func TestNotebooksJupyterLab(t *testing.T) {
	files := notebookFiles(t)
	if testing.Short() {
		t.Skip("running notebooks in JupyterLab is slow; skipped in -short mode")
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	lab, app := requireLab(t, root)
	k := installKernel(t, false)
	out := filepath.Join(k.artefacts, "jupyterlab")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	url, token := startLab(t, k, lab, app, out)
	for _, path := range files {
		t.Run(nameOf(path), func(t *testing.T) {
			rel, err := filepath.Rel(repoRoot, path)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(rel)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "/usr/bin/python3", filepath.Join(lab, "lab_check.py"),
				"--url", url, "--token", token, "--timeout", "1500",
				"--export-dir", filepath.Join(out, "executed"),
				"--json", filepath.Join(out, strings.TrimSuffix(name, ".ipynb")+".json"),
				filepath.ToSlash(rel))
			cmd.Env = k.env
			start := time.Now()
			res, err := cmd.CombinedOutput()
			t.Logf("lab_check.py %s (%s):\n%s", rel, time.Since(start).Round(time.Second), res)
			if err != nil {
				t.Fatalf("lab_check.py %s: %v", rel, err)
			}
			data, err := os.ReadFile(filepath.Join(out, "executed", name))
			if err != nil {
				t.Fatal(err)
			}
			nb, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range CheckExecuted(nb) {
				t.Errorf("%s in JupyterLab: %s", rel, p)
			}
		})
	}
}

// requireLab returns the lab tools folder and the built app, skipping the
// test (failing it when CI is set) if they or the Debian packages are
// missing.
func requireLab(t *testing.T, root string) (lab, app string) {
	t.Helper()
	lab = os.Getenv("BACKPROP_JUPYTERLAB")
	if lab == "" {
		lab = filepath.Join(filepath.Dir(root), "shared", "tools", "jupyterlab")
	}
	app = os.Getenv("JL_APP_DIR")
	if app == "" {
		app = filepath.Join(root, ".cache", "jupyterlab")
	}
	var missing []string
	if _, err := os.Stat(filepath.Join(lab, "lab_check.py")); err != nil {
		missing = append(missing, "the JupyterLab tools ("+lab+"; set BACKPROP_JUPYTERLAB)")
	}
	if _, err := os.Stat(filepath.Join(app, "build", "bundle.js")); err != nil {
		missing = append(missing, "the built JupyterLab app ("+app+"; run make lab)")
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import jupyter_server, jupyterlab_server, websocket").Run(); err != nil {
		missing = append(missing, "Debian's "+labDebianPackages)
	}
	if _, err := exec.LookPath("chromium"); err != nil {
		missing = append(missing, "chromium")
	}
	requireJupyter(t)
	if len(missing) == 0 {
		return lab, app
	}
	msg := "running the notebooks in JupyterLab needs " + strings.Join(missing, ", ") + " (make lab installs and builds them)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return "", ""
}

// startLab starts the JupyterLab server (run.sh) on a free port with the
// repository as its root, waits until it answers and stops it (its whole
// process group: the server and its kernels) when the test ends.
func startLab(t *testing.T, k *kernel, lab, app, out string) (url, token string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	token = fmt.Sprintf("lab-test-%d", os.Getpid())
	cmd := exec.Command(filepath.Join(lab, "run.sh"), fmt.Sprint(port), filepath.Join(k.root, LessonsDir), k.root)
	cmd.Env = append(append([]string{}, k.env...), "JL_APP_DIR="+app, "JL_TOKEN="+token,
		"JL_CHECKPOINT_DIR="+filepath.Join(t.TempDir(), "checkpoints"))
	cmd.Dir = t.TempDir()
	logf, err := os.Create(filepath.Join(out, "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		logf.Close()
	})
	url = fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(90 * time.Second)
	for {
		resp, err := http.Get(url + "/api/status?token=" + token)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return url, token
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("JupyterLab did not answer at %s within 90 s (log: %s)", url, logf.Name())
		}
		time.Sleep(500 * time.Millisecond)
	}
}
