# nbgrader configuration for the exercises notebook, a Go notebook run by the
# GoNB kernel. Copy it into the root of an nbgrader course directory (beside
# source/), with the solutions notebook as source/exercises/10-exercises.ipynb;
# notebooks/README.md ("nbgrader") gives the commands.

c = get_config()  # noqa: F821 (nbgrader defines it)

# The kernel: GoNB, installed with the repository as its Go workspace
# (make notebooks, or go run ./notebooks/nbtool/cmd/installkernel), so the
# cells import github.com/backprop-lab/backprop/... from the repository.
c.ExecutePreprocessor.kernel_name = "gonb"

# Seconds per cell: the first cell starts GoNB and compiles, and the cell
# that trains a small network on MNIST takes a while on a shared machine.
c.ExecutePreprocessor.timeout = 600

# The solutions are marked in Go comments, // BEGIN SOLUTION ... // END
# SOLUTION, and become the stub below: the same markers and stub as the
# learners' notebook that go run ./notebooks/nbtool/cmd/mkstudent writes.
# (nbgrader spells the option "delimeter".) The stub panics with "not
# implemented", which the check cells report as "not implemented yet".
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
c.ClearSolutions.code_stub = {"go": '// YOUR CODE HERE\npanic("not implemented")'}
