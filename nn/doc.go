// Package nn is a small, fully connected neural network (multi-layer
// perceptron) written so that every intermediate value of the forward and
// backward pass can be read: it is the engine behind the backprop lessons and
// the reference that graders check students' gradients against.
//
// # Notation
//
// The package follows the derivation used throughout the project. Layer s
// (s = 1 … h, counted from the input) has weights W⁽ˢ⁾ ∈ ℝ^(n_out×n_in), bias
// b⁽ˢ⁾ ∈ ℝ^(n_out) and activation φ⁽ˢ⁾; a⁽⁰⁾ = x is the input:
//
//	u⁽ˢ⁾ = W⁽ˢ⁾ a⁽ˢ⁻¹⁾          (n_out)
//	v⁽ˢ⁾ = u⁽ˢ⁾ + b⁽ˢ⁾          (n_out)
//	a⁽ˢ⁾ = φ⁽ˢ⁾(v⁽ˢ⁾)           (n_out)
//
// The output layer h uses softmax, a_i = e^{v_i} / Σ_k e^{v_k} (computed with
// the maximum subtracted, so large logits cannot overflow), and the loss is
// the mean cross-entropy over a batch of N examples with one-hot targets y:
//
//	E = −(1/N) Σ_n Σ_j y_j ln a_j
//
// Backpropagation computes δ⁽ˢ⁾ = ∂E/∂v⁽ˢ⁾ from the output down:
//
//	δ⁽ʰ⁾   = (a⁽ʰ⁾ − y) / N                      (softmax + cross-entropy)
//	δ⁽ˢ⁻¹⁾ = φ′(v⁽ˢ⁻¹⁾) ⊙ (W⁽ˢ⁾ᵀ δ⁽ˢ⁾)           (hidden layers)
//	∂E/∂W⁽ˢ⁾ = δ⁽ˢ⁾ a⁽ˢ⁻¹⁾ᵀ,   ∂E/∂b⁽ˢ⁾ = δ⁽ˢ⁾
//
// summed over the batch. ReLU′(0) is taken as 0 (a convention: ReLU has no
// derivative at its kink).
//
// # Batches: one example per row
//
// In code a batch of N examples is an N×n matrix with one example per row (the
// habit of gonum and numpy), so every vector above becomes a row and the
// equations are transposed:
//
//	U = A_prev · Wᵀ            (N×n_in)·(n_in×n_out) → N×n_out
//	V = U + 1 bᵀ               bᵀ added to every row
//	A = φ(V)                   element by element (softmax: row by row)
//	Δ_h = (A − Y) / N          Y is the N×n_out one-hot matrix
//	Δ_prev = φ′(V_prev) ⊙ (Δ · W)   (N×n_out)·(n_out×n_in) → N×n_in
//	∂E/∂W = Δᵀ · A_prev        (n_out×N)·(N×n_in) → n_out×n_in
//	∂E/∂b = Δᵀ · 1             column sums of Δ → n_out
//
// gonum's Mul(a, w.T()) reads Wᵀ without copying it.
//
// # Ownership and mutation
//
// A layer owns the matrices it returns from Forward and Backward and the
// values it caches (x, u, v, a, δ): they stay valid until the next call of
// the same method and are overwritten by it. Copy them (mat.DenseCopyOf) to
// keep them. Backward overwrites the parameter gradients; it never
// accumulates. Bias vectors are stored as n_out×1 column matrices so that
// every parameter is a *mat.Dense.
//
// # Errors and panics
//
// Shape mismatches are programmer errors and panic with both shapes in the
// message. Data problems (a malformed saved network) and numerical problems
// (training diverged to NaN or ±Inf) are returned as errors.
//
// # Determinism
//
// Initialisation and shuffling draw from math/rand/v2's PCG seeded from the
// Seed fields, so the same configuration, data and seed give the same
// weights bit for bit on the same platform.
//
// # Matrix products: a faster BLAS, process-wide
//
// Importing nn replaces the Dgemm (matrix product) of gonum's BLAS for the
// whole process: its init calls blas64.Use with a pure-Go (Go assembly, no
// cgo) implementation that runs the products of training 10–40× faster than
// gonum's own, so notebooks need no set-up line. Every other BLAS routine
// stays gonum's, and results differ from gonum's in the last bits only.
// gonum leaves this choice to the program, so it is reversible:
//
//   - UseGonumBLAS() restores gonum's implementation (UseFastBLAS() plugs
//     the fast one back in), for a program that wants gonum's exact results
//     or shares the process with other gonum code;
//   - the environment variable BACKPROP_BLAS=gonum (EnvBLAS) keeps gonum's
//     implementation from the start, without a code change (a notebook
//     kernel, a grader's go test run); BACKPROP_BLAS=dense keeps the fast
//     one but computes every term of every product, even those with a
//     zero factor that the default leaves out (same results, for timing).
//
// # Input and output
//
// nn knows nothing of notebooks or charts. Its only I/O is Save and Load
// on an io.Writer and io.Reader, and the two conveniences that open a path
// for them: SaveFile (atomic: a temporary file, synced, renamed over the
// target) and LoadFile.
package nn
