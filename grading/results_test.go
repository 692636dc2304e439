package grading

import (
	"encoding/json"
	"github.com/backprop-lab/backprop/internal/textcheck"
	"strings"
	"testing"
)

// An exercise whose check could not decide is neither passed nor failed:
// "?" in the text, extra_data.check_error in results.json, and (none
// failed) exit status 2.
func TestCheckErrorIsNeitherPassNorFail(t *testing.T) {
	e := exerciseByN(3)
	res := ExerciseResult{N: e.N, Title: e.Title, Status: ExerciseCheckError,
		CheckError: "could not decide at this point (every element of W sits at a kink): check at another point"}
	res.Summary = "check error (not a wrong answer): " + res.CheckError + "."
	r := &Results{Seed: 7, Graded: []Graded{e.graded(res, 0, "")}}
	text := r.Text()
	if r.Wrong() || !r.Undecided() || r.ExitCode() != 2 ||
		!strings.HasPrefix(text, "? Exercise 3 (dense layer backward): check error (not a wrong answer): could not decide") ||
		!textcheck.ContainsWords(text, "? marks a check that could not decide") {
		t.Errorf("wrong %v, undecided %v, exit %d:\n%s", r.Wrong(), r.Undecided(), r.ExitCode(), text)
	}
	var g GradescopeResults
	if err := json.Unmarshal(r.JSON(), &g); err != nil {
		t.Fatal(err)
	}
	if g.Score != 0 || !textcheck.ContainsWords(g.ExtraData["check_error"], "Exercise 3: dense layer backward: could not decide") || g.ExtraData["seed"] != "7" {
		t.Errorf("%s", r.JSON())
	}
}

// A refused notebook fails every exercise, keeps the maximum score and
// says why in every test.
func TestRefusedNotebookKeepsTheMaximum(t *testing.T) {
	r := RefuseNotebook("the notebook's code does not build: x", 0)
	got, max := r.Score()
	want := 0.0
	for _, e := range exercises {
		want += e.Points
	}
	if got != 0 || max != want || r.ExitCode() != 1 {
		t.Errorf("score %g of %g, exit %d", got, max, r.ExitCode())
	}
	var g GradescopeResults
	if err := json.Unmarshal(r.JSON(), &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Tests) != len(exercises) || !strings.Contains(g.Tests[0].Output, "does not build") {
		t.Errorf("%s", r.JSON())
	}
}
