package runner

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSignVerify(t *testing.T) {
	key := []byte(strings.Repeat("k", keyLen))
	r := record{Seq: 1, Unit: "1", Kind: "verdict", Verdict: &Verdict{Passed: true, Text: "✓"}}
	line := sign(key, r)
	got, err := verify(key, line[:len(line)-1])
	if err != nil || got.Unit != "1" || !got.Verdict.Passed {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	other := []byte(strings.Repeat("x", keyLen))
	if _, err := verify(other, line[:len(line)-1]); err == nil {
		t.Error("a record verified under another key")
	}
	tampered := strings.Replace(string(line[:len(line)-1]), `"passed":true`, `"passed":false`, 1)
	if _, err := verify(key, []byte(tampered)); err == nil {
		t.Error("a changed record verified")
	}
	for _, bad := range []string{"", "x", strings.Repeat("z", 64) + " {}", "{\"seq\":1}"} {
		if _, err := verify(key, []byte(bad)); err == nil {
			t.Errorf("%q verified", bad)
		}
	}
}

func TestAccept(t *testing.T) {
	v := &Verdict{Passed: true}
	ok := []record{{Seq: 1, Kind: "verdict", Verdict: v}, {Seq: 2, Kind: "complete"}}
	if _, good := accept(ok); !good {
		t.Error("a complete exchange was refused")
	}
	for name, rs := range map[string][]record{
		"none":           nil,
		"no complete":    ok[:1],
		"complete alone": ok[1:],
		"reordered":      {ok[1], ok[0]},
		"extra":          {ok[0], ok[1], ok[1]},
		"no verdict":     {{Seq: 1, Kind: "verdict"}, ok[1]},
	} {
		if _, good := accept(rs); good {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestReadRecordsBounds(t *testing.T) {
	key := []byte(strings.Repeat("k", keyLen))
	good := sign(key, record{Seq: 1, Unit: "u", Kind: "verdict", Verdict: &Verdict{}})
	other := sign(key, record{Seq: 1, Unit: "v", Kind: "verdict", Verdict: &Verdict{}})
	input := strings.Repeat("x", maxRecord+10) + "\n" + string(other) + string(good) + "junk"
	rs, forged := readRecords(strings.NewReader(input), key, "u")
	if len(rs) != 1 || forged != 3 {
		t.Errorf("%d records, %d forged; want 1 and 3", len(rs), forged)
	}
}

func TestGoflagsReplacesMod(t *testing.T) {
	if got := Goflags("-buildvcs=false -mod=readonly"); got != "-buildvcs=false -mod=mod" {
		t.Errorf("Goflags = %q", got)
	}
	if got := Goflags(""); got != "-mod=mod" {
		t.Errorf("Goflags = %q", got)
	}
}

func TestCrash(t *testing.T) {
	out := "hello\npanic: boom [recovered]\n\ngoroutine 7 [running]:\nmain.f()\n\tIn [4]:12 +0x25\nmain.main()\n\t/tmp/x/main.go:9 +0x1\n"
	isCell := func(f string) bool { return strings.HasPrefix(f, "In [") }
	msg, where := crash(out, "panic: ", isCell)
	if msg != "boom" || where != " (at In [4], line 12)" {
		t.Errorf("crash = %q, %q", msg, where)
	}
	if msg, _ := crash("no panic here", "panic: ", isCell); msg != "" {
		t.Errorf("crash found %q", msg)
	}
}

func TestCapWriter(t *testing.T) {
	w := &capWriter{max: 10}
	for range 5 {
		if n, err := w.Write([]byte("abcd")); n != 4 || err != nil {
			t.Fatal(n, err)
		}
	}
	if w.String() != "abcdabcdab" || !w.truncated {
		t.Errorf("kept %q, truncated %v", w.String(), w.truncated)
	}
}

// buildProg builds testdata/prog, a grading program.
func buildProg(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a program")
	}
	bin := filepath.Join(t.TempDir(), "prog")
	cmd := exec.Command("go", "build", "-o", bin, "./testdata/prog")
	cmd.Env = append(os.Environ(), "GOPROXY=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return bin
}

func TestRun(t *testing.T) {
	bin := buildProg(t)
	units := []Unit{{ID: "pass", Name: "P", Points: 2}, {ID: "fail", Name: "F"}, {ID: "exit", Name: "E"},
		{ID: "sleep", Name: "S", Timeout: 500 * time.Millisecond}, {ID: "panic", Name: "X"}, {ID: "nonesuch", Name: "N"},
		{ID: "scribble", Name: "W"}}
	start := time.Now()
	out, err := Run(context.Background(), bin, units, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v", d)
	}
	want := []struct {
		passed, authentic bool
		text              string
	}{
		{true, true, "✓ right"},
		{false, true, "✗ wrong"},
		{false, false, "✗ E: your code ended the grading process early (exit status 0)"},
		{false, false, "✗ S: timed out after 500ms"},
		{false, true, "✗ X: panicked: boom"},
		{false, true, `grading program has no unit "nonesuch"`},
		// A line with a bad MAC fails the unit, even beside a signed pass.
		{false, false, "✗ W: your code wrote to the grader's results channel (1 line(s) not signed by the grader)"},
	}
	for i, w := range want {
		o := out[i]
		if o.Passed() != w.passed || o.Authentic != w.authentic || !strings.HasPrefix(o.Verdict.Text, w.text) && !strings.Contains(o.Verdict.Text, w.text) {
			t.Errorf("%s: passed %v authentic %v %q; want %v %v %q", o.Unit.ID, o.Passed(), o.Authentic, o.Verdict.Text, w.passed, w.authentic, w.text)
		}
		if !o.Passed() && (len(o.Verdict.Tests) != 1 || o.Verdict.Tests[0].Status != "failed") {
			t.Errorf("%s: tests %+v", o.Unit.ID, o.Verdict.Tests)
		}
	}
	if out[0].Output != "hello\n" {
		t.Errorf("learner output %q", out[0].Output)
	}
}

// Serve called by the learner's code (here during initialisation, with
// units of its own) reports nothing, and the parent says so.
func TestServeOnlyFromMain(t *testing.T) {
	bin := buildProg(t)
	t.Setenv("PROG_SNEAKY", "1")
	out, err := Run(context.Background(), bin, []Unit{{ID: "pass", Name: "P"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if out[0].Passed() || !strings.Contains(out[0].Output, "runner.Serve called outside main.main") {
		t.Errorf("%+v", out[0])
	}
}

// Run directly (not by Run), a grading program has no key and says so.
func TestServeWithoutGrader(t *testing.T) {
	bin := buildProg(t)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), envUnit+"=pass")
	out, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 3 || !strings.Contains(string(out), "reports only to the grader") {
		sc := bufio.NewScanner(strings.NewReader(string(out)))
		sc.Scan()
		t.Errorf("exit %d: %s", cmd.ProcessState.ExitCode(), sc.Text())
	}
}
