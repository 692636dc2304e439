package gradcheck

import (
	"fmt"
	"math"
	"sort"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// Diagnosis. A wrong tensor's analytic values a are compared with what each
// cause of the catalogue predicts from the numeric values n (and, in a
// layer check, from the layer's input X, the upstream gradient G, its W and
// what the probes saw). The cause whose prediction p is closest,
//
//	residual = ‖a − p‖ / max(‖a‖, ‖n‖)   over the checked elements,
//
// is reported first: certain if its residual is at the level of the numeric
// error (≤ certainResidual) and every cause that predicts something else is
// a hundred times further off; likely if its residual is ≤ likelyResidual;
// otherwise the diagnosis says that nothing fits.
const (
	certainResidual = 1e-4
	likelyResidual  = 0.1
)

// inputChange is an element of x that the layer changed.
type inputChange struct {
	row, col      int
	before, after float64
}

// layerProbe is what CheckLayer saw of the layer, for the diagnosis.
type layerProbe struct {
	x, g, out, gx *mat.Dense
	prev, again   []*mat.Dense // gradients after an earlier call on other data, after a repeat on the same
	modified      *inputChange
	params        []nn.Param // as checked: Grad the snapshots, the last one x
}

// candidate is one cause's prediction of a tensor's analytic values.
type candidate struct {
	cause  Cause
	factor float64
	rows   []int
	what   string                 // the prediction as a formula, for the evidence
	at     func(i, j int) float64 // predicted analytic value
}

// tensorData are a wrong tensor's checked elements.
type tensorData struct {
	name       string
	rows, cols int
	els        []Element
	full       bool       // every element was checked
	num, ana   *mat.Dense // numeric and analytic values (0 where unchecked)
}

// diagnose sets the Diagnosis of every failed tensor of r (pr: the probes
// of a layer check, nil otherwise).
func diagnose(r *Report, pr *layerProbe) {
	if r.CheckError != nil {
		return
	}
	data := map[string]*tensorData{}
	for i, t := range r.Tensors {
		if i >= len(r.results) {
			break
		}
		d := &tensorData{name: t.Name, rows: t.Rows, cols: t.Cols, num: mat.NewDense(t.Rows, t.Cols, nil), ana: mat.NewDense(t.Rows, t.Cols, nil)}
		for _, el := range r.results[i] {
			if el.Status == StatusKink || el.Status == StatusNotRun || el.Row < 0 {
				continue
			}
			d.els = append(d.els, el)
			d.num.Set(el.Row, el.Col, el.Numeric)
			d.ana.Set(el.Row, el.Col, el.Analytic)
		}
		d.full = len(d.els) == t.Rows*t.Cols
		data[t.Name] = d
	}
	var lm *layerModel
	if pr != nil {
		lm = newLayerModel(pr, data)
	}
	for i := range r.Tensors {
		t := &r.Tensors[i]
		if t.Name == InputName && pr != nil && pr.modified != nil {
			m := pr.modified
			t.Status = StatusFailed
			t.Diagnosis = &Diagnosis{Cause: CauseInputModified, Confidence: Certain,
				Evidence: fmt.Sprintf("x[%d,%d] was %.4g before Forward and Backward and %.4g after: a layer must not change its input (the layer below owns it)",
					m.row, m.col, m.before, m.after)}
			continue
		}
		if t.Status != StatusFailed {
			continue
		}
		d := data[t.Name]
		if d == nil || len(d.els) == 0 {
			t.Diagnosis = &Diagnosis{Cause: CauseUnknown, Evidence: "no element could be compared"}
			continue
		}
		// Catalogue order breaks ties: never written, then what the layer
		// model and the probes explain (specific), then the plain
		// transformations of the numeric values.
		generic := genericCandidates(d, r.Batch)
		cands := generic[:1]
		if lm != nil {
			cands = append(cands, lm.candidates(d, r)...)
		}
		if pr != nil {
			cands = append(cands, probeCandidates(d, pr, i)...)
		}
		cands = append(cands, generic[1:]...)
		t.Diagnosis = pick(d, cands, r.Batch)
		t.Diagnosis.batch = r.Batch
	}
}

// genericCandidates are the causes told from a and n alone.
func genericCandidates(d *tensorData, batch int) []candidate {
	var cs []candidate
	cs = append(cs, candidate{cause: CauseNotWritten, what: "0 everywhere", at: func(int, int) float64 { return 0 }})
	zero := true
	for _, el := range d.els {
		zero = zero && el.Analytic == 0
	}
	if zero { // all zero: no factor or transformation can say more
		return cs
	}
	var an, nn2 float64
	for _, el := range d.els {
		an += el.Analytic * el.Numeric
		nn2 += el.Numeric * el.Numeric
	}
	if nn2 > 0 {
		c := an / nn2
		c = snapFactor(c, batch)
		if math.Abs(c-1) > 1e-3 {
			cs = append(cs, candidate{cause: CauseScaled, factor: c, what: factorWhat(c, batch) + " × numeric",
				at: func(i, j int) float64 { return c * d.num.At(i, j) }})
		}
	}
	if d.full && d.rows == d.cols && d.rows > 1 {
		cs = append(cs, candidate{cause: CauseTransposed, what: "numericᵀ", at: func(i, j int) float64 { return d.num.At(j, i) }})
	}
	if d.full && d.rows > 1 && d.cols > 1 {
		if c, ok := rowCandidate(d); ok {
			cs = append(cs, c)
		}
	}
	return cs
}

// rowCandidate fits one factor per row: rows off by −1 (and the others
// right) are CauseSignRows, rows off by one other factor CauseRowsScaled.
func rowCandidate(d *tensorData) (candidate, bool) {
	f := make([]float64, d.rows)
	for i := range d.rows {
		var an, nn2 float64
		for j := range d.cols {
			n := d.num.At(i, j)
			an += analyticAt(d, i, j) * n
			nn2 += n * n
		}
		f[i] = math.NaN() // a row of zeros fits any factor
		if nn2 > 0 {
			f[i] = an / nn2
		}
	}
	var off []int
	var factor float64
	fixed := 0
	for i, c := range f {
		if c != c {
			f[i] = 1
			continue
		}
		fixed++
		if math.Abs(c-1) > 1e-3 {
			off = append(off, i)
			factor = c
		}
	}
	if len(off) == 0 || len(off) == fixed {
		return candidate{}, false // none, or a factor for the whole tensor
	}
	cause := CauseRowsScaled
	if math.Abs(factor+1) < 1e-3 {
		cause = CauseSignRows
	}
	return candidate{cause: cause, factor: factor, rows: off, what: fmt.Sprintf("numeric with rows %v scaled", off),
		at: func(i, j int) float64 { return f[i] * d.num.At(i, j) }}, true
}

// probeCandidates are the causes told by CheckLayer's extra calls: the
// tensor is the previous call's (stale), or the previous call's plus this
// one's (accumulated); or a repeat on the same data gives the right values
// (stale by one call) or adds this call's once more (accumulated).
func probeCandidates(d *tensorData, pr *layerProbe, p int) []candidate {
	if p >= len(pr.prev) || pr.prev[p] == nil {
		return nil
	}
	prev := pr.prev[p]
	var cs []candidate
	if mat.Norm(prev, 1) > 0 { // a zero gradient was never written, not stale
		cs = append(cs,
			candidate{cause: CauseStale, what: "the gradient of the earlier call (on other data)", at: prev.At},
			candidate{cause: CauseAccumulated, what: "the earlier call's gradient + numeric", at: func(i, j int) float64 { return prev.At(i, j) + d.num.At(i, j) }})
	}
	if pr.again != nil && p < len(pr.again) && pr.again[p] != nil {
		again := pr.again[p]
		if residualOf(d, func(i, j int) float64 { return again.At(i, j) }, true) <= certainResidual {
			// The same call repeated is right: this call used what the
			// previous one left.
			cs = append(cs, candidate{cause: CauseStale, what: "what the previous call left (a repeat on the same data is right)",
				at: func(i, j int) float64 { return analyticAt(d, i, j) }})
		}
		an := mat.DenseCopyOf(again)
		cs = append(cs, candidate{cause: CauseAccumulated, what: "a repeat on the same data minus numeric (it adds)",
			at: func(i, j int) float64 { return an.At(i, j) - d.num.At(i, j) }})
	}
	return cs
}

// pick ranks the candidates and returns the diagnosis.
func pick(d *tensorData, cs []candidate, batch int) *Diagnosis {
	type scored struct {
		c candidate
		r float64
	}
	var ss []scored
	for _, c := range cs {
		ss = append(ss, scored{c, residualOf(d, c.at, false)})
	}
	// Residuals at the level of the numeric error tie: the catalogue's
	// order (simplest cause first) decides.
	key := func(r float64) float64 { return max(r, certainResidual) }
	sort.SliceStable(ss, func(i, j int) bool { return key(ss[i].r) < key(ss[j].r) })
	if len(ss) == 0 || ss[0].r > likelyResidual {
		ev := "the analytic values are not a known transformation of the numeric ones"
		if len(ss) > 0 {
			ev += fmt.Sprintf("; closest: %s (residual %.2g)", ss[0].c.cause, ss[0].r)
		}
		return &Diagnosis{Cause: CauseUnknown, Confidence: Unsure, Residual: math.NaN(), Evidence: ev}
	}
	best := ss[0]
	conf := Likely
	if best.r <= certainResidual {
		conf = Certain
		for _, s := range ss[1:] {
			if s.c.cause != best.c.cause && !refines(best.c.cause, s.c.cause) && s.r <= 100*max(best.r, 1e-12) {
				conf = Likely
			}
		}
	}
	return &Diagnosis{Cause: best.c.cause, Confidence: conf, Factor: best.c.factor, Rows: best.c.rows, Residual: best.r,
		Evidence: fmt.Sprintf("analytic = %s on %d checked element(s) (residual %.1g)", best.c.what, len(d.els), best.r)}
}

// refines reports whether cause a is a more specific reading of cause b
// (they predict the same values, so the tie is no doubt): the bias
// averaged while W is summed is a bias scaled by 1/N.
func refines(a, b Cause) bool {
	return a == CauseBiasAveraged && b == CauseScaled
}

// residualOf is ‖a − p‖ / max(‖a‖, ‖n‖) over d's checked elements (with
// againstNumeric, ‖n − p‖ / ‖n‖).
func residualOf(d *tensorData, at func(i, j int) float64, againstNumeric bool) float64 {
	var num, na, nn2 float64
	for _, el := range d.els {
		ref := el.Analytic
		if againstNumeric {
			ref = el.Numeric
		}
		e := ref - at(el.Row, el.Col)
		num += e * e
		na += el.Analytic * el.Analytic
		nn2 += el.Numeric * el.Numeric
	}
	den := max(na, nn2)
	if againstNumeric {
		den = nn2
	}
	if den == 0 {
		return math.Inf(1)
	}
	return math.Sqrt(num / den)
}

// analyticAt returns the analytic value of element (i, j) (0 if unchecked).
func analyticAt(d *tensorData, i, j int) float64 { return d.ana.At(i, j) }

// snapFactor rounds c to −1, N, 1/N, −N or −1/N when within 1e-3.
func snapFactor(c float64, batch int) float64 {
	ks := []float64{-1, 2, 0.5}
	if batch > 1 {
		b := float64(batch)
		ks = append(ks, b, 1/b, -b, -1/b)
	}
	for _, k := range ks {
		if math.Abs(c-k) <= 1e-3*math.Abs(k) {
			return k
		}
	}
	return c
}

// factorName writes c, naming −1, N and 1/N (batch N, 0 if unknown).
func factorName(c float64, batch int) string {
	b := float64(batch)
	switch {
	case c == -1:
		return "−1: the wrong sign"
	case batch > 1 && c == b:
		return fmt.Sprintf("N = %d, the batch size (a sum where a mean is wanted, or a missing ÷N)", batch)
	case batch > 1 && c == 1/b:
		return fmt.Sprintf("1/N = 1/%d (divided by the batch size N once too often)", batch)
	case batch > 1 && c == -b:
		return fmt.Sprintf("−%d = −N", batch)
	case batch > 1 && c == -1/b:
		return fmt.Sprintf("−1/%d = −1/N", batch)
	}
	return fmt.Sprintf("%.4g", c)
}

// factorWhat is c in a formula: "4", "1/4", "−1".
func factorWhat(c float64, batch int) string {
	if batch > 1 && c == 1/float64(batch) {
		return fmt.Sprintf("1/%d", batch)
	}
	return fmt.Sprintf("%.4g", c)
}
