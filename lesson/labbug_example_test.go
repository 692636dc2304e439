package lesson_test

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/lesson"
	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
)

func ExampleLabBugMarkdown() {
	fmt.Println(strings.Split(lesson.LabBugMarkdown(), "\n")[0])
	// Output:
	// #### Case study: the lab's backward bug
}

// The lab's bug, seen by CheckGrad: the gradients of a network WithLabBug
// against finite differences of the correct network's trace. It is
// invisible with one hidden layer above layer s and caught with two.
func ExampleWithLabBug_checkGrad() {
	net := nn.MustNew(nn.Config{Sizes: []int{4, 5, 5, 3}, Init: nn.He, Seed: 1})
	x := mat.NewDense(2, 4, []float64{0.5, -1, 0.25, 1, -0.5, 0.75, 1, -1})
	labels := []int{0, 2}
	tr := lesson.NewTrace(net, x, labels)
	buggy := lesson.WithLabBug(net.Clone())
	buggy.LossAndGrad(x, labels)
	for s := 1; s <= 3; s++ {
		dW := buggy.Params()[2*(s-1)].Grad // the parameters are W⁽¹⁾, b⁽¹⁾, W⁽²⁾, …
		c := lesson.CheckGrad(fmt.Sprintf("lab's ∂E/∂W⁽%d⁾", s), tr, s, dW)
		fmt.Println(c.OK, c.Name)
	}
	// Output:
	// false lab's ∂E/∂W⁽1⁾
	// true lab's ∂E/∂W⁽2⁾
	// true lab's ∂E/∂W⁽3⁾
}

// The lab's bug is harmless with one hidden layer and caught, in W1 and b1
// only, with two.
func ExampleWithLabBug() {
	train, _ := mnist.Embedded()
	x, labels := lesson.Examples(train, 8)
	for _, sizes := range [][]int{{784, 16, 10}, {784, 16, 16, 10}} {
		net := lesson.WithLabBug(nn.MustNew(nn.Config{Sizes: sizes, Seed: 1}))
		r := gradcheck.CheckNetwork(net, x, labels, nil)
		fmt.Println(r.Summary())
		for _, t := range r.Failures() {
			fmt.Printf("  %s FAILED at (%d, %d)\n", t.Name, t.Worst.Row, t.Worst.Col)
		}
	}
	// Output:
	// network 784-16-10: passed (4 tensors)
	// network 784-16-16-10: FAILED (2 of 6 tensors wrong)
	//   W1 FAILED at (13, 405)
	//   b1 FAILED at (6, 0)
}

// The lab's bug on one layer: its parameter gradients are right, but the
// gradient it hands down, g·W, ignores that hidden unit 2 is inactive
// (v = −0.1), where the right δ·W does not.
func ExampleLabBugDense() {
	x, _ := lesson.TinyExample()
	right := lesson.TinyNet().Dense(1)
	buggy := lesson.LabBugDense{Dense: lesson.TinyNet().Dense(1)}
	g := mat.NewDense(1, 2, []float64{1, 1}) // ∂E/∂a from the layer above
	for _, l := range []nn.Layer{right, buggy} {
		l.Forward(x)
		gx := l.Backward(g)
		fmt.Printf("%-18T ∂E/∂x = %.4g\n", l, mat.Row(nil, 0, gx))
	}
	fmt.Println("same ∂E/∂W and ∂E/∂b:", mat.Equal(right.DW, buggy.DW) && mat.Equal(right.DB, buggy.DB))
	fmt.Println(gradcheck.CheckLayer(buggy, x, nil).Summary())
	// Output:
	// *nn.Dense          ∂E/∂x = [0.5 -0.2]
	// lesson.LabBugDense ∂E/∂x = [0.2 0.2]
	// same ∂E/∂W and ∂E/∂b: true
	// layer lesson.LabBugDense: FAILED (1 of 3 tensors wrong)
}
