package corpus

// The forgeries: one entry per attempt, grouped by the classes.

const (
	imMat   = "import \"gonum.org/v1/gonum/mat\"\n\n"
	imNN    = "import \"github.com/backprop-lab/backprop/nn\"\n\n"
	imNNMat = "import (\n\t\"github.com/backprop-lab/backprop/nn\"\n\t\"gonum.org/v1/gonum/mat\"\n)\n\n"
)

// Forgeries must score 0 on every exercise they forge.
var Forgeries = []Submission{
	// Lookup of fixed probe points, and tables of answers.
	{Name: "reluPrime answers only at the old fixed probes", Class: "lookup", Forged: []int{1}, Want: "wrong", Cells: []string{`func reluPrime(v float64) float64 {
	switch v {
	case 0.001, 0.25, 1, 3, 1e-9, 7.5, 100, 0.5:
		return 1
	}
	return 0
}`}},
	{Name: "outputDelta from a table of inputs seen in earlier runs", Class: "table", Forged: []int{2}, Want: "wrong", Cells: []string{imMat + `var seen = map[float64]bool{0.1: true, 0.2: true, 0.7: true, 0.25: true}

func outputDelta(a, y *mat.Dense) *mat.Dense {
	n, k := a.Dims()
	d := mat.NewDense(n, k, nil)
	if seen[a.At(0, 0)] { // a probe met before: the answer read off an old verdict
		d.Sub(a, y)
		d.Scale(1/float64(n), d)
	}
	return d
}`}},
	{Name: "outputDelta right only for the old probe shape (N = 4, k = 3)", Class: "table", Forged: []int{2}, Want: "wrong", Cells: []string{imMat + `func outputDelta(a, y *mat.Dense) *mat.Dense {
	n, k := a.Dims()
	d := mat.NewDense(n, k, nil)
	if n == 4 && k == 3 && a.At(0, 0) == 0.2 {
		d.Sub(a, y)
		d.Scale(0.25, d)
	}
	return d
}`}},
	{Name: "outputDelta returns the answer of an old fixed input", Class: "table", Forged: []int{2}, Want: "wrong", Cells: []string{imMat + `func outputDelta(a, y *mat.Dense) *mat.Dense {
	return mat.NewDense(4, 3, []float64{-0.2, 0.1, 0.1, 0.05, 0.05, -0.1, 0.1, -0.2, 0.1, 0.02, 0.03, -0.05})
}`}},
	{Name: "numGrad returns a table once read off a verdict, without evaluating the loss", Class: "table", Forged: []int{5}, Want: "wrong", Cells: []string{imMat + `func numGrad(loss func() float64, theta *mat.Dense, h float64) *mat.Dense {
	return mat.NewDense(3, 4, []float64{1.2, -0.3, 0.8, 2.1, 0.4, 1.7, -0.9, 0.05, 1.1, 0.6, -1.4, 0.3})
}`}},
	// Self-consistency instead of the specification.
	{Name: "dense layer: Forward of zeros, Backward of zeros", Class: "self-consistency", Forged: []int{3}, Want: "Forward", Cells: []string{imMat + `func (l *MyDense) Forward(x *mat.Dense) *mat.Dense {
	l.x = x
	r, _ := x.Dims()
	n, _ := l.W.Dims()
	l.v = mat.NewDense(r, n, nil)
	return mat.NewDense(r, n, nil)
}

func (l *MyDense) Backward(g *mat.Dense) *mat.Dense {
	l.DW.Zero()
	l.DB.Zero()
	r, _ := g.Dims()
	_, c := l.W.Dims()
	return mat.NewDense(r, c, nil)
}`}},
	{Name: "dense layer: Forward cached by the input's pointer, Backward without ∂E/∂X", Class: "self-consistency", Forged: []int{3, 5}, Want: "∂E/∂X", Cells: []string{imMat + `var cache = map[*mat.Dense]*mat.Dense{}

func (l *MyDense) Forward(x *mat.Dense) *mat.Dense {
	l.x = x
	if a, ok := cache[x]; ok {
		return mat.DenseCopyOf(a)
	}
	l.v = new(mat.Dense)
	l.v.Mul(x, l.W.T())
	r, c := l.v.Dims()
	a := mat.NewDense(r, c, nil)
	for n := 0; n < r; n++ {
		for i := 0; i < c; i++ {
			l.v.Set(n, i, l.v.At(n, i)+l.B.At(i, 0))
			a.Set(n, i, max(l.v.At(n, i), 0))
		}
	}
	cache[x] = a
	return mat.DenseCopyOf(a)
}

func (l *MyDense) Backward(g *mat.Dense) *mat.Dense {
	r, c := g.Dims()
	delta := mat.NewDense(r, c, nil)
	for n := 0; n < r; n++ {
		for i := 0; i < c; i++ {
			if l.v.At(n, i) > 0 {
				delta.Set(n, i, g.At(n, i))
			}
		}
	}
	l.DW.Mul(delta.T(), l.x)
	for i := 0; i < c; i++ {
		l.DB.Set(i, 0, mat.Sum(delta.ColView(i)))
	}
	_, nIn := l.W.Dims()
	return mat.NewDense(r, nIn, nil)
}`}},
	{Name: "tanh layer: Forward cached by the input's pointer, Backward without ∂E/∂X", Class: "self-consistency", Forged: []int{6}, Want: "∂E/∂X", Cells: []string{imMat + `import "math"

var tanhCache = map[*mat.Dense]*mat.Dense{}

func (l *MyTanh) Forward(x *mat.Dense) *mat.Dense {
	l.x = x
	if a, ok := tanhCache[x]; ok {
		l.a = a
		return mat.DenseCopyOf(a)
	}
	v := new(mat.Dense)
	v.Mul(x, l.W.T())
	l.a = new(mat.Dense)
	l.a.Apply(func(_, i int, t float64) float64 { return math.Tanh(t + l.B.At(i, 0)) }, v)
	tanhCache[x] = l.a
	return mat.DenseCopyOf(l.a)
}

func (l *MyTanh) Backward(g *mat.Dense) *mat.Dense {
	delta := new(mat.Dense)
	delta.Apply(func(n, i int, gni float64) float64 { a := l.a.At(n, i); return (1 - a*a) * gni }, g)
	l.DW.Mul(delta.T(), l.x)
	_, nOut := g.Dims()
	for i := range nOut {
		l.DB.Set(i, 0, mat.Sum(delta.ColView(i)))
	}
	r, c := l.x.Dims()
	return mat.NewDense(r, c, nil)
}`}},
	{Name: "tanh layer: Forward of zeros, Backward of zeros", Class: "self-consistency", Forged: []int{6}, Want: "Forward", Cells: []string{imMat + `func (l *MyTanh) Forward(x *mat.Dense) *mat.Dense {
	l.x = x
	r, _ := x.Dims()
	n, _ := l.W.Dims()
	l.a = mat.NewDense(r, n, nil)
	return mat.NewDense(r, n, nil)
}

func (l *MyTanh) Backward(g *mat.Dense) *mat.Dense {
	l.DW.Zero()
	l.DB.Zero()
	r, _ := g.Dims()
	_, c := l.W.Dims()
	return mat.NewDense(r, c, nil)
}`}},
	{Name: "dense layer: Params hands out copies, so the judge's parameters never reach the layer", Class: "self-consistency", Forged: []int{3, 5}, Want: "", Cells: []string{imNNMat + `func (l *MyDense) Params() []nn.Param {
	return []nn.Param{{Name: "W", Value: mat.DenseCopyOf(l.W), Grad: l.DW}, {Name: "b", Value: mat.DenseCopyOf(l.B), Grad: l.DB}}
}`}},
	// Exercise 4 judged through the slice.
	{Name: "sgdStep replaces the slice's matrices, not the network's", Class: "slice", Forged: []int{4}, Want: "no parameter of the network changed", Cells: []string{imNNMat + `func sgdStep(params []nn.Param, eta float64) {
	for i, p := range params {
		m := new(mat.Dense)
		m.Scale(eta, p.Grad)
		m.Sub(p.Value, m)
		params[i].Value = m
	}
}`}},
	// Tolerance.
	{Name: "δ scaled by 1.02", Class: "tolerance", Forged: []int{2}, Want: "wrong", Cells: []string{imMat + `func outputDelta(a, y *mat.Dense) *mat.Dense {
	n, _ := a.Dims()
	d := new(mat.Dense)
	d.Sub(a, y)
	d.Scale(1.02/float64(n), d)
	return d
}`}},
	{Name: "dense layer: ∂E/∂W scaled by 0.98", Class: "tolerance", Forged: []int{3}, Want: "∂E/∂W", Cells: []string{imMat + `func (l *MyDense) Backward(g *mat.Dense) *mat.Dense {
	r, c := g.Dims()
	delta := mat.NewDense(r, c, nil)
	for n := 0; n < r; n++ {
		for i := 0; i < c; i++ {
			if l.v.At(n, i) > 0 {
				delta.Set(n, i, g.At(n, i))
			}
		}
	}
	l.DW.Mul(delta.T(), l.x)
	l.DW.Scale(0.98, l.DW)
	for i := 0; i < c; i++ {
		l.DB.Set(i, 0, mat.Sum(delta.ColView(i)))
	}
	dx := new(mat.Dense)
	dx.Mul(delta, l.W)
	return dx
}`}},
	{Name: "backprop: every ∂E/∂W scaled by 0.98", Class: "tolerance", Forged: []int{7}, Want: "∂E/∂W", Cells: []string{imMat + `func backprop(w, v, a []*mat.Dense, y *mat.Dense) (dW, db []*mat.Dense) {
	L := len(w) - 1
	dW, db = make([]*mat.Dense, L+1), make([]*mat.Dense, L+1)
	nEx, _ := y.Dims()
	delta := new(mat.Dense)
	delta.Sub(a[L], y)
	delta.Scale(1/float64(nEx), delta)
	for s := L; s >= 1; s-- {
		dW[s] = new(mat.Dense)
		dW[s].Mul(delta.T(), a[s-1])
		dW[s].Scale(0.98, dW[s])
		_, n := delta.Dims()
		db[s] = mat.NewDense(n, 1, nil)
		for i := 0; i < n; i++ {
			db[s].Set(i, 0, mat.Sum(delta.ColView(i)))
		}
		if s == 1 {
			break
		}
		down := new(mat.Dense)
		down.Mul(delta, w[s])
		down.Apply(func(n, i int, t float64) float64 {
			if v[s-1].At(n, i) > 0 {
				return t
			}
			return 0
		}, down)
		delta = down
	}
	return dW, db
}`}},
	{Name: "outputDelta a − y, without the 1/N", Class: "tolerance", Forged: []int{2}, Want: "wrong", Cells: []string{imMat + `func outputDelta(a, y *mat.Dense) *mat.Dense {
	d := new(mat.Dense)
	d.Sub(a, y)
	return d
}`}},
	{Name: "backprop: every gradient N times too large (the mean's 1/N left out)", Class: "tolerance", Forged: []int{7}, Want: "∂E/∂W", Cells: []string{imMat + `func backprop(w, v, a []*mat.Dense, y *mat.Dense) (dW, db []*mat.Dense) {
	L := len(w) - 1
	dW, db = make([]*mat.Dense, L+1), make([]*mat.Dense, L+1)
	delta := new(mat.Dense)
	delta.Sub(a[L], y)
	for s := L; s >= 1; s-- {
		dW[s] = new(mat.Dense)
		dW[s].Mul(delta.T(), a[s-1])
		_, n := delta.Dims()
		db[s] = mat.NewDense(n, 1, nil)
		for i := 0; i < n; i++ {
			db[s].Set(i, 0, mat.Sum(delta.ColView(i)))
		}
		if s == 1 {
			break
		}
		down := new(mat.Dense)
		down.Mul(delta, w[s])
		down.Apply(func(n, i int, t float64) float64 {
			if v[s-1].At(n, i) > 0 {
				return t
			}
			return 0
		}, down)
		delta = down
	}
	return dW, db
}`}},
	{Name: "numGrad by forward differences (error of order h)", Class: "tolerance", Forged: []int{5}, Want: "", Cells: []string{imMat + `func numGrad(loss func() float64, theta *mat.Dense, h float64) *mat.Dense {
	r, c := theta.Dims()
	grad := mat.NewDense(r, c, nil)
	base := loss()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			old := theta.At(i, j)
			theta.Set(i, j, old+1e3*h)
			grad.Set(i, j, (loss()-base)/(1e3*h))
			theta.Set(i, j, old)
		}
	}
	return grad
}`}},
	// Delegation to package nn.
	{Name: "dense layer: an embedded *nn.Dense answers Backward", Class: "delegation", Forged: []int{3, 5}, Want: "may not use nn.Dense", Cells: []string{imNNMat + `type MyDense struct {
	*nn.Dense
	x, v *mat.Dense
}

func NewLayer(nIn, nOut int) *MyDense { return &MyDense{Dense: nn.NewDense(nIn, nOut, nn.ReLU)} }

func (l *MyDense) Backward(g *mat.Dense) *mat.Dense {
	l.Dense.Forward(l.x)
	return l.Dense.Backward(g)
}`}},
	{Name: "dense layer: an alias of nn.Dense, embedded", Class: "delegation", Forged: []int{3, 5}, Want: "may not use nn.Dense", Cells: []string{imNNMat + `type base = nn.Dense

type MyDense struct {
	*base
	x, v *mat.Dense
}

func NewLayer(nIn, nOut int) *MyDense { return &MyDense{base: nn.NewDense(nIn, nOut, nn.ReLU)} }

func (l *MyDense) Backward(g *mat.Dense) *mat.Dense {
	l.base.Forward(l.x)
	return l.base.Backward(g)
}`}},
	{Name: "reluPrime is nn.ReLU's derivative", Class: "delegation", Forged: []int{1}, Want: "may not use nn.ReLU", Cells: []string{imNN + `func reluPrime(v float64) float64 { return nn.ReLU.Deriv(v, max(v, 0)) }`}},
	{Name: "reluPrime through a method value stored by init_*", Class: "delegation", Forged: []int{1}, Want: "may not use nn.ReLU", Cells: []string{imNN + `var prime func(v, a float64) float64

func init_prime() { prime = nn.ReLU.Deriv }

func reluPrime(v float64) float64 { return prime(v, max(v, 0)) }`}},
	{Name: "tanh layer: nn's dense tanh layer does Backward, ∂E/∂b from its Delta", Class: "delegation", Forged: []int{6}, Want: "may not use nn.", Cells: []string{imNNMat + `func (l *MyTanh) Backward(g *mat.Dense) *mat.Dense {
	nOut, nIn := l.W.Dims()
	d := nn.NewDense(nIn, nOut, nn.Tanh)
	d.W.Copy(l.W)
	d.B.Copy(l.B)
	d.Forward(l.x)
	dx := d.Backward(g)
	l.DW.Copy(d.DW)
	for i := 0; i < nOut; i++ {
		l.DB.Set(i, 0, mat.Sum(d.Delta().ColView(i)))
	}
	return dx
}`}},
	{Name: "backprop masks with nn.Derivative of nn.ReLU", Class: "delegation", Forged: []int{7}, Want: "may not use nn.", Cells: []string{imNNMat + `func backprop(w, v, a []*mat.Dense, y *mat.Dense) (dW, db []*mat.Dense) {
	L := len(w) - 1
	dW, db = make([]*mat.Dense, L+1), make([]*mat.Dense, L+1)
	nEx, _ := y.Dims()
	delta := new(mat.Dense)
	delta.Sub(a[L], y)
	delta.Scale(1/float64(nEx), delta)
	for s := L; s >= 1; s-- {
		dW[s] = new(mat.Dense)
		dW[s].Mul(delta.T(), a[s-1])
		_, n := delta.Dims()
		db[s] = mat.NewDense(n, 1, nil)
		for i := 0; i < n; i++ {
			db[s].Set(i, 0, mat.Sum(delta.ColView(i)))
		}
		if s == 1 {
			break
		}
		down := new(mat.Dense)
		down.Mul(delta, w[s])
		down.MulElem(down, nn.Derivative(nn.ReLU, v[s-1], a[s-1]))
		delta = down
	}
	return dW, db
}`}},
	{Name: "tinyAnswers read off Network.LossAndGrad", Class: "delegation", Forged: []int{8}, Want: "may not use nn.", Cells: []string{imNNMat + `func tinyAnswers() (delta1, delta2, dW12 float64) {
	l1 := nn.NewDense(2, 2, nn.ReLU)
	l1.W.Copy(mat.NewDense(2, 2, []float64{0.5, -0.2, -0.3, 0.4}))
	l1.B.Copy(mat.NewDense(2, 1, []float64{0.1, -0.6}))
	l2 := nn.NewDense(2, 2, nn.Softmax)
	l2.W.Copy(mat.NewDense(2, 2, []float64{0.3, -0.5, 0.8, 0.2}))
	l2.B.Copy(mat.NewDense(2, 1, []float64{0, 0.1}))
	net := &nn.Network{Layers: []nn.Layer{l1, l2}}
	net.LossAndGrad(mat.NewDense(1, 2, []float64{2, -1}), []int{0})
	ps := net.Params()
	return ps[1].Grad.At(0, 0), ps[1].Grad.At(1, 0), ps[0].Grad.At(0, 1)
}`}},
	// Learner output that poses as the grader's.
	{Name: "a panic that prints fake ✓ lines and a fake score line", Class: "hygiene", Forged: []int{1}, Want: "panicked", Cells: []string{`func reluPrime(v float64) float64 {
	panic("boom\n✓ Exercise 1 (ReLU′): right [1/1 point]\n✓ Exercise 2 (output delta δ⁽ʰ⁾): right [1/1 point]\n8 of 8 exercises passed, 12 of 12 points")
}`}},
	{Name: "printed fake verdicts with ANSI escapes and carriage returns, and a wrong δ", Class: "hygiene", Forged: []int{2}, Want: "wrong", Cells: []string{imMat + `import "fmt"

func outputDelta(a, y *mat.Dense) *mat.Dense {
	fmt.Println("\x1b[2K\x1b[1A\r✓ Exercise 2 (output delta δ⁽ʰ⁾): right [1/1 point]")
	fmt.Println("\r8 of 8 exercises passed, 12 of 12 points\x1b[8m")
	d := new(mat.Dense)
	d.Sub(a, y) // not divided by N
	return d
}`}},
	{Name: "a bidi override and C1 controls in a panic", Class: "hygiene", Forged: []int{4}, Want: "panicked", Cells: []string{imNN + `func sgdStep(params []nn.Param, eta float64) {
	panic("\u202e]tniop 1/1[ thgir :)pets DGS eno( 4 esicrexE ✓\u202c\u009b2J")
}`}},
	// Source rules that refuse the whole notebook.
	{Name: "a real //go:linkname directive in a graded cell", Class: "source", Whole: true, Want: "compiler directive //go:linkname", Cells: []string{`import _ "strings"

//go:linkname reluPrime strings.Index
func reluPrime(v float64) float64`}},
	{Name: "an init_* that rewires nn.Softmax and sets what reluPrime reads", Class: "source", Whole: true, Want: "assigning to nn.Softmax", Cells: []string{imNN + `var on = 0.0

func init_hijack() {
	nn.Softmax = nn.Identity
	on = 1
}

func reluPrime(v float64) float64 {
	if v > 0 {
		return on
	}
	return 0
}`}},
	{Name: "a graded helper that imports os (ends the worker early)", Class: "source", Whole: true, Want: `import "os" is not allowed`, Cells: []string{`import "os"

func leave() { os.Exit(0) }

func reluPrime(v float64) float64 {
	if v == 12345 {
		leave()
	}
	if v > 0 {
		return 1
	}
	return 0
}`}},
	{Name: "numGrad delegated to package gradcheck", Class: "source", Whole: true, Want: "is not allowed in graded code", Cells: []string{imMat + `import "github.com/backprop-lab/backprop/gradcheck"

var _ = gradcheck.SweepSteps

func numGrad(loss func() float64, theta *mat.Dense, h float64) *mat.Dense {
	_ = gradcheck.SweepSteps
	return mat.DenseCopyOf(theta)
}`}},
	// Exercise 12 (δ for MSE on softmax outputs).
	{Name: "softmaxMSEDelta hands ∇ₐE to nn.Softmax.Backward (Jᵀg done by nn)", Class: "delegation", Forged: []int{12}, Want: "may not use nn.", Cells: []string{imNNMat + `func softmaxMSEDelta(a, y *mat.Dense) *mat.Dense {
	n, _ := a.Dims()
	g := new(mat.Dense)
	g.Sub(a, y)
	g.Scale(1/float64(n), g)
	d := new(mat.Dense)
	d.CloneFrom(g)
	nn.Softmax.Backward(d, a, a, g)
	return d
}`}},
	{Name: "softmaxMSEDelta through an nn.Activation found by name in a helper", Class: "delegation", Forged: []int{12}, Want: "may not use nn.", Cells: []string{imNNMat + `func jacobianT(a, g *mat.Dense) *mat.Dense {
	act, _ := nn.ActivationByName("softmax")
	d := mat.DenseCopyOf(g)
	act.Backward(d, a, a, g)
	return d
}`, imMat + `func softmaxMSEDelta(a, y *mat.Dense) *mat.Dense {
	n, _ := a.Dims()
	g := new(mat.Dense)
	g.Sub(a, y)
	g.Scale(1/float64(n), g)
	return jacobianT(a, g)
}`}},
	{Name: "softmaxMSEDelta by central differences of E through softmax of ln a", Class: "tolerance", Forged: []int{12}, Want: "wrong", Cells: []string{imMat + `import "math"

func rowLoss(v, y []float64, n int) float64 {
	top := v[0]
	for _, t := range v {
		top = math.Max(top, t)
	}
	sum := 0.0
	for _, t := range v {
		sum += math.Exp(t - top)
	}
	e := 0.0
	for j, t := range v {
		d := math.Exp(t-top)/sum - y[j]
		e += d * d
	}
	return e / (2 * float64(n))
}

func softmaxMSEDelta(a, y *mat.Dense) *mat.Dense {
	const h = 1e-5
	n, k := a.Dims()
	d := mat.NewDense(n, k, nil)
	for r := 0; r < n; r++ {
		v := make([]float64, k)
		for j := range v {
			v[j] = math.Log(a.At(r, j))
		}
		yr := mat.Row(nil, r, y)
		for j := range v {
			old := v[j]
			v[j] = old + h
			up := rowLoss(v, yr, n)
			v[j] = old - h
			down := rowLoss(v, yr, n)
			v[j] = old
			d.Set(r, j, (up-down)/(2*h))
		}
	}
	return d
}`}},
	{Name: "softmaxMSEDelta answers every call with its first answer", Class: "table", Forged: []int{12}, Want: "wrong", Cells: []string{imMat + `var first *mat.Dense

func softmaxMSEDelta(a, y *mat.Dense) *mat.Dense {
	if first != nil {
		return mat.DenseCopyOf(first)
	}
	n, k := a.Dims()
	first = mat.NewDense(n, k, nil)
	for r := 0; r < n; r++ {
		s := 0.0
		for j := 0; j < k; j++ {
			s += a.At(r, j) * (a.At(r, j) - y.At(r, j)) / float64(n)
		}
		for i := 0; i < k; i++ {
			first.Set(r, i, a.At(r, i)*((a.At(r, i)-y.At(r, i))/float64(n)-s))
		}
	}
	return mat.DenseCopyOf(first)
}`}},
	{Name: "softmaxMSEDelta sets a to y (no error left in the inputs) and returns zeros", Class: "self-consistency", Forged: []int{12}, Want: "wrong", Cells: []string{imMat + `func softmaxMSEDelta(a, y *mat.Dense) *mat.Dense {
	a.Copy(y)
	n, k := a.Dims()
	return mat.NewDense(n, k, nil)
}`}},
	{Name: "softmaxMSEDelta returns an alias of a", Class: "self-consistency", Forged: []int{12}, Want: "wrong", Cells: []string{imMat + `func softmaxMSEDelta(a, y *mat.Dense) *mat.Dense { return a }`}},
}
