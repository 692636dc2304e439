// Package autodiff is a scalar reverse-mode automatic differentiation engine,
// small enough to read in one sitting (in the spirit of Karpathy's
// micrograd): every number of a computation is a *Value that remembers its
// forward value, the operation that made it and its parents, so that
// Backward can apply the chain rule from the output down.
//
// # The rule every operation follows
//
// An operation z = f(x₁, …, x_k) stores, at the time of the forward pass, its
// local derivatives ∂z/∂xᵢ. Backward visits the nodes in reverse topological
// order (every node after all the nodes that use it) and sends each parent
//
//	downstream = upstream × local:   xᵢ.Grad += z.Grad · ∂z/∂xᵢ
//
// Gradients add up over the paths through which a value is used (the
// multivariate chain rule), which is why Grad is accumulated with +=.
//
// The operations and their local derivatives:
//
//	Add   z = x + y      ∂z/∂x = 1,        ∂z/∂y = 1        (add distributes)
//	Mul   z = x · y      ∂z/∂x = y,        ∂z/∂y = x        (mul swaps)
//	Max   z = max(x, y)  ∂z/∂x = 1{x > y}, ∂z/∂y = 1{x ≤ y} (max routes)
//	ReLU  z = max(x, 0)  ∂z/∂x = 1{x > 0}  (ReLU′(0) = 0, as in package nn)
//	Exp   z = eˣ         ∂z/∂x = eˣ
//	Ln    z = ln x       ∂z/∂x = 1/x
//	Pow   z = xᵖ         ∂z/∂x = p·xᵖ⁻¹    (p a constant)
//	Tanh  z = tanh x     ∂z/∂x = 1 − z²
//	Sigmoid z = σ(x)     ∂z/∂x = z(1 − z)
//
// Values are not safe for concurrent use; a graph is built and
// differentiated by one goroutine. Float64 throughout.
package autodiff

import (
	"fmt"
	"math"
	"strings"

	"github.com/backprop-lab/backprop/internal/engineguard"
)

// Value is one node of a computational graph: a number, its gradient and
// how it was made.
type Value struct {
	Data  float64 // the forward value
	Grad  float64 // ∂out/∂this after out.Backward(); 0 before
	Op    string  // "" for a leaf, else "+", "×", "max", "relu", "exp", "ln", "^p", "tanh", "σ"
	Label string  // a name for display, e.g. "W⁽¹⁾₁₁"; may be empty

	parents []*Value
	local   []float64 // local[i] = ∂this/∂parents[i], fixed in the forward pass
}

// New returns a leaf: an input or a parameter.
func New(x float64, label string) *Value { return &Value{Data: x, Label: label} }

// Parents returns the values this one was computed from (nil for a leaf).
func (v *Value) Parents() []*Value { return v.parents }

// Local returns ∂v/∂v.Parents()[i], the local derivative the forward pass
// stored.
func (v *Value) Local(i int) float64 { return v.local[i] }

// String returns "label = data (grad g)", or "op = data …" without a label.
func (v *Value) String() string {
	name := v.Label
	if name == "" {
		name = v.Op
	}
	return fmt.Sprintf("%s = %.6g (grad %.6g)", name, v.Data, v.Grad)
}

func op(name string, data float64, parents []*Value, local []float64) *Value {
	return &Value{Data: data, Op: name, parents: parents, local: local}
}

// rules state, by operation (Op; Pow's is "^p" for every p), the local rule
// Backward applies on the way to input k, as the lessons name the
// patterns: the factor the gradient of v is multiplied by.
var rules = map[string]func(v *Value, k int) string{
	"+": func(v *Value, k int) string { return "add distributes: × 1" },
	"×": func(v *Value, k int) string {
		other := v.parents[1-k]
		return fmt.Sprintf("mul swaps: × the other input %s = %.4g", other.Name(), other.Data)
	},
	"max": func(v *Value, k int) string {
		return fmt.Sprintf("max routes: × %.4g (1 to the larger input, 0 to the other)", v.local[k])
	},
	"relu": func(v *Value, k int) string {
		return fmt.Sprintf("max routes (ReLU = max(v, 0)): × 1{v > 0} = %.4g", v.local[k])
	},
	"exp": func(v *Value, k int) string { return fmt.Sprintf("exp: × eᵛ = %.4g", v.local[k]) },
	"ln":  func(v *Value, k int) string { return fmt.Sprintf("ln: × 1/x = %.4g", v.local[k]) },
	"^":   func(v *Value, k int) string { return fmt.Sprintf("power: × p·x^(p−1) = %.4g", v.local[k]) },
}

// Rule states the local rule by which v sends its gradient to its input k,
// with the factor: "mul swaps: × the other input x₁ = 1"; an operation
// without a named pattern (tanh, σ, NewOp's) gives its local derivative. It
// panics on a leaf (it has no inputs).
func (v *Value) Rule(k int) string {
	op := v.Op
	if strings.HasPrefix(op, "^") {
		op = "^"
	}
	if len(v.parents) == 0 {
		panic(fmt.Sprintf("autodiff: Rule of %q, which has no inputs", v.Name()))
	}
	if r, ok := rules[op]; ok {
		return r(v, k)
	}
	return fmt.Sprintf("%s: × %s′ = %.4g", op, op, v.local[k]) // tanh, σ, an operation made with NewOp
}

// Name returns v's label, or for an unnamed product its factors
// ("W⁽¹⁾₁₁·x₁"), for an unnamed power its base and exponent ("(Σe^v)^-1"),
// or its operation.
func (v *Value) Name() string {
	switch {
	case v.Label != "":
		return v.Label
	case v.Op == "×" && len(v.parents) == 2:
		return v.parents[0].Name() + "·" + v.parents[1].Name()
	case strings.HasPrefix(v.Op, "^") && len(v.parents) == 1:
		return "(" + v.parents[0].Name() + ")" + v.Op
	}
	return v.Op
}

// Add returns v + w.
func (v *Value) Add(w *Value) *Value {
	return op("+", v.Data+w.Data, []*Value{v, w}, []float64{1, 1})
}

// Mul returns v · w.
func (v *Value) Mul(w *Value) *Value {
	return op("×", v.Data*w.Data, []*Value{v, w}, []float64{w.Data, v.Data})
}

// Max returns max(v, w); the gradient goes to v if v > w, else to w.
func Max(v, w *Value) *Value {
	if v.Data > w.Data {
		return op("max", v.Data, []*Value{v, w}, []float64{1, 0})
	}
	return op("max", w.Data, []*Value{v, w}, []float64{0, 1})
}

// ReLU returns max(v, 0) with ReLU′(0) = 0.
func (v *Value) ReLU() *Value {
	if v.Data > 0 {
		return op("relu", v.Data, []*Value{v}, []float64{1})
	}
	return op("relu", 0, []*Value{v}, []float64{0})
}

// Exp returns eᵛ.
func (v *Value) Exp() *Value {
	e := math.Exp(v.Data)
	return op("exp", e, []*Value{v}, []float64{e})
}

// Ln returns ln v (NaN for v < 0, −Inf for 0, as math.Log).
func (v *Value) Ln() *Value {
	return op("ln", math.Log(v.Data), []*Value{v}, []float64{1 / v.Data})
}

// Pow returns vᵖ for a constant p.
func (v *Value) Pow(p float64) *Value {
	return op(fmt.Sprintf("^%g", p), math.Pow(v.Data, p), []*Value{v}, []float64{p * math.Pow(v.Data, p-1)})
}

// Neg returns −v (a Mul by the constant −1).
func (v *Value) Neg() *Value { return v.Mul(New(-1, "−1")) }

// Sum returns vs[0] + vs[1] + … as a chain of Adds. It panics on no values.
func Sum(vs ...*Value) *Value {
	if len(vs) == 0 {
		panic("autodiff: Sum of no values")
	}
	s := vs[0]
	for _, v := range vs[1:] {
		s = s.Add(v)
	}
	return s
}

// Topo returns the graph below v in topological order: every node after its
// parents, v last. Each node appears once. (A grading worker may forbid
// it while learner code runs: see internal/engineguard.)
func Topo(v *Value) []*Value {
	engineguard.Check(engineguard.Topo)
	return topo(v)
}

func topo(v *Value) []*Value {
	var order []*Value
	seen := map[*Value]bool{}
	var visit func(*Value)
	visit = func(n *Value) {
		if seen[n] {
			return
		}
		seen[n] = true
		for _, p := range n.parents {
			visit(p)
		}
		order = append(order, n)
	}
	visit(v)
	return order
}

// Backward computes ∂v/∂n for every node n of v's graph into n.Grad: it
// zeroes all gradients, sets v.Grad = 1 and, from v down, adds
// n.Grad · local to each parent of n. (A grading worker may forbid it
// while learner code runs: see internal/engineguard.)
func (v *Value) Backward() {
	engineguard.Check(engineguard.Backward)
	order := topo(v)
	for _, n := range order {
		n.Grad = 0
	}
	v.Grad = 1
	for i := len(order) - 1; i >= 0; i-- {
		n := order[i]
		for k, p := range n.parents {
			p.Grad += n.Grad * n.local[k]
		}
	}
}
