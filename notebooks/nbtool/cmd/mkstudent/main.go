// Command mkstudent writes the student version of every solutions notebook:
// instructor/NAME-solutions.ipynb → NAME.ipynb, with each marked solution replaced by
// a stub and instructors' notes removed (see nbtool.Student for the
// markers, nbgrader's BEGIN SOLUTION / END SOLUTION).
//
// Usage:
//
//	go run ./notebooks/nbtool/cmd/mkstudent [-check] [NAME-solutions.ipynb ...]
//
// Without files it handles every notebooks/instructor/*-solutions.ipynb of
// the repository that contains the current directory; the student version
// of notebooks/instructor/NAME-solutions.ipynb is notebooks/NAME.ipynb. With -check it writes
// nothing and exits with status 1 if a student version is missing or out of
// date. Edit the solutions notebook, never the student version: the tests
// fail when the two drift apart.
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
	check := flag.Bool("check", false, "only report student versions that are missing or out of date; exit 1 if any")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: mkstudent [-check] [NAME-solutions.ipynb ...]")
		flag.PrintDefaults()
	}
	flag.Parse()
	files := flag.Args()
	if len(files) == 0 {
		var err error
		if files, err = defaultFiles(); err != nil {
			fmt.Fprintln(os.Stderr, "mkstudent:", err)
			os.Exit(2)
		}
	}
	status := 0
	for _, f := range files {
		out, changed, err := generate(f, *check)
		switch {
		case err != nil:
			fmt.Fprintf(os.Stderr, "mkstudent: %s: %v\n", f, err)
			status = 2
		case changed && *check:
			fmt.Printf("%s: out of date (run go run ./notebooks/nbtool/cmd/mkstudent)\n", out)
			status = max(status, 1)
		case changed:
			fmt.Printf("%s: written from %s\n", out, f)
		}
	}
	os.Exit(status)
}

// generate writes the student version of the solutions notebook sol
// (unless checkOnly) and reports its path and whether it changed.
func generate(sol string, checkOnly bool) (string, bool, error) {
	name := nbtool.StudentName(filepath.Base(sol))
	if name == "" {
		return "", false, fmt.Errorf("not a solutions notebook (its name must end in %s.ipynb)", nbtool.SolutionsSuffix)
	}
	out := nbtool.StudentPath(sol)
	data, err := os.ReadFile(sol)
	if err != nil {
		return out, false, err
	}
	student, err := nbtool.Student(data)
	if err != nil {
		return out, false, err
	}
	old, err := os.ReadFile(out)
	if err == nil && bytes.Equal(old, student) {
		return out, false, nil
	}
	if checkOnly {
		return out, true, nil
	}
	return out, true, atomicfile.WriteFile(out, student, 0o644)
}

// defaultFiles returns the solutions notebooks (InstructorDir) of the
// repository containing the current directory.
func defaultFiles() ([]string, error) {
	root, err := nbtool.FindRoot(".")
	if err != nil {
		return nil, fmt.Errorf("%v; name the notebooks", err)
	}
	dir := filepath.Join(root, nbtool.InstructorDir)
	files, err := filepath.Glob(filepath.Join(dir, "*"+nbtool.SolutionsSuffix+".ipynb"))
	if err == nil && len(files) == 0 {
		err = fmt.Errorf("no solutions notebooks in %s", dir)
	}
	return files, err
}
