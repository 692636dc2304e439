package main

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/backprop-lab/backprop/internal/textcheck"
)

// Exercise 3's commonest mistakes, in a learner's notebook: the verdict's
// first line names the cause; a panic names the learner's cell and line,
// counted among the code cells only (the appended cell is the last code
// cell, appendedCodeCell).
func TestExercise3Causes(t *testing.T) {
	cell := appendedCodeCell(t)
	const head = "import \"gonum.org/v1/gonum/mat\"\n\nfunc (l *MyDense) Backward(g *mat.Dense) *mat.Dense {\n"
	const mask = `	batch, nOut := g.Dims()
	delta := mat.NewDense(batch, nOut, nil)
	for n := range batch {
		for i := range nOut {
			if l.v.At(n, i) > 0 {
				delta.Set(n, i, g.At(n, i))
			}
		}
	}
`
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"Wᵀ", mask + "\tl.DW.Mul(delta.T(), l.x)\n\tdx := new(mat.Dense)\n\tdx.Mul(delta, l.W.T())\n\treturn dx\n}",
			[]string{fmt.Sprintf("✗ Exercise 3 (dense layer backward): your code panicked: mat: dimension mismatch (in (*MyDense).Backward at code cell %d, line 15)", cell),
				"products that fit: Δ·W:"}},
		{"DB never written", mask + "\tl.DW.Mul(delta.T(), l.x)\n\tdx := new(mat.Dense)\n\tdx.Mul(delta, l.W)\n\treturn dx\n}",
			[]string{"✗ Exercise 3 (dense layer backward): wrong: cause (certain): never written: Backward leaves this gradient at zero (b)."}},
		{"mask missing", "\tl.DW.Mul(g.T(), l.x)\n\tfor i := range l.DB.RawMatrix().Rows {\n\t\tl.DB.Set(i, 0, mat.Sum(g.ColView(i)))\n\t}\n\tdx := new(mat.Dense)\n\tdx.Mul(g, l.W)\n\treturn dx\n}",
			[]string{"✗ Exercise 3 (dense layer backward): wrong: your ∂E/∂W uses no derivative at all: Δ = G, the ReLU′ mask left out"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, code := nbgrade(t, hostileNotebook(t, head+tc.body))
			if code != 1 {
				t.Errorf("exit %d", code)
			}
			for _, want := range tc.want {
				if !textcheck.ContainsWords(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

// appendedCodeCell is the number, among code cells, of a cell appended to
// the solutions notebook (hostileNotebook).
func appendedCodeCell(t *testing.T) int {
	t.Helper()
	data, err := os.ReadFile(solutionsNotebook)
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []struct {
			Type string `json:"cell_type"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(data, &nb); err != nil {
		t.Fatal(err)
	}
	n := 1
	for _, c := range nb.Cells {
		if c.Type == "code" {
			n++
		}
	}
	return n
}
