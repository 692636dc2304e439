package lesson

import (
	"regexp"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/lesson/internal/golden"
)

func TestDerivationNumbering(t *testing.T) {
	seen := map[string]bool{}
	for i, s := range Derivation() {
		if s.N != i+1 {
			t.Errorf("step %q has number %d, want %d", s.Key, s.N, i+1)
		}
		if seen[s.Key] {
			t.Errorf("duplicate key %q", s.Key)
		}
		seen[s.Key] = true
		if s.Title == "" || s.Prose == "" || s.Result == "" {
			t.Errorf("step %q lacks a title, prose or result", s.Key)
		}
		if strings.Contains(s.Prose, "(@") {
			t.Errorf("step %q has an unresolved reference: %s", s.Key, s.Prose)
		}
		for _, tex := range append([]string{s.Result, s.Batch}, s.Work...) {
			if strings.Count(tex, "{") != strings.Count(tex, "}") || strings.Count(tex, `\begin`) != strings.Count(tex, `\end`) {
				t.Errorf("step %q: unbalanced LaTeX: %s", s.Key, tex)
			}
			if strings.Contains(tex, "$") {
				t.Errorf("step %q: LaTeX fields must not contain $: %s", s.Key, tex)
			}
		}
	}
	// The keys the issue and the notebooks name must exist.
	for _, k := range []string{"output-delta", "hidden-delta", "weight-grad", "bias-grad", "bias-trick", "softmax", "cross-entropy", "relu", "delta"} {
		if !seen[k] {
			t.Errorf("no step %q", k)
		}
	}
}

// TestDerivationNotation pins the notation of the package doc in the equations
// the lessons rely on.
func TestDerivationNotation(t *testing.T) {
	for key, want := range map[string][]string{
		"notation":      {`W^{(s)} \in \mathbb{R}^{n_{\text{out}} \times n_{\text{in}}}`, `a^{(0)} = x`},
		"linear":        {`u^{(s)} = W^{(s)} a^{(s-1)}`},
		"bias":          {`v^{(s)} = u^{(s)} + b^{(s)}`},
		"activation":    {`a^{(s)} = \varphi^{(s)}\big(v^{(s)}\big)`},
		"cross-entropy": {`\ln a^{(h)}_{nj}`, `-\frac{1}{N}`},
		"delta":         {`\delta^{(s)} = \frac{\partial E}{\partial v^{(s)}}`},
		"output-delta":  {`\delta^{(h)} = a^{(h)} - y`, `\tfrac{1}{N}`},
		"hidden-delta":  {`\delta^{(s-1)} = \varphi'\big(v^{(s-1)}\big) \odot \big(W^{(s)\top} \delta^{(s)}\big)`},
		"weight-grad":   {`\frac{\partial E}{\partial W^{(s)}} = \delta^{(s)} a^{(s-1)\top}`},
		"bias-grad":     {`\frac{\partial E}{\partial b^{(s)}} = \delta^{(s)}`},
		"relu":          {`\mathrm{ReLU}'(v) = \mathbf{1}[v > 0]`, `\mathrm{ReLU}'(0) = 0`},
		"softmax":       {`m = \max_k v_k`},
	} {
		s := Step(key)
		all := s.Prose + s.Result + s.Batch + strings.Join(s.Work, "")
		for _, w := range want {
			if !strings.Contains(all, w) {
				t.Errorf("step %q lacks %s", key, w)
			}
		}
	}
}

func TestDerivationMarkdown(t *testing.T) {
	golden.Check(t, "derivation.md", derivationMarkdown())
	md := derivationMarkdown("output-delta", "bias-trick")
	if !strings.HasPrefix(md, "#### (11) Output delta") || !strings.Contains(md, "#### (4) The bias trick") {
		t.Errorf("selected steps render wrongly:\n%s", md)
	}
	if got := ref("hidden-delta"); got != "(12)" {
		t.Errorf(`ref("hidden-delta") = %s`, got)
	}
	// Every display formula is on its own $$…$$ line, as Jupyter's Markdown wants.
	for _, line := range strings.Split(derivationMarkdown(), "\n") {
		if strings.Contains(line, "$$") && !regexp.MustCompile(`^\$\$.*\$\$$`).MatchString(line) {
			t.Errorf("display math not on its own line: %s", line)
		}
	}
	golden.Check(t, "labbug.md", LabBugMarkdown())
	if !strings.Contains(LabBugMarkdown(), ref("hidden-delta")) {
		t.Error("the lab bug case study does not refer to the hidden-delta equation")
	}
}

func TestStepPanicsOnUnknownKey(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), "output-delta") {
			t.Errorf("Step(unknown) = %v, want a panic listing the keys", r)
		}
	}()
	Step("no-such-step")
}

// TestDerivationBatchSummary checks that the batch step restates the batch
// forms of the steps it summarises exactly (same parentheses), not a
// variant of them.
func TestDerivationBatchSummary(t *testing.T) {
	summary := Step("batch").Result
	for _, key := range []string{"output-delta", "hidden-delta", "weight-grad"} {
		form, _, _ := strings.Cut(Step(key).Batch, `\qquad`)
		if form = strings.TrimSpace(form); !strings.Contains(summary, form) {
			t.Errorf("the batch summary does not contain the batch form of %s, %s:\n%s", key, form, summary)
		}
	}
	if !strings.Contains(Step("batch").Prose, `(a_n - y_n)/N`) {
		t.Error("the batch step does not say once that a batch's δ carries the 1/N")
	}
}
