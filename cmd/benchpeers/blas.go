package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// blasInfo is what a participant reports about the BLAS it ran on (the
// "blas" record of peers.py; the Go worker fills DGEMM and Config only).
type blasInfo struct {
	// Libraries are the resolved paths of the BLAS-like shared libraries
	// mapped into the process (Linux /proc/self/maps).
	Libraries []string `json:"libraries"`
	// Config is the library's own build report in one line
	// (numpy.show_config, torch.__config__.show's BLAS_INFO).
	Config string `json:"config"`
	// DGEMM is the speed of a 1000×1000 float64 product, GFLOP/s.
	DGEMM float64 `json:"dgemm_gflops"`
}

// minDGEMMShare is the floor of a peer's 1000×1000 float64 DGEMM speed, as
// a share of ours measured in the same run (on the same, possibly busy,
// machine), below which no ratio is printed against a peer whose BLAS
// library is not recognised.
// Measured on the hosts here: the reference (Netlib) BLAS ≈ 5 GFLOP/s
// where OpenBLAS reaches 158 (DESIGN.md §3), and, in one loaded run of this
// command, OpenBLAS 27.7 beside ours 6.4 and Netlib's 0.9 beside ours 4.5:
// the reference BLAS runs at well under 1/5 of ours, OpenBLAS above it. A
// floor in absolute GFLOP/s would not separate them: on a loaded machine
// OpenBLAS itself falls to a few GFLOP/s. It is the fallback for libraries
// the path does not name; the reference BLAS is recognised by its path.
const minDGEMMShare = 0.2

// blasLibraries names the optimized BLAS implementations recognised in a
// resolved library path or a build report. Debian's OpenBLAS alternative is
// …/openblas-pthread/libblas.so.3: the folder names it.
var blasLibraries = []struct {
	pattern string // lower-case substring of the path or the build report
	name    string
}{
	{"openblas", "OpenBLAS"},
	{"blas_info=open", "OpenBLAS"}, // torch's build report
	{"mkl", "Intel MKL"},
	{"blis", "BLIS"},
	{"armpl", "Arm Performance Libraries"},
	{"accelerate", "Apple Accelerate"},
	{"atlas", "ATLAS"},
}

// referenceBLAS names Netlib's reference BLAS, and referenceFiles the file
// names it comes in (Debian's libblas3: …/blas/libblas.so.3.11.0, with
// libcblas): a file so named whose path names no optimized library is the
// reference BLAS.
const referenceBLAS = "the reference BLAS (Netlib)"

var referenceFiles = []string{"libblas.so", "libcblas.so"}

// blasVerdict is which BLAS a participant used and whether a ratio against
// it is fair.
type blasVerdict struct {
	name   string // e.g. "OpenBLAS", "the reference BLAS (Netlib)", "an unidentified BLAS"
	where  string // the library path or build report that told
	refuse string // why no ratio may be printed; "" if it may
}

// classify decides from a peer's report which BLAS it ran on, given our
// DGEMM speed in the same run (GFLOP/s). It refuses a ratio when the
// reference BLAS is among the libraries mapped into the process (even beside
// an optimized one: then the dynamic linker may take dgemm from either; seen
// with LD_LIBRARY_PATH pointing at Debian's libblas3 folder, where OpenBLAS
// came in through LAPACK and numpy's products ran at Netlib's speed), and
// when no library is recognised and the peer's DGEMM is below minDGEMMShare
// of ours (as slow as the reference BLAS). A recognised optimized library is
// not refused for its speed: a busy machine slows it as much as ours, and
// its measured GFLOP/s are printed beside it.
func classify(b blasInfo, ours float64) blasVerdict {
	v := blasVerdict{name: "an unidentified BLAS"}
	if ref := reference(b.Libraries); ref != "" {
		v.name, v.where = referenceBLAS, ref
		v.refuse = fmt.Sprintf("it ran with %s (%s) loaded", referenceBLAS, filepath.Base(ref))
	} else if name, where, ok := identify(append(slices.Clone(b.Libraries), b.Config)); ok {
		v.name, v.where = name, where
	} else if b.DGEMM == 0 {
		v.refuse = "its BLAS is not one this command knows, and a -process run does not time it: run without -process to see its speed"
	} else if b.DGEMM < minDGEMMShare*ours {
		v.refuse = fmt.Sprintf("its BLAS is not one this command knows and its 1000×1000 DGEMM ran at %.1f GFLOP/s, below %g of ours (%.1f GFLOP/s): as slow as a reference BLAS", b.DGEMM, minDGEMMShare, ours)
	}
	return v
}

// reference returns the first of libraries that is the reference BLAS
// (named as one of referenceFiles, in a path that names no optimized
// library), or "".
func reference(libraries []string) string {
	for _, lib := range libraries {
		if _, _, optimized := identify([]string{lib}); optimized {
			continue
		}
		for _, f := range referenceFiles {
			if strings.HasPrefix(strings.ToLower(filepath.Base(lib)), f) {
				return lib
			}
		}
	}
	return ""
}

// identify returns the first optimized library of blasLibraries found in
// sources (library paths, a build report); where is the source that
// matched, a file named for the library (libopenblasp-r0.3.21.so) rather
// than one in its folder (openblas-pthread/liblapack.so.3).
func identify(sources []string) (name, where string, ok bool) {
	for _, lib := range blasLibraries {
		for _, part := range []func(string) string{filepath.Base, func(s string) string { return s }} {
			for _, src := range sources {
				if src != "" && strings.Contains(strings.ToLower(part(src)), lib.pattern) {
					return lib.name, src, true
				}
			}
		}
	}
	return "", "", false
}

// describe is the report's line about a peer's BLAS: name, evidence, speed
// and build report.
func describe(b blasInfo, v blasVerdict) string {
	s := v.name
	if v.where != "" {
		s += " (" + v.where + ")"
	}
	s += "; " + b.speed()
	if b.Config != "" && b.Config != v.where {
		s += "; " + b.Config
	}
	return s
}

// speed is the report's words for b.DGEMM: its GFLOP/s, or that it was not
// timed (0: a -process run).
func (b blasInfo) speed() string {
	if b.DGEMM == 0 {
		return "DGEMM not timed (-process)"
	}
	return fmt.Sprintf("DGEMM 1000×1000: %.1f GFLOP/s", b.DGEMM)
}
