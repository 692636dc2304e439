//go:build unix

package nbtool

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/backprop-lab/backprop/internal/chromium"
	"github.com/backprop-lab/backprop/internal/testenv"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// labCheckJS holds the page-side helpers of the JupyterLab run (window.__bp).
//
//go:embed lab_check.js
var labCheckJS string

// labSettings are the JupyterLab user settings of the test server (a
// temporary JUPYTERLAB_SETTINGS_DIR): autosave off, so a check never
// rewrites a notebook, and no news or update fetching (no network). Every
// other setting is JupyterLab's default, as a learner gets it.
var labSettings = map[string]string{
	"@jupyterlab/docmanager-extension/plugin.jupyterlab-settings":     `{"autosave": false}`,
	"@jupyterlab/apputils-extension/notification.jupyterlab-settings": `{"fetchNews": "false", "checkForUpdates": false}`,
}

// labRunTimeout bounds one notebook's Run All in JupyterLab.
const labRunTimeout = 30 * time.Minute

// TestNotebooksJupyterLab runs every notebook in JupyterLab 4 from the
// project's venv (see [Venv]), on the kernel TestNotebooks uses, from
// headless Chromium driven over the DevTools protocol: it opens the
// notebook, runs "Run All Cells", waits until the kernel is idle and the
// charts settle, then fails on a code cell that did not run, an error output
// (outside cells tagged raises-exception), a stderr "panic:" or "exit
// status", or an ECharts chart without painted pixels; the executed notebook,
// exported from the page, must pass CheckExecuted like the nbconvert run,
// and the notebook file must be unchanged (autosave is off). The server runs
// in a clean environment (the kernel finds its tools alone); its log, the
// exported notebooks and screenshots of failures go to the artefacts folder.
func TestNotebooksJupyterLab(t *testing.T) {
	files := notebookFiles(t)
	if testing.Short() {
		t.Skip("running notebooks in JupyterLab is slow; skipped in -short mode")
	}
	bin := chromium.Path()
	if bin == "" {
		testenv.Missing(t, "running the notebooks in JupyterLab needs Chromium (Debian's chromium, or set $CHROMIUM)")
	}
	k := installKernel(t, false)
	out := filepath.Join(k.artefacts, "jupyterlab")
	if err := os.MkdirAll(filepath.Join(out, "executed"), 0o755); err != nil {
		t.Fatal(err)
	}
	url, token := startJupyter(t, k, "lab", k.root, out)
	b := startBrowser(t, bin, out)
	version := b.openLab(t, url, token)
	t.Logf("JupyterLab %s at %s", version, url)
	// The checker first shows, on a notebook made to fail, that it catches
	// each kind of failure.
	t.Run("checker", func(t *testing.T) {
		problems := b.checkNotebook(t, "notebooks/nbtool/testdata/lab-failures.ipynb", out)
		for _, want := range []string{
			"stderr in cell 2 (exit): exit status 1",
			"chart not painted: self-test",
			"error output in cell 4 (panic)",
		} {
			found := false
			for _, p := range problems {
				found = found || strings.Contains(p, want)
			}
			if !found {
				t.Errorf("the checker missed %q; it found:\n%s", want, strings.Join(problems, "\n"))
			}
		}
	})
	for _, path := range files {
		t.Run(nameOf(path), func(t *testing.T) {
			abs, err := filepath.Abs(path)
			if err != nil {
				t.Fatal(err)
			}
			rel, err := filepath.Rel(k.root, abs)
			if err != nil {
				t.Fatal(err)
			}
			before, err := os.ReadFile(abs)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range b.checkNotebook(t, filepath.ToSlash(rel), out) {
				t.Error(p)
			}
			after, err := os.ReadFile(abs)
			if err != nil {
				t.Fatal(err)
			}
			if sha256.Sum256(before) != sha256.Sum256(after) {
				t.Errorf("%s changed on disk while JupyterLab ran it (autosave must be off)", rel)
			}
		})
	}
}

// TestNotebook7 starts Notebook 7 from the venv on the lessons' folder, as
// `.venv/bin/jupyter notebook` run in notebooks/ does, and checks that it
// serves its file list and a lesson's page (Jupyter Notebook 7.x) and
// lists the GoNB kernel.
func TestNotebook7(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Jupyter server; skipped in -short mode")
	}
	k := installKernel(t, false)
	out := filepath.Join(k.artefacts, "notebook7")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	url, token := startJupyter(t, k, "notebook", filepath.Join(k.root, LessonsDir), out)
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(url + path + "?token=" + token)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s", path, resp.Status)
		}
		return string(body)
	}
	files, err := Notebooks(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"/tree", "/notebooks/" + filepath.ToSlash(strings.TrimPrefix(files[0], LessonsDir+"/"))} {
		body := get(page)
		if !strings.Contains(body, `"appName": "Jupyter Notebook"`) || !strings.Contains(body, `"appVersion": "7.`) {
			t.Errorf("GET %s did not serve Jupyter Notebook 7", page)
		}
	}
	var specs struct{ Kernelspecs map[string]any }
	if err := json.Unmarshal([]byte(get("/api/kernelspecs")), &specs); err != nil {
		t.Fatal(err)
	}
	if _, ok := specs.Kernelspecs["gonb"]; !ok {
		t.Errorf("Notebook 7 lists the kernels %v, no gonb", specs.Kernelspecs)
	}
}

// startJupyter starts app ("lab": JupyterLab 4, or "notebook": Notebook 7)
// from the venv on a free loopback port with root as its root, as make
// notebooks does (on the lessons' folder, with the learners' Jupyter
// configuration, LearnerJupyterDir) but with private settings
// (labSettings), workspaces and checkpoints, and JupyterLab's app exposed
// to the page (window.jupyterapp). It waits until /api/status answers and
// stops the server (its whole process group: the server and its kernels)
// when the test ends. The server's log goes to out/APP-server.log.
func startJupyter(t *testing.T, k *kernel, app, root, out string) (url, token string) {
	t.Helper()
	return startJupyterWith(t, k, app, root, out, learnerJupyterConfig(t))
}

// learnerJupyterConfig is LearnerJupyterDir's absolute path.
func learnerJupyterConfig(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join(repoRoot, LearnerJupyterDir))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// startJupyterWith is startJupyter with configPath (if not "") first on
// JUPYTER_CONFIG_PATH.
func startJupyterWith(t *testing.T, k *kernel, app, root, out, configPath string) (url, token string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	tmp := t.TempDir()
	settings := filepath.Join(tmp, "lab-settings")
	for name, v := range labSettings {
		p := filepath.Join(settings, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	token = fmt.Sprintf("%s-test-%d", app, os.Getpid())
	args := []string{app, "--no-browser",
		"--ServerApp.ip=127.0.0.1", fmt.Sprintf("--ServerApp.port=%d", port), "--ServerApp.port_retries=0",
		"--IdentityProvider.token=" + token,
		"--ServerApp.root_dir=" + root,
		"--FileCheckpoints.checkpoint_dir=" + filepath.Join(tmp, "checkpoints"),
	}
	if app == "lab" {
		args = append(args, "--LabApp.expose_app_in_browser=True")
	}
	if os.Geteuid() == 0 {
		args = append(args, "--allow-root")
	}
	cmd := exec.Command(filepath.Join(k.venv, "jupyter"), args...)
	cmd.Env = append(append([]string{}, k.env...),
		"JUPYTERLAB_SETTINGS_DIR="+settings,
		"JUPYTERLAB_WORKSPACES_DIR="+filepath.Join(tmp, "lab-workspaces"))
	if configPath != "" {
		cmd.Env = append(cmd.Env, "JUPYTER_CONFIG_PATH="+configPath)
	}
	cmd.Dir = tmp
	logf, err := os.Create(filepath.Join(out, app+"-server.log"))
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
	start := time.Now()
	for {
		resp, err := http.Get(url + "/api/status?token=" + token)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				t.Logf("jupyter %s answered after %s", app, time.Since(start).Round(time.Millisecond))
				return url, token
			}
		}
		if time.Since(start) > 120*time.Second {
			t.Fatalf("jupyter %s did not answer at %s within 120 s (log: %s)", app, url, logf.Name())
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// browser is one headless Chromium page, driven over the DevTools protocol.
type browser struct {
	ctx context.Context
	mu  sync.Mutex
	// exceptions are the page's uncaught exceptions, for the log.
	exceptions []string
}

// startBrowser starts Debian's headless Chromium with a private profile,
// resolving no host but the loopback address, and stops it when the test
// ends. Page dialogs (such as "leave the page?") are accepted.
func startBrowser(t *testing.T, bin, out string) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	b := &browser{ctx: ctx}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *page.EventJavascriptDialogOpening:
			// Listen's callback may not run commands: answer from another goroutine.
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			text := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				text = d.Exception.Description
			}
			b.mu.Lock()
			b.exceptions = append(b.exceptions, text)
			b.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// eval evaluates a JavaScript expression in the page, awaiting a promise,
// and decodes its JSON value into res (nil: ignore it).
func (b *browser) eval(timeout time.Duration, expr string, res any) error {
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
	if err != nil || res == nil {
		return err
	}
	return json.Unmarshal(raw, res)
}

// openLab loads JupyterLab in a fresh workspace (nothing restored from
// earlier runs), waits until it has started and installs lab_check.js. It
// returns JupyterLab's version.
func (b *browser) openLab(t *testing.T, url, token string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 3*time.Minute)
	defer cancel()
	ws := fmt.Sprintf("%s/lab/workspaces/lab-test-%d?reset&token=%s", url, os.Getpid(), token)
	if err := chromedp.Do(ctx, chromedp.Navigate(ws), chromedp.Poll[chromedp.Void]("!!window.jupyterapp", chromedp.WithPollingTimeout(3*time.Minute))); err != nil {
		t.Fatalf("JupyterLab did not start in the page: %v", err)
	}
	var version string
	if err := b.eval(3*time.Minute, "window.jupyterapp.restored.then(() => window.jupyterapp.version)", &version); err != nil {
		t.Fatalf("JupyterLab did not finish starting: %v", err)
	}
	if err := b.eval(time.Minute, labCheckJS, nil); err != nil {
		t.Fatalf("installing lab_check.js: %v", err)
	}
	if !strings.HasPrefix(version, "4.") {
		t.Fatalf("the page runs JupyterLab %s, want 4.x", version)
	}
	return version
}

// labTimeline is what lab_check.js's timelines() reports of one
// interactive figure after moving it to frame Target.
type labTimeline struct {
	ID                    string
	Frames, Start, Target int
	Reached               int
	Caption0, Caption     string
	Sig0, Sig             string
}

// problems says what is wrong with a figure that was driven: it has fewer
// than two frames, did not reach the frame it was sent to, or kept its
// caption (when it has one) or its pixels.
func (f labTimeline) problems() []string {
	var p []string
	switch {
	case f.Frames < 2:
		p = append(p, fmt.Sprintf("a timeline of %d frames", f.Frames))
	case f.Reached != f.Target:
		p = append(p, fmt.Sprintf("sent to frame %d, it shows frame %d", f.Target, f.Reached))
	}
	if f.Caption0 != "" && f.Caption == f.Caption0 {
		p = append(p, fmt.Sprintf("its caption did not change (%q)", f.Caption))
	}
	if f.Sig == "no canvas" || f.Sig == f.Sig0 {
		p = append(p, "its canvas did not redraw")
	}
	return p
}

// labCharts are the chart counts of lab_check.js's charts().
type labCharts struct {
	Found, Painted, Fallback, GaveUp int
	Unpainted                        []string
	ECharts                          string
}

// checkNotebook runs the notebook at rel (relative to the server root) and
// returns what is wrong with the result (see TestNotebooksJupyterLab); it
// fails the test when it cannot drive the page.
func (b *browser) checkNotebook(t *testing.T, rel, out string) (problems []string) {
	js := func(s string) string { q, _ := json.Marshal(s); return string(q) }
	var opened struct{ Kernel, Windowing string }
	if err := b.eval(5*time.Minute, "window.__bp.open("+js(rel)+")", &opened); err != nil {
		t.Fatalf("opening %s: %v", rel, err)
	}
	if opened.Kernel != "gonb" {
		t.Fatalf("%s opened with kernel %q, want gonb", rel, opened.Kernel)
	}
	defer func() {
		if err := b.eval(time.Minute, "window.__bp.close("+js(rel)+")", nil); err != nil {
			t.Errorf("closing %s: %v", rel, err)
		}
	}()
	if err := b.eval(time.Minute, "window.__bp.run("+js(rel)+")", nil); err != nil {
		t.Fatal(err)
	}
	type progress struct {
		Done     bool
		Kernel   string
		Charts   labCharts
		Seconds  float64
		RunError string
	}
	var p progress
	deadline := time.Now().Add(labRunTimeout)
	for {
		if err := b.eval(time.Minute, "window.__bp.progress("+js(rel)+")", &p); err != nil {
			t.Fatal(err)
		}
		if p.Done || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Second)
	}
	if !p.Done {
		b.screenshot(t, filepath.Join(out, strings.ReplaceAll(Name(rel), "/", "_")+"-timeout.png"))
		t.Fatalf("%s: Run All did not finish in %s", rel, labRunTimeout)
	}
	// Let the chart scripts finish (they retry for up to 10 s) and the
	// kernel become idle: stop when the counts are stable for 3 s.
	settle := func() {
		var last progress
		stable := time.Now()
		for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(500 * time.Millisecond) {
			if err := b.eval(time.Minute, "window.__bp.progress("+js(rel)+")", &p); err != nil {
				t.Fatal(err)
			}
			c := p.Charts
			if c.Found != last.Charts.Found || c.Painted != last.Charts.Painted || c.GaveUp != last.Charts.GaveUp || p.Kernel != last.Kernel {
				last, stable = p, time.Now()
			} else if time.Since(stable) >= 3*time.Second && p.Kernel == "idle" && c.Painted+c.GaveUp >= c.Found {
				return
			}
		}
	}
	settle()
	if p.Charts.Painted < p.Charts.Found {
		// Cells out of view render lazily (JupyterLab's windowing): scroll
		// to each unpainted chart as a reader would, then count again.
		var n int
		if err := b.eval(5*time.Minute, "window.__bp.revealUnpainted("+js(rel)+")", &n); err != nil {
			t.Fatal(err)
		}
		settle()
		t.Logf("%d charts scrolled into view", n)
	}
	var s struct {
		Cells, Code, Executed, ExpectedErrors int
		Errors, Stderr                        []string
	}
	if err := b.eval(time.Minute, "window.__bp.stats("+js(rel)+")", &s); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: Run All %.1f s; %d/%d code cells run; %d errors (%d expected); charts %d, painted %d, fallback %d; ECharts %q",
		rel, p.Seconds, s.Executed, s.Code, len(s.Errors), s.ExpectedErrors, p.Charts.Found, p.Charts.Painted, p.Charts.Fallback, p.Charts.ECharts)
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if p.RunError != "" {
		fail("%s: Run All failed: %s", rel, p.RunError)
	}
	if s.Executed < s.Code {
		fail("%s: %d of %d code cells did not run", rel, s.Code-s.Executed, s.Code)
	}
	for _, e := range s.Errors {
		fail("%s: error output in %s", rel, e)
	}
	for _, e := range s.Stderr {
		fail("%s: stderr in %s", rel, e)
	}
	for _, u := range p.Charts.Unpainted {
		fail("%s: chart not painted: %s", rel, u)
	}
	if p.Charts.Found > 0 && p.Charts.ECharts == "" {
		fail("%s: %d charts but no ECharts in the page", rel, p.Charts.Found)
	}
	// The interactive figures: each is moved to another frame, as a
	// learner moving its slider would, and must get there and redraw.
	var figs []labTimeline
	if err := b.eval(5*time.Minute, "window.__bp.timelines("+js(rel)+")", &figs); err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		t.Logf("%s: interactive figure %s: %d frames, moved %d → %d (wanted %d); caption %q → %q",
			rel, f.ID, f.Frames, f.Start, f.Reached, f.Target, f.Caption0, f.Caption)
		for _, pr := range f.problems() {
			fail("%s: interactive figure %s: %s", rel, f.ID, pr)
		}
	}
	var model string
	if err := b.eval(time.Minute, "window.__bp.model("+js(rel)+")", &model); err != nil {
		t.Fatal(err)
	}
	exported := filepath.Join(out, "executed", filepath.Base(rel))
	t.Logf("exported from the page: %s", exported)
	if err := os.WriteFile(exported, []byte(model), 0o644); err != nil {
		t.Fatal(err)
	}
	nb, err := Parse([]byte(model))
	if err != nil {
		t.Fatalf("%s as exported from JupyterLab: %v", rel, err)
	}
	for _, pr := range CheckExecuted(nb) {
		fail("%s in JupyterLab: %s", rel, pr)
	}
	if len(problems) > 0 {
		b.screenshot(t, filepath.Join(out, strings.ReplaceAll(Name(rel), "/", "_")+"-failed.png"))
		b.mu.Lock()
		t.Logf("page exceptions so far: %q", b.exceptions)
		b.mu.Unlock()
	}
	return problems
}

// screenshot saves the page's viewport as a PNG (an artefact), logging
// where.
func (b *browser) screenshot(t *testing.T, path string) {
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Logf("screenshot: %v", err)
		return
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Log(err)
		return
	}
	t.Logf("screenshot: %s", path)
}
