// Package fastblas is a pure-Go (Go assembly, no cgo) BLAS for float64
// whose matrix product, Dgemm, runs near the peak of the CPU, so that the
// MLP trainer in package nn keeps using plain gonum/mat calls and still
// beats numpy.
//
// # Use
//
// Implementation embeds gonum's pure-Go BLAS (gonum.org/v1/gonum/blas/gonum)
// and overrides Dgemm. One line makes every gonum/mat product (Mul, MulTrans
// via .T(), …) use it:
//
//	blas64.Use(fastblas.Implementation{})
//
// Package nn runs it in its init (nn.UseFastBLAS); nn.UseGonumBLAS and
// BACKPROP_BLAS=gonum undo it. The package is internal to nn: Kernel,
// SetKernel and SetThreads are for nn's tests and benchmarks.
//
// Dgemm has gonum's semantics exactly: C = alpha·op(A)·op(B) + beta·C,
// row-major, with the same argument checks in the same order and the same
// panic messages. Following reference BLAS, C is not read when beta == 0
// (NaN or Inf already in C does not propagate), and A and B are not read
// when alpha == 0 or k == 0 (gonum multiplies by the zero alpha, so an Inf
// in A or B would give NaN there; with finite inputs both agree). Only the m×n part of C is written; padding
// between rows (ldc > n) is never touched. Results differ from gonum's in
// the last bits only (another summation order, fused multiply-adds).
//
// # Kernels
//
// The product is computed in register tiles ("micro-kernels"):
//
//   - "avx512": 8×24 tile, 24 ZMM accumulators, Go assembly (AVX-512F).
//     Used when the CPU and OS support AVX-512F.
//   - "avx2": 6×8 tile, 12 YMM accumulators, Go assembly (AVX2+FMA).
//   - "generic": 4×2 tile in plain Go (a 4×4 tile spilled its accumulators
//     on amd64), the default on other architectures and with the purego
//     build tag.
//   - "gonum": no kernel; the product goes to gonum's own Dgemm (after
//     fastblas's checks). The default on amd64 CPUs without AVX2 and FMA,
//     where gonum's SSE2 assembly beats scalar Go.
//
// The best available kernel is chosen at start-up with golang.org/x/sys/cpu
// (which also checks that the OS saves the vector registers). Kernel
// reports it, Kernels lists the alternatives and SetKernel("generic")
// forces the portable path at run time, e.g. in tests and benchmarks;
// building with -tags purego removes the assembly altogether.
//
// On the reference machine (AMD Zen 5, 2 cores, ~3.5 GHz) the 8×24 kernel
// runs at ~107 GFLOP/s per core with its operands in L1, over 90% of the
// 512-bit FMA peak; the 6×8 one at ~55, the 256-bit peak. Zen 5 executes
// 512-bit FMAs at full width; on Zen 4, which splits them in two, both
// kernels have the same peak.
//
// The peak is measured, not assumed: each assembly kernel comes with a
// register-only loop of independent FMAs of its vector width (fmaLoop256:
// 12 accumulators, fmaLoop512: 24, enough to cover the FMA latency on two
// pipes), and the benchmarks time it on every core at once, one goroutine
// locked to each thread (BenchmarkFMAPeak; best of 1 ms bursts). %peak in
// BenchmarkDgemm and TestBestOf divides by that figure, measured in the
// same run. On a 2-core AMD EPYC with AVX2 (no AVX-512) it measured
// 50.8 GFLOP/s on one core and 96.6 on two (16 flops per cycle per core at
// about 3.2 GHz).
//
// # Blocking
//
// The driver follows Goto and van de Geijn ("Anatomy of high-performance
// matrix multiplication", 2008) and BLIS: loops over column blocks of
// width nc, depth blocks of kc and row blocks of mc around the kernel, so
// that a kc×nr micro-panel of B stays in L1 while the mc×kc block of A is
// reused from L2. Block sizes are split evenly (k = 784 with kc = 400
// gives two blocks of 392, not 400 + 384) and are, per kernel:
//
//	avx512: kc 400, mc 96, nc 2400   avx2: kc 256, mc 96, nc 2048
//
// kc = 400 was measured best for the 8×24 kernel: it halves the
// read-modify-write passes over a tall C (the 10000×96 evaluation product)
// compared with 256, the step shapes do not care, and square products
// (1000³) also run at 80-90 GFLOP/s per core with it. Unlike BLIS, A is
// never packed: the kernel broadcasts A's elements one by one, so it reads
// them in place through two strides whatever the transpose. B is read in
// place too when its rows are contiguous (B not transposed); a transposed
// B is packed into nr-wide panels by an AVX2 4×4-transpose routine. For
// the training shapes (k·(m+n) values against 2·m·n·k flops) avoiding the
// copies matters: packing A as well made 200×96×784 30% slower (AVX2
// kernel, plain Go packer). Tiles at
// the bottom and right edges pack their few rows or columns into
// zero-padded panels and go through a scratch tile. The AVX2 kernel has
// two edge kernels of the same contract: 6×4 for a right edge of at most
// 4 columns and 4×8 for a bottom edge of at most 4 rows, so that the
// lab's 10 outputs (8 + 2 columns, 6 + 4 rows) waste less of the tile:
// 200×10×96 and 10×96×200 on one core ran 15% faster with them.
//
// # Zero skipping
//
// An image is mostly background, and a product term with a +0 factor adds
// nothing: the FMA sums keep their bits whether it is added or not, as
// long as the other factor is finite (0·Inf and 0·NaN are NaN). So a full
// tile leaves out its all-zero steps: X·W⁽¹⁾ᵀ packs the columns of each
// 6-row panel of X that are not all +0 (on MNIST batches 44 % of them)
// and finds W⁽¹⁾ᵀ's rows by offset (kern6x8OffB); Δ⁽¹⁾ᵀ·X packs the rows
// of each 4-column panel of X that are not all +0 (28 %; 40 % of an
// 8-column panel's) and finds Δ⁽¹⁾ᵀ's columns by offset (kern12x4OffA,
// which loads a column of Δ⁽¹⁾ᵀ as 3 vectors and broadcasts B, 8 loads for
// 12 FMAs, and transposes its accumulators at the end: on 200 images the
// product took 15 % less time than with 8-column panels and the 6×8
// tile). The packers are AVX2 (packNZ6 tests
// four columns at once and passes over four zero ones unread). Nothing
// is skipped against an Inf or NaN: a block of k checks the B it packed
// facing a sparse A, a call checks the A facing a sparse B, once (every
// block reads all of it). A call whose first packed panel has no zero step
// runs dense, so a dense operand costs one panel's packing. The results
// are the dense product's, bit for bit: TestZeroSkipSameBits compares them with zero skipping off
// (SetZeroSkip) on sparse, all-zero and dense operands, with -0 among the
// zeros and an Inf or NaN facing a zero step. The kernels are AVX2 only;
// on an AVX-512 kernel every product is dense.
//
// # Threads
//
// Products whose kernels execute at least 2¹⁹ multiply-adds (about 10 µs
// on one core; the small products of a training step stay below) are cut
// into blocks of whole tiles of C (up to 4 per core; with a packed B, 1
// when the split is by rows and 2 when by columns, fewer where a block
// would then hold fewer than 3 panels, never fewer than one per core), by
// columns or by rows,
// whichever duplicates the smaller operand (each block reads all of the
// other one), except that an A that looks sparse (half its first row +0)
// and qualifies for zero skipping is split by rows, so that no two blocks
// pack the same rows of it. The caller and a persistent pool of GOMAXPROCS-1 worker
// goroutines claim the blocks from an atomic counter, so on a busy
// machine the caller computes the block of a worker that the OS has not
// scheduled yet instead of waiting for it. A call is handed to the
// workers as a pooled struct through a buffered channel, so it allocates
// nothing, and workers poll ~100 µs for the next call before blocking,
// because the products of a training step come back to back and waking a
// parked goroutine costs tens of µs; the caller waits for the last block
// by spinning for 20 µs, then blocks (a worker that slow has likely been
// preempted, and a spinning caller would hold the core it could use). With GOMAXPROCS=1 or SetThreads(1) everything runs on
// the caller.
// Packing buffers come from a sync.Pool; in steady state Dgemm does not
// allocate, and it is safe for concurrent use.
//
// Overlap(t, u) uses the same pool for two independent pieces of work that
// are each too small to split: t is handed out as a one-block call while
// the caller runs u, and the caller takes t back if no worker has claimed
// it by then. Package nn runs the output layer's two backward products
// (∂E/∂W⁽²⁾ and Δ⁽²⁾·W⁽²⁾) and the two halves of W⁽¹⁾'s SGD update so. Which
// goroutine runs a block or a task never changes its result.
//
// The kernels' repeated blocks are #define macros, each written once: a
// k-step of a 6×8, 4×8 or 6×4 tile and a row of the epilogue in
// kernel_amd64.s, a k-step of the 8×24 tile and a row of its epilogue in
// kernel512_amd64.s. The macros assemble to the very instructions the
// written-out kernels had (the object files' code bytes compared equal).
//
// # Tests
//
// Every available kernel (so the generic one also on amd64) is compared
// with gonum's reference Dgemm: all four transpose combinations, every
// shape with m, n ≤ 17 and k ≤ 17, sizes around the tiles and blocks
// (31…257), the shapes of a training step, padded strides whose padding
// holds NaN (A, B: must not leak into C) or a sentinel (C: must not
// change), alpha ∈ {0, 1, −0.5, 2}, beta ∈ {0, 1, 0.5} with NaN in C when
// beta is 0, artificially tiny blocks so that every blocking loop runs,
// and identical panic messages for bad arguments. The tolerance is
// 2·(k+2)·ε·(|alpha|·|A||B| + |beta|·|C|) per element (standard
// dot-product error bound for two implementations). FuzzDgemm does the
// same on fuzzed shapes, transposes, strides and scalars, and a
// gonum/mat test shows the blas64.Use plumbing. Benchmarks report GFLOP/s
// and %peak (of the peak measured in the same run) for each step shape, for
// fastblas and gonum in the same run.
package fastblas
