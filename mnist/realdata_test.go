package mnist_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/mnist/mnisttest"
)

func histogram(s *mnist.Set) (h [10]int) {
	for _, l := range s.Labels {
		h[l]++
	}
	return h
}

func TestRealMNIST(t *testing.T) {
	dir := mnisttest.Dir(t, mnist.MNIST)
	train, test, err := mnist.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 60000 || test.Len() != 10000 || train.Rows != 28 || train.Cols != 28 || test.Rows != 28 || test.Cols != 28 {
		t.Fatalf("train %d×%d×%d, test %d×%d×%d; want 60000×28×28 and 10000×28×28", train.N, train.Rows, train.Cols, test.N, test.Rows, test.Cols)
	}
	// The published class counts of MNIST.
	wantTrain := [10]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}
	wantTest := [10]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}
	if h := histogram(train); h != wantTrain {
		t.Errorf("train histogram %v, want %v", h, wantTrain)
	}
	if h := histogram(test); h != wantTest {
		t.Errorf("test histogram %v, want %v", h, wantTest)
	}
	if train.Label(0) != 5 || test.Label(0) != 7 {
		t.Errorf("first labels %d, %d; want 5, 7", train.Label(0), test.Label(0))
	}
	for _, s := range []*mnist.Set{train, test} {
		lo, hi := byte(255), byte(0)
		for _, p := range s.Images {
			lo, hi = min(lo, p), max(hi, p)
		}
		if lo != 0 || hi != 255 {
			t.Errorf("%s: pixels in [%d,%d], want [0,255]", s.Name, lo, hi)
		}
	}
	// The embedded subset is exactly the first examples (what mkembed writes).
	etrain, etest := mnist.Embedded()
	for _, pair := range [][2]*mnist.Set{{etrain, train}, {etest, test}} {
		e, s := pair[0], pair[1].Subset(pair[0].Len())
		if !bytes.Equal(e.Images, s.Images) || !bytes.Equal(e.Labels, s.Labels) {
			t.Errorf("%s is not the first %d examples of %s", e.Name, e.Len(), pair[1].Name)
		}
	}
	// Open with an explicit directory uses it.
	if tr, _, src, err := mnist.Open(mnist.MNIST, dir); err != nil || tr.Len() != 60000 || src != "MNIST from "+dir {
		t.Errorf("Open(MNIST, %s): %d examples, %q, %v", dir, tr.Len(), src, err)
	}
}

func TestRealFashion(t *testing.T) {
	train, test, err := mnist.LoadDataset(mnist.Fashion, mnisttest.Dir(t, mnist.Fashion))
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 60000 || test.Len() != 10000 || train.Dim() != 784 || test.Dim() != 784 {
		t.Fatalf("train %d×%d, test %d×%d", train.N, train.Dim(), test.N, test.Dim())
	}
	// Fashion-MNIST is balanced: 6000 and 1000 examples per class.
	for _, s := range []*mnist.Set{train, test} {
		for c, n := range histogram(s) {
			if n != s.Len()/10 {
				t.Errorf("%s: class %d (%s) has %d examples, want %d", s.Name, c, s.ClassNames()[c], n, s.Len()/10)
			}
		}
	}
	if train.Label(0) != 9 || train.ClassNames()[train.Label(0)] != "Ankle boot" {
		t.Errorf("first training label %d, want 9 (Ankle boot)", train.Label(0))
	}
}

func TestRealChecksums(t *testing.T) {
	for _, kind := range []mnist.Dataset{mnist.MNIST, mnist.Fashion} {
		t.Run(kind.Title(), func(t *testing.T) {
			dir := mnisttest.Dir(t, kind)
			for _, f := range mnist.Files(kind) {
				if _, err := mnist.CheckFile(filepath.Join(dir, f.Name), f); err != nil {
					t.Error(err)
				}
			}
		})
	}
}
