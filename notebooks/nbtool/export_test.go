package nbtool

import (
	"strings"
	"testing"
)

func TestGoSource(t *testing.T) {
	code := func(src string) Cell { return Cell{CellType: "code", Source: Text(src)} }
	nb := &Notebook{NBFormat: 4, Cells: []Cell{
		code(SetupCell),
		{CellType: "markdown", Source: "func notGo() {}"},
		code("import (\n\t\"fmt\"\n\t\"math\"\n\t\"os\"\n\n\t\"gonum.org/v1/gonum/mat\"\n\t\"github.com/go-echarts/go-echarts/v2\"\n)"),
		code("// f is wrong at first.\nfunc f(v float64) float64 { return v }\n\ntype T struct{ m *mat.Dense }"),
		code("%%\nfmt.Println(f(1))"),
		code("// f, corrected.\nfunc f(v float64) float64 {\n\treturn math.Max(v, 0) // ReLU\n}\n\nfunc (t *T) Rows() int { r, _ := t.m.Dims(); return r }\n\nvar a, b = 1, 2\n%%\nfmt.Println(f(2))"),
		code("%env X=1\nvar b = 3\n\nfunc main() {}\nfunc init() {}"),
	}}
	src, err := GoSource(nb, "student")
	if err != nil {
		t.Fatal(err)
	}
	want := `// Code generated from a notebook by nbtool.GoSource. DO NOT EDIT.

package student

import (
	"gonum.org/v1/gonum/mat"
	"math"
)

type T struct{ m *mat.Dense }

// f, corrected.
func f(v float64) float64 {
	return math.Max(v, 0) // ReLU
}

func (t *T) Rows() int { r, _ := t.m.Dims(); return r }

var b = 3
`
	if string(src) != want {
		t.Errorf("GoSource:\n%s\nwant:\n%s", src, want)
	}
}

func TestGoSourceSyntaxError(t *testing.T) {
	nb := &Notebook{NBFormat: 4, Cells: []Cell{{CellType: "code", Source: "func f( {"}}}
	if _, err := GoSource(nb, "p"); err == nil || !strings.Contains(err.Error(), "cell 1") {
		t.Errorf("err = %v, want one naming cell 1", err)
	}
}

func TestImportName(t *testing.T) {
	for _, tc := range []struct{ path, alias, want string }{
		{"fmt", "", "fmt"},
		{"math/rand/v2", "", "rand"},
		{"gonum.org/v1/gonum/mat", "", "mat"},
		{"github.com/go-echarts/go-echarts/v2", "", "echarts"},
		{"gopkg.in/yaml.v3", "", "yaml"},
		{"github.com/backprop-lab/backprop/nn", "net", "net"},
	} {
		if got := importName(tc.path, tc.alias); got != tc.want {
			t.Errorf("importName(%q, %q) = %q, want %q", tc.path, tc.alias, got, tc.want)
		}
	}
}
