package runner

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A build stopped at its time limit leaves no process and no directory
// behind: a fake go command on PATH starts a long-lived child (as go build
// starts compile and link) and then hangs; at the limit Build must kill
// both and remove its temporary directory.
func TestBuildStoppedKillsProcessGroupAndRemovesDir(t *testing.T) {
	bin := t.TempDir()
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	fake := "#!/bin/sh\nsleep 300 &\necho $! > " + pidFile + "\nsleep 300\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)

	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	start := time.Now()
	dir, _, err := Build(ctx, Program{Module: "stopped", Version: "v0.0.0", Files: map[string][]byte{"main.go": []byte("package main\nfunc main() {}\n")}})
	var be *BuildError
	if !errors.As(err, &be) || !strings.Contains(be.Output, "time limit") {
		t.Fatalf("Build = %v, want a BuildError naming the time limit", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("Build returned after %v: it waited for the hung children", d)
	}
	if dir != "" {
		t.Errorf("Build returned dir %q for a stopped build", dir)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("the stopped build left %v in TMPDIR", left[0].Name())
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the fake go command never started its child: %v", err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	deadline := time.Now().Add(5 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			syscallKill(pid)
			t.Fatalf("the build's child %d still runs after the time limit", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// alive reports whether process pid exists and is not a zombie.
func alive(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(stat)
	if k := strings.LastIndex(s, ")"); k >= 0 && k+2 < len(s) {
		return s[k+2] != 'Z'
	}
	return true
}

func syscallKill(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		p.Kill()
	}
}
