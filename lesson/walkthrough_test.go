package lesson

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/lesson/internal/golden"
	"github.com/backprop-lab/backprop/nn"
)

func TestWalkthrough(t *testing.T) {
	x, labels := TinyExample()
	tr := NewTrace(TinyNet(), x, labels)
	md := walkthrough(tr)
	golden.Check(t, "walkthrough_tiny.md", md)
	// The numbers a learner redoes by hand, each with nn's value.
	for _, want := range []string{
		`0.5 \cdot 1 + (-0.2) \cdot 2`,                           // u⁽¹⁾₁
		`\begin{pmatrix} 0.2 \\ -0.1 \end{pmatrix}`,              // v⁽¹⁾
		`\max(0, -0.1)`,                                          // the inactive unit
		`\mathbf{1}[-0.1 > 0]`,                                   // its ReLU′ = 0
		`e^{0.06 - 0.26}`,                                        // softmax with max subtracted
		`= 0.7981`,                                               // E
		`\begin{pmatrix} -0.5498 \\ 0.5498 \end{pmatrix}`,        // δ⁽²⁾
		`\begin{pmatrix} 0.2749 \\ 0 \end{pmatrix}`,              // δ⁽¹⁾
		`\begin{pmatrix} 0.2749 & 0.5498 \\ 0 & 0 \end{pmatrix}`, // ∂E/∂W⁽¹⁾
		ref("output-delta"), ref("hidden-delta"), ref("weight-grad"), ref("bias-grad"), ref("softmax"),
	} {
		if !strings.Contains(md, want) {
			t.Errorf("walkthrough lacks %s", want)
		}
	}
}

func TestWalkthroughLargerNet(t *testing.T) {
	// A wider sigmoid network is abbreviated, not expanded term by term.
	net := nn.MustNew(nn.Config{Sizes: []int{8, 7, 3}, Hidden: nn.Sigmoid, Seed: 2})
	x, labels := randomBatch(3, 1, 8, 3)
	md := walkthrough(NewTrace(net, x, labels))
	if !strings.Contains(md, `\vdots`) || !strings.Contains(md, `\sigma`) {
		t.Errorf("larger walkthrough not abbreviated:\n%s", md)
	}
	defer func() {
		if recover() == nil {
			t.Error("walkthrough of a 2-example trace did not panic")
		}
	}()
	xb, lb := randomBatch(3, 2, 8, 3)
	walkthrough(NewTrace(net, xb, lb))
}

// TestTinyBatch checks the ReLU patterns TinyBatch documents.
func TestTinyBatch(t *testing.T) {
	x, labels := TinyBatch()
	tx, tl := TinyExample()
	if !mat.Equal(x.Slice(0, 1, 0, 2), tx) || labels[0] != tl[0] {
		t.Errorf("first row %v (label %d), want TinyExample's %v (label %d)", x.RawRowView(0), labels[0], tx.RawRowView(0), tl[0])
	}
	tr := NewTrace(TinyNet(), x, labels)
	wantV := [][]float64{{0.2, -0.1}, {-0.6, 0.1}, {0.3, 0.4}, {-0.5, -0.1}}
	wantPhi := [][]float64{{1, 0}, {0, 1}, {1, 1}, {0, 0}}
	for n := range wantV {
		for j := range 2 {
			// One-decimal weights and inputs: v is within rounding of the table.
			if v := tr.Layer(1).V.At(n, j); math.Abs(v-wantV[n][j]) > 1e-15 {
				t.Errorf("v⁽¹⁾[%d][%d] = %v, want %v", n, j, v, wantV[n][j])
			}
			if p := tr.Layer(1).DPhi.At(n, j); p != wantPhi[n][j] {
				t.Errorf("φ′(v⁽¹⁾)[%d][%d] = %v, want %v", n, j, p, wantPhi[n][j])
			}
		}
	}
}

// TestWalkthroughStep checks that every step the notebooks show is found,
// in the right layer and pass, with its equation number.
func TestWalkthroughStep(t *testing.T) {
	x, labels := TinyExample()
	tr := NewTrace(TinyNet(), x, labels)
	for _, tc := range []struct {
		key   string
		s     int
		lines int
		want  string // a substring of the rendering
	}{
		{"linear", 1, 1, `u^{(1)} = W^{(1)} a^{(0)}`},
		{"linear", 2, 1, `u^{(2)} = W^{(2)} a^{(1)}`},
		{"bias", 1, 1, `v^{(1)} = u^{(1)} + b^{(1)}`},
		{"activation", 1, 1, `\max(0, -0.1)`},
		{"softmax", 2, 1, `e^{v^{(2)} - m}`},
		{"cross-entropy", 2, 1, `= 0.7981`},
		{"output-delta", 2, 1, `\delta^{(2)} = a^{(2)} - y`},
		{"hidden-delta", 1, 2, `\delta^{(1)} = \varphi'`},
		{"relu", 1, 1, `\mathbf{1}[-0.1 > 0]`},
		{"weight-grad", 1, 1, `\begin{pmatrix} 0.2749 & 0.5498 \\ 0 & 0 \end{pmatrix}`},
		{"bias-grad", 2, 1, `\frac{\partial E}{\partial b^{(2)}}`},
		{"bias-trick", 1, 1, `0.5 & -0.2 & 0.1 \\ -0.3 & 0.4 & -0.6`},
	} {
		got := WalkthroughStep(tr, tc.key, tc.s)
		if n := strings.Count(got, "$$") / 2; n != tc.lines {
			t.Errorf("%s, layer %d: %d lines, want %d:\n%s", tc.key, tc.s, n, tc.lines, got)
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s, layer %d: no %q in\n%s", tc.key, tc.s, tc.want, got)
		}
		if strings.Count(got, `\qquad `+ref(tc.key)+"$$") != tc.lines {
			t.Errorf("%s, layer %d: every line should end with %s:\n%s", tc.key, tc.s, ref(tc.key), got)
		}
	}
	for _, tc := range []struct {
		key string
		s   int
	}{{"softmax", 1}, {"output-delta", 1}, {"hidden-delta", 2}, {"linear", 3}, {"no-such-step", 1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("WalkthroughStep(%q, %d) did not panic", tc.key, tc.s)
				}
			}()
			WalkthroughStep(tr, tc.key, tc.s)
		}()
	}
}
