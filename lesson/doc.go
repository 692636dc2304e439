// Package lesson is what the backprop notebooks call: traces of a forward and
// backward pass, the derivation as Markdown + LaTeX, numeric checks of its
// equations, and charts. It is the only package of the project that knows
// about notebooks and charts; nn, gradcheck and mnist stay UI-free.
//
// # Pure functions first, display second
//
// Everything returns values or strings (HTML, Markdown, plain text) and
// works, and is tested, outside Jupyter. The Display functions are a thin
// layer over GoNB's gonbui: each shows one rendering and calls gonbui.Sync.
// Outside a notebook (gonbui.IsNotebook false) they do nothing.
//
// # Notation
//
// The derivation's notation (the project's design notes, §2) is used everywhere:
// layers s = 1 … h counted from the input, W⁽ˢ⁾ ∈ ℝ^(n_out×n_in),
// u = W a, v = u + b, a = φ(v), a⁽⁰⁾ = x, softmax output, E the mean
// cross-entropy with the ln, δ = ∂E/∂v, ReLU′(0) = 0. The equations and their
// numbers live in one place, Derivation; prose elsewhere refers to them with
// Ref so numbers cannot drift between notebooks.
//
// Batches follow package nn: one example per row, so a Trace's U, V, A,
// DPhi, Delta are N×n_out with example n in row n, and δ includes the 1/N of
// the batch mean. Traces hold copies, never views of nn's buffers.
//
// # Charts
//
// Charts are built with go-echarts and drawn by Apache ECharts 5.6.0 in the
// browser, fully offline. The library is not part of the repository: fetch
// it once with
//
//	go run github.com/backprop-lab/backprop/lesson/cmd/fetch-echarts
//
// (see package lesson/assets; $BACKPROP_ECHARTS may point to another copy).
// A notebook displays ChartsInitHTML once, in a setup cell
// (DisplayChartsInit): it inlines the library in a script, hiding an AMD
// define (RequireJS in classic Notebook) while it runs so that window.echarts
// is always set. Each Chart's HTML is then small: a div with a visible
// fallback message and a script that waits for window.echarts and draws. No
// output refers to a URL. StandaloneHTML and SaveHTML write pages with the
// library inlined, which work from file://.
//
// Chart HTML is deterministic (ids are hashes of the content), so it is
// checked against golden files; a browser test has headless Chromium draw
// every chart kind under each loader path.
//
// # Errors and panics
//
// As in nn: inconsistent shapes or arguments are programmer errors and
// panic with both sizes in the message; a missing library is an error.
package lesson
