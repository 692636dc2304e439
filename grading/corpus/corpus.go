// Package corpus is the public corpus of submissions the graders are
// tested on: forgeries, which try to score without deriving (each must
// score 0 on every exercise it forges, on every grading path), and
// correct-but-unusual notebooks (each must score full marks).
//
// A notebook submission is the solutions notebook with code cells
// appended: a later declaration replaces an earlier one, as when a
// learner runs a changed cell again, so each submission replaces a few
// solutions (Notebook builds it). A layer submission is a directory tree
// for cmd/gradcheck (Layer). Each forgery is declared here once, with
// what it attacks (Name, Class), the exercises it forges and what their
// verdicts must say (Forged, Whole, Want); no test keeps a list of its
// own. The tests that grade them live with each path: grading (the judge,
// each notebook built once and graded at many seeds, its verdicts searched
// for the reference's values), cmd/nbgrade (text and -json),
// cmd/autograder (the Gradescope zip, unpacked and run offline) and
// cmd/gradcheck.
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

	// parts are the forgeries a Together notebook combines.
	parts []Submission
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

// Says returns, by exercise, the phrase its verdict must contain: Want for
// the first forged exercise, and each part's for a combination.
func (s Submission) Says() map[int]string {
	out := map[int]string{}
	for _, p := range s.parts {
		for n, w := range p.Says() {
			out[n] = w
		}
	}
	if len(s.parts) == 0 && !s.Whole && len(s.Forged) > 0 && s.Want != "" {
		out[s.Forged[0]] = s.Want
	}
	return out
}

// Together are notebooks that forge several exercises at once, each
// combining forgeries of Forgeries (named by Name): each forged exercise
// must still score 0, every other one full marks.
var Together = []Submission{
	combine("forgeries of exercises 1–7 in one notebook",
		"reluPrime answers only at the old fixed probes",
		"δ scaled by 1.02",
		"dense layer: Forward of zeros, Backward of zeros",
		"sgdStep replaces the slice's matrices, not the network's",
		"numGrad returns a table once read off a verdict, without evaluating the loss",
		"tanh layer: Forward cached by the input's pointer, Backward without ∂E/∂X",
		"backprop: every ∂E/∂W scaled by 0.98"),
	combine("a fixed δ, a scaled dense ∂E/∂W and a zero tanh layer in one notebook",
		"outputDelta returns the answer of an old fixed input",
		"dense layer: ∂E/∂W scaled by 0.98",
		"tanh layer: Forward of zeros, Backward of zeros"),
}

// combine is the notebook of the named forgeries' cells, in order; it
// forges the union of what they forge. An unknown name panics.
func combine(name string, parts ...string) Submission {
	c := Submission{Name: name, Class: "together"}
	forged := map[int]bool{}
	for _, p := range parts {
		f, ok := ByName(p)
		if !ok || f.Whole {
			panic(fmt.Sprintf("corpus: %q combines %q, which is no forgery of single exercises", name, p))
		}
		c.parts = append(c.parts, f)
		c.Cells = append(c.Cells, f.Cells...)
		for _, n := range f.Forged {
			if !forged[n] {
				forged[n] = true
				c.Forged = append(c.Forged, n)
			}
		}
	}
	return c
}

// ByName returns the forgery of Forgeries named name.
func ByName(name string) (Submission, bool) {
	for _, f := range Forgeries {
		if f.Name == name {
			return f, true
		}
	}
	return Submission{}, false
}

// ForgedSet returns Forged as a set.
func (s Submission) ForgedSet() map[int]bool {
	out := map[int]bool{}
	for _, n := range s.Forged {
		out[n] = true
	}
	return out
}
