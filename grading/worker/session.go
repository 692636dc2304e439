package worker

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/nn"
)

// Funcs are the learner's functions a worker serves; a nil field is a
// function the learner's code does not define (its queries answer
// Missing). Package grading's exercise table says which notebook function
// fills which field.
type Funcs struct {
	ReLUPrime    func(v float64) float64
	OutputDelta  func(a, y *mat.Dense) *mat.Dense
	NewLayer     func(nIn, nOut int) nn.Layer
	NewTanhLayer func(nIn, nOut int) nn.Layer
	SGDStep      func(params []nn.Param, eta float64)
	NumGrad      func(loss func() float64, theta *mat.Dense, h float64) *mat.Dense
	NumGradLayer func(l nn.Layer, x, g *mat.Dense) *mat.Dense
	Backprop     func(w, v, a []*mat.Dense, y *mat.Dense) (dW, db []*mat.Dense)
	TinyAnswers  func() (delta1, delta2, dW12 float64)
	// NewSigmoidLayer builds exercise 9's layer.
	NewSigmoidLayer func(nIn, nOut int) nn.Layer
	// SoftmaxMSEDelta is exercise 12's δ = ∂E/∂V for MSE on softmax outputs.
	SoftmaxMSEDelta func(a, y *mat.Dense) *mat.Dense
}

// constructors are the Funcs fields that build layers, by Query.Kind.
func (f Funcs) constructor(kind string) func(nIn, nOut int) nn.Layer {
	return map[string]func(int, int) nn.Layer{"NewLayer": f.NewLayer, "NewTanhLayer": f.NewTanhLayer, "NewSigmoidLayer": f.NewSigmoidLayer}[kind]
}

// Session answers queries with the learner's functions, keeping the layers
// they built (by handle, Answer.N of "newLayer").
type Session struct {
	funcs  Funcs
	layers []nn.Layer
}

// NewSession returns a session serving f.
func NewSession(f Funcs) *Session { return &Session{funcs: f} }

// Ask answers q in-process: a panic of the learner's code is an Answer
// with Panic and Where; a malformed query is an error.
func (s *Session) Ask(q Query) (a Answer, err error) {
	op, ok := ops[q.Op]
	if !ok {
		return Answer{}, fmt.Errorf("no operation %q", q.Op)
	}
	defer func() {
		if p := recover(); p != nil {
			if e, ok := p.(operandError); ok {
				err = e
				return
			}
			a = Answer{Panic: fmt.Sprint(p), Where: LearnerFrame(2)}
		}
	}()
	return op(s, q), nil
}

// operandError is a malformed query (the judge's fault, or a forged
// stream): it panics out of an op and Ask returns it.
type operandError struct{ error }

func must[T any](v T, err error) T {
	if err != nil {
		panic(operandError{err})
	}
	return v
}

func (s *Session) layer(q Query) nn.Layer {
	if q.Layer < 0 || q.Layer >= len(s.layers) {
		panic(operandError{fmt.Errorf("no layer %d", q.Layer)})
	}
	return s.layers[q.Layer]
}

// setParams copies values into l's parameters, in Params' order (the judge
// sends what Params listed).
func setParams(l nn.Layer, values []*mat.Dense) {
	ps := l.Params()
	if len(ps) != len(values) {
		panic(fmt.Sprintf("Params() lists %d parameters now, %d before", len(ps), len(values)))
	}
	for i, p := range ps {
		if p.Value == nil {
			panic(fmt.Sprintf("parameter %s has a nil Value", p.Name))
		}
		pr, pc := p.Value.Dims()
		vr, vc := values[i].Dims()
		if pr != vr || pc != vc {
			panic(fmt.Sprintf("parameter %s is %d×%d now, %d×%d before", p.Name, pr, pc, vr, vc))
		}
		p.Value.Copy(values[i])
	}
}

func names(ps []nn.Param) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

func values(ps []nn.Param) []*mat.Dense {
	out := make([]*mat.Dense, len(ps))
	for i, p := range ps {
		out[i] = p.Value
	}
	return out
}

func grads(ps []nn.Param) []*mat.Dense {
	out := make([]*mat.Dense, len(ps))
	for i, p := range ps {
		out[i] = p.Grad
	}
	return out
}

var missing = Answer{Missing: true}

// pairOp answers M = a, y with M[0] = f(a, y): the ops of the learner's
// functions of two matrices (δ of an output layer).
func pairOp(f func(a, y *mat.Dense) *mat.Dense, q Query) Answer {
	if f == nil {
		return missing
	}
	m := must(denses(q.M))
	if len(m) != 2 {
		panic(operandError{errOperands})
	}
	return Answer{M: wire([]*mat.Dense{f(m[0], m[1])})}
}

// ops are the queries a worker answers, by Query.Op; each comment says
// which operands it reads and what it answers.
var ops = map[string]func(*Session, Query) Answer{
	// V → F[0] = ReLUPrime(V).
	"reluPrime": func(s *Session, q Query) Answer {
		if s.funcs.ReLUPrime == nil {
			return missing
		}
		return Answer{F: []float64{s.funcs.ReLUPrime(q.V)}}
	},
	// M = a, y → M[0] = OutputDelta(a, y).
	"outputDelta": func(s *Session, q Query) Answer { return pairOp(s.funcs.OutputDelta, q) },
	// M = a, y → M[0] = SoftmaxMSEDelta(a, y).
	"softmaxMSEDelta": func(s *Session, q Query) Answer { return pairOp(s.funcs.SoftmaxMSEDelta, q) },
	// Kind, Ints = n_in, n_out → N = the layer's handle, Names and M its
	// parameters' names and values.
	"newLayer": func(s *Session, q Query) Answer {
		newLayer := s.funcs.constructor(q.Kind)
		if newLayer == nil {
			return missing
		}
		if len(q.Ints) != 2 {
			panic(operandError{errOperands})
		}
		l := newLayer(q.Ints[0], q.Ints[1])
		if l == nil {
			panic(fmt.Sprintf("%s(%d, %d) returned nil", q.Kind, q.Ints[0], q.Ints[1]))
		}
		s.layers = append(s.layers, l)
		ps := l.Params()
		return Answer{N: len(s.layers) - 1, Names: names(ps), M: wire(values(ps))}
	},
	// Layer, M[0] = X, W = the parameters' values to set first → M[0] =
	// Forward(X).
	"forward": func(s *Session, q Query) Answer {
		l := s.layer(q)
		m := must(denses(q.M))
		if len(m) != 1 {
			panic(operandError{errOperands})
		}
		setParams(l, must(denses(q.W)))
		return Answer{M: wire([]*mat.Dense{l.Forward(m[0])})}
	},
	// Layer, M[0] = G → M[0] = Backward(G) (∂E/∂X), G = the parameters'
	// gradients after it.
	"backward": func(s *Session, q Query) Answer {
		l := s.layer(q)
		m := must(denses(q.M))
		if len(m) != 1 {
			panic(operandError{errOperands})
		}
		dx := l.Backward(m[0])
		return Answer{M: wire([]*mat.Dense{dx}), G: wire(grads(l.Params()))}
	},
	// Names, M = values, G = gradients, Eta → M = the values of the
	// matrices the worker made (whatever the step did to the slice), G the
	// gradients'.
	"sgdStep": func(s *Session, q Query) Answer {
		if s.funcs.SGDStep == nil {
			return missing
		}
		v, g := must(denses(q.M)), must(denses(q.G))
		if len(v) != len(g) || len(v) != len(q.Names) {
			panic(operandError{errOperands})
		}
		params := make([]nn.Param, len(v))
		for i := range v {
			params[i] = nn.Param{Name: q.Names[i], Value: v[i], Grad: g[i]}
		}
		s.funcs.SGDStep(params, q.Eta)
		return Answer{M: wire(v), G: wire(g)}
	},
	// Test, M[0] = θ, H → M[0] = NumGrad(loss, θ, H) with loss() =
	// Test.Loss(θ), M[1] = θ after, N = how often loss was called.
	"numGrad": func(s *Session, q Query) Answer {
		if s.funcs.NumGrad == nil {
			return missing
		}
		m := must(denses(q.M))
		if len(m) != 1 || m[0] == nil {
			panic(operandError{errOperands})
		}
		theta, calls := m[0], 0
		got := s.funcs.NumGrad(func() float64 { calls++; return q.Test.Loss(theta) }, theta, q.H)
		return Answer{M: wire([]*mat.Dense{got, theta}), N: calls}
	},
	// Layer, W = parameter values to set, M = X, G → M[0] =
	// NumGradLayer(layer, X, G), W = the parameters' values after it.
	"numGradLayer": func(s *Session, q Query) Answer {
		if s.funcs.NumGradLayer == nil {
			return missing
		}
		l := s.layer(q)
		m := must(denses(q.M))
		if len(m) != 2 {
			panic(operandError{errOperands})
		}
		setParams(l, must(denses(q.W)))
		got := s.funcs.NumGradLayer(l, m[0], m[1])
		return Answer{M: wire([]*mat.Dense{got}), G: wire(values(l.Params()))}
	},
	// W = w, G = v, M = a then y (index 0 of w and v nil) → M = dW, G = db.
	"backprop": func(s *Session, q Query) Answer {
		if s.funcs.Backprop == nil {
			return missing
		}
		w, v, am := must(denses(q.W)), must(denses(q.G)), must(denses(q.M))
		if len(am) < 2 {
			panic(operandError{errOperands})
		}
		dW, db := s.funcs.Backprop(w, v, am[:len(am)-1], am[len(am)-1])
		return Answer{M: wire(dW), G: wire(db)}
	},
	// → F = the three hand-computed numbers.
	"tinyAnswers": func(s *Session, q Query) Answer {
		if s.funcs.TinyAnswers == nil {
			return missing
		}
		d1, d2, dw := s.funcs.TinyAnswers()
		return Answer{F: []float64{d1, d2, dw}}
	},
}

// NotImplemented is what the stubs of the student version panic with.
const NotImplemented = "not implemented"

// IsNotImplemented reports whether a panic message is the stub's.
func IsNotImplemented(msg string) bool { return strings.Contains(msg, NotImplemented) }
