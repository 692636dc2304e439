// Package runner runs a generated grading program that contains a learner's
// code, and takes its verdicts only from a channel the learner's code cannot
// write.
//
// A grading command (cmd/gradcheck, cmd/nbgrade) builds one program from
// the learner's code and a generated main that calls Serve with the checks
// ("units"), then calls Run. Run starts the program once per unit, in a
// fresh empty working directory and its own process group, with:
//
//   - fd 3: a pipe holding a fresh 256-bit key, written and closed by the
//     parent before the child starts. The child reads it in this package's
//     init and closes it: the key then lives only in an unexported
//     variable. That init runs before any of the learner's code: the
//     learner's code is package main (cmd/nbgrade), which Go initialises
//     last, or packages that each import this one (cmd/gradcheck adds the
//     import to every package of the student's module with go build
//     -overlay), which Go initialises after it.
//   - fd 4: the results pipe. Serve runs the unit, then writes two records,
//     the verdict and "complete", each a line "HMAC-SHA256(key, json) json"
//     with a sequence number and the unit's name inside the JSON.
//   - stdout and stderr: the learner's output, kept (up to a limit) apart
//     from the verdict, shown under it, never parsed as one (except to name
//     the panic that crashed the program).
//
// The parent believes a verdict only if its record and the "complete"
// record after it carry the right MAC, sequence and unit, and no other
// line arrived: a line with a bad MAC fails the unit ("your code wrote to
// the grader's results channel"), since a correct submission never writes
// there. Anything else is a failed unit with the reason the parent saw: "your code ended the
// grading process early (exit status 0)", "timed out after 10s",
// "panicked: … (at In [7], line 3)", "crashed: fatal error: …". The exit
// status, stdout and files of the child decide nothing; the parent's exit
// status is its own.
//
// Serve runs only when called by main.main, once: learner code calling it
// with units of its own reports nothing.
//
// What this does not stop: code in the same process can read memory, so a
// submission that imports unsafe, syscall, cgo ("C"), plugin or
// golang.org/x/sys could in principle find the key. CheckImports therefore
// admits only an allowlist of imports (Allowed) and refuses writes to
// other packages' variables (see CheckImports); the container a grader
// runs this in must still provide the isolation (no network, CPU and
// memory limits, a read-only file system except a scratch directory, a
// fresh container per submission): see the
// README's "For graders".
package runner
