package lesson_test

import (
	"fmt"

	"github.com/backprop-lab/backprop/lesson"
	"github.com/backprop-lab/backprop/mnist"
)

// The embedded training set split as the training lesson splits it: the
// last 2 000 images are held out for validation.
func ExampleHoldOut() {
	train, _ := mnist.Embedded()
	fit, val := lesson.HoldOut(train, 2000)
	fmt.Println(fit.Len(), val.Len())
	// Output: 8000 2000
}
