// Package chromium finds the Chromium binary the browser tests drive
// headless (the chart test in lesson/chart, the lesson layout test in
// notebooks/nbtool).
package chromium

import (
	"os"
	"os/exec"
)

// names are the binaries looked up on PATH, in order: Debian's package,
// then the name other distributions and snaps use.
var names = []string{"chromium", "chromium-browser"}

// Path returns the Chromium to run: $CHROMIUM if set (used as given, not
// checked), else the first of chromium, chromium-browser found on PATH, else "".
func Path() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}
