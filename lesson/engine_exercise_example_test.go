package lesson_test

import (
	"fmt"

	"github.com/backprop-lab/backprop/lesson"
	"github.com/backprop-lab/backprop/lesson/autodiff"
)

// autodiff's own Backward passes the practice check; a backward pass that
// overwrites gradients instead of accumulating them is named.
func ExampleCheckEngineBackward() {
	fmt.Println(lesson.CheckEngineBackward((*autodiff.Value).Backward).OK)
	r := lesson.CheckEngineBackward(lesson.EngineMistake("overwrite").Mistake)
	fmt.Println(r.OK, r.Causes)
	// Output:
	// true
	// false [overwrite]
}
