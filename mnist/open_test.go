package mnist

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// isolate points $BACKPROP_DATA and the per-user cache at empty temporary
// directories (or unsets BACKPROP_DATA if data is "") and returns the cache
// root.
func isolate(t *testing.T, data string) (cacheRoot string) {
	t.Helper()
	cacheRoot = t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cacheRoot) // os.UserCacheDir on Unix
	t.Setenv("HOME", cacheRoot)           // and on macOS
	t.Setenv("LocalAppData", cacheRoot)   // and on Windows
	t.Setenv(EnvData, data)
	return cacheRoot
}

func TestDirs(t *testing.T) {
	cacheRoot := isolate(t, "")
	cache, err := CacheDir(Fashion)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cache, cacheRoot) || !strings.HasSuffix(cache, filepath.Join("backprop", "fashion-mnist")) {
		t.Errorf("CacheDir(Fashion) = %s", cache)
	}
	if d, _ := DefaultDir(MNIST); d != filepath.Join(filepath.Dir(cache), "mnist") {
		t.Errorf("DefaultDir(MNIST) without $%s = %s", EnvData, d)
	}
	t.Setenv(EnvData, "/data")
	if d, _ := DefaultDir(MNIST); d != filepath.Join("/data", "mnist") {
		t.Errorf("DefaultDir(MNIST) with $%s=/data = %s", EnvData, d)
	}
}

func TestOpen(t *testing.T) {
	tiny := filepath.Join("testdata", "tiny")
	t.Run("dir", func(t *testing.T) {
		isolate(t, "")
		train, _, src, err := Open(MNIST, tiny)
		if err != nil || train.Len() != 4 || src != "MNIST from "+tiny {
			t.Errorf("Open(MNIST, %s) = %v, %q, %v", tiny, train, src, err)
		}
		if _, _, _, err := Open(MNIST, filepath.Join(t.TempDir(), "x")); err == nil || !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("missing dir: err = %v", err)
		}
	})
	t.Run("env", func(t *testing.T) {
		root := t.TempDir()
		isolate(t, root)
		os.CopyFS(filepath.Join(root, "fashion-mnist"), os.DirFS(tiny))
		train, _, src, err := Open(Fashion, "")
		if err != nil || train.Len() != 4 || train.Kind != Fashion || !strings.Contains(src, "$"+EnvData) {
			t.Errorf("Open(Fashion) = %v, %q, %v", train, src, err)
		}
	})
	t.Run("cache", func(t *testing.T) {
		isolate(t, t.TempDir()) // $BACKPROP_DATA set but empty: fall through to the cache
		cache, _ := CacheDir(MNIST)
		os.CopyFS(cache, os.DirFS(tiny))
		train, _, src, err := Open(MNIST, "")
		if err != nil || train.Len() != 4 || !strings.Contains(src, cache+" (cache)") {
			t.Errorf("Open(MNIST) = %v, %q, %v", train, src, err)
		}
	})
	t.Run("embedded fallback", func(t *testing.T) {
		root := t.TempDir()
		isolate(t, root)
		partial := filepath.Join(root, "mnist")
		os.MkdirAll(partial, 0o755)
		os.WriteFile(filepath.Join(partial, "train-images-idx3-ubyte.gz"), nil, 0o644)
		train, test, src, err := Open(MNIST, "")
		if err != nil {
			t.Fatal(err)
		}
		etrain, etest := Embedded()
		if train != etrain || test != etest {
			t.Error("did not return the embedded sets")
		}
		for _, w := range []string{"embedded MNIST subset (10000 train / 2000 test)", "only 1 of the 4 files", "no full MNIST (60000/10000) found"} {
			if !strings.Contains(src, w) {
				t.Errorf("source %q does not mention %q", src, w)
			}
		}
	})
	t.Run("no fashion", func(t *testing.T) {
		isolate(t, "")
		_, _, _, err := Open(Fashion, "")
		for _, w := range []string{"no Fashion-MNIST files found", "$" + EnvData + " is not set", "mnist.Download(ctx, \"fashion\""} {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("err = %v; want it to mention %q", err, w)
			}
		}
	})
	t.Run("malformed is an error", func(t *testing.T) {
		root := t.TempDir()
		isolate(t, root)
		dir := filepath.Join(root, "mnist")
		os.CopyFS(dir, os.DirFS(tiny))
		os.WriteFile(filepath.Join(dir, "t10k-labels-idx1-ubyte"), []byte("junk"), 0o644)
		if _, _, _, err := Open(MNIST, ""); err == nil || !strings.Contains(err.Error(), "not an IDX file") {
			t.Errorf("err = %v, want the parse error rather than a fallback", err)
		}
	})
	t.Run("embedded kind", func(t *testing.T) {
		train, _, src, err := Open(EmbeddedSubset, "")
		if err != nil || train.Len() != 10000 || src != "embedded MNIST subset (10000 train / 2000 test, compiled in)" {
			t.Errorf("Open(EmbeddedSubset) = %v, %q, %v", train, src, err)
		}
		if _, _, _, err := Open(EmbeddedSubset, tiny); err == nil {
			t.Error("Open(EmbeddedSubset, dir) did not fail")
		}
		if _, _, _, err := Open("cifar", ""); err == nil {
			t.Error(`Open("cifar") did not fail`)
		}
	})
}

// TestFind: the environment's root wins over the cache, a partial folder is
// passed over and reported with its count, and nothing found says where it
// looked.
func TestFind(t *testing.T) {
	tiny := filepath.Join("testdata", "tiny")
	root := t.TempDir()
	cacheRoot := isolate(t, root)
	if dir, why, looked := Find(MNIST); dir != "" || why != "" || len(looked) != 2 ||
		!strings.Contains(looked[0], "no files") || !strings.Contains(looked[1], "(cache): no files") {
		t.Errorf("nothing anywhere: Find = %q, %q, %q", dir, why, looked)
	}
	cache, _ := CacheDir(MNIST)
	os.CopyFS(cache, os.DirFS(tiny))
	envDir := filepath.Join(root, "mnist")
	os.MkdirAll(envDir, 0o755)
	os.WriteFile(filepath.Join(envDir, trainImagesFile), nil, 0o644)
	if dir, why, looked := Find(MNIST); dir != cache || why != "cache" || len(looked) != 1 ||
		!strings.Contains(looked[0], envDir+" ($"+EnvData+"): only 1 of the 4 files") {
		t.Errorf("partial $%s, full cache: Find = %q, %q, %q", EnvData, dir, why, looked)
	}
	for _, name := range fileNames {
		os.WriteFile(filepath.Join(envDir, name), nil, 0o644)
	}
	if dir, why, _ := Find(MNIST); dir != envDir || why != "$"+EnvData {
		t.Errorf("both full: Find = %q, %q; want $%s's %s first", dir, why, EnvData, envDir)
	}
	if dir, _, looked := Find(Fashion); dir != "" || len(looked) != 2 || !strings.Contains(looked[1], filepath.Join(cacheRoot, "backprop", "fashion-mnist")) {
		t.Errorf("Fashion with only MNIST present: Find = %q, %q", dir, looked)
	}
	t.Setenv(EnvData, "")
	if dir, _, looked := Find(MNIST); dir != cache || len(looked) != 1 || looked[0] != "$"+EnvData+" is not set" {
		t.Errorf("$%s unset: Find = %q, %q", EnvData, dir, looked)
	}
}
