package nbtool

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/printer"
	"go/token"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// GoSource returns the Go declarations of a notebook's code cells as one
// source file of package pkg, as GoNB sees them: every code cell's part
// before a "%%" line, without "!" shell lines and "%" magics. A later
// declaration of a name replaces an earlier one (as when a learner runs a
// corrected cell again), func main and func init are left out, the imports
// of all cells are merged and those the declarations do not use dropped
// (GoNB's goimports does the same). Graders use it to build a learner's
// notebook as a package: see cmd/nbgrade.
func GoSource(nb *Notebook, pkg string) ([]byte, error) { return goSource(nb, pkg, false) }

// GoSourceLines is GoSource with every declaration as the learner wrote it
// (not reformatted), after a line directive naming its cell as the
// notebook shows it, "//line In [7]:3" (the cell's execution count) or,
// in a notebook never run, "//line code cell 5:3" (its ordinal among the
// code cells): compiler errors and panics then point at the learner's cell
// and line.
func GoSourceLines(nb *Notebook, pkg string) ([]byte, error) { return goSource(nb, pkg, true) }

// CellName names a code cell as the learner sees it: "In [7]" if it has an
// execution count, else "code cell n", n its 1-based ordinal among the
// notebook's code cells.
func CellName(c *Cell, ordinal int) string {
	if c.ExecutionCount != nil && *c.ExecutionCount > 0 {
		return fmt.Sprintf("In [%d]", *c.ExecutionCount)
	}
	return fmt.Sprintf("code cell %d", ordinal)
}

func goSource(nb *Notebook, pkg string, lines bool) ([]byte, error) {
	type decl struct {
		keys []string
		text string
	}
	var decls []decl
	imports := map[string]string{}  // path → name ("" for the default)
	importAt := map[string]string{} // path → "cell:line" of its (last) import
	replace := func(d decl) {
		kept := decls[:0]
		for _, old := range decls {
			if !overlaps(old.keys, d.keys) {
				kept = append(kept, old)
			}
		}
		decls = append(kept, d)
	}
	ordinal := 0
	for i := range nb.Cells {
		c := &nb.Cells[i]
		if c.CellType != "code" {
			continue
		}
		ordinal++
		body := declarations(string(c.Source))
		if strings.TrimSpace(body) == "" {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "cell.go", "package cell\n"+body, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", c.label(i), err)
		}
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			name := ""
			if im.Name != nil {
				name = im.Name.Name
			}
			imports[p] = name
			importAt[p] = fmt.Sprintf("%s:%d", CellName(c, ordinal), fset.Position(im.Pos()).Line-1)
		}
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
				continue
			}
			keys := declKeys(d)
			if len(keys) == 1 && (keys[0] == "main" || keys[0] == "init") {
				continue
			}
			if lines {
				replace(decl{keys, original(fset, body, d, CellName(c, ordinal))})
				continue
			}
			var b bytes.Buffer
			if err := printer.Fprint(&b, fset, &printer.CommentedNode{Node: d, Comments: f.Comments}); err != nil {
				return nil, fmt.Errorf("%s: %v", c.label(i), err)
			}
			replace(decl{keys, b.String()})
		}
	}

	var body strings.Builder
	for _, d := range decls {
		body.WriteString(d.text + "\n\n")
	}
	used := selectorNames(body.String())
	var src strings.Builder
	fmt.Fprintf(&src, "// Code generated from a notebook by nbtool.GoSource. DO NOT EDIT.\n\npackage %s\n\n", pkg)
	var paths []string
	for p, name := range imports {
		if name == "_" || name == "." || used[importName(p, name)] {
			paths = append(paths, p)
		}
	}
	if len(paths) > 0 {
		slices.Sort(paths)
		src.WriteString("import (\n")
		for _, p := range paths {
			if lines { // an import refused or unused is reported at its cell and line
				fmt.Fprintf(&src, "//line %s\n", importAt[p])
			}
			fmt.Fprintf(&src, "\t%s %q\n", imports[p], p)
		}
		src.WriteString(")\n\n")
	}
	src.WriteString(body.String())
	if lines {
		if _, err := parser.ParseFile(token.NewFileSet(), "", src.String(), 0); err != nil {
			return nil, fmt.Errorf("the notebook's declarations do not form a Go file: %v", err)
		}
		return []byte(src.String()), nil
	}
	out, err := format.Source([]byte(src.String()))
	if err != nil {
		return nil, fmt.Errorf("the notebook's declarations do not form a Go file: %v", err)
	}
	return out, nil
}

// original returns declaration d of a cell's body (parsed after a
// one-line package clause) as written, doc comment included, after a line
// directive naming the cell and the line it starts on.
func original(fset *token.FileSet, body string, d ast.Decl, cell string) string {
	start := d.Pos()
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Doc != nil {
			start = d.Doc.Pos()
		}
	case *ast.GenDecl:
		if d.Doc != nil {
			start = d.Doc.Pos()
		}
	}
	const clause = len("package cell\n")
	from, to := fset.Position(start), fset.Position(d.End())
	return fmt.Sprintf("//line %s:%d\n%s", cell, from.Line-1, body[from.Offset-clause:to.Offset-clause])
}

// declarations returns the Go declarations of a code cell: its lines
// before a "%%" line, without "!" and "%" lines.
func declarations(src string) string {
	var keep []string
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "%%") {
			break
		}
		if strings.HasPrefix(t, "!") || strings.HasPrefix(t, "%") {
			keep = append(keep, "") // keep line numbers
			continue
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n")
}

// declKeys names what a declaration declares: "f", "T.m" for a method of T,
// or the names of its types, variables and constants.
func declKeys(d ast.Decl) []string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil || len(d.Recv.List) == 0 {
			return []string{d.Name.Name}
		}
		return []string{recvType(d.Recv.List[0].Type) + "." + d.Name.Name}
	case *ast.GenDecl:
		var keys []string
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				keys = append(keys, s.Name.Name)
			case *ast.ValueSpec:
				for _, n := range s.Names {
					if n.Name != "_" {
						keys = append(keys, n.Name)
					}
				}
			}
		}
		return keys
	}
	return nil
}

// recvType returns the name of a method's receiver type, without * and type
// parameters.
func recvType(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return recvType(t.X)
	case *ast.IndexExpr:
		return recvType(t.X)
	case *ast.IndexListExpr:
		return recvType(t.X)
	case *ast.Ident:
		return t.Name
	}
	return fmt.Sprintf("%T", e)
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// selectorNames returns the identifiers X of selectors X.Sel in src, the
// candidates for package names.
func selectorNames(src string) map[string]bool {
	used := map[string]bool{}
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+src, 0)
	if err != nil {
		return used
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if s, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := s.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	return used
}

var majorVersion = regexp.MustCompile(`^v[0-9]+$`)

// importName is the name an import is used by: its alias, else the last
// element of its path (before a major version suffix such as /v2), without
// a "go-" prefix or a ".suffix" (gopkg.in/yaml.v3 is yaml).
func importName(p, alias string) string {
	if alias != "" {
		return alias
	}
	base := path.Base(p)
	if majorVersion.MatchString(base) && strings.Contains(p, "/") {
		base = path.Base(path.Dir(p))
	}
	base = strings.TrimPrefix(base, "go-")
	base, _, _ = strings.Cut(base, ".")
	return strings.ReplaceAll(base, "-", "_")
}
