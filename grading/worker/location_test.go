package worker

import "testing"

func TestIsLearnerFunc(t *testing.T) {
	for fn, want := range map[string]bool{
		"main.(*MyDense).Backward":              true,
		"main.reluPrime":                        true,
		"main.main":                             false,
		"main.main.func1":                       false,
		"example.com/student.(*Layer).Backward": true,
		"gradcheckrun/student.NewLayer":         true,
		"github.com/backprop-lab/backprop/nn.(*Dense).Backward":                            false,
		"github.com/backprop-lab/backprop/grading.guard":                                   false,
		"github.com/backprop-lab/backprop/cmd/gradcheck/testdata/labbug.(*Layer).Backward": true,
		"gonum.org/v1/gonum/mat.(*Dense).Mul":                                              false,
		"runtime.gopanic":                                                                  false,
		"fmt.Sprint":                                                                       false,
	} {
		if got := IsLearnerFunc(fn); got != want {
			t.Errorf("IsLearnerFunc(%q) = %v, want %v", fn, got, want)
		}
	}
	for _, tc := range []struct {
		fn, file string
		want     string
	}{
		{"main.(*MyDense).Backward", "In [7]", "(*MyDense).Backward at In [7], line 3"},
		{"main.(*MyDense).Backward", "code cell 5", "(*MyDense).Backward at code cell 5, line 3"},
		{"main.(*MyDense).Backward", "/tmp/gonb_12ab/main.go", "(*MyDense).Backward"},
		{"example.com/student.(*Layer).Backward", "/home/s/layer.go", "student.(*Layer).Backward at layer.go:3"},
	} {
		if got := DescribeFrame(tc.fn, tc.file, 3); got != tc.want {
			t.Errorf("DescribeFrame(%q, %q) = %q, want %q", tc.fn, tc.file, got, tc.want)
		}
	}
}
