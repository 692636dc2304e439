package nbtool

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVenv checks how Venv finds the environment: $BACKPROP_VENV first,
// else .venv in the root; every program present and executable, or an error
// naming the folder, what is missing and make venv.
func TestVenv(t *testing.T) {
	mk := func(dir string, progs ...string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, p := range progs {
			if err := os.WriteFile(filepath.Join(dir, "bin", p), []byte("#!/bin/sh\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	root := t.TempDir()
	t.Setenv(VenvVar, "")
	if _, err := Venv(root); err == nil || !strings.Contains(err.Error(), filepath.Join(root, ".venv")) || !strings.Contains(err.Error(), "make venv") {
		t.Errorf("Venv without an environment: err = %v, want one naming %s/.venv and make venv", err, root)
	}
	mk(filepath.Join(root, ".venv"), venvPrograms[:len(venvPrograms)-1]...)
	if _, err := Venv(root); err == nil || !strings.Contains(err.Error(), "python3") {
		t.Errorf("Venv without python3: err = %v, want one naming python3", err)
	}
	mk(filepath.Join(root, ".venv"), "python3")
	if bin, err := Venv(root); err != nil || bin != filepath.Join(root, ".venv", "bin") {
		t.Errorf("Venv(root) = %q, %v; want %s/.venv/bin", bin, err, root)
	}
	other := t.TempDir()
	t.Setenv(VenvVar, other)
	if _, err := Venv(root); err == nil || !strings.Contains(err.Error(), other) {
		t.Errorf("Venv with %s=%s (empty): err = %v, want one naming it", VenvVar, other, err)
	}
	mk(other, venvPrograms...)
	if err := os.Chmod(filepath.Join(other, "bin", "jupyter"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Venv(root); err == nil || !strings.Contains(err.Error(), "[jupyter]") {
		t.Errorf("Venv with a jupyter that is not executable: err = %v", err)
	}
	if err := os.Chmod(filepath.Join(other, "bin", "jupyter"), 0o755); err != nil {
		t.Fatal(err)
	}
	if bin, err := Venv(root); err != nil || bin != filepath.Join(other, "bin") {
		t.Errorf("Venv(root) with %s = %q, %v; want %s/bin", VenvVar, bin, err, other)
	}
}
