// Package testenv holds the tests' one rule for what a machine lacks: a
// test that needs something missing (Chromium, the chart library, the full
// MNIST) skips on a developer's machine with one line saying how to get it,
// and fails instead when $CI is set to anything non-empty, where every test
// must run.
package testenv

import (
	"fmt"
	"os"
	"testing"
)

// EnvCI is the environment variable that turns skips into failures.
const EnvCI = "CI"

// CI reports whether $CI is set (non-empty).
func CI() bool { return os.Getenv(EnvCI) != "" }

// Missing skips t with msg (one line: what is missing, how to get it), or
// fails it under CI, saying why.
func Missing(t testing.TB, msg string) {
	t.Helper()
	if CI() {
		t.Fatal(msg + " ($" + EnvCI + " is set: this test must run)")
	} else {
		t.Skip(msg)
	}
}

// SkipShort skips t in -short mode, giving why (what makes it slow), except
// under CI, which runs everything.
func SkipShort(t testing.TB, why string) {
	t.Helper()
	if testing.Short() && !CI() {
		t.Skip("-short: " + why)
	}
}

// Recorder is a testing.TB that records Skip and Fatal (their first
// argument, a string) instead of ending the test, for the tests of helpers
// that skip or fail, such as Missing. Everything else goes to the embedded
// TB.
type Recorder struct {
	testing.TB
	SkipMessage, FatalMessage string // the message of the last Skip and Fatal; "" if none
}

// NewRecorder returns a Recorder over t.
func NewRecorder(t testing.TB) *Recorder { return &Recorder{TB: t} }

func (r *Recorder) Helper()                   {}
func (r *Recorder) Skip(args ...any)          { r.SkipMessage = fmt.Sprint(args...) }
func (r *Recorder) Skipf(f string, a ...any)  { r.SkipMessage = fmt.Sprintf(f, a...) }
func (r *Recorder) Fatal(args ...any)         { r.FatalMessage = fmt.Sprint(args...) }
func (r *Recorder) Fatalf(f string, a ...any) { r.FatalMessage = fmt.Sprintf(f, a...) }
