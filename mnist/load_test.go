package mnist

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// copyTiny copies testdata/tiny into a new temporary directory and returns it.
func copyTiny(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "tiny"))); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestLoadTiny(t *testing.T) {
	dir := filepath.Join("testdata", "tiny") // train gzipped, test raw without .gz
	train, test, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 4 || test.Len() != 2 || train.Rows != 3 || train.Cols != 2 || test.Dim() != 6 {
		t.Fatalf("train %d×%d×%d, test %d×%d×%d; want 4×3×2 and 2×3×2", train.N, train.Rows, train.Cols, test.N, test.Rows, test.Cols)
	}
	if !slices.Equal(train.Labels, []byte{7, 0, 9, 3}) || !slices.Equal(test.Labels, []byte{1, 2}) {
		t.Errorf("labels %v, %v", train.Labels, test.Labels)
	}
	if !slices.Equal(train.Images, imagesIDX(4, 3, 2)[16:]) {
		t.Error("train images differ from the golden file's generator")
	}
	if train.Kind != MNIST || !strings.HasPrefix(train.Name, "MNIST train (4 examples from ") || !strings.Contains(test.Name, "MNIST test") {
		t.Errorf("Kind %q, Names %q, %q", train.Kind, train.Name, test.Name)
	}

	train, _, err = LoadDataset(Fashion, dir)
	if err != nil {
		t.Fatal(err)
	}
	if train.Kind != Fashion || train.ClassNames()[9] != "Ankle boot" || !strings.HasPrefix(train.Name, "Fashion-MNIST train") {
		t.Errorf("Fashion: Kind %q, Name %q", train.Kind, train.Name)
	}
}

func TestLoadPrefersGzipName(t *testing.T) {
	dir := copyTiny(t)
	// A broken decompressed copy next to the .gz file must be ignored.
	if err := os.WriteFile(filepath.Join(dir, "train-labels-idx1-ubyte"), []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Load(dir); err != nil {
		t.Fatal(err)
	}
}

func TestLoadErrors(t *testing.T) {
	missingDir := filepath.Join(t.TempDir(), "nowhere")
	_, _, err := Load(missingDir)
	for _, w := range []string{missingDir, "does not exist", "mnist.Download", "mnist.Embedded()"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("missing dir: error %v does not mention %q", err, w)
		}
	}
	// A command gives its own advice: the problem alone, without Go's.
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Kind != MNIST || !strings.Contains(nf.Problem, missingDir) || strings.Contains(nf.Problem, "mnist.Download") {
		t.Errorf("missing dir: error %#v is not a *NotFoundError for MNIST whose Problem names the directory and nothing more", err)
	}

	notDir := filepath.Join("testdata", "tiny", "t10k-labels-idx1-ubyte")
	if _, _, err := Load(notDir); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("file as dir: error %v", err)
	}

	dir := copyTiny(t)
	os.Remove(filepath.Join(dir, "train-labels-idx1-ubyte.gz"))
	os.Remove(filepath.Join(dir, "t10k-images-idx3-ubyte"))
	_, _, err = Load(dir)
	for _, w := range []string{"train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz not found in " + dir, "without .gz", "mnist.Download"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("missing files: error %v does not mention %q", err, w)
		}
	}

	if _, _, err := LoadDataset(EmbeddedSubset, "testdata/tiny"); err == nil {
		t.Error("LoadDataset(EmbeddedSubset) did not fail")
	}
	if _, _, err := LoadDataset("cifar", "testdata/tiny"); err == nil {
		t.Error(`LoadDataset("cifar") did not fail`)
	}
}

func TestLoadMalformed(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		content    []byte
		want       string
	}{
		{"count mismatch", "t10k-labels-idx1-ubyte", labelsIDX(1, 2, 3), "has 3 labels but"},
		{"label 10", "t10k-labels-idx1-ubyte", labelsIDX(1, 10), "label 10 of example 1"},
		{"truncated", "t10k-images-idx3-ubyte", imagesIDX(2, 3, 2)[:20], "truncated payload"},
		{"test images of another size", "t10k-images-idx3-ubyte", imagesIDX(2, 2, 3), "test images are 2×3 but training images are 3×2"},
		{"swapped", "t10k-images-idx3-ubyte", labelsIDX(1, 2), "not an image file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyTiny(t)
			path := filepath.Join(dir, tc.file)
			if err := os.WriteFile(path, tc.content, 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err := Load(dir)
			var fe *FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), dir) {
				t.Errorf("error %v: want a *FormatError naming %s and %q", err, dir, tc.want)
			}
		})
	}
}

func TestLoadUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can read any file")
	}
	dir := copyTiny(t)
	path := filepath.Join(dir, "t10k-labels-idx1-ubyte")
	os.Chmod(path, 0)
	_, _, err := Load(dir)
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v: want a permission error naming %s", err, path)
	}
}

func TestParseDataset(t *testing.T) {
	for in, want := range map[string]Dataset{"mnist": MNIST, "MNIST": MNIST, "fashion": Fashion, "Fashion-MNIST": Fashion, " embedded ": EmbeddedSubset} {
		if got, err := ParseDataset(in); got != want || err != nil {
			t.Errorf("ParseDataset(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseDataset("cifar10"); err == nil || !strings.Contains(err.Error(), `"cifar10"`) {
		t.Errorf("ParseDataset(cifar10): err = %v", err)
	}
	for d, want := range map[Dataset]string{MNIST: "MNIST", Fashion: "Fashion-MNIST", EmbeddedSubset: "embedded MNIST subset", "x": "x"} {
		if d.Title() != want {
			t.Errorf("%q.Title() = %q, want %q", d, d.Title(), want)
		}
	}
}
