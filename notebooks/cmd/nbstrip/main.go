// Command nbstrip removes outputs, execution counts and run-time metadata
// from Jupyter notebooks and writes them back in nbformat's own layout, the
// form in which this repository commits notebooks (see package notebooks).
//
// Usage:
//
//	go run ./notebooks/cmd/nbstrip [-check] [file.ipynb ...]
//
// Without files it strips every notebooks/*.ipynb of the repository that
// contains the current directory. With -check it changes nothing and exits
// with status 1 if a notebook is not stripped.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/backprop-lab/backprop/notebooks"
)

func main() {
	check := flag.Bool("check", false, "only report notebooks that are not stripped; exit 1 if any")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: nbstrip [-check] [file.ipynb ...]")
		flag.PrintDefaults()
	}
	flag.Parse()
	files := flag.Args()
	if len(files) == 0 {
		var err error
		if files, err = defaultFiles(); err != nil {
			fmt.Fprintln(os.Stderr, "nbstrip:", err)
			os.Exit(2)
		}
	}
	status := 0
	for _, f := range files {
		changed, err := strip(f, *check)
		switch {
		case err != nil:
			fmt.Fprintf(os.Stderr, "nbstrip: %s: %v\n", f, err)
			status = 2
		case changed && *check:
			fmt.Printf("%s: not stripped (run go run ./notebooks/cmd/nbstrip)\n", f)
			status = max(status, 1)
		case changed:
			fmt.Printf("%s: stripped\n", f)
		}
	}
	os.Exit(status)
}

// strip strips one file (unless checkOnly) and reports whether it changed.
func strip(path string, checkOnly bool) (bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	out, err := notebooks.Strip(data)
	if err != nil {
		return false, err
	}
	if bytes.Equal(out, data) {
		return false, nil
	}
	if checkOnly {
		return true, nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	// Write a sibling and rename, so an interrupted run leaves the notebook whole.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".nbstrip-*")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(out); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Chmod(fi.Mode().Perm()); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	return true, os.Rename(tmp.Name(), path)
}

// defaultFiles returns notebooks/*.ipynb of the module containing the
// current directory.
func defaultFiles() ([]string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, fmt.Errorf("no go.mod above the current directory; name the notebooks")
		}
		dir = parent
	}
	files, err := filepath.Glob(filepath.Join(dir, "notebooks", "*.ipynb"))
	if err == nil && len(files) == 0 {
		err = fmt.Errorf("no notebooks in %s", filepath.Join(dir, "notebooks"))
	}
	return files, err
}
