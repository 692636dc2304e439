package worker

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/nn"
)

// An Asker answers queries: a Session in-process, a Process over pipes.
type Asker interface {
	Ask(Query) (Answer, error)
}

// Client asks the learner's functions typed questions. A method whose
// function is missing panics with *MissingError, one whose function
// panicked with *PanicError, one whose worker failed (or answered a
// malformed matrix) with *Failure: the judge's checks recover them into
// verdicts.
type Client struct{ A Asker }

// MissingError: the learner's code does not define the function.
type MissingError struct{ Op string }

func (e *MissingError) Error() string { return "missing: " + e.Op }

// PanicError: the learner's code panicked with Msg at Where (LearnerFrame).
type PanicError struct{ Msg, Where string }

func (e *PanicError) Error() string { return e.Msg }

// Failure: the worker gave no usable answer, for Reason.
type Failure struct{ Reason string }

func (e *Failure) Error() string { return e.Reason }

func (c Client) ask(q Query) Answer {
	a, err := c.A.Ask(q)
	switch {
	case err != nil:
		panic(&Failure{err.Error()})
	case a.Missing:
		panic(&MissingError{q.Op})
	case a.Panic != "":
		panic(&PanicError{a.Panic, a.Where})
	}
	return a
}

// dense decodes an answer's matrix; a malformed one is a Failure (nil
// stays nil: the checks say what a nil answer means).
func dense(m Matrix) *mat.Dense {
	d, err := m.Dense()
	if err != nil {
		panic(&Failure{"your code answered a " + err.Error()})
	}
	return d
}

func denseList(ms []Matrix) []*mat.Dense {
	out := make([]*mat.Dense, len(ms))
	for i, m := range ms {
		out[i] = dense(m)
	}
	return out
}

// ReLUPrime returns reluPrime(v).
func (c Client) ReLUPrime(v float64) float64 {
	a := c.ask(Query{Op: "reluPrime", V: v})
	if len(a.F) != 1 {
		panic(&Failure{"malformed answer"})
	}
	return a.F[0]
}

// OutputDelta returns outputDelta(a, y) (fresh copies cross).
func (c Client) OutputDelta(a, y *mat.Dense) *mat.Dense { return c.pair("outputDelta", a, y) }

// SoftmaxMSEDelta returns softmaxMSEDelta(a, y) (fresh copies cross).
func (c Client) SoftmaxMSEDelta(a, y *mat.Dense) *mat.Dense { return c.pair("softmaxMSEDelta", a, y) }

// pair asks op (see pairOp) with fresh copies of a and y.
func (c Client) pair(op string, a, y *mat.Dense) *mat.Dense {
	ans := c.ask(Query{Op: op, M: wire([]*mat.Dense{a, y})})
	if len(ans.M) != 1 {
		panic(&Failure{"malformed answer"})
	}
	return dense(ans.M[0])
}

// SGDStep runs sgdStep on fresh copies of params and writes the values of
// the worker's own matrices after the step (not whatever the step put in
// its slice) into params' Value, and its gradients into Grad, in place.
func (c Client) SGDStep(params []nn.Param, eta float64) {
	ps := make([]*mat.Dense, len(params))
	gs := make([]*mat.Dense, len(params))
	for i, p := range params {
		ps[i], gs[i] = p.Value, p.Grad
	}
	a := c.ask(Query{Op: "sgdStep", Names: names(params), M: wire(ps), G: wire(gs), Eta: eta})
	if len(a.M) != len(params) || len(a.G) != len(params) {
		panic(&Failure{"malformed answer"})
	}
	for i, p := range params {
		copyInto(p.Value, dense(a.M[i]))
		copyInto(p.Grad, dense(a.G[i]))
	}
}

func copyInto(dst, src *mat.Dense) {
	if src == nil || !sameShape(dst, src) {
		panic(&Failure{"the worker answered a matrix of another shape"})
	}
	dst.Copy(src)
}

func sameShape(a, b *mat.Dense) bool {
	ar, ac := a.Dims()
	br, bc := b.Dims()
	return ar == br && ac == bc
}

// NumGrad runs numGrad on the judge's test function t at a fresh copy of
// theta with step h; it returns the learner's gradient, θ as numGrad left
// it, and how often the loss was evaluated.
func (c Client) NumGrad(t TestFunc, theta *mat.Dense, h float64) (grad, after *mat.Dense, calls int) {
	a := c.ask(Query{Op: "numGrad", Test: t, M: wire([]*mat.Dense{theta}), H: h})
	if len(a.M) != 2 {
		panic(&Failure{"malformed answer"})
	}
	return dense(a.M[0]), dense(a.M[1]), a.N
}

// NumGradLayer runs numGradW on the worker's layer l (its parameters set
// to l's current values) with fresh copies of x and g; it returns the
// learner's ∂E/∂W and the parameters' values after it.
func (c Client) NumGradLayer(l *Layer, x, g *mat.Dense) (grad *mat.Dense, after []*mat.Dense) {
	a := c.ask(Query{Op: "numGradLayer", Layer: l.id, W: wire(values(l.params)), M: wire([]*mat.Dense{x, g})})
	if len(a.M) != 1 {
		panic(&Failure{"malformed answer"})
	}
	return dense(a.M[0]), denseList(a.G)
}

// Backprop runs backprop(w, v, a, y) on fresh copies.
func (c Client) Backprop(w, v, a []*mat.Dense, y *mat.Dense) (dW, db []*mat.Dense) {
	ans := c.ask(Query{Op: "backprop", W: wire(w), G: wire(v), M: wire(append(append([]*mat.Dense(nil), a...), y))})
	return denseList(ans.M), denseList(ans.G)
}

// TinyAnswers returns the learner's three hand-computed numbers.
func (c Client) TinyAnswers() (d1, d2, dw float64) {
	a := c.ask(Query{Op: "tinyAnswers"})
	if len(a.F) != 3 {
		panic(&Failure{"malformed answer"})
	}
	return a.F[0], a.F[1], a.F[2]
}

// NewLayer builds a layer with the learner's constructor kind ("NewLayer")
// in the worker and returns its proxy.
func (c Client) NewLayer(kind string, nIn, nOut int) *Layer {
	a := c.ask(Query{Op: "newLayer", Kind: kind, Ints: []int{nIn, nOut}})
	if len(a.Names) != len(a.M) {
		panic(&Failure{"malformed answer"})
	}
	l := &Layer{c: c, id: a.N, kind: kind}
	for i, m := range a.M {
		v := dense(m)
		if v == nil {
			panic(&PanicError{Msg: fmt.Sprintf("%s(%d, %d): parameter %s has a nil Value", kind, nIn, nOut, a.Names[i])})
		}
		r, cc := v.Dims()
		l.params = append(l.params, nn.Param{Name: a.Names[i], Value: v, Grad: mat.NewDense(r, cc, nil)})
	}
	return l
}

// Layer is the judge's proxy of a learner's layer in a worker: an
// nn.Layer whose parameters live in the judge (Params returns them, and
// the judge may set or perturb them in place), sent with every Forward,
// and whose Forward and Backward are queries. Every query carries fresh
// copies of its matrices, so no layer can recognise a probe by its
// pointer.
type Layer struct {
	c      Client
	id     int
	kind   string
	params []nn.Param
}

// Params returns the judge's copies of the layer's parameters (W, b, … in
// the learner's order); Backward writes their Grad.
func (l *Layer) Params() []nn.Param { return l.params }

// Forward sends x and the current parameter values and returns the
// learner's Forward(x).
func (l *Layer) Forward(x *mat.Dense) *mat.Dense {
	a := l.c.ask(Query{Op: "forward", Layer: l.id, M: wire([]*mat.Dense{x}), W: wire(values(l.params))})
	if len(a.M) != 1 {
		panic(&Failure{"malformed answer"})
	}
	out := dense(a.M[0])
	if out == nil {
		panic(&PanicError{Msg: "Forward returned nil"})
	}
	return out
}

// Backward sends g and returns the learner's ∂E/∂X (nil if it returned
// nil), writing the parameters' gradients into Params' Grad.
func (l *Layer) Backward(g *mat.Dense) *mat.Dense {
	a := l.c.ask(Query{Op: "backward", Layer: l.id, M: wire([]*mat.Dense{g})})
	if len(a.M) != 1 || len(a.G) != len(l.params) {
		panic(&Failure{"malformed answer"})
	}
	for i, p := range l.params {
		gr := dense(a.G[i])
		if gr == nil {
			panic(&PanicError{Msg: fmt.Sprintf("the gradient of %s is nil after Backward", p.Name)})
		}
		if !sameShape(gr, p.Value) {
			r, c := gr.Dims()
			vr, vc := p.Value.Dims()
			panic(&PanicError{Msg: fmt.Sprintf("the gradient of %s is %d×%d but %s is %d×%d", p.Name, r, c, p.Name, vr, vc)})
		}
		p.Grad.Copy(gr)
	}
	return dense(a.M[0])
}
