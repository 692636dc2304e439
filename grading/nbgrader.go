package grading

import (
	"fmt"
	"io"
	"os"
)

// NbgraderExecution is the environment variable nbgrader sets for the
// kernel while it runs a notebook to grade it ("autograde") or to validate
// it ("validate"); a learner's interactive kernel does not have it.
const NbgraderExecution = "NBGRADER_EXECUTION"

// Assert prints the verdict (as fmt.Println(r) does) and, in a run by
// nbgrader (NbgraderExecution set), panics unless the exercise passed. It
// is what the check cells of the exercises notebook call, so that each is
// also nbgrader's autograded test cell for its exercise: GoNB reports a
// cell program that panics as the cell's error, and nbgrader gives a test
// cell with an error 0 points and one without its points. Anywhere else it
// only prints, so that Run All on an unfinished notebook runs to the end
// with a ✗ under every unfinished exercise.
func (r ExerciseResult) Assert() {
	r.assert(os.Stdout, os.Getenv(NbgraderExecution) != "")
}

// assert is Assert writing to w, graded or not.
func (r ExerciseResult) assert(w io.Writer, graded bool) {
	fmt.Fprintln(w, r)
	if graded && !r.OK() {
		panic(r.failure())
	}
}

// failure is the panic of a graded check that did not pass: what and why
// in a few words, the verdict being printed above it.
func (r ExerciseResult) failure() string {
	return fmt.Sprintf("%s: %s (the verdict above says why); this test cell fails, so nbgrader gives it 0 points", r.Title, r.Status)
}
