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
// machine), below which no ratio is printed whatever library was found.
// Measured on the hosts here: the reference (Netlib) BLAS ≈ 5 GFLOP/s,
// OpenBLAS 60–160 and nn's Dgemm of the same order as OpenBLAS (DESIGN.md
// §3): the reference BLAS runs at 1/10–1/30 of ours, an optimized BLAS at
// more than 1/2, so 1/5 separates them with room on both sides. A floor in
// absolute GFLOP/s would not: on a loaded machine OpenBLAS itself falls to
// a few GFLOP/s.
const minDGEMMShare = 0.2

// blasLibraries names the BLAS implementations recognised in a resolved
// library path or a build report, optimized ones first: a path is matched
// against every optimized pattern before the reference ones, so Debian's
// OpenBLAS alternative (…/openblas-pthread/libblas.so.3) is OpenBLAS.
var blasLibraries = []struct {
	pattern   string // lower-case substring of the path or the build report
	name      string
	optimized bool
}{
	{"openblas", "OpenBLAS", true},
	{"blas_info=open", "OpenBLAS", true}, // torch's build report
	{"mkl", "Intel MKL", true},
	{"blis", "BLIS", true},
	{"armpl", "Arm Performance Libraries", true},
	{"accelerate", "Apple Accelerate", true},
	{"atlas", "ATLAS", true},
	// Netlib's reference BLAS: Debian's libblas3 (…/blas/libblas.so.3.*),
	// or any plain libblas/libcblas that none of the above claimed.
	{"libblas.so", "the reference BLAS (Netlib)", false},
	{"libcblas.so", "the reference BLAS (Netlib)", false},
}

// blasVerdict is which BLAS a participant used and whether a ratio against
// it is fair.
type blasVerdict struct {
	name   string // e.g. "OpenBLAS", "the reference BLAS (Netlib)", "an unidentified BLAS"
	where  string // the library path or build report that told
	refuse string // why no ratio may be printed; "" if it may
}

// classify decides from a peer's report which BLAS it ran on, given our
// DGEMM speed in the same run (GFLOP/s). It refuses a ratio when the
// library found is the reference BLAS, and when the peer's DGEMM is below
// minDGEMMShare of ours (an unrecognised library as slow as the reference
// one, or an optimized one starved of CPU: either way the comparison would
// flatter us).
func classify(b blasInfo, ours float64) blasVerdict {
	v := blasVerdict{name: "an unidentified BLAS"}
	if name, where, optimized, ok := identify(append(slices.Clone(b.Libraries), b.Config)); ok {
		v.name, v.where = name, where
		if !optimized {
			v.refuse = fmt.Sprintf("it ran on %s (%s)", name, filepath.Base(where))
		}
	}
	if v.refuse == "" && b.DGEMM < minDGEMMShare*ours {
		v.refuse = fmt.Sprintf("its 1000×1000 DGEMM ran at %.1f GFLOP/s, below %g of ours (%.1f GFLOP/s), as slow as a reference BLAS", b.DGEMM, minDGEMMShare, ours)
	}
	return v
}

// identify returns the first entry of blasLibraries found in sources
// (library paths, a build report), trying every optimized entry before the
// reference ones; where is the source that matched, a file named for the
// library (libopenblasp-r0.3.21.so) rather than one in its folder
// (openblas-pthread/liblapack.so.3).
func identify(sources []string) (name, where string, optimized, ok bool) {
	for _, want := range []bool{true, false} {
		for _, lib := range blasLibraries {
			if lib.optimized != want {
				continue
			}
			for _, part := range []func(string) string{filepath.Base, func(s string) string { return s }} {
				for _, src := range sources {
					if src != "" && strings.Contains(strings.ToLower(part(src)), lib.pattern) {
						return lib.name, src, lib.optimized, true
					}
				}
			}
		}
	}
	return "", "", false, false
}

// describe is the report's line about a peer's BLAS: name, evidence, speed
// and build report.
func describe(b blasInfo, v blasVerdict) string {
	s := v.name
	if v.where != "" {
		s += " (" + v.where + ")"
	}
	s += fmt.Sprintf("; DGEMM 1000×1000: %.1f GFLOP/s", b.DGEMM)
	if b.Config != "" && b.Config != v.where {
		s += "; " + b.Config
	}
	return s
}
