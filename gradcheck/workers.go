package gradcheck

import (
	"bytes"
	"math"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// funcWorker evaluates a Func in place (a Func cannot be copied).
type funcWorker struct {
	f        Func
	f0       evaluation
	basePat  []byte
	pat      []byte
	hasKinks bool
}

func newFuncWorker(f Func) *funcWorker {
	w := &funcWorker{f: f, hasKinks: f.Kinks != nil}
	w.f0 = w.evaluate()
	if w.hasKinks {
		w.basePat = f.Kinks(nil)
	}
	w.f0.kink = false
	return w
}

func (w *funcWorker) evaluate() evaluation {
	ev := evaluation{loss: w.f.Loss()}
	ev.scale = math.Abs(ev.loss)
	if w.f.Scale != nil {
		ev.scale = w.f.Scale()
	}
	if w.hasKinks {
		w.pat = w.f.Kinks(w.pat[:0])
		ev.kink = !bytes.Equal(w.pat, w.basePat)
	}
	return ev
}

func (w *funcWorker) params() []nn.Param                  { return w.f.Params }
func (w *funcWorker) base() evaluation                    { return w.f0 }
func (w *funcWorker) knowsKinks() bool                    { return w.hasKinks }
func (w *funcWorker) eval(_, _ int, _ float64) evaluation { return w.evaluate() }

// netWorker evaluates the mean cross-entropy of a network. It exploits the
// layered structure, which is exact for any layer whose Forward depends
// only on its input and its own parameters:
//
//   - a parameter of layer s changes only layers s, s+1, …, so the forward
//     pass restarts at layer s from a stored copy of its input at θ;
//   - for a layer that is exactly an *nn.Dense, changing W[i,j] by Δ changes
//     only column i of V = X·Wᵀ + 1bᵀ, by Δ·X[:,j] (b[i]: by Δ), so that
//     column is updated instead of recomputing X·Wᵀ: O(B) instead of
//     O(B·n_in·n_out) work. This is the same function rounded differently;
//     TestNetworkPathsAgree checks it against the plain evaluation.
type netWorker struct {
	net     *nn.Network
	x       *mat.Dense
	labels  []int
	ps      []nn.Param
	layerOf []int // parameter → layer index
	isBias  []bool
	dense   []*nn.Dense  // exact *nn.Dense layers (nil otherwise)
	in      []*mat.Dense // input of each layer at θ
	v       []*mat.Dense // V of each exact Dense layer at θ
	vs, as  []*mat.Dense // scratch V and A of each exact Dense layer
	basePat [][]byte     // kink fingerprint of each layer at θ
	pat     []byte
	known   bool
	f0      evaluation
	fast    bool // use the column update for exact Dense layers
}

func newNetWorker(net *nn.Network, x *mat.Dense, labels []int, fast bool) *netWorker {
	L := len(net.Layers)
	w := &netWorker{net: net, x: x, labels: labels, ps: net.Params(), fast: fast, known: true,
		dense: make([]*nn.Dense, L), in: make([]*mat.Dense, L), v: make([]*mat.Dense, L),
		vs: make([]*mat.Dense, L), as: make([]*mat.Dense, L), basePat: make([][]byte, L)}
	for s, l := range net.Layers {
		ps := l.Params()
		for i := range ps {
			w.layerOf = append(w.layerOf, s)
			w.isBias = append(w.isBias, i == 1)
		}
		if d, ok := l.(*nn.Dense); ok {
			w.dense[s] = d
		}
		w.known = w.known && understood(l)
	}
	a := x
	for s, l := range net.Layers {
		w.in[s] = mat.DenseCopyOf(a)
		a = l.Forward(w.in[s])
		w.basePat[s] = layerPattern(nil, l)
		if d := w.dense[s]; d != nil {
			w.v[s] = mat.DenseCopyOf(d.V())
			w.vs[s] = mat.DenseCopyOf(d.V())
			w.as[s] = mat.DenseCopyOf(a)
		}
	}
	w.f0.loss, _ = nn.CrossEntropy(a, labels)
	w.f0.scale = math.Abs(w.f0.loss) // a mean of −ln a ≥ 0: no cancellation
	return w
}

func (w *netWorker) params() []nn.Param { return w.ps }
func (w *netWorker) base() evaluation   { return w.f0 }
func (w *netWorker) knowsKinks() bool   { return w.known }

func (w *netWorker) eval(p, k int, delta float64) evaluation {
	s := w.layerOf[p]
	var a *mat.Dense
	kink := false
	if d := w.dense[s]; d != nil && w.fast && k >= 0 {
		a, kink = w.column(s, d, p, k, delta)
	} else {
		a = w.net.Layers[s].Forward(w.in[s])
		kink = w.kinked(s)
	}
	for l := s + 1; l < len(w.net.Layers); l++ {
		a = w.net.Layers[l].Forward(a)
		kink = kink || w.kinked(l)
	}
	loss, _ := nn.CrossEntropy(a, w.labels)
	return evaluation{loss: loss, scale: math.Abs(loss), kink: kink}
}

// column evaluates exact Dense layer s after element k of its parameter p
// changed by delta, by updating one column of V, and returns A and whether
// a ReLU unit of that column changed sides.
func (w *netWorker) column(s int, d *nn.Dense, p, k int, delta float64) (*mat.Dense, bool) {
	nIn, _ := d.Dims()
	i, j := k, -1
	if !w.isBias[p] {
		i, j = k/nIn, k%nIn
	}
	v, vs, x := w.v[s].RawMatrix(), w.vs[s].RawMatrix(), w.in[s].RawMatrix()
	for n := 0; n < v.Rows; n++ {
		dv := delta
		if j >= 0 {
			dv *= x.Data[n*x.Stride+j]
		}
		vs.Data[n*vs.Stride+i] = v.Data[n*v.Stride+i] + dv
	}
	d.Act.Forward(w.as[s], w.vs[s])
	_, relu := knownActivation(d.Act)
	kink := false
	for n := 0; n < v.Rows; n++ {
		old, new := v.Data[n*v.Stride+i], vs.Data[n*vs.Stride+i]
		kink = kink || (relu && (old > 0) != (new > 0))
		vs.Data[n*vs.Stride+i] = old
	}
	return w.as[s], kink
}

// kinked reports whether layer s's fingerprint differs from θ's.
func (w *netWorker) kinked(s int) bool {
	w.pat = layerPattern(w.pat[:0], w.net.Layers[s])
	return !bytes.Equal(w.pat, w.basePat[s])
}

// layerWorker evaluates L(x, θ) = Σ G ⊙ l.Forward(x) on its own layer (a
// copy for *nn.Dense) and its own copy of x.
type layerWorker struct {
	l       nn.Layer
	g, x    *mat.Dense
	ps      []nn.Param
	basePat []byte
	pat     []byte
	known   bool
	f0      evaluation
}

func newLayerWorker(l nn.Layer, x, g *mat.Dense) *layerWorker {
	xc := mat.DenseCopyOf(x)
	w := &layerWorker{l: l, g: g, x: xc, known: understood(l)}
	w.ps = append(append([]nn.Param(nil), l.Params()...), nn.Param{Name: InputName, Value: xc, Grad: xc})
	w.f0.loss, w.f0.scale = weightedSum(g, l.Forward(xc))
	w.basePat = layerPattern(nil, l)
	return w
}

func (w *layerWorker) params() []nn.Param { return w.ps }
func (w *layerWorker) base() evaluation   { return w.f0 }
func (w *layerWorker) knowsKinks() bool   { return w.known }
func (w *layerWorker) eval(_, _ int, _ float64) evaluation {
	var ev evaluation
	ev.loss, ev.scale = weightedSum(w.g, w.l.Forward(w.x))
	w.pat = layerPattern(w.pat[:0], w.l)
	ev.kink = !bytes.Equal(w.pat, w.basePat)
	return ev
}

// copyDense returns an independent copy of an nn.Dense (weights, bias,
// activation).
func copyDense(d *nn.Dense) *nn.Dense {
	nIn, nOut := d.Dims()
	c := nn.NewDense(nIn, nOut, d.Act)
	c.W.Copy(d.W)
	c.B.Copy(d.B)
	return c
}
