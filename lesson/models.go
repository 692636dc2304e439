package lesson

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/backprop-lab/backprop/nn"
)

// modelPath returns where the notebooks keep a trained network called name
// between cells: a folder backprop-lessons in the system's temporary
// directory, never in the repository. Each GoNB cell runs as a new
// program, so a network trained in one cell is saved there and loaded by
// the cells after it.
func modelPath(name string) string {
	return filepath.Join(os.TempDir(), "backprop-lessons", name+".bpnn")
}

// SaveModel saves net under name in $TMPDIR/backprop-lessons/name.bpnn
// (never in the repository) and returns the path. Each GoNB cell runs as a
// new program, so a network trained in one cell is saved there and loaded
// by MustLoadModel in the cells after it.
func SaveModel(net *nn.Network, name string) (string, error) {
	p := modelPath(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	return p, net.SaveFile(p)
}

// loadModel loads the network saved under name by SaveModel; if there is
// none, the error says to run the training cell first.
func loadModel(name string) (*nn.Network, error) {
	net, err := nn.LoadFile(modelPath(name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no trained network %q yet (%s): run the training cell above first", name, modelPath(name))
	}
	return net, err
}

// MustLoadModel loads the network SaveModel saved under name. It panics if
// there is none (the message says to run the training cell first) or the
// file is unreadable: it is for notebook cells.
func MustLoadModel(name string) *nn.Network {
	net, err := loadModel(name)
	if err != nil {
		panic(err)
	}
	return net
}
