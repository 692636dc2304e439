package grading

import "testing"

func TestWithPoints(t *testing.T) {
	for _, c := range []struct {
		text     string
		got, max float64
		want     string
	}{
		{"✓ Exercise 1 (ReLU′): right.", 1, 1, "✓ Exercise 1 (ReLU′): right. [1/1 point]"},
		{"✗ Exercise 3 (dense layer backward): wrong.\n    details", 0, 2, "✗ Exercise 3 (dense layer backward): wrong. [0/2 points]\n    details"},
		{"✓ Exercise 2: right.", 2.5, 2.5, "✓ Exercise 2: right. [2.5/2.5 points]"},
		{"✗ Exercise 4: wrong, a summary\n  wrapped at a space.\n    details", 0, 1, "✗ Exercise 4: wrong, a summary\n  wrapped at a space. [0/1 point]\n    details"},
	} {
		if got := withPoints(c.text, c.got, c.max); got != c.want {
			t.Errorf("withPoints(%q, %v, %v) = %q, want %q", c.text, c.got, c.max, got, c.want)
		}
	}
}
