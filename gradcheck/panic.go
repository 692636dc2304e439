package gradcheck

import (
	"fmt"
	"runtime"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Panic is a panic of a learner's layer, explained: where in the learner's
// code it happened, the shapes of the operands the check knows, and the
// shape rules that fit them.
type Panic struct {
	// Value is what was recovered (e.g. "mat: dimension mismatch").
	Value any
	// File and Line are the learner's frame: the first frame of the stack
	// outside gradcheck, nn, gonum and the runtime ("" if none).
	File string
	Line int
	// Func is that frame's function.
	Func string
	// Shapes are the operands known to the check ("G" N×n_out, "W"
	// n_out×n_in, "X" N×n_in, …), in order.
	Shapes []Operand
}

// Operand is a named matrix shape.
type Operand struct {
	Name       string
	Rows, Cols int
}

func (o Operand) String() string { return fmt.Sprintf("%s %d×%d", o.Name, o.Rows, o.Cols) }

// ExplainPanic turns r, recovered in a deferred call of the goroutine that
// ran the learner's code (call it from that deferred function, so that the
// panicking frames are still on the stack), into a Panic. shapes are the
// operands the check knows, e.g. LayerOperands(x, g, w).
func ExplainPanic(r any, shapes ...Operand) *Panic {
	p := &Panic{Value: r, Shapes: shapes}
	pcs := make([]uintptr, 64)
	n := runtime.Callers(2, pcs)
	var fs []runtime.Frame
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		fs = append(fs, f)
		if !more {
			break
		}
	}
	// The panicking frames are those below runtime.gopanic (the deferred
	// function that recovered sits above it).
	for i, f := range fs {
		if f.Function == "runtime.gopanic" {
			fs = fs[i+1:]
			break
		}
	}
	for _, f := range fs {
		if f.Function != "" && !ours(f.Function) {
			p.File, p.Line, p.Func = f.File, f.Line, f.Function
			break
		}
	}
	return p
}

// ours reports whether fn belongs to this project's libraries, gonum, the
// runtime or the testing package, not to the learner.
func ours(fn string) bool {
	for _, pre := range []string{"runtime.", "testing.", "gonum.org/", "github.com/backprop-lab/backprop/gradcheck.",
		"github.com/backprop-lab/backprop/nn."} {
		if strings.HasPrefix(fn, pre) {
			return true
		}
	}
	return false
}

// LayerOperands are the operands of a layer's backward pass for input x
// (N×n_in), upstream gradient g (N×n_out) and weights w (n_out×n_in; nil if
// unknown): X, G, Δ (the shape of G), W.
func LayerOperands(x, g, w *mat.Dense) []Operand {
	var ops []Operand
	add := func(name string, m *mat.Dense) {
		if m != nil {
			r, c := m.Dims()
			ops = append(ops, Operand{name, r, c})
		}
	}
	add("X", x)
	add("G", g)
	add("Δ", g)
	add("W", w)
	return ops
}

// Rules returns the shape rules of the backward pass that the operands
// fit, e.g. "Δ·W: (4×5)(5×6) → 4×6 = ∂L/∂x".
func (p *Panic) Rules() []string {
	get := func(name string) (Operand, bool) {
		for _, o := range p.Shapes {
			if o.Name == name {
				return o, true
			}
		}
		return Operand{}, false
	}
	x, okX := get("X")
	d, okD := get("Δ")
	w, okW := get("W")
	var rules []string
	if okD && okW {
		rules = append(rules, fmt.Sprintf("Δ·W: (%d×%d)(%d×%d) → %d×%d = ∂L/∂x (N×n_in)", d.Rows, d.Cols, w.Rows, w.Cols, d.Rows, w.Cols))
	}
	if okD && okX {
		rules = append(rules, fmt.Sprintf("Δᵀ·X: (%d×%d)(%d×%d) → %d×%d = ∂E/∂W (n_out×n_in)", d.Cols, d.Rows, x.Rows, x.Cols, d.Cols, x.Cols))
		rules = append(rules, fmt.Sprintf("Δᵀ·1: column sums of Δ → %d×1 = ∂E/∂b", d.Cols))
	}
	if okX && okW {
		rules = append(rules, fmt.Sprintf("X·Wᵀ: (%d×%d)(%d×%d) → %d×%d = V (N×n_out)", x.Rows, x.Cols, w.Cols, w.Rows, x.Rows, w.Rows))
	}
	return rules
}

// String is the explanation in a few lines: the panic at the learner's
// line, the operands and the rules.
func (p *Panic) String() string {
	var b strings.Builder
	where := "in your code"
	if p.File != "" {
		where = fmt.Sprintf("at %s:%d (%s)", p.File, p.Line, p.Func)
	}
	fmt.Fprintf(&b, "your code panicked %s: %v", where, p.Value)
	if len(p.Shapes) > 0 {
		s := make([]string, len(p.Shapes))
		for i, o := range p.Shapes {
			s[i] = o.String()
		}
		fmt.Fprintf(&b, "\nshapes: %s", strings.Join(s, ", "))
	}
	if rs := p.Rules(); len(rs) > 0 {
		fmt.Fprintf(&b, "\nproducts that fit: %s", strings.Join(rs, "; "))
	}
	return b.String()
}
