// Package textcheck holds the text comparisons the tests share.
package textcheck

import "strings"

// ContainsWords reports whether s contains sub up to white space: verdicts
// are wrapped at spaces to a width (see gradcheck/grade's verdictWidth), so
// a phrase may span a line break. Runs of spaces, tabs and newlines in both
// compare as one space.
func ContainsWords(s, sub string) bool {
	return strings.Contains(strings.Join(strings.Fields(s), " "), strings.Join(strings.Fields(sub), " "))
}
