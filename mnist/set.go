package mnist

import (
	"encoding/binary"
	"fmt"
)

// Set is a labelled image data set held compactly as bytes.
//
// Example i's image is Images[i*Dim() : (i+1)*Dim()] (row-major, Rows×Cols
// pixels, 0 = background, 255 = full ink) and its label is Labels[i]
// (0..Classes()-1). A Set and the Sets derived from it by Subset share their
// backing arrays: treat Images and Labels as read-only.
type Set struct {
	Images []byte  // N×Rows×Cols pixel bytes, one example after the other
	Labels []byte  // N labels in 0..9
	N      int     // number of examples
	Rows   int     // image height in pixels (28 for MNIST)
	Cols   int     // image width in pixels (28 for MNIST)
	Kind   Dataset // which data set the examples come from (decides ClassNames)
	Name   string  // human-readable description, e.g. "MNIST train (60000 examples from /data/mnist)"
}

// unit[b] = b/255: the byte → [0,1] scaling used by Batch, precomputed once.
var unit = func() (t [256]float64) {
	for i := range t {
		t[i] = float64(i) / 255
	}
	return t
}()

// Len returns the number of examples.
func (s *Set) Len() int { return s.N }

// Dim returns the input dimension (Rows*Cols, 784 for MNIST).
func (s *Set) Dim() int { return s.Rows * s.Cols }

// Classes returns the number of classes (10 for all supported data sets).
func (s *Set) Classes() int { return 10 }

// ClassNames returns the names of the classes, indexed by label: the digits
// "0".."9" for MNIST (and its embedded subset), clothing names for
// Fashion-MNIST. The caller may modify the returned slice.
func (s *Set) ClassNames() []string {
	if s.Kind == Fashion {
		return []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}
	}
	return []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
}

// Image returns example i's Rows×Cols pixels, row-major. It is a sub-slice of
// s.Images (no copy) with its capacity clipped, so appending to it cannot
// overwrite the next example. It panics if i is out of range.
func (s *Set) Image(i int) []byte {
	s.check(i)
	d := s.Dim()
	return s.Images[i*d : (i+1)*d : (i+1)*d]
}

// Label returns example i's label. It panics if i is out of range.
func (s *Set) Label(i int) int {
	s.check(i)
	return int(s.Labels[i])
}

func (s *Set) check(i int) {
	if i < 0 || i >= s.N {
		panic(fmt.Sprintf("mnist: example index %d out of range [0,%d)", i, s.N))
	}
}

// Batch writes the examples idx[0..k) into x (row r = example idx[r], scaled
// to [0,1] as byte/255, len(x) must be k*Dim(), row-major) and their labels
// into labels[0..k). It never allocates. Panics if len(x) != len(idx)*Dim()
// or len(labels) != len(idx) (name both sizes).
//
// Shapes: x is k×Dim() (one example per row), labels is k.
func (s *Set) Batch(x []float64, labels []int, idx []int) {
	d := s.Dim()
	k := len(idx)
	if len(x) != k*d {
		panic(fmt.Sprintf("mnist: Batch: len(x) = %d, want len(idx)*Dim() = %d*%d = %d", len(x), k, d, k*d))
	}
	if len(labels) != k {
		panic(fmt.Sprintf("mnist: Batch: len(labels) = %d, want len(idx) = %d", len(labels), k))
	}
	for r, i := range idx {
		if i < 0 || i >= s.N {
			panic(fmt.Sprintf("mnist: Batch: idx[%d] = %d out of range [0,%d)", r, i, s.N))
		}
		var next []byte // the next row, for scale to prefetch
		if r+1 < k && idx[r+1] >= 0 && idx[r+1] < s.N {
			next = s.Images[idx[r+1]*d : (idx[r+1]+1)*d]
		}
		scale(x[r*d:(r+1)*d], s.Images[i*d:(i+1)*d], next)
		labels[r] = int(s.Labels[i])
	}
}

// scaleGo sets dst[j] = src[j]/255 (unit[src[j]]) for len(src) == len(dst):
// the portable path of scale. Most of an MNIST image is background: 8
// bytes at a time are read as one word, and a zero word becomes 8 zeros
// without a table lookup (200×784 batch of the embedded set, old and new
// builds alternated 3 times: 108–119 → 56–75 µs).
func scaleGo(dst []float64, src []byte) {
	dst = dst[:len(src)]
	j := 0
	for ; j+8 <= len(src); j += 8 {
		d := dst[j : j+8 : j+8]
		if binary.LittleEndian.Uint64(src[j:j+8]) == 0 {
			d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7] = 0, 0, 0, 0, 0, 0, 0, 0
			continue
		}
		s := src[j : j+8 : j+8]
		d[0], d[1], d[2], d[3] = unit[s[0]], unit[s[1]], unit[s[2]], unit[s[3]]
		d[4], d[5], d[6], d[7] = unit[s[4]], unit[s[5]], unit[s[6]], unit[s[7]]
	}
	for ; j < len(src); j++ {
		dst[j] = unit[src[j]]
	}
}

// Subset returns the first n examples of s as a new Set sharing s's backing
// arrays (no copy). It panics if n is not in [0, s.Len()].
func (s *Set) Subset(n int) *Set {
	if n < 0 || n > s.N {
		panic(fmt.Sprintf("mnist: Subset(%d) of a set with %d examples", n, s.N))
	}
	d := s.Dim()
	t := *s
	t.Images = s.Images[: n*d : n*d]
	t.Labels = s.Labels[:n:n]
	t.N = n
	t.Name = fmt.Sprintf("first %d of %s", n, s.Name)
	return &t
}

// NewSet checks that images (n, rows, cols) and labels (n) are a consistent
// pair of IDX files with labels in 0..9 and returns them as a Set of the
// given kind and name. The Set uses images.Data and labels.Data without
// copying.
func NewSet(images, labels *IDX, kind Dataset, name string) (*Set, error) {
	if len(images.Dims) != 3 {
		return nil, formatErr(images.Name, nil, "not an image file: %d dimensions %v, want 3 (n, rows, cols; magic 2051)", len(images.Dims), images.Dims)
	}
	if len(labels.Dims) != 1 {
		return nil, formatErr(labels.Name, nil, "not a label file: %d dimensions %v, want 1 (n; magic 2049)", len(labels.Dims), labels.Dims)
	}
	n, rows, cols := images.Dims[0], images.Dims[1], images.Dims[2]
	if labels.Dims[0] != n {
		return nil, formatErr(labels.Name, nil, "has %d labels but %s has %d images", labels.Dims[0], orUnnamed(images.Name), n)
	}
	if len(images.Data) != n*rows*cols || len(labels.Data) != n {
		return nil, formatErr(images.Name, nil, "payload sizes %d and %d do not match dimensions %v and %v", len(images.Data), len(labels.Data), images.Dims, labels.Dims)
	}
	for i, l := range labels.Data {
		if l > 9 {
			return nil, formatErr(labels.Name, nil, "label %d of example %d is out of range 0..9", l, i)
		}
	}
	return &Set{Images: images.Data, Labels: labels.Data, N: n, Rows: rows, Cols: cols, Kind: kind, Name: name}, nil
}

func orUnnamed(name string) string {
	if name == "" {
		return "the image file"
	}
	return name
}
