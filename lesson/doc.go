// Package lesson is what the backprop notebooks call: traces of a forward
// and backward pass, the derivation as Markdown + LaTeX, numeric checks of
// its equations, the lab's bug, MNIST helpers and saved models. It is the
// only package of the project, with its sub-package lesson/chart (the
// charts), that knows about notebooks; nn, gradcheck and mnist stay UI-free.
//
// # Pure functions first, display second
//
// Everything returns values or strings (HTML, Markdown, plain text) and
// works, and is tested, outside Jupyter. The Display functions are a thin
// layer over GoNB's gonbui: each shows one rendering and calls gonbui.Sync.
// Outside a notebook (gonbui.IsNotebook false) they do nothing. Charts are
// built and displayed by package lesson/chart; the functions here that
// return charts (ActivationHistograms, OutputBars, SetDigits, …) adapt a
// Trace, an mnist.Set or an nn.Network to it.
//
// # Notation
//
// The derivation's notation is used everywhere: layers s = 1 … h counted
// from the input, W⁽ˢ⁾ ∈ ℝ^(n_out×n_in), u = W a, v = u + b, a = φ(v),
// a⁽⁰⁾ = x, softmax output, E the mean cross-entropy with the ln,
// δ = ∂E/∂v, ReLU′(0) = 0. The equations and their numbers live in one
// place, Derivation; the walkthrough, the checks and the notebooks cite
// them by key, so numbers cannot drift between notebooks.
//
// Batches follow package nn: one example per row, so a Trace's U, V, A,
// DPhi, Delta are N×n_out with example n in row n, and δ includes the 1/N of
// the batch mean. Traces hold copies, never views of nn's buffers.
//
// # Errors and panics
//
// As in nn: inconsistent shapes or arguments are programmer errors and
// panic with both sizes in the message; missing data or files are errors.
package lesson
