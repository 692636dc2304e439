package nbtool

import (
	"regexp"
	"strings"
	"unicode"
)

// The numeral rule of the lessons' prose: a number that a computation
// produces must come from the computation, rendered by a cell or pinned
// (see [Pin]). [Claims] finds the numerals of a markdown cell that quote a
// result; every other numeral is a definition. The rule, precisely:
//
// A numeral is a **claim** (it must be pinned) when it is, in the prose
// without code spans, code blocks, HTML comments, tags and link targets,
//
//  1. approximate: within the same sentence, the word right before it is
//     an approximation marker (about, approximately, roughly, nearly,
//     almost, some, ≈, ~; около, примерно, приблизительно, почти,
//     порядка), or the marker stands right before a purely numeric math
//     span that starts with it ("about $10^{-5}$"). Number words count as
//     numerals here ("about half", "some thousand times");
//  2. a percentage: followed by %, \%, "percent" or "процент";
//  3. a measured decimal: a number with a decimal point or comma written
//     in running prose, outside math and markdown table rows, and not
//     right after "=" (which states a value as a choice: "η = 0.1").
//
// Everything else is a **definition**: equations and formulas (math spans,
// except as rule 1 says; "x \approx y" in math is a derivation), sizes of
// the architecture ("784-96-10") and of matrices ("28×28"), names of
// initialisations ("×0.01"), distributions ("U[−0.2, 0.2)", "N(0, 1)"),
// hyperparameters and counts stated as choices ("2 epochs", "N = 50",
// "500 images"), lesson, exercise and question numbers, years, citations (with their sections, "§2.2")
// and licence versions ("CC BY-SA 3.0"), and table rows (the tables of
// the lessons list choices and their arithmetic; a table of measurements
// is a cell's output, not markdown). Run-time estimates for the reader
// ("about 10 s", "a minute") are machine-dependent guidance, not lesson
// results, and are definitions too: a number followed by a unit of time
// (s, ms, min, minute(s), second(s), hour(s), мин, минут, секунд, час).
//
// A claim inside the text of one of the cell's pins is pinned.
type Claim struct {
	Numeral string // the numeral as written
	Context string // the prose around it
	Rule    int    // 1 approximate, 2 percentage, 3 decimal
}

var (
	// hiddenParts are removed before the numerals are read: code, HTML
	// comments and tags, link targets, images.
	hiddenParts = regexp.MustCompile("(?s)```.*?```|`[^`\n]*`|<!--.*?-->|</?[a-zA-Z][^>]*>|\\]\\([^)]*\\)|\\b[UN][\\[(][^\\])\n]*[\\])]|CC BY(?:-SA)? \\d\\.\\d|§\\s*\\d+(?:\\.\\d+)*")
	// mathSpan is a display or inline math span.
	mathSpan = regexp.MustCompile(`(?s)\$\$.+?\$\$|\$[^$\n]+\$`)
	// proseNumeral is a number written in digits (decimal point or comma,
	// thin-space thousands) or, for rule 1 only, a number word.
	proseNumeral = regexp.MustCompile(`\d+(?:[  ]\d{3})*(?:[.,]\d+)?|(?i)\b(?:half|twice|thrice|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|fifty|hundred|thousand|million|a hundred|a thousand|a million|половин\p{L}*|вдвое|втрое|вчетверо|впятеро|вдесятеро|сотн\p{L}*|тысяч\p{L}*|десят\p{L}*)\b`)
	// approxMarker ends the text before an approximate numeral.
	approxMarker = regexp.MustCompile(`(?i)(?:\babout|\bapproximately|\broughly|\bnearly|\balmost|\bsome|≈|~|\\approx|\\sim|\bоколо|\bпримерно|\bприблизительно|\bпочти|\bпорядка)(?:\s+(?:a|an|by|of|at|в|на))?\s*$`)
	// percentAfter, ratioAfter and timeAfter follow a numeral.
	percentAfter = regexp.MustCompile(`^\s*(?:%|\\%|percent|процент)`)
	// shapeAfter is the × of a matrix size ("28×28").
	shapeAfter = regexp.MustCompile(`^\s*×\s*\d`)
	timeAfter  = regexp.MustCompile(`^\s*(?:s|ms|min|minutes?|seconds?|hours?|мин|минут\p{L}*|секунд\p{L}*|час\p{L}*)(?:$|[^\p{L}])`)
	// arithmetic is math made of numbers only: digits, operators,
	// braces and the commands of elementary functions.
	arithmetic = regexp.MustCompile(`^(?:[\d\s.,{}()^_+\-−*/=·×!|]|\\(?:ln|log|exp|sqrt|frac|tfrac|dfrac|cdot|times|left|right|big|Big|,|;|!|quad))*$`)
	// assignedBefore ends the text before a value stated as a choice.
	assignedBefore = regexp.MustCompile(`=\s*$`)
)

// span is a byte range of the prose.
type span struct{ lo, hi int }

// Claims returns the numerals of a markdown cell's source that quote a
// result (see [Claim] for the rule), less those inside a pin's text.
func Claims(markdown string, pins []Pin) []Claim {
	prose := hiddenParts.ReplaceAllStringFunc(markdown, blank)
	var pinned []span
	for _, p := range pins {
		if p.Text == "" {
			continue
		}
		for i := 0; ; {
			j := strings.Index(markdown[i:], p.Text)
			if j < 0 {
				break
			}
			pinned = append(pinned, span{i + j, i + j + len(p.Text)})
			i += j + len(p.Text)
		}
	}
	var maths []span
	for _, m := range mathSpan.FindAllStringIndex(prose, -1) {
		maths = append(maths, span{m[0], m[1]})
	}
	tables := tableRows(prose)
	var claims []Claim
	for _, m := range proseNumeral.FindAllStringIndex(prose, -1) {
		lo, hi := m[0], m[1]
		num := prose[lo:hi]
		isWord := !unicode.IsDigit([]rune(num)[0])
		if within(pinned, lo, hi) {
			continue
		}
		after := prose[hi:]
		if timeAfter.MatchString(after) {
			continue
		}
		math, inMath := containing(maths, lo)
		inTable := within(tables, lo, hi)
		rule := 0
		switch {
		case approximate(prose, lo, math, inMath):
			rule = 1
		case isWord:
		case percentAfter.MatchString(after):
			rule = 2
		case inMath || inTable || assignedBefore.MatchString(prose[:lo]):
		case strings.HasSuffix(prose[:lo], "×") || shapeAfter.MatchString(after):
		case strings.ContainsAny(num, ".,"):
			rule = 3
		}
		if rule != 0 {
			claims = append(claims, Claim{Numeral: num, Context: excerpt(prose, lo), Rule: rule})
		}
	}
	return claims
}

// approximate reports whether the numeral at lo follows an approximation
// marker (rule 1 of [Claim]); math is the math span holding it, if inMath.
func approximate(prose string, lo int, math span, inMath bool) bool {
	sentence := func(before string) string {
		if i := strings.LastIndexAny(before, ".;:!?\n"); i >= 0 && i < len(before)-1 {
			// a decimal point is not a sentence end
			if !(i > 0 && unicode.IsDigit(rune(before[i-1])) && i+1 < len(before) && unicode.IsDigit(rune(before[i+1]))) {
				return before[i+1:]
			}
		}
		return before
	}
	if !inMath {
		return approxMarker.MatchString(sentence(prose[:lo]))
	}
	inner := strings.Trim(prose[math.lo:math.hi], "$")
	first := strings.TrimLeft(prose[math.lo:math.hi], "$")
	before := first[:max(0, lo-math.hi+len(first))]
	// Only the first numeral of a purely numeric span follows the prose.
	if strings.TrimSpace(strings.Trim(before, "{}^-−")) == "" && arithmetic.MatchString(inner) {
		return approxMarker.MatchString(sentence(prose[:math.lo]))
	}
	return false
}

// tableRows returns the markdown table rows of prose (lines starting with |).
func tableRows(prose string) []span {
	var rows []span
	off := 0
	for _, line := range strings.SplitAfter(prose, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "|") {
			rows = append(rows, span{off, off + len(line)})
		}
		off += len(line)
	}
	return rows
}

func within(spans []span, lo, hi int) bool {
	for _, s := range spans {
		if lo >= s.lo && hi <= s.hi {
			return true
		}
	}
	return false
}

func containing(spans []span, i int) (span, bool) {
	for _, s := range spans {
		if i >= s.lo && i < s.hi {
			return s, true
		}
	}
	return span{}, false
}

// blank replaces s by as many spaces, keeping byte offsets.
func blank(s string) string { return strings.Repeat(" ", len(s)) }

// excerpt returns up to 40 characters either side of byte offset i, on one
// line.
func excerpt(s string, i int) string {
	r := []rune(s[:i])
	rest := []rune(s[i:])
	out := string(r[max(0, len(r)-40):]) + string(rest[:min(len(rest), 40)])
	return strings.Join(strings.Fields(out), " ")
}
