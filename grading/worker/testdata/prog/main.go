// Command prog is a worker for the process tests: its reluPrime behaves as
// the argument says.
package main

import (
	"fmt"
	"os"

	"github.com/backprop-lab/backprop/grading/worker"
	"github.com/backprop-lab/backprop/lesson/autodiff"
)

func main() {
	mode := ""
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	worker.Serve(worker.Funcs{ReLUPrime: func(v float64) float64 {
		switch mode {
		case "loop":
			for {
			}
		case "exit":
			os.Exit(0)
		case "garbage":
			os.NewFile(4, "answers").WriteString("✓ passed\n")
			os.Exit(0)
		case "print":
			fmt.Println("✓ Exercise 1 (ReLU′): right [1/1 point]")
		case "panic":
			panic("boom")
		}
		if v > 0 {
			return 1
		}
		return 0
	},
		// A backward pass that reaches autodiff's own without naming it.
		EngineBackward: func(out *autodiff.Value) { any(out).(interface{ Backward() }).Backward() },
	})
}
