package gradcheck

import (
	"fmt"
	"runtime"
)

// Mode chooses which elements of each tensor are compared.
type Mode int

const (
	// Auto checks every element of small tensors (at most Options.MaxFull
	// elements, and every vector such as a bias, whatever its size) and a
	// seeded, stratified sample of Options.Samples elements of larger ones.
	Auto Mode = iota
	// Full checks every element of every tensor.
	Full
	// Directional compares one directional derivative per tensor,
	// (f(θ+h·d) − f(θ−h·d))/2h against ⟨∇f, d⟩ for a seeded random unit
	// direction d: two loss evaluations per tensor. A tensor whose
	// directional check is not clean (suspicious, wrong, or at a kink) is
	// then checked element by element as in Auto, to say where it is wrong.
	// One direction misses a wrong gradient e only when ⟨e, d⟩ happens to be
	// ≈ 0, which for a gross error has probability ≈ 1e-4; graders should
	// prefer Auto or Full.
	Directional
)

func (m Mode) String() string {
	switch m {
	case Auto:
		return "auto"
	case Full:
		return "full"
	case Directional:
		return "directional"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// ParseMode returns the Mode called s ("auto", "full" or "directional").
func ParseMode(s string) (Mode, error) {
	for _, m := range []Mode{Auto, Full, Directional} {
		if m.String() == s {
			return m, nil
		}
	}
	return 0, fmt.Errorf("gradcheck: unknown mode %q (want auto, full or directional)", s)
}

// Options configure a check. The zero value of every field means its
// default, given in parentheses; DefaultOptions returns them all.
type Options struct {
	// Mode selects which elements are compared (Auto).
	Mode Mode

	// Step is h in the central difference (f(θ+h) − f(θ−h)) / 2h (1e-5).
	// Its error is ≈ h²·|f‴|/6 (truncation) + ε·F/h (rounding, ε ≈ 2.2e-16,
	// F the size of the loss), smallest at h ≈ (3ε·F/|f‴|)^⅓ ≈ 1e-5 when
	// F ≈ |f‴| — CS231n's choice too. Measured on random networks, the
	// rounding error at 1e-5 is ≤ 1.4·ε·F/h and the truncation smaller. A
	// larger h would cross more ReLU kinks (they are detected and skipped,
	// but then not checked); a smaller one raises the noise floor, below
	// which a wrong gradient cannot be told from a right one. An element
	// that is not clean at h is measured again at h/10, 10h and 100h and
	// called wrong only if it is wrong at every step.
	Step float64

	// RTol and ATol are the absolute test |a − n| ≤ atol + RTol·|n|,
	// where atol = ATol + the rounding-noise floor of the central
	// difference, 16·ε·F/h, F the size of the loss's terms (Func.Scale;
	// |loss| by default). Defaults: RTol 1e-5 (numpy's; it only matters if
	// raised, since any element it passes has a relative error ≤ 5e-6
	// anyway) and ATol 0: the noise floor already scales with the loss, and
	// a fixed floor would hide the wrong gradients of a small function.
	RTol, ATol float64

	// GoodRel, SuspiciousRel and WrongRel are the relative-error
	// thresholds (1e-7, 1e-4, 1e-2, as in CS231n): an element with relative
	// error ≤ GoodRel is good, ≤ SuspiciousRel acceptable, ≤ WrongRel
	// suspicious, and above WrongRel wrong — but only if it also fails the
	// absolute test, at every step tried.
	GoodRel, SuspiciousRel, WrongRel float64

	// MaxFull is the largest tensor Auto checks in full (4096 elements, a
	// 64×64 matrix); larger matrices get a spot check.
	MaxFull int
	// Samples is the number of elements a spot check compares per large
	// tensor (1024; at least one per row in any case).
	Samples int
	// Seed seeds the spot-check samples, the directions and the upstream
	// gradient of a layer check; it is printed in every report (0 is a
	// valid seed).
	Seed uint64
	// Workers is the number of goroutines of a network or nn.Dense check,
	// each with its own copy of the network (runtime.GOMAXPROCS(0)).
	Workers int
	// TopK is how many of the worst elements each tensor's result keeps (5).
	TopK int
}

// DefaultOptions returns the options a nil *Options stands for.
func DefaultOptions() Options { return (&Options{}).resolve() }

// resolve returns a copy of o (nil: the zero Options) with defaults filled in.
func (o *Options) resolve() Options {
	var r Options
	if o != nil {
		r = *o
	}
	def := func(x *float64, v float64) {
		if *x == 0 {
			*x = v
		}
	}
	def(&r.Step, 1e-5)
	def(&r.RTol, 1e-5)
	def(&r.GoodRel, 1e-7)
	def(&r.SuspiciousRel, 1e-4)
	def(&r.WrongRel, 1e-2)
	if r.MaxFull == 0 {
		r.MaxFull = 4096
	}
	if r.Samples == 0 {
		r.Samples = 1024
	}
	if r.Workers <= 0 {
		r.Workers = runtime.GOMAXPROCS(0)
	}
	if r.TopK == 0 {
		r.TopK = 5
	}
	if !(r.Step > 0) || r.RTol < 0 || r.ATol < 0 || r.Samples < 0 || r.TopK < 0 ||
		!(r.GoodRel <= r.SuspiciousRel && r.SuspiciousRel <= r.WrongRel) {
		panic(fmt.Sprintf("gradcheck: invalid options %+v", r))
	}
	return r
}
