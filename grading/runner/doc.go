// Package runner builds a learner's code into a grading program and checks
// that code's source before it is built.
//
// Build writes a generated module (the learner's files and a generated
// main) and builds it with the go command, offline when the module cache
// has the dependencies; a build that outlives its time limit is killed
// with its whole process group. CheckImports refuses, before anything is
// built, code the source rules forbid (imports outside an allowlist,
// writes to another package's variables, compiler directives), naming the
// cell or file and line.
//
// The program built is a worker (package grading/worker): it only answers
// the judge's queries, and nothing it prints, writes or exits with is a
// verdict (package grading decides every verdict). The source rules are
// therefore not what makes a verdict trustworthy; they keep learner code
// from deriving nothing (calling package nn's own backward pass) and give
// clear messages. The container a grader runs this in must still provide
// the isolation (no network, CPU and memory limits, a read-only file
// system except a scratch directory, a fresh container per submission):
// see the README's "For graders".
package runner
