package lesson

import (
	"fmt"
	"regexp"
	"strings"
)

// DerivationStep is one numbered step of the backprop derivation. The steps
// are the single source of the equations, their numbers and notation: the
// notebooks render them with Markdown and cite them by number (Step(key).N).
type DerivationStep struct {
	N     int    // equation number, 1 … len(Derivation())
	Key   string // stable name, e.g. "output-delta"
	Title string
	// Prose explains the step (Markdown with $…$ inline math).
	Prose string
	// Work is the worked derivation, one display-math line each (LaTeX,
	// without $$); may be empty.
	Work []string
	// Result is the equation the step establishes (LaTeX, without $$).
	Result string
	// Batch is the same equation in the code's batch form, one example per
	// row, with shapes (LaTeX); empty when it does not change.
	Batch string
}

// steps is the derivation. Notation (the package doc): W⁽ˢ⁾ ∈ ℝ^(n_out×n_in),
// u = W a, v = u + b, a = φ(v), δ = ∂E/∂v, E with the ln, ReLU′(0) = 0.
// The numbers are assigned from the order here.
var steps = []DerivationStep{
	{
		Key: "notation", Title: "Notation",
		Prose: `The network has layers $s = 1, \dots, h$; layer $h$ is the output layer. ` +
			`Layer $s$ has weights $W^{(s)} \in \mathbb{R}^{n_{\text{out}} \times n_{\text{in}}}$, ` +
			`a bias $b^{(s)} \in \mathbb{R}^{n_{\text{out}}}$ and an activation $\varphi^{(s)}$. ` +
			`Vectors are columns; the input is $a^{(0)} = x \in \mathbb{R}^{n_{\text{in}}}$ and the target $y$ is one-hot.`,
		Result: `W^{(s)} \in \mathbb{R}^{n_{\text{out}} \times n_{\text{in}}}, \quad b^{(s)} \in \mathbb{R}^{n_{\text{out}}}, \quad a^{(0)} = x`,
	},
	{
		Key: "linear", Title: "Weighted sum",
		Prose:  `Each unit $i$ of layer $s$ adds up its inputs weighted by row $i$ of $W^{(s)}$: $u_i = \sum_j W_{ij} a_j$.`,
		Result: `u^{(s)} = W^{(s)} a^{(s-1)} \qquad (n_{\text{out}}) = (n_{\text{out}} \times n_{\text{in}})(n_{\text{in}})`,
		Batch:  `U^{(s)} = A^{(s-1)} W^{(s)\top} \qquad (N \times n_{\text{in}})(n_{\text{in}} \times n_{\text{out}}) \to N \times n_{\text{out}}`,
	},
	{
		Key: "bias", Title: "Bias",
		Prose:  `The bias shifts each unit's sum; $v$ is the pre-activation.`,
		Result: `v^{(s)} = u^{(s)} + b^{(s)}`,
		Batch:  `V^{(s)} = U^{(s)} + \mathbf{1} b^{(s)\top} \qquad b^{(s)\top} \text{ added to every row}`,
	},
	{
		Key: "bias-trick", Title: "The bias trick",
		Prose: `Appending a constant 1 to the input and the column $b$ to $W$ folds the bias into the weights ` +
			`(the lab does this). The code keeps $b$ separate, which is the same computation.`,
		Work:   []string{`\Big(\begin{bmatrix} W^{(s)} & b^{(s)} \end{bmatrix} \begin{bmatrix} a^{(s-1)} \\ 1 \end{bmatrix}\Big)_i = \sum_j W^{(s)}_{ij} a^{(s-1)}_j + b^{(s)}_i \cdot 1`},
		Result: `\begin{bmatrix} W^{(s)} & b^{(s)} \end{bmatrix} \begin{bmatrix} a^{(s-1)} \\ 1 \end{bmatrix} = W^{(s)} a^{(s-1)} + b^{(s)} = v^{(s)}`,
	},
	{
		Key: "activation", Title: "Activation",
		Prose:  `The activation is applied to each unit of a hidden layer; the output layer uses softmax (@softmax).`,
		Result: `a^{(s)} = \varphi^{(s)}\big(v^{(s)}\big)`,
		Batch:  `A^{(s)} = \varphi^{(s)}\big(V^{(s)}\big) \qquad \text{element by element (softmax: row by row)}`,
	},
	{
		Key: "relu", Title: "ReLU and its derivative",
		Prose: `ReLU has no derivative at its kink $v = 0$; we take $\mathrm{ReLU}'(0) = 0$ as a convention ` +
			`(any value in $[0, 1]$ is a subgradient). $\mathbf{1}[\cdot]$ is 1 when the condition holds, else 0.`,
		Result: `\mathrm{ReLU}(v) = \max(0, v), \qquad \mathrm{ReLU}'(v) = \mathbf{1}[v > 0]`,
	},
	{
		Key: "softmax", Title: "Softmax",
		Prose: `The output layer turns its pre-activations into probabilities. Subtracting $m = \max_k v_k$ ` +
			`changes nothing mathematically but keeps $e^{v_i - m} \le 1$, so nothing overflows.`,
		Result: `a_i = \frac{e^{v_i}}{\sum_k e^{v_k}} = \frac{e^{v_i - m}}{\sum_k e^{v_k - m}}, \qquad m = \max_k v_k`,
	},
	{
		Key: "cross-entropy", Title: "Cross-entropy loss",
		Prose: `The loss is the mean over the $N$ examples of the batch of $-\sum_j y_j \ln a_j$; ` +
			`with one-hot $y$ only the term of the true class $c_n$ remains. (The lab's text drops the $\ln$.)`,
		Result: `E = -\frac{1}{N} \sum_{n=1}^{N} \sum_j y_{nj} \ln a^{(h)}_{nj} = -\frac{1}{N} \sum_{n=1}^{N} \ln a^{(h)}_{n c_n}`,
	},
	{
		Key: "delta", Title: "The error signal δ",
		Prose: `Backpropagation computes, layer by layer from the output down, the derivative of the loss ` +
			`with respect to each pre-activation. Everything else follows from $\delta$. ` +
			`Below we derive for one example ($N = 1$); the batch mean divides by $N$ (@batch).`,
		Result: `\delta^{(s)} = \frac{\partial E}{\partial v^{(s)}}`,
	},
	{
		Key: "softmax-jacobian", Title: "Derivative of softmax",
		Prose: `Differentiate $a_i = e^{v_i} / S$ with $S = \sum_k e^{v_k}$ by the quotient rule; ` +
			`$\partial S / \partial v_k = e^{v_k}$.`,
		Work: []string{
			`\frac{\partial a_i}{\partial v_k} = \frac{\mathbf{1}[i = k]\, e^{v_i} S - e^{v_i} e^{v_k}}{S^2} = a_i \mathbf{1}[i = k] - a_i a_k`,
		},
		Result: `\frac{\partial a_i}{\partial v_k} = a_i \big(\mathbf{1}[i = k] - a_k\big)`,
	},
	{
		Key: "output-delta", Title: "Output delta",
		Prose: `By the chain rule through every output $a_i$, with $\partial E / \partial a_i = -y_i / a_i$ from (@cross-entropy) ` +
			`and (@softmax-jacobian), and $\sum_i y_i = 1$: the $1/a_i$ cancels, so softmax with cross-entropy gives a simple, ` +
			`numerically safe $\delta$.`,
		Work: []string{
			`\delta^{(h)}_k = \sum_i \frac{\partial E}{\partial a_i} \frac{\partial a_i}{\partial v_k} = \sum_i \Big(-\frac{y_i}{a_i}\Big) a_i \big(\mathbf{1}[i = k] - a_k\big) = -y_k + a_k \sum_i y_i = a_k - y_k`,
		},
		Result: `\delta^{(h)} = a^{(h)} - y`,
		Batch:  `\Delta^{(h)} = \tfrac{1}{N}\big(A^{(h)} - Y\big) \qquad N \times n_h`,
	},
	{
		Key: "hidden-delta", Title: "Hidden delta (the backward recursion)",
		Prose: `$v^{(s-1)}_j$ reaches the loss only through $a^{(s-1)}_j$, which feeds every unit $i$ of layer $s$ ` +
			`with weight $W^{(s)}_{ij}$. Sum over those paths: the product $W^{(s)\top} \delta^{(s)}$ is ` +
			`$\partial E / \partial a^{(s-1)}$, and the local derivative $\varphi'$ multiplies it element by element ($\odot$).`,
		Work: []string{
			`\delta^{(s-1)}_j = \sum_i \frac{\partial E}{\partial v^{(s)}_i} \frac{\partial v^{(s)}_i}{\partial a^{(s-1)}_j} \frac{\partial a^{(s-1)}_j}{\partial v^{(s-1)}_j} = \Big(\sum_i \delta^{(s)}_i W^{(s)}_{ij}\Big) \varphi'\big(v^{(s-1)}_j\big)`,
		},
		Result: `\delta^{(s-1)} = \varphi'\big(v^{(s-1)}\big) \odot \big(W^{(s)\top} \delta^{(s)}\big)`,
		Batch:  `\Delta^{(s-1)} = \varphi'\big(V^{(s-1)}\big) \odot \big(\Delta^{(s)} W^{(s)}\big) \qquad (N \times n_{\text{out}})(n_{\text{out}} \times n_{\text{in}}) \to N \times n_{\text{in}}`,
	},
	{
		Key: "weight-grad", Title: "Weight gradient",
		Prose: `$W^{(s)}_{ij}$ appears only in $v^{(s)}_i = \sum_j W^{(s)}_{ij} a^{(s-1)}_j + b^{(s)}_i$, ` +
			`so its gradient is $\delta^{(s)}_i$ times the input it multiplies: an outer product.`,
		Work:   []string{`\frac{\partial E}{\partial W^{(s)}_{ij}} = \frac{\partial E}{\partial v^{(s)}_i} \frac{\partial v^{(s)}_i}{\partial W^{(s)}_{ij}} = \delta^{(s)}_i\, a^{(s-1)}_j`},
		Result: `\frac{\partial E}{\partial W^{(s)}} = \delta^{(s)} a^{(s-1)\top} \qquad (n_{\text{out}} \times 1)(1 \times n_{\text{in}})`,
		Batch:  `\frac{\partial E}{\partial W^{(s)}} = \Delta^{(s)\top} A^{(s-1)} \qquad (n_{\text{out}} \times N)(N \times n_{\text{in}}) \to n_{\text{out}} \times n_{\text{in}}`,
	},
	{
		Key: "bias-grad", Title: "Bias gradient",
		Prose:  `$\partial v^{(s)}_i / \partial b^{(s)}_i = 1$: the bias gradient is $\delta$ itself (the weight of the constant input 1 in (@bias-trick)).`,
		Result: `\frac{\partial E}{\partial b^{(s)}} = \delta^{(s)}`,
		Batch:  `\frac{\partial E}{\partial b^{(s)}} = \Delta^{(s)\top} \mathbf{1} \qquad \text{column sums of } \Delta^{(s)} \to n_{\text{out}}`,
	},
	{
		Key: "batch", Title: "A batch: one example per row",
		Prose: `The code stacks $N$ examples as the rows of matrices ($X$, $U$, $V$, $A$, $\Delta$ are $N \times n$), ` +
			`so every equation is transposed. $E$ is the batch mean, so each row of $\Delta^{(h)}$ carries a $1/N$, ` +
			`and the products $\Delta^\top A$ sum the per-example gradients. ` +
			`So $\delta$ has two readings: for one example $\delta^{(h)} = a - y$; in a batch, row $n$ of $\Delta^{(h)}$ is ` +
			`$\delta^{(h)}_n = (a_n - y_n)/N$, the derivative of the mean, and every $\delta$ below it carries the same $1/N$.`,
		Result: `V^{(s)} = A^{(s-1)} W^{(s)\top} + \mathbf{1} b^{(s)\top}, \quad \Delta^{(h)} = \tfrac{1}{N}\big(A^{(h)} - Y\big), \quad \Delta^{(s-1)} = \varphi'\big(V^{(s-1)}\big) \odot \big(\Delta^{(s)} W^{(s)}\big), \quad \frac{\partial E}{\partial W^{(s)}} = \Delta^{(s)\top} A^{(s-1)}`,
	},
	{
		Key: "sgd", Title: "Gradient descent step",
		Prose: `After each mini-batch every parameter $\theta$ ($W^{(s)}$ and $b^{(s)}$ of every layer) moves ` +
			`against its gradient, scaled by the learning rate $\eta$.`,
		Result: `\theta \leftarrow \theta - \eta\, \frac{\partial E}{\partial \theta}`,
	},
}

// init numbers the steps and resolves the cross-references "(@key)" in
// their prose, so no equation number is written by hand.
func init() {
	num := map[string]int{}
	for i := range steps {
		steps[i].N = i + 1
		num[steps[i].Key] = i + 1
	}
	for i := range steps {
		steps[i].Prose = refPattern.ReplaceAllStringFunc(steps[i].Prose, func(m string) string {
			key := m[2 : len(m)-1]
			n, ok := num[key]
			if !ok {
				panic(fmt.Sprintf("lesson: step %q refers to unknown step %q", steps[i].Key, key))
			}
			return fmt.Sprintf("(%d)", n)
		})
	}
}

var refPattern = regexp.MustCompile(`\(@[a-z-]+\)`)

// Derivation returns all steps of the derivation, numbered from 1.
func Derivation() []DerivationStep {
	return append([]DerivationStep(nil), steps...)
}

// Step returns the step with the given key ("output-delta", "hidden-delta",
// "weight-grad", "bias-trick", "softmax", "cross-entropy", …). It panics on
// an unknown key, listing the known ones.
func Step(key string) DerivationStep {
	for _, s := range steps {
		if s.Key == key {
			return s
		}
	}
	keys := make([]string, len(steps))
	for i, s := range steps {
		keys[i] = s.Key
	}
	panic(fmt.Sprintf("lesson: no derivation step %q (known: %s)", key, strings.Join(keys, ", ")))
}

// ref returns the reference "(n)" to the step with the given key, for prose
// that must not hard-code equation numbers.
func ref(key string) string { return fmt.Sprintf("(%d)", Step(key).N) }

// Markdown renders the step for Jupyter (gonbui.DisplayMarkdown): a heading,
// the prose, the worked lines and the numbered result as display math, and
// the batch form when there is one.
func (s DerivationStep) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#### (%d) %s\n\n%s\n\n", s.N, s.Title, s.Prose)
	for _, w := range s.Work {
		fmt.Fprintf(&b, "$$%s$$\n\n", w)
	}
	fmt.Fprintf(&b, "$$\\boxed{%s} \\qquad (%d)$$\n", s.Result, s.N)
	if s.Batch != "" {
		fmt.Fprintf(&b, "\nBatch form (one example per row): $%s$\n", s.Batch)
	}
	return b.String()
}

// derivationMarkdown renders the steps with the given keys (all of them when
// none are given), in the order given, separated by blank lines.
func derivationMarkdown(keys ...string) string {
	sel := steps
	if len(keys) > 0 {
		sel = make([]DerivationStep, len(keys))
		for i, k := range keys {
			sel[i] = Step(k)
		}
	}
	parts := make([]string, len(sel))
	for i, s := range sel {
		parts[i] = s.Markdown()
	}
	return strings.Join(parts, "\n")
}

// ResultMarkdown renders only the boxed, numbered result of the step, for
// stating an equation whose derivation comes elsewhere.
func (s DerivationStep) ResultMarkdown() string {
	return fmt.Sprintf("$$\\boxed{%s} \\qquad (%d)$$\n", s.Result, s.N)
}
