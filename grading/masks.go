package grading

import (
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/nn"
)

// The one place the judge picks a point where a ReLU′ mask matters: the
// layer checks (one layer), the network checks and exercise 7 (a network)
// all draw their values with drawMaskPoint.

// A maskPoint is a batch and the parameters of layers s = 1…L: X (N×n₀),
// W⁽ˢ⁾ (n_s×n_{s−1}) at w[s−1] and b⁽ˢ⁾ (n_s×1) at b[s−1].
type maskPoint struct {
	x    *mat.Dense
	w, b []*mat.Dense
}

// maskTries is how many points drawMaskPoint draws until every layer fits
// (maskFits); after that it keeps the last draw.
const maskTries = 100

// kinkGap is how far from 0 every pre-activation V of a drawn point lies,
// so that central differences (steps ≤ 10⁻⁴) never cross a ReLU's kink.
const kinkGap = 1e-3

// drawMaskPoint draws fresh values for layers of sizes n₀…n_L on a batch
// of N examples, at which every ReLU′ mask matters. X is uniform in
// [−s, s) with s drawn in [0.5, 2), each W⁽ˢ⁾ uniform in [−1, 1), and b⁽ˢ⁾
// is placed so that every unit's V⁽ˢ⁾ = A⁽ˢ⁻¹⁾·W⁽ˢ⁾ᵀ + 1b⁽ˢ⁾ᵀ takes both
// signs over the batch (A⁽⁰⁾ = X, A⁽ˢ⁾ = φ(V⁽ˢ⁾); φ is used for s < L only
// and may be nil when L = 1). A layer is redrawn (X for the first, W⁽ˢ⁾
// for the others) until it fits (maskFits): no unit of any layer is then
// dead or always active at the examples that reach it, so a Backward that
// forgets the mask, or hands down G·W instead of Δ·W, changes a gradient
// the judge compares, on every draw; and no V lies within kinkGap of 0.
// A point whose deeper layer cannot fit (too few examples reach it) is
// drawn again from X.
func drawMaskPoint(rng *rand.Rand, sizes []int, n int, phi func(float64) float64) maskPoint {
	if len(sizes) < 2 || n < 2 {
		panic("grading: drawMaskPoint needs n₀, n₁ at least and a batch of 2 at least")
	}
	var p maskPoint
	for range maskTries {
		var ok bool
		if p, ok = tryMaskPoint(rng, sizes, n, phi); ok {
			break
		}
	}
	return p
}

// layerTries is how many times tryMaskPoint redraws one layer before it
// gives up on the point (a layer below may have left too few live
// examples).
const layerTries = 10

// tryMaskPoint is one draw of drawMaskPoint; ok reports whether every
// layer fits.
func tryMaskPoint(rng *rand.Rand, sizes []int, n int, phi func(float64) float64) (p maskPoint, ok bool) {
	scale := floatIn(rng, 0.5, 2)
	var in *mat.Dense
	for s := 1; s < len(sizes); s++ {
		w, b := uniform(rng, sizes[s], sizes[s-1]), mat.NewDense(sizes[s], 1, nil)
		ok = false
		for range layerTries {
			if s == 1 {
				in = scaled(rng, n, sizes[0], scale)
			}
			if ok = placeBiases(rng, in, w, b); ok {
				break
			}
			if s > 1 {
				w = uniform(rng, sizes[s], sizes[s-1])
			}
		}
		if s == 1 {
			p.x = in
		}
		p.w, p.b = append(p.w, w), append(p.b, b)
		if !ok {
			return p, false
		}
		if s < len(sizes)-1 {
			a := affine(in, w, b)
			a.Apply(func(_, _ int, t float64) float64 { return phi(t) }, a)
			in = a
		}
	}
	return p, true
}

// placeBiases sets b so that every unit's V = X·Wᵀ + 1bᵀ takes both signs
// over the live examples of x (rows not all zero), its midpoint jittered
// by a quarter of V's range; it reports whether the result fits
// (maskFits).
func placeBiases(rng *rand.Rand, x, w, b *mat.Dense) bool {
	u := new(mat.Dense)
	u.Mul(x, w.T())
	live := liveRows(x)
	nOut, _ := w.Dims()
	for j := range nOut {
		var col []float64
		for _, n := range live {
			col = append(col, u.At(n, j))
		}
		if len(col) == 0 {
			return false
		}
		lo, hi := slices.Min(col), slices.Max(col)
		b.Set(j, 0, -(lo+hi)/2+floatIn(rng, -0.25, 0.25)*(hi-lo))
	}
	return maskFits(x, w, b)
}

// maskFits reports whether, at V = X·Wᵀ + 1bᵀ, every unit has a positive
// and a negative V at live examples of x (rows not all zero) and no V lies
// within kinkGap of 0.
func maskFits(x, w, b *mat.Dense) bool {
	v := affine(x, w, b)
	live := liveRows(x)
	_, nOut := v.Dims()
	for j := range nOut {
		pos, neg := false, false
		for _, n := range live {
			t := v.At(n, j)
			pos, neg = pos || t > 0, neg || t < 0
		}
		if !pos || !neg {
			return false
		}
	}
	for _, t := range v.RawMatrix().Data {
		if t > -kinkGap && t < kinkGap {
			return false
		}
	}
	return true
}

// liveRows returns the indices of x's rows that are not all zero.
func liveRows(x *mat.Dense) []int {
	var out []int
	r, _ := x.Dims()
	for n := range r {
		if slices.ContainsFunc(x.RawRowView(n), func(t float64) bool { return t != 0 }) {
			out = append(out, n)
		}
	}
	return out
}

// network is p as a network of nn.Dense layers: hidden the activation of
// layers 1…L−1, softmax the last's.
func (p maskPoint) network(hidden nn.Activation) *nn.Network {
	net := &nn.Network{}
	for s := range p.w {
		act := hidden
		if s == len(p.w)-1 {
			act = softmax
		}
		nOut, nIn := p.w[s].Dims()
		l := nn.NewDense(nIn, nOut, act)
		l.W.Copy(p.w[s])
		l.B.Copy(p.b[s])
		net.Layers = append(net.Layers, l)
	}
	return net
}
