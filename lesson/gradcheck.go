package lesson

import (
	"fmt"
	"math"
	"strings"

	"github.com/backprop-lab/backprop/nn/nntest/tiny"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/lesson/chart"
)

// ThresholdsMarkdown is the table of gradcheck's verdicts on one element,
// with the thresholds of gradcheck.DefaultOptions (so it cannot drift from
// what the checker does).
func ThresholdsMarkdown() string {
	o := gradcheck.DefaultOptions()
	e := func(x float64) string { return strings.Replace(fmt.Sprintf("%.0e", x), "e-0", "e-", 1) }
	return fmt.Sprintf(`| relative error r | verdict | what it means |
|---|---|---|
| r ≤ %s | **good** | agreement to ~7 digits or more: the analytic gradient is right |
| %s < r ≤ %s | **ok** | acceptable: typical of a right gradient near a kink or with a large loss |
| %s < r ≤ %s | **suspicious** | reported, never failed: look at it |
| r > %s | **wrong** | the gradient is wrong, *if* it also fails the absolute test and is wrong at every step tried (h/10, h, 10h, 100h) |
`, e(o.GoodRel), e(o.GoodRel), e(o.SuspiciousRel), e(o.SuspiciousRel), e(o.WrongRel), e(o.WrongRel))
}

// StepSweepSeries turns a step sweep into the two curves of chart.ErrorVsStep: the
// relative error of central and of forward differences against h.
func StepSweepSeries(s *gradcheck.Sweep) []chart.Series {
	c := chart.Series{Name: "central (f(θ+h) − f(θ−h)) / 2h"}
	f := chart.Series{Name: "forward (f(θ+h) − f(θ)) / h"}
	for _, p := range s.Points {
		c.X, c.Y = append(c.X, p.Step), append(c.Y, p.CentralErr)
		f.X, f.Y = append(f.X, p.Step), append(f.Y, p.ForwardErr)
	}
	return []chart.Series{c, f}
}

// SweepBest describes the best step of each formula of a sweep in one line
// each, and how many times lower the central minimum is than the forward
// one (forward error ÷ central error at their best steps).
func SweepBest(s *gradcheck.Sweep) string {
	bc, bf := s.Points[0], s.Points[0]
	for _, p := range s.Points {
		if p.CentralErr < bc.CentralErr {
			bc = p
		}
		if p.ForwardErr < bf.ForwardErr {
			bf = p
		}
	}
	return fmt.Sprintf("best central difference: relative error %.1e at h = %.0e\nbest forward difference: relative error %.1e at h = %.0e\nthe bottom of the central V is %.0f× lower than the forward one's\n",
		bc.CentralErr, bc.Step, bf.ForwardErr, bf.Step, bf.ForwardErr/bc.CentralErr)
}

// ReLUSum is f(θ) = Σ_i ReLU(θ_i) with its analytic gradient and kink
// fingerprint: tiny.ReLUSum, the fixture the grader shares.
func ReLUSum(theta ...float64) gradcheck.Func { return tiny.ReLUSum(theta...) }

// TaylorCompare shows two Taylor tests side by side (a right gradient and a
// wrong one, say) at every tenfold step: the remainders
// |f(θ+hd) − f(θ) − h⟨∇f, d⟩| and how much each shrank since the previous
// row (÷100 per decade for a right gradient, ÷10 for a wrong one), then the
// fitted orders.
func TaylorCompare(nameA string, a *gradcheck.Taylor, nameB string, b *gradcheck.Taylor) string {
	var sb strings.Builder
	row := func(h, a, b string) {
		fmt.Fprintln(&sb, strings.TrimRight(fmt.Sprintf("%-8s  %-24s  %s", h, a, b), " "))
	}
	row("h", nameA, nameB)
	var prevA, prevB float64
	for i := range a.Points {
		if i >= len(b.Points) || a.Points[i].Step != b.Points[i].Step {
			break
		}
		h := a.Points[i].Step
		if l := math.Log10(h); math.Abs(l-math.Round(l)) > 1e-9 {
			continue // decades only
		}
		ra, rb := a.Points[i].Remainder, b.Points[i].Remainder
		row(fmt.Sprintf("%.0e", h), shrink(ra, prevA), shrink(rb, prevB))
		prevA, prevB = ra, rb
	}
	fmt.Fprintf(&sb, "%s: order %.1f (%s); %s: order %.1f (%s)\n", nameA, a.Order, a.Status, nameB, b.Order, b.Status)
	return sb.String()
}

// shrink formats a remainder and, if there is a previous one, the factor
// it shrank by.
func shrink(r, prev float64) string {
	if prev == 0 || r == 0 {
		return fmt.Sprintf("%.2e", r)
	}
	return fmt.Sprintf("%.2e (÷%.0f)", r, prev/r)
}
