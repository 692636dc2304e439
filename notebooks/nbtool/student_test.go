package nbtool

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStudentVersionsUpToDate keeps every committed student version equal
// to what mkstudent generates from its solutions notebook: edit the
// solutions, then run go run ./notebooks/nbtool/cmd/mkstudent.
func TestStudentVersionsUpToDate(t *testing.T) {
	sols, err := filepath.Glob(filepath.Join(repoRoot, InstructorDir, "*"+SolutionsSuffix+".ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sols) == 0 {
		t.Fatalf("no solutions notebooks in %s", InstructorDir)
	}
	for _, sol := range sols {
		t.Run(nameOf(sol), func(t *testing.T) {
			raw, err := os.ReadFile(sol)
			if err != nil {
				t.Fatal(err)
			}
			want, err := Student(raw)
			if err != nil {
				t.Fatalf("%s: %v", sol, err)
			}
			name := StudentPath(sol)
			got, err := os.ReadFile(name)
			if err != nil {
				t.Fatalf("%s has no student version: %v (run go run ./notebooks/nbtool/cmd/mkstudent)", sol, err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs from the student version of %s: run go run ./notebooks/nbtool/cmd/mkstudent", name, sol)
			}
			if strings.Contains(string(got), BeginSolution) || strings.Contains(string(got), EndSolution) {
				t.Errorf("%s still contains solution markers", name)
			}
		})
	}
}

func TestStudent(t *testing.T) {
	sol := `{"nbformat": 4, "nbformat_minor": 5,
	 "metadata": {"kernelspec": {"name": "gonb"}, "backprop": {"expect": ["✓ Exercise 1"]}, "student": {"expect": ["not implemented yet"]}},
	 "cells": [
	  {"cell_type": "markdown", "id": "m", "metadata": {}, "source": ["# Title\n", "\n", "<!-- BEGIN SOLUTION -->\n", "Instructors only.\n", "<!-- END SOLUTION -->\n", "\n", "For everyone."]},
	  {"cell_type": "markdown", "id": "only", "metadata": {}, "source": "<!-- BEGIN SOLUTION -->\nAll secret.\n<!-- END SOLUTION -->"},
	  {"cell_type": "code", "id": "c", "execution_count": 3, "metadata": {"backprop": {"expect": ["✓"]}}, "outputs": [{"output_type": "stream", "name": "stdout", "text": "✓\n"}],
	   "source": ["// reluPrime is ReLU′.\n", "func reluPrime(v float64) float64 {\n", "\t// BEGIN SOLUTION\n", "\tif v > 0 {\n", "\t\treturn 1\n", "\t}\n", "\treturn 0\n", "\t// END SOLUTION\n", "}"]},
	  {"cell_type": "code", "id": "k", "execution_count": 4, "metadata": {"student": {"expect": ["✗"]}}, "outputs": [], "source": "%%\nfmt.Println(1)"}
	 ]}`
	got, err := Student([]byte(sol))
	if err != nil {
		t.Fatal(err)
	}
	nb, err := Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	if p := nb.Metadata.Backprop.patterns(); len(p) != 1 || p[0] != "not implemented yet" {
		t.Errorf("notebook expectations %q, want the student ones", p)
	}
	if len(nb.Cells) != 3 {
		t.Fatalf("%d cells, want 3 (the instructors-only cell dropped)", len(nb.Cells))
	}
	if md := string(nb.Cells[0].Source); md != "# Title\n\nFor everyone." {
		t.Errorf("markdown = %q", md)
	}
	wantCode := "// reluPrime is ReLU′.\nfunc reluPrime(v float64) float64 {\n\t// YOUR CODE HERE\n\tpanic(\"not implemented\")\n}"
	if code := string(nb.Cells[1].Source); code != wantCode {
		t.Errorf("code =\n%s\nwant\n%s", code, wantCode)
	}
	if nb.Cells[1].Metadata.Backprop != nil || len(nb.Cells[1].Outputs) != 0 || nb.Cells[1].ExecutionCount != nil {
		t.Errorf("cell 2 keeps the solutions' expectations or outputs: %+v", nb.Cells[1])
	}
	if p := nb.Cells[2].Metadata.Backprop.patterns(); len(p) != 1 || p[0] != "✗" {
		t.Errorf("cell 3 expectations %q", p)
	}
	if strings.Contains(string(got), `"student"`) {
		t.Error(`the student version keeps "student" metadata`)
	}
	if again, err := Strip(got); err != nil || string(again) != string(got) {
		t.Errorf("the student version is not stripped (err %v)", err)
	}
}

func TestStudentErrors(t *testing.T) {
	cell := func(typ, src string) string {
		return `{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "` + typ + `", "metadata": {}, "source": ` + src + `}]}`
	}
	for name, nb := range map[string]string{
		"no markers":       cell("code", `"func f() {}"`),
		"begin only":       cell("code", `"func f() {\n// BEGIN SOLUTION\n}"`),
		"end only":         cell("code", `"func f() {\n// END SOLUTION\n}"`),
		"nested":           cell("code", `"// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION"`),
		"markdown unended": cell("markdown", `"<!-- BEGIN SOLUTION -->\nx"`),
	} {
		if _, err := Student([]byte(nb)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestStudentName(t *testing.T) {
	for in, want := range map[string]string{
		"10-exercises-solutions.ipynb": "10-exercises.ipynb",
		"10-exercises.ipynb":           "",
		"solutions.ipynb":              "",
	} {
		if got := StudentName(in); got != want {
			t.Errorf("StudentName(%q) = %q, want %q", in, got, want)
		}
	}
}
