// Package learner renders text that learner code produced (what it
// printed, a panic's message) for a grader's verdict, so that it can never
// pass for the grader's own words.
//
// Two defences, applied by every grading path that shows learner text:
//
//   - Escape makes control characters visible instead of obeying them: ANSI
//     escape sequences (ESC), carriage returns, the other C0 and C1 controls
//     and DEL, and the Unicode bidirectional controls U+202A–U+202E,
//     U+2066–U+2069, U+200E, U+200F and U+061C are written as Go escapes
//     ("\x1b", "\r", "\u202e"); invalid UTF-8 becomes "\xff" likewise. A
//     terminal then cannot hide, overwrite or reorder the grader's lines.
//   - Block marks every line of learner output ("│ " under a header line),
//     and Inline keeps learner text on one line (a newline shows as "\n"):
//     a panic that prints "✓ Exercise 1 … [1/1 point]" or a score line
//     shows it marked, or inside the grader's sentence, never as a line of
//     its own.
package learner

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Mark starts every line of learner output in a Block.
const Mark = "│ "

// Header is the line above learner output in a Block.
const Header = "what your code printed:"

// Escape returns s with every control character but newline and tab, and
// every bidirectional control, written as a visible Go escape (see the
// package doc). Newlines are kept: Block marks the lines.
func Escape(s string) string { return escape(s, false) }

// Inline is Escape that also writes newlines as "\n", for learner text
// quoted inside one of the grader's lines (a panic's message), cut after
// MaxInline characters (the rest counted: "… (N more bytes not shown)"),
// as Block cuts its lines: a panic of megabytes would otherwise flood the
// verdict and stall its line wrapping.
func Inline(s string) string {
	more := ""
	if len(s) > MaxInline {
		cut := 0
		for i := range s {
			if i > MaxInline {
				break
			}
			cut = i
		}
		more = fmt.Sprintf("… (%d more bytes not shown)", len(s)-cut)
		s = s[:cut]
	}
	return escape(s, true) + more
}

// MaxInline is how many bytes of learner text Inline quotes.
const MaxInline = 500

func escape(s string, newline bool) string {
	if clean(s, newline) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' && newline:
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case unsafe(r, newline):
			if r < 0x100 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// unsafe reports whether r must be escaped.
func unsafe(r rune, newline bool) bool {
	switch {
	case r == '\t':
		return false
	case r == '\n':
		return newline
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f: // C0, DEL, C1
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true // bidirectional controls
	}
	return false
}

func clean(s string, newline bool) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return false
			}
		}
		if unsafe(r, newline) {
			return false
		}
	}
	return true
}

// Block renders learner output under Header, every line escaped and
// marked, at most maxLines lines of at most maxRunes characters each (a
// longer line ends in "…"); more lines, or truncated (the output was cut
// before it reached the grader), end with a marked "… (more not shown)".
// It returns "" if out is empty or only white space.
func Block(out string, maxLines, maxRunes int, truncated bool) string {
	if strings.TrimSpace(out) == "" {
		return ""
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	more := truncated || len(lines) > maxLines
	lines = lines[:min(len(lines), maxLines)]
	var b strings.Builder
	b.WriteString(Header)
	for _, l := range lines {
		if r := []rune(l); len(r) > maxRunes {
			l = string(r[:maxRunes]) + "…"
		}
		b.WriteString("\n" + Mark + Escape(l))
	}
	if more {
		b.WriteString("\n" + Mark + "… (more not shown)")
	}
	return b.String()
}
