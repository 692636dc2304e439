package nbtool

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/backprop-lab/backprop/internal/atomicfile"
	"github.com/backprop-lab/backprop/lesson/assets"
	"github.com/backprop-lab/backprop/lesson/chart"
)

// Book is the lessons as a static web site, for readers without Go or
// Jupyter: one page per executed lesson, in lesson order, with the outputs
// (numbers, tables, charts and interactive figures) as the kernel left
// them; an index page; the Russian guide (notebooks/README.ru.md); and
// echarts.min.js with its Apache-2.0 LICENSE and NOTICE beside the pages,
// which load it with a relative <script src>, so the site works offline,
// from file:// or from any static host (a Pages branch).
//
// Pages are rendered by jupyter nbconvert's "basic" template (the cells
// only; the page around them is the Book's), in one nbconvert run.
type Book struct {
	Root     string   // the repository root (LessonsDir and the guide)
	Executed string   // folder of the executed lessons, named as in LessonsDir
	Out      string   // the site's folder (created; existing pages are replaced)
	Jupyter  string   // the jupyter program (the project's venv: Venv); "" is jupyter on PATH
	Env      []string // environment of jupyter nbconvert (nil: this process's)
	// MathJax is a MathJax 2.7 folder (Debian's libjs-mathjax installs one
	// in DefaultMathJax) to ship the TeX-to-HTML part of beside the pages,
	// so that formulas are typeset offline; "" leaves them as TeX source.
	MathJax string
}

// DefaultMathJax is where Debian's libjs-mathjax installs MathJax 2.7, and
// mathJaxFiles the parts of it the book needs (TeX input, CommonHTML
// output, their extensions and web fonts: about 1.4 MB).
const DefaultMathJax = "/usr/share/javascript/mathjax"

var mathJaxFiles = []string{"MathJax.js", "config/TeX-AMS_CHTML.js", "jax/input/TeX", "jax/output/CommonHTML", "jax/element",
	"extensions", "fonts/HTML-CSS/TeX/woff"}

// BookLibrary is the name of the ECharts library in the site; its licence
// files are BookLicense and BookNotice.
const (
	BookLibrary = "echarts.min.js"
	BookLicense = "echarts-LICENSE.txt"
	BookNotice  = "echarts-NOTICE.txt"
	bookGuide   = "guide-ru.html"
)

// Lessons returns the lessons of root in order: LessonsDir/NN-*.ipynb,
// as paths relative to root.
func Lessons(root string) ([]string, error) {
	m, err := filepath.Glob(filepath.Join(root, LessonsDir, "[0-9][0-9]-*.ipynb"))
	if err != nil {
		return nil, err
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("book: no lessons (NN-*.ipynb) in %s", filepath.Join(root, LessonsDir))
	}
	sort.Strings(m)
	for i, f := range m {
		if m[i], err = filepath.Rel(root, f); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// bookPage is one page of the site.
type bookPage struct {
	name, title string // name: the file name without .html
	body        string
}

// Build writes the site and returns the paths of its pages, the index
// first. A lesson missing from Executed, an executed lesson without
// outputs, or a missing ECharts library is an error.
func (b Book) Build() ([]string, error) {
	lessons, err := Lessons(b.Root)
	if err != nil {
		return nil, err
	}
	lib, err := assets.Locate()
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "backprop-book-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	var pages []bookPage
	var inputs []string
	for _, rel := range lessons {
		name := strings.TrimSuffix(filepath.Base(rel), ".ipynb")
		raw, err := os.ReadFile(filepath.Join(b.Executed, filepath.Base(rel)))
		if err != nil {
			return nil, fmt.Errorf("book: lesson %s has not been executed: %w", name, err)
		}
		linked, title, err := linkLibraryInOutputs(raw)
		if err != nil {
			return nil, fmt.Errorf("book: %s: %w", name, err)
		}
		path := filepath.Join(tmp, name+".ipynb")
		if err := os.WriteFile(path, linked, 0o644); err != nil {
			return nil, err
		}
		inputs = append(inputs, path)
		pages = append(pages, bookPage{name: name, title: title})
	}
	guide, err := os.ReadFile(filepath.Join(b.Root, LessonsDir, "README.ru.md"))
	if err != nil {
		return nil, fmt.Errorf("book: the Russian guide: %w", err)
	}
	guideNB, err := json.Marshal(map[string]any{"nbformat": 4, "nbformat_minor": 5, "metadata": map[string]any{},
		"cells": []any{map[string]any{"cell_type": "markdown", "id": "guide", "metadata": map[string]any{}, "source": string(guide)}}})
	if err != nil {
		return nil, err
	}
	guidePath := filepath.Join(tmp, strings.TrimSuffix(bookGuide, ".html")+".ipynb")
	if err := os.WriteFile(guidePath, guideNB, 0o644); err != nil {
		return nil, err
	}
	inputs = append(inputs, guidePath)

	htmlDir := filepath.Join(tmp, "html")
	jupyter := b.Jupyter
	if jupyter == "" {
		jupyter = "jupyter"
	}
	cmd := exec.Command(jupyter, append([]string{"nbconvert", "--to", "html", "--template", "basic", "--output-dir", htmlDir}, inputs...)...)
	cmd.Env = b.Env
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("book: jupyter nbconvert --to html: %v\n%s", err, out)
	}
	read := func(name string) (string, error) {
		body, err := os.ReadFile(filepath.Join(htmlDir, name+".html"))
		return rewriteLinks(string(body)), err
	}
	for i := range pages {
		if pages[i].body, err = read(pages[i].name); err != nil {
			return nil, err
		}
	}
	guideBody, err := read(strings.TrimSuffix(bookGuide, ".html"))
	if err != nil {
		return nil, err
	}

	if err := os.MkdirAll(b.Out, 0o755); err != nil {
		return nil, err
	}
	dir := filepath.Dir(lib)
	for src, dst := range map[string]string{lib: BookLibrary, filepath.Join(dir, assets.License): BookLicense, filepath.Join(dir, assets.Notice): BookNotice} {
		if err := copyFile(src, filepath.Join(b.Out, dst)); err != nil {
			return nil, fmt.Errorf("book: %w", err)
		}
	}
	head := ""
	if b.MathJax != "" {
		for _, f := range mathJaxFiles {
			if err := copyTree(filepath.Join(b.MathJax, f), filepath.Join(b.Out, "mathjax", f)); err != nil {
				return nil, fmt.Errorf("book: MathJax: %w", err)
			}
		}
		head = mathJaxHead
	}
	var written []string
	write := func(name, title, body string) error {
		path := filepath.Join(b.Out, name+".html")
		written = append(written, path)
		return atomicfile.WriteFile(path, []byte(body), 0o644)
	}
	if err := write("index", "The lessons", bookIndex(head, pages)); err != nil {
		return nil, err
	}
	for i, p := range pages {
		nav := bookNav(pages, i)
		if err := write(p.name, p.title, bookHTML(head, p.title, nav+`<main class="lesson">`+p.body+"</main>"+nav)); err != nil {
			return nil, err
		}
	}
	nav := `<nav class="book-nav"><a href="index.html">↑ Contents</a></nav>`
	if err := write(strings.TrimSuffix(bookGuide, ".html"), "Руководство", bookHTML(head, "Руководство по-русски", nav+`<main lang="ru">`+guideBody+"</main>"+nav)); err != nil {
		return nil, err
	}
	return written, nil
}

// linkLibraryInOutputs replaces the inlined ECharts library in every HTML
// output of an executed notebook by a script element loading BookLibrary
// (chart.LinkLibrary), drops the setup note and setup cell (they are about
// the Jupyter kernel), and returns the notebook and its title (the first
// "# " line). A notebook without any output has not been executed: an
// error.
func linkLibraryInOutputs(raw []byte) ([]byte, string, error) {
	var nb map[string]any
	if err := json.Unmarshal(raw, &nb); err != nil {
		return nil, "", err
	}
	cells, _ := nb["cells"].([]any)
	title, outputs := "", 0
	var kept []any
	for _, c := range cells {
		cell, _ := c.(map[string]any)
		if src := joinSource(cell["source"]); src == SetupNote || src == SetupCell {
			continue // how to run the notebook in Jupyter: not for the reader of the book
		}
		kept = append(kept, c)
		if cell["cell_type"] == "markdown" && title == "" {
			for _, line := range strings.Split(joinSource(cell["source"]), "\n") {
				if strings.HasPrefix(line, "# ") {
					title = strings.TrimSpace(strings.TrimPrefix(line, "# "))
					break
				}
			}
		}
		outs, _ := cell["outputs"].([]any)
		outputs += len(outs)
		for _, o := range outs {
			data, _ := o.(map[string]any)["data"].(map[string]any)
			if h, ok := data["text/html"]; ok {
				if linked, ok := chart.LinkLibrary(joinSource(h), BookLibrary); ok {
					data["text/html"] = linked
				}
			}
		}
	}
	nb["cells"] = kept
	if outputs == 0 {
		return nil, "", fmt.Errorf("no outputs: run the notebook first (it was committed stripped)")
	}
	if title == "" {
		return nil, "", fmt.Errorf(`no "# " title`)
	}
	out, err := json.Marshal(nb)
	return out, title, err
}

// joinSource returns a notebook string field, stored as a string or a list
// of lines.
func joinSource(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case []any:
		var b strings.Builder
		for _, l := range s {
			str, _ := l.(string)
			b.WriteString(str)
		}
		return b.String()
	}
	return ""
}

// lessonLink finds links to lessons and to the guide in rendered markdown.
var lessonLink = regexp.MustCompile(`href="(?:\./)?(?:notebooks/)?([0-9][0-9]-[A-Za-z0-9_-]+)\.ipynb(#[^"]*)?"|href="(?:\./)?(?:notebooks/)?README\.ru\.md(#[^"]*)?"`)

// rewriteLinks points links to other lessons (NN-name.ipynb) and to the
// guide at their pages in the site.
func rewriteLinks(body string) string {
	return lessonLink.ReplaceAllStringFunc(body, func(m string) string {
		s := lessonLink.FindStringSubmatch(m)
		if s[1] != "" {
			return `href="` + s[1] + ".html" + s[2] + `"`
		}
		return `href="` + bookGuide + s[3] + `"`
	})
}

// bookNav links the index and the previous and next lessons of page i.
func bookNav(pages []bookPage, i int) string {
	var b strings.Builder
	b.WriteString(`<nav class="book-nav">`)
	if i > 0 {
		fmt.Fprintf(&b, `<a rel="prev" href="%s.html">← %s</a>`, pages[i-1].name, html.EscapeString(pages[i-1].title))
	}
	b.WriteString(` <a href="index.html">↑ Contents</a> `)
	if i+1 < len(pages) {
		fmt.Fprintf(&b, `<a rel="next" href="%s.html">%s →</a>`, pages[i+1].name, html.EscapeString(pages[i+1].title))
	}
	b.WriteString("</nav>")
	return b.String()
}

// bookIndex is the table of contents.
func bookIndex(head string, pages []bookPage) string {
	var b strings.Builder
	b.WriteString(`<main><h1>Backpropagation, derived and checked: the lessons</h1>
<p>Backpropagation for a fully connected network on MNIST, derived step by step and checked in Go. Each page is a lesson notebook as the Go kernel ran it, with its numbers, charts and interactive figures (drag the sliders: they need no kernel). To run and change the code, open the notebooks in Jupyter with the GoNB kernel (see the repository's README).</p>
<ol class="book-toc">`)
	for _, p := range pages {
		fmt.Fprintf(&b, `<li><a href="%s.html">%s</a></li>`+"\n", p.name, html.EscapeString(p.title))
	}
	fmt.Fprintf(&b, `</ol>
<p lang="ru"><a href="%s">Руководство по-русски</a>: как устроены уроки и в каком порядке их читать.</p>
</main>`, bookGuide)
	return bookHTML(head, "The lessons", b.String())
}

// bookCSS styles nbconvert's basic markup: prompts hidden, code and
// outputs in boxes, a readable column.
const bookCSS = `body{font:16px/1.55 -apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1f2328;margin:0 auto;max-width:980px;padding:0 16px 40px}
.book-nav{display:flex;justify-content:space-between;gap:12px;padding:10px 0;border-bottom:1px solid #d0d7de;margin-bottom:12px;font-size:14px}
.book-nav + main + .book-nav{border-top:1px solid #d0d7de;border-bottom:0;margin-top:24px}
a{color:#0969da}
.prompt{display:none}
.input_area,div.highlight{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;overflow:auto}
.input_area pre,div.highlight pre{margin:0;padding:8px 10px;font-size:13px}
.output_area pre{font-size:13px;white-space:pre-wrap;margin:6px 0}
.output_subarea{overflow-x:auto;margin:8px 0}
.output_stderr{background:#fff5f5}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:2px 6px}
footer{margin-top:32px;font-size:13px;color:#57606a}`

// bookHTML is a complete page.
func bookHTML(head, title, body string) string {
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + html.EscapeString(title) + ` · backprop</title>
<style>` + bookCSS + `</style>
` + head + `</head>
<body>
` + body + `
<footer>Generated by <code>make book</code> from the executed lessons. Charts: Apache ECharts ` + assets.ECharts.Version + ` (<a href="` + BookLicense + `">Apache-2.0</a>, <a href="` + BookNotice + `">NOTICE</a>)` + mathJaxCredit(head) + `. MNIST: Y. LeCun, C. Cortes, C. Burges, CC BY-SA 3.0.</footer>
</body>
</html>
`
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, in); err != nil {
		return err
	}
	return atomicfile.WriteFile(dst, buf.Bytes(), 0o644)
}

// ExecuteLessons runs every lesson of root (Lessons) with a GoNB kernel
// into dir, as the notebook tests do: it builds gonb and goimports (go.mod's
// pins) into tools, installs the kernel into a temporary Jupyter data
// folder, executes each lesson with the jupyter nbconvert of venvBin (the
// project's venv, Venv; cellTimeout seconds per cell) and checks the
// executed copy (CheckExecuted). Progress goes to log.
func ExecuteLessons(root, tools, venvBin, dir string, cellTimeout int, log io.Writer) error {
	root, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	if tools, err = filepath.Abs(tools); err != nil {
		return err
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return err
	}
	if err := BuildTools(root, tools, false, false); err != nil {
		return err
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %w", err)
	}
	data, err := os.MkdirTemp("", "backprop-book-jupyter-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(data)
	k := Kernel{Gonb: filepath.Join(tools, "gonb"), Tools: tools, GoRoot: strings.TrimSpace(string(goroot)), Repo: root,
		DataDir: data, Args: []string{"--raw_error"}}
	if _, out, err := k.Install(); err != nil {
		return fmt.Errorf("%w\n%s", err, out)
	}
	env := append(os.Environ(), "JUPYTER_DATA_DIR="+data, "PATH="+venvBin+string(filepath.ListSeparator)+os.Getenv("PATH"))
	lessons, err := Lessons(root)
	if err != nil {
		return err
	}
	for _, rel := range lessons {
		fmt.Fprintf(log, "executing %s\n", rel)
		cmd := exec.Command(filepath.Join(venvBin, "jupyter"), "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
			"--ExecutePreprocessor.kernel_name=gonb", fmt.Sprintf("--ExecutePreprocessor.timeout=%d", cellTimeout),
			"--output-dir", dir, filepath.Join(root, rel))
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s: jupyter nbconvert: %v\n%s", rel, err, out)
		}
		raw, err := os.ReadFile(filepath.Join(dir, filepath.Base(rel)))
		if err != nil {
			return err
		}
		nb, err := Parse(raw)
		if err != nil {
			return err
		}
		if probs := CheckExecuted(nb); len(probs) > 0 {
			return fmt.Errorf("%s:\n%s", rel, strings.Join(probs, "\n"))
		}
	}
	return nil
}

// mathJaxHead typesets $…$ and $$…$$ with the MathJax shipped in mathjax/.
const mathJaxHead = `<script type="text/x-mathjax-config">
MathJax.Hub.Config({tex2jax: {inlineMath: [["$", "$"], ["\\(", "\\)"]], processEscapes: true}, menuSettings: {zoom: "None"}});
</script>
<script type="text/javascript" src="mathjax/MathJax.js?config=TeX-AMS_CHTML"></script>
`

// mathJaxCredit credits MathJax on pages that use it.
func mathJaxCredit(head string) string {
	if head == "" {
		return ""
	}
	return "; formulas: MathJax 2.7 (Apache-2.0)"
}

// copyTree copies the file or folder src to dst.
func copyTree(src, dst string) error {
	return filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return copyFile(path, target)
	})
}
