package runner

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/backprop-lab/backprop/gradcheck"
)

// Unit is one check a grading program can run, as the parent knows it
// before running anything: what a failure is called and worth.
type Unit struct {
	// ID selects the unit in the program (a key of Serve's map).
	ID string
	// Name names the unit in a failure line: "✗ Name: reason".
	Name string
	// TestName names the failed Gradescope test of a unit that reported
	// nothing (default Name).
	TestName string
	// Points is the maximum score of that test.
	Points float64
	// Timeout limits the unit's run (default DefaultTimeout).
	Timeout time.Duration
}

// DefaultTimeout is a unit's time limit when Unit.Timeout is 0.
const DefaultTimeout = 10 * time.Second

// Limits of what the parent keeps from a child.
const (
	// MaxOutput is how much of the learner's stdout and stderr is kept.
	MaxOutput = 16 << 10
	// maxRecord is the longest record line read; maxRecords the most lines.
	maxRecord  = 4 << 20
	maxRecords = 64
)

// Outcome is the parent's verdict on one unit.
type Outcome struct {
	Unit Unit
	// Verdict is the unit's own, authenticated verdict, or (Authentic
	// false) a failure the parent made up with Reason.
	Verdict   Verdict
	Authentic bool
	Reason    string
	// Output is what the learner's code printed (stdout and stderr,
	// interleaved, at most MaxOutput bytes); Truncated if there was more.
	Output    string
	Truncated bool
	// Forged counts record lines with a wrong signature (learner writes to
	// the results pipe); one is enough to fail the unit, whatever else it
	// reported.
	Forged  int
	Elapsed time.Duration
}

// Passed reports whether the unit passed by its own authenticated verdict.
func (o Outcome) Passed() bool { return o.Authentic && o.Verdict.Passed }

// Options configure Run.
type Options struct {
	// Args are the program's command-line arguments (its configuration).
	Args []string
	// IsLearnerFile reports whether a file named in a stack trace is the
	// learner's, to point a crash at the learner's line (nil: none).
	IsLearnerFile func(file string) bool
}

// Run runs the grading program bin once per unit, one after another, each
// within its time limit and in a fresh temporary working directory, and
// returns one outcome per unit. Only ctx's end or a failure to start the
// program is an error.
func Run(ctx context.Context, bin string, units []Unit, o *Options) ([]Outcome, error) {
	if o == nil {
		o = &Options{}
	}
	var out []Outcome
	for _, u := range units {
		oc, err := runUnit(ctx, bin, u, o)
		if err != nil {
			return nil, err
		}
		out = append(out, oc)
	}
	return out, nil
}

// capWriter keeps the first max bytes written to it and discards the rest,
// so a child flooding its output never blocks and never fills memory.
type capWriter struct {
	mu        sync.Mutex
	buf       bytes.Buffer
	max       int
	truncated bool
}

func (w *capWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if room := w.max - w.buf.Len(); room < len(p) {
		w.truncated = true
		w.buf.Write(p[:max(room, 0)])
	} else {
		w.buf.Write(p)
	}
	return len(p), nil
}

func (w *capWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func runUnit(ctx context.Context, bin string, u Unit, o *Options) (Outcome, error) {
	if u.Timeout <= 0 {
		u.Timeout = DefaultTimeout
	}
	if u.TestName == "" {
		u.TestName = u.Name
	}
	oc := Outcome{Unit: u}
	k := make([]byte, keyLen)
	if _, err := rand.Read(k); err != nil {
		return oc, err
	}
	dir, err := os.MkdirTemp("", "grade-run-")
	if err != nil {
		return oc, err
	}
	defer os.RemoveAll(dir)
	keyR, keyW, err := os.Pipe()
	if err != nil {
		return oc, err
	}
	defer keyR.Close()
	resR, resW, err := os.Pipe()
	if err != nil {
		keyW.Close()
		return oc, err
	}
	defer resR.Close()
	// The key (65 bytes) fits in the pipe's buffer: write it and close,
	// so that the child reads it once and finds the pipe empty after.
	_, err = keyW.Write(append(hex.AppendEncode(nil, k), '\n'))
	keyW.Close()
	if err != nil {
		resW.Close()
		return oc, err
	}

	output := &capWriter{max: MaxOutput}
	cmd := exec.Command(bin, o.Args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), envUnit+"="+u.ID)
	cmd.Stdout, cmd.Stderr = output, output
	cmd.ExtraFiles = []*os.File{keyR, resW} // fds 3 and 4
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = time.Second // a grandchild holding stdout open cannot stall Wait
	start := time.Now()
	if err := cmd.Start(); err != nil {
		resW.Close()
		return oc, fmt.Errorf("starting the grading program: %v", err)
	}
	resW.Close()
	keyR.Close()

	records := make(chan []record, 1)
	forged := make(chan int, 1)
	go func() { rs, f := readRecords(resR, k, u.ID); records <- rs; forged <- f }()

	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	timer := time.NewTimer(u.Timeout)
	defer timer.Stop()
	var waitErr error
	timedOut, cancelled := false, false
	select {
	case waitErr = <-waited:
	case <-timer.C:
		timedOut = true
	case <-ctx.Done():
		cancelled = true
	}
	// Whatever happened, nothing the child started may outlive it.
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	if timedOut || cancelled {
		waitErr = <-waited
	}
	oc.Elapsed = time.Since(start)
	// The child is gone; a grandchild that kept the results pipe open is
	// killed with its group. Give the reader a moment, then cut it off.
	var rs []record
	select {
	case rs = <-records:
		oc.Forged = <-forged
	case <-time.After(time.Second):
		resR.Close()
		rs = <-records
		oc.Forged = <-forged
	}
	oc.Output, oc.Truncated = output.String(), output.truncated
	if cancelled {
		return oc, ctx.Err()
	}

	if oc.Forged > 0 {
		// A correct submission never writes to the results pipe; a line
		// the parent cannot authenticate is the learner's, and ignoring it
		// would let code that can guess candidate keys try many.
		oc.Reason = fmt.Sprintf("your code wrote to the grader's results channel (%d line(s) not signed by the grader), so no verdict of this check can be trusted", oc.Forged)
		oc.Verdict = Verdict{Text: "✗ " + u.Name + ": " + oc.Reason, Tests: []gradcheck.GradescopeTest{{
			Name: u.TestName, MaxScore: u.Points, Status: "failed", Output: oc.Reason, Visibility: "visible"}}}
		return oc, nil
	}
	if v, ok := accept(rs); ok {
		if !v.Passed && len(v.Tests) == 0 { // the runner's own report: a panic or runtime.Goexit
			v.Text = "✗ " + u.Name + ": " + v.Text
			v.Tests = []gradcheck.GradescopeTest{{Name: u.TestName, MaxScore: u.Points, Status: "failed", Output: v.Text, Visibility: "visible"}}
		}
		oc.Verdict, oc.Authentic = v, true
		return oc, nil
	}
	oc.Reason = reason(u, timedOut, waitErr, oc.Output, o.IsLearnerFile)
	oc.Verdict = Verdict{Text: "✗ " + u.Name + ": " + oc.Reason, Tests: []gradcheck.GradescopeTest{{
		Name: u.TestName, MaxScore: u.Points, Status: "failed", Output: oc.Reason, Visibility: "visible"}}}
	return oc, nil
}

// readRecords reads signed records from r until EOF, keeping those signed
// with key for unit id and counting the others as forged. Lines are
// bounded in length and number; the rest is drained and dropped.
func readRecords(r io.Reader, key []byte, id string) (out []record, forged int) {
	br := bufio.NewReaderSize(r, 64<<10)
	n := 0
	for {
		line, err := readLine(br, maxRecord)
		if len(line) > 0 {
			n++
			if n <= maxRecords {
				if rec, verr := verify(key, line); verr == nil && rec.Unit == id {
					out = append(out, rec)
				} else {
					forged++
				}
			}
		}
		if err != nil {
			return out, forged
		}
	}
}

// readLine reads one line without its newline; a line longer than limit
// is consumed and returned as a bad (truncated) line.
func readLine(br *bufio.Reader, limit int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) <= limit {
			line = append(line, chunk...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return bytes.TrimSuffix(line, []byte("\n")), err
	}
}

// accept returns the verdict of a well-formed exchange: record 1 a verdict,
// record 2 "complete", nothing else.
func accept(rs []record) (Verdict, bool) {
	if len(rs) != 2 || rs[0].Seq != 1 || rs[0].Kind != "verdict" || rs[0].Verdict == nil ||
		rs[1].Seq != 2 || rs[1].Kind != "complete" {
		return Verdict{}, false
	}
	return *rs[0].Verdict, true
}

// reason explains why a unit reported no verdict.
func reason(u Unit, timedOut bool, err error, output string, isLearner func(string) bool) string {
	if timedOut {
		return fmt.Sprintf("timed out after %v: your code did not finish (an endless loop, or far too slow)", u.Timeout)
	}
	if msg, where := crash(output, "panic: ", isLearner); msg != "" {
		return "panicked: " + msg + where
	}
	if msg, where := crash(output, "fatal error: ", isLearner); msg != "" {
		return "crashed: fatal error: " + msg + where
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return fmt.Sprintf("the grading process was killed (%v): out of memory, or killed from outside", ws.Signal())
		}
		return fmt.Sprintf("your code ended the grading process early (exit status %d) before the check could finish", exit.ExitCode())
	}
	if err != nil {
		return "the grading process failed: " + err.Error()
	}
	return "your code ended the grading process early (exit status 0) before the check could finish"
}

// crash finds the last line of output starting with prefix (Go's "panic: "
// or "fatal error: ") and the learner's frame of the stack after it.
func crash(output, prefix string, isLearner func(string) bool) (msg, where string) {
	k := strings.LastIndex("\n"+output, "\n"+prefix)
	if k < 0 {
		return "", ""
	}
	rest := output[k+len(prefix):]
	msg, stack, _ := strings.Cut(rest, "\n")
	msg = strings.TrimSuffix(strings.TrimSpace(msg), " [recovered]")
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	if isLearner != nil {
		if loc := FrameOf(stack, isLearner); loc != "" {
			where = " (at " + loc + ")"
		}
	}
	return msg, where
}

// FrameOf returns the first position "file:line" of a Go stack trace whose
// file isLearner accepts, rendered by Position ("" if none).
func FrameOf(stack string, isLearner func(file string) bool) string {
	for _, l := range strings.Split(stack, "\n") {
		if !strings.HasPrefix(l, "\t") {
			continue
		}
		pos := strings.TrimSpace(l)
		if k := strings.LastIndex(pos, " +0x"); k >= 0 {
			pos = pos[:k]
		}
		c := strings.LastIndex(pos, ":")
		if c < 0 {
			continue
		}
		if isLearner(pos[:c]) {
			return Position(pos[:c], pos[c+1:])
		}
	}
	return ""
}

// Position renders a learner's file and line: "In [7], line 3" for a
// notebook cell named by a line directive, else "file:line".
func Position(file, line string) string {
	if strings.HasPrefix(file, "In [") || strings.HasPrefix(file, "code cell ") {
		return file + ", line " + line
	}
	return file + ":" + line
}
