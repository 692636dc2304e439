package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/backprop-lab/backprop/grading"
	"github.com/backprop-lab/backprop/internal/textcheck"
)

// The notebooks under test, in one place (paths from this directory).
const solutionsNotebook = "../../notebooks/instructor/10-exercises-solutions.ipynb"

// unzip extracts the zip at path into dir, keeping the files' modes.
func unzip(t *testing.T, path, dir string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		dst := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		w, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, f.Mode().Perm())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, r); err != nil {
			t.Fatal(err)
		}
		r.Close()
		w.Close()
	}
}

// notebook is the solutions notebook with code cells appended (a later
// declaration replaces an earlier one).
func notebook(t *testing.T, cells ...string) []byte {
	t.Helper()
	data, err := os.ReadFile(solutionsNotebook)
	if err != nil {
		t.Fatal(err)
	}
	var nb map[string]any
	if err := json.Unmarshal(data, &nb); err != nil {
		t.Fatal(err)
	}
	for _, c := range cells {
		nb["cells"] = append(nb["cells"].([]any), map[string]any{
			"cell_type": "code", "metadata": map[string]any{}, "outputs": []any{}, "execution_count": nil, "source": c})
	}
	out, _ := json.Marshal(nb)
	return out
}

// run runs a script of the unpacked autograder with AUTOGRADER_ROOT=root,
// offline.
func run(t *testing.T, root, script string, limit time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(root, script))
	cmd.Dir = root // Gradescope's working directory
	cmd.Env = append(os.Environ(), "AUTOGRADER_ROOT="+root, "GOPROXY=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
}

// installAutograder builds the zip, unpacks it as Gradescope does (its
// files in source/, run_autograder copied to the root), checks that it
// ships no solutions, runs setup.sh offline, and returns the root.
func installAutograder(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "autograder")
	zipPath := filepath.Join(t.TempDir(), "autograder.zip")
	if err := build(zipPath, "../..", 0); err != nil { // each exercise its own points, 12 in all
		t.Fatal(err)
	}
	unzip(t, zipPath, filepath.Join(root, "source"))
	filepath.WalkDir(filepath.Join(root, "source"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && (textcheck.ContainsWords(d.Name(), "solutions") || d.Name() == "instructor") {
			t.Errorf("the zip ships %s, which the learner's code could read", path)
		}
		return nil
	})
	for _, f := range []string{"setup.sh", "run_autograder"} {
		if fi, err := os.Stat(filepath.Join(root, "source", f)); err != nil || fi.Mode().Perm()&0o100 == 0 {
			t.Fatalf("%s is not an executable at the zip's root: %v", f, err)
		}
	}
	data, _ := os.ReadFile(filepath.Join(root, "source", "run_autograder"))
	if err := os.WriteFile(filepath.Join(root, "run_autograder"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOFLAGS", "-mod=mod")
	run(t, root, "source/setup.sh", 5*time.Minute)
	return root
}

// The zip, unpacked as Gradescope does (its files in source/, run_autograder
// copied to the root), set up and run on six submissions, offline.
func TestAutograderEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and grades six submissions")
	}
	root := installAutograder(t)
	total := 0.0 // every exercise's points, from the grading table
	for _, e := range grading.ExerciseList() {
		total += e.Points
	}
	// every fails every exercise: the first saying first, the others rest.
	every := func(first, rest string) map[int]string {
		out := map[int]string{}
		for _, e := range grading.ExerciseList() {
			out[e.N] = rest
		}
		out[grading.ExerciseList()[0].N] = first
		return out
	}

	for _, tc := range []struct {
		name   string
		nb     []byte
		score  float64
		failed map[int]string // exercise → what its output says
	}{
		{"correct", notebook(t), total, nil},
		{"wrong", notebook(t, "import \"gonum.org/v1/gonum/mat\"\n\nfunc outputDelta(a, y *mat.Dense) *mat.Dense {\n\td := new(mat.Dense)\n\td.Sub(a, y)\n\treturn d\n}"),
			total - 1, map[int]string{2: "so divide by N"}},
		{"does not build", notebook(t, "func reluPrime(v float64) float64 { return undefinedName }"),
			0, every("undefined: undefinedName", "does not build")},
		{"loops", notebook(t, "func reluPrime(v float64) float64 { for {} }"),
			total - 1, map[int]string{1: "timed out after 10s"}},
		{"hostile", notebook(t, `import ("fmt"; "os"; "path/filepath"; "gonum.org/v1/gonum/mat")

func outputDelta(a, y *mat.Dense) *mat.Dense {
	forged := `+"`"+`{"score": 10, "tests": []}`+"`"+`
	fmt.Println(forged)
	os.WriteFile(filepath.Join(os.Getenv("AUTOGRADER_ROOT"), "results", "results.json"), []byte(forged), 0o644)
	os.Exit(0)
	return nil
}`), 0, every(`import "os" is not allowed in graded code`, `import "os" is not allowed`)},
		{"shared state", notebook(t, "import \"github.com/backprop-lab/backprop/nn\"\n\nvar hijack = func() int { nn.Softmax = nn.Identity; return 0 }()\n\nfunc reluPrime(v float64) float64 {\n\t_ = hijack\n\tif v > 0 {\n\t\treturn 1\n\t}\n\treturn 0\n}"),
			0, every("assigning to nn.Softmax is not allowed in graded code", "nn.Softmax")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, d := range []string{"submission", "results"} {
				os.RemoveAll(filepath.Join(root, d))
				os.MkdirAll(filepath.Join(root, d), 0o755)
			}
			if err := os.WriteFile(filepath.Join(root, "submission", notebookName), tc.nb, 0o644); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			run(t, root, "run_autograder", 3*time.Minute)
			t.Logf("graded in %v", time.Since(start).Round(time.Millisecond))
			data, err := os.ReadFile(filepath.Join(root, "results", "results.json"))
			if err != nil {
				t.Fatal(err)
			}
			var g grading.GradescopeResults
			if err := json.Unmarshal(data, &g); err != nil {
				t.Fatalf("results.json: %v\n%s", err, data)
			}
			if n := len(grading.ExerciseList()); g.Score != tc.score || len(g.Tests) != n {
				t.Errorf("score %v with %d tests, want %v with %d:\n%s", g.Score, len(g.Tests), tc.score, n, data)
			}
			for i, test := range g.Tests {
				n := grading.ExerciseList()[i].N
				want, failed := tc.failed[n]
				if (test.Status == "failed") != failed || failed && !textcheck.ContainsWords(test.Output, want) {
					t.Errorf("exercise %d: %s, want failed = %v with %q:\n%s", n, test.Status, failed, want, test.Output)
				}
			}
		})
	}
}
