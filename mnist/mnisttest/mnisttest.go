// Package mnisttest gives the tests that need the full MNIST or
// Fashion-MNIST (60000 training and 10000 test images) their data, the
// same way for every package: Dir finds it where mnist.Open looks
// ($BACKPROP_DATA, then the per-user download cache), and otherwise skips
// the test with one line saying how to enable it. With $CI set (to anything
// non-empty) a missing data set fails the test instead (internal/testenv).
package mnisttest

import (
	"testing"

	"github.com/backprop-lab/backprop/internal/testenv"
	"github.com/backprop-lab/backprop/mnist"
)

// Dir returns the directory holding the four official files of kind
// (mnist.MNIST or mnist.Fashion), found by mnist.Find. If there is none it
// skips t with the line Missing(kind), or fails it under $CI
// (testenv.Missing).
func Dir(t testing.TB, kind mnist.Dataset) string {
	t.Helper()
	dir, _, _ := mnist.Find(kind)
	if dir == "" {
		testenv.Missing(t, Missing(kind))
	}
	return dir
}

// Missing is the one line a test without the data skips with: what is
// missing and the two ways to get it (a data root in $BACKPROP_DATA, or
// cmd/train's download into the cache).
func Missing(kind mnist.Dataset) string {
	sub, flag := "mnist/", ""
	if kind == mnist.Fashion {
		sub, flag = "fashion-mnist/", " --dataset fashion"
	}
	return "needs the full " + kind.Title() + ": set " + mnist.EnvData + "=DIR holding " + sub +
		", or run `go run ./cmd/train --download" + flag + " -m 1` to fill the download cache"
}

// NoData makes the full data unfindable for the rest of t: it unsets
// $BACKPROP_DATA and points the per-user cache (os.UserCacheDir: XDG_CACHE_HOME
// on Unix, HOME on macOS, LocalAppData on Windows) at an empty temporary
// folder, whose path it returns. Tests of the fallbacks (the embedded subset,
// the advice on how to get the data) use it. Like t.Setenv, it cannot be
// used in parallel tests.
func NoData(t testing.TB) (cacheRoot string) {
	t.Helper()
	cacheRoot = t.TempDir()
	t.Setenv(mnist.EnvData, "")
	for _, k := range []string{"XDG_CACHE_HOME", "HOME", "LocalAppData"} {
		t.Setenv(k, cacheRoot)
	}
	return cacheRoot
}
