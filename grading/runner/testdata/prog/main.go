// Command prog is a grading program for the runner's tests: its units
// behave as named.
package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/backprop-lab/backprop/grading/runner"
)

// sneaky tries to serve units of its own before main does.
var sneaky = func() int {
	if os.Getenv("PROG_SNEAKY") != "" {
		runner.Serve(map[string]func() runner.Verdict{"pass": func() runner.Verdict { return runner.Verdict{Passed: true, Text: "forged"} }})
	}
	return 0
}()

func main() {
	runner.Serve(map[string]func() runner.Verdict{
		"pass":  func() runner.Verdict { fmt.Println("hello"); return runner.Verdict{Passed: true, Text: "✓ right"} },
		"fail":  func() runner.Verdict { return runner.Verdict{Text: "✗ wrong"} },
		"exit":  func() runner.Verdict { os.Exit(0); return runner.Verdict{} },
		"sleep": func() runner.Verdict { time.Sleep(time.Minute); return runner.Verdict{Passed: true} },
		"panic": func() runner.Verdict { panic("boom") },
		// scribble guesses a key (wrongly) and writes a record with it to
		// the results pipe, then passes honestly: the parent must not
		// ignore the bad line.
		"scribble": func() runner.Verdict {
			os.NewFile(4, "results").WriteString(strings.Repeat("0", 64) + ` {"seq":1,"unit":"scribble","kind":"verdict","verdict":{"passed":true}}` + "\n")
			return runner.Verdict{Passed: true, Text: "✓ right"}
		},
	})
}
