package runner

import (
	"context"
	"go/types"
	"os"
	"strings"
	"sync"
	"testing"
)

var (
	exportOnce sync.Once
	exportImp  types.Importer
	exportErr  error
)

// testImporter is ExportImporter of this module, made once per test binary.
func testImporter(t *testing.T) types.Importer {
	t.Helper()
	exportOnce.Do(func() {
		wd, _ := os.Getwd()
		dir, _, err := FindModule(wd)
		if err != nil {
			exportErr = err
			return
		}
		exportImp, exportErr = ExportImporter(context.Background(), dir)
	})
	if exportErr != nil {
		t.Fatal(exportErr)
	}
	return exportImp
}

// layerHeader is the notebook's imports and a layer type that derives its
// own backward pass; each case below adds what exercise 3's root reaches.
const layerHeader = `package main

import (
	"gonum.org/v1/gonum/mat"
	nn "` + NNPath + `"
)

var _ *mat.Dense

`

var exercise3 = Graded{Name: "Exercise 3 (dense layer backward)", Roots: []string{"NewLayer"}, MayUse: []string{"nn.Param", "nn.Layer"}}

// Delegation to package nn is refused through every way of naming it, and
// the refusal names the call, the cell and line, and the exercise.
func TestCheckDerivedRefusesDelegation(t *testing.T) {
	imp := testImporter(t)
	for name, c := range map[string]struct{ src, want string }{
		"embedded *nn.Dense": {`type L struct{ *nn.Dense }
//line In [4]:2
func NewLayer(nIn, nOut int) nn.Layer { return L{} }
`, "nn.Dense"},
		"Dense.Backward": {`type L struct{ d *nn.Dense }
func (l L) Forward(x *mat.Dense) *mat.Dense { return x }
func (l L) Params() []nn.Param { return nil }
//line In [5]:7
func (l L) Backward(g *mat.Dense) *mat.Dense { return l.d.Backward(g) }
func NewLayer(nIn, nOut int) nn.Layer { return L{} }
`, "In [5], line 7: Exercise 3 (dense layer backward) may not use nn.Dense"},
		"ReLU's derivative through a helper": {`type L struct{}
func (l L) Forward(x *mat.Dense) *mat.Dense { return x }
func (l L) Params() []nn.Param { return nil }
func (l L) Backward(g *mat.Dense) *mat.Dense { prime(1); return g }
func NewLayer(nIn, nOut int) nn.Layer { return L{} }
//line In [2]:3
func prime(v float64) float64 { return nn.ReLU.Deriv(v, 0) }
`, "In [2], line 3: Exercise 3 (dense layer backward) may not use nn.ReLU"},
		"method value in a variable set by init": {`type L struct{}
func (l L) Forward(x *mat.Dense) *mat.Dense { return x }
func (l L) Params() []nn.Param { return nil }
func (l L) Backward(g *mat.Dense) *mat.Dense { return back(g) }
func NewLayer(nIn, nOut int) nn.Layer { return L{} }
var back func(*mat.Dense) *mat.Dense
//line In [9]:2
func init() { back = nn.NewDense(1, 1, nil).Backward }
`, "In [9], line 2"},
		"type alias and conversion": {`type D = nn.Dense
type L struct{ *D }
func NewLayer(nIn, nOut int) nn.Layer { return L{} }
`, "nn.Dense"},
		"LossAndGrad": {`type L struct{}
func (l L) Forward(x *mat.Dense) *mat.Dense { return x }
func (l L) Params() []nn.Param { return nil }
func (l L) Backward(g *mat.Dense) *mat.Dense { var n *nn.Network; n.LossAndGrad(nil, nil); return g }
func NewLayer(nIn, nOut int) nn.Layer { return L{} }
`, "nn.Network"},
		"nn.Derivative as a value": {`var d = nn.Derivative
type L struct{}
func (l L) Forward(x *mat.Dense) *mat.Dense { return x }
func (l L) Params() []nn.Param { return nil }
func (l L) Backward(g *mat.Dense) *mat.Dense { d(nil, g, g); return g }
func NewLayer(nIn, nOut int) nn.Layer { return L{} }
`, "nn.Derivative"},
	} {
		refused, err := CheckDerived([]LearnerPackage{{Path: "main", Files: map[string][]byte{"notebook.go": []byte(layerHeader + c.src)}}}, []Graded{exercise3}, imp)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := refused[exercise3.Name]; got == nil || !strings.Contains(got.Error(), c.want) || !strings.Contains(got.Error(), exercise3.Name) {
			t.Errorf("%s: refusal %v, want one naming %q and the exercise", name, got, c.want)
		}
	}
}

// What the exercise may use, and code no graded function reaches, are not
// refused: nn.Param's fields, nn.Layer's methods, nn in a scratch function.
func TestCheckDerivedAllowsWhatTheExerciseMayUse(t *testing.T) {
	src := layerHeader + `type L struct{ W, DW *mat.Dense }
func (l *L) Forward(x *mat.Dense) *mat.Dense { return x }
func (l *L) Params() []nn.Param { p := []nn.Param{{Name: "W", Value: l.W, Grad: l.DW}}; _ = p[0].Value; return p }
func (l *L) Backward(g *mat.Dense) *mat.Dense { return g }
func NewLayer(nIn, nOut int) nn.Layer { var l nn.Layer = &L{}; l.Params(); return l }
func scratch() { nn.NewDense(2, 3, nn.ReLU).Backward(nil) }
func init() { nn.ReLU.Deriv(1, 1) } // touches nothing exercise 3 reads
`
	refused, err := CheckDerived([]LearnerPackage{{Path: "main", Files: map[string][]byte{"notebook.go": []byte(src)}}}, []Graded{exercise3}, testImporter(t))
	if err != nil || len(refused) > 0 {
		t.Fatalf("CheckDerived = %v, %v; want nothing refused", refused, err)
	}
}

// A learner's own package that hides nn.Dense behind an alias is seen
// through: the closure spans the learner's packages (cmd/gradcheck).
func TestCheckDerivedThroughLearnerPackages(t *testing.T) {
	util := LearnerPackage{Path: "example.com/m/util", Files: map[string][]byte{"util.go": []byte(
		"package util\nimport nn \"" + NNPath + "\"\n\n//line util.go:4\ntype Base = nn.Dense\n")}}
	layer := LearnerPackage{Path: "example.com/m/layer", Files: map[string][]byte{"layer.go": []byte(
		"package layer\nimport (\n\tnn \"" + NNPath + "\"\n\t\"example.com/m/util\"\n)\ntype L struct{ *util.Base }\nfunc NewLayer(nIn, nOut int) nn.Layer { return L{} }\n")}}
	refused, err := CheckDerived([]LearnerPackage{layer, util}, []Graded{exercise3}, testImporter(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := refused[exercise3.Name]; got == nil || !strings.Contains(got.Error(), "util.go:4") || !strings.Contains(got.Error(), "nn.Dense") {
		t.Errorf("refusal %v, want util.go:4 and nn.Dense", got)
	}
}
