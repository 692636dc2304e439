package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
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
// that loops forever: neither passes, neither hangs the command.
func TestHostileLayers(t *testing.T) {
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
// it signs with what it found is rejected.
func TestStolenKeyForgesNothing(t *testing.T) {
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
		if code != 1 || doc.Score != 0 || len(doc.Tests) != 2 || !strings.Contains(doc.Tests[0].Output, "2 forged result lines were ignored") {
			t.Errorf("%s: exit %d\n%s\n%s", dir, code, out, errOut)
		}
	}
}

// A panic in the student's code names the student's file and line.
func TestPanicNamesStudentLine(t *testing.T) {
	code, out, errOut := runCmd(t, "testdata/hostile/panic")
	if code != 1 || !strings.Contains(out, "Layer.Backward at layer.go:20") {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
}
