package runner

// Which of a notebook's declarations a grading run builds: those the
// graded functions need, and nothing else.

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// Graded is one graded exercise as the source rules see it.
type Graded struct {
	// Name names the exercise in refusals: "Exercise 3 (dense layer backward)".
	Name string
	// Roots are the top-level functions of the learner's code it calls
	// ("NewLayer"); whatever they use is graded code of this exercise.
	Roots []string
	// MayUse are the identifiers of the restricted packages (nn,
	// autodiff) the exercise's code may name ("nn.Param", "nn.Layer",
	// "autodiff.Value.Grad"): a type T listed allows its fields and
	// methods too, unless some of them are listed ("autodiff.Value" with
	// "autodiff.Value.Grad"): then only those. Any other identifier of
	// those packages is refused (CheckDerived).
	MayUse []string
}

// Selection is the part of a notebook's code a grading run builds.
type Selection struct {
	// Source is one Go file (package main): the imports the selected
	// declarations use, then the declarations as the learner wrote them,
	// each after its "//line In [n]:m" directive; GoNB's init_* functions
	// renamed init, as GoNB renders them.
	Source []byte
	// Notes name the cells whose declarations were all left out: "cell In
	// [12] not graded: not needed by any exercise".
	Notes []string
}

// SelectGraded keeps of src — the notebook's declarations as
// nbtool.GoSourceLines writes them — what the graded functions need:
// each exercise's Roots, then, transitively, every top-level declaration a
// kept one names (a type brings its methods), and the init functions
// (func init_*, which GoNB runs as init) and blank variables (var _ = …)
// that name a kept declaration, since they run before the graded code and
// can change what it reads. Other declarations, and the imports only they
// use, are not built and not source-checked: a scratch cell that imports
// time, or does not compile, cannot fail a correct notebook.
//
// The closure is by identifier name, not by type: a local variable that
// shares a top-level name keeps that declaration too (more is built than
// needed, never less).
func SelectGraded(src []byte, graded []Graded) (*Selection, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "notebook.go", src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("graded code that cannot be parsed is not built: %v", err)
	}
	type unit struct {
		decl  ast.Decl
		keys  []string // what it declares: "f", "T", "T.m"
		names map[string]bool
		init  bool // func init_* or var _: runs whatever calls it
		cell  string
	}
	var units []*unit
	byKey := map[string][]*unit{}
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			continue
		}
		u := &unit{decl: d, names: map[string]bool{}, cell: fset.Position(d.Pos()).Filename}
		ast.Inspect(d, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.SelectorExpr:
				ast.Inspect(x.X, func(n ast.Node) bool { // x.Sel is a field or method, not a declaration
					if id, ok := n.(*ast.Ident); ok && topLevel(f, id) {
						u.names[id.Name] = true
					}
					return true
				})
				return false
			case *ast.Ident:
				if topLevel(f, x) {
					u.names[x.Name] = true
				}
			}
			return true
		})
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil && len(d.Recv.List) > 0 {
				u.keys = []string{recvName(d.Recv.List[0].Type) + "." + d.Name.Name}
			} else {
				u.keys = []string{d.Name.Name}
				u.init = isInit(d.Name.Name)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					u.keys = append(u.keys, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.Name == "_" {
							u.init = true
						} else {
							u.keys = append(u.keys, n.Name)
						}
					}
				}
			}
		}
		for _, k := range u.keys {
			byKey[k] = append(byKey[k], u)
		}
		units = append(units, u)
	}
	methods := map[string][]*unit{} // type name → its methods
	for _, u := range units {
		for _, k := range u.keys {
			if t, _, ok := strings.Cut(k, "."); ok {
				methods[t] = append(methods[t], u)
			}
		}
	}

	kept := map[*unit]bool{}
	var todo []*unit
	keep := func(u *unit) {
		if !kept[u] {
			kept[u] = true
			todo = append(todo, u)
		}
	}
	for _, g := range graded {
		for _, r := range g.Roots {
			for _, u := range byKey[r] {
				keep(u)
			}
		}
	}
	for {
		for len(todo) > 0 {
			u := todo[0]
			todo = todo[1:]
			for n := range u.names {
				for _, v := range byKey[n] {
					keep(v)
				}
				for _, m := range methods[n] {
					keep(m)
				}
			}
		}
		// Init functions and blank variables that name kept declarations
		// run before the graded code: keep them, and what they need.
		for _, u := range units {
			if kept[u] || !u.init {
				continue
			}
			for n := range u.names {
				if v := byKey[n]; len(v) > 0 && kept[v[0]] {
					keep(u)
					break
				}
			}
		}
		if len(todo) == 0 {
			break
		}
	}

	// The source: imports the kept declarations name, then the kept
	// declarations in order, init functions last in GoNB's (sorted) order.
	used := map[string]bool{}
	var body, inits strings.Builder
	type initDecl struct{ name, text string }
	var initDecls []initDecl
	cellKept := map[string]bool{}
	var cells []string
	for _, u := range units {
		if _, seen := cellKept[u.cell]; !seen {
			cells = append(cells, u.cell)
			cellKept[u.cell] = false
		}
		if !kept[u] {
			continue
		}
		cellKept[u.cell] = true
		for n := range u.names {
			used[n] = true
		}
		text := declText(fset, src, f, u.decl)
		if fd, ok := u.decl.(*ast.FuncDecl); ok && fd.Recv == nil && isInit(fd.Name.Name) {
			// GoNB renders func init_x() as func init().
			tf := fset.File(fd.Pos())
			prefix := len(text) - (tf.Offset(fd.End()) - tf.Offset(declStart(fd))) // a restored line directive
			off := prefix + tf.Offset(fd.Name.Pos()) - tf.Offset(declStart(fd))
			text = text[:off] + "init" + text[off+len(fd.Name.Name):]
			initDecls = append(initDecls, initDecl{fd.Name.Name, text})
			continue
		}
		body.WriteString(text + "\n\n")
	}
	sort.SliceStable(initDecls, func(i, j int) bool { return initDecls[i].name < initDecls[j].name })
	for _, d := range initDecls {
		inits.WriteString(d.text + "\n\n")
	}

	var out strings.Builder
	out.WriteString("// Code generated from a notebook's graded declarations. DO NOT EDIT.\n\npackage main\n\n")
	var imports []string
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		name := defaultName(p)
		if im.Name != nil {
			name = im.Name.Name
		}
		if name == "_" || name == "." || used[name] {
			imports = append(imports, "//line "+lineOf(fset, im)+"\n\t"+src2(fset, src, im))
		}
	}
	if len(imports) > 0 {
		out.WriteString("import (\n" + strings.Join(imports, "\n") + "\n)\n\n")
	}
	out.WriteString(body.String())
	out.WriteString(inits.String())

	sel := &Selection{Source: []byte(out.String())}
	for _, c := range cells {
		if !cellKept[c] {
			sel.Notes = append(sel.Notes, fmt.Sprintf("cell %s not graded: not needed by any exercise", c))
		}
	}
	return sel, nil
}

// topLevel reports whether id may name a top-level declaration of f: the
// parser resolved it to f's scope, or left it unresolved (a package, a
// predeclared name, a composite literal's key). A local variable that
// shares a top-level name does not bring that declaration in.
func topLevel(f *ast.File, id *ast.Ident) bool {
	return id.Obj == nil || f.Scope.Lookup(id.Name) == id.Obj
}

// isInit reports whether a function's name makes GoNB run it as init.
func isInit(name string) bool { return strings.HasPrefix(name, "init_") }

// declStart is where a declaration's text begins: its doc comment (which
// holds the //line directive before it), else the declaration.
func declStart(d ast.Decl) token.Pos {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Doc != nil {
			return d.Doc.Pos()
		}
	case *ast.GenDecl:
		if d.Doc != nil {
			return d.Doc.Pos()
		}
	}
	return d.Pos()
}

// declText is d's text in src, from its doc comment (and line directive)
// to its end. A line directive not in the doc comment (a blank line
// between) is restored in front.
func declText(fset *token.FileSet, src []byte, f *ast.File, d ast.Decl) string {
	from := fset.File(d.Pos()).Offset(declStart(d))
	to := fset.File(d.Pos()).Offset(d.End())
	text := string(src[from:to])
	if !strings.HasPrefix(text, "//line ") {
		text = "//line " + lineOf(fset, d) + "\n" + text
	}
	return text
}

// lineOf is "cell:line" of n as its line directive gives it.
func lineOf(fset *token.FileSet, n ast.Node) string {
	p := fset.Position(n.Pos())
	return fmt.Sprintf("%s:%d", p.Filename, p.Line)
}

// src2 is n's text in src.
func src2(fset *token.FileSet, src []byte, n ast.Node) string {
	tf := fset.File(n.Pos())
	return string(src[tf.Offset(n.Pos()):tf.Offset(n.End())])
}

// recvName is a receiver type's name, without * and type parameters.
func recvName(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.ParenExpr:
			e = t.X
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}
