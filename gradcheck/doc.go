// Package gradcheck verifies analytic gradients against central finite
// differences in float64: graders use it to decide whether a student's
// backward pass is right, learners to see that each derived formula is. It
// is built never to call a correct gradient wrong, never to call a wrong
// gradient right, and always to say where a wrong gradient is wrong.
//
// # What it checks
//
//   - Check: any scalar function f(θ) of named parameter tensors (a Func:
//     []nn.Param whose Grad holds the caller's gradient, and a Loss closure).
//   - CheckNetwork: every parameter tensor W1, b1, W2, … of an nn.Network
//     on a batch, for the mean cross-entropy.
//   - CheckLayer: any Layer — nn.Layer, the interface of nn.Dense and of a
//     student's own layer (Forward, Backward, Params) — with a fixed,
//     seeded random upstream gradient G: L(x, θ) = Σ G ⊙ Forward(x), whose
//     gradients are what Backward(G) returns. Its parameters are checked,
//     and so is ∂L/∂x (the matrix Backward returns, a vector-Jacobian
//     product), reported as the pseudo-parameter "x".
//
// # How
//
// Each element θ_k is perturbed in place (and restored bit for bit) and
// the numeric derivative is gonum's fd.Derivative with the fd.Central
// formula, always passed explicitly (fd's default is the forward
// difference):
//
//	n = (f(θ + h·e_k) − f(θ − h·e_k)) / 2h,   h = Options.Step = 1e-5
//
// whose error is h²·|f‴|/6 (truncation) + ≈ε·F/h (rounding; ε = 2.2e-16, F
// the size of the loss's terms, Func.Scale). The analytic value a and n
// are compared with both metrics:
//
//	relative error  r = |a − n| / max(|a| + |n|, tiny)    (a = n = 0 gives 0: a pass)
//	absolute test   |a − n| ≤ atol + rtol·|n|,  atol = ATol + 16·ε·F/h (the noise floor)
//
// and classified:
//
//	r ≤ 1e-7 (or within the absolute test)     good
//	1e-7 < r ≤ 1e-4                            ok (acceptable)
//	1e-4 < r ≤ 1e-2                            suspicious: reported, never failed
//	r > 1e-2 and the absolute test fails       wrong, if so at every step tried
//
// An element that is not clean at h is measured again at h/10, h/100, 10h
// and 100h and keeps its best verdict: a correct gradient is off at h only
// through rounding (cured by a larger step) or truncation (a smaller one),
// while a wrong one is off by the same amount at every step. The noise floor
// lets gradients at the float64 noise level (1e-10 in an O(1) loss) pass;
// it scales with the loss, so the gradients of a function that is itself
// tiny are still checked by their relative error.
//
// Kinks are decided from the function's own values, whatever the layer
// (an nn.Dense or a student's own): a step that crosses a kink near θ is
// cured by a smaller step of the ladder; an element wrong at every step is
// examined for a kink at θ itself. There the one-sided slopes
// R = (f(θ+h) − f(θ))/h and L = (f(θ) − f(θ−h))/h differ by a jump that
// does not shrink with h (for a smooth f, R − L ≈ f″h does): if the jump
// at h/100 is above rounding and at least a third of the jump at h/10, θ is
// at a kink. The derivative there is a convention (ReLU′(0) anywhere in
// [0, 1], for every unit at its kink, and units whose jumps partly cancel
// can give any value), so the element is undecidable at a kink
// (StatusKink, Element.Left and Right): skipped, never failed. A tensor
// whose every element is undecidable is reported so, not as passed;
// checking at another point (random parameters) decides it.
//
// Reading the gradients. CheckLayer calls a layer only as nn.Layer's
// contract allows and reads the gradients right after Backward: a layer
// that clears them in Forward (PyTorch's zero_grad habit) or allocates new
// ones in Backward passes; Backward gets a copy of G, which it may
// overwrite. A loss that is not finite at θ (huge weights overflow the
// cross-entropy) is an error of the check, Report.CheckError
// (ErrLossNotFinite), not a wrong gradient.
//
// Diagnosis. Each wrong tensor's analytic values are compared with what
// the known mistakes predict from the numeric ones (see Cause: transposed,
// scaled by a constant, φ′ missing or from the wrong tensor, never written,
// stale, accumulated, only the first example, rows permuted, the bias
// summed over the wrong axis or averaged, signs flipped in some rows, the
// lab's G·W, the input modified in place). In a layer check the layer is
// read as A = φ(X·Wᵀ + 1bᵀ): Δ is recovered from the numeric ∂L/∂x = Δ·W
// (or ∂L/∂W = Δᵀ·X) by least squares, and CheckLayer runs the layer on
// other data first, and once more on the same data after a failure, to
// tell stale and accumulated gradients. The closest cause is stated first,
// certain only when it reproduces the analytic values to the numeric error
// and no other cause does; when nothing fits, the diagnosis says so.
// ExplainPanic turns a panic of a learner's code into their own file:line,
// the operands' shapes and the shape rules that fit.
//
// Which elements. Mode Auto (the default) checks tensors of up to MaxFull
// (4096) elements in full, and every vector (a bias) in full whatever its
// size; larger matrices get a seeded, stratified spot check of Samples
// (1024) elements: every row gets ⌊Samples/rows⌋ or ⌈…⌉ of them and the
// columns are covered evenly, so a bug confined to one unit is still seen.
// Mode Full checks everything. Mode Directional compares one random unit
// direction d per tensor, (f(θ+hd) − f(θ−hd))/2h against ⟨∇f, d⟩ — two
// evaluations per tensor — and checks element by element, to localise it,
// any tensor whose direction is not clean. The seed is in every report.
//
// For learners, StepSweep shows the error against h (truncation on the
// right, rounding on the left, central against forward differences), and
// TaylorTest is an h-free test: along a random direction the remainder
// |f(θ+hd) − f(θ) − h⟨∇f, d⟩| shrinks as h² for a right gradient and as h
// for a wrong one. Both return their data as slices, for plotting, and
// render as text.
//
// # Reports
//
// A Report holds, per tensor, the counts checked, failed, suspicious and
// undecidable at kinks, the largest relative error, the worst element
// (row, col) with its analytic and numeric values, the TopK worst and, if
// it is wrong, its Diagnosis, which every rendering states first. It renders as
// a text table (String), as self-contained HTML for notebooks (HTML), and
// as short student-friendly sentences with a hint (TensorResult.Message,
// Assert). These print the numeric (expected) values, so they are for
// learners' own checks and graders' tests, not for graded verdicts.
//
// # Quick start for graders
//
// In a grader's test, one line per check:
//
//	func TestStudentLayer(t *testing.T) {
//		x := mat.NewDense(4, 6, nil) // fill with data
//		gradcheck.AssertLayer(t, student.NewLayer(6, 5), x, nil)
//	}
//
// which fails with, for example,
//
//	gradient with respect to the input x (the matrix Backward returns) is wrong:
//	cause (certain): G·W instead of Δ·W (the lab's bug): the φ′ mask is missing
//	from the gradient passed down; analytic = G·W on 24 checked element(s) …
//
// In CI, without writing Go: go run ./cmd/gradcheck [-json] DIR checks the
// layer built by DIR's exported func NewLayer(nIn, nOut int) L and exits
// non-zero if a gradient is wrong (see cmd/gradcheck and package grading).
//
// # Conventions
//
// Parameters are perturbed in place and restored bit for bit; Grad
// matrices are only read (CheckNetwork and CheckLayer first run the
// backward pass that fills them). Layers that offer nn.Cloner (nn.Dense
// does) are checked on copies, concurrently (Options.Workers); anything
// else in place on one goroutine. A layer that offers nn.Perturbable
// recomputes only what one changed element changes (for nn.Dense one
// column of V), which keeps the full check of the lab's network near a
// second; a student's layer may offer both interfaces too.
// Programmer errors (a nil or misshapen gradient, duplicate names) panic;
// a panic of the checked code reaches the caller.
package gradcheck
