package lesson

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// This file measures, for the initialisation lesson (07), what deep networks
// add to a good initialisation: normalisation and residual connections,
// on a stack of square ReLU layers much deeper than package nn's examples.

// DepthVariant is one way to stack L square ReLU layers of width n, each
// with its own weights W⁽ˢ⁾ (n×n, W_ij ~ N(0, σ²)). On a batch A (N×n, one
// example per row) it computes the layer's output and, given the gradient G
// of the output, the gradient of the input.
type DepthVariant struct {
	Name string
	// Forward returns the layer's output for input a; Backward returns
	// ∂/∂a from ∂/∂out, reusing what Forward saved in its cache.
	Forward  func(a, w *mat.Dense) (out *mat.Dense, cache any)
	Backward func(g, w *mat.Dense, cache any) *mat.Dense
}

// DepthVariants are the stacks compared, one entry each:
//
//	plain       a⁽ˢ⁾ = ReLU(a⁽ˢ⁻¹⁾W⁽ˢ⁾ᵀ)
//	normalised  a⁽ˢ⁾ = ReLU(norm(a⁽ˢ⁻¹⁾W⁽ˢ⁾ᵀ)), norm rescales each example's
//	            n pre-activations to mean 0 and rms 1 (layer normalisation,
//	            without its learned gain and shift)
//	residual    a⁽ˢ⁾ = a⁽ˢ⁻¹⁾ + ReLU(a⁽ˢ⁻¹⁾W⁽ˢ⁾ᵀ) (an identity path around every layer)
//
// Layer normalisation: Ba, Kiros and Hinton 2016, arXiv:1607.06450 (batch
// normalisation, Ioffe and Szegedy 2015, normalises over the batch
// instead); residual connections: He, Zhang, Ren and Sun 2015,
// arXiv:1512.03385.
var DepthVariants = []DepthVariant{
	{Name: "plain",
		Forward: func(a, w *mat.Dense) (*mat.Dense, any) {
			v := mulT(a, w)
			return reluOf(v), v
		},
		Backward: func(g, w *mat.Dense, cache any) *mat.Dense {
			return mulPlain(reluMask(g, cache.(*mat.Dense)), w)
		}},
	{Name: "normalised",
		Forward: func(a, w *mat.Dense) (*mat.Dense, any) {
			z, sd := normRows(mulT(a, w))
			return reluOf(z), normCache{z, sd}
		},
		Backward: func(g, w *mat.Dense, cache any) *mat.Dense {
			c := cache.(normCache)
			return mulPlain(normRowsBackward(reluMask(g, c.z), c.z, c.sd), w)
		}},
	{Name: "residual",
		Forward: func(a, w *mat.Dense) (*mat.Dense, any) {
			v := mulT(a, w)
			out := reluOf(v)
			out.Add(out, a)
			return out, v
		},
		Backward: func(g, w *mat.Dense, cache any) *mat.Dense {
			out := mulPlain(reluMask(g, cache.(*mat.Dense)), w)
			out.Add(out, g)
			return out
		}},
}

type normCache struct {
	z  *mat.Dense
	sd []float64
}

func mulT(a, w *mat.Dense) *mat.Dense { var v mat.Dense; v.Mul(a, w.T()); return &v }

func mulPlain(g, w *mat.Dense) *mat.Dense { var v mat.Dense; v.Mul(g, w); return &v }

func reluOf(v *mat.Dense) *mat.Dense {
	var a mat.Dense
	a.Apply(func(_, _ int, x float64) float64 { return math.Max(x, 0) }, v)
	return &a
}

// reluMask returns g ⊙ ReLU′(v), ReLU′(0) = 0.
func reluMask(g, v *mat.Dense) *mat.Dense {
	var out mat.Dense
	out.Apply(func(i, j int, x float64) float64 {
		if v.At(i, j) > 0 {
			return x
		}
		return 0
	}, g)
	return &out
}

// normRows returns z with z_nk = (v_nk − μ_n)/sd_n, μ_n and sd_n the mean and
// the standard deviation of row n, and the sd_n.
func normRows(v *mat.Dense) (*mat.Dense, []float64) {
	r, c := v.Dims()
	z := mat.NewDense(r, c, nil)
	sd := make([]float64, r)
	for n := range r {
		row := v.RawRowView(n)
		var mu, ms float64
		for _, x := range row {
			mu += x
		}
		mu /= float64(c)
		for _, x := range row {
			ms += (x - mu) * (x - mu)
		}
		sd[n] = math.Sqrt(ms / float64(c))
		for k, x := range row {
			z.Set(n, k, (x-mu)/sd[n])
		}
	}
	return z, sd
}

// normRowsBackward returns ∂/∂v from gz = ∂/∂z for z = normRows(v):
// ∂/∂v_nk = (gz_nk − mean_k(gz_n) − z_nk·mean_k(gz_n ⊙ z_n)) / sd_n.
func normRowsBackward(gz, z *mat.Dense, sd []float64) *mat.Dense {
	r, c := gz.Dims()
	out := mat.NewDense(r, c, nil)
	for n := range r {
		var mg, mgz float64
		for k := range c {
			mg += gz.At(n, k)
			mgz += gz.At(n, k) * z.At(n, k)
		}
		mg, mgz = mg/float64(c), mgz/float64(c)
		for k := range c {
			out.Set(n, k, (gz.At(n, k)-mg-z.At(n, k)*mgz)/sd[n])
		}
	}
	return out
}

// DepthRun is one variant at one weight scale: the end-to-end ratios of a
// stack of Depth layers, forward rms(a⁽ᴸ⁾)/rms(a⁽⁰⁾) and backward
// rms(∂/∂a⁽⁰⁾)/rms(∂/∂a⁽ᴸ⁾).
type DepthRun struct {
	Variant      string
	Scale        float64 // σ = Scale·√(2/n): 1 is He
	Depth, Width int
	Fwd, Bwd     float64
}

// MeasureDepth stacks depth layers of width n of variant v with σ =
// scale·√(2/n), feeds a batch of N standard normal inputs forward and a
// standard normal gradient backward, and returns the end-to-end ratios.
// Deterministic given seed.
func MeasureDepth(v DepthVariant, scale float64, depth, n, batch int, seed uint64) DepthRun {
	rng := rand.New(rand.NewPCG(seed, 0))
	gauss := func(r, c int, s float64) *mat.Dense {
		d := make([]float64, r*c)
		for i := range d {
			d[i] = s * rng.NormFloat64()
		}
		return mat.NewDense(r, c, d)
	}
	ws := make([]*mat.Dense, depth)
	for s := range ws {
		ws[s] = gauss(n, n, scale*math.Sqrt(2/float64(n)))
	}
	a0 := gauss(batch, n, 1)
	a, caches := a0, make([]any, depth)
	for s, w := range ws {
		a, caches[s] = v.Forward(a, w)
	}
	gTop := gauss(batch, n, 1)
	g := gTop
	for s := depth - 1; s >= 0; s-- {
		g = v.Backward(g, ws[s], caches[s])
	}
	return DepthRun{Variant: v.Name, Scale: scale, Depth: depth, Width: n,
		Fwd: rms(a) / rms(a0), Bwd: rms(g) / rms(gTop)}
}

// DepthTable prints the runs, one line each.
func DepthTable(runs []DepthRun) string {
	var b strings.Builder
	for _, r := range runs {
		fmt.Fprintf(&b, "%-10s σ = %g×He, %d layers of %d: forward rms(a⁽ᴸ⁾)/rms(a⁽⁰⁾) = %-9.3g backward rms(∂/∂a⁽⁰⁾)/rms(∂/∂a⁽ᴸ⁾) = %.3g\n",
			r.Variant, r.Scale, r.Depth, r.Width, r.Fwd, r.Bwd)
	}
	return b.String()
}
