// Command autograder builds a Gradescope autograder zip for the exercises
// notebook, following Gradescope's documented layout: setup.sh and
// run_autograder at the root of the zip, this module's tracked files under
// backprop/ (Gradescope extracts the zip into /autograder/source), except
// the solutions, which the learner's code could read there. setup.sh
// installs the Go toolchain this command runs with, downloads the modules
// go.sum pins and builds cmd/nbgrade; run_autograder grades
// /autograder/submission/10-exercises.ipynb (or the submission's only
// notebook) and nbgrade writes /autograder/results/results.json.
//
// Usage:
//
//	go run ./cmd/autograder [-o autograder.zip] [-points P]
//
// Both scripts honour AUTOGRADER_ROOT (default /autograder), so that a test
// can unpack the zip into a temporary tree and run them offline.
package main

import (
	"archive/zip"
	"bytes"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/backprop-lab/backprop/grading/runner"
)

// The notebook a learner submits, and the blank one setup.sh warms the
// build cache with (paths in the module).
const (
	notebookName    = "10-exercises.ipynb"
	studentNotebook = "notebooks/10-exercises.ipynb"
)

var (
	//go:embed setup.sh
	setupSh string
	//go:embed run_autograder
	runAutograder string
)

func main() {
	out := flag.String("o", "autograder.zip", "the zip to write")
	points := flag.Float64("points", 0, "points of every exercise (default: each exercise's own)")
	module := flag.String("backprop", "", "this project's module directory (default: the module containing the working directory)")
	flag.Parse()
	dir, _, err := runner.FindBackprop(*module)
	if err == nil && dir == "" {
		err = fmt.Errorf("run inside the module, or give -backprop DIR")
	}
	if err == nil {
		err = build(*out, dir, *points)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "autograder:", err)
		os.Exit(1)
	}
	fmt.Println("wrote", *out)
}

// build writes the zip to out from the module in dir.
func build(out, dir string, points float64) error {
	files, err := moduleFiles(dir)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	vars := strings.NewReplacer("{{GO_VERSION}}", runtime.Version(), "{{STUDENT_NOTEBOOK}}", studentNotebook,
		"{{NOTEBOOK_NAME}}", notebookName, "{{POINTS}}", strconv.FormatFloat(points, 'g', -1, 64))
	for name, text := range map[string]string{"setup.sh": setupSh, "run_autograder": runAutograder} {
		if err := add(zw, name, 0o755, strings.NewReader(vars.Replace(text))); err != nil {
			return err
		}
	}
	for _, f := range files {
		if instructorOnly(f) {
			continue
		}
		r, err := os.Open(filepath.Join(dir, f))
		if err != nil {
			return err
		}
		err = add(zw, "backprop/"+filepath.ToSlash(f), 0o644, r)
		r.Close()
		if err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

func add(zw *zip.Writer, name string, mode fs.FileMode, r io.Reader) error {
	h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	h.SetMode(mode)
	w, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, r)
	return err
}

// instructorOnly reports whether a file must stay out of the zip: the
// solutions notebook (the learner's code runs in the container and could
// print any file it reads into its results).
func instructorOnly(path string) bool {
	p := filepath.ToSlash(path)
	return strings.Contains(p, "solutions") || strings.HasPrefix(p, "notebooks/instructor/")
}

// moduleFiles lists the module's files: those git tracks, else every file
// but .git, bin and editor leftovers.
func moduleFiles(dir string) ([]string, error) {
	cmd := exec.Command("git", "ls-files", "-z")
	cmd.Dir = dir
	if out, err := cmd.Output(); err == nil && len(out) > 0 {
		var files []string
		for _, f := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
			if fi, err := os.Stat(filepath.Join(dir, f)); err == nil && fi.Mode().IsRegular() {
				files = append(files, f)
			}
		}
		return files, nil
	}
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() && (d.Name() == ".git" || rel == "bin") {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() && !strings.HasSuffix(d.Name(), "~") {
			files = append(files, rel)
		}
		return nil
	})
	return files, err
}
