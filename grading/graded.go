package grading

// The source rules' view of the exercises: which declarations of a
// notebook are graded (runner.SelectGraded) and which exercises delegate
// to package nn (runner.CheckDerived).

import (
	"context"
	"fmt"
	"go/types"
	"strings"

	"github.com/backprop-lab/backprop/grading/runner"
)

// sourceRules is the exercise as the source rules see it: its name, the
// learner's functions and types it needs (Bindings, Needs), and the
// identifiers of package nn it may use (MayUse).
func (e Exercise) sourceRules() runner.Graded {
	g := runner.Graded{Name: fmt.Sprintf("Exercise %d (%s)", e.N, e.Title), MayUse: e.MayUse}
	for _, b := range e.Bindings {
		g.Roots = append(g.Roots, b.Ident)
	}
	g.Roots = append(g.Roots, e.Needs...)
	return g
}

// sourceRulesList is every exercise's sourceRules, in order.
func sourceRulesList() []runner.Graded {
	var out []runner.Graded
	for _, e := range exercises {
		out = append(out, e.sourceRules())
	}
	return out
}

// SelectNotebook keeps of a notebook's declarations (as
// nbtool.GoSourceLines writes them) those the exercises need, with their
// imports, GoNB's init_* functions renamed init (runner.SelectGraded);
// Notes name the cells left out. Only the selection is source-checked and
// built: a scratch cell cannot fail a correct notebook.
func SelectNotebook(src []byte) (*runner.Selection, error) {
	return runner.SelectGraded(src, sourceRulesList())
}

// NotebookNotes is the note of a graded run for the selection's notes
// ("" if none).
func NotebookNotes(sel *runner.Selection) string {
	var b strings.Builder
	for i, n := range sel.Notes {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("Note: " + n + ".")
	}
	return b.String()
}

// delegation returns, by exercise number, the refusal of each exercise
// whose graded code names an identifier of package nn it may not use
// (MayUse): Dense.Backward, Network.LossAndGrad, Dense.Delta, an
// activation's derivative, an embedded *nn.Dense… (runner.CheckDerived,
// type-checked with the export data of the built worker module in dir).
// exports, if not nil, lists the export data (startExports) while the
// worker builds.
func delegation(ctx context.Context, dir string, src []byte, exports *exportsJob) (map[int]string, error) {
	if !CheckDelegation {
		return nil, nil
	}
	var imp types.Importer
	var err error
	if exports != nil {
		<-exports.done
		imp, err = exports.imp, exports.err
	} else {
		imp, err = runner.ExportImporter(ctx, dir, ".")
	}
	if err != nil {
		return nil, err
	}
	refused, err := runner.CheckDerived([]runner.LearnerPackage{{Path: "main", Files: map[string][]byte{"notebook.go": src}}},
		sourceRulesList(), imp)
	if err != nil {
		return nil, err
	}
	out := map[int]string{}
	for _, e := range exercises {
		if err := refused[e.sourceRules().Name]; err != nil {
			out[e.N] = err.Error()
		}
	}
	return out, nil
}

// exportsJob lists, in the background, the export data of the packages
// graded code may import (runner.ExportImporter in this project's
// directory), so that the go command's listing overlaps the worker's build.
type exportsJob struct {
	done chan struct{}
	imp  types.Importer
	err  error
}

// startExports starts an exportsJob in this project's directory dir; nil
// if there is none (a released version: the worker's module is listed
// after its build) or the check is off.
func startExports(ctx context.Context, dir string) *exportsJob {
	if dir == "" || !CheckDelegation {
		return nil
	}
	j := &exportsJob{done: make(chan struct{})}
	go func() {
		defer close(j.done)
		j.imp, j.err = runner.ExportImporter(ctx, dir)
	}()
	return j
}

// CheckDelegation turns delegation's check on; tests of the judge's other
// defences turn it off with the source check.
var CheckDelegation = true
