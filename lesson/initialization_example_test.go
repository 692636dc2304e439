package lesson_test

import (
	"fmt"

	"github.com/backprop-lab/backprop/lesson"
)

func ExampleComparedInits() {
	for _, in := range lesson.ComparedInits() {
		fmt.Println(in.Name)
	}
	// Output:
	// lab U[−0.2,0.2)
	// he
	// xavier
	// ×0.01
	// ×1
}
