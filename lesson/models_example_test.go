package lesson_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/backprop-lab/backprop/lesson"
	"github.com/backprop-lab/backprop/nn"
)

// Where a notebook keeps a trained network between cells: under the
// system's temporary directory, never in the repository.
func ExampleModelPath() {
	p := lesson.ModelPath("05-lab")
	rel, err := filepath.Rel(os.TempDir(), p)
	fmt.Println(filepath.ToSlash(rel), err)
	// Output:
	// backprop-lessons/05-lab.bpnn <nil>
}

// Two notebook cells: the first trains and saves, the next loads (each
// GoNB cell is a program of its own). Not run here: it writes to
// ModelPath, outside the test's temporary directory.
func ExampleSaveModel() {
	// Training cell.
	net := nn.MustNew(nn.Config{Sizes: []int{784, 96, 10}, Seed: 1})
	// … train net …
	if _, err := lesson.SaveModel(net, "05-lab"); err != nil {
		fmt.Println(err)
	}

	// A later cell.
	net, err := lesson.LoadModel("05-lab")
	if err != nil {
		fmt.Println(err) // says to run the training cell first
		return
	}
	fmt.Println(net.Sizes())
}
