package mnisttest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/internal/testenv"
	"github.com/backprop-lab/backprop/mnist"
)

// isolate makes the data unfindable (NoData), then sets $BACKPROP_DATA to
// an empty folder and unsets $CI; it returns that data root.
func isolate(t *testing.T) string {
	t.Helper()
	NoData(t)
	root := t.TempDir()
	t.Setenv(mnist.EnvData, root)
	t.Setenv(testenv.EnvCI, "")
	return root
}

func TestNoData(t *testing.T) {
	cache := NoData(t)
	if dir, _, looked := mnist.Find(mnist.MNIST); dir != "" || len(looked) != 2 || !strings.Contains(looked[1], cache) {
		t.Errorf("after NoData: Find = %q, %q; want nothing found, the cache under %s", dir, looked, cache)
	}
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
	r := testenv.NewRecorder(t)
	if got := Dir(r, mnist.Fashion); got != cache || r.SkipMessage != "" || r.FatalMessage != "" {
		t.Errorf("Fashion in the cache: Dir = %q (skip %q, fatal %q); want %s", got, r.SkipMessage, r.FatalMessage, cache)
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
		r := testenv.NewRecorder(t)
		if got := Dir(r, c.kind); got != "" || r.FatalMessage != "" {
			t.Errorf("%v: Dir = %q, fatal %q; want a skip", c.kind, got, r.FatalMessage)
		}
		if strings.Contains(r.SkipMessage, "\n") {
			t.Errorf("%v: the skip is not one line: %q", c.kind, r.SkipMessage)
		}
		for _, w := range c.want {
			if !strings.Contains(r.SkipMessage, w) {
				t.Errorf("%v: skip %q does not say %q", c.kind, r.SkipMessage, w)
			}
		}
	}
}

func TestDirFailsUnderCI(t *testing.T) {
	isolate(t)
	t.Setenv(testenv.EnvCI, "true")
	r := testenv.NewRecorder(t)
	Dir(r, mnist.MNIST)
	if r.SkipMessage != "" || !strings.HasPrefix(r.FatalMessage, Missing(mnist.MNIST)) || !strings.Contains(r.FatalMessage, "$CI is set") {
		t.Errorf("under CI: skip %q, fatal %q; want a failure saying why", r.SkipMessage, r.FatalMessage)
	}
}
