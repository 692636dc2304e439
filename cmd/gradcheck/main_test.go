package main

import (
	"bytes"
	"encoding/json"
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
// test, to try the runner's own defences (the second line) with code the
// source check would refuse.
func withoutSourceCheck(t *testing.T) {
	saved := checkSource
	checkSource = func(map[string][]byte, *runner.SourceRules) error { return nil }
	t.Cleanup(func() { checkSource = saved })
}

func TestCorrectLayerPasses(t *testing.T) {
	code, out, errOut := runCmd(t, "testdata/correct")
	if code != 0 || !strings.HasSuffix(out, "PASS\n") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"layer NewLayer(6, 5): passed", "network 6-5-4-3 (hidden layers by NewLayer): passed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestLabBugFailsAndIsPinned(t *testing.T) {
	code, out, errOut := runCmd(t, "-backprop", "../..", "testdata/labbug")
	if code != 1 || !strings.HasSuffix(out, "FAIL\n") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"layer NewLayer(6, 5): FAILED (1 of 3 tensors wrong)",
		"gradient with respect to the input x (the matrix Backward returns) is wrong",
		"network 6-5-4-3 (hidden layers by NewLayer): FAILED (2 of 6 tensors wrong)",
		"gradient of W1 is wrong", "gradient of b1 is wrong",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestGradescopeJSON(t *testing.T) {
	code, out, errOut := runCmd(t, "-json", "-points", "2", "-mode", "directional", "testdata/labbug")
	if code != 1 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	var doc struct {
		Score float64 `json:"score"`
		Tests []struct {
			Name     string  `json:"name"`
			Score    float64 `json:"score"`
			MaxScore float64 `json:"max_score"`
			Status   string  `json:"status"`
		} `json:"tests"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// 3 layer tensors + 6 network tensors, 2 points each; x, W1, b1 fail.
	if len(doc.Tests) != 9 || doc.Score != 12 {
		t.Errorf("%d tests, score %v; want 9 tests, score 12\n%s", len(doc.Tests), doc.Score, out)
	}
	for _, tc := range doc.Tests {
		wrong := strings.HasSuffix(tc.Name, "gradient of x") || strings.HasSuffix(tc.Name, "gradient of W1") || strings.HasSuffix(tc.Name, "gradient of b1")
		if tc.MaxScore != 2 || (tc.Status == "failed") != wrong {
			t.Errorf("test %+v", tc)
		}
	}
}

func TestMissingConstructorIsAFailedBuild(t *testing.T) {
	code, out, _ := runCmd(t, "-layer", "Missing", "-json", "testdata/correct")
	if code != 1 || !strings.Contains(out, `"name": "build"`) || !strings.Contains(out, "Missing") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("build failure JSON: %v\n%s", err, out)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"testdata/nowhere"},
		{"-layer", "newLayer", "testdata/correct"},
		{"-backprop", "testdata", "testdata/correct"},
		{"-mode", "sideways", "testdata/correct"},
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
// the runner still believes nothing the process says.
func TestHostileLayers(t *testing.T) {
	code, out, _ := runCmd(t, "testdata/hostile/exit")
	if code != 1 || !strings.Contains(out, `layer.go:7: import "os" is not allowed in graded code`) || !strings.HasSuffix(out, "\nFAIL\n") {
		t.Errorf("exit, source checked: exit %d\n%s", code, out)
	}
	withoutSourceCheck(t)
	code, out, errOut := runCmd(t, "-limit", "3s", "testdata/hostile/exit")
	if code != 1 || !strings.HasSuffix(out, "\nFAIL\n") || !strings.Contains(out, "your code ended the grading process early (exit status 0)") {
		t.Errorf("exit: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, l := range strings.Split(out, "\n") {
		if l == "PASS" || strings.HasPrefix(l, "layer NewLayer(6, 5): passed") {
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

// A package whose init reads fd 3 finds it closed: the runner, imported
// by a file the command adds to the package, took the key first. The pass
// it signs with what it found fails the check. (The source check refuses
// these packages' imports first: it checks every package of the student's
// module that the layer imports, too.)
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
	// steal: the package's own init; stealmod: an init in another package
	// of the student's module, which the package imports.
	for _, dir := range []string{"testdata/hostile/steal", "testdata/hostile/stealmod/layer"} {
		code, out, errOut := runCmd(t, "-json", dir)
		var doc struct {
			Score float64
			Tests []struct{ Output string }
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%s: %v\n%s%s", dir, err, out, errOut)
		}
		if code != 1 || doc.Score != 0 || len(doc.Tests) != 2 || !strings.Contains(doc.Tests[0].Output, "your code wrote to the grader's results channel (2 line(s) not signed by the grader)") {
			t.Errorf("%s: exit %d\n%s\n%s", dir, code, out, errOut)
		}
	}
}

// A loss that is not finite at the check point is an error of the check
// (exit 2, extra_data.check_error), not a wrong gradient.
func TestNonFiniteLossIsACheckError(t *testing.T) {
	code, out, errOut := runCmd(t, "-randomize=false", "-json", "testdata/huge")
	var doc struct {
		ExtraData map[string]string `json:"extra_data"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s%s", err, out, errOut)
	}
	if code != 2 || !strings.Contains(doc.ExtraData["check_error"], "the loss is not finite") {
		t.Errorf("exit %d, extra_data %v\n%s", code, doc.ExtraData, errOut)
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

// A wrong layer checked only where every element of W and b sits at a
// kink (zero weights kept as built) is not passed: the check could not
// decide (exit 2, extra_data.check_error), while at random parameters it
// fails.
func TestUndecidedIsACheckError(t *testing.T) {
	code, out, errOut := runCmd(t, "-randomize=false", "-json", "testdata/labbug")
	var doc struct {
		Score     float64
		ExtraData map[string]string `json:"extra_data"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s%s", err, out, errOut)
	}
	if code != 2 || doc.Score != 0 || !strings.Contains(doc.ExtraData["check_error"], "could not decide at this point (every element of W and of b sits at a kink): check at another point") {
		t.Errorf("exit %d, score %v, extra_data %v\n%s", code, doc.Score, doc.ExtraData, out)
	}
	code, out, _ = runCmd(t, "-randomize=false", "testdata/labbug")
	if code != 2 || !strings.Contains(out, "CHECK NOT RUN (could not decide") || !strings.HasSuffix(out, "\nCHECK ERROR (not decided: neither pass nor fail)\n") {
		t.Errorf("text: exit %d\n%s", code, out)
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
