package lesson

import (
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/nn"
)

func TestWalkthrough(t *testing.T) {
	x, labels := TinyExample()
	tr := NewTrace(TinyNet(), x, labels)
	md := tr.Walkthrough()
	golden(t, "walkthrough_tiny.md", md)
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
		Ref("output-delta"), Ref("hidden-delta"), Ref("weight-grad"), Ref("bias-grad"), Ref("softmax"),
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
	md := NewTrace(net, x, labels).Walkthrough()
	if !strings.Contains(md, `\vdots`) || !strings.Contains(md, `\sigma`) {
		t.Errorf("larger walkthrough not abbreviated:\n%s", md)
	}
	defer func() {
		if recover() == nil {
			t.Error("Walkthrough of a 2-example trace did not panic")
		}
	}()
	xb, lb := randomBatch(3, 2, 8, 3)
	NewTrace(net, xb, lb).Walkthrough()
}
