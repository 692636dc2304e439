package mnisttest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/mnist"
)

// recorder is a testing.TB that records Skip and Fatal instead of ending
// the test, so that Dir's verdicts can be checked.
type recorder struct {
	testing.TB
	skipped, fatal string
}

func (r *recorder) Helper()              {}
func (r *recorder) Skip(args ...any)     { r.skipped = args[0].(string) }
func (r *recorder) Fatal(args ...any)    { r.fatal = args[0].(string) }
func (r *recorder) Skipf(string, ...any) { panic("Dir must skip with Skip") }

// isolate points $BACKPROP_DATA and the download cache at empty folders and
// unsets $CI; it returns the data root.
func isolate(t *testing.T) string {
	t.Helper()
	root, cache := t.TempDir(), t.TempDir()
	t.Setenv(mnist.EnvData, root)
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache)
	t.Setenv(EnvCI, "")
	return root
}

// put copies the four tiny files (testdata of mnist) into dir.
func put(t *testing.T, dir string) {
	t.Helper()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "testdata", "tiny"))); err != nil {
		t.Fatal(err)
	}
}

func TestDirFindsTheDataRootThenTheCache(t *testing.T) {
	root := isolate(t)
	cache, err := mnist.CacheDir(mnist.Fashion)
	if err != nil {
		t.Fatal(err)
	}
	put(t, cache)
	r := &recorder{TB: t}
	if got := Dir(r, mnist.Fashion); got != cache || r.skipped != "" || r.fatal != "" {
		t.Errorf("Fashion in the cache: Dir = %q (skip %q, fatal %q); want %s", got, r.skipped, r.fatal, cache)
	}
	put(t, filepath.Join(root, "fashion-mnist"))
	if got := Dir(r, mnist.Fashion); got != filepath.Join(root, "fashion-mnist") {
		t.Errorf("Fashion in both: Dir = %q; want $%s's first", got, mnist.EnvData)
	}
}

func TestDirSkipsWithOneLineSayingHow(t *testing.T) {
	for _, c := range []struct {
		kind mnist.Dataset
		want []string
	}{
		{mnist.MNIST, []string{"full MNIST", mnist.EnvData + "=DIR holding mnist/", "`go run ./cmd/train --download -m 1`"}},
		{mnist.Fashion, []string{"full Fashion-MNIST", "holding fashion-mnist/", "`go run ./cmd/train --download --dataset fashion -m 1`"}},
	} {
		isolate(t)
		r := &recorder{TB: t}
		if got := Dir(r, c.kind); got != "" || r.fatal != "" {
			t.Errorf("%v: Dir = %q, fatal %q; want a skip", c.kind, got, r.fatal)
		}
		if strings.Contains(r.skipped, "\n") {
			t.Errorf("%v: the skip is not one line: %q", c.kind, r.skipped)
		}
		for _, w := range c.want {
			if !strings.Contains(r.skipped, w) {
				t.Errorf("%v: skip %q does not say %q", c.kind, r.skipped, w)
			}
		}
	}
}

func TestDirFailsUnderCI(t *testing.T) {
	isolate(t)
	t.Setenv(EnvCI, "true")
	r := &recorder{TB: t}
	Dir(r, mnist.MNIST)
	if r.skipped != "" || !strings.HasPrefix(r.fatal, Missing(mnist.MNIST)) || !strings.Contains(r.fatal, "$CI is set") {
		t.Errorf("under CI: skip %q, fatal %q; want a failure saying why", r.skipped, r.fatal)
	}
}
