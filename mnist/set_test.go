package mnist

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/nn/nntest"
)

// tinySet returns n examples of rows×cols pixels (p[i] = byte(i*37)) with the
// given labels.
func tinySet(t *testing.T, rows, cols int, labels ...byte) *Set {
	t.Helper()
	images, err := ParseIDX(bytes.NewReader(imagesIDX(len(labels), rows, cols)), "images")
	if err != nil {
		t.Fatal(err)
	}
	lab, err := ParseIDX(bytes.NewReader(labelsIDX(labels...)), "labels")
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSet(images, lab, MNIST, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// mustPanic runs f and checks that it panics with a message containing all of want.
func mustPanic(t *testing.T, f func(), want ...string) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic, want one mentioning %q", want)
		}
		msg, _ := r.(string)
		for _, w := range want {
			if !strings.Contains(msg, w) {
				t.Errorf("panic %q does not mention %q", msg, w)
			}
		}
	}()
	f()
}

func TestUnitTable(t *testing.T) {
	for b := range 256 {
		if unit[b] != float64(b)/255 {
			t.Fatalf("unit[%d] = %v, want %v", b, unit[b], float64(b)/255)
		}
	}
	if unit[0] != 0 || unit[255] != 1 {
		t.Errorf("unit[0], unit[255] = %v, %v; want exactly 0 and 1", unit[0], unit[255])
	}
}

// TestScaleExact: scale (the vector path where the CPU has one) and the
// portable scaleGo give every byte's b/255 to the last bit, at every
// length and alignment (the 8-byte steps and the tail), and write nothing
// past len(src).
func TestScaleExact(t *testing.T) {
	every := make([]byte, 256+7)
	for i := range every {
		every[i] = byte(i * 167) // each of the 256 values in the first 256
	}
	for name, f := range map[string]func([]float64, []byte){"scale": func(d []float64, s []byte) { scale(d, s, nil) }, "scaleGo": scaleGo} {
		for off := range 8 {
			for n := 0; n+off <= len(every); n += 1 + n/16 {
				src := every[off : off+n]
				dst := make([]float64, n+1)
				for j := range dst {
					dst[j] = math.NaN()
				}
				f(dst[:n], src)
				for j, b := range src {
					if want := float64(b) / 255; math.Float64bits(dst[j]) != math.Float64bits(want) {
						t.Fatalf("%s: offset %d, length %d: byte %d (%d) became %v, want %v", name, off, n, j, b, dst[j], want)
					}
				}
				if !math.IsNaN(dst[n]) {
					t.Fatalf("%s: offset %d, length %d wrote past the end: %v", name, off, n, dst[n])
				}
			}
		}
	}
}

func TestSetAccessors(t *testing.T) {
	s := tinySet(t, 3, 2, 7, 0, 9, 3)
	if s.Len() != 4 || s.Dim() != 6 || s.Rows != 3 || s.Cols != 2 || s.Classes() != 10 {
		t.Fatalf("Len, Dim, Rows, Cols, Classes = %d %d %d %d %d; want 4 6 3 2 10", s.Len(), s.Dim(), s.Rows, s.Cols, s.Classes())
	}
	for i, want := range []int{7, 0, 9, 3} {
		if got := s.Label(i); got != want {
			t.Errorf("Label(%d) = %d, want %d", i, got, want)
		}
		img := s.Image(i)
		if len(img) != 6 || cap(img) != 6 || &img[0] != &s.Images[i*6] {
			t.Errorf("Image(%d): len %d cap %d, shares storage %v; want 6, 6, true", i, len(img), cap(img), &img[0] == &s.Images[i*6])
		}
	}
	mustPanic(t, func() { s.Image(4) }, "index 4", "[0,4)")
	mustPanic(t, func() { s.Label(-1) }, "index -1", "[0,4)")
}

func TestClassNames(t *testing.T) {
	digits := []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
	fashion := []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}
	for kind, want := range map[Dataset][]string{MNIST: digits, EmbeddedSubset: digits, Fashion: fashion} {
		s := &Set{Kind: kind}
		if got := s.ClassNames(); !slices.Equal(got, want) || len(got) != s.Classes() {
			t.Errorf("%s: ClassNames = %q, want %q", kind, got, want)
		}
	}
}

func TestBatch(t *testing.T) {
	s := tinySet(t, 3, 2, 7, 0, 9, 3)
	idx := []int{2, 0, 2} // any order, repeats allowed
	x := make([]float64, len(idx)*s.Dim())
	labels := make([]int, len(idx))
	s.Batch(x, labels, idx)
	if !slices.Equal(labels, []int{9, 7, 9}) {
		t.Errorf("labels = %v, want [9 7 9]", labels)
	}
	for r, i := range idx {
		for j, b := range s.Image(i) {
			if got, want := x[r*s.Dim()+j], float64(b)/255; got != want {
				t.Fatalf("x[%d,%d] = %v, want %d/255 = %v", r, j, got, b, want)
			}
		}
	}
	s.Batch(nil, nil, nil) // an empty batch is fine
}

// TestBatchMatchesByteOver255: the word-at-a-time gather gives exactly
// byte/255 (what the per-byte loop it replaced wrote) for every pixel of a
// seeded batch of the embedded set (784 = 98 words a row, mostly zero), and
// of images whose width is not a multiple of 8 and whose words are zero,
// partly zero or full, so that every branch and the tail are taken.
func TestBatchMatchesByteOver255(t *testing.T) {
	emb, _ := Embedded()
	rng := rand.New(rand.NewPCG(1, 2))
	odd := &Set{Images: make([]byte, 40*3*29), Labels: make([]byte, 40), N: 40, Rows: 3, Cols: 29}
	for i := range odd.Images {
		if rng.IntN(3) == 0 { // about a third non-zero: zero words, mixed words
			odd.Images[i] = byte(rng.IntN(256))
		}
	}
	copy(odd.Images, make([]byte, 29))                   // a row starting with zero words
	copy(odd.Images[87:], bytes.Repeat([]byte{255}, 87)) // an image with no zero byte
	for _, s := range []*Set{emb, odd} {
		idx := rng.Perm(s.Len())[:min(200, s.Len())]
		x := make([]float64, len(idx)*s.Dim())
		for i := range x {
			x[i] = -1 // not a value Batch can write
		}
		labels := make([]int, len(idx))
		s.Batch(x, labels, idx)
		for r, i := range idx {
			if labels[r] != s.Label(i) {
				t.Fatalf("%s: labels[%d] = %d, want %d", s.Name, r, labels[r], s.Label(i))
			}
			for j, b := range s.Image(i) {
				if got, want := x[r*s.Dim()+j], float64(b)/255; got != want {
					t.Fatalf("%s: x[%d,%d] = %v, want %d/255 = %v", s.Name, r, j, got, b, want)
				}
			}
		}
	}
}

func TestBatchNoAllocs(t *testing.T) {
	if nntest.RaceEnabled {
		t.Skip("allocation counts are meaningless under the race detector (it allocates itself); the run without -race checks this")
	}
	s := tinySet(t, 28, 28, 1, 2, 3, 4, 5)
	idx := []int{4, 3, 2, 1, 0}
	x := make([]float64, len(idx)*s.Dim())
	labels := make([]int, len(idx))
	if n := testing.AllocsPerRun(100, func() { s.Batch(x, labels, idx) }); n != 0 {
		t.Errorf("Batch allocates %v times per call, want 0", n)
	}
}

func TestBatchPanics(t *testing.T) {
	s := tinySet(t, 3, 2, 7, 0, 9, 3)
	mustPanic(t, func() { s.Batch(make([]float64, 11), make([]int, 2), []int{0, 1}) }, "len(x) = 11", "2*6 = 12")
	mustPanic(t, func() { s.Batch(make([]float64, 12), make([]int, 3), []int{0, 1}) }, "len(labels) = 3", "len(idx) = 2")
	mustPanic(t, func() { s.Batch(make([]float64, 12), make([]int, 2), []int{0, 4}) }, "idx[1] = 4", "[0,4)")
	mustPanic(t, func() { s.Batch(make([]float64, 6), make([]int, 1), []int{-1}) }, "idx[0] = -1")
}

func TestSubset(t *testing.T) {
	s := tinySet(t, 3, 2, 7, 0, 9, 3)
	sub := s.Subset(2)
	if sub.Len() != 2 || sub.Dim() != 6 || len(sub.Images) != 12 || len(sub.Labels) != 2 {
		t.Fatalf("Subset(2): N %d, Dim %d, %d image bytes, %d labels", sub.Len(), sub.Dim(), len(sub.Images), len(sub.Labels))
	}
	if &sub.Images[0] != &s.Images[0] || &sub.Labels[0] != &s.Labels[0] {
		t.Error("Subset copied the data")
	}
	if cap(sub.Images) != 12 || cap(sub.Labels) != 2 {
		t.Error("Subset's slices can reach examples beyond n")
	}
	if sub.Name != "first 2 of tiny" || sub.Kind != s.Kind || s.Len() != 4 {
		t.Errorf("Subset: Name %q Kind %q, original Len %d", sub.Name, sub.Kind, s.Len())
	}
	if s.Subset(0).Len() != 0 || s.Subset(4).Len() != 4 {
		t.Error("Subset(0) or Subset(Len()) wrong")
	}
	mustPanic(t, func() { s.Subset(5) }, "Subset(5)", "4 examples")
	mustPanic(t, func() { s.Subset(-1) }, "Subset(-1)")
}

func TestNewSetErrors(t *testing.T) {
	parse := func(b []byte, name string) *IDX {
		x, err := ParseIDX(bytes.NewReader(b), name)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	images := parse(imagesIDX(3, 2, 2), "imgs.gz")
	for _, tc := range []struct {
		name           string
		images, labels *IDX
		want           []string
	}{
		{"count mismatch", images, parse(labelsIDX(1, 2), "labs.gz"), []string{"labs.gz", "2 labels", "imgs.gz has 3 images"}},
		{"label above 9", images, parse(labelsIDX(1, 10, 2), "labs.gz"), []string{"labs.gz", "label 10 of example 1", "0..9"}},
		{"labels as images", parse(labelsIDX(1, 2, 3), "labs.gz"), parse(labelsIDX(1, 2, 3), "labs2.gz"), []string{"labs.gz", "not an image file"}},
		{"images as labels", images, images, []string{"imgs.gz", "not a label file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewSet(tc.images, tc.labels, MNIST, "x")
			if err == nil {
				t.Fatalf("no error; got %d examples", s.Len())
			}
			if _, ok := err.(*FormatError); !ok {
				t.Errorf("error is %T, want *FormatError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}
