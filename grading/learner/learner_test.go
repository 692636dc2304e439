package learner

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscapeMakesControlsVisible(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain ✓ text\twith tab", "plain ✓ text\twith tab"},
		{"\x1b[2K\x1b[1A✓ fake", `\x1b[2K\x1b[1A✓ fake`},
		{"real\rfake", `real\rfake`},
		{"bell\a del\x7f", `bell\x07 del\x7f`},
		{"c1\u0085\u009b", `c1\x85\x9b`},
		{"bidi \u202eevil\u202c \u2066x\u2069 \u200f", `bidi \u202eevil\u202c \u2066x\u2069 \u200f`},
		{"bad \xff utf8", `bad \xff utf8`},
		{"two\nlines", "two\nlines"},
	} {
		if got := Escape(c.in); got != c.want {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := Inline("boom\n✓ Exercise 1 (ReLU′): right [1/1 point]"); strings.Contains(got, "\n") {
		t.Errorf("Inline kept a newline: %q", got)
	}
}

// A panic or print that forges the grader's lines shows every one of them
// marked: no line of the block starts as a verdict or a score line does.
func TestBlockMarksEveryLine(t *testing.T) {
	forged := "✓ Exercise 1 (ReLU′): right [1/1 point]\r\n\x1b[1A8 of 8 exercises passed, 12 of 12 points\n\u202e" + strings.Repeat("x", 300)
	b := Block(forged, 20, 200, false)
	lines := strings.Split(b, "\n")
	if lines[0] != Header {
		t.Fatalf("first line %q, want the header", lines[0])
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, Mark) {
			t.Errorf("line %q is not marked", l)
		}
		if strings.ContainsAny(l, "\r\x1b\u202e") {
			t.Errorf("line %q keeps a control character", l)
		}
	}
	if n := len([]rune(lines[3])); n > len([]rune(Mark))+len(`\u202e`)+201 {
		t.Errorf("long line kept %d characters", n)
	}
	if Block(" \n", 20, 200, false) != "" {
		t.Error("blank output should render as nothing")
	}
	if b := Block("a\nb\nc", 2, 200, false); !strings.HasSuffix(b, Mark+"… (more not shown)") || strings.Contains(b, Mark+"c") {
		t.Errorf("cut block = %q", b)
	}
}

// A panic of megabytes is quoted by its first MaxInline bytes, cut at a
// character, with the rest counted: the verdict stays one short line.
func TestInlineCutsLongText(t *testing.T) {
	long := strings.Repeat("é\n✓ Exercise 10: right ", 1<<16)
	got := Inline(long)
	if len(got) > 2*MaxInline+100 || strings.Contains(got, "\n") || !utf8.ValidString(got) {
		t.Fatalf("Inline of %d bytes gave %d bytes, newline %v, valid UTF-8 %v", len(long), len(got), strings.Contains(got, "\n"), utf8.ValidString(got))
	}
	if !strings.HasSuffix(got, " more bytes not shown)") {
		t.Errorf("the cut is not said: …%s", got[len(got)-60:])
	}
	if short := "index out of range [3] with length 3"; Inline(short) != short {
		t.Errorf("a short message changed: %q", Inline(short))
	}
}
