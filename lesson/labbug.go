package lesson

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/nn"
)

// LabBugDense is an *nn.Dense with the lab's backward bug: Backward computes
// Δ = φ′(V) ⊙ G and the gradients ∂E/∂W = Δᵀ·X, ∂E/∂b = Δᵀ·1 correctly, but
// returns G·W instead of Δ·W, (N×n_out)·(n_out×n_in) → N×n_in, so the layer
// below never sees this layer's ReLU mask φ′(V). See LabBugMarkdown.
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

// LabBugMarkdown is the case study of the lab's bug: its dense layer's
// backward pass hands down Wᵀg instead of Wᵀδ (in batch form G·W instead of
// Δ·W). WithLabBug reproduces it; CheckGrad or package gradcheck catch it,
// and CompareLabBug shows that training hides it.
func LabBugMarkdown() string {
	return fmt.Sprintf(`#### Case study: the lab's backward bug

The lab's dense layer receives $g = \partial E / \partial a^{(s)}$, computes $\delta^{(s)} = \varphi'(v^{(s)}) \odot g$ `+
		`and the gradients %s, %s correctly, but then hands the previous layer $W^{(s)\top} g$ instead of $W^{(s)\top} \delta^{(s)}$ `+
		`(in batch form $G\,W^{(s)}$ instead of $\Delta^{(s)} W^{(s)}$; the lab stores `+"`w`"+` as $n_\text{in} \times n_\text{out}$, our $W^{(s)\top}$, `+
		`so its line `+"`delta_w_next @ self.w.T`"+` is our $G\,W^{(s)}$):

$$\underbrace{W^{(s)\top} g}_{\text{lab}} \quad\text{instead of}\quad \underbrace{W^{(s)\top} \big(\varphi'(v^{(s)}) \odot g\big)}_{\text{%s}} = \frac{\partial E}{\partial a^{(s-1)}}$$

The mask $\varphi'(v^{(s)})$ of layer $s$ is lost on the way down. With **one** hidden layer nothing breaks: `+
		`the output layer's $\delta^{(h)}$ is exact %s and the only hidden layer applies its own mask. `+
		`With **two or more** hidden layers every layer below the last hidden one gets a wrong $\partial E / \partial a$ `+
		`and a gradient that is off by about 100%%; yet training still lowers the loss, about as fast as with the right gradient, `+
		`so no learning curve shows the bug, which is why it survives. `+
		`A gradient check against finite differences catches it at once.
`, ref("weight-grad"), ref("bias-grad"), ref("hidden-delta"), ref("output-delta"))
}
