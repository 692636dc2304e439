package runner

import (
	"fmt"
	"github.com/backprop-lab/backprop/grading/worker"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Allowed are the packages graded code may import: what the exercises
// and a layer written from scratch need, and nothing that reaches the
// process, the file system, memory outside Go's rules, or state the
// grader's own computations read (gonum's BLAS switch, reflect, …).
var Allowed = []string{
	"errors", "fmt", "math", "math/bits", "math/rand", "math/rand/v2",
	"slices", "sort", "strconv", "strings",
	"gonum.org/v1/gonum/floats", "gonum.org/v1/gonum/mat", "gonum.org/v1/gonum/stat",
	ModulePath + "/nn", ModulePath + "/lesson/autodiff",
}

// globalSwitches are functions of allowed packages that change state of
// the whole process: graded code may not name them. nn's BLAS switches
// choose between two correct BLAS implementations (results differ in the
// last bits only, far below the checks' tolerances), so they could not
// forge a pass; but they swap the BLAS under the grader's own products,
// must not run during them, and graded code has no use for them.
var globalSwitches = map[string]string{
	ModulePath + "/nn.UseGonumBLAS": "it switches the BLAS of the whole process, the grader's own computations too",
	ModulePath + "/nn.UseFastBLAS":  "it switches the BLAS of the whole process, the grader's own computations too",
	"math/rand.Seed":                "it reseeds the random numbers of the whole process",
	ModulePath + "/nn.LoadFile":     "graded code does not touch files",
}

// fileMethods are methods of allowed packages' types that touch files;
// graded code may not call a method of that name on anything.
var fileMethods = map[string]bool{"SaveFile": true}

// allowed reports whether path is on the allowlist.
func allowed(path string) bool {
	for _, a := range Allowed {
		if path == a {
			return true
		}
	}
	return false
}

// SourceRules says what, beyond Allowed, graded code may import: its own
// packages (a student's module), whose sources are then checked too.
type SourceRules struct {
	// Local maps import paths of the learner's own packages to the
	// package's name (the name a file uses for it by default).
	Local map[string]string
}

// CheckImports checks graded Go source files (name → contents) before
// they are built, and returns an error naming the file, line and what is
// refused (nil if nothing is):
//
//   - an import that is not in Allowed (nor one of rules' local packages),
//     or a dot import;
//   - an assignment, increment or decrement of another package's
//     variable, or of anything reached through it (nn.Softmax = …,
//     nn.LabUniform.Sample = …, pkg.X++), and taking its address (&pkg.X):
//     graded code changes no state outside itself, so the grader's own
//     reference computations read what they would without it;
//   - naming a function that switches process-wide state (nn.UseGonumBLAS)
//     or touches files (nn.LoadFile, Network.SaveFile);
//   - a function without a body (assembly, or linked in), a //go:linkname
//     or //go:debug directive, or a file that does not parse.
//
// rules may be nil.
func CheckImports(files map[string][]byte, rules *SourceRules) error {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := checkFile(name, files[name], rules); err != nil {
			return err
		}
	}
	return nil
}

func checkFile(name string, src []byte, rules *SourceRules) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		// Code that cannot be checked is not built: go/parser and the
		// compiler agree on correct Go, so this is a syntax error anyway.
		return fmt.Errorf("graded code that cannot be parsed is not built: %v", err)
	}
	at := func(n ast.Node) string {
		p := fset.Position(n.Pos())
		return worker.Position(p.Filename, strconv.Itoa(p.Line))
	}
	if c := directive(f); c != nil {
		d, _, _ := strings.Cut(c.Text, " ")
		return fmt.Errorf("%s: the compiler directive %s is not allowed in graded code; remove it", at(c), d)
	}
	pkgs := map[string]string{} // the file's name for a package → its path
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		local := ""
		if rules != nil {
			if n, ok := rules.Local[p]; ok {
				local = n
			}
		}
		if !allowed(p) && local == "" {
			return fmt.Errorf("%s: import %q is not allowed in graded code; remove it (graded code may import only %s)",
				at(im), p, strings.Join(Allowed, ", "))
		}
		n := local
		if n == "" {
			n = defaultName(p)
		}
		if im.Name != nil {
			switch im.Name.Name {
			case ".":
				return fmt.Errorf("%s: the dot import of %q is not allowed in graded code; import it by name", at(im), p)
			case "_":
				continue
			}
			n = im.Name.Name
		}
		pkgs[n] = p
	}
	// pkgVar returns "path.Name" if e is a package-qualified identifier
	// (the package's name not shadowed by a local declaration).
	pkgVar := func(e ast.Expr) string {
		sel, ok := e.(*ast.SelectorExpr)
		if !ok {
			return ""
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok || id.Obj != nil {
			return ""
		}
		if p, ok := pkgs[id.Name]; ok {
			return p + "." + sel.Sel.Name
		}
		return ""
	}
	// root returns the package variable that storing through e changes.
	var root func(e ast.Expr) (string, ast.Expr)
	root = func(e ast.Expr) (string, ast.Expr) {
		for {
			if v := pkgVar(e); v != "" {
				return v, e
			}
			switch x := e.(type) {
			case *ast.ParenExpr:
				e = x.X
			case *ast.SelectorExpr:
				e = x.X
			case *ast.IndexExpr:
				e = x.X
			case *ast.IndexListExpr:
				e = x.X
			case *ast.StarExpr:
				e = x.X
			case *ast.SliceExpr:
				e = x.X
			default:
				return "", nil
			}
		}
	}
	short := func(v string) string { // "github.com/…/nn.Softmax" → "nn.Softmax"
		i := strings.LastIndex(v, ".")
		return defaultName(v[:i]) + v[i:]
	}
	var bad error
	ast.Inspect(f, func(n ast.Node) bool {
		if bad != nil {
			return false
		}
		refuse := func(e ast.Expr, what string) {
			if v, at0 := root(e); v != "" {
				bad = fmt.Errorf("%s: %s %s is not allowed in graded code: it is another package's variable, which the grader's own computations may read; use a variable of your own",
					at(at0), what, short(v))
			}
		}
		switch x := n.(type) {
		case *ast.FuncDecl:
			if x.Body == nil {
				bad = fmt.Errorf("%s: func %s has no body (one written in assembly or linked in): not allowed in graded code; write its body in Go", at(x), x.Name.Name)
			}
		case *ast.AssignStmt:
			for _, l := range x.Lhs {
				refuse(l, "assigning to")
			}
		case *ast.IncDecStmt:
			refuse(x.X, "changing")
		case *ast.RangeStmt:
			if x.Key != nil {
				refuse(x.Key, "assigning to")
			}
			if x.Value != nil {
				refuse(x.Value, "assigning to")
			}
		case *ast.UnaryExpr:
			if x.Op == token.AND {
				refuse(x.X, "taking the address of")
			}
		case *ast.SelectorExpr:
			if fileMethods[x.Sel.Name] {
				bad = fmt.Errorf("%s: .%s is not allowed in graded code: graded code does not touch files", at(x), x.Sel.Name)
			}
			if v := pkgVar(x); v != "" {
				if why, ok := globalSwitches[v]; ok {
					bad = fmt.Errorf("%s: %s is not allowed in graded code: %s", at(x), short(v), why)
				}
			}
		}
		return true
	})
	return bad
}

// allowedDirectives are the compiler directives ("//go:name") graded code
// may carry: build constraints, and noinline (a hint that changes no
// result). Every other one (linkname, debug, embed, nosplit, cgo_*, …) is
// refused.
var allowedDirectives = map[string]bool{"//go:build": true, "//go:noinline": true}

// directive returns the first comment of f that the compiler reads as a
// directive it does not allow: a line comment starting "//go:" (nil if
// none). A comment that merely mentions one ("// no //go:linkname here"),
// or a string holding one, is text, not a directive.
func directive(f *ast.File) *ast.Comment {
	for _, g := range f.Comments {
		for _, c := range g.List {
			if !strings.HasPrefix(c.Text, "//go:") {
				continue
			}
			d, _, _ := strings.Cut(c.Text, " ")
			if !allowedDirectives[d] {
				return c
			}
		}
	}
	return nil
}

// defaultName is the name a package is imported under by default: the
// last element of its path, or the one before a major version ("v2").
func defaultName(p string) string {
	base := path.Base(p)
	if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" {
		return path.Base(path.Dir(p))
	}
	return base
}
