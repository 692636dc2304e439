package nbtool

import (
	"strings"
	"testing"
)

func TestClaims(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string // the claims' numerals
	}{
		{"The error is some thousand times lower.", []string{"thousand"}},
		{"$a^{(4)}$ is about $10^{-5}$ of $a^{(1)}$.", []string{"10"}},
		{"about 45.5 % of the units", []string{"45.5"}},
		{"It reaches loss 1.64, 44 % test.", []string{"1.64", "44"}},
		{"measured ≈200× lower", []string{"200"}},
		{"between about 2 and 2.5", []string{"2", "2.5"}},
		{"от 2 до 3 с небольшим, около 3,5", []string{"3,5"}},
		{"about half the ReLU units are off", []string{"half"}},
		// definitions
		{"the 784-96-10 network, trained for 50 epochs with $\\eta = 0.1$ and N = 200", nil},
		{"Next, in **notebook 9**: the cost (Nielsen 2015, chapter 2).", nil},
		{"$$\\ln 10 \\approx 2.30$$ and $0.8^{10} \\approx 0.11$", nil},
		{"an error of about $\\varepsilon^{2/3} \\approx 10^{-11}$", nil},
		{"a 28×28 image, X is 100×784, the ×0.01 network, U[−0.2, 0.2), CC BY-SA 3.0", nil},
		{"symmetric around 0", nil},
		{"with the learning rate = 0.5", nil},
		{"`about 0.25` in code, <!-- about 0.3 -->", nil},
		{"| He | 0.144 | 1 |\n", nil},
		{"it takes about 10 s on two cores (about a minute on the full MNIST)", nil},
		{"by $\\sigma\\sqrt{n_\\text{in}/2}$, 4 times too optimistic", nil},
	} {
		var got []string
		for _, c := range Claims(tc.text, nil) {
			got = append(got, c.Numeral)
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("Claims(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
	pins := []Pin{{Text: "some thousand times"}}
	if c := Claims("The error is some thousand times lower.", pins); len(c) != 0 {
		t.Errorf("a pinned claim: %v", c)
	}
}

// TestLessonNumerals checks that every number a lesson's prose (English
// and the Russian summary) quotes from a computation is pinned to the
// output that computes it (see [Claim] for the rule, [Pin] for pins).
func TestLessonNumerals(t *testing.T) {
	for _, path := range notebookFiles(t) {
		nb := parseFile(t, path)
		for i := range nb.Cells {
			c := &nb.Cells[i]
			if c.CellType != "markdown" {
				continue
			}
			var pins []Pin
			if c.Metadata.Backprop != nil {
				pins = c.Metadata.Backprop.Pins
			}
			for _, cl := range Claims(string(c.Source), pins) {
				t.Errorf("%s: %s: %q (rule %d) in %q: render it from the cell or pin it (metadata backprop.pins)", path, c.label(i), cl.Numeral, cl.Rule, cl.Context)
			}
		}
	}
}
