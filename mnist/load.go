package mnist

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Dataset names a data set. Its values are the strings a command-line flag
// would take: "mnist", "fashion", "embedded".
type Dataset string

// The supported data sets.
const (
	// MNIST is the handwritten digit set (60 000 train / 10 000 test, 28×28).
	MNIST Dataset = "mnist"
	// Fashion is Fashion-MNIST (Zalando): same format, sizes and file names
	// as MNIST, ten classes of clothing.
	Fashion Dataset = "fashion"
	// EmbeddedSubset is the MNIST subset compiled into this package; see Embedded.
	EmbeddedSubset Dataset = "embedded"
)

// ParseDataset converts a name such as a flag value to a Dataset. It accepts
// "mnist", "fashion" (or "fashion-mnist") and "embedded", ignoring case.
func ParseDataset(s string) (Dataset, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "mnist":
		return MNIST, nil
	case "fashion", "fashion-mnist", "fashion_mnist", "fashionmnist":
		return Fashion, nil
	case "embedded":
		return EmbeddedSubset, nil
	}
	return "", fmt.Errorf("mnist: unknown data set %q (want mnist, fashion or embedded)", s)
}

// Title returns the data set's display name, e.g. "Fashion-MNIST".
func (d Dataset) Title() string {
	switch d {
	case MNIST:
		return "MNIST"
	case Fashion:
		return "Fashion-MNIST"
	case EmbeddedSubset:
		return "embedded MNIST subset"
	}
	return string(d)
}

// subdir is the directory name used under a data root or the cache directory.
func (d Dataset) subdir() string {
	if d == Fashion {
		return "fashion-mnist"
	}
	return "mnist"
}

func (d Dataset) downloadable() error {
	if d != MNIST && d != Fashion {
		return fmt.Errorf("mnist: data set %q has no files (want %q or %q; the embedded subset needs none)", d, MNIST, Fashion)
	}
	return nil
}

// The official file names, identical for MNIST and Fashion-MNIST. Load also
// accepts each without its ".gz" suffix (decompressed files).
const (
	trainImagesFile = "train-images-idx3-ubyte.gz"
	trainLabelsFile = "train-labels-idx1-ubyte.gz"
	testImagesFile  = "t10k-images-idx3-ubyte.gz"
	testLabelsFile  = "t10k-labels-idx1-ubyte.gz"
)

var fileNames = [4]string{trainImagesFile, trainLabelsFile, testImagesFile, testLabelsFile}

// Load reads MNIST from dir, which must hold the four official files
// train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
// t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (each may also be
// stored decompressed, without ".gz"). It is LoadDataset(MNIST, dir).
func Load(dir string) (train, test *Set, err error) {
	return LoadDataset(MNIST, dir)
}

// LoadDataset reads the official files of kind (MNIST or Fashion) from dir;
// see Load. A missing directory or file is a *NotFoundError that names the
// path and says how to get the data; malformed data is a *FormatError.
func LoadDataset(kind Dataset, dir string) (train, test *Set, err error) {
	if err := kind.downloadable(); err != nil {
		return nil, nil, err
	}
	paths, err := findFiles(kind, dir)
	if err != nil {
		return nil, nil, err
	}
	train, err = loadPair(kind, paths[0], paths[1], "train")
	if err != nil {
		return nil, nil, err
	}
	test, err = loadPair(kind, paths[2], paths[3], "test")
	if err != nil {
		return nil, nil, err
	}
	if train.Rows != test.Rows || train.Cols != test.Cols {
		return nil, nil, formatErr(paths[2], nil, "test images are %d×%d but training images are %d×%d", test.Rows, test.Cols, train.Rows, train.Cols)
	}
	return train, test, nil
}

// NotFoundError reports dataset files that are not where they were looked
// for (a missing directory or missing files). Its message ends with how a
// Go program gets them (Download, $BACKPROP_DATA, Embedded); a command-line
// tool can print Problem with advice in terms of its own flags instead.
type NotFoundError struct {
	Kind    Dataset
	Problem string // what is missing where, e.g. "MNIST data directory /x does not exist"
}

func (e *NotFoundError) Error() string { return "mnist: " + e.Problem + "; " + howToGet(e.Kind) }

// howToGet tells a user where the data of kind can come from.
func howToGet(kind Dataset) string {
	return fmt.Sprintf("get the files with mnist.Download(ctx, %q, dir) (the cache directory is %s), "+
		"point $%s at a directory holding %s/, or use mnist.Embedded() for the offline subset",
		string(kind), displayDefaultDir(kind), EnvData, kind.subdir())
}

// findFiles returns the paths of the four files of kind in dir, in the
// order of fileNames.
func findFiles(kind Dataset, dir string) ([4]string, error) {
	var paths [4]string
	st, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return paths, &NotFoundError{kind, fmt.Sprintf("%s data directory %s does not exist", kind.Title(), dir)}
		}
		return paths, fmt.Errorf("mnist: %s data directory: %w", kind.Title(), err)
	}
	if !st.IsDir() {
		return paths, fmt.Errorf("mnist: %s data directory %s is not a directory", kind.Title(), dir)
	}
	var missing []string
	for i, name := range fileNames {
		p, err := findFile(dir, name)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				return paths, fmt.Errorf("mnist: %w", err)
			}
			missing = append(missing, name)
		}
		paths[i] = p
	}
	if len(missing) > 0 {
		return paths, &NotFoundError{kind, fmt.Sprintf("%s: %s not found in %s (also looked for the names without .gz)",
			kind.Title(), strings.Join(missing, ", "), dir)}
	}
	return paths, nil
}

// findFile returns dir/name if it exists, else dir/name without ".gz", else
// an error wrapping fs.ErrNotExist.
func findFile(dir, name string) (string, error) {
	p := filepath.Join(dir, name)
	_, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		p2 := strings.TrimSuffix(p, ".gz")
		if _, err2 := os.Stat(p2); !errors.Is(err2, fs.ErrNotExist) {
			return p2, err2
		}
	}
	return p, err
}

func loadPair(kind Dataset, imagesPath, labelsPath, split string) (*Set, error) {
	images, err := parseFile(imagesPath)
	if err != nil {
		return nil, err
	}
	labels, err := parseFile(labelsPath)
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("%s %s (%d examples from %s)", kind.Title(), split, labels.Dims[0], filepath.Dir(imagesPath))
	return NewSet(images, labels, kind, name)
}
