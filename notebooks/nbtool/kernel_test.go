//go:build unix

package nbtool

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestKernelCompletion asks a real GoNB kernel, installed as make kernel
// installs it (gopls included) and started by jupyter_client in a clean
// environment from the lessons' folder, what a front end asks while a
// learner types: completing "nn.Ne" must offer New and NewDense, and
// inspecting lesson.NewTrace must show its doc comment.
func TestKernelCompletion(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a kernel and gopls; skipped in -short mode")
	}
	k := installKernel(t, true)

	const imports = "import (\n\t\"github.com/backprop-lab/backprop/lesson\"\n\t\"github.com/backprop-lab/backprop/nn\"\n)\n\nvar _ = lesson.NewTrace\nvar _ = nn.New\n"
	completeCode := "%%\nnet := nn.Ne"
	inspectCode := "%%\ntr := lesson.NewTrace"
	req := map[string]any{
		"execute":  []string{SetupCell, imports},
		"complete": []map[string]any{{"code": completeCode, "cursor_pos": len([]rune(completeCode))}},
		"inspect":  []map[string]any{{"code": inspectCode, "cursor_pos": len([]rune(inspectCode)) - 2}},
		"budget":   240, // seconds for gopls to load the workspace, on 2 busy cores
	}
	in, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	script, err := filepath.Abs(filepath.Join("testdata", "complete.py"))
	if err != nil {
		t.Fatal(err)
	}
	// The venv's python3 has jupyter_client.
	cmd := exec.CommandContext(ctx, filepath.Join(k.venv, "python3"), script, filepath.Join(k.root, LessonsDir))
	cmd.Env = k.env
	cmd.Dir = t.TempDir()
	cmd.Stdin = strings.NewReader(string(in))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if werr := os.WriteFile(filepath.Join(k.artefacts, "completion.log"), []byte(stderr.String()), 0o644); werr != nil {
		t.Error(werr)
	}
	if err != nil {
		t.Fatalf("complete.py: %v\n%s", err, tail([]byte(stderr.String())))
	}
	var got struct {
		Execute []struct {
			Status  string
			Outputs []map[string]any
		}
		Complete []struct {
			Status   string
			Matches  []string
			Attempts int
			Seconds  float64
		}
		Inspect []struct {
			Status   string
			Found    bool
			Data     map[string]string
			Attempts int
			Seconds  float64
		}
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("complete.py printed %q: %v", out, err)
	}
	for i, e := range got.Execute {
		if e.Status != "ok" {
			t.Fatalf("execute %d: status %q, outputs %v", i+1, e.Status, e.Outputs)
		}
	}
	if len(got.Complete) != 1 || len(got.Inspect) != 1 {
		t.Fatalf("replies: %d complete, %d inspect; want 1 each", len(got.Complete), len(got.Inspect))
	}
	c := got.Complete[0]
	t.Logf("completing %q: %q (%d attempts, %.1f s)", "nn.Ne", c.Matches, c.Attempts, c.Seconds)
	for _, want := range []string{"New", "NewDense"} {
		found := false
		for _, m := range c.Matches {
			found = found || m == want || strings.HasSuffix(m, "."+want)
		}
		if !found {
			t.Errorf("completing nn.Ne: status %q, matches %q; want %s among them", c.Status, c.Matches, want)
		}
	}
	in2 := got.Inspect[0]
	text := in2.Data["text/plain"] + in2.Data["text/markdown"]
	t.Logf("inspecting lesson.NewTrace (%d attempts, %.1f s): %.300q", in2.Attempts, in2.Seconds, text)
	if in2.Status != "ok" || !in2.Found {
		t.Fatalf("inspecting lesson.NewTrace: status %q, found %v", in2.Status, in2.Found)
	}
	doc := docComment(t, filepath.Join(k.root, "lesson"), "NewTrace")
	// The markdown form escapes _ and * with a backslash.
	plain := markdownEscape.ReplaceAllString(strings.Join(strings.Fields(text), " "), "$1")
	if !strings.Contains(plain, doc) {
		t.Errorf("inspecting lesson.NewTrace shows\n%s\nwithout its doc comment's first sentence %q", text, doc)
	}
}

// markdownEscape matches a markdown backslash escape.
var markdownEscape = regexp.MustCompile(`\\([\\_*\x60\[\]()#+.!-])`)

// docComment returns the first line of the doc comment of func name in
// the package in dir, whitespace-normalized, from go doc.
func docComment(t *testing.T, dir, name string) string {
	t.Helper()
	out := run(t, dir, nil, "go", "doc", ".", name)
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "    ") && strings.TrimSpace(l) != "" {
			return strings.Join(strings.Fields(l), " ")
		}
	}
	t.Fatalf("go doc %s has no doc comment:\n%s", name, out)
	return ""
}
