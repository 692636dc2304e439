package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree writes files (slash path → contents) under a new directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// correctLayer is testdata/correct's layer, the base of the trees below.
func correctLayer(t *testing.T) string {
	data, err := os.ReadFile("testdata/correct/layer.go")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// Files the go command would not compile are neither read into the check
// nor built: //go:build ignore, another GOOS, _test.go, a leading _.
func TestReadStudentSkipsBuildIgnoredFiles(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"go.mod":             "module example.com/layer\n\ngo 1.26\n",
		"layer.go":           correctLayer(t),
		"gen.go":             "//go:build ignore\n\npackage main\n\nimport \"os\"\n\nfunc main() { os.Exit(0) }\n",
		"tool_windows.go":    "package student\n\nimport \"os\"\n\nvar _ = os.Args\n",
		"layer_test.go":      "package student\n\nimport \"os\"\n\nvar _ = os.Args\n",
		"_scratch.go":        "package main\n",
		"notes/readme.txt":   "not Go",
		"other/unused.go":    "package main\n\nimport \"os\"\n\nfunc main() { os.Exit(1) }\n",
		"other/also_test.go": "package main\n",
	})
	pkgs, modPath, err := readStudent(dir)
	if err != nil {
		t.Fatal(err)
	}
	if modPath != "example.com/layer" || len(pkgs) != 1 {
		t.Fatalf("module %q, %d packages; want example.com/layer and 1", modPath, len(pkgs))
	}
	if len(pkgs[0].files) != 1 || pkgs[0].files["layer.go"] == nil {
		var names []string
		for n := range pkgs[0].files {
			names = append(names, n)
		}
		t.Errorf("files %v, want only layer.go", names)
	}
	srcs, rules := studentSources(pkgs)
	if err := checkSource(srcs, rules); err != nil {
		t.Errorf("a build-ignored file fails the source check: %v", err)
	}
}

// A symbolic link is refused, and its target never read: the refusal
// names the link, not what it points to.
func TestReadStudentRefusesSymlinksUnread(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secret.go")
	os.WriteFile(secret, []byte("TOPSECRET package x\n"), 0o644)
	secretDir := writeTree(t, map[string]string{"util.go": "package util\n\n// TOPSECRET\nvar X = 1\n"})

	file := writeTree(t, map[string]string{"go.mod": "module example.com/layer\n", "layer.go": correctLayer(t)})
	if err := os.Symlink(secret, filepath.Join(file, "more.go")); err != nil {
		t.Fatal(err)
	}
	_, _, err := readStudent(file)
	if err == nil || !strings.Contains(err.Error(), "more.go is a symbolic link") || strings.Contains(err.Error(), "TOPSECRET") {
		t.Errorf("symlinked file: %v", err)
	}

	// A symlinked directory of the module that the layer imports.
	mod := writeTree(t, map[string]string{
		"go.mod":         "module example.com/layer\n",
		"layer/layer.go": strings.Replace(correctLayer(t), "import (\n", "import (\n\t_ \"example.com/layer/util\"\n", 1),
	})
	if err := os.Symlink(secretDir, filepath.Join(mod, "util")); err != nil {
		t.Fatal(err)
	}
	_, _, err = readStudent(filepath.Join(mod, "layer"))
	if err == nil || !strings.Contains(err.Error(), "symbolic link to a directory") || strings.Contains(err.Error(), "TOPSECRET") {
		t.Errorf("symlinked directory: %v", err)
	}
}

// The forged pass of a student module named like a module the grader
// links (golang.org/x/sys, whose replace once ran the student's init
// first): refused before anything is built.
func TestModulePathCollidingWithJudgeBuildIsRefused(t *testing.T) {
	for _, path := range []string{"golang.org/x/sys", "gonum.org/v1/gonum", "github.com/backprop-lab/backprop/student", "golang.org/x"} {
		dir := writeTree(t, map[string]string{"go.mod": "module " + path + "\n\ngo 1.26\n", "layer.go": correctLayer(t)})
		code, out, errOut := runCmd(t, dir)
		if code != 1 || !strings.Contains(out, "collides with module") || !strings.Contains(out, "FAIL") {
			t.Errorf("module %s: exit %d\n%s%s", path, code, out, errOut)
		}
	}
	if m := collision(t.Context(), "example.com/layer", ""); m != "" {
		t.Errorf("example.com/layer collides with %s", m)
	}
}
