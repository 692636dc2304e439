package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/backprop-lab/backprop/grading"
	"github.com/backprop-lab/backprop/grading/corpus"
)

// gradeZip grades notebook nb with the unpacked autograder at root, as
// Gradescope does, and returns its results.json.
func gradeZip(t *testing.T, root string, nb []byte) grading.GradescopeResults {
	t.Helper()
	for _, d := range []string{"submission", "results"} {
		os.RemoveAll(filepath.Join(root, d))
		os.MkdirAll(filepath.Join(root, d), 0o755)
	}
	if err := os.WriteFile(filepath.Join(root, "submission", notebookName), nb, 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, root, "run_autograder", 3*time.Minute)
	data, err := os.ReadFile(filepath.Join(root, "results", "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g grading.GradescopeResults
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatalf("results.json: %v\n%s", err, data)
	}
	return g
}

// The public corpus through the Gradescope zip, unpacked and run offline:
// every forged exercise scores 0 (alone and combined, corpus.Together), every other exercise and every correct
// notebook full marks.
func TestAutograderCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the zip and grades the corpus")
	}
	root := installAutograder(t)
	solutions, err := os.ReadFile(solutionsNotebook)
	if err != nil {
		t.Fatal(err)
	}
	all := append(append(append([]corpus.Submission(nil), corpus.Forgeries...), corpus.Together...), corpus.Correct...)
	for _, s := range all {
		t.Run(s.Name, func(t *testing.T) {
			nb, err := s.Notebook(solutions)
			if err != nil {
				t.Fatal(err)
			}
			g := gradeZip(t, root, nb)
			forged := s.ForgedSet()
			exercises := grading.ExerciseList()
			sum := 0.0
			for i, test := range g.Tests {
				if i >= len(exercises) {
					break
				}
				n := exercises[i].N
				sum += test.Score
				switch {
				case s.Whole || forged[n]:
					if test.Score != 0 {
						t.Errorf("forged exercise %d scores %v:\n%s", n, test.Score, test.Output)
					}
				case test.Score != test.MaxScore:
					t.Errorf("exercise %d (not forged) scores %v of %v:\n%s", n, test.Score, test.MaxScore, test.Output)
				}
			}
			if len(g.Tests) != len(exercises) || sum != g.Score {
				t.Errorf("%d tests, score %v (tests' sum %v)", len(g.Tests), g.Score, sum)
			}
		})
	}
}
