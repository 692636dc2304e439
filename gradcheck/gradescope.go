package gradcheck

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// GradescopeOptions configure Report.Gradescope.
type GradescopeOptions struct {
	// Points is the maximum score of each tensor's test, by tensor name
	// ("W1", "b1", "x", …); tensors not listed get Default.
	Points map[string]float64
	// Default is the maximum score of a tensor not in Points (1).
	Default float64
	// Visibility of each test (Gradescope's "visible", "hidden",
	// "after_due_date" or "after_published"; default "visible").
	Visibility string
	// Prefix starts every test name (default: the report's Name and ": ").
	Prefix string
}

// GradescopeResults is Gradescope's results.json: a top-level score and
// one test per parameter tensor.
type GradescopeResults struct {
	Score  float64          `json:"score"`
	Output string           `json:"output,omitempty"`
	Tests  []GradescopeTest `json:"tests"`
	// ExtraData is Gradescope's free-form extra_data; a check that could
	// not run sets "check_error" to its message (an error of the check,
	// not a wrong gradient).
	ExtraData map[string]string `json:"extra_data,omitempty"`
}

// GradescopeTest is one entry of results.json's tests array.
type GradescopeTest struct {
	Name       string  `json:"name"`
	Score      float64 `json:"score"`
	MaxScore   float64 `json:"max_score"`
	Status     string  `json:"status"` // "passed" or "failed"
	Output     string  `json:"output"`
	Visibility string  `json:"visibility"`
}

// Gradescope converts the report to Gradescope's results.json structure
// (o nil: defaults): one test per tensor, worth its Points, scored in full
// unless the tensor failed (a suspicious tensor keeps its points and says
// so). Marshal the result with JSON.
func (r *Report) Gradescope(o *GradescopeOptions) *GradescopeResults {
	var opt GradescopeOptions
	if o != nil {
		opt = *o
	}
	if opt.Default == 0 {
		opt.Default = 1
	}
	if opt.Visibility == "" {
		opt.Visibility = "visible"
	}
	if opt.Prefix == "" {
		opt.Prefix = r.Name + ": "
	}
	g := &GradescopeResults{Output: fmt.Sprintf("gradcheck %s (mode %s, step %g, seed %d)", r.Summary(), r.Options.Mode, r.Options.Step, r.Seed)}
	if r.CheckError != nil {
		// An error of the check, not a wrong gradient: one failed test that
		// says so, and no verdict per tensor.
		g.Tests = []GradescopeTest{{Name: opt.Prefix + "check could not run", MaxScore: opt.Default * float64(len(r.Tensors)),
			Status: "failed", Visibility: opt.Visibility,
			Output: "check error (not a wrong gradient): " + r.CheckError.Error() + "."}}
		if errors.Is(r.CheckError, ErrLossNotFinite) {
			g.Tests[0].Output += " Ask your instructor: the check's data or your initial parameters make the loss overflow."
		}
		g.ExtraData = map[string]string{"check_error": r.CheckError.Error()}
		return g
	}
	for _, t := range r.Tensors {
		maxScore, ok := opt.Points[t.Name]
		if !ok {
			maxScore = opt.Default
		}
		test := GradescopeTest{Name: opt.Prefix + "gradient of " + t.Name, MaxScore: maxScore, Score: maxScore,
			Status: "passed", Output: t.Message(r.Batch), Visibility: opt.Visibility}
		if !t.OK() {
			test.Score, test.Status = 0, "failed"
			var b strings.Builder
			b.WriteString(test.Output)
			b.WriteString("\nworst elements (row, col): analytic, numeric, relative error")
			for _, el := range t.Top {
				fmt.Fprintf(&b, "\n  (%d, %d): %.6g, %.6g, %.2g", el.Row, el.Col, el.Analytic, el.Numeric, el.RelErr)
			}
			test.Output = b.String()
		}
		g.Score += test.Score
		g.Tests = append(g.Tests, test)
	}
	return g
}

// Add appends the tests of other (another check of the same submission)
// and adds up the scores.
func (g *GradescopeResults) Add(other *GradescopeResults) {
	g.Tests = append(g.Tests, other.Tests...)
	g.Score += other.Score
	for k, v := range other.ExtraData {
		if g.ExtraData == nil {
			g.ExtraData = map[string]string{}
		}
		if g.ExtraData[k] != "" {
			v = g.ExtraData[k] + "; " + v
		}
		g.ExtraData[k] = v
	}
	if other.Output != "" {
		g.Output = strings.TrimPrefix(g.Output+"\n"+other.Output, "\n")
	}
}

// JSON returns the indented results.json.
func (g *GradescopeResults) JSON() []byte {
	b, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		panic(err) // plain strings and floats: cannot happen
	}
	return append(b, '\n')
}
