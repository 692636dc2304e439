package corpus

// Correct-but-unusual notebooks: each must score full marks.

// Correct are right answers written in unusual ways, with scratch cells a
// learner leaves behind.
var Correct = []Submission{
	{Name: "init_* sets a threshold reluPrime reads", Cells: []string{`var threshold = 99.0

func init_threshold() { threshold = 0 }

func reluPrime(v float64) float64 {
	if v > threshold {
		return 1
	}
	return 0
}`}},
	{Name: "two init_* functions run in GoNB's (name) order", Cells: []string{`var one = 5.0

func init_b() { one = 1 }

func init_a() { one = 2 }

func reluPrime(v float64) float64 {
	if v > 0 {
		return one
	}
	return 0
}`}},
	{Name: "a scratch cell importing time and os", Cells: []string{`import ("fmt"; "os"; "time")

var started = time.Now()

func elapsed() { fmt.Fprintln(os.Stderr, time.Since(started)) }`}},
	{Name: "a scratch cell with a main part (%%) that prints", Cells: []string{"import \"fmt\"\n\n%%\nfmt.Println(reluPrime(1), reluPrime(-1))"}},
	{Name: "a scratch cell that does not compile", Cells: []string{`func scratch() int { return notDefinedAnywhere + 1 }`}},
	{Name: "a local variable named like a scratch function that imports time", Cells: []string{`import "time"

func timing() time.Duration { return time.Second }`, `func reluPrime(v float64) float64 {
	timing := 0.0
	if v > timing {
		return 1
	}
	return timing
}`}},
	{Name: "a comment in a graded cell mentions //go:linkname", Cells: []string{`// reluPrime is written in Go: no //go:linkname, no assembly.
func reluPrime(v float64) float64 {
	switch {
	case v > 0:
		return 1
	default:
		return 0
	}
}`}},
	{Name: "outputDelta with explicit loops", Cells: []string{imMat + `func outputDelta(a, y *mat.Dense) *mat.Dense {
	n, k := a.Dims()
	d := mat.NewDense(n, k, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < k; j++ {
			d.Set(i, j, (a.At(i, j)-y.At(i, j))/float64(n))
		}
	}
	return d
}`}},
	{Name: "outputDelta with a float32 intermediate (exact: the batch size)", Cells: []string{imMat + `func outputDelta(a, y *mat.Dense) *mat.Dense {
	n, _ := a.Dims()
	size := float32(n) // small integers are exact in float32
	d := new(mat.Dense)
	d.Sub(a, y)
	d.Scale(1/float64(size), d)
	return d
}`}},
	{Name: "outputDelta through Apply and a generic helper in another cell", Cells: []string{`func divide[F ~float64](x F, n int) F { return x / F(n) }`, imMat + `func outputDelta(a, y *mat.Dense) *mat.Dense {
	n, _ := a.Dims()
	d := new(mat.Dense)
	d.Apply(func(i, j int, ai float64) float64 { return divide(ai-y.At(i, j), n) }, a)
	return d
}`}},
	{Name: "dense Backward: ∂E/∂X before ∂E/∂W, the mask in a helper cell", Cells: []string{imMat + `// reluMask returns ReLU′(V) ⊙ G.
func reluMask(v, g *mat.Dense) *mat.Dense {
	d := new(mat.Dense)
	d.Apply(func(n, i int, t float64) float64 {
		if v.At(n, i) > 0 {
			return t
		}
		return 0
	}, g)
	return d
}`, imMat + `func (l *MyDense) Backward(g *mat.Dense) *mat.Dense {
	delta := reluMask(l.v, g)
	dx := new(mat.Dense)
	dx.Mul(delta, l.W)
	_, nOut := delta.Dims()
	for i := nOut - 1; i >= 0; i-- {
		l.DB.Set(i, 0, mat.Sum(delta.ColView(i)))
	}
	l.DW.Mul(delta.T(), l.x)
	return dx
}`}},
	{Name: "dense layer with value receivers and a cache pointer", Cells: []string{imNNMat + `type cache struct{ x, v *mat.Dense }

type MyDense struct {
	W, B, DW, DB *mat.Dense
	c            *cache
}

func NewLayer(nIn, nOut int) *MyDense {
	return &MyDense{W: mat.NewDense(nOut, nIn, nil), B: mat.NewDense(nOut, 1, nil),
		DW: mat.NewDense(nOut, nIn, nil), DB: mat.NewDense(nOut, 1, nil), c: &cache{}}
}

func (l MyDense) Forward(x *mat.Dense) *mat.Dense {
	l.c.x = x
	l.c.v = new(mat.Dense)
	l.c.v.Mul(x, l.W.T())
	l.c.v.Apply(func(_, i int, t float64) float64 { return t + l.B.At(i, 0) }, l.c.v)
	a := new(mat.Dense)
	a.Apply(func(_, _ int, t float64) float64 { return max(t, 0) }, l.c.v)
	return a
}

func (l MyDense) Params() []nn.Param {
	return []nn.Param{{Name: "W", Value: l.W, Grad: l.DW}, {Name: "b", Value: l.B, Grad: l.DB}}
}

func (l MyDense) Backward(g *mat.Dense) *mat.Dense {
	delta := new(mat.Dense)
	delta.Apply(func(n, i int, t float64) float64 {
		if l.c.v.At(n, i) > 0 {
			return t
		}
		return 0
	}, g)
	l.DW.Mul(delta.T(), l.c.x)
	_, nOut := delta.Dims()
	for i := 0; i < nOut; i++ {
		l.DB.Set(i, 0, mat.Sum(delta.ColView(i)))
	}
	dx := new(mat.Dense)
	dx.Mul(delta, l.W)
	return dx
}`}},
	{Name: "sgdStep in place with Apply", Cells: []string{imNNMat + `func sgdStep(params []nn.Param, eta float64) {
	for _, p := range params {
		g := p.Grad
		p.Value.Apply(func(i, j int, t float64) float64 { return t - eta*g.At(i, j) }, p.Value)
	}
}`}},
	{Name: "sgdStep element by element, by index into the slice", Cells: []string{imNN + `func sgdStep(params []nn.Param, eta float64) {
	for k := range params {
		r, c := params[k].Value.Dims()
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				params[k].Value.Set(i, j, params[k].Value.At(i, j)-eta*params[k].Grad.At(i, j))
			}
		}
	}
}`}},
	{Name: "numGrad column by column, down before up", Cells: []string{imMat + `func numGrad(loss func() float64, theta *mat.Dense, h float64) *mat.Dense {
	r, c := theta.Dims()
	grad := mat.NewDense(r, c, nil)
	for j := 0; j < c; j++ {
		for i := 0; i < r; i++ {
			old := theta.At(i, j)
			theta.Set(i, j, old-h)
			down := loss()
			theta.Set(i, j, old+h)
			up := loss()
			theta.Set(i, j, old)
			grad.Set(i, j, (up-down)/(2*h))
		}
	}
	return grad
}`}},
	{Name: "tanh Backward from V (1 − tanh²(v)), not from A", Cells: []string{imMat + `import "math"

type MyTanh struct {
	W, B, DW, DB *mat.Dense
	x, a, v      *mat.Dense
}

func (l *MyTanh) Forward(x *mat.Dense) *mat.Dense {
	l.x = x
	l.v = new(mat.Dense)
	l.v.Mul(x, l.W.T())
	l.v.Apply(func(_, i int, t float64) float64 { return t + l.B.At(i, 0) }, l.v)
	l.a = new(mat.Dense)
	l.a.Apply(func(_, _ int, t float64) float64 { return math.Tanh(t) }, l.v)
	return mat.DenseCopyOf(l.a)
}

func (l *MyTanh) Backward(g *mat.Dense) *mat.Dense {
	delta := new(mat.Dense)
	delta.Apply(func(n, i int, t float64) float64 { th := math.Tanh(l.v.At(n, i)); return (1 - th*th) * t }, g)
	l.DW.Mul(delta.T(), l.x)
	_, nOut := g.Dims()
	for i := 0; i < nOut; i++ {
		l.DB.Set(i, 0, mat.Sum(delta.ColView(i)))
	}
	dx := new(mat.Dense)
	dx.Mul(delta, l.W)
	return dx
}`}},
	{Name: "backprop by recursion from the output layer", Cells: []string{imMat + `func backprop(w, v, a []*mat.Dense, y *mat.Dense) (dW, db []*mat.Dense) {
	L := len(w) - 1
	dW, db = make([]*mat.Dense, L+1), make([]*mat.Dense, L+1)
	nEx, _ := y.Dims()
	delta := new(mat.Dense)
	delta.Sub(a[L], y)
	delta.Scale(1/float64(nEx), delta)
	var step func(s int, delta *mat.Dense)
	step = func(s int, delta *mat.Dense) {
		dW[s] = new(mat.Dense)
		dW[s].Mul(delta.T(), a[s-1])
		_, n := delta.Dims()
		db[s] = mat.NewDense(n, 1, nil)
		for i := 0; i < n; i++ {
			db[s].Set(i, 0, mat.Sum(delta.ColView(i)))
		}
		if s == 1 {
			return
		}
		down := new(mat.Dense)
		down.Mul(delta, w[s])
		down.Apply(func(n, i int, t float64) float64 {
			if v[s-1].At(n, i) > 0 {
				return t
			}
			return 0
		}, down)
		step(s-1, down)
	}
	step(L, delta)
	return dW, db
}`}},
	{Name: "tinyAnswers as expressions worked out by hand", Cells: []string{`func tinyAnswers() (delta1, delta2, dW12 float64) {
	d2 := 0.6791787           // a⁽²⁾₂ − y₂ = −(a⁽²⁾₁ − y₁)
	back := (0.8 - 0.3) * d2  // (W⁽²⁾ᵀδ⁽²⁾)₁
	return back, 0 * d2, -back // unit 2 is off; x₂ = −1
}`}},
	{Name: "a cell run twice: a wrong reluPrime replaced by a right one", Cells: []string{`func reluPrime(v float64) float64 { return 1 }`, `func reluPrime(v float64) float64 {
	if v <= 0 {
		return 0
	}
	return 1
}`}},
	{Name: "numGradW with its loss in a named helper", Cells: []string{imMat + `func weighted(l *MyDense, x, g *mat.Dense) func() float64 {
	return func() float64 {
		a := l.Forward(x)
		a.MulElem(a, g)
		return mat.Sum(a)
	}
}`, imMat + `func numGradW(l *MyDense, x, g *mat.Dense) *mat.Dense { return numGrad(weighted(l, x, g), l.W, 1e-5) }`}},
	{Name: "a scratch init_* that rewires nn.Softmax but touches nothing graded (not built, so it never runs)", Cells: []string{imNN + `func init_experiment() { nn.Softmax = nn.Identity }`}},
	{Name: "a scratch init_* that prints with fmt and touches nothing graded", Cells: []string{`import "fmt"

func init_banner() { fmt.Println("✓ Exercise 1: a scratch banner the grader never builds") }`}},
	{Name: "softmaxMSEDelta in matrix form with gonum: A ⊙ (G − (A ⊙ G)·1·1ᵀ)", Cells: []string{imMat + `func softmaxMSEDelta(a, y *mat.Dense) *mat.Dense {
	n, k := a.Dims()
	g := new(mat.Dense)
	g.Sub(a, y)
	g.Scale(1/float64(n), g)
	ag := new(mat.Dense)
	ag.MulElem(a, g)
	ones := mat.NewDense(k, k, nil)
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			ones.Set(i, j, 1)
		}
	}
	s := new(mat.Dense)
	s.Mul(ag, ones) // every column holds Σ_k a_k g_k of its row
	d := new(mat.Dense)
	d.Sub(g, s)
	d.MulElem(a, d)
	return d
}`}},
	{Name: "softmaxMSEDelta with each row's explicit Jacobian J = diag(a) − a aᵀ and Jᵀg", Cells: []string{imMat + `func softmaxMSEDelta(a, y *mat.Dense) *mat.Dense {
	n, k := a.Dims()
	d := mat.NewDense(n, k, nil)
	for r := 0; r < n; r++ {
		ar := mat.NewVecDense(k, mat.Row(nil, r, a))
		g := mat.NewVecDense(k, mat.Row(nil, r, y))
		g.SubVec(ar, g)
		g.ScaleVec(1/float64(n), g)
		j := mat.NewDense(k, k, nil)
		j.Outer(-1, ar, ar)
		for i := 0; i < k; i++ {
			j.Set(i, i, j.At(i, i)+ar.AtVec(i))
		}
		row := mat.NewVecDense(k, nil)
		row.MulVec(j.T(), g)
		d.SetRow(r, row.RawVector().Data)
	}
	return d
}`}},
	{Name: "softmaxMSEDelta as Σ_j g_j ∂a_j/∂v_i by cases, with the Jacobian in a helper cell", Cells: []string{`// dSoftmax is ∂a_j/∂v_i for one row a.
func dSoftmax(a []float64, j, i int) float64 {
	if i == j {
		return a[i] * (1 - a[i])
	}
	return -a[j] * a[i]
}`, imMat + `func softmaxMSEDelta(a, y *mat.Dense) *mat.Dense {
	n, k := a.Dims()
	d := mat.NewDense(n, k, nil)
	for r := 0; r < n; r++ {
		row := mat.Row(nil, r, a)
		for i := 0; i < k; i++ {
			sum := 0.0
			for j := 0; j < k; j++ {
				sum += (row[j] - y.At(r, j)) / float64(n) * dSoftmax(row, j, i)
			}
			d.Set(r, i, sum)
		}
	}
	return d
}`}},
}
