//go:build unix

package nbtool

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/backprop-lab/backprop/grading"
	"github.com/backprop-lab/backprop/internal/testenv"
)

// The exercises notebook in nbgrader: the solutions notebook is nbgrader's
// source notebook, the config is the one the README gives instructors.
const (
	nbgraderConfig     = InstructorDir + "/nbgrader/nbgrader_config.py"
	nbgraderSolutions  = InstructorDir + "/10-exercises-solutions.ipynb"
	nbgraderAssignment = "exercises"    // the assignment's folder in the course
	nbgraderNotebook   = "10-exercises" // the notebook's name there, the learners'
)

// nbgraderCheckID is the grade_id of exercise n's autograded test cell (its
// check cell's id).
func nbgraderCheckID(n int) string { return fmt.Sprintf("ex%d-check", n) }

// nbgraderCell is the nbgrader metadata of a cell.
type nbgraderCell struct {
	Grade         bool     `json:"grade"`
	GradeID       string   `json:"grade_id"`
	Locked        bool     `json:"locked"`
	Points        *float64 `json:"points"`
	SchemaVersion int      `json:"schema_version"`
	Solution      bool     `json:"solution"`
}

// TestNbgraderMetadata checks the solutions notebook's nbgrader metadata
// against the grading table (grading.ExerciseList): every cell has some, with
// its id as grade_id; the solution cells are exactly those with a marked
// solution, unlocked and ungraded; the autograded test cells are exactly
// the exercises' check cells, locked, each worth its exercise's points;
// every other cell is locked (read-only).
func TestNbgraderMetadata(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, nbgraderSolutions))
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []struct {
			ID       string `json:"id"`
			Type     string `json:"cell_type"`
			Source   any    `json:"source"`
			Metadata struct {
				Nbgrader *nbgraderCell `json:"nbgrader"`
			} `json:"metadata"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(data, &nb); err != nil {
		t.Fatal(err)
	}
	points := map[string]float64{} // grade_id → the table's points
	total := 0.0
	for _, e := range grading.ExerciseList() {
		points[nbgraderCheckID(e.N)] = e.Points
		total += e.Points
	}
	graded, sum := map[string]bool{}, 0.0
	for i, c := range nb.Cells {
		where := fmt.Sprintf("cell %d (%s)", i+1, c.ID)
		m := c.Metadata.Nbgrader
		if m == nil {
			t.Errorf("%s: no nbgrader metadata (every cell is a solution, test or locked cell)", where)
			continue
		}
		src, err := sourceText(c.Source)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		if m.GradeID != c.ID || m.SchemaVersion != 3 {
			t.Errorf("%s: grade_id %q, schema_version %d; want the cell's id and 3", where, m.GradeID, m.SchemaVersion)
		}
		want, isCheck := points[c.ID]
		isSolution := strings.Contains(src, BeginSolution)
		switch {
		case isSolution:
			if !m.Solution || m.Grade || m.Locked || m.Points != nil || c.Type != "code" {
				t.Errorf("%s has a solution: want a code cell with solution true, grade false, locked false, no points; got %+v", where, *m)
			}
		case isCheck:
			graded[c.ID] = true
			if !m.Grade || m.Solution || !m.Locked || m.Points == nil || c.Type != "code" {
				t.Errorf("%s is an exercise's check: want an autograded code cell (grade true, solution false, locked true, points); got %+v", where, *m)
				continue
			}
			if *m.Points != want {
				t.Errorf("%s: %g points, the grading table says %g", where, *m.Points, want)
			}
			sum += *m.Points
			if !strings.Contains(src, ".Assert()") {
				t.Errorf("%s: a test cell must fail when the exercise is wrong: call Assert on the check's result\n%s", where, src)
			}
		default:
			if m.Solution || m.Grade || !m.Locked || m.Points != nil {
				t.Errorf("%s: want a locked (read-only) cell, neither solution nor graded; got %+v", where, *m)
			}
		}
	}
	for id := range points {
		if !graded[id] {
			t.Errorf("the grading table has an exercise whose check cell %s is not in the notebook", id)
		}
	}
	if sum != total {
		t.Errorf("the test cells are worth %g points, the grading table %g", sum, total)
	}
}

// wrongAnswers break one exercise each in the solutions notebook, by
// replacing a line of its solution: the usual mistakes.
var wrongAnswers = []struct {
	exercise int
	cell     string // the cell's id
	old, new string
}{
	{1, "ex1", "if v > 0 {", "if v >= 0 {"},                                             // the kink's convention
	{2, "ex2", "delta.Scale(1/float64(n), delta)", "delta.Scale(1, delta)"},             // no 1/N
	{3, "ex3", "dx.Mul(delta, l.W)", "dx.Mul(g, l.W)"},                                  // the lab's bug
	{4, "ex4", "p.Value.Sub(p.Value, step)", "p.Value.Add(p.Value, step)"},              // uphill
	{5, "ex5", "grad.Set(i, j, (up-down)/(2*h))", "grad.Set(i, j, (up-down)/h)"},        // 2h forgotten
	{6, "ex6", "return (1 - a*a) * gni", "return (1 - a) * gni"},                        // tanh′ wrong
	{7, "ex7", "down.Mul(delta, w[s])", "down.Mul(delta, w[s]); down.Scale(2, down)"},   // a wrong δ below
	{8, "ex8", "return 0.33958935, 0, -0.33958935", "return 0.33958935, 0, 0.33958935"}, // a sign
	{9, "ex9", "return a * (1 - a) * gni", "return (1 - a) * gni"},                      // σ′ wrong
	{10, "ex10", "p.Grad += n.Grad * n.Local(k)", "p.Grad = n.Grad * n.Local(k)"},       // overwritten, not accumulated
	{11, "ex11", "[]float64{z * (1 - z)}", "[]float64{1 - z}"},                          // σ′ wrong
}

// withWrongAnswers returns the solutions notebook with the wrong answers
// to the given exercises.
func withWrongAnswers(t *testing.T, solutions []byte, exercises ...int) []byte {
	t.Helper()
	var nb map[string]any
	if err := json.Unmarshal(solutions, &nb); err != nil {
		t.Fatal(err)
	}
	cells, _ := nb["cells"].([]any)
	for _, w := range wrongAnswers {
		if !slices.Contains(exercises, w.exercise) {
			continue
		}
		found := false
		for _, c := range cells {
			cell, _ := c.(map[string]any)
			if cell["id"] != w.cell {
				continue
			}
			src, err := sourceText(cell["source"])
			if err != nil || strings.Count(src, w.old) != 1 {
				t.Fatalf("exercise %d: cell %s has not exactly one %q (err %v): update wrongAnswers", w.exercise, w.cell, w.old, err)
			}
			cell["source"] = sourceLines(strings.Replace(src, w.old, w.new, 1))
			found = true
		}
		if !found {
			t.Fatalf("exercise %d: no cell %s", w.exercise, w.cell)
		}
	}
	out, err := json.Marshal(nb)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// requireNbgrader checks that the project's Python environment (bin, see
// [Venv]) has nbgrader, as requirements.txt pins it; it skips the test
// without it (fails it when CI is set).
func requireNbgrader(t testing.TB, bin string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(bin, "nbgrader")); err != nil {
		testenv.Missing(t, fmt.Sprintf("the nbgrader test needs nbgrader in the project's Python environment (make venv): %v", err))
	}
}

// TestNbgrader runs nbgrader 0.9 on the exercises notebook, end to end, in
// a temporary course directory with the committed config and the GoNB
// kernel TestNotebooks uses: generate_assignment from the solutions
// notebook (its release agrees with the committed learners' notebook, cell
// by cell), then autograde of four submissions — the solutions (full
// marks), the learners' notebook (0), and the solutions with wrong answers
// to exercises 1, 3, 6, 8, 10 and to 2, 4, 5, 7, 9, 11 (each loses exactly the points
// of its wrong exercises, cell by cell, as the grading table gives them) —
// and generate_feedback, whose HTML states each total.
func TestNbgrader(t *testing.T) {
	testenv.SkipShort(t, "nbgrader executes four submissions of the exercises notebook")
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	k := installKernel(t, false) // its env has the venv first on PATH: nbgrader runs alembic from there
	venv, env := k.venv, k.env
	requireNbgrader(t, venv)
	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-30*time.Second))
		defer cancel()
	}
	course := t.TempDir()
	nbgrader := func(args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, filepath.Join(venv, "nbgrader"), args...)
		cmd.Dir, cmd.Env = course, env
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
		cmd.WaitDelay = 10 * time.Second
		start := time.Now()
		out, err := cmd.CombinedOutput()
		logPath := filepath.Join(k.artefacts, "nbgrader-"+args[0]+".log")
		if werr := os.WriteFile(logPath, out, 0o644); werr != nil {
			t.Error(werr)
		}
		if err != nil {
			t.Fatalf("nbgrader %s: %v after %s; log in %s:\n%s", strings.Join(args, " "), err, time.Since(start).Round(time.Second), logPath, tail(out))
		}
		t.Logf("nbgrader %s: %s", strings.Join(args, " "), time.Since(start).Round(time.Second))
		return string(out)
	}
	t.Logf("%s", strings.TrimSpace(nbgrader("--version")))

	copyFile := func(data []byte, path ...string) {
		t.Helper()
		p := filepath.Join(append([]string{course}, path...)...)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(path string) []byte {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(root, path))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	solutions := read(nbgraderSolutions)
	file := nbgraderNotebook + ".ipynb"
	copyFile(read(nbgraderConfig), "nbgrader_config.py")
	copyFile(solutions, "source", nbgraderAssignment, file)

	nbgrader("generate_assignment", nbgraderAssignment)
	release, err := os.ReadFile(filepath.Join(course, "release", nbgraderAssignment, file))
	if err != nil {
		t.Fatal(err)
	}
	learners := read(filepath.Join(LessonsDir, file))
	if diff := sameCells(release, learners); diff != "" {
		t.Errorf("nbgrader's release and the learners' notebook (mkstudent) differ: %s", diff)
	}

	// The submissions, and the exercises each gets wrong.
	wrongA, wrongB := []int{1, 3, 6, 8, 10}, []int{2, 4, 5, 7, 9, 11}
	all := []int{}
	for _, e := range grading.ExerciseList() {
		all = append(all, e.N)
	}
	submissions := map[string]struct {
		notebook []byte
		wrong    []int
	}{
		"solutions":          {solutions, nil},
		"learner":            {learners, all},
		"wrong-1-3-6-8-10":   {withWrongAnswers(t, solutions, wrongA...), wrongA},
		"wrong-2-4-5-7-9-11": {withWrongAnswers(t, solutions, wrongB...), wrongB},
	}
	for student, s := range submissions {
		copyFile(s.notebook, "submitted", student, nbgraderAssignment, file)
	}
	nbgrader("autograde", nbgraderAssignment)

	// The gradebook: every student's score per test cell.
	query := exec.CommandContext(ctx, filepath.Join(venv, "python3"), "-c", `
import json, sys
from nbgrader.api import Gradebook
out = {}
with Gradebook("sqlite:///gradebook.db") as gb:
    for sub in gb.assignment_submissions(sys.argv[1]):
        for nb in sub.notebooks:
            out[sub.student_id] = {g.name: [g.score, g.max_score] for g in nb.grades}
print(json.dumps(out))
`, nbgraderAssignment)
	query.Dir, query.Env = course, env
	raw, err := query.Output()
	if err != nil {
		t.Fatalf("reading the gradebook: %v\n%s", err, raw)
	}
	var scores map[string]map[string][2]float64
	if err := json.Unmarshal(raw, &scores); err != nil {
		t.Fatalf("gradebook %s: %v", raw, err)
	}
	totals := map[string][2]float64{}
	for student, s := range submissions {
		got := scores[student]
		for _, e := range grading.ExerciseList() {
			id := nbgraderCheckID(e.N)
			want := e.Points
			if slices.Contains(s.wrong, e.N) {
				want = 0
			}
			g, ok := got[id]
			switch {
			case !ok:
				t.Errorf("%s: no grade for %s in the gradebook: %v", student, id, got)
			case g != [2]float64{want, e.Points}:
				t.Errorf("%s: exercise %d (%s) scored %g of %g, want %g of %g", student, e.N, id, g[0], g[1], want, e.Points)
			}
			totals[student] = [2]float64{totals[student][0] + want, totals[student][1] + e.Points}
		}
		if len(got) != len(grading.ExerciseList()) {
			t.Errorf("%s: %d graded cells in the gradebook, want one per exercise: %v", student, len(got), got)
		}
		scored := 0.0
		for _, g := range got {
			scored += g[0]
		}
		t.Logf("%s: %g of %g points in the gradebook %v", student, scored, totals[student][1], got)
	}

	nbgrader("generate_feedback", nbgraderAssignment)
	for student := range submissions {
		html, err := os.ReadFile(filepath.Join(course, "feedback", student, nbgraderAssignment, nbgraderNotebook+".html"))
		if err != nil {
			t.Errorf("%s: no feedback: %v", student, err)
			continue
		}
		want := fmt.Sprintf("(Score: %.1f / %.1f)", totals[student][0], totals[student][1])
		if !strings.Contains(string(html), want) {
			t.Errorf("%s: the feedback does not say %s", student, want)
		}
	}
}

// sameCells compares two notebooks' cells by id, type and source, and
// describes the first difference ("" if none).
func sameCells(a, b []byte) string {
	type cell struct {
		ID     string `json:"id"`
		Type   string `json:"cell_type"`
		Source any    `json:"source"`
	}
	var na, nb struct{ Cells []cell }
	if err := json.Unmarshal(a, &na); err != nil {
		return err.Error()
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		return err.Error()
	}
	if len(na.Cells) != len(nb.Cells) {
		return fmt.Sprintf("%d cells and %d", len(na.Cells), len(nb.Cells))
	}
	for i := range na.Cells {
		ca, cb := na.Cells[i], nb.Cells[i]
		sa, _ := sourceText(ca.Source)
		sb, _ := sourceText(cb.Source)
		if ca.ID != cb.ID || ca.Type != cb.Type {
			return fmt.Sprintf("cell %d: %s %s and %s %s", i+1, ca.Type, ca.ID, cb.Type, cb.ID)
		}
		la, lb := strings.Split(sa, "\n"), strings.Split(sb, "\n")
		for j := range max(len(la), len(lb)) {
			if j >= len(la) || j >= len(lb) || la[j] != lb[j] {
				return fmt.Sprintf("cell %d (%s), line %d: %q and %q", i+1, ca.ID, j+1, strings.Join(la[j:min(j+1, len(la))], ""), strings.Join(lb[j:min(j+1, len(lb))], ""))
			}
		}
	}
	return ""
}

func TestSameCells(t *testing.T) {
	nb := func(src string) []byte {
		return []byte(`{"cells": [{"id": "a", "cell_type": "code", "source": ["x\n", "` + src + `"]}]}`)
	}
	if d := sameCells(nb("y"), []byte(`{"cells": [{"id": "a", "cell_type": "code", "source": "x\ny"}]}`)); d != "" {
		t.Errorf("a source as lines and as one string differ: %s", d)
	}
	if d := sameCells(nb("y"), nb("z")); !strings.Contains(d, "line 2") || !strings.Contains(d, `"y" and "z"`) {
		t.Errorf("sameCells = %q, want line 2 and both lines", d)
	}
	if d := sameCells(nb("y"), []byte(`{"cells": []}`)); d == "" {
		t.Error("a missing cell is no difference")
	}
}

// TestRequireNbgrader: a venv without nbgrader skips the nbgrader test, or
// fails it under CI, naming make venv.
func TestRequireNbgrader(t *testing.T) {
	bin := t.TempDir()
	for _, ci := range []string{"", "1"} {
		t.Setenv(testenv.EnvCI, ci)
		r := testenv.NewRecorder(t)
		requireNbgrader(r, bin)
		msg := r.SkipMessage
		if ci != "" {
			msg = r.FatalMessage
		}
		if !strings.Contains(msg, "make venv") {
			t.Errorf("CI=%q: skip %q, fatal %q; want the one that applies, naming make venv", ci, r.SkipMessage, r.FatalMessage)
		}
	}
	if err := os.WriteFile(filepath.Join(bin, "nbgrader"), nil, 0o755); err != nil {
		t.Fatal(err)
	}
	r := testenv.NewRecorder(t)
	requireNbgrader(r, bin)
	if r.SkipMessage != "" || r.FatalMessage != "" {
		t.Errorf("with nbgrader: skip %q, fatal %q", r.SkipMessage, r.FatalMessage)
	}
}
