package main

import (
	"fmt"
	"strconv"
	"strings"
)

// withPoints ends the first line of a verdict with its score:
// "✓ Exercise 1 (ReLU′): right: … [1/1 point]".
func withPoints(text string, got, max float64) string {
	unit := "points"
	if max == 1 {
		unit = "point"
	}
	first, rest, more := strings.Cut(text, "\n")
	first += fmt.Sprintf(" [%s/%s %s]", fmtPoints(got), fmtPoints(max), unit)
	if more {
		return first + "\n" + rest
	}
	return first
}

func fmtPoints(p float64) string { return strconv.FormatFloat(p, 'g', -1, 64) }
