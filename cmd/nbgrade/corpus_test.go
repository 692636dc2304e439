package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/grading"
	"github.com/backprop-lab/backprop/grading/corpus"
	"github.com/backprop-lab/backprop/internal/textcheck"
)

// The public corpus (package grading/corpus) graded by nbgrade, in text
// and in results.json: every forgery, alone and combined with others
// (corpus.Together), scores 0 on every exercise it forges, with a verdict
// saying why (Says), and full marks on the others, so that it forges
// nothing by accident; every correct-but-unusual notebook full marks. The text verdict must
// also be the grader's alone: one score line, no ✓ line for a forged
// exercise, no control character that a terminal would obey.

// scoreLine is the grader's last verdict line.
var scoreLine = regexp.MustCompile(`^\d+ of \d+ exercises passed, [0-9.]+ of [0-9.]+ points$`)

// corpusNotebook writes s's notebook to a temporary file.
func corpusNotebook(t *testing.T, s corpus.Submission) string {
	t.Helper()
	data, err := os.ReadFile(solutionsNotebook)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := s.Notebook(data)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "submission.ipynb")
	if err := os.WriteFile(path, nb, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkText checks nbgrade's text verdict on s.
func checkText(t *testing.T, s corpus.Submission, out string, code int) {
	t.Helper()
	forged := s.ForgedSet()
	exercises := grading.ExerciseList()
	if bad := strings.IndexAny(out, "\x1b\r\u202e\u202c\u009b\u0085"); bad >= 0 {
		t.Errorf("text output keeps a control character at byte %d:\n%q", bad, out)
	}
	var scores []string
	for _, l := range strings.Split(out, "\n") {
		if scoreLine.MatchString(l) {
			scores = append(scores, l)
		}
		for n := range forged {
			if strings.HasPrefix(l, fmt.Sprintf("✓ Exercise %d ", n)) {
				t.Errorf("forged exercise %d shows a pass line: %q", n, l)
			}
		}
	}
	passed, points, total := 0, 0.0, 0.0
	for _, e := range exercises {
		total += e.Points
		if !s.Whole && !forged[e.N] {
			passed++
			points += e.Points
		}
	}
	want := fmt.Sprintf("%d of %d exercises passed, %s of %s points", passed, len(exercises), fmtP(points), fmtP(total))
	if len(scores) != 1 || scores[0] != want {
		t.Errorf("score lines %q, want exactly %q:\n%s", scores, want, out)
	}
	if wantCode := map[bool]int{true: 0, false: 1}[passed == len(exercises)]; code != wantCode {
		t.Errorf("exit %d, want %d", code, wantCode)
	}
	if s.Want != "" && !textcheck.ContainsWords(out, s.Want) {
		t.Errorf("the verdict does not say %q:\n%s", s.Want, out)
	}
}

// checkJSON checks nbgrade -json's results on s.
func checkJSON(t *testing.T, s corpus.Submission, out string) {
	t.Helper()
	var g grading.GradescopeResults
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatalf("results.json: %v\n%s", err, out)
	}
	forged := s.ForgedSet()
	exercises := grading.ExerciseList()
	if len(g.Tests) != len(exercises) {
		t.Fatalf("%d tests, want %d:\n%s", len(g.Tests), len(exercises), out)
	}
	sum := 0.0
	for i, test := range g.Tests {
		n := exercises[i].N
		sum += test.Score
		if s.Whole || forged[n] {
			if test.Score != 0 || test.Status != "failed" {
				t.Errorf("forged exercise %d: %s, score %v:\n%s", n, test.Status, test.Score, test.Output)
			}
			if want, ok := s.Says()[n]; ok && !textcheck.ContainsWords(test.Output, want) {
				t.Errorf("forged exercise %d: its verdict does not say %q:\n%s", n, want, test.Output)
			}
		} else if test.Score != test.MaxScore || test.Status != "passed" {
			t.Errorf("exercise %d (not forged): %s, score %v of %v:\n%s", n, test.Status, test.Score, test.MaxScore, test.Output)
		}
	}
	if sum != g.Score {
		t.Errorf("score %v is not the tests' sum %v", g.Score, sum)
	}
}

func TestCorpusForgeriesScoreNothing(t *testing.T) {
	for _, s := range append(append([]corpus.Submission(nil), corpus.Forgeries...), corpus.Together...) {
		t.Run(s.Name, func(t *testing.T) {
			path := corpusNotebook(t, s)
			out, code := nbgrade(t, path)
			checkText(t, s, out, code)
			out, _ = nbgrade(t, "-json", path)
			checkJSON(t, s, out)
		})
	}
}

func TestCorpusCorrectScoresFullMarks(t *testing.T) {
	for _, s := range corpus.Correct {
		t.Run(s.Name, func(t *testing.T) {
			path := corpusNotebook(t, s)
			out, code := nbgrade(t, path)
			checkText(t, s, out, code)
			out, _ = nbgrade(t, "-json", path)
			checkJSON(t, s, out)
		})
	}
}

// The corpus is as large as the issue asks, and covers every class.
func TestCorpusSize(t *testing.T) {
	classes := map[string]int{}
	for _, s := range corpus.Forgeries {
		classes[s.Class]++
	}
	for _, c := range []string{"lookup", "table", "self-consistency", "slice", "tolerance", "delegation", "hygiene", "source"} {
		if classes[c] == 0 {
			t.Errorf("no forgery of class %q", c)
		}
	}
	if len(corpus.Forgeries)+len(corpus.Layers) < 25 || len(corpus.Correct) < 20 {
		t.Errorf("%d forgeries (%d notebooks, %d layers) and %d correct notebooks; want ≥ 25 and ≥ 20",
			len(corpus.Forgeries)+len(corpus.Layers), len(corpus.Forgeries), len(corpus.Layers), len(corpus.Correct))
	}
}

// fmtP writes points as the verdict does.
func fmtP(p float64) string { return strconv.FormatFloat(p, 'g', -1, 64) }
