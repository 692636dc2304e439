package corpus

import (
	"math"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// act is an activation written from scratch: φ(v) and φ′ (given v and a).
type act struct {
	name  string
	f     func(v float64) float64
	deriv func(v, a float64) float64
	// wrong is φ′ evaluated on the wrong tensor (CauseMaskWrong): σ′ and
	// tanh′ from v instead of a.
	wrong   func(v, a float64) float64
	softmax bool // row-wise softmax: f and deriv unused
}

func relu(at0 float64) act {
	return act{name: "relu", f: func(v float64) float64 { return math.Max(v, 0) },
		deriv: func(v, _ float64) float64 {
			switch {
			case v > 0:
				return 1
			case v < 0:
				return 0
			}
			return at0
		}}
}

var (
	sigmoid = act{name: "sigmoid", f: func(v float64) float64 { return 1 / (1 + math.Exp(-v)) },
		deriv: func(_, a float64) float64 { return a * (1 - a) },
		wrong: func(v, _ float64) float64 { return v * (1 - v) }}
	tanh = act{name: "tanh", f: math.Tanh,
		deriv: func(_, a float64) float64 { return 1 - a*a },
		wrong: func(v, _ float64) float64 { return 1 - v*v }}
	identity = act{name: "identity", f: func(v float64) float64 { return v },
		deriv: func(float64, float64) float64 { return 1 }}
	softplus = act{name: "softplus", f: func(v float64) float64 { return math.Log1p(math.Exp(v)) },
		deriv: func(v, _ float64) float64 { return 1 / (1 + math.Exp(-v)) }}
	leaky = act{name: "leaky relu", f: func(v float64) float64 {
		if v > 0 {
			return v
		}
		return 0.1 * v
	}, deriv: func(v, _ float64) float64 {
		if v > 0 {
			return 1
		}
		return 0.1
	}}
	softmax = act{name: "softmax", softmax: true}
)

// style is how a layer computes its products.
type style int

const (
	matrix     style = iota // gonum Mul with T()
	loops                   // triple loops with At and Set
	perExample              // one example at a time (δ⁽ⁿ⁾ a⁽ⁿ⁾ᵀ summed)
	raw                     // loops over RawMatrix slices
)

// bug is a deliberate mistake of a wrong layer.
type bug int

const (
	noBug bug = iota
	bugTransposeDW
	bugTransposeGX
	bugScaleDW // DW × scale (scale −1, 2, …; perN: × 1/N)
	bugScaleDB
	bugScaleGX
	bugNoMask
	bugMaskWrong // act.wrong, or for ReLU the mask 1{x > 0} of the input
	bugNoDW
	bugNoDB
	bugStaleDW // from the previous call's δ
	bugStaleDB
	bugAccumulate // += without ever clearing
	bugFirstExample
	bugReverseRows // Δᵀ·X with X's rows reversed
	bugBiasAxis    // DB_j = Σ_k Δ_jk (row sums; needs N = n_out)
	bugBiasMean    // DB = Δᵀ1 / N
	bugBiasFromG   // DB = Gᵀ1: the mask missing from the bias only
	bugSignRows    // odd rows of DW negated
	bugLabGX       // ∂L/∂x = G·W
	bugClobberX    // ∂L/∂x written into the caller's x
	bugOffsetDW    // ∂E/∂W + 0.3: in no catalogue
	bugAbsW        // ∂L/∂x = Δ·|W|: in no catalogue
)

// layer is a fully connected layer a = φ(x·Wᵀ + b) written from scratch
// (not on nn.Dense), with the knobs of the corpus.
type layer struct {
	W, B, DW, DB *mat.Dense
	act          act
	style        style
	// zeroInForward clears DW and DB in Forward (PyTorch's zero_grad
	// habit); with accumulate, Backward then adds to them.
	zeroInForward, accumulate bool
	inPlaceDelta              bool // δ = φ′ ⊙ g written into g
	freshGrads                bool // new DW, DB matrices on every Backward
	copyInput                 bool // keep a copy of x, not the caller's matrix
	noBias                    bool // W only
	bug                       bug
	scale                     float64
	perN                      bool
	x, v, a                   *mat.Dense
	prevDelta                 *mat.Dense
}

func newLayer(nIn, nOut int, a act, s style) *layer {
	return &layer{W: mat.NewDense(nOut, nIn, nil), B: mat.NewDense(nOut, 1, nil),
		DW: mat.NewDense(nOut, nIn, nil), DB: mat.NewDense(nOut, 1, nil), act: a, style: s}
}

// init fills W with a fixed pattern of size k in [−k, k] and b with k/4 of
// it, so that an unrandomised check is not at θ = 0.
func (l *layer) init(k float64) *layer {
	r, c := l.W.Dims()
	for i := range r {
		for j := range c {
			l.W.Set(i, j, k*math.Sin(float64(3*i+7*j+1)))
		}
		l.B.Set(i, 0, k/4*math.Cos(float64(5*i+2)))
	}
	return l
}

func (l *layer) Params() []nn.Param {
	if l.noBias {
		return []nn.Param{{Name: "W", Value: l.W, Grad: l.DW}}
	}
	return []nn.Param{{Name: "W", Value: l.W, Grad: l.DW}, {Name: "b", Value: l.B, Grad: l.DB}}
}

func (l *layer) Forward(x *mat.Dense) *mat.Dense {
	if l.copyInput {
		l.x = mat.DenseCopyOf(x)
	} else {
		l.x = x
	}
	if l.zeroInForward {
		l.DW.Zero()
		l.DB.Zero()
	}
	n, nIn := x.Dims()
	nOut, _ := l.W.Dims()
	v := mat.NewDense(n, nOut, nil)
	switch l.style {
	case matrix:
		v.Mul(x, l.W.T())
	case loops, raw:
		for i := range n {
			for j := range nOut {
				var s float64
				for k := range nIn {
					s += x.At(i, k) * l.W.At(j, k)
				}
				v.Set(i, j, s)
			}
		}
	case perExample:
		for i := range n {
			var vi mat.VecDense
			vi.MulVec(l.W, x.RowView(i))
			for j := range nOut {
				v.Set(i, j, vi.AtVec(j))
			}
		}
	}
	if !l.noBias {
		for i := range n {
			for j := range nOut {
				v.Set(i, j, v.At(i, j)+l.B.At(j, 0))
			}
		}
	}
	l.v = v
	l.a = mat.NewDense(n, nOut, nil)
	if l.act.softmax {
		for i := range n {
			m := math.Inf(-1)
			for j := range nOut {
				m = math.Max(m, v.At(i, j))
			}
			var s float64
			for j := range nOut {
				s += math.Exp(v.At(i, j) - m)
			}
			for j := range nOut {
				l.a.Set(i, j, math.Exp(v.At(i, j)-m)/s)
			}
		}
		return l.a
	}
	l.a.Apply(func(_, _ int, x float64) float64 { return l.act.f(x) }, v)
	return l.a
}

// delta returns δ = ∂L/∂v for the upstream gradient g.
func (l *layer) delta(g *mat.Dense) *mat.Dense {
	n, nOut := g.Dims()
	d := mat.NewDense(n, nOut, nil)
	if l.inPlaceDelta {
		d = g
	}
	if l.bug == bugNoMask {
		d.Copy(g)
		return d
	}
	if l.act.softmax {
		for i := range n {
			var s float64
			for j := range nOut {
				s += l.a.At(i, j) * g.At(i, j)
			}
			for j := range nOut {
				d.Set(i, j, l.a.At(i, j)*(g.At(i, j)-s))
			}
		}
		return d
	}
	for i := range n {
		for j := range nOut {
			v, a := l.v.At(i, j), l.a.At(i, j)
			der := l.act.deriv(v, a)
			if l.bug == bugMaskWrong {
				if l.act.wrong != nil {
					der = l.act.wrong(v, a)
				} else if l.x.At(i, j) > 0 { // ReLU′ from the input x (square layer)
					der = 1
				} else {
					der = 0
				}
			}
			d.Set(i, j, der*g.At(i, j))
		}
	}
	return d
}
