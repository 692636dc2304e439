package grading

import (
	"fmt"
	"strconv"
	"strings"
)

// withPoints ends the summary of a verdict with its score:
// "✓ Exercise 1 (ReLU′): right: … [1/1 point]". The summary is the first
// line and its continuations (a verdict is wrapped at spaces, continuation
// lines indented by two spaces); the details after it are indented by four.
func withPoints(text string, got, max float64) string {
	unit := "points"
	if max == 1 {
		unit = "point"
	}
	score := fmt.Sprintf(" [%s/%s %s]", fmtPoints(got), fmtPoints(max), unit)
	end := len(text)
	if i := strings.Index(text, "\n    "); i >= 0 {
		end = i
	}
	return text[:end] + score + text[end:]
}

func fmtPoints(p float64) string { return strconv.FormatFloat(p, 'g', -1, 64) }
