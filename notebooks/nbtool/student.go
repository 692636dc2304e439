package nbtool

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// An exercise notebook is written once, with its solutions, as
// NAME-solutions.ipynb; its student version NAME.ipynb is generated from it
// by Student (go run ./notebooks/nbtool/cmd/mkstudent) and committed, and a test
// keeps the two in step. The markers are nbgrader's:
//
//   - In a code cell, the lines from one containing "BEGIN SOLUTION" to
//     one containing "END SOLUTION" (both included, in Go comments: // BEGIN
//     SOLUTION) become the stub StudentStub, indented like the first marker.
//     The marked lines must end the body of a function, so that the stub
//     (a panic) is its last statement and the student version compiles.
//   - In a markdown cell, the lines from "<!-- BEGIN SOLUTION -->" to
//     "<!-- END SOLUTION -->" are removed (notes for instructors only), and
//     the cell too if nothing else is left.
//   - The student version's key results replace the solutions' ones: a
//     notebook's or cell's metadata "student": {"expect": [...]} becomes its
//     "backprop" key there (and "backprop" is dropped where no "student"
//     key is given), so the committed student version is executed by the
//     tests with its own expectations (its checks say "not implemented
//     yet").

// Markers and stub of the student version.
const (
	BeginSolution = "BEGIN SOLUTION"
	EndSolution   = "END SOLUTION"
	// StudentStub replaces a solution in a code cell; the lesson's checks
	// report a panic containing "not implemented" as "not implemented yet".
	StudentStub = "// YOUR CODE HERE\npanic(\"not implemented\")"
	// SolutionsSuffix ends the name of a solutions notebook (before
	// ".ipynb").
	SolutionsSuffix = "-solutions"
	// studentKey is the metadata key holding the student version's
	// expectations.
	studentKey = "student"
)

// Student returns the student version of the solutions notebook data,
// stripped (see Strip). It fails on unbalanced markers and on a solutions
// notebook without any solution.
func Student(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var nb map[string]any
	if err := dec.Decode(&nb); err != nil {
		return nil, err
	}
	if md, ok := nb["metadata"].(map[string]any); ok {
		studentExpectations(md)
	}
	cells, _ := nb["cells"].([]any)
	solutions := 0
	kept := []any{}
	for i, c := range cells {
		cell, ok := c.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("cell %d is not an object", i+1)
		}
		kept = append(kept, cell)
		if md, ok := cell["metadata"].(map[string]any); ok {
			studentExpectations(md)
		}
		src, err := sourceText(cell["source"])
		if err != nil {
			return nil, fmt.Errorf("cell %d: %v", i+1, err)
		}
		var n int
		switch cell["cell_type"] {
		case "code":
			src, n, err = stubSolutions(src)
		case "markdown":
			src, n, err = dropSolutions(src)
		}
		if err != nil {
			return nil, fmt.Errorf("cell %d: %v", i+1, err)
		}
		if n == 0 {
			continue
		}
		solutions += n
		if cell["cell_type"] == "markdown" && strings.TrimSpace(src) == "" {
			kept = kept[:len(kept)-1] // it held only instructors' notes
			continue
		}
		cell["source"] = sourceLines(src)
	}
	nb["cells"] = kept
	if solutions == 0 {
		return nil, fmt.Errorf("no %q markers: not a solutions notebook", BeginSolution)
	}
	out, err := json.Marshal(nb)
	if err != nil {
		return nil, err
	}
	return Strip(out)
}

// StudentName returns the student version's file name for a solutions
// notebook's ("10-exercises-solutions.ipynb" → "10-exercises.ipynb"), or ""
// if name is not one.
func StudentName(name string) string {
	base, ok := strings.CutSuffix(name, SolutionsSuffix+".ipynb")
	if !ok {
		return ""
	}
	return base + ".ipynb"
}

// studentExpectations moves metadata "student" to "backprop".
func studentExpectations(md map[string]any) {
	delete(md, "backprop")
	if s, ok := md[studentKey]; ok {
		md["backprop"] = s
		delete(md, studentKey)
	}
}

// sourceText joins a cell's source, a string or a list of lines.
func sourceText(v any) (string, error) {
	switch s := v.(type) {
	case nil:
		return "", nil
	case string:
		return s, nil
	case []any:
		var b strings.Builder
		for _, l := range s {
			str, ok := l.(string)
			if !ok {
				return "", fmt.Errorf("source line is %T, not a string", l)
			}
			b.WriteString(str)
		}
		return b.String(), nil
	}
	return "", fmt.Errorf("source is %T", v)
}

// sourceLines splits a source into nbformat's list of lines, each but the
// last ending in "\n".
func sourceLines(s string) []any {
	lines := []any{}
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			lines = append(lines, s)
			break
		}
		lines = append(lines, s[:i+1])
		s = s[i+1:]
	}
	return lines
}

// stubSolutions replaces every marked solution of a code cell by the stub.
func stubSolutions(src string) (string, int, error) {
	lines := strings.Split(src, "\n")
	var out []string
	n := 0
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.Contains(l, EndSolution) {
			return "", 0, fmt.Errorf("line %d: %s without %s", i+1, EndSolution, BeginSolution)
		}
		if !strings.Contains(l, BeginSolution) {
			out = append(out, l)
			continue
		}
		indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		end := i + 1
		for end < len(lines) && !strings.Contains(lines[end], EndSolution) {
			if strings.Contains(lines[end], BeginSolution) {
				return "", 0, fmt.Errorf("line %d: %s inside a solution", end+1, BeginSolution)
			}
			end++
		}
		if end == len(lines) {
			return "", 0, fmt.Errorf("line %d: %s without %s", i+1, BeginSolution, EndSolution)
		}
		for _, s := range strings.Split(StudentStub, "\n") {
			out = append(out, indent+s)
		}
		i = end
		n++
	}
	return strings.Join(out, "\n"), n, nil
}

// Markdown markers: HTML comments, invisible in the solutions notebook.
const (
	mdBegin = "<!-- " + BeginSolution + " -->"
	mdEnd   = "<!-- " + EndSolution + " -->"
)

// dropSolutions removes every marked block of a markdown cell, with the
// markers and one blank line after the block.
func dropSolutions(src string) (string, int, error) {
	lines := strings.Split(src, "\n")
	var out []string
	n := 0
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == mdEnd {
			return "", 0, fmt.Errorf("line %d: %s without %s", i+1, mdEnd, mdBegin)
		}
		if l != mdBegin {
			out = append(out, lines[i])
			continue
		}
		end := i + 1
		for end < len(lines) && strings.TrimSpace(lines[end]) != mdEnd {
			end++
		}
		if end == len(lines) {
			return "", 0, fmt.Errorf("line %d: %s without %s", i+1, mdBegin, mdEnd)
		}
		if end+1 < len(lines) && strings.TrimSpace(lines[end+1]) == "" {
			end++
		}
		i = end
		n++
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n"), n, nil
}
