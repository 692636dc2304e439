package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/grading"
	"github.com/backprop-lab/backprop/grading/runner"
	"github.com/backprop-lab/backprop/internal/textcheck"
)

// An exercise whose check could not decide is neither passed nor failed:
// "?" in the text, extra_data.check_error in results.json, and (none
// failed) the caller exits 2.
func TestCheckErrorIsNeitherPassNorFail(t *testing.T) {
	e := grading.ExerciseList()[2]
	res := grading.ExerciseResult{N: e.N, Title: e.Title, Status: grading.ExerciseCheckError,
		CheckError: "could not decide at this point (every element of W sits at a kink): check at another point"}
	res.Summary = "check error (not a wrong answer): " + res.CheckError + "."
	o := runner.Outcome{Unit: e.Unit(0), Verdict: res.Verdict(e.Points), Authentic: true}
	var text, js strings.Builder
	wrong, undecided := write(config{}, &text, []runner.Outcome{o})
	if wrong || !undecided || !strings.HasPrefix(text.String(), "? Exercise 3 (dense layer backward): check error (not a wrong answer): could not decide") ||
		!textcheck.ContainsWords(text.String(), "? marks a check that could not decide") {
		t.Errorf("wrong %v, undecided %v:\n%s", wrong, undecided, text.String())
	}
	write(config{json: true}, &js, []runner.Outcome{o})
	var g gradcheck.GradescopeResults
	if err := json.Unmarshal([]byte(js.String()), &g); err != nil {
		t.Fatal(err)
	}
	if g.Score != 0 || !textcheck.ContainsWords(g.ExtraData["check_error"], "Exercise 3 (dense layer backward): could not decide") {
		t.Errorf("%s", js.String())
	}
}
