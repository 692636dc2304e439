package main

import "strings"

// containsWords reports whether s contains sub up to white space: verdicts
// are wrapped at spaces to a width (see grading's verdictWidth), so
// a phrase may span a line break.
func containsWords(s, sub string) bool {
	return strings.Contains(strings.Join(strings.Fields(s), " "), strings.Join(strings.Fields(sub), " "))
}
