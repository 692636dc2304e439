package lesson

import (
	"math"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// nb123Traces are the traces the checks of notebooks 1–3 must pass on: the
// tiny example, the tiny batch, and a deeper net with each hidden activation.
func nb123Traces() map[string]*Trace {
	x, labels := TinyExample()
	xb, lb := TinyBatch()
	net, xd, ld := deepNet()
	traces := map[string]*Trace{
		"tiny":       NewTrace(TinyNet(), x, labels),
		"tiny batch": NewTrace(TinyNet(), xb, lb),
		"deep relu":  NewTrace(net, xd, ld),
	}
	for _, act := range []nn.Elementwise{nn.Sigmoid, nn.Tanh} {
		n := nn.MustNew(nn.Config{Sizes: []int{6, 5, 4, 3}, Hidden: act, Init: nn.He, Seed: 9})
		xr, lr := randomBatch(2, 5, 6, 3)
		traces["deep "+act.Name()] = NewTrace(n, xr, lr)
	}
	return traces
}

// TestTinyBatch checks the ReLU patterns TinyBatch documents.
func TestTinyBatch(t *testing.T) {
	x, labels := TinyBatch()
	tx, tl := TinyExample()
	if !mat.Equal(x.Slice(0, 1, 0, 2), tx) || labels[0] != tl[0] {
		t.Errorf("first row %v (label %d), want TinyExample's %v (label %d)", x.RawRowView(0), labels[0], tx.RawRowView(0), tl[0])
	}
	tr := NewTrace(TinyNet(), x, labels)
	wantV := [][]float64{{0.2, -0.1}, {-0.6, 0.1}, {0.3, 0.4}, {-0.5, -0.1}}
	wantPhi := [][]float64{{1, 0}, {0, 1}, {1, 1}, {0, 0}}
	for n := range wantV {
		for j := range 2 {
			// One-decimal weights and inputs: v is within rounding of the table.
			if v := tr.Layer(1).V.At(n, j); math.Abs(v-wantV[n][j]) > 1e-15 {
				t.Errorf("v⁽¹⁾[%d][%d] = %v, want %v", n, j, v, wantV[n][j])
			}
			if p := tr.Layer(1).DPhi.At(n, j); p != wantPhi[n][j] {
				t.Errorf("φ′(v⁽¹⁾)[%d][%d] = %v, want %v", n, j, p, wantPhi[n][j])
			}
		}
	}
}

// TestWalkthroughStep checks that every step the notebooks show is found,
// in the right layer and pass, with its equation number.
func TestWalkthroughStep(t *testing.T) {
	x, labels := TinyExample()
	tr := NewTrace(TinyNet(), x, labels)
	for _, tc := range []struct {
		key   string
		s     int
		lines int
		want  string // a substring of the rendering
	}{
		{"linear", 1, 1, `u^{(1)} = W^{(1)} a^{(0)}`},
		{"linear", 2, 1, `u^{(2)} = W^{(2)} a^{(1)}`},
		{"bias", 1, 1, `v^{(1)} = u^{(1)} + b^{(1)}`},
		{"activation", 1, 1, `\max(0, -0.1)`},
		{"softmax", 2, 1, `e^{v^{(2)} - m}`},
		{"cross-entropy", 2, 1, `= 0.7981`},
		{"output-delta", 2, 1, `\delta^{(2)} = a^{(2)} - y`},
		{"hidden-delta", 1, 2, `\delta^{(1)} = \varphi'`},
		{"relu", 1, 1, `\mathbf{1}[-0.1 > 0]`},
		{"weight-grad", 1, 1, `\begin{pmatrix} 0.2749 & 0.5498 \\ 0 & 0 \end{pmatrix}`},
		{"bias-grad", 2, 1, `\frac{\partial E}{\partial b^{(2)}}`},
		{"bias-trick", 1, 1, `0.5 & -0.2 & 0.1 \\ -0.3 & 0.4 & -0.6`},
	} {
		got := tr.WalkthroughStep(tc.key, tc.s)
		if n := strings.Count(got, "$$") / 2; n != tc.lines {
			t.Errorf("%s, layer %d: %d lines, want %d:\n%s", tc.key, tc.s, n, tc.lines, got)
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s, layer %d: no %q in\n%s", tc.key, tc.s, tc.want, got)
		}
		if strings.Count(got, `\qquad `+Ref(tc.key)+"$$") != tc.lines {
			t.Errorf("%s, layer %d: every line should end with %s:\n%s", tc.key, tc.s, Ref(tc.key), got)
		}
	}
	for _, tc := range []struct {
		key string
		s   int
	}{{"softmax", 1}, {"output-delta", 1}, {"hidden-delta", 2}, {"linear", 3}, {"no-such-step", 1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("WalkthroughStep(%q, %d) did not panic", tc.key, tc.s)
				}
			}()
			tr.WalkthroughStep(tc.key, tc.s)
		}()
	}
}

// TestNB123ChecksPass: on correct traces every check of notebooks 1–3 passes.
func TestNB123ChecksPass(t *testing.T) {
	for name, tr := range nb123Traces() {
		checks := []Check{CheckBatchRows(tr)}
		for s := 1; s <= tr.H(); s++ {
			checks = append(checks, CheckLinear(tr, s), CheckBias(tr, s), CheckActivation(tr, s),
				CheckDelta(tr, s), CheckBatchMean(tr, s))
		}
		if tr.N() == 1 {
			checks = append(checks, CheckLikelihood(tr))
		}
		for _, c := range checks {
			if !c.OK {
				t.Errorf("%s: %v", name, c)
			}
		}
	}
}

// TestNB123ChecksFail: each check fails when the value it verifies is
// wrong by a small amount, so a ✓ means something.
func TestNB123ChecksFail(t *testing.T) {
	const bump = 1e-4 // far above the tolerances (≤ 1e-7), below the values' size
	for _, tc := range []struct {
		name   string
		tamper func(l *LayerTrace) *mat.Dense
		check  func(*Trace, int) Check
	}{
		{"linear", func(l *LayerTrace) *mat.Dense { return l.U }, CheckLinear},
		{"bias", func(l *LayerTrace) *mat.Dense { return l.V }, CheckBias},
		{"activation", func(l *LayerTrace) *mat.Dense { return l.A }, CheckActivation},
		{"delta", func(l *LayerTrace) *mat.Dense { return l.Delta }, CheckDelta},
		{"batch mean", func(l *LayerTrace) *mat.Dense { return l.DW }, CheckBatchMean},
	} {
		for name, tr := range nb123Traces() {
			for s := 1; s <= tr.H(); s++ {
				m := tc.tamper(tr.Layer(s))
				old := m.At(0, 0)
				m.Set(0, 0, old+bump)
				if c := tc.check(tr, s); c.OK {
					t.Errorf("%s, %s, layer %d: passed with a wrong value: %v", tc.name, name, s, c)
				}
				m.Set(0, 0, old)
			}
		}
	}
	x, labels := TinyBatch()
	tr := NewTrace(TinyNet(), x, labels)
	tr.Layer(2).V.Set(3, 1, tr.Layer(2).V.At(3, 1)+bump)
	if c := CheckBatchRows(tr); c.OK {
		t.Errorf("CheckBatchRows passed with a wrong v: %v", c)
	}
}

// wrongDeriv is an activation whose derivative is off by 1%.
type wrongDeriv struct{ nn.Elementwise }

func (w wrongDeriv) Deriv(v, a float64) float64 { return 1.01 * w.Elementwise.Deriv(v, a) }

func TestCheckDerivative(t *testing.T) {
	for _, act := range []nn.Elementwise{nn.ReLU, nn.Sigmoid, nn.Tanh, nn.Identity} {
		if c := CheckDerivative(act); !c.OK || !strings.Contains(c.Name, "′(v) = ") {
			t.Errorf("%s: %v", act.Name(), c)
		}
		if c := CheckDerivative(wrongDeriv{act}); c.OK {
			t.Errorf("%s with a 1%% wrong derivative passed: %v", act.Name(), c)
		}
	}
}

// TestUnmaskedWeightGrad: forgetting φ′ changes exactly the rows of units
// that are inactive for some example.
func TestUnmaskedWeightGrad(t *testing.T) {
	x, labels := TinyExample()
	tr := NewTrace(TinyNet(), x, labels)
	got := UnmaskedWeightGrad(tr, 1)
	true1 := tr.Layer(1).DW
	for j := range 2 {
		if got.At(0, j) != true1.At(0, j) {
			t.Errorf("active unit 1: row differs: %v vs %v", got.RawRowView(0), true1.RawRowView(0))
		}
	}
	// Unit 2 is inactive: its true gradient is 0, the unmasked one is
	// (W⁽²⁾ᵀδ⁽²⁾)₂ · x = 0.3849 · (1, 2).
	if true1.At(1, 0) != 0 || math.Abs(got.At(1, 1)-2*got.At(1, 0)) > 1e-15 || got.At(1, 0) < 0.38 {
		t.Errorf("inactive unit 2: true %v, unmasked %v", true1.RawRowView(1), got.RawRowView(1))
	}
	if c := CheckGrad("unmasked", tr, 1, got); c.OK {
		t.Errorf("the unmasked gradient passed: %v", c)
	}
	defer func() {
		if recover() == nil {
			t.Error("UnmaskedWeightGrad of the output layer did not panic")
		}
	}()
	UnmaskedWeightGrad(tr, 2)
}

func TestSoftmaxForms(t *testing.T) {
	for _, v := range [][]float64{{0.06, 0.26}, {-3, 0, 3, 7}, {700, 699}} {
		if c := CheckSoftmaxForms(v); !c.OK {
			t.Errorf("%v", c)
		}
	}
	for _, v := range [][]float64{{1000, 999, 998}, {-1000, -1001}} {
		if c := CheckSoftmaxForms(v); c.OK {
			t.Errorf("naive softmax should fail at %v: %v", v, c)
		}
		a := StableSoftmax(v)
		var sum float64
		for _, p := range a {
			sum += p
		}
		if math.Abs(sum-1) > 1e-15 || math.IsNaN(sum) {
			t.Errorf("StableSoftmax(%v) = %v, sum %v", v, a, sum)
		}
	}
}

func TestSoftmaxJacobian(t *testing.T) {
	for _, v := range [][]float64{{0.06, 0.26}, {-1, 0.5, 2}, {3, -2, 0, 1, 0.25}} {
		if c := CheckSoftmaxJacobian(v); !c.OK {
			t.Errorf("%v", c)
		}
		j := SoftmaxJacobian(v)
		k := len(v)
		for c := range k {
			var col float64
			for i := range k {
				col += j.At(i, c)
				if j.At(i, c) != j.At(c, i) {
					t.Errorf("v = %v: Jacobian not symmetric at (%d, %d)", v, i, c)
				}
			}
			// Σᵢ aᵢ = 1 for every v, so Σᵢ ∂aᵢ/∂vₖ = 0.
			if math.Abs(col) > 1e-15 {
				t.Errorf("v = %v: column %d sums to %v, want 0", v, c, col)
			}
		}
	}
}

func TestNoLnDelta(t *testing.T) {
	for _, tc := range []struct {
		v     []float64
		label int
	}{{[]float64{-3, 3}, 0}, {[]float64{0.06, 0.26}, 0}, {[]float64{1, 2, -1}, 2}} {
		if c := CheckNoLnDelta(tc.v, tc.label); !c.OK {
			t.Errorf("%v", c)
		}
	}
}

// TestLikelihoodUnderflow: the product form of the likelihood underflows on
// a large batch, where the sum of logs does not.
func TestLikelihoodUnderflow(t *testing.T) {
	x, labels := TinyBatch()
	tr := NewTrace(TinyNet(), x, labels)
	if c := CheckLikelihood(tr); !c.OK {
		t.Errorf("small batch: %v", c)
	}
	// 1200 examples of probability ≈ 0.5: the product ≈ 1e-360 < 5e-324.
	big := mat.NewDense(1200, 2, nil)
	var bl []int
	for n := range 1200 {
		big.SetRow(n, x.RawRowView(n%4))
		bl = append(bl, labels[n%4])
	}
	trb := NewTrace(TinyNet(), big, bl)
	if c := CheckLikelihood(trb); c.OK || !math.IsInf(c.MaxErr, 1) {
		t.Errorf("large batch: want a failure with an infinite error, got %v", c)
	}
	text := LikelihoodText(trb)
	for _, want := range []string{"L = Πₙ p = 0   (underflow", "(ln of the product: -Inf)", "… 1192 more examples", "N = 1200"} {
		if !strings.Contains(text, want) {
			t.Errorf("LikelihoodText: no %q in\n%s", want, text)
		}
	}
	if math.Abs(trb.Loss-tr.Loss) > 1e-12 {
		t.Errorf("E of the repeated batch = %v, want the small batch's %v", trb.Loss, tr.Loss)
	}
}

func TestMNISTExamples(t *testing.T) {
	train, _ := mnist.Embedded()
	x, labels := MNISTExamples(train, 3)
	if r, c := x.Dims(); r != 3 || c != 784 {
		t.Fatalf("x is %d×%d, want 3×784", r, c)
	}
	for n := range 3 {
		if labels[n] != train.Label(n) {
			t.Errorf("label %d = %d, want %d", n, labels[n], train.Label(n))
		}
		for j, p := range train.Image(n) {
			if x.At(n, j) != float64(p)/255 {
				t.Fatalf("pixel (%d, %d) = %v, want %v/255", n, j, x.At(n, j), p)
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("MNISTExamples with too many examples did not panic")
		}
	}()
	MNISTExamples(train, train.Len()+1)
}
