package grading

import (
	"context"
	"os"
	"testing"

	"github.com/backprop-lab/backprop/grading/runner"
	notebooks "github.com/backprop-lab/backprop/notebooks/nbtool"
)

// BenchmarkSourceRules times the source rules a notebook passes before
// its exercises are graded: "select" keeps the declarations the exercises
// need (SelectNotebook), "delegation" lists the export data and
// type-checks the selection (runner.ExportImporter, runner.CheckDerived),
// and "build", their peer in the same run, builds the worker (warm cache).
func BenchmarkSourceRules(b *testing.B) {
	data, err := os.ReadFile("../notebooks/instructor/10-exercises-solutions.ipynb")
	if err != nil {
		b.Fatal(err)
	}
	nb, err := notebooks.Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	src, err := notebooks.GoSourceLines(nb, "main")
	if err != nil {
		b.Fatal(err)
	}
	dir, _, err := runner.FindBackprop("..")
	if err != nil {
		b.Fatal(err)
	}
	sel, err := SelectNotebook(src)
	if err != nil {
		b.Fatal(err)
	}
	defined := map[string]bool{} // the solutions define every function asked for
	for _, e := range exercises {
		for _, bd := range e.Bindings {
			defined[bd.Ident] = true
		}
	}
	ctx := context.Background()
	b.Run("select", func(b *testing.B) {
		for b.Loop() {
			if _, err := SelectNotebook(src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("delegation", func(b *testing.B) {
		for b.Loop() {
			refused, err := delegation(ctx, "", sel.Source, startExports(ctx, dir))
			if err != nil || len(refused) > 0 {
				b.Fatal(refused, err)
			}
		}
	})
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			tmp, _, err := runner.Build(ctx, runner.Program{Module: WorkerModule, Backprop: dir,
				Files: map[string][]byte{"notebook.go": sel.Source, "main_nbgrade.go": []byte(WorkerMain(defined))}})
			if err != nil {
				b.Fatal(err)
			}
			os.RemoveAll(tmp)
		}
	})
}
