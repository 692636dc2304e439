// Package golden compares test output with golden files in the calling
// package's testdata/golden; run the tests with -update to rewrite them.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// Check compares got with testdata/golden/name, or rewrites that file with
// -update. On a difference it writes got to a temporary file for diffing.
func Check(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update in the package to create it)", err, t.Name())
	}
	if got != string(want) {
		gotPath := filepath.Join(t.TempDir(), name)
		os.WriteFile(gotPath, []byte(got), 0o644)
		t.Errorf("%s differs from the golden file; got written to %s (diff it, then -update if intended)", path, gotPath)
	}
}
