package gradcheck

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// Check compares the analytic gradient of f (the Grad of each of
// f.Params) with central differences of f.Loss, as configured by o (nil:
// DefaultOptions). It runs on one goroutine, since a Func cannot be copied;
// CheckNetwork and CheckLayer are concurrent. The parameters are restored
// bit for bit; Check panics on a programmer error (a nil or misshapen
// gradient, two parameters with one name) and re-raises a panic of Loss.
func Check(f Func, o *Options) *Report {
	if f.Loss == nil {
		panic("gradcheck: Check: Func.Loss is nil")
	}
	e := newEngine(o.resolve(), f.Params)
	return e.run("function", 1, func(int) worker { return newFuncWorker(f) })
}

// CheckNetwork checks the gradients that net.LossAndGrad computes for the
// mean cross-entropy on (x, labels): every parameter tensor W1, b1, W2, …
// It runs net.LossAndGrad once, reads the gradients at once (so net's Grad
// matrices hold the analytic gradients afterwards) and compares them with
// central differences.
//
// A network whose layers all offer nn.Cloner (nn.Dense does) is checked by
// o.Workers goroutines, each on its own copy; any other network on itself,
// on one goroutine, with its parameters restored bit for bit. Either way the
// forward pass restarts at the perturbed layer, and a layer that offers
// nn.Perturbable recomputes only what one element changes.
func CheckNetwork(net *nn.Network, x *mat.Dense, labels []int, o *Options) *Report {
	return checkNetwork(net, x, labels, o, true)
}

// checkNetwork is CheckNetwork; fast=false disables nn.Perturbable (for
// the tests that compare the two paths).
func checkNetwork(net *nn.Network, x *mat.Dense, labels []int, o *Options, fast bool) *Report {
	if len(net.Layers) == 0 {
		panic("gradcheck: CheckNetwork: network has no layers")
	}
	net.LossAndGrad(x, labels)
	e := newEngine(o.resolve(), net.Params())
	clonable := true
	for _, l := range net.Layers {
		clonable = clonable && cloner(l) != nil
	}
	workers := 1
	if clonable {
		workers = e.o.Workers
	}
	r := e.run(networkName(net), workers, func(i int) worker {
		if clonable { // net itself is never touched
			c := &nn.Network{Layers: make([]nn.Layer, len(net.Layers))}
			for s, l := range net.Layers {
				c.Layers[s] = l.(nn.Cloner).CloneLayer()
			}
			return newNetWorker(c, x, labels, fast)
		}
		return newNetWorker(net, x, labels, fast)
	})
	r.Batch = x.RawMatrix().Rows
	diagnose(r, nil)
	if !clonable {
		// Leave net as LossAndGrad left it: its caches were overwritten.
		net.LossAndGrad(x, labels)
	}
	return r
}

// networkName is "network 784-96-10", read from the shapes of each
// layer's first parameter (W, n_out×n_in) when every layer has one.
func networkName(net *nn.Network) string {
	var sizes []int
	for _, l := range net.Layers {
		ps := l.Params()
		if len(ps) == 0 {
			return fmt.Sprintf("network of %d layers", len(net.Layers))
		}
		r, c := ps[0].Value.Dims()
		if sizes == nil {
			sizes = append(sizes, c)
		}
		sizes = append(sizes, r)
	}
	parts := make([]string, len(sizes))
	for i, s := range sizes {
		parts[i] = fmt.Sprint(s)
	}
	return "network " + strings.Join(parts, "-")
}

// CheckLayer checks a layer's Backward on the batch x (N×n_in, one example
// per row). With a fixed random upstream gradient G drawn from o.Seed it
// takes the scalar L(x, θ) = Σ G ⊙ l.Forward(x) (see LayerFunc) and
// compares what l.Backward(G) computes — every parameter gradient and the
// returned ∂L/∂x, reported as the tensor "x" — with central differences.
//
// It calls l as nn.Layer's contract allows: Forward and Backward once on
// other data first (so that gradients left from an earlier call show),
// then Forward(x) and Backward(G) (G a copy: Backward may overwrite it),
// reading the gradients at once, through a fresh Params. A layer that
// changes its input x fails (CauseInputModified). A wrong tensor gets a
// Diagnosis; to tell a stale or accumulated gradient, the layer is then
// run once more on (x, G).
//
// A layer that offers nn.Cloner (nn.Dense does) is checked concurrently on
// copies; any other layer on one goroutine, in place, with its parameters
// restored bit for bit.
func CheckLayer(l nn.Layer, x *mat.Dense, o *Options) *Report {
	opts := o.resolve()
	pr := &layerProbe{x: mat.DenseCopyOf(x)}
	// An earlier call, on other data.
	xPrev := randomLike(x, opts.Seed, streamProbe)
	outPrev := l.Forward(xPrev)
	l.Backward(randomLike(outPrev, opts.Seed, streamProbe+1))
	pr.prev = gradCopies(l.Params())
	// The call whose gradients are checked.
	xc := mat.DenseCopyOf(x)
	out := l.Forward(xc)
	pr.out = mat.DenseCopyOf(out)
	pr.g = upstream(out, opts.Seed)
	gx := l.Backward(mat.DenseCopyOf(pr.g))
	ps := l.Params()
	grads := gradCopies(ps)
	checkInputGrad(l, gx, xc)
	pr.gx = mat.DenseCopyOf(gx)
	pr.modified = firstDifference(x, xc)

	params := make([]nn.Param, 0, len(ps)+1)
	for i, p := range ps {
		params = append(params, nn.Param{Name: p.Name, Value: p.Value, Grad: grads[i]})
	}
	params = append(params, nn.Param{Name: InputName, Value: x, Grad: pr.gx})
	e := newEngine(opts, params)
	cl := cloner(l)
	clonable := cl != nil
	workers := 1
	if clonable {
		workers = opts.Workers
	}
	r := e.run(fmt.Sprintf("layer %T", l), workers, func(i int) worker {
		if clonable { // l itself is never touched
			return newLayerWorker(cl.CloneLayer(), x, pr.g)
		}
		return newLayerWorker(l, x, pr.g)
	})
	r.Batch = x.RawMatrix().Rows
	pr.params = params
	if !r.OK() || pr.modified != nil {
		// Once more on the same data: a stale gradient changes, an
		// accumulated one grows.
		l.Forward(mat.DenseCopyOf(x))
		l.Backward(mat.DenseCopyOf(pr.g))
		pr.again = gradCopies(l.Params())
	}
	diagnose(r, pr)
	l.Forward(mat.DenseCopyOf(x)) // leave l's caches at θ
	return r
}

// cloner returns l as an nn.Cloner if its CloneLayer returns a layer of
// l's own type (not that of an embedded nn.Dense, whose CloneLayer is
// promoted to a type that may compute another function), else nil.
func cloner(l nn.Layer) nn.Cloner {
	c, ok := l.(nn.Cloner)
	if !ok || reflect.TypeOf(c.CloneLayer()) != reflect.TypeOf(l) {
		return nil
	}
	return c
}

// checkInputGrad panics unless Backward returned ∂L/∂x of x's shape.
func checkInputGrad(l nn.Layer, gx, x *mat.Dense) {
	if gx == nil {
		panic(fmt.Sprintf("gradcheck: %T.Backward returned nil: a layer must return ∂L/∂x", l))
	}
	if r, c := gx.Dims(); r != x.RawMatrix().Rows || c != x.RawMatrix().Cols {
		panic(fmt.Sprintf("gradcheck: %T.Backward returned ∂L/∂x of shape %d×%d for an input x of shape %d×%d",
			l, r, c, x.RawMatrix().Rows, x.RawMatrix().Cols))
	}
}

// gradCopies copies the gradient of every parameter.
func gradCopies(ps []nn.Param) []*mat.Dense {
	out := make([]*mat.Dense, len(ps))
	for i, p := range ps {
		if p.Grad != nil {
			out[i] = mat.DenseCopyOf(p.Grad)
		}
	}
	return out
}

// randomLike returns a standard normal matrix of m's shape drawn from
// (seed, stream).
func randomLike(m *mat.Dense, seed, stream uint64) *mat.Dense {
	r, c := m.Dims()
	rng := newRand(seed, stream)
	out := mat.NewDense(r, c, nil)
	for i, raw := 0, out.RawMatrix().Data; i < len(raw); i++ {
		raw[i] = rng.NormFloat64()
	}
	return out
}

// firstDifference returns the first element where after differs from
// before (nil if none).
func firstDifference(before, after *mat.Dense) *inputChange {
	r, c := before.Dims()
	for i := range r {
		for j := range c {
			if b, a := before.At(i, j), after.At(i, j); b != a && !(b != b && a != a) {
				return &inputChange{row: i, col: j, before: b, after: a}
			}
		}
	}
	return nil
}
