package lesson

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/nn"
)

func TestSaveLoadModel(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	if _, err := loadModel("none"); err == nil || !strings.Contains(err.Error(), "run the training cell") {
		t.Fatalf("loadModel of a missing network: %v", err)
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
