package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// BenchmarkGradeSubmission measures grading throughput: each iteration
// grades a different generated submission (a class: every third one has
// the lab's bug in its layer, so its source, and so its build, differs
// from the others'), end to end as cmd/nbgrade does: read, build, run the
// exercises, each in its own process. The metric s/submission is the
// wall time per submission.
//
//   - warm: the Go build cache holds the dependencies (as in the
//     Gradescope image, whose setup.sh warms it): a submission costs
//     compiling its own package, linking, and the checks.
//   - cold: every submission starts from an empty build cache (GOCACHE a
//     fresh directory): the toolchain compiles gonum and this module too.
//
// Run: go test -run '^$' -bench GradeSubmission -benchtime 2x ./cmd/nbgrade
// (a cold submission takes about 20 s on an idle 2-core machine).
func BenchmarkGradeSubmission(b *testing.B) {
	for _, cache := range []string{"warm", "cold"} {
		b.Run(cache, func(b *testing.B) {
			b.Setenv("GOPROXY", "off")
			n := 0
			var total time.Duration
			for b.Loop() {
				n++
				if cache == "cold" {
					b.Setenv("GOCACHE", b.TempDir())
				}
				cells := []string{fmt.Sprintf("// submission %d\nconst submissionID = %d", n, n)}
				if n%3 == 0 {
					cells = append(cells, labBugCell)
				}
				path := hostileNotebook(b, cells...)
				start := time.Now()
				var out, errs strings.Builder
				code := run([]string{"-json", path}, &out, &errs)
				total += time.Since(start)
				// A correct submission passes, one with the lab's bug fails:
				// the benchmark times real grading, not an early refusal.
				if want := map[bool]int{true: 1, false: 0}[n%3 == 0]; code != want {
					b.Fatalf("submission %d: exit %d, want %d:\n%s%s", n, code, want, out.String(), errs.String())
				}
			}
			b.ReportMetric(total.Seconds()/float64(n), "s/submission")
		})
	}
}

// labBugCell redefines the solutions' Backward with the lab's bug (G·W
// instead of Δ·W flows to the layer below).
const labBugCell = `import "gonum.org/v1/gonum/mat"

func (l *MyDense) Backward(g *mat.Dense) *mat.Dense {
	batch, nOut := g.Dims()
	delta := mat.NewDense(batch, nOut, nil)
	for n := range batch {
		for i := range nOut {
			if l.v.At(n, i) > 0 {
				delta.Set(n, i, g.At(n, i))
			}
		}
	}
	l.DW.Mul(delta.T(), l.x)
	for i := range nOut {
		s := 0.0
		for n := range batch {
			s += delta.At(n, i)
		}
		l.DB.Set(i, 0, s)
	}
	dx := new(mat.Dense)
	dx.Mul(g, l.W)
	return dx
}`
