package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/grading"
	"github.com/backprop-lab/backprop/internal/textcheck"
)

// The notebooks under test, in one place (paths from this directory).
const (
	solutionsNotebook = "../../notebooks/instructor/10-exercises-solutions.ipynb"
	studentNotebook   = "../../notebooks/10-exercises.ipynb"
)

// The committed notebooks are the fixtures: the solutions must get full
// marks, the student version none, with every exercise "not implemented
// yet", and a notebook with the lab's bug in its layer fails exercise 3
// only.

func nbgrade(t *testing.T, args ...string) (string, int) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a program")
	}
	t.Setenv("GOPROXY", "off")
	var out, errs strings.Builder
	code := run(args, &out, &errs)
	if code == 2 {
		t.Fatalf("nbgrade %v: usage error:\n%s", args, errs.String())
	}
	return out.String(), code
}

// wantScore is nbgrade's score line when every exercise passes except
// those numbered in failed, from the grading table: "P of N exercises
// passed, X of Y points".
func wantScore(failed ...int) string {
	passed, points, total := 0, 0.0, 0.0
	for _, e := range grading.ExerciseList() {
		total += e.Points
		if !slices.Contains(failed, e.N) {
			passed++
			points += e.Points
		}
	}
	return fmt.Sprintf("%d of %d exercises passed, %s of %s points", passed, len(grading.ExerciseList()), fmtP(points), fmtP(total))
}

func TestSolutionsPass(t *testing.T) {
	out, code := nbgrade(t, solutionsNotebook)
	if code != 0 || !strings.Contains(out, "\n"+wantScore()+"\nInputs drawn with seed ") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	for _, e := range grading.ExerciseList() {
		want := fmt.Sprintf("✓ Exercise %d (%s): right", e.N, e.Title)
		points := fmt.Sprintf("[%g/%g point", e.Points, e.Points)
		if !textcheck.ContainsWords(out, want) || !textcheck.ContainsWords(summaryWith(out, want), points) {
			t.Errorf("no %q with %q:\n%s", want, points, out)
		}
	}
}

// summaryWith returns the summary of the verdict in out whose first line
// contains s: that line and its continuations (indented by two spaces, not
// four like the details).
func summaryWith(out, s string) string {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if !textcheck.ContainsWords(l, s) {
			continue
		}
		for _, c := range lines[i+1:] {
			if !strings.HasPrefix(c, "  ") || strings.HasPrefix(c, "    ") {
				break
			}
			l += "\n" + c
		}
		return l
	}
	return ""
}

func TestStudentVersionGradesNotImplemented(t *testing.T) {
	out, code := nbgrade(t, "-json", "-points", "2", studentNotebook)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	var g grading.GradescopeResults
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatalf("not results.json: %v\n%s", err, out)
	}
	exercises := grading.ExerciseList()
	if g.Score != 0 || len(g.Tests) != len(exercises) {
		t.Fatalf("score %v, %d tests, want 0 and %d:\n%s", g.Score, len(g.Tests), len(exercises), out)
	}
	for i, test := range g.Tests {
		want := "not implemented yet: write " + strings.Fields(exercises[i].Func)[0]
		if test.Status != "failed" || test.MaxScore != 2 || !textcheck.ContainsWords(test.Output, want) ||
			!textcheck.ContainsWords(test.Output, "Stuck? The hints under the exercise's text open one at a time.") {
			t.Errorf("test %+v", test)
		}
	}
	// Without -points, each exercise is worth its own points.
	out, _ = nbgrade(t, "-json", studentNotebook)
	g = grading.GradescopeResults{}
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatalf("not results.json: %v\n%s", err, out)
	}
	for i, test := range g.Tests {
		if test.MaxScore != exercises[i].Points || test.Score != 0 {
			t.Errorf("exercise %d: score %v of %v, want 0 of %v", i+1, test.Score, test.MaxScore, exercises[i].Points)
		}
	}
}

// labBugNotebook is the solutions notebook with the lab's bug in Backward.
func labBugNotebook(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(solutionsNotebook)
	if err != nil {
		t.Fatal(err)
	}
	const right = `dx.Mul(delta, l.W)`
	if !textcheck.ContainsWords(string(data), right) {
		t.Fatalf("the solutions notebook no longer contains %q", right)
	}
	path := filepath.Join(t.TempDir(), "labbug.ipynb")
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), right, `dx.Mul(g, l.W)`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLabBugFailsExercise3(t *testing.T) {
	out, code := nbgrade(t, labBugNotebook(t))
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		"✓ Exercise 1 (", "✓ Exercise 2 (", "✗ Exercise 3 (dense layer backward): wrong",
		"∂E/∂X (what Backward returns): wrong at", "✓ Exercise 4 (", wantScore(3),
		"the matrix you return is G·W, the lab's bug", "[0/2 points]",
	} {
		if !textcheck.ContainsWords(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestBuildFailure(t *testing.T) {
	nb := `{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
		{"cell_type": "code", "metadata": {}, "source": "func reluPrime(v float64) float64 { return undefinedThing }"}]}`
	path := filepath.Join(t.TempDir(), "broken.ipynb")
	if err := os.WriteFile(path, []byte(nb), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code := nbgrade(t, "-json", path)
	var g grading.GradescopeResults
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatalf("not results.json: %v\n%s", err, out)
	}
	if code != 1 || g.Score != 0 || len(g.Tests) != len(grading.ExerciseList()) || !textcheck.ContainsWords(g.Tests[0].Output, "code cell 1:1: undefined: undefinedThing") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestExport(t *testing.T) {
	dir := t.TempDir()
	var out, errs strings.Builder
	if code := run([]string{"-export", dir, solutionsNotebook}, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	src, err := os.ReadFile(filepath.Join(dir, "exercises.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"package student", "func NewLayer(nIn, nOut int) *MyDense", "func (l *MyDense) Backward(g *mat.Dense) *mat.Dense", "func sgdStep("} {
		if !textcheck.ContainsWords(string(src), want) {
			t.Errorf("exercises.go lacks %q", want)
		}
	}
}
