package grading

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/grading/worker"
	"github.com/backprop-lab/backprop/nn"
)

// A layerSpec is the specified layer A = φ(X·Wᵀ + 1bᵀ) a learner's layer
// is judged against: its activation φ, the right φ′ and the usual slips
// (primes, the right one first).
type layerSpec struct {
	name   string // "dense-relu"
	phi    func(v float64) float64
	primes []derivative
	// act is package nn's activation of the same φ, for the reference
	// network of a specified network check.
	act nn.Activation
}

// A derivative is a candidate φ′ for a layer's backward pass, as a
// function of v and a = φ(v); the first of a list is the right one.
type derivative struct {
	name  string
	prime func(v, a float64) float64
}

// reference computes the specified layer on (x, w, b) and, for the
// upstream gradient g, what Backward must give: A = φ(V), V = X·Wᵀ + 1bᵀ
// (N×n_out); Δ = φ′(V) ⊙ G; ∂E/∂W = Δᵀ·X (n_out×n_in); ∂E/∂b = Δᵀ·1
// (n_out×1); ∂E/∂X = Δ·W (N×n_in).
func (s layerSpec) reference(x, w, b, g *mat.Dense) (a, dW, db, dX *mat.Dense) {
	v := affine(x, w, b)
	n, nOut := v.Dims()
	a = mat.NewDense(n, nOut, nil)
	a.Apply(func(_, _ int, t float64) float64 { return s.phi(t) }, v)
	delta := mat.NewDense(n, nOut, nil)
	delta.Apply(func(i, j int, gij float64) float64 { return gij * s.primes[0].prime(v.At(i, j), a.At(i, j)) }, g)
	dW = new(mat.Dense)
	dW.Mul(delta.T(), x)
	db = mat.NewDense(nOut, 1, nil)
	for j := range nOut {
		db.Set(j, 0, mat.Sum(delta.ColView(j)))
	}
	dX = new(mat.Dense)
	dX.Mul(delta, w)
	return a, dW, db, dX
}

// drawLayerPoint draws a layer's fresh shapes and values: n_in, n_out in
// 2…7 (different, so that a transposed W does not fit), N in 3…6, G
// uniform in [−1, 1), and X, W, b from drawMaskPoint (every unit's V takes
// both signs over the batch, none within kinkGap of 0).
func drawLayerPoint(rng *rand.Rand) (x, w, b, g *mat.Dense) {
	nIn := intIn(rng, 2, 7)
	nOut := intIn(rng, 2, 6)
	if nOut >= nIn {
		nOut++
	}
	n := intIn(rng, 3, 6)
	p := drawMaskPoint(rng, []int{nIn, nOut}, n, nil)
	return p.x, p.w[0], p.b[0], uniform(rng, n, nOut)
}

func absOf(m *mat.Dense) *mat.Dense {
	out := new(mat.Dense)
	out.Apply(func(_, _ int, t float64) float64 { return math.Abs(t) }, m)
	return out
}

// checkLayer judges a learner's layer, built in the worker by the
// constructor kind, against spec on a fresh point (drawLayerPoint): its
// Params must list W (n_out×n_in) then b (n_out×1); with the judge's
// values in them, Forward(X) must be the specified A and Backward(G) must
// give the specified ∂E/∂W, ∂E/∂b (in Params' Grad) and ∂E/∂X (returned),
// each to AnalyticTol. Then gradcheck checks the same layer (through the
// worker) and its verdict is the explanation: whether central differences
// agree, and the cause its diagnosis names. It fills res and returns the
// learner's layer.
func checkLayer(res *ExerciseResult, c worker.Client, rng *rand.Rand, kind string, spec layerSpec) {
	x, w, b, g := drawLayerPoint(rng)
	n, nIn := x.Dims()
	nOut, _ := w.Dims()
	l := c.NewLayer(kind, nIn, nOut)
	ps := l.Params()
	if len(ps) < 2 || !sameDims(ps[0].Value, w) || !sameDims(ps[1].Value, b) {
		res.Status = ExerciseFailed
		res.Summary = fmt.Sprintf("wrong: %s(%d, %d).Params() must list W (n_out×n_in = %d×%d) first, then b (n_out×1 = %d×1); it lists %s.",
			kind, nIn, nOut, nOut, nIn, nOut, paramShapes(ps))
		return
	}
	for _, p := range ps[2:] {
		p.Value.Apply(func(int, int, float64) float64 { return 2*rng.Float64() - 1 }, p.Value)
	}
	ps[0].Value.Copy(w)
	ps[1].Value.Copy(b)
	wantA, wantW, wantB, wantX := spec.reference(x, w, b, g)
	defer func() { // a panic of the learner's layer, with the shape rules that fit
		p := recover()
		if e, ok := p.(*worker.PanicError); ok && !worker.IsNotImplemented(e.Msg) {
			*res = panicked(*res, e.Msg, e.Where)
			res.Details = []string{shapeLine(&gradcheck.Panic{Value: e.Msg, Shapes: gradcheck.LayerOperands(x, g, w)})}
			return
		}
		if p != nil {
			panic(p)
		}
	}()
	out := l.Forward(x)
	dx := l.Backward(g)
	var wrong []string
	for _, t := range []struct {
		name      string
		got, want *mat.Dense
	}{{"Forward (A)", out, wantA}, {"∂E/∂W", ps[0].Grad, wantW}, {"∂E/∂b", ps[1].Grad, wantB}, {"∂E/∂X (what Backward returns)", dx, wantX}} {
		if msg := checkTensor(t.name, t.got, t.want, AnalyticTol); msg != "" {
			wrong = append(wrong, msg)
		}
	}
	where := fmt.Sprintf("a %d → %d layer on a batch of N = %d", nIn, nOut, n)
	if len(wrong) == 0 {
		res.Summary = fmt.Sprintf("right: Forward and every gradient (∂E/∂W, ∂E/∂b, ∂E/∂X) agree with the specified %s layer on %s.", spec.name, where)
		return
	}
	res.Status = ExerciseFailed
	res.Details = wrong
	dw := mat.DenseCopyOf(ps[0].Grad)
	// The explanation: gradcheck on the same layer, through the worker.
	r := gradcheck.CheckLayer(l, x, &gradcheck.Options{Seed: rng.Uint64()})
	res.Report = r
	verb := "disagrees"
	if len(wrong) > 1 {
		verb = "disagree"
	}
	res.Summary = fmt.Sprintf("wrong: %s %s with the specified %s layer on %s.", firstWords(wrong), verb, spec.name, where)
	if hint := activationHint(spec, x, w, b, g, dw, dx); hint != "" {
		res.Summary = "wrong: " + hint + "."
	} else if cause := firstCause([]*gradcheck.Report{r}); cause != "" {
		res.Summary = "wrong: " + cause + "."
	}
	if len(wrong) == 1 && strings.HasPrefix(wrong[0], "Forward") {
		res.Details = append(res.Details, "gradcheck checks Backward against your own Forward, so it cannot see a wrong Forward: the specification can.")
	} else {
		res.Details = append(res.Details, gradcheckAgrees(r))
	}
}

// firstWords names the wrong tensors of a list of checkTensor sentences.
func firstWords(wrong []string) string {
	names := make([]string, len(wrong))
	for i, w := range wrong {
		names[i], _, _ = strings.Cut(w, ":")
	}
	return joinNames(names)
}

func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func paramShapes(ps []nn.Param) string {
	if len(ps) == 0 {
		return "no parameters"
	}
	var out []string
	for _, p := range ps {
		r, c := p.Value.Dims()
		out = append(out, fmt.Sprintf("%s %d×%d", p.Name, r, c))
	}
	return strings.Join(out, ", ")
}

// activationHint names the slip a wrong Backward made, if it is a known
// one: the φ′ among spec.primes its ∂E/∂W used, or, with the right
// ∂E/∂W, the lab's G·W for ∂E/∂X.
func activationHint(spec layerSpec, x, w, b, g, dw, dx *mat.Dense) string {
	if dw == nil {
		return ""
	}
	n, nOut := g.Dims()
	v := affine(x, w, b)
	a := mat.NewDense(n, nOut, nil)
	a.Apply(func(_, _ int, t float64) float64 { return spec.phi(t) }, v)
	for k, m := range spec.primes {
		delta := mat.NewDense(n, nOut, nil)
		delta.Apply(func(i, j int, gij float64) float64 { return gij * m.prime(v.At(i, j), a.At(i, j)) }, g)
		want := new(mat.Dense)
		want.Mul(delta.T(), x)
		if !sameDims(dw, want) || compareTensor(dw, want, 1e-9) != nil {
			continue
		}
		if k > 0 {
			return "your ∂E/∂W uses " + m.name
		}
		if dx != nil && sameDims(dx, x) {
			lab := new(mat.Dense)
			lab.Mul(g, w)
			if compareTensor(dx, lab, 1e-9) == nil {
				return "∂E/∂W is right, but the matrix you return is G·W, the lab's bug: what flows down must pass through the activation's derivative first, as it did for ∂E/∂W"
			}
		}
		return ""
	}
	return ""
}

// firstCause is the one-line diagnosis of the first wrong tensor that has
// a known cause, with its confidence and without its evidence (which may
// hold numbers): "cause (certain): the φ′ mask is missing: Δ = G instead
// of Δ = φ′(V) ⊙ G (x)". It is "" when no known cause fits.
func firstCause(reports []*gradcheck.Report) string {
	for _, r := range reports {
		if r == nil {
			continue
		}
		for _, t := range r.Failures() {
			if d := t.Diagnosis; d != nil && d.Cause != gradcheck.CauseUnknown {
				line, _, _ := strings.Cut(d.String(), "; ")
				return line + " (" + t.Name + ")"
			}
		}
	}
	return ""
}

// affine returns V = X·Wᵀ + 1bᵀ (N×n_out), b n_out×1.
func affine(x, w, b *mat.Dense) *mat.Dense {
	v := new(mat.Dense)
	v.Mul(x, w.T())
	v.Apply(func(_, j int, t float64) float64 { return t + b.At(j, 0) }, v)
	return v
}

func step(v float64) float64 {
	if v > 0 {
		return 1
	}
	return 0
}

func sameDims(a, b mat.Matrix) bool {
	ar, ac := a.Dims()
	br, bc := b.Dims()
	return ar == br && ac == bc
}

// shapeLine is the operands and the shape rules that fit, in one line.
func shapeLine(p *gradcheck.Panic) string {
	ops := make([]string, len(p.Shapes))
	for i, o := range p.Shapes {
		ops[i] = o.String()
	}
	return "shapes: " + strings.Join(ops, ", ") + "; products that fit: " + strings.Join(p.Rules(), "; ")
}

// denseIdentity is the affine layer A = X·Wᵀ + 1bᵀ (φ′ = 1).
var denseIdentity = registerSpec(layerSpec{name: "dense-identity", act: nn.Identity, phi: func(v float64) float64 { return v }, primes: []derivative{
	{"", func(_, _ float64) float64 { return 1 }},
	{"ReLU′ (1 where v > 0), but this layer has no activation", func(v, _ float64) float64 { return step(v) }},
}})
