package lesson_test

import (
	"fmt"

	"github.com/backprop-lab/backprop/lesson"
	"github.com/backprop-lab/backprop/nn"
)

// Two notebook cells: the first trains and saves, the next loads (each
// GoNB cell is a program of its own). Not run here: it writes to
// the system's temporary directory, outside the test's.
func ExampleSaveModel() {
	// Training cell.
	net := nn.MustNew(nn.Config{Sizes: []int{784, 96, 10}, Seed: 1})
	// … train net …
	if _, err := lesson.SaveModel(net, "06-training-mnist"); err != nil {
		fmt.Println(err)
	}

	// A later cell.
	net = lesson.MustLoadModel("06-training-mnist") // panics, saying to run the training cell first, if there is none
	fmt.Println(net.Sizes())
}
