package nbtool

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// A Pin ties a number that a markdown cell's prose quotes to the output that
// computes it. It lives in that markdown cell's metadata:
//
//	"backprop": {"pins": [{"text": "about 200×", "output": "(\\d+\\.?\\d*)× lower", "range": [100, 400]}]}
//
// Text is a verbatim part of the cell's source that holds the number (the
// numeral test, TestLessonNumerals, accepts the numerals inside it). Output
// is a regular expression (Go syntax) whose first group captures the number
// in the outputs of the executed notebook (any cell); the first match
// counts. Range is the interval, inclusive, that the captured value must
// lie in: the precision the prose states ("about 200×" pins 100–400, "45 %"
// pins 44.5–45.5). The number stated in Text must itself lie in Range, so
// the prose and the pin cannot drift apart silently.
//
// When, if set, is a regular expression that makes the pin conditional:
// it applies only to a run whose outputs match it, for a number that holds
// for one data set ("Data: full MNIST") and not for the other.
//
// A number the lesson quotes from elsewhere (the lab's README, a paper)
// is pinned by Source instead, naming where it comes from; such a pin has
// no Output or Range, and the execution checks nothing.
//
// Numbers are read as Go floats with a decimal comma accepted (Russian
// prose, also as LaTeX's {,}), a Unicode minus, a trailing %, and a power of ten written
// "3.7·10^{-4}", "3.7\cdot10^{-4}" or "3.7e-4"; a text without digits
// states the value of its first number word ("some thousand times").
type Pin struct {
	Text   string     `json:"text"`
	Output string     `json:"output"`
	Range  [2]float64 `json:"range"`
	When   string     `json:"when,omitempty"`
	Source string     `json:"source,omitempty"`
}

// numeral is one number as prose and outputs write it: digits with an
// optional decimal point or comma and an optional power of ten.
var numeral = regexp.MustCompile(`[−-]?\d+(?:[.,]\d+)?(?:[eE][−+-]?\d+|\s*(?:\\cdot|\\times|·|×)\s*10\^\{?[−-]?\d+\}?)?`)

// numberWords are the number words prose uses for a rough magnitude
// ("some thousand times", "about half", «около половины»).
var numberWords = map[string]float64{
	"half": 0.5, "ten": 10, "hundred": 100, "thousand": 1000, "million": 1e6,
	"половин": 0.5, "десят": 10, "сот": 100, "тысяч": 1000,
}

// parseNumber reads the first numeral of s (see [Pin]), or, if s has
// none, its first number word.
func parseNumber(s string) (float64, bool) {
	s = strings.ReplaceAll(s, "{,}", ",") // LaTeX's decimal comma, $0{,}5$
	m := numeral.FindString(s)
	if m == "" {
		for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
			for word, v := range numberWords {
				if strings.HasPrefix(w, word) {
					return v, true
				}
			}
		}
		return 0, false
	}
	m = strings.ReplaceAll(m, "−", "-")
	exp := 0
	if i := strings.Index(m, "10^"); i >= 0 {
		e, err := strconv.Atoi(strings.Trim(m[i+3:], "{}"))
		if err != nil {
			return 0, false
		}
		exp = e
		m = strings.TrimRight(strings.TrimSpace(m[:i]), `\cdotimes·× `)
	}
	m = strings.Replace(m, ",", ".", 1)
	v, err := strconv.ParseFloat(m, 64)
	if err != nil {
		return 0, false
	}
	return v * math.Pow(10, float64(exp)), true
}

// pinProblems returns what is wrong with the cell's pins before execution:
// a pin outside a markdown cell, a text not in the source, an output
// pattern that does not compile or captures nothing, an empty range, or a
// stated number outside its range.
func (c *Cell) pinProblems() []string {
	if c.Metadata.Backprop == nil {
		return nil
	}
	var probs []string
	for _, p := range c.Metadata.Backprop.Pins {
		add := func(format string, args ...any) {
			probs = append(probs, fmt.Sprintf("pin %q: ", p.Text)+fmt.Sprintf(format, args...))
		}
		if c.CellType != "markdown" {
			add("pins belong to the markdown cell whose prose quotes the number")
			continue
		}
		if p.Text == "" || !strings.Contains(string(c.Source), p.Text) {
			add("text not found in the cell")
		}
		if p.Source != "" {
			if p.Output != "" || p.Range != [2]float64{} {
				add("a quoted number (source) has no output pattern or range")
			}
			continue
		}
		if _, err := regexp.Compile(p.When); err != nil {
			add("when: %v", err)
		}
		if re, err := regexp.Compile(p.Output); err != nil {
			add("output pattern: %v", err)
		} else if re.NumSubexp() < 1 {
			add("output pattern %q captures no number: put it in a group", p.Output)
		}
		lo, hi := p.Range[0], p.Range[1]
		if !(lo <= hi) {
			add("empty range [%g, %g]", lo, hi)
		}
		if v, ok := parseNumber(p.Text); !ok {
			add("text states no number")
		} else if v < lo || v > hi {
			add("the text states %g, outside its own range [%g, %g]", v, lo, hi)
		}
	}
	return probs
}

// pinResults returns the pins of the cell that the executed notebook's
// outputs (all, every cell's text) do not bear out.
func (c *Cell) pinResults(all string) []string {
	if c.Metadata.Backprop == nil {
		return nil
	}
	var probs []string
	for _, p := range c.Metadata.Backprop.Pins {
		re, err := regexp.Compile(p.Output)
		if p.Source != "" || err != nil || re.NumSubexp() < 1 {
			continue // quoted, or CheckStructure reports it
		}
		if p.When != "" && !matches(p.When, all) {
			continue // a number of the other data set
		}
		m := re.FindStringSubmatch(all)
		if m == nil {
			probs = append(probs, fmt.Sprintf("pin %q: no output matches %q", p.Text, p.Output))
			continue
		}
		v, ok := parseNumber(m[1])
		switch {
		case !ok:
			probs = append(probs, fmt.Sprintf("pin %q: the output %q holds no number", p.Text, m[0]))
		case v < p.Range[0] || v > p.Range[1]:
			probs = append(probs, fmt.Sprintf("pin %q: the output says %g (%q), outside [%g, %g]: the prose is out of date", p.Text, v, m[0], p.Range[0], p.Range[1]))
		}
	}
	return probs
}
