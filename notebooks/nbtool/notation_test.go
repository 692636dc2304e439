package nbtool

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// The series' notation (see nn/doc.go): batch size N, loss E, math in
// LaTeX. These patterns find the drift the lessons once had.
var (
	// batchB is B used as the batch size: "B×784", "B \times n", "batch of B".
	batchB = regexp.MustCompile(`\bB\s*×|\bB\s*\\times|batch of B\b|\bB examples`)
	// lossL is a gradient of a loss called L.
	lossL = regexp.MustCompile(`∂L\b|∂L/|\\partial L\b`)
	// unicodeMath are characters of Unicode-typeset math (superscript
	// layer indices, ∂, Σ, ⊙, ᵀ, Greek letters) that markdown should write
	// in LaTeX; code spans and code blocks may use them.
	unicodeMath = regexp.MustCompile(`[⁽⁾∂Σ⊙ᵀδΔηθφ]`)
	// codeParts are fenced blocks, inline code spans and HTML comments.
	codeParts = regexp.MustCompile("(?s)```.*?```|`[^`\n]*`|<!--.*?-->")
	// title is a numbered title cell: "# 5 · Gradient checking".
	title = regexp.MustCompile(`^# (\d+) · \S`)
)

// proseOf returns a markdown cell's text without its code.
func proseOf(markdown string) string { return codeParts.ReplaceAllString(markdown, "") }

func TestNotationPatterns(t *testing.T) {
	for _, tc := range []struct {
		re    *regexp.Regexp
		text  string
		match bool
	}{
		{batchB, "X is B×784", true},
		{batchB, `$B \times n_\text{out}$`, true},
		{batchB, "a batch of B examples", true},
		{batchB, "X is N×784, bias b", false},
		{batchB, "W⁽¹⁾ and B (the bias field)", false},
		{lossL, "∂L/∂W", true},
		{lossL, `$\partial L / \partial W$`, true},
		{lossL, "the likelihood L = Π p", false},
		{lossL, `$\partial E / \partial W$`, false},
	} {
		if got := tc.re.MatchString(tc.text); got != tc.match {
			t.Errorf("%s on %q: %v, want %v", tc.re, tc.text, got, tc.match)
		}
	}
	if p := proseOf("text `δ = a − y` and\n```\nΔ⁽²⁾\n```\n$\\delta$"); unicodeMath.MatchString(p) {
		t.Errorf("code was not removed: %q", p)
	}
	if !unicodeMath.MatchString(proseOf("so δ⁽¹⁾ is wrong")) {
		t.Error("Unicode math in prose not found")
	}
}

// TestNotebookNotation checks every notebook for the notation drift the
// lessons once had: a numbered title that matches the file's number, the
// batch size called B, a loss called L, and Unicode math in markdown prose.
func TestNotebookNotation(t *testing.T) {
	for _, path := range notebookFiles(t) {
		t.Run(strings.TrimSuffix(path, ".ipynb"), func(t *testing.T) {
			nb := parseFile(t, path)
			want, err := strconv.Atoi(strings.SplitN(filepath.Base(path), "-", 2)[0])
			if err != nil {
				t.Fatalf("%s: file name does not start with the notebook's number", path)
			}
			titled := false
			for i := range nb.Cells {
				c := &nb.Cells[i]
				src := string(c.Source)
				if c.CellType == "markdown" && strings.HasPrefix(src, "# ") && !titled {
					titled = true
					m := title.FindStringSubmatch(src)
					if m == nil || m[1] != strconv.Itoa(want) {
						t.Errorf("%s: title %q, want \"# %d · …\"", c.label(i), firstLine(src), want)
					}
				}
				if m := batchB.FindString(src); m != "" {
					t.Errorf("%s: batch size written as B (%q): the series calls it N", c.label(i), m)
				}
				if m := lossL.FindString(src); m != "" {
					t.Errorf("%s: a loss called L (%q): the series calls it E", c.label(i), m)
				}
				if c.CellType == "markdown" {
					prose := proseOf(src)
					if loc := unicodeMath.FindStringIndex(prose); loc != nil {
						t.Errorf("%s: Unicode math in markdown, %q: write it in LaTeX ($…$) or as code", c.label(i), around(prose, loc[0]))
					}
				}
			}
			if !titled {
				t.Errorf("%s: no title cell", path)
			}
		})
	}
}

// TestRussianSummaries checks that every notebook ends with a short Russian
// summary, the lab's students' language.
func TestRussianSummaries(t *testing.T) {
	for _, path := range notebookFiles(t) {
		nb := parseFile(t, path)
		last := nb.Cells[len(nb.Cells)-1]
		src := string(last.Source)
		if last.CellType != "markdown" || !strings.HasPrefix(src, "## Кратко по-русски") {
			t.Errorf("%s: the last cell is not a markdown cell \"## Кратко по-русски\"", path)
			continue
		}
		if n := cyrillic(src); n < 200 {
			t.Errorf("%s: the Russian summary has %d Cyrillic letters: too short to summarise anything", path, n)
		}
	}
}

// TestLabCredited checks that the README and the first notebook credit the
// lab the series rebuilds.
func TestLabCredited(t *testing.T) {
	const lab = "kormang/simple-numpy-neural-network"
	root := moduleRoot(t)
	paths := []string{filepath.Join(root, "README.md"), filepath.Join(root, "notebooks", "README.ru.md")}
	for _, path := range notebookFiles(t) {
		if filepath.Base(path) == "01-forward-pass.ipynb" {
			paths = append(paths, path)
		}
	}
	if len(paths) != 3 {
		t.Fatalf("no notebook 01-forward-pass.ipynb among %v", notebookFiles(t))
	}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Error(err)
			continue
		}
		if !strings.Contains(string(data), lab) {
			t.Errorf("%s does not credit the lab, %s", path, lab)
		}
	}
}

// moduleRoot returns the repository root: the nearest folder above the
// test's working directory that holds go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test's working directory")
		}
		dir = up
	}
}

func parseFile(t *testing.T, path string) *Notebook {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := Parse(raw)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return nb
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// around returns up to 30 characters either side of byte offset i.
func around(s string, i int) string {
	r := []rune(s[:i])
	lo := max(0, len(r)-30)
	rest := []rune(s[i:])
	return string(r[lo:]) + string(rest[:min(len(rest), 30)])
}

func cyrillic(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Cyrillic, r) {
			n++
		}
	}
	return n
}
