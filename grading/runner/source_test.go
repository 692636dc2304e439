package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkSrc checks one file of package a holding body after the given
// imports, with a line directive naming it "In [3]".
func checkSrc(imports, body string) error {
	src := "package a\n//line In [3]:1\nimport (\n" + imports + "\n)\n" + body + "\n"
	return CheckImports(map[string][]byte{"a.go": []byte(src)}, nil)
}

const nnPath = ModulePath + "/nn"

func TestCheckImportsAllowlist(t *testing.T) {
	var all strings.Builder
	for _, p := range Allowed {
		all.WriteString("\t_ \"" + p + "\"\n")
	}
	if err := checkSrc(all.String(), ""); err != nil {
		t.Errorf("the allowlist is refused: %v", err)
	}
	for imp, want := range map[string]string{
		"unsafe":                         `In [3], line 3: import "unsafe" is not allowed in graded code`,
		"syscall":                        `import "syscall" is not allowed`,
		"os":                             `import "os" is not allowed`,
		"reflect":                        `import "reflect" is not allowed`,
		"gonum.org/v1/gonum/blas/blas64": `import "gonum.org/v1/gonum/blas/blas64"`,
		"golang.org/x/sys/unix":          `import "golang.org/x/sys/unix"`,
		ModulePath + "/gradcheck":        `import "` + ModulePath + `/gradcheck" is not allowed`,
		ModulePath + "/grading":          "grading",
		ModulePath + "/grading/runner":   "grading/runner",
	} {
		err := checkSrc("\t\"fmt\"\n\tx \""+imp+"\"", "")
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "graded code may import only errors, fmt") {
			t.Errorf("%s: %v, want %q and the allowlist", imp, err, want)
		}
	}
	if err := checkSrc(`. "`+nnPath+`"`, ""); err == nil || !strings.Contains(err.Error(), "dot import") {
		t.Errorf("dot import: %v", err)
	}
	if err := checkSrc("", "func stolen() int"); err == nil || !strings.Contains(err.Error(), "In [3], line 4: func stolen has no body") {
		t.Errorf("a function without a body: %v", err)
	}
	if err := checkSrc("", "func f() { nn.Softmax = "); err == nil || !strings.Contains(err.Error(), "cannot be parsed") {
		t.Errorf("a file that does not parse: %v", err)
	}
	for _, d := range []string{"//go:linkname x y", "//go:debug randseednop=0", "//go:embed x", "//go:nosplit"} {
		src := "package a\n\n" + d + "\nfunc f() {}\n"
		if err := CheckImports(map[string][]byte{"a.go": []byte(src)}, nil); err == nil || !strings.Contains(err.Error(), "a.go:3: the compiler directive") {
			t.Errorf("%s: %v, want it refused at a.go:3", d, err)
		}
	}
	// Comments and strings that merely mention a directive are text.
	for _, src := range []string{
		"package a\n\n// We do not use //go:linkname here.\nfunc f() {}\n",
		"package a\n\n/* //go:linkname x y */\nfunc f() {}\n",
		"package a\n\nvar s = \"//go:linkname x y\"\n",
		"package a\n\n//go:noinline\nfunc f() {}\n",
	} {
		if err := CheckImports(map[string][]byte{"a.go": []byte(src)}, nil); err != nil {
			t.Errorf("%q refused: %v", src, err)
		}
	}
	// A package of the learner's own is allowed when the rules say so.
	local := &SourceRules{Local: map[string]string{"example.com/m/util": "helpers"}}
	src := "package a\nimport \"example.com/m/util\"\nfunc f() { helpers.X = 1 }\n"
	err := CheckImports(map[string][]byte{"a.go": []byte(src)}, local)
	if err == nil || !strings.Contains(err.Error(), "assigning to util.X") && !strings.Contains(err.Error(), "helpers.X") {
		t.Errorf("local package: %v", err)
	}
}

// Graded code may not change another package's variables, nor take their
// address, nor call process-wide switches: the class of forged passes
// that changes what the grader's own computations read.
func TestCheckImportsNoWritesToOtherPackages(t *testing.T) {
	imports := "\t\"math/rand\"\n\t\"gonum.org/v1/gonum/mat\"\n\tnnx \"" + nnPath + "\"\n\t\"" + nnPath + "\""
	for body, want := range map[string]string{
		"func init() { nn.Softmax = nil }":                         "In [3], line 9: assigning to nn.Softmax is not allowed",
		"var _ = func() int { nn.ReLU, _ = nil, 0; return 0 }()":   "assigning to nn.ReLU",
		"func f() { nn.LabUniform.Sample = nil }":                  "assigning to nn.LabUniform",
		"func f() { (nn.He).Name += \"x\" }":                       "assigning to nn.He",
		"func f() { nnx.Tanh = nnx.Identity }":                     "assigning to nn.Tanh",
		"func f() { mat.ErrShape.string = \"\" }":                  "assigning to mat.ErrShape",
		"func f() { p := &nn.Softmax; *p = nil }":                  "taking the address of nn.Softmax",
		"func f() { p := &nn.LabUniform.Sample; _ = p }":           "taking the address of nn.LabUniform",
		"func f() { for nn.Softmax = range []nn.Activation{} {} }": "assigning to nn.Softmax",
		"var x int\nfunc f() { nn.X++ }":                           "changing nn.X",
		"func f() { nn.UseGonumBLAS() }":                           "nn.UseGonumBLAS is not allowed in graded code: it switches the BLAS",
		"var sw = nn.UseFastBLAS":                                  "nn.UseFastBLAS is not allowed",
		"func f() { rand.Seed(1) }":                                "rand.Seed is not allowed",
		"func f() { nn.LoadFile(\"x\") }":                          "nn.LoadFile is not allowed in graded code: graded code does not touch files",
		"func f() { n := &nn.Network{}; n.SaveFile(\"x\") }":       ".SaveFile is not allowed in graded code",
	} {
		err := checkSrc(imports, "var _ mat.Dense\nvar _ = rand.Int\n"+body)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", body, err, want)
		}
	}
	// What a layer does with its own values is its business, also when a
	// local variable shadows a package's name.
	for _, body := range []string{
		"type L struct{ W *mat.Dense; act nn.Activation }\nfunc (l *L) f() { l.W = mat.NewDense(1, 1, nil); l.act = nn.ReLU; l.W.Set(0, 0, 1) }",
		"func f() { nn := struct{ Softmax int }{}; nn.Softmax = 1; p := &nn.Softmax; *p++ }",
		"func f() { x := nn.LabUniform; x.Name = \"mine\"; p := &mat.Dense{}; _ = p; q := &nn.Param{Name: \"W\"}; q.Name = \"b\" }",
		"var acts = []nn.Activation{nn.ReLU}\nfunc f() { acts[0] = nn.Tanh; rand.Shuffle(1, func(i, j int) {}) }",
	} {
		if err := checkSrc(imports, "var _ mat.Dense\nvar _ = rand.Int\nvar _ = nnx.ReLU\n"+body); err != nil {
			t.Errorf("%q refused: %v", body, err)
		}
	}
}

// The layers written from scratch in gradcheck/corpus and the student
// layers of cmd/gradcheck's tests are what graded code looks like: the
// source check refuses none of them. (The solutions notebook is checked by
// cmd/nbgrade's TestSolutionsPass.)
func TestCheckImportsAdmitsStudentLayers(t *testing.T) {
	files := map[string][]byte{}
	for _, pattern := range []string{"../../gradcheck/corpus/layer.go", "../../gradcheck/corpus/others.go", "../../gradcheck/corpus/backward.go",
		"../../cmd/gradcheck/testdata/correct/*.go", "../../cmd/gradcheck/testdata/labbug/*.go"} {
		names, _ := filepath.Glob(pattern)
		if len(names) == 0 {
			t.Fatalf("no files match %s", pattern)
		}
		for _, n := range names {
			data, err := os.ReadFile(n)
			if err != nil {
				t.Fatal(err)
			}
			files[n] = data
		}
	}
	if err := CheckImports(files, nil); err != nil {
		t.Errorf("a student layer is refused: %v", err)
	}
}
