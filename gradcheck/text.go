package gradcheck

import (
	"fmt"
	"strings"
	"text/tabwriter"
)

// String returns the report as a text table; see Text.
func (r *Report) String() string { return r.Text() }

// Summary is the report's one-line verdict, e.g.
// "network 6-5-4-3: FAILED (2 of 6 tensors wrong)".
func (r *Report) Summary() string {
	var failed, susp int
	for _, t := range r.Tensors {
		switch t.Status {
		case StatusFailed:
			failed++
		case StatusSuspicious:
			susp++
		}
	}
	switch {
	case r.CheckError != nil:
		return fmt.Sprintf("%s: CHECK NOT RUN (%v)", r.Name, r.CheckError)
	case failed > 0:
		return fmt.Sprintf("%s: FAILED (%d of %d tensors wrong)", r.Name, failed, len(r.Tensors))
	case susp > 0:
		return fmt.Sprintf("%s: passed, %d of %d tensors suspicious", r.Name, susp, len(r.Tensors))
	}
	var undecided []string
	for _, t := range r.Tensors {
		if t.Status == StatusKink {
			undecided = append(undecided, t.Name)
		}
	}
	if len(undecided) > 0 {
		return fmt.Sprintf("%s: passed, but %s undecidable: every element sits at a kink (check at another point to decide)",
			r.Name, strings.Join(undecided, ", "))
	}
	if len(r.Tensors) == 1 {
		return r.Name + ": passed (1 tensor)"
	}
	return fmt.Sprintf("%s: passed (%d tensors)", r.Name, len(r.Tensors))
}

// Text returns a readable table: one row per tensor with its counts, max
// relative error and worst element, then the worst elements and a hint for
// every tensor that is wrong or suspicious. It is deterministic (no
// timings), so it can be compared with golden output.
func (r *Report) Text() string {
	var b strings.Builder
	o := r.Options
	fmt.Fprintf(&b, "gradcheck %s\n", r.Summary())
	fmt.Fprintf(&b, "mode %s, step h=%g, seed %d, thresholds rel ≤%g good, >%g suspicious, >%g wrong\n\n",
		o.Mode, o.Step, r.Seed, o.GoodRel, o.SuspiciousRel, o.WrongRel)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "tensor\tshape\tmethod\tchecked\tfailed\tsusp.\tkinks\tmax rel err\tstatus\tworst (row, col)\tanalytic\tnumeric\t")
	for _, t := range r.Tensors {
		worst, an, nu := "-", "-", "-"
		if t.Checked > 0 {
			w := t.Worst
			worst = fmt.Sprintf("(%d, %d)", w.Row, w.Col)
			if w.Row < 0 {
				worst = "direction"
			}
			an, nu = fmt.Sprintf("%.6g", w.Analytic), fmt.Sprintf("%.6g", w.Numeric)
		}
		status := t.Status.String()
		if t.Status == StatusGood && t.MaxRelErr > o.GoodRel {
			status += "*"
		}
		fmt.Fprintf(tw, "%s\t%d×%d\t%s\t%d\t%d\t%d\t%d\t%.2g\t%s\t%s\t%s\t%s\t\n",
			t.Name, t.Rows, t.Cols, t.Method, t.Checked, t.Failed, t.Suspicious, t.KinkSkipped,
			t.MaxRelErr, status, worst, an, nu)
	}
	tw.Flush()
	for _, t := range r.Tensors {
		if t.Status == StatusGood && t.MaxRelErr > o.GoodRel {
			fmt.Fprintln(&b, "\n* good: every element with a larger relative error agrees within the float64 noise floor (absolute test).")
			break
		}
	}
	for _, t := range r.Tensors {
		if t.Status != StatusFailed && t.Status != StatusSuspicious {
			continue
		}
		fmt.Fprintf(&b, "\n%s\n", t.Message(r.Batch))
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  element\tanalytic\tnumeric\trel err\tabs err\th\tstatus\t")
		for _, el := range t.Top {
			fmt.Fprintf(tw, "  (%d, %d)\t%.6g\t%.6g\t%.2g\t%.2g\t%.3g\t%s\t\n",
				el.Row, el.Col, el.Analytic, el.Numeric, el.RelErr, el.AbsErr, el.Step, el.Status)
		}
		tw.Flush()
	}
	return b.String()
}
