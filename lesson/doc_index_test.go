package lesson

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	// indexEntry is one bullet of the package doc's "By notebook" index.
	indexEntry = regexp.MustCompile(`(?m)^\s*- (\d\d) [^:]+: `)
	// indexGroup is "Name, Name (file.go)" in a bullet.
	indexGroup = regexp.MustCompile(`([A-Z][\w, ]*?) \(([a-z_]+\.go)\)`)
	// lessonCall is a call or use of this package in a notebook cell.
	lessonCall = regexp.MustCompile(`\blesson\.([A-Z]\w*)`)
)

// TestDocIndex checks the package doc's "By notebook" index against the
// notebooks and the source: each name it lists is declared in the file it
// names and used by the notebook it is listed under, and every name a
// notebook's code cells use is listed there or under an earlier notebook.
func TestDocIndex(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	pkg := pkgs["lesson"]
	declaredIn := map[string]string{}
	var doc string
	for path, f := range pkg.Files {
		if f.Doc != nil && filepath.Base(path) == "doc.go" {
			doc = f.Doc.Text()
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					declaredIn[d.Name.Name] = filepath.Base(path)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						declaredIn[s.Name.Name] = filepath.Base(path)
					case *ast.ValueSpec: // the tables: var VarianceRules = …
						for _, n := range s.Names {
							declaredIn[n.Name] = filepath.Base(path)
						}
					}
				}
			}
		}
	}
	_, after, ok := strings.Cut(doc, "By notebook")
	if !ok {
		t.Fatal("the package doc has no \"By notebook\" index")
	}
	listed := map[string]map[string]bool{} // notebook number → names
	locs := indexEntry.FindAllStringSubmatchIndex(after, -1)
	for i, loc := range locs {
		num := after[loc[2]:loc[3]]
		end := len(after)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		listed[num] = map[string]bool{}
		bullet := strings.Join(strings.Fields(after[loc[1]:end]), " ")
		for _, g := range indexGroup.FindAllStringSubmatch(bullet, -1) {
			for _, name := range strings.Split(g[1], ",") {
				name = strings.TrimSpace(name)
				listed[num][name] = true
				if declaredIn[name] != g[2] {
					t.Errorf("index, notebook %s: %s is declared in %q, not %s", num, name, declaredIn[name], g[2])
				}
			}
		}
	}
	paths, err := filepath.Glob(filepath.Join("..", "notebooks", "[0-9][0-9]-*.ipynb"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no lesson notebooks in ../notebooks: %v", err)
	}
	earlier := map[string]bool{}
	for _, path := range paths {
		num := filepath.Base(path)[:2]
		if listed[num] == nil {
			t.Errorf("the index has no entry for notebook %s", num)
			continue
		}
		used := map[string]bool{}
		for _, n := range notebookCalls(t, path) {
			if used[n] {
				continue
			}
			used[n] = true
			if !listed[num][n] && !earlier[n] {
				t.Errorf("notebook %s uses lesson.%s, which the index lists neither under it nor before", num, n)
			}
		}
		for n := range listed[num] {
			if !used[n] {
				t.Errorf("the index lists %s under notebook %s, which does not use it", n, num)
			}
			earlier[n] = true
		}
	}
}

// notebookCalls returns the names of package lesson that a notebook's code
// cells use.
func notebookCalls(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []struct {
			CellType string          `json:"cell_type"`
			Source   json.RawMessage `json:"source"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(data, &nb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var names []string
	for _, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		var lines []string
		if err := json.Unmarshal(c.Source, &lines); err != nil {
			var s string
			if err := json.Unmarshal(c.Source, &s); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			lines = []string{s}
		}
		for _, m := range lessonCall.FindAllStringSubmatch(strings.Join(lines, ""), -1) {
			names = append(names, m[1])
		}
	}
	return names
}
