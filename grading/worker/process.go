package worker

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The worker's pipes: it reads queries on queryFD and writes answers on
// answerFD.
const (
	queryFD  = 3
	answerFD = 4
)

// Serve is the main function of a worker program: it answers queries
// with f until the judge closes the query pipe, then exits. It decides
// nothing and holds no secret: the judge checks every answer.
func Serve(f Funcs) {
	in, out := os.NewFile(queryFD, "queries"), os.NewFile(answerFD, "answers")
	if in == nil || out == nil {
		fmt.Fprintln(os.Stderr, "worker: run by the grader only (no query pipe)")
		os.Exit(3)
	}
	s := NewGuardedSession(f)
	for {
		var q Query
		if err := readFrame(in, &q); err != nil {
			os.Exit(0)
		}
		a, err := s.Ask(q)
		if err != nil {
			fmt.Fprintln(os.Stderr, "worker:", err)
			os.Exit(3)
		}
		if err := writeFrame(out, a); err != nil {
			os.Exit(3)
		}
	}
}

// MaxOutput is how much of the learner's stdout and stderr the judge keeps.
const MaxOutput = 16 << 10

// Process is a running worker, as the judge sees it: an Asker whose every
// answer must come within the deadline Start set.
type Process struct {
	cmd     *exec.Cmd
	dir     string
	qw, ar  *os.File
	output  *capWriter
	timeout time.Duration
	timer   *time.Timer
	mu      sync.Mutex
	expired bool
	broken  error
	waited  chan struct{}
	waitErr error
}

// Start starts the worker program bin (arguments args) in a fresh empty
// working directory and its own process group; timeout limits its whole
// life: when it passes, the group is killed and every further Ask fails.
func Start(bin string, args []string, timeout time.Duration) (*Process, error) {
	dir, err := os.MkdirTemp("", "grade-worker-")
	if err != nil {
		return nil, err
	}
	qr, qw, err := os.Pipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	ar, aw, err := os.Pipe()
	if err != nil {
		qr.Close()
		qw.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	p := &Process{dir: dir, qw: qw, ar: ar, output: &capWriter{max: MaxOutput}, timeout: timeout, waited: make(chan struct{})}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = p.output, p.output
	cmd.ExtraFiles = []*os.File{qr, aw} // fds 3 and 4
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		qr.Close()
		qw.Close()
		ar.Close()
		aw.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("starting the worker: %v", err)
	}
	qr.Close()
	aw.Close()
	p.cmd = cmd
	go func() { p.waitErr = cmd.Wait(); close(p.waited) }()
	p.timer = time.AfterFunc(timeout, func() {
		p.mu.Lock()
		p.expired = true
		p.mu.Unlock()
		p.kill()
	})
	return p, nil
}

func (p *Process) kill() {
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	p.qw.Close()
	p.ar.Close()
}

// ErrWorker is the class of a worker's failure to answer (it died, hung or
// answered garbage): errors.Is(err, ErrWorker).
var ErrWorker = errors.New("the worker failed")

// workerError is why a worker gave no answer.
type workerError struct{ reason string }

func (e *workerError) Error() string        { return e.reason }
func (e *workerError) Is(target error) bool { return target == ErrWorker }

// Ask sends q and reads the answer.
func (p *Process) Ask(q Query) (Answer, error) {
	if p.broken != nil {
		return Answer{}, p.broken
	}
	var a Answer
	err := writeFrame(p.qw, q)
	if err == nil {
		err = readFrame(p.ar, &a)
	}
	if err != nil {
		p.broken = &workerError{p.reason(err)}
		p.kill()
		return Answer{}, p.broken
	}
	return a, nil
}

// reason explains why an exchange failed.
func (p *Process) reason(err error) string {
	p.mu.Lock()
	expired := p.expired
	p.mu.Unlock()
	if expired {
		return fmt.Sprintf("timed out after %v: your code did not finish (an endless loop, or far too slow)", p.timeout)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.EPIPE) || errors.Is(err, os.ErrClosed) {
		select {
		case <-p.waited:
		case <-time.After(2 * time.Second):
		}
		var exit *exec.ExitError
		if errors.As(p.waitErr, &exit) {
			if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				return fmt.Sprintf("the worker was killed (%v): out of memory, or killed from outside", ws.Signal())
			}
			if msg := crashLine(p.output.String()); msg != "" {
				return "your code crashed the worker: " + msg
			}
			return fmt.Sprintf("your code ended the worker (exit status %d) before it answered", exit.ExitCode())
		}
		return "your code ended the worker (exit status 0) before it answered"
	}
	return "the worker's answer could not be read (" + err.Error() + "): did your code write to the grader's pipe?"
}

// crashLine is Go's "fatal error: …" or an unrecovered "panic: …" line of
// output, with the learner's frame of the stack after it (" (at In [7],
// line 3)"), or "" if there is none.
func crashLine(out string) string {
	for _, prefix := range []string{"fatal error: ", "panic: "} {
		k := strings.LastIndex("\n"+out, "\n"+prefix)
		if k < 0 {
			continue
		}
		line, stack, _ := strings.Cut(out[k:], "\n")
		line = strings.TrimSuffix(line, " [recovered]")
		if r := []rune(line); len(r) > 300 {
			line = string(r[:300]) + "…"
		}
		if where := stackFrame(stack); where != "" {
			line += " (at " + where + ")"
		}
		return line
	}
	return ""
}

// stackFrame returns the position of the first frame of a Go stack trace
// whose function is the learner's (IsLearnerFunc), rendered by Position.
func stackFrame(stack string) string {
	lines := strings.Split(stack, "\n")
	for i := 0; i+1 < len(lines); i++ {
		fn := lines[i]
		if strings.HasPrefix(fn, "\t") || !strings.HasPrefix(lines[i+1], "\t") {
			continue
		}
		if k := strings.LastIndex(fn, "("); k > 0 {
			fn = fn[:k]
		}
		if !IsLearnerFunc(fn) {
			continue
		}
		pos := strings.TrimSpace(lines[i+1])
		if k := strings.LastIndex(pos, " +0x"); k >= 0 {
			pos = pos[:k]
		}
		if c := strings.LastIndex(pos, ":"); c > 0 {
			return Position(pos[:c], pos[c+1:])
		}
	}
	return ""
}

// Output returns what the learner's code printed (at most MaxOutput bytes)
// and whether there was more; all of it once Close has returned.
func (p *Process) Output() (string, bool) {
	s := p.output.String()
	p.output.mu.Lock()
	defer p.output.mu.Unlock()
	return s, p.output.truncated
}

// Close kills the worker's process group, waits for it and removes its
// working directory.
func (p *Process) Close() {
	p.timer.Stop()
	p.kill()
	<-p.waited
	os.RemoveAll(p.dir)
}

// capWriter keeps the first max bytes written to it and discards the rest.
type capWriter struct {
	mu        sync.Mutex
	buf       bytes.Buffer
	max       int
	truncated bool
}

func (w *capWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if room := w.max - w.buf.Len(); room < len(b) {
		w.truncated = true
		w.buf.Write(b[:max(room, 0)])
	} else {
		w.buf.Write(b)
	}
	return len(b), nil
}

func (w *capWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
