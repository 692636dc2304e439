// Package lesson is what the backprop notebooks call: traces of a forward
// and backward pass (Trace), the derivation as Markdown + LaTeX
// (Derivation), numeric checks of its equations (Check…), the lab's bug
// (WithLabBug), MNIST helpers and saved models. Charts come from the
// sub-package lesson/chart; the functions here that return charts adapt a
// Trace, an mnist.Set or an nn.Network to it. nn, gradcheck and mnist know
// nothing of notebooks.
//
// Everything returns values or strings (HTML, Markdown, text) and is tested
// outside Jupyter. The Display functions are a thin layer over GoNB's
// gonbui: each shows one rendering and calls gonbui.Sync; outside a
// notebook they do nothing.
//
// Notation, as in the derivation: layers s = 1 … h, W⁽ˢ⁾ ∈ ℝ^(n_out×n_in),
// u = W a, v = u + b, a = φ(v), a⁽⁰⁾ = x, softmax output, E the mean
// cross-entropy with the ln, δ = ∂E/∂v, ReLU′(0) = 0. Batches follow nn: one
// example per row, so a Trace's U, V, A, DPhi, Delta are N×n_out and δ
// includes the 1/N of the batch mean. Inconsistent shapes panic with both
// sizes in the message; missing data or files are errors.
package lesson
