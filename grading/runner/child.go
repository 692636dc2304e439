package runner

import (
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
)

// The child's side of the protocol. envUnit names the unit the child must
// run; it is not secret. keyFD and resultsFD are the inherited pipes.
const (
	envUnit   = "BACKPROP_GRADE_UNIT"
	keyFD     = 3
	resultsFD = 4
)

// key is the per-run key, read from keyFD during this package's
// initialisation; nil when not run by Run.
var key []byte

// served makes Serve run once.
var served atomic.Bool

func init() {
	if os.Getenv(envUnit) == "" {
		return
	}
	f := os.NewFile(keyFD, "grade-key")
	if f == nil {
		return
	}
	buf, _ := io.ReadAll(io.LimitReader(f, 2*keyLen+1))
	f.Close()
	if k, err := hex.DecodeString(strings.TrimSpace(string(buf))); err == nil && len(k) == keyLen {
		key = k
	}
}

// Serve is the main function of a grading program: it runs the unit Run
// asked for (one of units) and reports its verdict on the results pipe,
// then exits. It must be called by main.main, once; anywhere else (the
// learner's code calling it with units of its own) it exits with status 3
// and reports nothing, which the parent counts as a failure.
//
// A unit that panics, or calls runtime.Goexit, is reported failed with the
// reason; a unit that never returns is stopped by the parent's time limit.
func Serve(units map[string]func() Verdict) {
	pc, _, _, ok := runtime.Caller(1)
	if fn := runtime.FuncForPC(pc); !ok || fn == nil || fn.Name() != "main.main" {
		fmt.Fprintln(os.Stderr, "grading: runner.Serve called outside main.main; nothing reported")
		os.Exit(3)
	}
	if !served.CompareAndSwap(false, true) || key == nil {
		fmt.Fprintln(os.Stderr, "grading: this program reports only to the grader that started it")
		os.Exit(3)
	}
	id := os.Getenv(envUnit)
	unit := units[id]
	done := make(chan Verdict, 1)
	go func() {
		returned := false
		defer func() {
			if returned {
				return
			}
			if p := recover(); p != nil {
				done <- Verdict{Text: fmt.Sprintf("panicked: %v\n%s", p, debug.Stack())}
				return
			}
			done <- Verdict{Text: "your code called runtime.Goexit, which ended the check before it could decide"}
		}()
		if unit == nil {
			done <- Verdict{Text: fmt.Sprintf("grading program has no unit %q", id)}
			returned = true
			return
		}
		v := unit()
		returned = true
		done <- v
	}()
	v := <-done
	w := os.NewFile(resultsFD, "grade-results")
	w.Write(sign(key, record{Seq: 1, Unit: id, Kind: "verdict", Verdict: &v}))
	w.Write(sign(key, record{Seq: 2, Unit: id, Kind: "complete"}))
	w.Close()
	os.Exit(0)
}
