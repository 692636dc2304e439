package main

// What of a notebook is graded: the declarations the exercises need
// (runner.SelectGraded), and which exercises delegate to package nn
// (runner.CheckDerived).

import (
	"context"

	"github.com/backprop-lab/backprop/grading"
	"github.com/backprop-lab/backprop/grading/runner"
)

// checkDerived is delegating; tests of the runner's own defences turn it
// off with checkSource.
var checkDerived = delegating

// selectGraded keeps of the notebook's declarations (GoSourceLines) those
// the exercises need; the notes name the cells left out.
func selectGraded(src []byte) (*runner.Selection, error) {
	return runner.SelectGraded(src, grading.GradedList())
}

// delegating returns the refusal of each exercise (by unit name) whose
// graded code uses package nn beyond what it may (Exercise.MayUse),
// type-checked against the export data of the generated module in dir
// (built, so the go command lists it from its cache).
func delegating(ctx context.Context, dir string, src []byte) (map[string]error, error) {
	imp, err := runner.ExportImporter(ctx, dir, ".")
	if err != nil {
		return nil, err
	}
	return runner.CheckDerived([]runner.LearnerPackage{{Path: "main", Files: map[string][]byte{"notebook.go": src}}},
		grading.GradedList(), imp)
}

// runGraded runs the units not refused and makes the refused ones failed
// outcomes, in the units' order.
func runGraded(ctx context.Context, bin string, units []runner.Unit, refused map[string]error, o *runner.Options) ([]runner.Outcome, error) {
	var run []runner.Unit
	for _, u := range units {
		if refused[u.Name] == nil {
			run = append(run, u)
		}
	}
	got, err := runner.Run(ctx, bin, run, o)
	if err != nil {
		return nil, err
	}
	out := make([]runner.Outcome, 0, len(units))
	for _, u := range units {
		if e := refused[u.Name]; e != nil {
			out = append(out, runner.Refused(u, e.Error()))
			continue
		}
		out = append(out, got[0])
		got = got[1:]
	}
	return out, nil
}
