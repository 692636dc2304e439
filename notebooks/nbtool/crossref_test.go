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

var (
	// lessonRef is a reference by number: "notebook 5", "lesson 05",
	// "notebooks 06–08", "notebooks 1 and 3", "урок 5", «тетрадь 5»,
	// "блокноте 5". The numbers follow in group 1.
	lessonRef = regexp.MustCompile(`(?i)\b(?:notebooks?|lessons?|урок\p{L}*|тетрад\p{L}*|блокнот\p{L}*)\**\s+\**(\d+(?:\s*(?:[–-]|,|and|и)\s*\d+)*)`)
	// refNumber is one number of a reference.
	refNumber = regexp.MustCompile(`\d+`)
	// refRange is a range of lessons, "06–08".
	refRange = regexp.MustCompile(`(\d+)\s*[–-]\s*(\d+)`)
	// lessonFile is a lesson named by its file, as a file, a quoted string
	// or code: "10-exercises.ipynb", "`05-gradient-checking`", "05-lab"
	// (a model saved by the lesson), "05-lab.bpnn".
	lessonFile = regexp.MustCompile("\\b(\\d\\d)-([a-z][a-z-]*[a-z])(?:\\.ipynb|\\.bpnn|[\"`])")
	// nextRef is the closing pointer to the next lesson: "Next, in
	// **notebook 9**: …", "Next: 10 — Exercises".
	nextRef = regexp.MustCompile(`(?i)\bnext\b[,:]?\s*(?:in\s+)?\**(?:notebook|lesson)?\s*(\d+)\**\s*(?::|—|–|-)?\s*([^\n]*)`)
)

// lessonInfo is what a reference may name: a lesson's number, file stem
// ("05-gradient-checking") and the words of its title and goals.
type lessonInfo struct {
	stem  string
	words map[string]bool
}

// lessons reads the numbered lessons of the repository.
func lessons(t *testing.T) map[int]lessonInfo {
	t.Helper()
	out := map[int]lessonInfo{}
	for _, path := range notebookFiles(t) {
		if filepath.Dir(path) != filepath.Join(repoRoot, LessonsDir) {
			continue
		}
		stem := strings.TrimSuffix(filepath.Base(path), ".ipynb")
		n, err := strconv.Atoi(strings.SplitN(stem, "-", 2)[0])
		if err != nil {
			t.Fatalf("%s: no number", path)
		}
		nb := parseFile(t, path)
		words := map[string]bool{}
		for _, w := range stems(strings.ReplaceAll(stem, "-", " ") + " " + string(nb.Cells[2].Source)) {
			words[w] = true
		}
		out[n] = lessonInfo{stem: stem, words: words}
	}
	return out
}

// stems returns the five-letter stems of the words of s longer than four
// letters: enough to tell "costs" from "softmax", and "cost" in "costs".
func stems(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if r := []rune(w); len(r) > 4 {
			out = append(out, string(r[:5]))
		}
	}
	return out
}

// crossRefTexts returns the texts to check: every markdown and code cell of
// every notebook, and the READMEs, by a name for messages.
func crossRefTexts(t *testing.T) map[string][]string {
	t.Helper()
	texts := map[string][]string{}
	for _, path := range notebookFiles(t) {
		nb := parseFile(t, path)
		for i := range nb.Cells {
			c := &nb.Cells[i]
			texts[path+": "+c.label(i)] = []string{string(c.Source)}
		}
	}
	for _, name := range []string{"README.md", filepath.Join(LessonsDir, "README.md"), filepath.Join(LessonsDir, "README.ru.md")} {
		data, err := os.ReadFile(filepath.Join(repoRoot, name))
		if err != nil {
			t.Fatal(err)
		}
		texts[name] = strings.Split(string(data), "\n\n")
	}
	return texts
}

// TestCrossReferences checks every reference to a lesson in the notebooks
// and the READMEs: "notebook N", "lesson N", "урок N", «тетрадь N»,
// "блокнот N" (and ranges, "notebooks 06–08") name existing lessons; a
// lesson named by its file ("05-gradient-checking.ipynb", a model saved as
// "05-lab") has that number's file stem; and each lesson's closing "Next"
// points to the lesson after it, with words of that lesson's title or
// goals.
func TestCrossReferences(t *testing.T) {
	all := lessons(t)
	for where, paragraphs := range crossRefTexts(t) {
		for _, p := range paragraphs {
			for _, m := range lessonRef.FindAllStringSubmatch(p, -1) {
				nums := []int{}
				for _, s := range refNumber.FindAllString(m[1], -1) {
					n, _ := strconv.Atoi(s)
					nums = append(nums, n)
				}
				if r := refRange.FindStringSubmatch(m[1]); r != nil {
					lo, _ := strconv.Atoi(r[1])
					hi, _ := strconv.Atoi(r[2])
					for n := lo; n <= hi; n++ {
						nums = append(nums, n)
					}
				}
				for _, n := range nums {
					if _, ok := all[n]; !ok {
						t.Errorf("%s: %q names lesson %d, which does not exist", where, m[0], n)
					}
				}
			}
			for _, m := range lessonFile.FindAllStringSubmatch(p, -1) {
				n, _ := strconv.Atoi(m[1])
				l, ok := all[n]
				if !ok {
					t.Errorf("%s: %q names lesson %d, which does not exist", where, m[0], n)
				} else if name := m[1] + "-" + m[2]; !strings.HasPrefix(l.stem, name) && !strings.HasPrefix(name, l.stem) {
					t.Errorf("%s: %q does not name lesson %d, %s", where, m[0], n, l.stem)
				}
			}
		}
	}
	for _, path := range notebookFiles(t) {
		if filepath.Dir(path) != filepath.Join(repoRoot, LessonsDir) {
			continue
		}
		nb := parseFile(t, path)
		cur, _ := strconv.Atoi(strings.SplitN(filepath.Base(path), "-", 2)[0])
		for i := range nb.Cells {
			c := &nb.Cells[i]
			if c.CellType != "markdown" {
				continue
			}
			for _, m := range nextRef.FindAllStringSubmatch(string(c.Source), -1) {
				n, _ := strconv.Atoi(m[1])
				if n != cur+1 {
					t.Errorf("%s: %s: %q points to lesson %d; the next lesson is %d", path, c.label(i), m[0], n, cur+1)
					continue
				}
				if l, ok := all[n]; ok && !sharesStem(l.words, m[2]) {
					t.Errorf("%s: %s: %q shares no word with lesson %d's title and goals", path, c.label(i), m[0], n)
				}
			}
		}
	}
}

func sharesStem(words map[string]bool, text string) bool {
	for _, w := range stems(text) {
		if words[w] {
			return true
		}
	}
	return false
}

// exerciseHeading is an exercise's heading in an exercises notebook.
var exerciseHeading = regexp.MustCompile(`(?m)^## Exercise \d+:`)

// countWords are the English and Russian words for the number of
// exercises, from 1.
var countWords = [][2]string{{"one", "одно"}, {"two", "два"}, {"three", "три"}, {"four", "четыре"}, {"five", "пять"},
	{"six", "шесть"}, {"seven", "семь"}, {"eight", "восемь"}, {"nine", "девять"}, {"ten", "десять"}, {"eleven", "одиннадцать"}, {"twelve", "двенадцать"}}

// TestREADMEsCountExercises checks that the READMEs' row for each exercises
// notebook states how many exercises it has (the renumbering once left
// "four" for eight).
func TestREADMEsCountExercises(t *testing.T) {
	for n, l := range lessons(t) {
		if !strings.HasSuffix(l.stem, "exercises") {
			continue
		}
		nb := parseFile(t, filepath.Join(repoRoot, LessonsDir, l.stem+".ipynb"))
		count := 0
		for _, c := range nb.Cells {
			if c.CellType == "markdown" {
				count += len(exerciseHeading.FindAllString(string(c.Source), -1))
			}
		}
		if count == 0 || count > len(countWords) {
			t.Fatalf("lesson %d: %d exercise headings", n, count)
		}
		for i, name := range []string{filepath.Join(LessonsDir, "README.md"), filepath.Join(LessonsDir, "README.ru.md")} {
			data, err := os.ReadFile(filepath.Join(repoRoot, name))
			if err != nil {
				t.Fatal(err)
			}
			row := ""
			for _, line := range strings.Split(string(data), "\n") {
				if strings.HasPrefix(line, "| `"+l.stem+"`") {
					row = line
				}
			}
			if want := countWords[count-1][i]; !strings.Contains(strings.ToLower(row), want) {
				t.Errorf("%s: the row of %s, %q, does not say %q: the notebook has %d exercises", name, l.stem, row, want, count)
			}
		}
	}
}
