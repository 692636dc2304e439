package gradcheck

import (
	"math"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// funcWorker evaluates a Func in place (a Func cannot be copied).
type funcWorker struct {
	f  Func
	f0 evaluation
}

func newFuncWorker(f Func) *funcWorker {
	w := &funcWorker{f: f}
	w.f0 = w.evaluate()
	return w
}

func (w *funcWorker) evaluate() evaluation {
	ev := evaluation{loss: w.f.Loss()}
	ev.scale = math.Abs(ev.loss)
	if w.f.Scale != nil {
		ev.scale = w.f.Scale()
	}
	return ev
}

func (w *funcWorker) params() []nn.Param                  { return w.f.Params }
func (w *funcWorker) ready(int)                           {}
func (w *funcWorker) base() evaluation                    { return w.f0 }
func (w *funcWorker) eval(_, _ int, _ float64) evaluation { return w.evaluate() }

// stack evaluates a chain of layers from layer s on, exploiting the layered
// structure, which is exact for any layer whose Forward depends only on its
// input and its own parameters:
//
//   - a parameter of layer s changes only layers s, s+1, …, so the forward
//     pass restarts at layer s from a stored copy of its input at θ;
//   - a layer that offers nn.Perturbable recomputes its output after a
//     change of one element (for nn.Dense: one column of V) instead of
//     running Forward: O(N·n_out) instead of O(N·n_in·n_out) work. This is
//     the same function rounded differently; TestNetworkPathsAgree checks it
//     against the plain evaluation.
//
// ForwardPerturbed reads the values cached by the layer's last Forward, so a
// Perturbable layer whose last Forward was not on its input at θ (stale) is
// first run on it again.
type stack struct {
	layers  []nn.Layer
	in      []*mat.Dense // input of each layer at θ (copies)
	pert    []nn.Perturbable
	stale   []bool
	layerOf []int // parameter → layer
	local   []int // parameter → index in its layer's Params
	fast    bool
}

func newStack(layers []nn.Layer, x *mat.Dense, fast bool) (*stack, *mat.Dense) {
	L := len(layers)
	s := &stack{layers: layers, in: make([]*mat.Dense, L), pert: make([]nn.Perturbable, L), stale: make([]bool, L), fast: fast}
	a := x
	for i, l := range layers {
		for k := range l.Params() {
			s.layerOf = append(s.layerOf, i)
			s.local = append(s.local, k)
		}
		s.in[i] = mat.DenseCopyOf(a)
		a = l.Forward(s.in[i])
		if p, ok := l.(nn.Perturbable); ok && fast && len(l.Params()) > 0 && samePerturbed(p, a) {
			s.pert[i] = p
		}
	}
	return s, a
}

// eval returns the output of the last layer after element k (row-major;
// k < 0: any elements) of parameter p changed by delta (in place).
func (s *stack) eval(p, k int, delta float64, cols int) *mat.Dense {
	from := s.layerOf[p]
	var a *mat.Dense
	if pl := s.pert[from]; pl != nil && k >= 0 && !s.stale[from] {
		a = pl.ForwardPerturbed(s.local[p], k/cols, k%cols, delta)
	} else {
		a = s.layers[from].Forward(s.in[from])
		s.stale[from] = true
	}
	for l := from + 1; l < len(s.layers); l++ {
		a = s.layers[l].Forward(a)
		s.stale[l] = true
	}
	return a
}

// samePerturbed reports whether l.ForwardPerturbed(0, 0, 0, 0) agrees with
// the output a of its last Forward. It guards against a promoted method: a
// type that embeds an nn.Dense but computes a Forward of its own has the
// embedded layer's ForwardPerturbed, which does not know that Forward.
func samePerturbed(l nn.Perturbable, a *mat.Dense) bool {
	return mat.EqualApprox(mat.DenseCopyOf(a), l.ForwardPerturbed(0, 0, 0, 0), 1e-12)
}

// ready runs a stale Perturbable layer that parameter p belongs to on its
// input at θ again; it must be called while every parameter is at θ.
func (s *stack) ready(p int) {
	l := s.layerOf[p]
	if s.pert[l] != nil && s.stale[l] {
		s.pert[l].Forward(s.in[l])
		s.stale[l] = false
	}
}

// netWorker evaluates the mean cross-entropy of a network (see stack).
type netWorker struct {
	st     *stack
	labels []int
	ps     []nn.Param
	cols   []int
	f0     evaluation
}

func newNetWorker(net *nn.Network, x *mat.Dense, labels []int, fast bool) *netWorker {
	w := &netWorker{labels: labels, ps: net.Params()}
	for _, p := range w.ps {
		w.cols = append(w.cols, p.Value.RawMatrix().Cols)
	}
	var a *mat.Dense
	w.st, a = newStack(net.Layers, x, fast)
	w.f0.loss, _ = nn.CrossEntropy(a, labels)
	w.f0.scale = math.Abs(w.f0.loss) // a mean of −ln a ≥ 0: no cancellation
	return w
}

func (w *netWorker) params() []nn.Param { return w.ps }
func (w *netWorker) ready(p int)        { w.st.ready(p) }
func (w *netWorker) base() evaluation   { return w.f0 }

func (w *netWorker) eval(p, k int, delta float64) evaluation {
	loss, _ := nn.CrossEntropy(w.st.eval(p, k, delta, w.cols[p]), w.labels)
	return evaluation{loss: loss, scale: math.Abs(loss)}
}

// layerWorker evaluates L(x, θ) = Σ G ⊙ l.Forward(x) on its own layer (a
// copy for an nn.Cloner) and its own copy of x, the last parameter.
type layerWorker struct {
	st   *stack
	g    *mat.Dense
	ps   []nn.Param
	cols []int
	f0   evaluation
}

func newLayerWorker(l nn.Layer, x, g *mat.Dense) *layerWorker {
	w := &layerWorker{g: g}
	var a *mat.Dense
	w.st, a = newStack([]nn.Layer{l}, x, true)
	xc := w.st.in[0] // perturbed in place as the parameter "x"
	w.ps = append(append([]nn.Param(nil), l.Params()...), nn.Param{Name: InputName, Value: xc, Grad: xc})
	for _, p := range w.ps {
		w.cols = append(w.cols, p.Value.RawMatrix().Cols)
	}
	w.st.layerOf = append(w.st.layerOf, 0)
	w.st.local = append(w.st.local, -1)
	w.f0.loss, w.f0.scale = weightedSum(g, a)
	return w
}

func (w *layerWorker) params() []nn.Param { return w.ps }
func (w *layerWorker) ready(p int)        { w.st.ready(p) }
func (w *layerWorker) base() evaluation   { return w.f0 }
func (w *layerWorker) eval(p, k int, delta float64) evaluation {
	if p == len(w.ps)-1 { // x: Forward on the changed input
		k = -1
	}
	var ev evaluation
	ev.loss, ev.scale = weightedSum(w.g, w.st.eval(p, k, delta, w.cols[p]))
	return ev
}
