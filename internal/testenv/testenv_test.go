package testenv

import (
	"flag"
	"strings"
	"testing"
)

func TestMissingSkipsLocally(t *testing.T) {
	t.Setenv(EnvCI, "")
	r := NewRecorder(t)
	Missing(r, "no Chromium: install chromium")
	if r.SkipMessage != "no Chromium: install chromium" || r.FatalMessage != "" {
		t.Errorf("skip %q, fatal %q; want the message as a skip", r.SkipMessage, r.FatalMessage)
	}
}

func TestMissingFailsUnderCI(t *testing.T) {
	for _, v := range []string{"1", "true"} {
		t.Setenv(EnvCI, v)
		r := NewRecorder(t)
		Missing(r, "no Chromium")
		if r.SkipMessage != "" || !strings.HasPrefix(r.FatalMessage, "no Chromium") || !strings.Contains(r.FatalMessage, "$CI is set") {
			t.Errorf("CI=%s: skip %q, fatal %q; want a failure saying why", v, r.SkipMessage, r.FatalMessage)
		}
	}
}

func TestSkipShort(t *testing.T) {
	old := flag.Lookup("test.short").Value.String()
	t.Cleanup(func() { flag.Set("test.short", old) })
	flag.Set("test.short", "true")
	t.Setenv(EnvCI, "")
	r := NewRecorder(t)
	SkipShort(r, "runs Chromium")
	if r.SkipMessage != "-short: runs Chromium" {
		t.Errorf("-short without CI: skip %q; want \"-short: runs Chromium\"", r.SkipMessage)
	}
	t.Setenv(EnvCI, "1")
	r = NewRecorder(t)
	SkipShort(r, "runs Chromium")
	if r.SkipMessage != "" {
		t.Errorf("-short under CI skipped (%q); CI runs everything", r.SkipMessage)
	}
	flag.Set("test.short", "false")
	t.Setenv(EnvCI, "")
	SkipShort(r, "runs Chromium")
	if r.SkipMessage != "" {
		t.Errorf("without -short skipped (%q)", r.SkipMessage)
	}
}
