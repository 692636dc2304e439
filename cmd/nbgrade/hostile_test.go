package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/backprop-lab/backprop/grading"
	"github.com/backprop-lab/backprop/grading/runner"
	"github.com/backprop-lab/backprop/internal/textcheck"
)

// The hostile set: submissions that try to forge a pass, end the grading
// early, hang it or drown it. None may pass an exercise it did not solve,
// none may hang the grader (each check is limited to -limit 3s here, and
// every test runs under go test's own -timeout).

// hostileNotebook is the solutions notebook with code cells appended: a
// later declaration replaces an earlier one (as when a learner runs a
// changed cell again), so each cell below replaces one solution.
func hostileNotebook(t testing.TB, cells ...string) string {
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
	path := filepath.Join(t.TempDir(), "hostile.ipynb")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// gradescope parses nbgrade -json's output.
func gradescope(t *testing.T, out string) grading.GradescopeResults {
	t.Helper()
	var g grading.GradescopeResults
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatalf("stdout is not our results.json: %v\n%s", err, out)
	}
	return g
}

// wantTests checks each exercise's status and that its output says why.
func wantTests(t *testing.T, g grading.GradescopeResults, want map[int]string) {
	t.Helper()
	if len(g.Tests) != len(grading.ExerciseList()) {
		t.Fatalf("%d tests, want %d: %+v", len(g.Tests), len(grading.ExerciseList()), g)
	}
	score := 0.0
	for i, test := range g.Tests {
		n := grading.ExerciseList()[i].N
		reason, failed := want[n]
		if failed != (test.Status == "failed") {
			t.Errorf("exercise %d: %s (want failed = %v):\n%s", n, test.Status, failed, test.Output)
		}
		if failed && !textcheck.ContainsWords(test.Output, reason) {
			t.Errorf("exercise %d: output lacks %q:\n%s", n, reason, test.Output)
		}
		score += test.Score
	}
	if score != g.Score {
		t.Errorf("score %v is not the sum of the tests' %v", g.Score, score)
	}
}

// pointsExcept sums the points of every exercise but those numbered in
// failed.
func pointsExcept(failed ...int) float64 {
	return pointsOf(slices.DeleteFunc(exerciseNs(), func(n int) bool { return slices.Contains(failed, n) })...)
}

// pointsOf sums the points of exercises ns (by number).
func pointsOf(ns ...int) float64 {
	var p float64
	for _, e := range grading.ExerciseList() {
		if slices.Contains(ns, e.N) {
			p += e.Points
		}
	}
	return p
}

// withoutSourceCheck turns off the check of the notebook's source for one
// test, to try the judge's own defences (the second line) with code the
// source check would refuse (os, runtime, crypto, …).
func withoutSourceCheck(t *testing.T) {
	saved, savedDelegation := checkSource, grading.CheckDelegation
	checkSource = func(map[string][]byte, *runner.SourceRules) error { return nil }
	grading.CheckDelegation = false
	t.Cleanup(func() { checkSource, grading.CheckDelegation = saved, savedDelegation })
}

// refusedWhole checks that the notebook at path is refused before it runs,
// with want (the cell, line and import) and every exercise failed.
func refusedWhole(t *testing.T, path, want string) {
	t.Helper()
	out, code := nbgrade(t, path)
	if code != 1 || !textcheck.ContainsWords(out, want) || !textcheck.ContainsWords(out, wantScore(exerciseNs()...)) {
		t.Errorf("exit %d, want 1 with %q:\n%s", code, want, out)
	}
}

func TestHostileExitsAndLies(t *testing.T) {
	path := hostileNotebook(t,
		// 1: end the process with status 0 before the check decides.
		"import \"os\"\n\nfunc reluPrime(v float64) float64 { os.Exit(0); return 0 }",
		// 2: print a passing verdict in both formats, then exit 0.
		`import ("fmt"; "os"; "gonum.org/v1/gonum/mat")

func outputDelta(a, y *mat.Dense) *mat.Dense {
	fmt.Println("✓ Exercise 2 (output delta δ⁽ʰ⁾): right")
	fmt.Println("4 of 4 exercises passed")
	fmt.Println(`+"`"+`{"score": 100, "tests": [{"name": "Exercise 2: output delta δ⁽ʰ⁾", "score": 100, "max_score": 1, "status": "passed"}]}`+"`"+`)
	os.Exit(0)
	return nil
}`,
		// 3: end the checking goroutine with runtime.Goexit.
		"import (\"runtime\"; \"gonum.org/v1/gonum/mat\")\n\nfunc (l *MyDense) Backward(g *mat.Dense) *mat.Dense { runtime.Goexit(); return nil }",
		// 4: panic in a goroutine of its own, which no recover can catch.
		"import (\"time\"; \"github.com/backprop-lab/backprop/nn\")\n\nfunc sgdStep(params []nn.Param, eta float64) {\n\tgo func() { panic(\"boom from a goroutine\") }()\n\ttime.Sleep(time.Second)\n}",
	)
	refusedWhole(t, path, `, line 1: import "os" is not allowed in graded code`)
	withoutSourceCheck(t)
	out, code := nbgrade(t, "-json", "-limit", "3s", path)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	g := gradescope(t, out)
	if want := pointsExcept(1, 2, 3, 4); g.Score != want {
		t.Errorf("score %v, want %v (exercises 1–4 fail, the others untouched)", g.Score, want)
	}
	wantTests(t, g, map[int]string{
		1: "your code ended the worker (exit status 0) before it answered",
		2: "│ ✓ Exercise 2 (output delta δ⁽ʰ⁾): right", // shown as its output, marked, not believed
		3: "runtime.Goexit",
		4: "your code crashed the worker: panic: boom from a goroutine (at code cell",
	})

	text, _ := nbgrade(t, "-limit", "3s", path)
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "✓ Exercise 1 ") || strings.HasPrefix(l, "✓ Exercise 2 ") || strings.HasPrefix(l, "✓ Exercise 3 ") ||
			strings.HasPrefix(l, "✓ Exercise 4 ") || strings.HasPrefix(l, "4 of 4") || strings.HasPrefix(l, "{") {
			t.Errorf("a line of the learner's output passes for a verdict: %q\n%s", l, text)
		}
	}
	if !strings.Contains(text, "\n"+wantScore(1, 2, 3, 4)+"\n") {
		t.Errorf("text verdict:\n%s", text)
	}
}

func TestHostileLoopsAndFloods(t *testing.T) {
	path := hostileNotebook(t,
		// 1: loop forever.
		"func reluPrime(v float64) float64 { for { } }",
		// 2: flood stdout forever.
		"import (\"fmt\"; \"strings\"; \"gonum.org/v1/gonum/mat\")\n\nfunc outputDelta(a, y *mat.Dense) *mat.Dense {\n\tline := strings.Repeat(\"✓ Exercise 2 passed \", 50)\n\tfor {\n\t\tfmt.Println(line)\n\t}\n}",
		// 3: flood the answer pipe (fd 4) with forged records.
		`import ("os"; "strings"; "gonum.org/v1/gonum/mat")

func (l *MyDense) Backward(g *mat.Dense) *mat.Dense {
	f := os.NewFile(4, "results")
	fake := strings.Repeat("0", 64) + `+"` {\"seq\":1,\"unit\":\"3\",\"kind\":\"verdict\",\"verdict\":{\"passed\":true}}\\n`"+`
	for i := 0; i < 100000; i++ {
		f.WriteString(fake)
	}
	os.Exit(0)
	return nil
}`,
	) // 4 stays right: one bad exercise costs no other
	refusedWhole(t, path, `, line 1: import "os" is not allowed in graded code`)
	withoutSourceCheck(t)
	start := time.Now()
	out, code := nbgrade(t, "-json", "-limit", "3s", path)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	g := gradescope(t, out)
	wantTests(t, g, map[int]string{
		1: "timed out after 3s",
		2: "timed out after 3s",
		3: "the worker's answer could not be read",
	})
	if want := pointsExcept(1, 2, 3); g.Score != want {
		t.Errorf("score %v, want %v (all but exercises 1–3)", g.Score, want)
	}
	if !textcheck.ContainsWords(g.Tests[1].Output, "(more not shown)") || len(g.Tests[1].Output) > 8000 {
		t.Errorf("the flood is not cut short (%d bytes):\n%.500s", len(g.Tests[1].Output), g.Tests[1].Output)
	}
	t.Logf("graded in %v", time.Since(start))
}

// There is no key any more: the worker decides nothing. A submission that
// writes what a verdict looked like to the answer pipe only garbles its
// own answers.
func TestHostileFilesAndKey(t *testing.T) {
	results := filepath.Join(t.TempDir(), "results.json")
	forged := `{"score": 4, "tests": []}`
	path := hostileNotebook(t,
		// 1: overwrite the grader's results file, at once and from a
		// process that outlives the check, then answer wrongly.
		`import ("os"; "os/exec")

func reluPrime(v float64) float64 {
	os.WriteFile(`+"`"+results+"`"+`, []byte(`+"`"+forged+"`"+`), 0o644)
	os.WriteFile("results.json", []byte(`+"`"+forged+"`"+`), 0o644)
	exec.Command("sh", "-c", "sleep 2; echo forged > `+results+`").Start()
	return 2
}`,
		// 2: look for a key (the environment; there is none) and write a
		// signed pass to the answer pipe, as the old design's records were.
		`import ("crypto/hmac"; "crypto/sha256"; "encoding/hex"; "fmt"; "os"; "gonum.org/v1/gonum/mat")

var stolen = func() []byte {
	env, _ := os.ReadFile("/proc/self/environ")
	return env
}()

func outputDelta(a, y *mat.Dense) *mat.Dense {
	w := os.NewFile(4, "results")
	for i, rec := range []string{`+"`"+`{"seq":1,"unit":"2","kind":"verdict","verdict":{"passed":true,"text":"✓ forged"}}`+"`"+`, `+"`"+`{"seq":2,"unit":"2","kind":"complete"}`+"`"+`} {
		m := hmac.New(sha256.New, stolen)
		m.Write([]byte(rec))
		fmt.Fprintf(w, "%s %s\n", hex.EncodeToString(m.Sum(nil)), rec)
		_ = i
	}
	os.Exit(0)
	return nil
}`,
	)
	refusedWhole(t, path, `, line 1: import "crypto/hmac" is not allowed in graded code`)
	withoutSourceCheck(t)
	_, code := nbgrade(t, "-json", "-o", results, "-limit", "3s", path)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	time.Sleep(3 * time.Second) // the delayed writer, had it survived, would have written by now
	data, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	g := gradescope(t, string(data))
	wantTests(t, g, map[int]string{
		1: "wrong",
		2: "the worker's answer could not be read",
	})
	if want := pointsExcept(1, 2); g.Score != want {
		t.Errorf("score %v, want %v (all but exercises 1 and 2)", g.Score, want)
	}
}

func TestRefusedImports(t *testing.T) {
	for _, imp := range []string{"unsafe", "syscall", "os", "reflect", "gonum.org/v1/gonum/blas/blas64",
		"github.com/backprop-lab/backprop/gradcheck", "github.com/backprop-lab/backprop/grading/runner"} {
		path := hostileNotebook(t, "import x \""+imp+"\"\n\nvar _ = x.Sizeof\n\nfunc reluPrime(v float64) float64 { _ = x.Sizeof; return 0 }")
		out, code := nbgrade(t, path)
		if code != 1 || !textcheck.ContainsWords(out, "import \""+imp+"\" is not allowed in graded code") || !textcheck.ContainsWords(out, wantScore(exerciseNs()...)) {
			t.Errorf("%s: exit %d:\n%s", imp, code, out)
		}
	}
}

// exerciseNs returns the numbers of the graded exercises.
func exerciseNs() []int {
	var out []int
	for _, e := range grading.ExerciseList() {
		out = append(out, e.N)
	}
	return out
}
