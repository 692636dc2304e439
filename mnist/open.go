package mnist

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// EnvData names the environment variable that points at a data root: a
// directory holding mnist/ and/or fashion-mnist/, each with the four official
// files. When set, it replaces the cache directory as DefaultDir.
const EnvData = "BACKPROP_DATA"

// CacheDir returns the per-user cache directory for kind:
// os.UserCacheDir()/backprop/mnist or .../backprop/fashion-mnist.
func CacheDir(kind Dataset) (string, error) {
	root, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("mnist: no per-user cache directory (set $%s): %w", EnvData, err)
	}
	return filepath.Join(root, "backprop", kind.subdir()), nil
}

// DefaultDir returns where Download puts kind when given no directory:
// $BACKPROP_DATA/mnist (or /fashion-mnist) if BACKPROP_DATA is set, else
// CacheDir(kind).
func DefaultDir(kind Dataset) (string, error) {
	if root := os.Getenv(EnvData); root != "" {
		return filepath.Join(root, kind.subdir()), nil
	}
	return CacheDir(kind)
}

func displayDefaultDir(kind Dataset) string {
	d, err := DefaultDir(kind)
	if err != nil {
		return "unknown: " + err.Error()
	}
	return d
}

// Open returns the training and test sets of kind and a one-line description
// of where they came from, for the command line and the notebooks. It never
// uses the network: downloads happen only through Download or Fetch.
//
//   - If dir is not "", the files must be there (LoadDataset(kind, dir)).
//   - Otherwise Open looks in $BACKPROP_DATA/mnist (or /fashion-mnist), then
//     in CacheDir(kind), and loads the first directory holding all four
//     files. Files that are present but malformed are an error, not a reason
//     to look further.
//   - If neither holds the files, MNIST falls back to the embedded subset
//     (see Embedded) and the description says so and where it looked (how
//     to get the full data is the caller's advice: Download from Go, a flag
//     on the command line); Fashion-MNIST has no embedded subset, so that
//     is a *NotFoundError saying how to get the data.
//
// Kind EmbeddedSubset always returns the embedded subset (dir must be "").
func Open(kind Dataset, dir string) (train, test *Set, source string, err error) {
	switch kind {
	case EmbeddedSubset:
		if dir != "" {
			return nil, nil, "", fmt.Errorf("mnist: the embedded subset is not read from a directory (got %q)", dir)
		}
		train, test = Embedded()
		return train, test, train.Kind.Title() + fmt.Sprintf(" (%d train / %d test, compiled in)", train.N, test.N), nil
	case MNIST, Fashion:
	default:
		return nil, nil, "", kind.downloadable()
	}
	if dir != "" {
		train, test, err = LoadDataset(kind, dir)
		if err != nil {
			return nil, nil, "", err
		}
		return train, test, fmt.Sprintf("%s from %s", kind.Title(), dir), nil
	}

	dir, why, looked := Find(kind)
	if dir != "" {
		train, test, err = LoadDataset(kind, dir)
		if err != nil {
			return nil, nil, "", err
		}
		return train, test, fmt.Sprintf("%s from %s (%s)", kind.Title(), dir, why), nil
	}
	if kind == MNIST {
		train, test = Embedded()
		source = fmt.Sprintf("%s (%d train / %d test) — no full MNIST (60000/10000) found: %s",
			EmbeddedSubset.Title(), train.N, test.N, strings.Join(looked, "; "))
		return train, test, source, nil
	}
	return nil, nil, "", &NotFoundError{kind, "no " + kind.Title() + " files found: " + strings.Join(looked, "; ")}
}

// Find returns the first place holding all four files of kind (MNIST or
// Fashion), in the order Open looks: $BACKPROP_DATA/mnist (or
// /fashion-mnist) if BACKPROP_DATA is set, then CacheDir(kind) (where
// Download and `train --download` put them). why is "$BACKPROP_DATA" or
// "cache". If no place holds them, dir is "" and looked says, per place,
// what it found ("DIR (cache): only 2 of the 4 files", "$BACKPROP_DATA is
// not set"). Find only lists directories: the files are checked when loaded.
func Find(kind Dataset) (dir, why string, looked []string) {
	try := func(dir, why string) bool {
		switch n := countFiles(dir); n {
		case len(fileNames):
			return true
		case 0:
			looked = append(looked, fmt.Sprintf("%s (%s): no files", dir, why))
		default:
			looked = append(looked, fmt.Sprintf("%s (%s): only %d of the %d files", dir, why, n, len(fileNames)))
		}
		return false
	}
	if root := os.Getenv(EnvData); root != "" {
		if d := filepath.Join(root, kind.subdir()); try(d, "$"+EnvData) {
			return d, "$" + EnvData, looked
		}
	} else {
		looked = append(looked, "$"+EnvData+" is not set")
	}
	if cache, err := CacheDir(kind); err == nil {
		if try(cache, "cache") {
			return cache, "cache", looked
		}
	} else {
		looked = append(looked, err.Error())
	}
	return "", "", looked
}

// countFiles reports how many of the four official files (gzipped or not)
// are in dir; 0 if dir does not exist.
func countFiles(dir string) int {
	n := 0
	for _, name := range fileNames {
		if _, err := findFile(dir, name); err == nil {
			n++
		}
	}
	return n
}
