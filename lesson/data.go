package lesson

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/lesson/internal/format"
	"github.com/backprop-lab/backprop/mnist"
)

// MNISTData is the MNIST a notebook works on and where it came from.
type MNISTData struct {
	Train, Test *mnist.Set
	// Source says where the sets came from (mnist.Open's description).
	Source string
	// Full is true for the full MNIST (60 000 train / 10 000 test images),
	// false for the embedded subset.
	Full bool
}

// LoadMNIST finds MNIST without the network: in $BACKPROP_DATA/mnist
// (mnist.EnvData) if that variable is set — an error if the files are not
// there, so a run that was given data (CI) never quietly falls back — else in
// the download cache, else it falls back to the embedded subset (10 000 train
// / 2 000 test), which String says plainly.
func LoadMNIST() (*MNISTData, error) {
	dir := ""
	if root := os.Getenv(mnist.EnvData); root != "" {
		dir = filepath.Join(root, "mnist")
	}
	train, test, source, err := mnist.Open(mnist.MNIST, dir)
	if err != nil {
		if dir != "" {
			return nil, fmt.Errorf("$%s is set but %s does not hold MNIST: %w", mnist.EnvData, dir, err)
		}
		return nil, err
	}
	if dir != "" {
		source += " ($" + mnist.EnvData + ")"
	}
	return &MNISTData{Train: train, Test: test, Source: source, Full: train.Kind != mnist.EmbeddedSubset}, nil
}

// MustLoadMNIST is LoadMNIST that panics on error, for notebook cells.
func MustLoadMNIST() *MNISTData {
	d, err := LoadMNIST()
	if err != nil {
		panic(err)
	}
	return d
}

// String says which data was loaded: one line for the full MNIST; for the
// embedded subset a second line says that it is the subset and how to get
// the full data.
func (d *MNISTData) String() string {
	if d.Full {
		return fmt.Sprintf("Data: full MNIST, %d train / %d test images: %s", d.Train.Len(), d.Test.Len(), d.Source)
	}
	return fmt.Sprintf("Data: embedded subset of MNIST, %d train / %d test images (the full MNIST was not found).\n"+
		"To use all 60000/10000, set %s to a folder holding mnist/ with the four official files, "+
		"or download them once with: go run ./cmd/train --download -m 1",
		d.Train.Len(), d.Test.Len(), mnist.EnvData)
}

// Examples returns the first n examples of s as a batch: X is n×Dim()
// (one example per row, pixels scaled to [0, 1]) with their labels.
func Examples(s *mnist.Set, n int) (*mat.Dense, []int) {
	if n < 1 || n > s.Len() {
		panic(fmt.Sprintf("lesson: Examples(%d) of a set with %d examples", n, s.Len()))
	}
	x := mat.NewDense(n, s.Dim(), nil)
	labels := make([]int, n)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	s.Batch(x.RawMatrix().Data, labels, idx)
	return x, labels
}

// Labels returns every label of s as ints, in order.
func Labels(s *mnist.Set) []int {
	out := make([]int, s.Len())
	for i := range out {
		out[i] = s.Label(i)
	}
	return out
}

// setImages returns the images of the examples idx of s (views, not copies).
func setImages(s *mnist.Set, idx []int) [][]byte {
	out := make([][]byte, len(idx))
	for k, i := range idx {
		out[k] = s.Image(i)
	}
	return out
}

// Confusion counts predictions: counts[true][predicted] over k classes.
// It panics if the slices differ in length or a class is outside [0, k).
func Confusion(labels, predicted []int, k int) [][]int {
	if len(labels) != len(predicted) {
		panic(fmt.Sprintf("lesson: Confusion: %d labels but %d predictions", len(labels), len(predicted)))
	}
	counts := make([][]int, k)
	for i := range counts {
		counts[i] = make([]int, k)
	}
	for i, y := range labels {
		p := predicted[i]
		if y < 0 || y >= k || p < 0 || p >= k {
			panic(fmt.Sprintf("lesson: Confusion: example %d has label %d and prediction %d, want both in [0, %d)", i, y, p, k))
		}
		counts[y][p]++
	}
	return counts
}

// TopConfusions lists the n most frequent mistakes of a confusion matrix
// (counts[true][predicted]), most frequent first, one per line:
// "4 → 9: 23 times (2.3% of the 4s)". classNames may be nil.
func TopConfusions(counts [][]int, classNames []string, n int) string {
	type cell struct{ y, p, c, row int }
	var cells []cell
	for y, row := range counts {
		total := 0
		for _, c := range row {
			total += c
		}
		for p, c := range row {
			if p != y && c > 0 {
				cells = append(cells, cell{y, p, c, total})
			}
		}
	}
	slices.SortStableFunc(cells, func(a, b cell) int { return b.c - a.c })
	var sb strings.Builder
	for _, c := range cells[:min(n, len(cells))] {
		times := "times"
		if c.c == 1 {
			times = "time"
		}
		fmt.Fprintf(&sb, "%s → %s: %d %s (%.1f%% of the %ss)\n", format.ClassName(classNames, c.y), format.ClassName(classNames, c.p), c.c, times,
			100*float64(c.c)/float64(c.row), format.ClassName(classNames, c.y))
	}
	return sb.String()
}
