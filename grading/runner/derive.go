package runner

// Derive, don't delegate: an exercise that asks the learner to derive a
// computation may not answer it with the module's own (package nn's, or
// package lesson/autodiff's).

import (
	"context"
	"fmt"
	"github.com/backprop-lab/backprop/grading/worker"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"sort"
	"strings"
)

// NNPath is package nn's import path.
const NNPath = ModulePath + "/nn"

// AutodiffPath is package lesson/autodiff's import path.
const AutodiffPath = ModulePath + "/lesson/autodiff"

// restricted are the packages whose identifiers an exercise may name only
// if its MayUse lists them, by import path: the name MayUse and the
// refusals call them by.
var restricted = map[string]string{NNPath: "nn", AutodiffPath: "autodiff"}

// LearnerPackage is one package of learner code to type-check: its
// import path ("main" for a notebook) and files (name → contents).
type LearnerPackage struct {
	Path  string
	Files map[string][]byte
}

// CheckDerived type-checks the learner's packages (go/types, the
// learner's own packages first in pkgs order of need, everything else
// through imp) and returns, for each exercise whose graded code names an
// identifier of package nn that the exercise does not allow (Graded.MayUse),
// the refusal, keyed by Graded.Name: "In [5], line 3: Exercise 3 (…) may
// not use nn.Dense.Backward …".
//
// Graded code is the closure of the exercise's Roots (functions of
// pkgs[0]) over the declarations they name, resolved by go/types: calls,
// method values, function values stored in variables, conversions, type
// aliases, struct embedding (the embedded nn.Dense is named in the struct;
// a promoted method resolves to nn's), methods of every type reached, and
// the init functions and blank variables that name a declaration of the
// closure (they run before the graded code and can change what it reads). An interface method named through an allowed interface
// (nn.Layer's Forward called on a layer the grader passed) is allowed.
//
// A type-checking error is returned as err (the build would report it
// too): the check cannot decide then.
func CheckDerived(pkgs []LearnerPackage, graded []Graded, imp types.Importer) (map[string]error, error) {
	fset := token.NewFileSet()
	checked := map[string]*types.Package{}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}}
	decls := map[types.Object]ast.Node{} // package-level object or method → its declaration
	var always []ast.Node                // init functions, blank variables
	local := importerFunc(func(path string) (*types.Package, error) {
		if p, ok := checked[path]; ok {
			return p, nil
		}
		return imp.Import(path)
	})
	// Check in dependency order: a package after the local ones it imports.
	var check func(lp LearnerPackage, depth int) error
	byPath := map[string]LearnerPackage{}
	for _, lp := range pkgs {
		byPath[lp.Path] = lp
	}
	check = func(lp LearnerPackage, depth int) error {
		if _, done := checked[lp.Path]; done {
			return nil
		}
		if depth > len(pkgs) {
			return fmt.Errorf("import cycle through %s", lp.Path)
		}
		var files []*ast.File
		names := make([]string, 0, len(lp.Files))
		for n := range lp.Files {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			f, err := parser.ParseFile(fset, n, lp.Files[n], parser.ParseComments)
			if err != nil {
				return err
			}
			files = append(files, f)
			for _, im := range f.Imports {
				p := strings.Trim(im.Path.Value, `"`)
				if dep, ok := byPath[p]; ok {
					if err := check(dep, depth+1); err != nil {
						return err
					}
				}
			}
		}
		conf := types.Config{Importer: local, Error: nil}
		pkg, err := conf.Check(lp.Path, fset, files, info)
		if err != nil {
			return err
		}
		checked[lp.Path] = pkg
		for _, f := range files {
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					obj := info.Defs[d.Name]
					if d.Recv == nil && d.Name.Name == "init" {
						always = append(always, d)
					} else if obj != nil {
						decls[obj] = d
					}
				case *ast.GenDecl:
					for _, s := range d.Specs {
						switch s := s.(type) {
						case *ast.TypeSpec:
							if obj := info.Defs[s.Name]; obj != nil {
								decls[obj] = s
							}
						case *ast.ValueSpec:
							for _, n := range s.Names {
								if n.Name == "_" {
									always = append(always, s)
								} else if obj := info.Defs[n]; obj != nil {
									decls[obj] = s
								}
							}
						}
					}
				}
			}
		}
		return nil
	}
	for _, lp := range pkgs {
		if err := check(lp, 0); err != nil {
			return nil, err
		}
	}
	isLocal := func(p *types.Package) bool { _, ok := byPath[p.Path()]; return ok }
	owner := fieldOwners(imp)

	out := map[string]error{}
	for _, g := range graded {
		allowed := allowedSet(g.MayUse)
		seen := map[ast.Node]bool{}
		var todo []ast.Node
		root := checked[pkgs[0].Path]
		for _, r := range g.Roots {
			if obj := root.Scope().Lookup(r); obj != nil && decls[obj] != nil {
				todo = append(todo, decls[obj])
			}
		}
		type offence struct {
			pos  token.Position
			name string
		}
		var offences []offence
		for {
			for _, n := range always {
				if !seen[n] && touches(n, seen, info, decls) {
					todo = append(todo, n)
				}
			}
			if len(todo) == 0 {
				break
			}
			for len(todo) > 0 {
				n := todo[0]
				todo = todo[1:]
				if seen[n] {
					continue
				}
				seen[n] = true
				ast.Inspect(n, func(x ast.Node) bool {
					id, ok := x.(*ast.Ident)
					if !ok {
						return true
					}
					obj := info.Uses[id]
					if obj == nil || obj.Pkg() == nil {
						return true
					}
					switch {
					case isLocal(obj.Pkg()):
						if d := decls[obj]; d != nil {
							todo = append(todo, d)
						}
						if tn, ok := obj.(*types.TypeName); ok {
							todo = append(todo, methodDecls(tn, decls)...)
						}
					case restricted[obj.Pkg().Path()] != "":
						name := restrictedName(obj, owner)
						if !allowed(name) {
							offences = append(offences, offence{fset.Position(id.Pos()), name})
						}
					}
					return true
				})
			}
		}
		if len(offences) == 0 {
			continue
		}
		sort.Slice(offences, func(i, j int) bool {
			a, b := offences[i].pos, offences[j].pos
			if a.Filename != b.Filename {
				return a.Filename < b.Filename
			}
			return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
		})
		o := offences[0]
		pkg, _, _ := strings.Cut(o.name, ".")
		var mayUse []string
		for _, m := range g.MayUse {
			if strings.HasPrefix(m, pkg+".") {
				mayUse = append(mayUse, m)
			}
		}
		may := "no identifier of package " + pkg
		if len(mayUse) > 0 {
			may = "only " + strings.Join(mayUse, ", ") + " of package " + pkg
		}
		out[g.Name] = fmt.Errorf("%s: %s may not use %s: the exercise asks you to derive it yourself, not to call package %s's (the exercise may use %s)",
			worker.Position(o.pos.Filename, fmt.Sprint(o.pos.Line)), g.Name, o.name, pkg, may)
	}
	return out, nil
}

// touches reports whether n (an init function or a blank variable) names
// a declaration already in the closure seen: it runs before the graded
// code and can change what it reads, so it is graded code too. (One that
// touches nothing graded is not built by SelectGraded.)
func touches(n ast.Node, seen map[ast.Node]bool, info *types.Info, decls map[types.Object]ast.Node) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if id, ok := x.(*ast.Ident); ok && !found {
			if d := decls[info.Uses[id]]; d != nil && seen[d] {
				found = true
			}
		}
		return !found
	})
	return found
}

// allowedSet returns whether a restricted identifier name ("nn.Dense.Backward",
// "nn.NewDense", "autodiff.Value.Grad") is allowed by mayUse: listed, or a
// field or method of a listed type T, unless mayUse lists some of T's
// fields or methods ("autodiff.Value.Grad"): then only those.
func allowedSet(mayUse []string) func(name string) bool {
	listed, narrowed := map[string]bool{}, map[string]bool{}
	for _, m := range mayUse {
		listed[m] = true
		if parts := strings.Split(m, "."); len(parts) == 3 {
			narrowed[parts[0]+"."+parts[1]] = true
		}
	}
	return func(name string) bool {
		if listed[name] {
			return true
		}
		parts := strings.Split(name, ".")
		t := parts[0] + "." + parts[1]
		return len(parts) == 3 && listed[t] && !narrowed[t]
	}
}

// restrictedName names an object of a restricted package as "nn.X"
// (package level) or "nn.T.X" (a field or method of the package's type T).
func restrictedName(obj types.Object, owner map[*types.Var]string) string {
	pkg := restricted[obj.Pkg().Path()]
	if obj.Parent() == obj.Pkg().Scope() {
		return pkg + "." + obj.Name()
	}
	switch o := obj.(type) {
	case *types.Func:
		if sig, ok := o.Type().(*types.Signature); ok && sig.Recv() != nil {
			if t := namedOf(sig.Recv().Type()); t != "" {
				return pkg + "." + t + "." + o.Name()
			}
		}
	case *types.Var:
		if t, ok := owner[o]; ok {
			return pkg + "." + t + "." + o.Name()
		}
	}
	return pkg + ".?." + obj.Name() // the package's, of no named type: refused unless listed
}

// namedOf is the name of t's named type, through a pointer.
func namedOf(t types.Type) string {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// fieldOwners maps every field of the restricted packages' named struct
// types to the type's name.
func fieldOwners(imp types.Importer) map[*types.Var]string {
	out := map[*types.Var]string{}
	for path := range restricted {
		p, err := imp.Import(path)
		if err != nil {
			continue
		}
		for _, n := range p.Scope().Names() {
			tn, ok := p.Scope().Lookup(n).(*types.TypeName)
			if !ok {
				continue
			}
			if st, ok := tn.Type().Underlying().(*types.Struct); ok {
				for i := 0; i < st.NumFields(); i++ {
					out[st.Field(i)] = n
				}
			}
		}
	}
	return out
}

// methodDecls returns the declarations of the methods of a local type.
func methodDecls(tn *types.TypeName, decls map[types.Object]ast.Node) []ast.Node {
	var out []ast.Node
	named, ok := tn.Type().(*types.Named)
	if !ok {
		return nil
	}
	for i := 0; i < named.NumMethods(); i++ {
		if d := decls[named.Method(i)]; d != nil {
			out = append(out, d)
		}
	}
	return out
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// ExportImporter returns a types.Importer for the packages patterns name
// (default: Allowed, the packages graded code may import) and their
// dependencies, from the export data the go command lists for them in
// module directory dir (go list -export: built or taken from the build
// cache). In a generated program's directory, after Build, pattern "."
// covers every package the program imports.
func ExportImporter(ctx context.Context, dir string, patterns ...string) (types.Importer, error) {
	if len(patterns) == 0 {
		patterns = Allowed
	}
	args := append([]string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}, patterns...)
	out, err := goCommand(ctx, dir, args...)
	if err != nil {
		return nil, fmt.Errorf("go list -export: %v\n%s", err, out)
	}
	files := map[string]string{}
	for _, l := range strings.Split(string(out), "\n") {
		if p, f, ok := strings.Cut(l, "\t"); ok && f != "" {
			files[p] = f
		}
	}
	fset := token.NewFileSet()
	return importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		f, ok := files[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(f)
	}), nil
}
