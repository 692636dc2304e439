package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/grading/corpus"
)

// specLayers are layer forgeries that only a specification can refuse,
// with the specified layer to check them against: without -spec,
// cmd/gradcheck checks only that the gradients agree with the layer's own
// Forward, and a self-consistent forgery passes that check (its verdict
// says so).
var specLayers = map[string]string{
	"zero Forward and zero Backward (self-consistent)": "dense-relu",
}

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
			var args []string
			if spec, ok := specLayers[l.Name]; ok {
				args = []string{"-spec", spec}
			}
			code, out, errOut := runCmd(t, append(args, dir)...)
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
			code, out, _ = runCmd(t, append(append([]string{"-json"}, args...), dir)...)
			if code != 1 || !strings.Contains(out, `"score": 0,`) {
				t.Errorf("-json: exit %d, want 1 and score 0:\n%s", code, out)
			}
		})
	}
}
