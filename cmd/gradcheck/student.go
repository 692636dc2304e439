package main

// The student's sources: which files make up the graded code, how they are
// copied into the generated program, and what is refused before building.

import (
	"context"
	"fmt"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"github.com/backprop-lab/backprop/grading/runner"
)

// checkSource checks the student's sources before they are built
// (runner.CheckImports), checkDerived after (delegating); tests of the
// runner's own defences turn them off.
var (
	checkSource  = runner.CheckImports
	checkDerived = delegating
)

// studentRoot is the directory of the generated module, and the import
// path under it, where the student's packages are copied: the judge
// chooses it, so no student module path enters the build (no replace
// directive, nothing that could stand for a module the judge links).
const studentRoot = "student"

// studentPackage is one package of the student's code.
type studentPackage struct {
	dir  string // its directory
	rel  string // its directory relative to the module's root ("." for the root)
	path string // its import path in the student's module
	name string // its package name
	// files are the Go files the go command would compile (name → contents).
	files map[string][]byte
}

// refusal is student code that is not built (exit 1).
type refusal struct{ error }

// readStudent returns the student's package in dir and every package of
// the student's module it imports, directly or not, the first being the
// student's. Only the files the go command would compile for this
// platform are read (go/build's MatchFile: build constraints such as
// //go:build ignore, _GOOS/_GOARCH suffixes, _test.go, names starting with
// _ or .); a symbolic link, file or directory, is refused without being
// read or followed; so is a file the go command would build or link
// besides Go files (assembly, C, .syso).
func readStudent(student string) ([]*studentPackage, string, error) {
	modDir, modPath, err := runner.FindModule(student)
	if err != nil {
		return nil, "", usageError{err}
	}
	if modPath == runner.ModulePath {
		// A package inside this project (its testdata): the package alone,
		// its imports of this project left as they are.
		modDir, modPath = "", ""
	}
	root := student
	if modDir != "" {
		root = modDir
	}
	var pkgs []*studentPackage
	seen := map[string]bool{}
	todo := []string{student}
	for len(todo) > 0 {
		dir := todo[0]
		todo = todo[1:]
		if seen[dir] {
			continue
		}
		seen[dir] = true
		p, err := readPackage(student, root, dir)
		if err != nil {
			return nil, "", err
		}
		if modDir != "" {
			p.path = modPath
			if p.rel != "." {
				p.path += "/" + filepath.ToSlash(p.rel)
			}
		}
		pkgs = append(pkgs, p)
		if modDir == "" {
			continue // no packages of its own to import
		}
		for _, name := range sortedNames(p.files) {
			pf, err := parser.ParseFile(token.NewFileSet(), name, p.files[name], parser.ImportsOnly)
			if err != nil {
				continue // the compiler reports it
			}
			for _, im := range pf.Imports {
				ip, _ := strconv.Unquote(im.Path.Value)
				if ip == modPath || strings.HasPrefix(ip, modPath+"/") {
					d := filepath.Join(modDir, filepath.FromSlash(strings.TrimPrefix(ip, modPath)))
					if _, err := os.Lstat(d); err == nil {
						todo = append(todo, d)
					} // else the compiler reports the missing package
				}
			}
		}
	}
	return pkgs, modPath, nil
}

// readPackage reads the files of the package in dir that the go command
// would compile; names in refusals are relative to the student's
// directory.
func readPackage(student, root, dir string) (*studentPackage, error) {
	rel, err := filepath.Rel(root, dir)
	if err != nil || strings.HasPrefix(rel, "..") {
		return nil, refusal{fmt.Errorf("%s: an import outside the student's module", dir)}
	}
	show := func(p string) string {
		if r, err := filepath.Rel(student, p); err == nil {
			return r
		}
		return p
	}
	// No directory on the way from the module's root may be a link.
	for d := dir; ; d = filepath.Dir(d) {
		if fi, err := os.Lstat(d); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return nil, refusal{fmt.Errorf("%s: a symbolic link to a directory is not followed in graded code; put the package itself there", show(d))}
		}
		if d == root || filepath.Dir(d) == d {
			break
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, refusal{fmt.Errorf("%s: %v", show(dir), err)}
	}
	p := &studentPackage{dir: dir, rel: rel, files: map[string][]byte{}}
	ctxt := build.Default
	ctxt.CgoEnabled = false
	for _, e := range entries {
		full := filepath.Join(dir, e.Name())
		if e.Type()&fs.ModeSymlink != 0 {
			return nil, refusal{fmt.Errorf("%s is a symbolic link: graded code may not hold links (it was not read); put the file itself there", show(full))}
		}
		if e.IsDir() {
			continue
		}
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".s", ".sx", ".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".hxx", ".m", ".f", ".for", ".f90", ".swig", ".swigcxx", ".syso":
			return nil, refusal{fmt.Errorf("%s: a package of graded code may hold only Go files; the go command would build or link this one (assembly, C, an object file), which the check of the Go source cannot see", show(full))}
		case ".go":
		default:
			continue
		}
		if strings.HasSuffix(e.Name(), "_test.go") {
			continue // go build and go vet's checks never compile it into the package
		}
		if ok, err := ctxt.MatchFile(dir, e.Name()); err != nil || !ok {
			continue // the go command would not compile it either (or reports it)
		}
		data, err := os.ReadFile(full)
		if err != nil {
			return nil, err
		}
		p.files[show(full)] = data
		if p.name == "" {
			if f, err := parser.ParseFile(token.NewFileSet(), full, data, parser.PackageClauseOnly); err == nil {
				p.name = f.Name.Name
			}
		}
	}
	return p, nil
}

// studentSources returns the student's sources (name relative to the
// student's directory → contents) and the rules that let them import one
// another, for runner.CheckImports.
func studentSources(pkgs []*studentPackage) (map[string][]byte, *runner.SourceRules) {
	rules := &runner.SourceRules{Local: map[string]string{}}
	out := map[string][]byte{}
	for i, p := range pkgs {
		for n, data := range p.files {
			out[n] = data
		}
		if i > 0 || p.path != "" {
			rules.Local[p.path] = p.name
		}
	}
	return out, rules
}

// learnerPackages are the student's packages as runner.CheckDerived takes
// them, under their own import paths.
func learnerPackages(pkgs []*studentPackage) []runner.LearnerPackage {
	var out []runner.LearnerPackage
	for _, p := range pkgs {
		ip := p.path
		if ip == "" {
			ip = "gradcheckrun/" + studentRoot
		}
		out = append(out, runner.LearnerPackage{Path: ip, Files: p.files})
	}
	return out
}

// placeStudent copies the student's packages into the generated program p,
// under the judge's module path (gradcheckrun/student/…), their imports of
// one another rewritten to match (the import's text only, on the same
// line), and returns the student package's import path.
func placeStudent(pkgs []*studentPackage, modPath string, p *runner.Program) (string, error) {
	if len(pkgs[0].files) == 0 {
		return "", usageError{fmt.Errorf("no Go files in %s", pkgs[0].dir)}
	}
	local := func(rel string) string {
		if rel == "." {
			return p.Module + "/" + studentRoot
		}
		return p.Module + "/" + studentRoot + "/" + filepath.ToSlash(rel)
	}
	for _, pk := range pkgs {
		dir := path.Join(studentRoot, filepath.ToSlash(pk.rel))
		for name, data := range pk.files {
			src, err := rewriteImports(data, modPath, func(ip string) string {
				if ip == modPath {
					return local(".")
				}
				return local(strings.TrimPrefix(ip, modPath+"/"))
			})
			if err != nil {
				return "", err
			}
			p.Files[path.Join(dir, filepath.Base(name))] = src
		}
	}
	return local(pkgs[0].rel), nil
}

// rewriteImports replaces, in src, each import of the student's module
// (modPath or under it) by to(path), changing only the import's string.
func rewriteImports(src []byte, modPath string, to func(string) string) ([]byte, error) {
	if modPath == "" {
		return src, nil
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ImportsOnly)
	if err != nil {
		return src, nil // the compiler reports it
	}
	out := append([]byte(nil), src...)
	for i := len(f.Imports) - 1; i >= 0; i-- { // from the end: offsets stay valid
		im := f.Imports[i]
		ip, _ := strconv.Unquote(im.Path.Value)
		if ip != modPath && !strings.HasPrefix(ip, modPath+"/") {
			continue
		}
		from, to2 := fset.Position(im.Path.Pos()).Offset, fset.Position(im.Path.End()).Offset
		out = append(out[:from], append([]byte(strconv.Quote(to(ip))), out[to2:]...)...)
	}
	return out, nil
}

// collision returns the module of the judge's build list that the
// student's module path modPath is, contains or lies in ("" if none): such
// a path is refused, so that nothing of the student's can stand for code
// the judge links (golang.org/x/sys, gonum, this project).
func collision(ctx context.Context, modPath, ourDir string) string {
	if modPath == "" {
		return ""
	}
	for _, m := range buildList(ctx, ourDir) {
		if modPath == m || strings.HasPrefix(m, modPath+"/") || strings.HasPrefix(modPath, m+"/") {
			return m
		}
	}
	return ""
}

// buildList is the module paths of the judge's build: this project's
// go list -m all if its directory is known, else the modules this binary
// was built with; this project's path is always in it.
func buildList(ctx context.Context, ourDir string) []string {
	mods := []string{runner.ModulePath}
	if ourDir != "" {
		cmd := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Path}}", "all")
		cmd.Dir = ourDir
		cmd.Env = append(os.Environ(), "GOFLAGS="+runner.Goflags(os.Getenv("GOFLAGS")), "GOWORK=off")
		if out, err := cmd.Output(); err == nil {
			return append(mods, strings.Fields(string(out))...)
		}
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			mods = append(mods, d.Path)
		}
	}
	return mods
}

func sortedNames(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// delegating returns the refusal of a layer whose code (the closure of
// constructor name) uses package nn beyond nn.Param and nn.Layer: a layer
// that embeds *nn.Dense, or calls nn's Backward or an activation's
// derivative, derives nothing (runner.CheckDerived, type-checked against
// the export data of the generated module in dir).
func delegating(ctx context.Context, dir, name string, pkgs []*studentPackage) (string, error) {
	imp, err := runner.ExportImporter(ctx, dir, ".")
	if err != nil {
		return "", err
	}
	g := runner.Graded{Name: "layer " + name, Roots: []string{name}, MayUse: []string{"nn.Param", "nn.Layer"}}
	refused, err := runner.CheckDerived(learnerPackages(pkgs), []runner.Graded{g}, imp)
	if err != nil {
		return "", err
	}
	if e := refused[g.Name]; e != nil {
		return e.Error(), nil
	}
	return "", nil
}
