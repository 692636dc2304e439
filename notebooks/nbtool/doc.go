// Package nbtool is the machinery that keeps the lesson notebooks
// (notebooks/*.ipynb, run by the GoNB Jupyter kernel) honest: the folder's
// layout (lessons for learners, instructors' sources apart), a reader for
// nbformat 4, the output stripper behind cmd/nbstrip, the student version
// behind cmd/mkstudent, the self-sufficient kernel behind
// cmd/installkernel, and the checks that the tests apply to every
// notebook, before and after execution (with nbconvert and in JupyterLab).
// It does not import package lesson.
//
// # Conventions for a notebook
//
//  1. The first cell is exactly [SetupNote] (markdown) and the second exactly
//     [SetupCell] (%goworkfix). The kernel [Kernel] installs starts every
//     notebook in a Go workspace with this repository, so cells import
//     github.com/backprop-lab/backprop/... from any working directory,
//     headless or live; the setup cell shows that link and fails in a
//     kernel installed any other way.
//
//  2. The third cell is markdown: a "# " title and a "What you will be able
//     to do" list.
//
//  3. Every import is required by the repository's go.mod: GoNB resolves
//     imports from the module cache only (the tests run the kernel with
//     GOPROXY=off), so go.mod is the one source of versions.
//
//  4. The notebook declares its key results as regular expressions (Go
//     syntax) in its metadata, and may pin some to a cell:
//
//     "metadata": {"backprop": {"expect": ["E = 0\\.6781", "accuracy .*%"]}}
//
//     Notebook-level patterns must each match somewhere in the text of all
//     outputs (streams, text/plain, text/markdown, text/html, errors);
//     cell-level ones, in a code cell's metadata, only in that cell's
//     outputs. A notebook without patterns fails the tests.
//
//     A number the prose of a markdown cell quotes from a computation is
//     rendered by a cell or pinned to the output that computes it, in that
//     markdown cell's metadata, at the precision the prose states (see
//     [Pin]):
//
//     "backprop": {"pins": [{"text": "about 200 times", "output": "(\\d+)× lower", "range": [100, 400]}]}
//
//     TestLessonNumerals fails on a numeral of lesson prose that is a
//     claim (see [Claim] for the rule) and not pinned; the execution tests
//     fail on a pin the outputs do not bear out. TestCrossReferences checks
//     every "notebook N", "lesson N", «урок N», «тетрадь N», "блокнот N"
//     and NN-name reference, and each lesson's closing "Next".
//
//  5. A cell meant to fail (a panic shown on purpose) is tagged
//     "raises-exception": it must produce an error. Any other cell must
//     not, nor print "panic:" or "exit status" (a failed "!" shell line is
//     not a cell error, only that text on stderr).
//
//  6. A cell that calls gonbui.Display* ends with gonbui.Sync(): GoNB can
//     drop display data when the cell's program exits quickly.
//
//  7. Notebooks are committed without outputs: outputs empty, execution
//     counts null, kernel-written metadata (language_info, per-cell
//     execution times) removed, in nbformat's own layout (keys sorted,
//     one-space indent). Run
//
//     go run ./notebooks/nbtool/cmd/nbstrip
//
//     after editing; the tests fail on a notebook that is not stripped.
//     The executed copies with outputs are written by the tests to
//     .cache/artifacts/notebooks/ (or $ARTIFACTS_DIR/notebooks) for
//     inspection.
//
//  8. An exercises notebook has two versions. The instructors' source
//     (InstructorDir/*-solutions.ipynb) marks answers nbgrader-style, "// BEGIN SOLUTION"
//     … "// END SOLUTION" in code and "<!-- BEGIN SOLUTION -->" …
//     "<!-- END SOLUTION -->" in markdown, and keeps the student version's
//     key results under the metadata key "student": {"expect": […]}.
//     go run ./notebooks/nbtool/cmd/mkstudent writes the student version
//     into LessonsDir (see [Student]); the tests fail if the committed one differs from it, and
//     execute both.
//
// # Running
//
// go test ./notebooks/nbtool/ checks the structure of every notebook
// without Jupyter. With the project's Python environment (make venv; see
// [Venv]: JupyterLab 4, nbclient, nbconvert, jupyter_client from PyPI) it
// also builds GoNB, goimports (go.mod's pins) and gopls ([GoplsVersion]),
// installs the kernel as make kernel does into a temporary Jupyter data
// directory, and, from a clean environment (no tools on PATH,
// GOPROXY=off), executes every notebook with jupyter nbconvert, runs every
// notebook in JupyterLab 4 from headless Chromium (Debian's chromium,
// driven over the DevTools protocol; lab_check.js is the page side), and
// asks the kernel for completions. Without the environment or Chromium
// these tests are skipped, unless the environment variable CI is set, where
// they fail. bench.sh prints the wall time of the suite, cold and warm.
package nbtool
