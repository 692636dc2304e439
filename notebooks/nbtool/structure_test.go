package nbtool

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

// repoRoot is the repository root, from the test's working directory
// (ToolDir).
const repoRoot = "../.."

// notebookFiles returns every notebook of the repository (see [Notebooks]),
// as paths the test can open.
func notebookFiles(t *testing.T) []string {
	t.Helper()
	files, err := Notebooks(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		files[i] = filepath.Join(repoRoot, f)
	}
	return files
}

// nameOf is the subtest name of a notebook path (see [Name]).
func nameOf(path string) string {
	rel, err := filepath.Rel(repoRoot, path)
	if err != nil {
		return path
	}
	return Name(rel)
}

// goMod parses the repository's go.mod.
func goMod(t *testing.T) *modfile.File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestNotebookStructure checks every committed notebook without running it:
// nbformat 4, stripped, the canonical setup cell first, a title cell,
// declared key results, and imports that go.mod provides.
func TestNotebookStructure(t *testing.T) {
	mod := goMod(t)
	for _, path := range notebookFiles(t) {
		t.Run(nameOf(path), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range CheckStructure(raw) {
				t.Errorf("%s: %s", path, p)
			}
			nb, err := Parse(raw)
			if err != nil {
				return // reported above
			}
			for i := range nb.Cells {
				c := &nb.Cells[i]
				if c.CellType != "code" {
					continue
				}
				imports, _ := c.GoImports() // parse errors reported above
				for _, im := range imports {
					if msg := importProblem(mod, repoRoot, im); msg != "" {
						t.Errorf("%s: %s: %s", path, c.label(i), msg)
					}
				}
			}
		})
	}
}

// importProblem says why a notebook cannot import path offline, or returns
// "": a standard library package, a package of this module that exists in
// root, or a package of a module that go.mod requires.
func importProblem(mod *modfile.File, root, path string) string {
	first, _, _ := strings.Cut(path, "/")
	if !strings.Contains(first, ".") {
		return "" // standard library
	}
	self := mod.Module.Mod.Path
	if path == self || strings.HasPrefix(path, self+"/") {
		dir := filepath.Join(root, strings.TrimPrefix(strings.TrimPrefix(path, self), "/"))
		if goFiles, _ := filepath.Glob(filepath.Join(dir, "*.go")); len(goFiles) == 0 {
			return "imports " + path + ", which is not a package of this repository"
		}
		return ""
	}
	for _, r := range mod.Require {
		if path == r.Mod.Path || strings.HasPrefix(path, r.Mod.Path+"/") {
			return ""
		}
	}
	return "imports " + path + ", whose module go.mod does not require: GoNB resolves imports offline, from go.mod's requirements (add it with go get)"
}

func TestImportProblem(t *testing.T) {
	mod, err := modfile.Parse("go.mod", []byte("module example.com/m\n\ngo 1.26.0\n\nrequire gonum.org/v1/gonum v0.17.0 // indirect\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "nn"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "nn", "nn.go"), []byte("package nn\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		ok   bool
	}{
		{"fmt", true},
		{"math/rand/v2", true},
		{"example.com/m/nn", true},
		{"example.com/m/lesson", false}, // no such folder
		{"gonum.org/v1/gonum/mat", true},
		{"gonum.org/v1/gonumx/mat", false}, // a prefix of the path, not of its elements
		{"github.com/go-echarts/go-echarts/v2/charts", false},
	} {
		if got := importProblem(mod, root, tc.path); (got == "") != tc.ok {
			t.Errorf("importProblem(%q) = %q, want ok=%v", tc.path, got, tc.ok)
		}
	}
}

func TestGoImports(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
		err       bool
	}{
		{"block", "import (\n\t\"fmt\"\n\n\tm \"gonum.org/v1/gonum/mat\"\n)\n\nvar x = 1", []string{"fmt", "gonum.org/v1/gonum/mat"}, false},
		{"single", "import \"strings\"\n\nfunc f() {}", []string{"strings"}, false},
		{"shell and magics", SetupCell + "\n%env A=1\n!ls\nimport \"os\"", []string{"os"}, false},
		{"main body ignored", "import \"fmt\"\n%%\nfmt.Println(1)\nimport \"os\"", []string{"fmt"}, false},
		{"no imports", "%%\nfmt.Println(1)", nil, false},
		{"broken", "import (\n\t\"fmt\"\n", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Cell{CellType: "code", Source: Text(tc.src)}
			got, err := c.GoImports()
			if (err != nil) != tc.err {
				t.Fatalf("err = %v, want error %v", err, tc.err)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// executed builds the JSON of an executed notebook from cells given as JSON
// objects, with the notebook-level expectations given.
func executed(expect string, cells ...string) []byte {
	return []byte(`{"nbformat": 4, "nbformat_minor": 5,
		"metadata": {"kernelspec": {"name": "gonb"}, "backprop": {"expect": [` + expect + `]}},
		"cells": [` + strings.Join(cells, ",") + `]}`)
}

// TestCheckExecuted runs the post-execution checker on hand-made executed
// notebooks, so its rules are tested where Jupyter is not installed too.
func TestCheckExecuted(t *testing.T) {
	const (
		title  = `{"cell_type": "markdown", "metadata": {}, "source": "# T"}`
		ok     = `{"cell_type": "code", "execution_count": 1, "metadata": {}, "source": "%%\nfmt.Println(\"E = 0.5\")", "outputs": [{"output_type": "stream", "name": "stdout", "text": ["E = 0.5\n"]}]}`
		md     = `{"cell_type": "code", "execution_count": 2, "metadata": {}, "source": "%%", "outputs": [{"output_type": "display_data", "metadata": {}, "data": {"text/markdown": "accuracy **97.5%**"}}]}`
		panics = `{"cell_type": "code", "execution_count": 3, "metadata": {"tags": ["raises-exception"], "backprop": {"expect": ["1×3 but W is 3×2"]}}, "source": "%%\nnet.Forward(wrong)",
			"outputs": [{"output_type": "stream", "name": "stderr", "text": "panic: nn: input x is 1×3 but W is 3×2\n\u001b[7m[[ Cell [6] Line 3 ]]\u001b[0m\nexit status 2\n"},
			            {"output_type": "error", "ename": "ERROR", "evalue": "exit status 2", "traceback": ["exit status 2"]}]}`
		untaggedPanic = `{"cell_type": "code", "execution_count": 4, "metadata": {}, "source": "%%\nnet.Forward(wrong)",
			"outputs": [{"output_type": "error", "ename": "ERROR", "evalue": "exit status 2", "traceback": ["exit status 2"]}]}`
		shellFail = `{"cell_type": "code", "execution_count": 5, "metadata": {}, "source": "!false", "outputs": [{"output_type": "stream", "name": "stderr", "text": "exit status 1\n"}]}`
		noFail    = `{"cell_type": "code", "execution_count": 6, "metadata": {"tags": ["raises-exception"]}, "source": "%%\nfmt.Println(1)", "outputs": []}`
		notRun    = `{"cell_type": "code", "execution_count": null, "metadata": {}, "source": "%%\nfmt.Println(1)", "outputs": []}`
		goPanic   = `{"cell_type": "code", "execution_count": 7, "metadata": {}, "source": "%%\ngo f()", "outputs": [{"output_type": "stream", "name": "stdout", "text": "panic: boom\n"}]}`
		htmlText  = `{"cell_type": "code", "execution_count": 8, "metadata": {}, "source": "%%", "outputs": [{"output_type": "display_data", "metadata": {}, "data": {"text/html": "<pre>network <span style=\"white-space:nowrap\">784-16-10</span>: a &amp; b</pre>"}}]}`
	)
	for _, tc := range []struct {
		name  string
		nb    []byte
		wants []string // substrings of the problems, one each, in order
	}{
		{"clean", executed(`"E = 0\\.5", "accuracy \\*\\*9\\d\\.\\d%"`, title, ok, md, panics), nil},
		{"missing key result", executed(`"E = 0\\.5", "Test accuracy"`, title, ok), []string{`no output matches "Test accuracy"`}},
		{"no expectations", executed(``, title, ok), []string{"declares no key results"}},
		{"html matched as its text", executed(`"network 784-16-10: a & b", "nowrap\">784"`, title, htmlText), nil},
		{"error outside raises-exception", executed(`"E"`, ok, untaggedPanic), []string{"cell 2 (net.Forward(wrong)) failed"}},
		{"failed shell line", executed(`"E"`, ok, shellFail), []string{"cell 2 (!false) failed:\n\t| exit status 1"}},
		{"panic text on stdout", executed(`"E"`, ok, goPanic), []string{"cell 2 (go f()) failed:\n\t| panic: boom"}},
		{"raises-exception without error", executed(`"E"`, ok, noFail), []string{"tagged raises-exception but raised no error"}},
		{"not executed", executed(`"E"`, ok, notRun), []string{"was not executed"}},
		{"cell expectation", executed(`"E"`, ok, strings.Replace(panics, "input x is 1×3", "input x is 2×3", 1)), []string{`cell 2 (net.Forward(wrong)): no output matches "1×3 but W is 3×2"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nb, err := Parse(tc.nb)
			if err != nil {
				t.Fatal(err)
			}
			got := CheckExecuted(nb)
			if len(got) != len(tc.wants) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tc.wants), strings.Join(got, "\n"))
			}
			for i, w := range tc.wants {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

func TestStrip(t *testing.T) {
	in := `{"nbformat": 4, "nbformat_minor": 5,
	 "metadata": {"kernelspec": {"name": "gonb", "display_name": "Go (gonb)", "language": "go"},
	              "language_info": {"name": "go", "version": "go1.26.8"}, "backprop": {"expect": ["x < y & z"]}},
	 "cells": [
	  {"cell_type": "markdown", "id": "t", "metadata": {}, "source": ["# a⁽²⁾ × b\n", "text"]},
	  {"cell_type": "code", "id": "c", "execution_count": 7, "metadata": {"tags": ["raises-exception"], "execution": {"iopub.status.busy": "2026"}},
	   "source": "%%", "outputs": [{"output_type": "stream", "name": "stdout", "text": "1\n"}]}]}`
	want := `{
 "cells": [
  {
   "cell_type": "markdown",
   "id": "t",
   "metadata": {},
   "source": [
    "# a⁽²⁾ × b\n",
    "text"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "id": "c",
   "metadata": {
    "tags": [
     "raises-exception"
    ]
   },
   "outputs": [],
   "source": "%%"
  }
 ],
 "metadata": {
  "backprop": {
   "expect": [
    "x < y & z"
   ]
  },
  "kernelspec": {
   "display_name": "Go (gonb)",
   "language": "go",
   "name": "gonb"
  }
 },
 "nbformat": 4,
 "nbformat_minor": 5
}
`
	got, err := Strip([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("Strip:\n%s\nwant:\n%s", got, want)
	}
	again, err := Strip(got)
	if err != nil || string(again) != string(got) {
		t.Errorf("Strip is not idempotent (err %v):\n%s", err, again)
	}
	if _, err := Strip([]byte(`{"nbformat": 3, "worksheets": []}`)); err == nil {
		t.Error("Strip accepted nbformat 3")
	}
}
