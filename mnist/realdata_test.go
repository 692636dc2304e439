package mnist

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// envTestData names the environment variable pointing the real-data tests at
// a data root holding mnist/ and fashion-mnist/ (CI sets it).
const envTestData = "BACKPROP_DATA"

// dataRoot returns the root of the real data: $BACKPROP_DATA, else
// ../../shared/data (the repository cloned next to shared/) if it exists. If
// there is none it skips the test, or fails it when $CI is set.
func dataRoot(t *testing.T) string {
	t.Helper()
	root := os.Getenv(envTestData)
	if root == "" {
		root = filepath.Join("..", "..", "shared", "data")
	}
	if st, err := os.Stat(root); err == nil && st.IsDir() {
		return root
	}
	msg := "real MNIST data not found at " + root + "; set " + envTestData + " to a directory holding mnist/ and fashion-mnist/"
	if os.Getenv("CI") != "" {
		t.Fatal(msg + " (CI is set, so this is a failure)")
	}
	t.Skip(msg)
	return ""
}

func histogram(s *Set) (h [10]int) {
	for _, l := range s.Labels {
		h[l]++
	}
	return h
}

func TestRealMNIST(t *testing.T) {
	dir := filepath.Join(dataRoot(t), "mnist")
	train, test, err := Load(dir)
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
	for _, s := range []*Set{train, test} {
		lo, hi := byte(255), byte(0)
		for _, p := range s.Images {
			lo, hi = min(lo, p), max(hi, p)
		}
		if lo != 0 || hi != 255 {
			t.Errorf("%s: pixels in [%d,%d], want [0,255]", s.Name, lo, hi)
		}
	}
	// The embedded subset is exactly the first examples (what mkembed writes).
	etrain, etest := Embedded()
	for _, pair := range [][2]*Set{{etrain, train}, {etest, test}} {
		e, s := pair[0], pair[1].Subset(pair[0].Len())
		if !bytes.Equal(e.Images, s.Images) || !bytes.Equal(e.Labels, s.Labels) {
			t.Errorf("%s is not the first %d examples of %s", e.Name, e.Len(), pair[1].Name)
		}
	}
	// Open with an explicit directory uses it.
	if tr, _, src, err := Open(MNIST, dir); err != nil || tr.Len() != 60000 || src != "MNIST from "+dir {
		t.Errorf("Open(MNIST, %s): %d examples, %q, %v", dir, tr.Len(), src, err)
	}
}

func TestRealFashion(t *testing.T) {
	train, test, err := LoadDataset(Fashion, filepath.Join(dataRoot(t), "fashion-mnist"))
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 60000 || test.Len() != 10000 || train.Dim() != 784 || test.Dim() != 784 {
		t.Fatalf("train %d×%d, test %d×%d", train.N, train.Dim(), test.N, test.Dim())
	}
	// Fashion-MNIST is balanced: 6000 and 1000 examples per class.
	for _, s := range []*Set{train, test} {
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
	root := dataRoot(t)
	for _, kind := range []Dataset{MNIST, Fashion} {
		for _, f := range Files(kind) {
			path := filepath.Join(root, kind.subdir(), f.Name)
			if _, err := checkFile(path, f); err != nil {
				t.Errorf("%s: %v", kind, err)
			}
		}
	}
}
