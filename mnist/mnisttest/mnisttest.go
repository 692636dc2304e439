// Package mnisttest gives the tests that need the full MNIST or
// Fashion-MNIST (60000 training and 10000 test images) their data, the
// same way for every package: Dir finds it where mnist.Open looks
// ($BACKPROP_DATA, then the per-user download cache), and otherwise skips
// the test with one line saying how to enable it. With $CI set (to anything
// non-empty) a missing data set fails the test instead: CI must run them.
package mnisttest

import (
	"os"
	"testing"

	"github.com/backprop-lab/backprop/mnist"
)

// EnvCI is the environment variable that turns the skip into a failure.
const EnvCI = "CI"

// Dir returns the directory holding the four official files of kind
// (mnist.MNIST or mnist.Fashion), found by mnist.Find. If there is none it
// calls t.Skip with Missing(kind), or t.Fatal under $CI.
func Dir(t testing.TB, kind mnist.Dataset) string {
	t.Helper()
	dir, _, _ := mnist.Find(kind)
	if dir != "" {
		return dir
	}
	if os.Getenv(EnvCI) != "" {
		t.Fatal(Missing(kind) + " ($" + EnvCI + " is set: these tests must run)")
	} else {
		t.Skip(Missing(kind))
	}
	return ""
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
