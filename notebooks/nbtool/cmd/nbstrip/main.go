// Command nbstrip removes outputs, execution counts and run-time metadata
// from Jupyter notebooks and writes them back in nbformat's own layout, the
// form in which this repository commits notebooks (see package nbtool). It
// also writes the current setup note and setup cell at the top of a
// notebook (nbtool.UpdateSetup), replacing an older setup cell.
//
// Usage:
//
//	go run ./notebooks/nbtool/cmd/nbstrip [-check] [file.ipynb ...]
//
// Without files it strips every notebook of the repository that contains
// the current directory (notebooks/*.ipynb and notebooks/instructor/*.ipynb).
// With -check it changes nothing and exits with status 1 if a notebook is
// not stripped.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/backprop-lab/backprop/internal/atomicfile"
	"github.com/backprop-lab/backprop/notebooks/nbtool"
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
			fmt.Printf("%s: not stripped (run go run ./notebooks/nbtool/cmd/nbstrip)\n", f)
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
	updated, _, err := nbtool.UpdateSetup(data)
	if err != nil {
		return false, err
	}
	out, err := nbtool.Strip(updated)
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
	return true, atomicfile.WriteFile(path, out, fi.Mode().Perm())
}

// defaultFiles returns every notebook of the repository containing the
// current directory (see nbtool.Notebooks).
func defaultFiles() ([]string, error) {
	root, err := nbtool.FindRoot(".")
	if err != nil {
		return nil, fmt.Errorf("%v; name the notebooks", err)
	}
	files, err := nbtool.Notebooks(root)
	for i, f := range files {
		files[i] = filepath.Join(root, f)
	}
	return files, err
}
