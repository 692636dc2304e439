package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFileReplacesWholly(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.bin")
	if err := os.WriteFile(path, []byte("old content"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "new" {
		t.Errorf("content %q, %v; want \"new\"", got, err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("directory holds %v; want only f.bin (no temporary file left)", names)
	}
}

func TestAbortLeavesThePathAlone(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.bin")
	os.WriteFile(path, []byte("old"), 0o644)
	f, err := Create(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("half of the new cont")
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("while writing, path holds %q; want the old content", got)
	}
	f.Abort()
	f.Abort() // a deferred second Abort is harmless
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("after Abort, path holds %q; want the old content", got)
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("directory holds %v; want only f.bin", names)
	}
	if err := f.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
}

func TestCommitFailureRemovesTheTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	// Renaming a file over a non-empty directory fails.
	path := filepath.Join(dir, "taken")
	os.MkdirAll(filepath.Join(path, "x"), 0o755)
	f, err := Create(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("data")
	if err := f.Commit(); err == nil {
		t.Fatal("Commit over a non-empty directory succeeded")
	}
	if names := entries(t, dir); len(names) != 1 || names[0] != "taken" {
		t.Errorf("directory holds %v; want only the directory \"taken\"", names)
	}
}

func TestCreateInMissingDirectoryFails(t *testing.T) {
	if _, err := Create(filepath.Join(t.TempDir(), "no", "such", "f"), 0o644); err == nil {
		t.Error("Create in a missing directory succeeded")
	}
	if err := WriteFile(filepath.Join(t.TempDir(), "no", "f"), nil, 0o644); err == nil {
		t.Error("WriteFile in a missing directory succeeded")
	}
}

func TestWriteFileErrorNamesThePath(t *testing.T) {
	dir := t.TempDir()
	// A directory that does not exist: an error naming the path, nothing written.
	bad := filepath.Join(dir, "missing", "x")
	if err := WriteFile(bad, []byte("x"), 0o644); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("err = %v, want one naming %s", err, bad)
	}
	// A path that is a non-empty directory: the rename fails, nothing is left behind.
	taken := filepath.Join(dir, "taken")
	os.MkdirAll(filepath.Join(taken, "x"), 0o755)
	if err := WriteFile(taken, []byte("x"), 0o644); err == nil || !strings.Contains(err.Error(), taken) {
		t.Errorf("writing over a directory: err = %v, want one naming %s", err, taken)
	}
	if names := entries(t, dir); len(names) != 1 || names[0] != "taken" {
		t.Errorf("directory holds %v; want only \"taken\" (no temporary file left)", names)
	}
}

func TestWriteFileKeepsTheGivenMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.sh")
	if err := WriteFile(path, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o755 {
		t.Errorf("mode %v, want 0755", st.Mode().Perm())
	}
}
