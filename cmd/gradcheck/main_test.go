package main

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/backprop-lab/backprop/internal/textcheck"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/grading/runner"
)

// These tests build and run the generated check program with the go
// command, offline (GOPROXY=off): everything comes from the module cache.

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("GOPROXY", "off")
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// withoutSourceCheck turns off the check of the student's source for one
// test, to try the judge's own defences (the second line) with code the
// source check would refuse.
func withoutSourceCheck(t *testing.T) {
	saved, savedDerived := checkSource, checkDerived
	checkSource = func(map[string][]byte, *runner.SourceRules) error { return nil }
	checkDerived = func(context.Context, string, string, []*studentPackage) (string, error) { return "", nil }
	t.Cleanup(func() { checkSource, checkDerived = saved, savedDerived })
}

// gradescopeDoc is what the tests read of results.json.
type gradescopeDoc struct {
	Score float64 `json:"score"`
	Tests []struct {
		Name     string  `json:"name"`
		Score    float64 `json:"score"`
		MaxScore float64 `json:"max_score"`
		Status   string  `json:"status"`
		Output   string  `json:"output"`
	} `json:"tests"`
	ExtraData map[string]string `json:"extra_data"`
}

func parseDoc(t *testing.T, out string) gradescopeDoc {
	t.Helper()
	var doc gradescopeDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return doc
}

func TestCorrectLayerPasses(t *testing.T) {
	code, out, errOut := runCmd(t, "-spec", "dense-relu", "testdata/correct")
	if code != 0 || !strings.HasSuffix(out, "PASS\n") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"✓ layer NewLayer against dense-relu: right: Forward and every gradient", "✓ network with hidden layers 5-4 by NewLayer against dense-relu: right", "2 of 2 checks passed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCmd(t, "testdata/correct")
	if code != 0 || !strings.Contains(out, "consistent:") || !textcheck.ContainsWords(out, "No -spec given: Forward was not checked") {
		t.Errorf("without -spec: exit %d\n%s", code, out)
	}
}

// A right ReLU layer is not a tanh layer: the specification sees what
// gradient consistency cannot.
func TestSpecCatchesAConsistentWrongLayer(t *testing.T) {
	code, out, _ := runCmd(t, "-spec", "dense-tanh", "-hidden", "", "testdata/correct")
	if code != 1 || !strings.Contains(out, "Forward (A): wrong at") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestLabBugFailsAndIsPinned(t *testing.T) {
	code, out, errOut := runCmd(t, "-backprop", "../..", "testdata/labbug")
	if code != 1 || !strings.HasSuffix(out, "FAIL\n") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"✗ layer NewLayer (gradient consistency): wrong:",
		"∂E/∂x: wrong at",
		"∂E/∂W1: wrong at", "∂E/∂b1: wrong at",
	} {
		if !textcheck.ContainsWords(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCmd(t, "-spec", "dense-relu", "testdata/labbug")
	if code != 1 || !textcheck.ContainsWords(out, "∂E/∂W is right, but the matrix you return is G·W, the lab's bug") || !textcheck.ContainsWords(out, "∂E/∂X (what Backward returns): wrong at") {
		t.Errorf("-spec: exit %d\n%s", code, out)
	}
}

func TestGradescopeJSON(t *testing.T) {
	code, out, errOut := runCmd(t, "-json", "-points", "2", "-mode", "directional", "testdata/labbug")
	if code != 1 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	doc := parseDoc(t, out)
	if len(doc.Tests) != 2 || doc.Score != 0 || doc.ExtraData["seed"] == "" {
		t.Errorf("%d tests, score %v; want 2 tests, score 0, a seed\n%s", len(doc.Tests), doc.Score, out)
	}
	for _, tc := range doc.Tests {
		if tc.MaxScore != 2 || tc.Status != "failed" {
			t.Errorf("test %+v", tc)
		}
	}
	code, out, _ = runCmd(t, "-json", "-points", "2", "-spec", "dense-relu", "testdata/correct")
	if doc := parseDoc(t, out); code != 0 || doc.Score != 4 {
		t.Errorf("correct: exit %d, score %v\n%s", code, doc.Score, out)
	}
}

func TestMissingConstructorIsAFailedBuild(t *testing.T) {
	code, out, _ := runCmd(t, "-layer", "Missing", "-json", "testdata/correct")
	doc := parseDoc(t, out)
	if code != 1 || doc.Score != 0 || len(doc.Tests) != 2 || !strings.Contains(doc.Tests[0].Output, "Missing") {
		t.Fatalf("exit %d\n%s", code, out)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"testdata/nowhere"},
		{"-layer", "newLayer", "testdata/correct"},
		{"-backprop", "testdata", "testdata/correct"},
		{"-mode", "sideways", "testdata/correct"},
		{"-spec", "dense-softplus", "testdata/correct"},
		{"testdata/correct", "testdata/labbug"},
	} {
		if code, out, errOut := runCmd(t, args...); code != 2 {
			t.Errorf("%q: exit %d, want 2\n%s%s", args, code, out, errOut)
		}
	}
}

// A layer whose Backward prints a passing report and exits 0, and one
// that loops forever: neither passes, neither hangs the command. The first
// imports os, which the source check refuses; past it (turned off here),
// the judge believes nothing the worker says but its answers.
func TestHostileLayers(t *testing.T) {
	code, out, _ := runCmd(t, "testdata/hostile/exit")
	if code != 1 || !strings.Contains(out, `layer.go:7: import "os" is not allowed in graded code`) || !strings.HasSuffix(out, "\nFAIL\n") {
		t.Errorf("exit, source checked: exit %d\n%s", code, out)
	}
	withoutSourceCheck(t)
	code, out, errOut := runCmd(t, "-limit", "3s", "testdata/hostile/exit")
	if code != 1 || !strings.HasSuffix(out, "\nFAIL\n") || !strings.Contains(out, "your code ended the worker (exit status 0)") {
		t.Errorf("exit: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, l := range strings.Split(out, "\n") {
		if l == "PASS" || strings.HasPrefix(l, "✓") {
			t.Errorf("the layer's own output passes for a verdict: %q\n%s", l, out)
		}
	}
	code, out, errOut = runCmd(t, "-limit", "3s", "-json", "testdata/hostile/loop")
	if code != 1 || !strings.Contains(out, "timed out after 3s") {
		t.Errorf("loop: exit %d\n%s\n%s", code, out, errOut)
	}
	var doc struct{ Score float64 }
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Score != 0 {
		t.Errorf("loop: score %v, err %v\n%s", doc.Score, err, out)
	}
}

// A package whose init reads fd 3 (where the old design kept a key; now
// the judge's queries) or writes a signed pass to fd 4 decides nothing:
// there is no key, and a worker that eats its own queries only hangs until
// its time limit. (The source check refuses these packages' imports
// first: it checks every package of the student's module that the layer
// imports, too.)
func TestStolenKeyForgesNothing(t *testing.T) {
	for dir, want := range map[string]string{
		"testdata/hostile/steal":          `layer.go:7: import "crypto/hmac" is not allowed in graded code`,
		"testdata/hostile/stealmod/layer": `../util/util.go:5: import "io" is not allowed in graded code`,
	} {
		code, out, _ := runCmd(t, dir)
		if code != 1 || !strings.Contains(out, want) || !strings.Contains(out, "graded code may import only errors, fmt") {
			t.Errorf("%s, source checked: exit %d, want %q\n%s", dir, code, want, out)
		}
	}
	withoutSourceCheck(t)
	for _, dir := range []string{"testdata/hostile/steal", "testdata/hostile/stealmod/layer"} {
		code, out, errOut := runCmd(t, "-json", "-limit", "2s", dir)
		doc := parseDoc(t, out)
		if code != 1 || doc.Score != 0 || len(doc.Tests) != 2 || !strings.Contains(doc.Tests[0].Output, "timed out after 2s") {
			t.Errorf("%s: exit %d\n%s\n%s", dir, code, out, errOut)
		}
	}
}

// A student module whose path is one a grader might link (golang.org/x/sys)
// and whose init prints and writes a pass and exits: refused, or graded
// 0 — never a pass, since the worker decides nothing.
func TestModulePathCollisionForgesNothing(t *testing.T) {
	withoutSourceCheck(t)
	// xsys: refused for its module path; initpass: the same init, built,
	// and graded 0 because the worker decides nothing.
	for _, dir := range []string{"testdata/hostile/xsys/layer", "testdata/hostile/initpass"} {
		code, out, errOut := runCmd(t, "-json", "-limit", "5s", dir)
		doc := parseDoc(t, out)
		if code != 1 || doc.Score != 0 || len(doc.Tests) != 2 {
			t.Errorf("%s: exit %d, score %v\n%s\n%s", dir, code, doc.Score, out, errOut)
		}
		for _, tc := range doc.Tests {
			if tc.Status == "passed" {
				t.Errorf("%s: a test passed: %+v", dir, tc)
			}
		}
	}
	_, out, _ := runCmd(t, "-limit", "5s", "testdata/hostile/initpass")
	if !strings.Contains(out, "your code ended the worker") && !strings.Contains(out, "the worker's answer could not be read") || !strings.HasSuffix(out, "\nFAIL\n") {
		t.Errorf("initpass, text:\n%s", out)
	}
}

// Huge weights of the student's own are overwritten by the judge's: the
// layer is checked at a point where the loss is finite, and passes.
func TestJudgeSetsTheParameters(t *testing.T) {
	code, out, errOut := runCmd(t, "-spec", "dense-relu", "testdata/huge")
	if code != 0 {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}

// A panic in the student's code names the student's file and line.
func TestPanicNamesStudentLine(t *testing.T) {
	code, out, errOut := runCmd(t, "testdata/hostile/panic")
	if code != 1 || !strings.Contains(out, "Layer.Backward at layer.go:20") {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
}

// Code that writes another package's variables (here nn.Softmax, the
// activation of the network check's top layer, in an initialiser) is
// refused before it runs, with its line.
func TestWriteToSharedStateIsRefused(t *testing.T) {
	code, out, errOut := runCmd(t, "-json", "testdata/hostile/shared")
	if code != 1 || !strings.Contains(out, "layer.go:13: assigning to nn.Softmax is not allowed in graded code") || strings.Contains(out, `"passed"`) {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
}

// A package holding a file the go command would build besides Go (here
// assembly) is refused: the source check cannot see into it.
func TestForeignSourceIsRefused(t *testing.T) {
	code, out, errOut := runCmd(t, "testdata/hostile/asm")
	if code != 1 || !strings.Contains(out, "asm.s: a package of graded code may hold only Go files") || !strings.HasSuffix(out, "FAIL\n") {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
}
