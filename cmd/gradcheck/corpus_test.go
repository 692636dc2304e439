package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/grading/corpus"
)

// pendingLayers are layer forgeries that cmd/gradcheck cannot refuse yet
// (name → why). A pending forgery that passes is logged; one that fails is
// an error here, to take it off this list. None is pending: the layers are
// graded against their specification (-spec dense-relu, as a grader names
// the layer the assignment asks for), so a self-consistent layer of zeros
// fails too.
var pendingLayers = map[string]string{}

// writeLayer writes l's tree, with its links, and returns the package's
// directory.
func writeLayer(t *testing.T, l corpus.Layer) string {
	t.Helper()
	root := t.TempDir()
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.go"), []byte("TOPSECRET package student\n"), 0o644)
	os.MkdirAll(filepath.Join(outside, "util"), 0o755)
	os.WriteFile(filepath.Join(outside, "util", "util.go"), []byte("package util\n\n// TOPSECRET\n"), 0o644)
	for name, data := range l.Files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range l.Symlinks {
		target = strings.Replace(target, "OUTSIDE", outside, 1)
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(root, filepath.FromSlash(l.Dir))
}

// cmd/gradcheck on the corpus's layers: every forgery fails (exit 1,
// in text and results.json with score 0), naming why and never echoing a
// link's target; every correct one passes.
func TestCorpusLayers(t *testing.T) {
	for _, l := range corpus.Layers {
		t.Run(l.Name, func(t *testing.T) {
			dir := writeLayer(t, l)
			code, out, errOut := runCmd(t, "-spec", "dense-relu", dir)
			if strings.Contains(out+errOut, "TOPSECRET") {
				t.Errorf("a link's target was read:\n%s%s", out, errOut)
			}
			if strings.ContainsAny(out, "\x1b\r\u202e") {
				t.Errorf("output keeps a control character:\n%q", out)
			}
			if !l.Forged {
				if code != 0 {
					t.Errorf("correct layer: exit %d\n%s%s", code, out, errOut)
				}
				return
			}
			for _, line := range strings.Split(out, "\n") {
				if l.Forged && (line == "PASS" || strings.HasPrefix(line, "✓")) {
					t.Errorf("a forged layer shows a pass line %q:\n%s", line, out)
				}
			}
			if code != 1 || !strings.Contains(out, l.Want) {
				t.Errorf("exit %d, want 1 with %q:\n%s%s", code, l.Want, out, errOut)
			}
			code, out, _ = runCmd(t, "-spec", "dense-relu", "-json", dir)
			if code != 1 || !strings.Contains(out, `"score": 0,`) {
				t.Errorf("-json: exit %d, want 1 and score 0:\n%s", code, out)
			}
		})
	}
}
