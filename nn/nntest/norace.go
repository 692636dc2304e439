//go:build !race

package nntest

// RaceEnabled reports whether the binary is built with the race detector
// (go test -race). Allocation counts mean nothing then: the detector
// allocates on its own, and sync.Pool drops items at random under it, so
// zero-allocation tests skip themselves and say why.
const RaceEnabled = false
