package lesson

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/backprop-lab/backprop/nn"
)

// ModelPath returns where the notebooks keep a trained network called name
// between cells: a folder backprop-lessons in the system's temporary
// directory, never in the repository. Each GoNB cell runs as a new
// program, so a network trained in one cell is saved there and loaded by
// the cells after it.
func ModelPath(name string) string {
	return filepath.Join(os.TempDir(), "backprop-lessons", name+".bpnn")
}

// SaveModel saves net under name (see ModelPath) and returns the path.
func SaveModel(net *nn.Network, name string) (string, error) {
	p := ModelPath(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	return p, net.SaveFile(p)
}

// LoadModel loads the network saved under name by SaveModel; if there is
// none, the error says to run the training cell first.
func LoadModel(name string) (*nn.Network, error) {
	net, err := nn.LoadFile(ModelPath(name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no trained network %q yet (%s): run the training cell above first", name, ModelPath(name))
	}
	return net, err
}

// MustLoadModel is LoadModel that panics on error, for notebook cells.
func MustLoadModel(name string) *nn.Network {
	net, err := LoadModel(name)
	if err != nil {
		panic(err)
	}
	return net
}
