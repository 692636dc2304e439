package lesson

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// noMNISTAnywhere unsets $BACKPROP_DATA and points the download cache at an
// empty folder.
func noMNISTAnywhere(t *testing.T) {
	t.Setenv(mnist.EnvData, "")
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
}

func TestLoadMNISTFallsBackAndSaysSo(t *testing.T) {
	noMNISTAnywhere(t)
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
	noMNISTAnywhere(t)
	t.Setenv(mnist.EnvData, t.TempDir())
	if _, err := LoadMNIST(); err == nil || !strings.Contains(err.Error(), mnist.EnvData) {
		t.Fatalf("err = %v, want an error naming $%s", err, mnist.EnvData)
	}
}

// TestLoadMNISTFull reads the full MNIST where CI provides it.
func TestLoadMNISTFull(t *testing.T) {
	root := os.Getenv(mnist.EnvData)
	if root == "" {
		t.Skipf("$%s not set", mnist.EnvData)
	}
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

func TestSaveLoadModel(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	if _, err := LoadModel("none"); err == nil || !strings.Contains(err.Error(), "run the training cell") {
		t.Fatalf("LoadModel of a missing network: %v", err)
	}
	net := nn.MustNew(nn.Config{Sizes: []int{4, 3, 2}, Seed: 2})
	p, err := SaveModel(net, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(filepath.Dir(p)) != os.TempDir() {
		t.Errorf("saved to %s, want a folder in %s", p, os.TempDir())
	}
	back := MustLoadModel("tiny")
	if !mat.Equal(back.Dense(1).W, net.Dense(1).W) {
		t.Error("loaded weights differ")
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

// With one hidden layer the lab's bug changes nothing; with two it changes
// exactly W1 and b1.
func TestWithLabBugGradients(t *testing.T) {
	x, labels := randomBatch(3, 5, 6, 3)
	for _, tc := range []struct {
		sizes []int
		same  map[string]bool
	}{
		{[]int{6, 5, 3}, map[string]bool{"W1": true, "b1": true, "W2": true, "b2": true}},
		{[]int{6, 5, 4, 3}, map[string]bool{"W1": false, "b1": false, "W2": true, "b2": true, "W3": true, "b3": true}},
	} {
		cfg := nn.Config{Sizes: tc.sizes, Init: nn.Uniform(0.8), Seed: 4}
		good, bad := nn.MustNew(cfg), WithLabBug(nn.MustNew(cfg))
		good.LossAndGrad(x, labels)
		bad.LossAndGrad(x, labels)
		for i, p := range good.Params() {
			q := bad.Params()[i]
			if same := mat.Equal(p.Grad, q.Grad); same != tc.same[p.Name] {
				t.Errorf("%v: %s gradients equal = %v, want %v", tc.sizes, p.Name, same, tc.same[p.Name])
			}
		}
	}
}
