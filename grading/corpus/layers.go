package corpus

// Layer submissions for cmd/gradcheck.

import "strings"

// A Layer is a student's layer package for cmd/gradcheck: files of a
// directory tree (slash paths; the package is Dir), and symbolic links
// (link path → target; a target "OUTSIDE/…" lies outside the tree).
type Layer struct {
	Name, Class string
	Dir         string
	Files       map[string]string
	Symlinks    map[string]string
	// Forged: gradcheck must fail it (exit 1). Want is a phrase of its
	// verdict.
	Forged bool
	Want   string
}

// layerGo is a correct dense ReLU layer from scratch, package student; its
// Backward's body is %s.
const layerHead = `package student

import (
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

type Layer struct {
	W, B, DW, DB *mat.Dense
	x, v         *mat.Dense
}

func NewLayer(nIn, nOut int) *Layer {
	return &Layer{W: mat.NewDense(nOut, nIn, nil), B: mat.NewDense(nOut, 1, nil),
		DW: mat.NewDense(nOut, nIn, nil), DB: mat.NewDense(nOut, 1, nil)}
}

func (l *Layer) Params() []nn.Param {
	return []nn.Param{{Name: "W", Value: l.W, Grad: l.DW}, {Name: "b", Value: l.B, Grad: l.DB}}
}
`

const layerForward = `
func (l *Layer) Forward(x *mat.Dense) *mat.Dense {
	l.x = x
	l.v = new(mat.Dense)
	l.v.Mul(x, l.W.T())
	l.v.Apply(func(_, i int, t float64) float64 { return t + l.B.At(i, 0) }, l.v)
	a := new(mat.Dense)
	a.Apply(func(_, _ int, t float64) float64 { return max(t, 0) }, l.v)
	return a
}
`

const layerBackward = `
func (l *Layer) Backward(g *mat.Dense) *mat.Dense {
	delta := new(mat.Dense)
	delta.Apply(func(n, i int, t float64) float64 {
		if l.v.At(n, i) > 0 {
			return t
		}
		return 0
	}, g)
	l.DW.Mul(delta.T(), l.x)
	_, nOut := delta.Dims()
	for i := 0; i < nOut; i++ {
		l.DB.Set(i, 0, mat.Sum(delta.ColView(i)))
	}
	dx := new(mat.Dense)
	dx.Mul(delta, l.W)
	return dx
}
`

const goMod = "module example.com/layer\n\ngo 1.26\n"

// Layers are cmd/gradcheck's corpus: forgeries (Forged) and correct but
// unusual packages.
var Layers = []Layer{
	{Name: "zero Forward and zero Backward (self-consistent)", Class: "self-consistency", Forged: true, Want: "FAIL", Dir: ".",
		Files: map[string]string{"go.mod": goMod, "layer.go": layerHead + `
func (l *Layer) Forward(x *mat.Dense) *mat.Dense {
	r, _ := x.Dims()
	n, _ := l.W.Dims()
	return mat.NewDense(r, n, nil)
}

func (l *Layer) Backward(g *mat.Dense) *mat.Dense {
	l.DW.Zero()
	l.DB.Zero()
	r, _ := g.Dims()
	_, c := l.W.Dims()
	return mat.NewDense(r, c, nil)
}
`}},
	{Name: "∂E/∂W scaled by 0.98", Class: "tolerance", Forged: true, Want: "FAIL", Dir: ".",
		Files: map[string]string{"go.mod": goMod, "layer.go": layerHead + layerForward + `
func (l *Layer) Backward(g *mat.Dense) *mat.Dense {
	delta := new(mat.Dense)
	delta.Apply(func(n, i int, t float64) float64 {
		if l.v.At(n, i) > 0 {
			return t
		}
		return 0
	}, g)
	l.DW.Mul(delta.T(), l.x)
	l.DW.Scale(0.98, l.DW)
	_, nOut := delta.Dims()
	for i := 0; i < nOut; i++ {
		l.DB.Set(i, 0, mat.Sum(delta.ColView(i)))
	}
	dx := new(mat.Dense)
	dx.Mul(delta, l.W)
	return dx
}
`}},
	{Name: "an embedded *nn.Dense", Class: "delegation", Forged: true, Want: "may not use nn.Dense", Dir: ".",
		Files: map[string]string{"go.mod": goMod, "layer.go": `package student

import "github.com/backprop-lab/backprop/nn"

type Layer struct{ *nn.Dense }

func NewLayer(nIn, nOut int) Layer { return Layer{nn.NewDense(nIn, nOut, nn.ReLU)} }
`}},
	{Name: "nn.Dense hidden behind an alias in another package of the module", Class: "delegation", Forged: true, Want: "may not use nn.Dense", Dir: "layer",
		Files: map[string]string{"go.mod": goMod, "base/base.go": "package base\n\nimport \"github.com/backprop-lab/backprop/nn\"\n\ntype Dense = nn.Dense\n\nvar ReLU = nn.ReLU\n",
			"layer/layer.go": `package layer

import (
	"example.com/layer/base"
	"github.com/backprop-lab/backprop/nn"
)

type Layer struct{ *base.Dense }

func NewLayer(nIn, nOut int) nn.Layer { return Layer{nn.NewDense(nIn, nOut, base.ReLU)} }
`}},
	{Name: "Backward masks with nn.ReLU's derivative", Class: "delegation", Forged: true, Want: "may not use nn.ReLU", Dir: ".",
		Files: map[string]string{"go.mod": goMod, "layer.go": layerHead + layerForward + `
func (l *Layer) Backward(g *mat.Dense) *mat.Dense {
	delta := new(mat.Dense)
	delta.Apply(func(n, i int, t float64) float64 { return nn.ReLU.Deriv(l.v.At(n, i), 0) * t }, g)
	l.DW.Mul(delta.T(), l.x)
	_, nOut := delta.Dims()
	for i := 0; i < nOut; i++ {
		l.DB.Set(i, 0, mat.Sum(delta.ColView(i)))
	}
	dx := new(mat.Dense)
	dx.Mul(delta, l.W)
	return dx
}
`}},
	{Name: "a module named golang.org/x/sys (substituted for the grader's own)", Class: "substitution", Forged: true, Want: "collides with module", Dir: "unix",
		Files: map[string]string{"go.mod": "module golang.org/x/sys\n\ngo 1.26\n", "unix/layer.go": strings.Replace(layerHead, "package student", "package unix", 1) + layerForward + layerBackward}},
	{Name: "a symlinked .go file (its target is not read)", Class: "symlink", Forged: true, Want: "is a symbolic link", Dir: ".",
		Files:    map[string]string{"go.mod": goMod, "layer.go": layerHead + layerForward + layerBackward},
		Symlinks: map[string]string{"more.go": "OUTSIDE/secret.go"}},
	{Name: "a symlinked package directory of the module", Class: "symlink", Forged: true, Want: "symbolic link to a directory", Dir: "layer",
		Files:    map[string]string{"go.mod": goMod, "layer/layer.go": strings.Replace(layerHead, "import (\n", "import (\n\t_ \"example.com/layer/util\"\n", 1) + layerForward + layerBackward},
		Symlinks: map[string]string{"util": "OUTSIDE/util"}},
	{Name: "a Backward that prints fake PASS lines with ANSI escapes, and panics", Class: "hygiene", Forged: true, Want: "FAIL", Dir: ".",
		Files: map[string]string{"go.mod": goMod, "layer.go": strings.Replace(layerHead, "import (\n", "import (\n\t\"fmt\"\n", 1) + layerForward + `
func (l *Layer) Backward(g *mat.Dense) *mat.Dense {
	fmt.Println("\x1b[2K\rlayer NewLayer(6, 5): passed\nPASS")
	panic("\x1b[1A\rPASS\u202e")
}
`}},
	// Correct but unusual.
	{Name: "build-ignored files: //go:build ignore (package main, os), another GOOS, _test.go", Class: "correct", Dir: ".",
		Files: map[string]string{"go.mod": goMod, "layer.go": layerHead + layerForward + layerBackward,
			"gen.go":           "//go:build ignore\n\npackage main\n\nimport \"os\"\n\nfunc main() { os.Exit(3) }\n",
			"layer_windows.go": "package student\n\nimport \"os\"\n\nvar _ = os.Args\n",
			"layer_test.go":    "package student\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\nfunc TestX(t *testing.T) { _ = os.Args }\n"}},
	{Name: "a helper package of the student's module", Class: "correct", Dir: "layer",
		Files: map[string]string{"go.mod": goMod, "mask/mask.go": "package mask\n\n// Step is ReLU′.\nfunc Step(v float64) float64 {\n\tif v > 0 {\n\t\treturn 1\n\t}\n\treturn 0\n}\n",
			"layer/layer.go": strings.Replace(layerHead, "import (\n", "import (\n\t\"example.com/layer/mask\"\n", 1) + layerForward + `
func (l *Layer) Backward(g *mat.Dense) *mat.Dense {
	delta := new(mat.Dense)
	delta.Apply(func(n, i int, t float64) float64 { return mask.Step(l.v.At(n, i)) * t }, g)
	l.DW.Mul(delta.T(), l.x)
	_, nOut := delta.Dims()
	for i := 0; i < nOut; i++ {
		l.DB.Set(i, 0, mat.Sum(delta.ColView(i)))
	}
	dx := new(mat.Dense)
	dx.Mul(delta, l.W)
	return dx
}
`}},
}
