package lesson

import (
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/mnist/mnisttest"
)

func TestLoadMNISTFallsBackAndSaysSo(t *testing.T) {
	mnisttest.NoData(t)
	d, err := LoadMNIST()
	if err != nil {
		t.Fatal(err)
	}
	if d.Full || d.Train.Len() != 10000 || d.Test.Len() != 2000 {
		t.Fatalf("got Full=%v %d/%d, want the embedded subset 10000/2000", d.Full, d.Train.Len(), d.Test.Len())
	}
	if s := d.String(); !strings.Contains(s, "embedded subset") || !strings.Contains(s, mnist.EnvData) {
		t.Errorf("String does not say it is the embedded subset and how to get more:\n%s", s)
	}
}

func TestLoadMNISTDataDirMustHoldTheData(t *testing.T) {
	mnisttest.NoData(t)
	t.Setenv(mnist.EnvData, t.TempDir())
	if _, err := LoadMNIST(); err == nil || !strings.Contains(err.Error(), mnist.EnvData) {
		t.Fatalf("err = %v, want an error naming $%s", err, mnist.EnvData)
	}
}

// TestLoadMNISTFull reads the full MNIST where it is (mnisttest.Dir).
func TestLoadMNISTFull(t *testing.T) {
	mnisttest.Dir(t, mnist.MNIST)
	d, err := LoadMNIST()
	if err != nil {
		t.Fatal(err)
	}
	if !d.Full || d.Train.Len() != 60000 || d.Test.Len() != 10000 {
		t.Fatalf("got Full=%v %d/%d, want the full MNIST", d.Full, d.Train.Len(), d.Test.Len())
	}
	if s := d.String(); !strings.HasPrefix(s, "Data: full MNIST, 60000 train / 10000 test") {
		t.Errorf("String = %q", s)
	}
}

func TestConfusionPanicsOnBadInput(t *testing.T) {
	for name, f := range map[string]func(){
		"lengths": func() { Confusion([]int{1}, nil, 3) },
		"class":   func() { Confusion([]int{3}, []int{0}, 3) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}

func TestExamples(t *testing.T) {
	train, _ := mnist.Embedded()
	x, labels := Examples(train, 3)
	if r, c := x.Dims(); r != 3 || c != 784 {
		t.Fatalf("x is %d×%d, want 3×784", r, c)
	}
	for n := range 3 {
		if labels[n] != train.Label(n) {
			t.Errorf("label %d = %d, want %d", n, labels[n], train.Label(n))
		}
		for j, p := range train.Image(n) {
			if x.At(n, j) != float64(p)/255 {
				t.Fatalf("pixel (%d, %d) = %v, want %v/255", n, j, x.At(n, j), p)
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Examples with too many examples did not panic")
		}
	}()
	Examples(train, train.Len()+1)
}

// setImages hands the charts views of the set's pixels, not copies.
func TestSetImagesAreViews(t *testing.T) {
	_, test := mnist.Embedded()
	imgs := setImages(test, []int{0, 7})
	if len(imgs) != 2 || len(imgs[0]) != 784 || &imgs[0][0] != &test.Images[0] || &imgs[1][0] != &test.Images[7*784] {
		t.Errorf("setImages(test, [0 7]) are not views of images 0 and 7")
	}
}
