package grading

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/backprop-lab/backprop/grading/learner"
)

// Graded is one exercise's verdict in a graded run: the judge's verdict,
// its score, and what the learner's code printed meanwhile (a
// learner.Block, shown under a verdict that did not pass).
type Graded struct {
	Result     ExerciseResult
	Points     float64 // scored
	MaxPoints  float64
	Printed    string
	TestName   string // Gradescope's test name: "Exercise 1: ReLU′"
	Visibility string // Gradescope's visibility of the test
}

// Results are the verdicts of one graded run of a notebook or a layer:
// the only place a grading path's text and Gradescope's results.json are
// made.
type Results struct {
	// Seed drew every input of the run; the same seed replays it (-seed).
	Seed uint64
	// Graded are the verdicts, in order.
	Graded []Graded
	// Refused, if set, is why nothing could be graded (the code does not
	// build, or a source rule refused it): every exercise failed.
	Refused string
	// Note is a sentence printed under the verdicts (e.g. that a layer
	// was checked without a specification).
	Note string
	// Unit names what Graded holds in the total line (default "exercises").
	Unit string
}

// Score returns the points scored and the maximum.
func (r *Results) Score() (got, max float64) {
	for _, g := range r.Graded {
		got += g.Points
		max += g.MaxPoints
	}
	return got, max
}

// Wrong reports whether an exercise failed; Undecided whether a check
// could not decide (ExerciseCheckError).
func (r *Results) Wrong() bool {
	for _, g := range r.Graded {
		if !g.Result.OK() && g.Result.Status != ExerciseCheckError {
			return true
		}
	}
	return r.Refused != ""
}

// Undecided reports whether a check could not decide.
func (r *Results) Undecided() bool {
	for _, g := range r.Graded {
		if g.Result.Status == ExerciseCheckError {
			return true
		}
	}
	return false
}

// ExitCode is a grading command's exit status: 0 if everything passed, 1
// if something failed or was refused, 2 if a check could not decide and
// nothing failed.
func (r *Results) ExitCode() int {
	switch {
	case r.Wrong():
		return 1
	case r.Undecided():
		return 2
	}
	return 0
}

// Text renders the verdicts, one ✓/✗ line each with its points, what the
// learner's code printed under a failed one, and the total.
func (r *Results) Text() string {
	var b strings.Builder
	if r.Refused != "" {
		b.WriteString("✗ " + r.Refused + "\n")
	}
	passed := 0
	for _, g := range r.Graded {
		if g.Result.OK() {
			passed++
		}
		if r.Refused == "" {
			b.WriteString(withPoints(g.Result.String(), g.Points, g.MaxPoints) + "\n")
			if g.Printed != "" && !g.Result.OK() {
				b.WriteString(indent(g.Printed, "    ") + "\n")
			}
		}
	}
	got, max := r.Score()
	unit := r.Unit
	if unit == "" {
		unit = "exercises"
	}
	fmt.Fprintf(&b, "%d of %d %s passed, %s of %s points\n", passed, len(r.Graded), unit, fmtPoints(got), fmtPoints(max))
	if r.Undecided() {
		b.WriteString("? marks a check that could not decide (an error of the check, not a wrong answer): grade those exercises by hand.\n")
	}
	if r.Note != "" {
		b.WriteString(wrapLines(r.Note, verdictWidth) + "\n")
	}
	if r.Refused == "" {
		fmt.Fprintf(&b, "Inputs drawn with seed %d (-seed %d replays this run).\n", r.Seed, r.Seed)
	}
	return b.String()
}

// GradescopeResults is Gradescope's results.json: a top-level score and
// one test per exercise (or per check).
type GradescopeResults struct {
	Score  float64          `json:"score"`
	Output string           `json:"output,omitempty"`
	Tests  []GradescopeTest `json:"tests"`
	// ExtraData is Gradescope's free-form extra_data: "seed" (to replay
	// the run) and, for a check that could not decide, "check_error".
	ExtraData map[string]string `json:"extra_data,omitempty"`
}

// GradescopeTest is one entry of results.json's tests array.
type GradescopeTest struct {
	Name       string  `json:"name"`
	Score      float64 `json:"score"`
	MaxScore   float64 `json:"max_score"`
	Status     string  `json:"status"` // "passed" or "failed"
	Output     string  `json:"output"`
	Visibility string  `json:"visibility"`
}

// Gradescope builds results.json: one test per exercise worth its points,
// its output the verdict (which never holds an expected value) and what
// the learner's code printed.
func (r *Results) Gradescope() *GradescopeResults {
	g := &GradescopeResults{ExtraData: map[string]string{"seed": strconv.FormatUint(r.Seed, 10)}}
	if r.Refused != "" {
		g.Output = "The code could not be graded, so no exercise could be checked: " + r.Refused
	} else if r.Note != "" {
		g.Output = r.Note
	}
	var undecided []string
	for _, gr := range r.Graded {
		t := GradescopeTest{Name: gr.TestName, MaxScore: gr.MaxPoints, Score: gr.Points, Status: "failed",
			Output: gr.Result.String(), Visibility: gr.Visibility}
		if t.Visibility == "" {
			t.Visibility = "visible"
		}
		if r.Refused != "" {
			t.Output = r.Refused
		}
		if gr.Result.OK() {
			t.Status = "passed"
		}
		if gr.Printed != "" && !gr.Result.OK() {
			t.Output += "\n\n" + gr.Printed
		}
		if gr.Result.Status == ExerciseCheckError {
			undecided = append(undecided, gr.TestName+": "+gr.Result.CheckError)
		}
		g.Score += t.Score
		g.Tests = append(g.Tests, t)
	}
	if len(undecided) > 0 {
		g.ExtraData["check_error"] = strings.Join(undecided, "; ")
	}
	return g
}

// JSON is results.json's text.
func (r *Results) JSON() []byte { return r.Gradescope().JSON() }

// JSON marshals g, indented, with a final newline.
func (g *GradescopeResults) JSON() []byte {
	data, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		panic(err) // only plain values: cannot fail
	}
	return append(data, '\n')
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// printed renders what the learner's code printed (learner.Block).
func printed(out string, truncated bool) string { return learner.Block(out, 20, 200, truncated) }
