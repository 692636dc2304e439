package runner

import (
	"bufio"
	"bytes"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// The source check refuses writes to another package's variables by
// syntax (pkg.X = …, &pkg.X); state could still change through a variable
// that holds a pointer, slice, map or channel (copy it, then write through
// the copy) or through a pointer method called on it (pkg.X.Set(…) takes
// &pkg.X implicitly). This test lists every exported variable of the
// allowed packages with its type and fails on any that could, so that a
// new one is reviewed before graded code can reach it.
func TestAllowedPackagesExportNoMutableState(t *testing.T) {
	if testing.Short() {
		t.Skip("builds export data")
	}
	cmd := exec.Command("go", append([]string{"list", "-export", "-f", "{{.ImportPath}} {{.Export}}"}, Allowed...)...)
	cmd.Env = append(os.Environ(), "GOPROXY=off")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	exports := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 {
			exports[f[0]] = f[1]
		}
	}
	imp := importer.ForCompiler(token.NewFileSet(), "gc", func(path string) (io.ReadCloser, error) {
		if e, ok := exports[path]; ok {
			return os.Open(e)
		}
		// A dependency: ask the go command for its export data.
		out, err := exec.Command("go", "list", "-export", "-f", "{{.Export}}", path).Output()
		if err != nil {
			return nil, err
		}
		return os.Open(strings.TrimSpace(string(out)))
	})
	var vars []string
	for _, path := range Allowed {
		pkg, err := imp.Import(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, name := range pkg.Scope().Names() {
			v, ok := pkg.Scope().Lookup(name).(*types.Var)
			if !ok || !v.Exported() {
				continue
			}
			vars = append(vars, defaultName(path)+"."+name)
			if why := mutable(v.Type()); why != "" {
				t.Errorf("%s.%s (%s) %s: graded code could change it without assigning to it", path, name, v.Type(), why)
			}
		}
	}
	sort.Strings(vars)
	t.Logf("%d exported variables, none mutable but by assignment: %s", len(vars), strings.Join(vars, ", "))
}

// mutable says how a value of type t could be changed in place without
// assigning to the variable holding it ("" if it cannot): by a pointer
// method, or through a reference it contains. An interface counts as
// immutable: the allowed packages' interface variables hold values of
// unexported struct types with value methods only, which graded code (no
// reflect, no unsafe) cannot reach into.
func mutable(t types.Type) string {
	if n := types.NewMethodSet(types.NewPointer(t)).Len() - types.NewMethodSet(t).Len(); n > 0 {
		return "has pointer methods"
	}
	switch u := t.Underlying().(type) {
	case *types.Basic, *types.Interface, *types.Signature:
		return ""
	case *types.Struct:
		for i := range u.NumFields() {
			if why := mutable(u.Field(i).Type()); why != "" {
				return "has a field " + u.Field(i).Name() + " that " + why
			}
		}
		return ""
	case *types.Array:
		return mutable(u.Elem())
	}
	return "holds a reference (pointer, slice, map or channel)"
}
