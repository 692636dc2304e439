package lesson

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/nn"
)

// LabBugDense is an *nn.Dense with the lab's backward bug: Backward computes
// δ = φ′(v) ⊙ g and the gradients ∂E/∂W = δᵀ·X, ∂E/∂b = δᵀ·1 correctly, but
// returns g·W instead of δ·W (B×n_out)·(n_out×n_in) → B×n_in, so the layer
// below never sees this layer's ReLU mask φ′(v). See LabBugMarkdown.
type LabBugDense struct{ *nn.Dense }

// Backward runs the correct backward pass of the embedded layer, then
// returns the lab's g·W.
func (l LabBugDense) Backward(g *mat.Dense) *mat.Dense {
	l.Dense.Backward(g)
	gx := new(mat.Dense)
	gx.Mul(g, l.W) // the lab's bug: should be δ·W
	return gx
}

// WithLabBug gives every hidden layer of net (every layer but the output
// layer, which starts from the exact δ⁽ʰ⁾ = (a − y)/N) the lab's bug, in
// place, and returns net. With one hidden layer the bug is harmless (what
// layer 1 returns is never used); with two or more, W⁽¹⁾ and b⁽¹⁾ get wrong
// gradients.
func WithLabBug(net *nn.Network) *nn.Network {
	for s := 1; s < len(net.Layers); s++ {
		d := net.Dense(s)
		if d == nil {
			panic(fmt.Sprintf("lesson: WithLabBug: layer %d is not an *nn.Dense", s))
		}
		net.Layers[s-1] = LabBugDense{d}
	}
	return net
}

// LabBugWeightGrad returns ∂E/∂W⁽ˢ⁾ as the lab's backward pass computes it:
// each hidden layer hands down g·W (batch form; W⁽ˢ⁾ᵀg per example) instead
// of δ·W, so the ReLU mask of every layer above s is lost. It equals the
// true gradient for s ≥ h−1 and differs below that (see LabBugMarkdown).
func LabBugWeightGrad(t *Trace, s int) *mat.Dense {
	t.Layer(s) // range check
	top := t.Layer(t.H())
	g := new(mat.Dense) // ∂E/∂a⁽ʰ⁻¹⁾ as the lab passes it: exact at the top
	g.Mul(top.Delta, top.W)
	for k := t.H() - 1; k >= s; k-- {
		l := t.Layer(k)
		if l.DPhi == nil {
			panic(fmt.Sprintf("lesson: LabBugWeightGrad: layer %d's %s is not element-wise", k, l.Act))
		}
		delta := new(mat.Dense)
		delta.MulElem(l.DPhi, g)
		if k == s {
			dW := new(mat.Dense)
			dW.Mul(delta.T(), t.Input(s))
			return dW
		}
		next := new(mat.Dense)
		next.Mul(g, l.W) // the bug: should be delta · W
		g = next
	}
	// s == h: the output layer's gradient is computed from the exact δ⁽ʰ⁾.
	dW := new(mat.Dense)
	dW.Mul(top.Delta.T(), t.Input(s))
	return dW
}

// LabBugMarkdown is the case study of the lab's bug: its dense layer's
// backward pass returns g·Wᵀ instead of δ·Wᵀ. See CheckGrad and LabBugWeightGrad
// for the numbers.
func LabBugMarkdown() string {
	return fmt.Sprintf(`#### Case study: the lab's backward bug

The lab's dense layer receives $g = \partial E / \partial a^{(s)}$, computes $\delta^{(s)} = \varphi'(v^{(s)}) \odot g$ `+
		`and the gradients %s, %s correctly, but then hands the previous layer $W^{(s)\top} g$ instead of $W^{(s)\top} \delta^{(s)}$ `+
		`(in its row form, `+"`g @ W`"+` instead of `+"`delta @ W`"+`):

$$\underbrace{W^{(s)\top} g}_{\text{lab}} \quad\text{instead of}\quad \underbrace{W^{(s)\top} \big(\varphi'(v^{(s)}) \odot g\big)}_{\text{%s}} = \frac{\partial E}{\partial a^{(s-1)}}$$

The mask $\varphi'(v^{(s)})$ of layer $s$ is lost on the way down. With **one** hidden layer nothing breaks: `+
		`the output layer's $\delta^{(h)}$ is exact %s and the only hidden layer applies its own mask. `+
		`With **two or more** hidden layers every layer below the last hidden one gets a wrong $\partial E / \partial a$ `+
		`and a gradient that is off by about 100%%; training still lowers the loss a little, which is why the bug survives. `+
		`A gradient check against finite differences catches it at once.
`, Ref("weight-grad"), Ref("bias-grad"), Ref("hidden-delta"), Ref("output-delta"))
}
