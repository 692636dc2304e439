package nbtool

import (
	"fmt"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"
)

// titleCell is what the third cell must contain: a "# " title and the
// learning goals.
var (
	titleLine  = regexp.MustCompile(`(?m)^# \S`)
	goalsTitle = regexp.MustCompile(`(?i)what you('ll| will) be able to do`)
)

// CheckStructure returns the problems of a committed notebook that need no
// kernel to find: raw is the file as committed. Imports are checked
// separately (see Cell.GoImports), against go.mod.
func CheckStructure(raw []byte) []string {
	nb, err := Parse(raw)
	if err != nil {
		return []string{"not an nbformat 4 notebook: " + err.Error()}
	}
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }

	if stripped, err := Strip(raw); err != nil {
		add("cannot be stripped: %v", err)
	} else if string(stripped) != string(raw) {
		add("not committed stripped (outputs, execution counts, run-time metadata or layout differ): run go run ./notebooks/nbtool/cmd/nbstrip")
	}
	if k := nb.Metadata.Kernelspec.Name; k != "gonb" {
		add("kernelspec name %q, want \"gonb\"", k)
	}
	if len(nb.Cells) < 3 {
		add("has %d cells, want at least the setup note, the setup cell and a title cell", len(nb.Cells))
		return probs
	}
	if c := nb.Cells[0]; c.CellType != "markdown" || string(c.Source) != SetupNote {
		add("cell 1 must be the setup note, exactly:\n%s\n(go run ./notebooks/nbtool/cmd/nbstrip writes it)", SetupNote)
	}
	if c := nb.Cells[1]; c.CellType != "code" || string(c.Source) != SetupCell {
		add("cell 2 must be the setup cell, exactly:\n%s\n(go run ./notebooks/nbtool/cmd/nbstrip writes it)", SetupCell)
	}
	if c := nb.Cells[2]; c.CellType != "markdown" || !titleLine.MatchString(string(c.Source)) || !goalsTitle.MatchString(string(c.Source)) {
		add("cell 3 must be markdown with a \"# \" title and a \"What you will be able to do\" part")
	}
	if len(nb.Metadata.Backprop.patterns()) == 0 {
		add(`declares no key results: add regular expressions under metadata "backprop": {"expect": [...]}`)
	}
	for _, p := range nb.Metadata.Backprop.patterns() {
		if _, err := regexp.Compile(p); err != nil {
			add("notebook expectation %q: %v", p, err)
		}
	}
	for i := range nb.Cells {
		c := &nb.Cells[i]
		for _, p := range c.Metadata.Backprop.patterns() {
			if _, err := regexp.Compile(p); err != nil {
				add("%s: expectation %q: %v", c.label(i), p, err)
			}
		}
		for _, p := range c.pinProblems() {
			add("%s: %s", c.label(i), p)
		}
		if c.CellType != "code" {
			continue
		}
		src := string(c.Source)
		if strings.Contains(src, "gonbui.Display") && !strings.Contains(src, "gonbui.Sync()") {
			add("%s displays with gonbui but does not call gonbui.Sync() (GoNB can drop display data)", c.label(i))
		}
		if _, err := c.GoImports(); err != nil {
			add("%s: %v", c.label(i), err)
		}
	}
	return probs
}

// label names cell i for messages: its 1-based number and first line (of
// the main body in a "%%" cell).
func (c *Cell) label(i int) string {
	first := ""
	for _, l := range strings.Split(string(c.Source), "\n") {
		if l = strings.TrimSpace(l); l != "" && l != "%%" {
			first = l
			break
		}
	}
	if len(first) > 50 {
		first = first[:47] + "..."
	}
	return fmt.Sprintf("cell %d (%s)", i+1, first)
}

// GoImports returns the import paths declared in a code cell. GoNB cells mix
// Go declarations with "!" shell lines and "%" magics; the Go body of main
// follows a "%%" line. Imports can only come before it.
func (c *Cell) GoImports() ([]string, error) {
	var decls []string
	for _, line := range strings.Split(string(c.Source), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "%%") {
			break
		}
		if strings.HasPrefix(t, "!") || strings.HasPrefix(t, "%") {
			continue
		}
		decls = append(decls, line)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "cell.go", "package cell\n"+strings.Join(decls, "\n"), parser.ImportsOnly)
	if err != nil {
		return nil, fmt.Errorf("cannot read its Go imports: %v", err)
	}
	var paths []string
	for _, im := range f.Imports {
		p, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// CheckExecuted returns the problems of a notebook executed by jupyter
// nbconvert --allow-errors: errors outside cells tagged raises-exception,
// such cells that did not fail, "panic:" or "exit status" printed by any
// other cell, code cells that did not run, and expectations not met.
func CheckExecuted(nb *Notebook) []string {
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	var all strings.Builder
	for i := range nb.Cells {
		c := &nb.Cells[i]
		if c.CellType != "code" {
			continue
		}
		if c.ExecutionCount == nil && strings.TrimSpace(string(c.Source)) != "" {
			add("%s was not executed", c.label(i))
		}
		mustFail := c.HasTag(RaisesException)
		raised, printed := false, false
		var text strings.Builder
		for _, o := range c.Outputs {
			s := o.String()
			text.WriteString(s)
			switch o.OutputType {
			case "error":
				raised = true
			case "stream":
				printed = printed || strings.Contains(s, "panic:") || strings.Contains(s, "exit status")
			}
		}
		switch {
		case mustFail && !raised:
			add("%s is tagged %s but raised no error", c.label(i), RaisesException)
		case !mustFail && (raised || printed):
			add("%s failed:\n%s", c.label(i), indent(text.String()))
		}
		for _, p := range c.Metadata.Backprop.patterns() {
			if !matches(p, text.String()) {
				add("%s: no output matches %q; its outputs were:\n%s", c.label(i), p, indent(text.String()))
			}
		}
		all.WriteString(text.String())
	}
	if len(nb.Metadata.Backprop.patterns()) == 0 {
		add(`declares no key results (metadata "backprop": {"expect": [...]})`)
	}
	for i := range nb.Cells {
		for _, p := range nb.Cells[i].pinResults(all.String()) {
			add("%s: %s", nb.Cells[i].label(i), p)
		}
	}
	for _, p := range nb.Metadata.Backprop.patterns() {
		if !matches(p, all.String()) {
			add("key result missing: no output matches %q", p)
		}
	}
	return probs
}

// matches reports whether pattern matches text; an invalid pattern matches
// nothing (CheckStructure reports it).
func matches(pattern, text string) bool {
	re, err := regexp.Compile(pattern)
	return err == nil && re.MatchString(text)
}

// indent prefixes every line of s for nested display in a test failure.
func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if len(s) > 4000 {
		s = s[:4000] + "\n…(cut)"
	}
	return "\t| " + strings.ReplaceAll(s, "\n", "\n\t| ")
}
