package worker

import (
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// LearnerFrame returns where in the learner's code the current goroutine
// is, innermost first: call it from a deferred function that recovered a
// panic, and it names the learner's function the panic came from (or that
// called the library function that panicked). skip is as for
// runtime.Callers. The position is the learner's:
//
//	(*MyDense).Backward at In [7], line 3   a notebook cell, by cmd/nbgrade's line directives
//	student.(*Layer).Backward at layer.go:12  a package (cmd/gradcheck)
//	(*MyDense).Backward                     a GoNB cell, whose generated file's lines mean nothing to the learner
//
// It returns "" when no frame is the learner's.
func LearnerFrame(skip int) string {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(skip, pcs)])
	for {
		f, more := frames.Next()
		if IsLearnerFunc(f.Function) {
			return DescribeFrame(f.Function, f.File, f.Line)
		}
		if !more {
			return ""
		}
	}
}

// IsLearnerFunc reports whether a function (as runtime.Frame.Function
// names it) is the learner's: package main but not main.main or its
// closures (a GoNB cell, a generated grading program), a package of a
// generated grading module, or any package outside the standard library,
// this project's libraries (nn, gradcheck, grading, mnist, lesson) and gonum.
func IsLearnerFunc(fn string) bool {
	if rest, ok := strings.CutPrefix(fn, "main."); ok {
		return rest != "main" && !strings.HasPrefix(rest, "main.")
	}
	if strings.HasPrefix(fn, "gonum.org/") {
		return false
	}
	if rest, ok := strings.CutPrefix(fn, modulePath+"/"); ok { // ours, except a submission kept in our tree
		for _, lib := range []string{"nn", "gradcheck", "grading", "mnist", "lesson"} {
			if strings.HasPrefix(rest, lib+".") || strings.HasPrefix(rest, lib+"/") {
				return false
			}
		}
		return true
	}
	first, _, _ := strings.Cut(fn, "/")
	if !strings.Contains(fn, "/") {
		first, _, _ = strings.Cut(fn, ".")
	}
	return strings.Contains(first, ".") || first == "gradcheckrun" || first == "nbgraderun"
}

// DescribeFrame renders a learner's frame (see LearnerFrame).
func DescribeFrame(fn, file string, line int) string {
	name := fn
	if k := strings.LastIndex(name, "/"); k >= 0 {
		name = name[k+1:]
	}
	name = strings.TrimPrefix(name, "main.")
	base := filepath.Base(file)
	switch {
	case IsCell(file):
		return name + " at " + Position(file, strconv.Itoa(line))
	case strings.Contains(file, "gonb_") || base == "":
		return name
	}
	return name + " at " + base + ":" + strconv.Itoa(line)
}

// modulePath is this project's module.
const modulePath = "github.com/backprop-lab/backprop"

// Position renders a learner's file and line: "In [7], line 3" for a
// notebook cell named by a line directive, else "file:line".
func Position(file, line string) string {
	if IsCell(file) {
		return file + ", line " + line
	}
	return file + ":" + line
}

// IsCell reports whether a file name is a notebook cell's, as the line
// directives of a notebook's Go source name them ("In [7]", or "code cell
// 5" in a notebook never run).
func IsCell(file string) bool {
	return strings.HasPrefix(file, "In [") || strings.HasPrefix(file, "code cell ")
}
