// Package worker is the learner's side of a graded run: the only code of
// ours linked with a learner's code. A worker program is the learner's
// functions (Funcs) and a generated main that calls Serve; it answers the
// judge's queries (Query, Answer) over two pipes and decides nothing.
//
// The judge (package grading, in the parent process, built only from this
// module) starts one worker per exercise (Start), in its own process group
// and with a time limit, sends every input as a fresh matrix on every
// query, and compares every answer with the course's reference on inputs
// it draws itself. Nothing the worker prints, writes or exits with is a
// verdict: there is no key and no signed record. A worker that dies, hangs
// or answers garbage fails the exercise with that reason.
//
// Protocol: the judge writes Query values to the worker's fd 3 and reads
// Answer values from its fd 4, one answer per query, in order, each a
// frame: its length (4 bytes, little-endian, at most MaxFrame) and its gob
// encoding. gob carries float64 bit-exact (NaN and ±Inf included), so no
// value crosses as a decimal; the length comes first so that the judge
// never allocates what a forged header claims. The learner's stdout and stderr are the
// worker's own and are only shown, marked, under a failed verdict.
//
// The same Session answers in-process (Session.Ask), which is how the
// practice check cells in the learner's own kernel run: there a learner
// can only fool themselves, and it is not a grading path.
package worker
