package grading

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestWrapLines checks that verdict lines are broken at spaces only, keep
// every word, stay within the width unless one word is wider, and indent
// their continuations.
func TestWrapLines(t *testing.T) {
	long := "✗ Exercise 2 (output delta δ⁽ʰ⁾): wrong: " + strings.Repeat("the values -7.13e-05, 0.9864 ", 8)
	detail := "    " + strings.Repeat("detail words ", 12)
	word := strings.Repeat("x", 130)
	in := long + "\n" + detail + "\nshort\n" + word + " tail"
	got := wrapLines(in, 40)
	if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(in), " ") {
		t.Fatalf("wrapping changed the words:\n%s", got)
	}
	for _, line := range strings.Split(got, "\n") {
		if utf8.RuneCountInString(line) > 40 && !strings.Contains(line, word) {
			t.Errorf("line wider than 40: %q", line)
		}
	}
	lines := strings.Split(got, "\n")
	if !strings.HasPrefix(lines[1], "  the") && !strings.HasPrefix(lines[1], "  -7") && !strings.HasPrefix(lines[1], "  0.") && !strings.HasPrefix(lines[1], "  values") {
		t.Errorf("a continuation of an unindented line is not indented by two spaces: %q", lines[1])
	}
	for _, line := range lines {
		if strings.HasPrefix(line, "  detail") {
			t.Errorf("a continuation of a detail line lost the detail's indentation: %q", line)
		}
	}
	if !strings.Contains(got, "\nshort\n") {
		t.Errorf("a short line changed:\n%s", got)
	}
	if wrapLines("a b", 40) != "a b" {
		t.Error("a line within the width changed")
	}
}
