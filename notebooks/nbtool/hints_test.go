package nbtool

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// An exercise notebook makes the learner derive, not transcribe: the
// formulas the exercises ask for appear only inside hints, folded
// <details> blocks that the learner opens one after another ("Hint 1",
// "Hint 2", "The formula").
//
// "A formula" here is any form, in LaTeX or in Unicode, of a result the
// exercises ask for (the right-hand sides of notebooks 03 and 04 and of
// gradient descent and central differences), or of its telltale parts:
// the Hadamard product ⊙; the output delta a − y and its batch factor
// 1/N; a derivative of an activation (φ′, ReLU′(v) =, 𝟙{v > 0}, 1 − a²,
// a(1 − a), tanh², sech); the products of the backward pass (Δᵀ, Δ·W, G·W,
// Wᵀδ, δ⁽ˢ⁾a⁽ˢ⁻¹⁾ᵀ, δᵢxⱼ); the update θ ← θ − η…; the step pair θ ± h,
// 2h; the engine's accumulation p.Grad += …. Names of the quantities (δ⁽ʰ⁾, ∂E/∂W, ReLU′ as a title) and the
// forward pass the notebook gives (V = XWᵀ + 1bᵀ, softmax, the loss) are
// not formulas in this sense.
var formulaPatterns = map[string]*regexp.Regexp{
	"Hadamard product":      regexp.MustCompile(`⊙|\\odot`),
	"output delta":          regexp.MustCompile(`\ba\s*[−-]\s*y\b|\by\s*[−-]\s*a\b|a\^\{\(h\)\}\s*-\s*y|\bA\s*[−-]\s*Y\b|a_i\s*-\s*y_i|aᵢ\s*−\s*yᵢ`),
	"batch factor":          regexp.MustCompile(`\\frac\{1\}\{N\}|\b1\s*/\s*N\b`),
	"activation derivative": regexp.MustCompile(`φ′|φ'|\\varphi'|\\varphi\^\\prime|ReLU′\(v\)\s*=|\\mathrm\{ReLU\}'|\\mathbb\{1\}|𝟙|1\{v\s*>`),
	"tanh or sigmoid derivative": regexp.MustCompile(
		`1\s*[−-]\s*[az]\s*(²|\^2)|1\s*[−-]\s*A\s*(⊙|\\odot)|1\s*[−-]\s*\\tanh|\\tanh\^2|tanh²|\b([az])\s*\(1\s*[−-]\s*[az]\)|sech`),
	"gradient accumulation": regexp.MustCompile(`Grad\s*\+=`),
	"backward product": regexp.MustCompile(
		`Δᵀ|\\Delta\^\{?\(?s?\)?\}?\\top|\\Delta\^\\top|Δ\s*·?\s*W\b|\\Delta\s*W\b|\\Delta\^\{\(s\)\}\s*W|G\s*·\s*W|\bG\s*W\b|Wᵀ\s*·?\s*δ|W\^\{\(s\)\\top\}\s*\\delta|W\^\{\(2\)\\top\}\s*\\delta|δ\s*·\s*W|δ⁽ˢ⁾\s*a⁽ˢ⁻¹⁾ᵀ|\\delta\^\{\(s\)\}\s*a\^|\\delta\^\{\(1\)\}_i\\?,?\s*x_j`),
	"gradient step":      regexp.MustCompile(`θ\s*[−-]\s*η|\\theta\s*-\s*\\eta|\\leftarrow|←`),
	"central difference": regexp.MustCompile(`\b2\s*h\b|\\pm\s*h\b|±\s*h\b|θ\s*[+−-]\s*h\b|\\theta\s*[+-]\s*h\b|\bh\s*\\?,?\s*e_\{?ij`),
}

// details matches a <details> block, summary and all.
var details = regexp.MustCompile(`(?s)<details>.*?</details>`)

// outsideHints returns markdown with its <details> blocks removed.
func outsideHints(md string) string { return details.ReplaceAllString(md, "") }

// formulasIn returns "kind: match" for every formula in text.
func formulasIn(text string) []string {
	var out []string
	for kind, re := range formulaPatterns {
		for _, m := range re.FindAllString(text, -1) {
			out = append(out, kind+": "+m)
		}
	}
	return out
}

// hintNames are the summaries of an exercise's hints, in order.
var hintNames = []string{"Hint 1", "Hint 2", "The formula"}

func TestExerciseFormulasOnlyInHints(t *testing.T) {
	sols, err := filepath.Glob(filepath.Join(repoRoot, InstructorDir, "*"+SolutionsSuffix+".ipynb"))
	if err != nil || len(sols) == 0 {
		t.Fatalf("no solutions notebook (%v)", err)
	}
	for _, sol := range sols {
		name := StudentName(filepath.Base(sol))
		t.Run(strings.TrimSuffix(name, ".ipynb"), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(repoRoot, LessonsDir, name))
			if err != nil {
				t.Fatal(err)
			}
			nb, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			exercises := 0
			for i, c := range nb.Cells {
				src := string(c.Source)
				text := src
				if c.CellType == "markdown" {
					text = outsideHints(src)
				}
				for _, f := range formulasIn(text) {
					t.Errorf("cell %d (%s) shows a formula outside the hints: %s", i+1, c.CellType, f)
				}
				if c.CellType != "markdown" || !strings.HasPrefix(src, "## Exercise ") {
					continue
				}
				exercises++
				title, _, _ := strings.Cut(src, "\n")
				blocks := details.FindAllString(src, -1)
				if len(blocks) != len(hintNames) {
					t.Errorf("%s: %d hints, want %d (%s)", title, len(blocks), len(hintNames), strings.Join(hintNames, ", "))
					continue
				}
				for k, b := range blocks {
					if !strings.HasPrefix(b, "<details><summary>"+hintNames[k]+"</summary>") {
						t.Errorf("%s: hint %d is not %q: %.60s", title, k+1, hintNames[k], b)
					}
				}
				if len(formulasIn(blocks[len(blocks)-1])) == 0 {
					t.Errorf("%s: its last hint holds no formula:\n%s", title, blocks[len(blocks)-1])
				}
			}
			if exercises == 0 {
				t.Errorf("no markdown cell starts with \"## Exercise \"")
			}
		})
	}
}

func TestFormulasIn(t *testing.T) {
	for text, want := range map[string]bool{
		`$$\delta^{(h)} = \frac{1}{N}\,(a - y)$$`:                    true,
		"Δ = ReLU′(V) ⊙ G":                                           true,
		"returning G·W is the lab's bug":                             true,
		"θ ← θ − η·∂E/∂θ":                                            true,
		`$\tanh'(v) = 1 - a^2$`:                                      true,
		"(f(θ + h) − f(θ − h))/2h":                                   true,
		`$\mathrm{ReLU}'(v) = \mathbb{1}\{v > 0\}$`:                  true,
		`$\delta^{(1)} = W^{(2)\top} \delta^{(2)}$`:                  true,
		"Derive $\\delta^{(h)} = \\partial E / \\partial v^{(h)}$.":  false,
		"$V = X W^\\top + \\mathbf{1} b^\\top$, $A = \\tanh(V)$":     false,
		"## Exercise 1: ReLU′":                                       false,
		"softmax, $a_i = e^{v_i} / \\sum_m e^{v_m}$, $E = -\\sum_j$": false,
	} {
		if got := len(formulasIn(text)) > 0; got != want {
			t.Errorf("formulasIn(%q) = %q, want a formula: %v", text, formulasIn(text), want)
		}
	}
	md := "Write it.\n\n<details><summary>The formula</summary>\n\n$$\\delta = a - y$$\n\n</details>\n\nNo formula here."
	if f := formulasIn(outsideHints(md)); len(f) != 0 {
		t.Errorf("a formula inside <details> counted: %q", f)
	}
	if f := formulasIn(outsideHints(md + " Then Δ·W.")); len(f) != 1 {
		t.Errorf("a formula after the hint not found: %q", f)
	}
}
