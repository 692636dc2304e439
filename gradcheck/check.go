package gradcheck

import (
	"fmt"
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
// It runs net.LossAndGrad once (so net's Grad matrices hold the analytic
// gradients afterwards) and compares them with central differences.
//
// A network made only of *nn.Dense layers is checked by o.Workers
// goroutines, each on its own net.Clone(), reusing the layers below the
// perturbed one and updating a single column of the perturbed layer's V; a
// network with other layers (a student's own) is checked on net itself,
// on one goroutine, with its parameters restored bit for bit.
func CheckNetwork(net *nn.Network, x *mat.Dense, labels []int, o *Options) *Report {
	return checkNetwork(net, x, labels, o, true)
}

// checkNetwork is CheckNetwork; fast=false disables the column update (for
// the tests that compare the two paths).
func checkNetwork(net *nn.Network, x *mat.Dense, labels []int, o *Options, fast bool) *Report {
	if len(net.Layers) == 0 {
		panic("gradcheck: CheckNetwork: network has no layers")
	}
	net.LossAndGrad(x, labels)
	e := newEngine(o.resolve(), net.Params())
	clonable := true
	for _, l := range net.Layers {
		_, ok := l.(*nn.Dense)
		clonable = clonable && ok
	}
	workers := 1
	if clonable {
		workers = e.o.Workers
	}
	r := e.run(networkName(net), workers, func(i int) worker {
		if clonable { // net itself is never touched
			return newNetWorker(net.Clone(), x, labels, fast)
		}
		return newNetWorker(net, x, labels, fast)
	})
	r.Batch = x.RawMatrix().Rows
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

// CheckLayer checks a layer's Backward on the batch x (B×n_in, one example
// per row). With a fixed random upstream gradient G drawn from o.Seed it
// takes the scalar L(x, θ) = Σ G ⊙ l.Forward(x) (see LayerFunc) and
// compares what l.Backward(G) computes — every parameter gradient and the
// returned ∂L/∂x, reported as the tensor "x" — with central differences.
//
// An *nn.Dense is checked concurrently on copies; any other layer on one
// goroutine, in place, with its parameters restored bit for bit.
func CheckLayer(l nn.Layer, x *mat.Dense, o *Options) *Report {
	opts := o.resolve()
	f := LayerFunc(l, x, opts.Seed)
	g := upstream(l.Forward(mat.DenseCopyOf(x)), opts.Seed)
	e := newEngine(opts, f.Params)
	d, isDense := l.(*nn.Dense)
	workers := 1
	if isDense {
		workers = opts.Workers
	}
	r := e.run(fmt.Sprintf("layer %T", l), workers, func(i int) worker {
		if isDense { // l itself is never touched
			return newLayerWorker(copyDense(d), x, g)
		}
		return newLayerWorker(l, x, g)
	})
	r.Batch = x.RawMatrix().Rows
	if !isDense {
		l.Forward(x) // leave l's caches at θ
	}
	return r
}
