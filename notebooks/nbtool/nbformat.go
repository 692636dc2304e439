package nbtool

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"
)

// SetupNote is the exact source of every notebook's first cell, a markdown
// cell (id "setup-note") that says in one sentence what the setup cell
// below it does.
const SetupNote = "The Go kernel that `make notebooks` (or the Docker image) installs builds every cell in a Go workspace with this repository, so cells import its packages directly; the next cell, GoNB's `%goworkfix`, shows that link and fails in a kernel installed any other way."

// SetupCell is the exact source of every notebook's second cell, a code cell
// (id "setup"). The kernel (see [Kernel]) was installed with gonb -go_work:
// GoNB starts every notebook's scratch module in a go.work that uses this
// repository, and adds the matching replace to its go.mod, so
// github.com/backprop-lab/backprop/... resolves to the checkout, offline,
// from any working directory. %goworkfix prints that replace, and is an
// error if there is no go.work (a kernel that was not installed so).
const SetupCell = "%goworkfix"

// RaisesException is the cell tag of a cell that must fail (nbclient's and
// Jupyter's own name for it).
const RaisesException = "raises-exception"

// Notebook is the part of an nbformat 4 notebook that the checks read.
type Notebook struct {
	NBFormat      int      `json:"nbformat"`
	NBFormatMinor int      `json:"nbformat_minor"`
	Metadata      Metadata `json:"metadata"`
	Cells         []Cell   `json:"cells"`
}

// Metadata is the notebook-level metadata.
type Metadata struct {
	Kernelspec struct {
		Name        string `json:"name"`
		DisplayName string `json:"display_name"`
		Language    string `json:"language"`
	} `json:"kernelspec"`
	Backprop *Expectations `json:"backprop"`
}

// Expectations are the key results a notebook (or a cell) must show once
// executed: regular expressions in Go syntax, stored under the "backprop"
// metadata key, and, in a markdown cell, the numbers its prose quotes from
// the outputs (see [Pin]).
type Expectations struct {
	Expect []string `json:"expect"`
	Pins   []Pin    `json:"pins,omitempty"`
}

// patterns returns the expectations, nil-safe.
func (e *Expectations) patterns() []string {
	if e == nil {
		return nil
	}
	return e.Expect
}

// Cell is one notebook cell.
type Cell struct {
	CellType string `json:"cell_type"`
	Source   Text   `json:"source"`
	Metadata struct {
		Tags     []string      `json:"tags"`
		Backprop *Expectations `json:"backprop"`
	} `json:"metadata"`
	Outputs        []Output `json:"outputs"`
	ExecutionCount *int     `json:"execution_count"`
}

// HasTag reports whether the cell carries tag.
func (c *Cell) HasTag(tag string) bool {
	for _, t := range c.Metadata.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// Output is one output of a code cell.
type Output struct {
	OutputType string          `json:"output_type"` // stream, display_data, execute_result, error
	Name       string          `json:"name"`        // stream: stdout or stderr
	Text       Text            `json:"text"`        // stream
	Data       map[string]Text `json:"data"`        // display_data, execute_result: by MIME type
	EName      string          `json:"ename"`       // error
	EValue     string          `json:"evalue"`      // error
	Traceback  []string        `json:"traceback"`   // error
}

// textMIMETypes are the MIME types whose content is searched for
// expectations.
var textMIMETypes = []string{"text/plain", "text/markdown", "text/html", "text/latex"}

// ansi matches the terminal escape sequences GoNB puts around cell/line
// references in stack traces.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

// htmlTag matches one HTML tag.
var htmlTag = regexp.MustCompile(`<[^>]*>`)

// String returns the text of the output that expectations are matched
// against, without terminal escape sequences; an HTML output is there
// twice, as its source and as the text it shows (tags removed, entities
// decoded), so a key result may span markup such as a no-wrap span.
func (o *Output) String() string {
	var b strings.Builder
	switch o.OutputType {
	case "stream":
		b.WriteString(string(o.Text))
	case "error":
		fmt.Fprintf(&b, "%s: %s\n", o.EName, o.EValue)
		for _, l := range o.Traceback {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	default:
		for _, m := range textMIMETypes {
			if t, ok := o.Data[m]; ok {
				b.WriteString(string(t))
				b.WriteByte('\n')
				if m == "text/html" { // and the text a reader sees, without the markup
					b.WriteString(html.UnescapeString(htmlTag.ReplaceAllString(string(t), "")))
					b.WriteByte('\n')
				}
			}
		}
	}
	return ansi.ReplaceAllString(b.String(), "")
}

// Text is a multi-line string field, which nbformat stores either as one
// string or as a list of lines.
type Text string

// UnmarshalJSON accepts a string or a list of strings.
func (t *Text) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = Text(s)
		return nil
	}
	var lines []string
	if err := json.Unmarshal(b, &lines); err != nil {
		return fmt.Errorf("nbformat: want a string or a list of strings, got %.40s", b)
	}
	*t = Text(strings.Join(lines, ""))
	return nil
}

// Parse decodes an nbformat 4 notebook.
func Parse(data []byte) (*Notebook, error) {
	var nb Notebook
	if err := json.Unmarshal(data, &nb); err != nil {
		return nil, err
	}
	if nb.NBFormat != 4 {
		return nil, fmt.Errorf("nbformat %d, want 4", nb.NBFormat)
	}
	return &nb, nil
}

// strippedNotebookMetadata and strippedCellMetadata are the metadata keys
// written by kernels, Jupyter front ends and nbclient while running a
// notebook: they change on every run and are dropped by Strip.
var (
	strippedNotebookMetadata = []string{"language_info", "widgets"}
	strippedCellMetadata     = []string{"execution", "ExecuteTime", "collapsed", "scrolled"}
)

// Strip returns the notebook in data without outputs, with null execution
// counts and without run-time metadata, in nbformat's own JSON layout (keys
// sorted, one-space indent, non-ASCII kept, final newline), so that a
// notebook saved by Jupyter and then stripped has reviewable diffs. Every
// other field is kept as it is.
func Strip(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // keep numbers exactly as written
	var nb map[string]any
	if err := dec.Decode(&nb); err != nil {
		return nil, err
	}
	if v, _ := nb["nbformat"].(json.Number); v.String() != "4" {
		return nil, fmt.Errorf("nbformat %v, want 4", nb["nbformat"])
	}
	if md, ok := nb["metadata"].(map[string]any); ok {
		for _, k := range strippedNotebookMetadata {
			delete(md, k)
		}
	}
	cells, ok := nb["cells"].([]any)
	if !ok {
		return nil, fmt.Errorf("no cells list")
	}
	for i, c := range cells {
		cell, ok := c.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("cell %d is not an object", i+1)
		}
		if md, ok := cell["metadata"].(map[string]any); ok {
			for _, k := range strippedCellMetadata {
				delete(md, k)
			}
		}
		if cell["cell_type"] == "code" {
			cell["outputs"] = []any{}
			cell["execution_count"] = nil
		}
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(nb); err != nil { // maps are written with sorted keys
		return nil, err
	}
	return out.Bytes(), nil
}
