package lesson_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/lesson"
)

func ExampleStableSoftmax() {
	fmt.Printf("%.4f\n", lesson.StableSoftmax([]float64{1000, 999}))
	// Output:
	// [0.7311 0.2689]
}

func ExampleSoftmaxOverflow() {
	fmt.Print(lesson.SoftmaxOverflow([]float64{1000, 999, 998}))
	// Output:
	// v = [1000 999 998], m = max v = 1000
	// naive:          e^v     = [+Inf +Inf +Inf], Σ = +Inf → a = [NaN NaN NaN]
	// max-subtracted: e^(v−m) = [1 0.3679 0.1353], Σ = 1.503 → a = [0.6652 0.2447 0.09003]
}

func ExampleSoftmaxJacobian() {
	fmt.Printf("%.4f\n", mat.Formatted(lesson.SoftmaxJacobian([]float64{0.06, 0.26}), mat.Squeeze()))
	// Output:
	// ⎡ 0.2475  -0.2475⎤
	// ⎣-0.2475   0.2475⎦
}

func ExampleLikelihoodText() {
	fmt.Print(lesson.LikelihoodText(tinyBatch()))
	// Output:
	// example  class  p = a_n,c    ln p
	// 1        0      0.4502       -0.7981
	// 2        1      0.5424       -0.6118
	// 3        1      0.6295       -0.4629
	// 4        0      0.475        -0.7444
	// likelihood  L = Πₙ p = 0.07301
	//             ln L = Σₙ ln p = -2.617   (ln of the product: -2.617)
	// E = −(1/N) Σₙ ln p = 0.6543   (N = 4; nn's loss: 0.6543)
}

func ExampleLnComparison() {
	fmt.Print(lesson.LnComparison([]float64{-3, 3}, 0))
	// Output:
	// v = [-3 3], true class c = 0: a = [0.002473 0.9975]
	// with the ln:    E  = −ln a_c = 6.002     δ  = a − y      = [-0.9975 0.9975]
	// without the ln: E' = −a_c    = -0.002473 δ' = a_c(a − y) = [-0.002467 0.002467]   (404.4× smaller)
}
