// Package corpus is the public corpus of submissions the graders are
// tested on: forgeries, which try to score without deriving (each must
// score 0 on every exercise it forges, on every grading path), and
// correct-but-unusual notebooks (each must score full marks).
//
// A notebook submission is the solutions notebook with code cells
// appended: a later declaration replaces an earlier one, as when a
// learner runs a changed cell again, so each submission replaces a few
// solutions (Notebook builds it). A layer submission is a directory tree
// for cmd/gradcheck (Layer). The tests that grade them live with each
// path: cmd/nbgrade (text and -json), cmd/autograder (the Gradescope zip,
// unpacked and run offline) and cmd/gradcheck.
package corpus

import (
	"encoding/json"
	"fmt"
)

// A Submission is a notebook of the corpus.
type Submission struct {
	// Name says what it tries, Class the class of the issue it belongs to.
	Name, Class string
	// Cells are appended to the solutions notebook, in order.
	Cells []string
	// Forged are the exercises it forges: each must score 0, every other
	// exercise full marks. Whole: the notebook is refused as a whole (a
	// source rule), so every exercise scores 0.
	Forged []int
	Whole  bool
	// Want is a phrase the verdict of the first forged exercise (or the
	// refusal) contains: the grader says why.
	Want string
}

// Notebook returns the solutions notebook (its JSON) with s's cells
// appended.
func (s Submission) Notebook(solutions []byte) ([]byte, error) {
	var nb map[string]any
	if err := json.Unmarshal(solutions, &nb); err != nil {
		return nil, fmt.Errorf("solutions notebook: %v", err)
	}
	cells, _ := nb["cells"].([]any)
	for _, c := range s.Cells {
		cells = append(cells, map[string]any{"cell_type": "code", "metadata": map[string]any{}, "outputs": []any{},
			"execution_count": nil, "source": c})
	}
	nb["cells"] = cells
	return json.Marshal(nb)
}

// ForgedSet returns Forged as a set.
func (s Submission) ForgedSet() map[int]bool {
	out := map[int]bool{}
	for _, n := range s.Forged {
		out[n] = true
	}
	return out
}
