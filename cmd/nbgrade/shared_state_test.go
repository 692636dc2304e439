package main

import (
	"testing"

	"github.com/backprop-lab/backprop/internal/textcheck"
)

// powSoftmaxCell answers exercise 2 wrongly (a − y, without the 1/N) and
// replaces nn.Softmax by one whose outputs are raised to the power N, so
// that a check reading nn.Softmax would see the loss N·E, whose gradient
// is exactly a − y: a forged pass through state the grader's reference
// computation reads.
const powSoftmaxCell = `import ("math"; "github.com/backprop-lab/backprop/nn"; "gonum.org/v1/gonum/mat")

type powSoftmax struct{ nn.Activation }

func (p powSoftmax) Forward(a, v *mat.Dense) {
	p.Activation.Forward(a, v)
	r, c := a.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			a.Set(i, j, math.Pow(a.At(i, j), float64(r)))
		}
	}
}

func outputDelta(a, y *mat.Dense) *mat.Dense {
	nn.Softmax = powSoftmax{nn.Softmax}
	d := new(mat.Dense)
	d.Sub(a, y)
	return d
}`

// Code that changes another package's state, or switches the process's
// BLAS, is refused before it runs, naming the cell and line; past that
// check (turned off), the grader's reference computations do not read
// what the code changed.
func TestSharedStateForgesNothing(t *testing.T) {
	for cell, want := range map[string]string{
		powSoftmaxCell: ", line 16: assigning to nn.Softmax is not allowed in graded code",
		"import \"github.com/backprop-lab/backprop/nn\"\n\nvar hijack = func() int { nn.ReLU = nn.Identity; return 0 }()\n\nfunc reluPrime(v float64) float64 {\n\t_ = hijack\n\tif v > 0 {\n\t\treturn 1\n\t}\n\treturn 0\n}": "line 3: assigning to nn.ReLU is not allowed",
		"import \"github.com/backprop-lab/backprop/nn\"\n\nvar p = &nn.Softmax\n\nfunc reluPrime(v float64) float64 {\n\t_ = p\n\tif v > 0 {\n\t\treturn 1\n\t}\n\treturn 0\n}":                                                "line 3: taking the address of nn.Softmax is not allowed",
		"import \"github.com/backprop-lab/backprop/nn\"\n\nfunc reluPrime(v float64) float64 { nn.UseGonumBLAS(); return 0 }":                                                                                                  "nn.UseGonumBLAS is not allowed in graded code: it switches the BLAS of the whole process",
		"import . \"github.com/backprop-lab/backprop/nn\"\n\nvar _ = ReLU":                                                                                                                                                     "the dot import of \"github.com/backprop-lab/backprop/nn\" is not allowed",
	} {
		path := hostileNotebook(t, cell)
		refusedWhole(t, path, want)
	}
	// The same write in a declaration no exercise needs is not built, so it
	// never runs: full marks, and a note names the cell left out.
	out, code := nbgrade(t, hostileNotebook(t, "import \"github.com/backprop-lab/backprop/nn\"\n\nvar hijack = func() int { nn.ReLU = nn.Identity; return 0 }()"))
	if code != 0 || !textcheck.ContainsWords(out, wantScore()) || !textcheck.ContainsWords(out, "not graded: not needed by any exercise.") {
		t.Errorf("a write no exercise needs: exit %d:\n%s", code, out)
	}

	withoutSourceCheck(t)
	out, code = nbgrade(t, "-limit", "5s", hostileNotebook(t, powSoftmaxCell))
	if code != 1 || !textcheck.ContainsWords(out, "✗ Exercise 2 (output delta δ⁽ʰ⁾): wrong") || !textcheck.ContainsWords(out, wantScore(2)) {
		t.Errorf("exit %d:\n%s", code, out)
	}
}
