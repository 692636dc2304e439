// Command book writes the lessons as a static web site (what make book
// runs): it executes every lesson with a GoNB kernel, then renders the
// executed notebooks, an index in lesson order, navigation between lessons
// and the Russian guide into -o, with echarts.min.js and its licence beside
// the pages (see nbtool.Book). Open -o/index.html in a browser, or publish
// the folder as it is on any static host.
//
// Usage:
//
//	go run ./notebooks/nbtool/cmd/book [-o DIR] [-executed DIR] [-tools DIR] [-mathjax DIR|none]
//
// With -executed it renders the notebooks already executed there and runs
// nothing. Formulas are typeset by the MathJax 2.7 that Debian's
// libjs-mathjax installs, shipped beside the pages, if it is there.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/backprop-lab/backprop/notebooks/nbtool"
)

func main() {
	out := flag.String("o", "", "the site's folder (default .cache/book in the repository)")
	executed := flag.String("executed", "", "render the lessons already executed in this folder instead of running them")
	tools := flag.String("tools", "", "folder for gonb and goimports (default bin in the repository)")
	timeout := flag.Int("cell-timeout", 1200, "seconds one cell may run")
	mathjax := flag.String("mathjax", "", "MathJax 2.7 folder to typeset formulas with (default "+nbtool.DefaultMathJax+" if present; \"none\": leave TeX source)")
	flag.Parse()
	if *mathjax == "" {
		if _, err := os.Stat(nbtool.DefaultMathJax); err == nil {
			*mathjax = nbtool.DefaultMathJax
		}
	}
	if *mathjax == "none" {
		*mathjax = ""
	}
	if err := run(*out, *executed, *tools, *mathjax, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "book:", err)
		os.Exit(1)
	}
}

func run(out, executed, tools, mathjax string, timeout int) error {
	root, err := nbtool.FindRoot(".")
	if err != nil {
		return err
	}
	if out == "" {
		out = filepath.Join(root, ".cache", "book")
	}
	if tools == "" {
		tools = filepath.Join(root, "bin")
	}
	bin, err := nbtool.Venv(root) // jupyter nbconvert, from the project's Python environment
	if err != nil {
		return err
	}
	if executed == "" {
		executed = filepath.Join(root, ".cache", "book-executed")
		if err := os.MkdirAll(executed, 0o755); err != nil {
			return err
		}
		if err := nbtool.ExecuteLessons(root, tools, bin, executed, timeout, os.Stderr); err != nil {
			return err
		}
	}
	pages, err := nbtool.Book{Root: root, Executed: executed, Out: out, MathJax: mathjax, Jupyter: filepath.Join(bin, "jupyter")}.Build()
	if err != nil {
		return err
	}
	fmt.Printf("wrote %d pages to %s; open %s\n", len(pages), out, pages[0])
	return nil
}
