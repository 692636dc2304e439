package gradcheck

import "fmt"

// Cause names a known way in which an analytic gradient goes wrong: the
// catalogue the diagnosis compares a wrong gradient against (see
// Diagnosis). The empty Cause means no diagnosis (a correct tensor).
type Cause string

// The catalogue. Shapes as in nn: W is n_out×n_in, X is N×n_in, G (the
// upstream gradient ∂L/∂A) and Δ = φ′(V) ⊙ G are N×n_out.
const (
	// CauseTransposed: the gradient is the transpose of the right one
	// (∂E/∂W = Xᵀ·Δ for a square W), or ∂L/∂x used Wᵀ where W is needed
	// (Δ·Wᵀ instead of Δ·W).
	CauseTransposed Cause = "transposed"
	// CauseScaled: the gradient is a constant c times the right one
	// (Diagnosis.Factor; c = −1 is the wrong sign, c = N or 1/N a missing
	// or a double average over the batch).
	CauseScaled Cause = "scaled by a constant"
	// CauseMaskMissing: Δ = G, the φ′ factor is missing from every gradient
	// of the layer (∂E/∂W = Gᵀ·X, ∂E/∂b = Gᵀ·1, ∂L/∂x = G·W).
	CauseMaskMissing Cause = "φ′ mask missing"
	// CauseMaskWrong: φ′ is evaluated on the wrong tensor (σ′ = v(1−v)
	// instead of a(1−a), tanh′ = 1−v², ReLU′ from x or from g …).
	CauseMaskWrong Cause = "φ′ from the wrong tensor"
	// CauseNotWritten: the gradient is zero: Backward never writes it.
	CauseNotWritten Cause = "never written"
	// CauseStale: the gradient is the one of an earlier call of Backward
	// (on other data): it is not written on every call.
	CauseStale Cause = "stale from an earlier call"
	// CauseAccumulated: the gradient is the sum of this call's and an
	// earlier call's: Backward adds to it instead of overwriting it.
	CauseAccumulated Cause = "accumulated over calls"
	// CauseFirstExample: only the first example (row) of the batch is used.
	CauseFirstExample Cause = "only the first example used"
	// CauseRowsPermuted: the examples of Δ and X are paired in the wrong
	// order (∂E/∂W = Δᵀ·P·X for a permutation P ≠ I), or the rows of ∂L/∂x
	// are permuted.
	CauseRowsPermuted Cause = "example rows permuted"
	// CauseBiasAxis: ∂E/∂b summed over the wrong axis of Δ (over the
	// units instead of the examples).
	CauseBiasAxis Cause = "bias summed over the wrong axis"
	// CauseBiasAveraged: ∂E/∂b is averaged over the batch (÷N) while
	// ∂E/∂W is summed.
	CauseBiasAveraged Cause = "bias averaged while W is summed"
	// CauseSignRows: the sign is flipped in some rows only
	// (Diagnosis.Rows).
	CauseSignRows Cause = "sign flipped in some rows"
	// CauseRowsScaled: some rows only are off by a constant factor
	// (Diagnosis.Rows, Diagnosis.Factor).
	CauseRowsScaled Cause = "some rows scaled"
	// CauseLabBug: ∂L/∂x = G·W instead of Δ·W, while ∂E/∂W and ∂E/∂b are
	// right: the lab's bug (the φ′ mask missing from what flows down).
	CauseLabBug Cause = "G·W instead of Δ·W"
	// CauseBiasMaskMissing: ∂E/∂b = Gᵀ·1 while ∂E/∂W is right: the bias
	// gradient sums G where Δ = φ′(V) ⊙ G belongs (the mask is missing
	// from ∂E/∂b only).
	CauseBiasMaskMissing Cause = "bias from G, not Δ"
	// CauseInputModified: Forward or Backward modifies its input x in
	// place (the layer below owns that matrix).
	CauseInputModified Cause = "input modified in place"
	// CauseUnknown: the gradient is wrong and nothing in the catalogue
	// fits.
	CauseUnknown Cause = "no known cause fits"
)

// Confidence says how sure a diagnosis is.
type Confidence int

const (
	// Unsure: nothing in the catalogue fits (Cause is CauseUnknown).
	Unsure Confidence = iota
	// Likely: the cause fits most of the numbers, or another cause fits
	// almost as well.
	Likely
	// Certain: the cause reproduces the analytic gradient to within the
	// numeric error, and no other cause does.
	Certain
)

func (c Confidence) String() string {
	switch c {
	case Unsure:
		return "unsure"
	case Likely:
		return "likely"
	case Certain:
		return "certain"
	}
	return fmt.Sprintf("Confidence(%d)", int(c))
}

// Diagnosis is the most likely cause of a wrong gradient, with its
// evidence.
type Diagnosis struct {
	Cause      Cause
	Confidence Confidence
	// Factor is c for CauseScaled and CauseRowsScaled (−1, N, 1/N, …).
	Factor float64
	// Rows are the rows concerned by CauseSignRows, CauseRowsScaled
	// (0-based).
	Rows []int
	// Residual is ‖analytic − what the cause predicts‖ / ‖analytic‖ over
	// the checked elements (0 for a probe such as CauseInputModified).
	Residual float64
	// Evidence is one line saying what was measured, e.g.
	// "analytic = −1 × numeric on 30 checked elements (residual 1e-10)".
	Evidence string

	batch int // N, to name factors
}

// String is the one-line diagnosis, cause first, e.g.
//
//	cause (certain): scaled by N = 4, the batch size (a sum where a mean
//	is wanted, or a missing ÷N); analytic = 4 × numeric on 30 checked
//	elements (residual 1e-10)
func (d *Diagnosis) String() string {
	if d == nil {
		return ""
	}
	if d.Cause == CauseUnknown {
		return "cause: none of the known mistakes fits (" + d.Evidence + ")"
	}
	return fmt.Sprintf("cause (%s): %s; %s", d.Confidence, d.label(), d.Evidence)
}

// explain says what each cause means for the learner.
var explain = map[Cause]string{
	CauseTransposed:      "transposed: Xᵀ·Δ where Δᵀ·X is needed, or Wᵀ where W is needed",
	CauseMaskMissing:     "the φ′ mask is missing: Δ = G instead of Δ = φ′(V) ⊙ G",
	CauseMaskWrong:       "φ′ evaluated on the wrong tensor",
	CauseNotWritten:      "never written: Backward leaves this gradient at zero",
	CauseStale:           "stale: this gradient holds values from an earlier call of Backward",
	CauseAccumulated:     "accumulated: Backward adds to the gradient of an earlier call instead of overwriting it",
	CauseFirstExample:    "only the first example of the batch is used: sum over all N rows",
	CauseRowsPermuted:    "example rows permuted: row n of Δ must be paired with row n of X",
	CauseBiasAxis:        "bias summed over the wrong axis: ∂E/∂b = Δᵀ·1 sums over the examples (rows)",
	CauseBiasAveraged:    "bias averaged (÷N) while ∂E/∂W is summed",
	CauseSignRows:        "the sign is flipped in some rows",
	CauseRowsScaled:      "some rows are off by a constant factor",
	CauseLabBug:          "G·W instead of Δ·W (the lab's bug): the φ′ mask is missing from the gradient passed down",
	CauseBiasMaskMissing: "∂E/∂b sums G instead of Δ: the φ′ mask is missing from the bias gradient only",
	CauseInputModified:   "the input x is modified in place",
}

// label is the cause explained, with its factor or rows.
func (d *Diagnosis) label() string {
	switch d.Cause {
	case CauseScaled:
		return "scaled by " + factorName(d.Factor, d.batch)
	case CauseRowsScaled:
		return fmt.Sprintf("rows %v are scaled by %s", d.Rows, factorName(d.Factor, d.batch))
	case CauseSignRows:
		return fmt.Sprintf("the sign is flipped in rows %v", d.Rows)
	}
	if e, ok := explain[d.Cause]; ok {
		return e
	}
	return string(d.Cause)
}
