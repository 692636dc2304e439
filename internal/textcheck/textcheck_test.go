package textcheck

import "testing"

func TestContainsWords(t *testing.T) {
	for _, c := range []struct {
		s, sub string
		want   bool
	}{
		{"the gradient of W⁽¹⁾ is\nwrong by 100%", "W⁽¹⁾ is wrong", true},
		{"a  b\t\tc", "a b c", true},
		{"a b c", "a\n b", true},
		{"ab c", "a b", false},  // white space is not invented inside a word
		{"a b", "a b c", false}, // longer than s
		{"score 3/4", "score 4/4", false},
	} {
		if got := ContainsWords(c.s, c.sub); got != c.want {
			t.Errorf("ContainsWords(%q, %q) = %v; want %v", c.s, c.sub, got, c.want)
		}
	}
}
