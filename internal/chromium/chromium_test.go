package chromium

import (
	"os"
	"path/filepath"
	"testing"
)

// fakeBin makes an executable file named name in dir.
func fakeBin(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPathPrefersTheEnvironment(t *testing.T) {
	t.Setenv("CHROMIUM", "/opt/my/chrome")
	t.Setenv("PATH", t.TempDir())
	if got := Path(); got != "/opt/my/chrome" {
		t.Errorf("Path() = %q with CHROMIUM set; want /opt/my/chrome", got)
	}
}

func TestPathLooksUpTheNamesInOrder(t *testing.T) {
	t.Setenv("CHROMIUM", "")
	dir := t.TempDir()
	t.Setenv("PATH", dir)
	if got := Path(); got != "" {
		t.Errorf("Path() = %q with nothing on PATH; want \"\"", got)
	}
	browser := fakeBin(t, dir, "chromium-browser")
	if got := Path(); got != browser {
		t.Errorf("Path() = %q; want %q", got, browser)
	}
	debian := fakeBin(t, dir, "chromium")
	if got := Path(); got != debian {
		t.Errorf("Path() = %q with both on PATH; want Debian's %q first", got, debian)
	}
}
