package gradcheck

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

// TestNoiseFloorHolds measures the rounding error of central differences of
// correct gradients, in units of ε·F/h, on smooth random networks and
// layers: noiseFactor must leave a margin of at least 4 over it.
func TestNoiseFloorHolds(t *testing.T) {
	h := DefaultOptions().Step
	var worst float64
	for seed := uint64(1); seed <= 6; seed++ {
		for _, act := range []nn.Elementwise{nn.Sigmoid, nn.Tanh, nn.Identity} {
			net := randomNet(seed, act, 8, 7, 6, 5)
			x, labels := randData(seed+100, 9, 8, 5)
			worst = max(worst, normalisedNoise(NetworkFunc(net, x, labels), h))
			l := nn.NewDense(6, 5, act)
			l.W.Copy(net.Dense(2).W.Slice(0, 5, 0, 6))
			worst = max(worst, normalisedNoise(LayerFunc(l, mat.DenseCopyOf(x.Slice(0, 9, 0, 6)), seed), h))
		}
	}
	t.Logf("largest rounding error of a correct gradient: %.3g·ε·F/h (noise floor %d·ε·F/h)", worst, noiseFactor)
	if worst > noiseFactor/4 {
		t.Errorf("rounding error %.3g·ε·F/h leaves less than a factor 4 below the noise floor %d", worst, noiseFactor)
	}
}

// normalisedNoise returns max |a − n| / (ε·F/h) over every element of f.
func normalisedNoise(f Func, h float64) float64 {
	var worst float64
	scale := func() float64 {
		l := f.Loss()
		if f.Scale != nil {
			return f.Scale()
		}
		return math.Abs(l)
	}
	for _, p := range f.Params {
		raw := p.Value.RawMatrix().Data
		for k := range raw {
			orig := raw[k]
			var F float64
			num := fd.Derivative(func(t float64) float64 {
				raw[k] = t
				defer func() { raw[k] = orig }()
				F = max(F, scale())
				return f.Loss()
			}, orig, &fd.Settings{Formula: fd.Central, Step: h})
			worst = max(worst, math.Abs(p.Grad.RawMatrix().Data[k]-num)/(eps*F/h))
		}
	}
	return worst
}

// TestNetworkPathsAgree compares the network worker's fast column update
// with its plain layer-by-layer evaluation and with net.Loss itself, at
// random perturbations of every tensor.
func TestNetworkPathsAgree(t *testing.T) {
	for _, act := range []nn.Elementwise{nn.ReLU, nn.Sigmoid} {
		net := randomNet(31, act, 7, 6, 5, 4)
		x, labels := randData(32, 5, 7, 4)
		fast := newNetWorker(net.Clone(), x, labels, true)
		slow := newNetWorker(net.Clone(), x, labels, false)
		plain := net.Clone()
		rng := rand.New(rand.NewPCG(1, 2))
		for p := range fast.ps {
			for range 20 {
				k := rng.IntN(len(fast.ps[p].Value.RawMatrix().Data))
				delta := (rng.Float64() - 0.5) * 1e-3
				var got [3]evaluation
				for i, w := range []*netWorker{fast, slow} {
					raw := w.ps[p].Value.RawMatrix().Data
					orig := raw[k]
					raw[k] = orig + delta
					got[i] = w.eval(p, k, raw[k]-orig)
					raw[k] = orig
				}
				raw := plain.Params()[p].Value.RawMatrix().Data
				orig := raw[k]
				raw[k] = orig + delta
				got[2].loss = plain.Loss(x, labels)
				raw[k] = orig
				// Same function, rounded differently: a few ε of the loss.
				for i := 1; i < 3; i++ {
					if d := math.Abs(got[0].loss - got[i].loss); d > 8*eps*math.Abs(got[2].loss) {
						t.Fatalf("%s %s[%d]: fast %.17g, other path %d %.17g", act.Name(), fast.ps[p].Name, k, got[0].loss, i, got[i].loss)
					}
				}
			}
		}
	}
}

// TestReportsAgreeAcrossPaths checks the same network by the concurrent
// fast path, the plain network path and the generic Func path, in full:
// the verdicts must be the same.
func TestReportsAgreeAcrossPaths(t *testing.T) {
	net := randomNet(33, nn.ReLU, 9, 8, 6, 4)
	x, labels := randData(34, 6, 9, 4)
	o := &Options{Mode: Full, Workers: 2}
	reports := []*Report{
		CheckNetwork(net, x, labels, o),
		checkNetwork(net, x, labels, o, false),
		Check(NetworkFunc(net, x, labels), o),
	}
	for _, r := range reports[1:] {
		for i, tr := range r.Tensors {
			want := reports[0].Tensors[i]
			if tr.Checked != want.Checked || tr.Failed != want.Failed || tr.KinkSkipped != want.KinkSkipped || tr.Status != want.Status {
				t.Errorf("%s: %s %+v, fast path %+v", r.Name, tr.Name, tr, want)
			}
			if d := math.Abs(tr.Worst.Numeric - want.Worst.Numeric); d > 1e-8*math.Abs(want.Worst.Numeric)+1e-12 {
				t.Errorf("%s: %s worst numeric %.12g, fast path %.12g", r.Name, tr.Name, tr.Worst.Numeric, want.Worst.Numeric)
			}
		}
	}
}

func TestParametersRestoredBitForBit(t *testing.T) {
	net := randomNet(35, nn.ReLU, 6, 5, 4, 3)
	net.Layers[1] = labBug{net.Dense(2)} // not clonable: checked in place
	x, labels := randData(36, 4, 6, 3)
	before := snapshot(net.Params())
	for _, m := range []Mode{Auto, Directional} {
		CheckNetwork(net, x, labels, &Options{Mode: m})
		if after := snapshot(net.Params()); !slices.Equal(before, after) {
			t.Fatalf("%s: parameters changed by the check", m)
		}
	}
	l := newStudentReLU(6, 5, 1)
	before = snapshot(l.Params())
	xc := mat.DenseCopyOf(x)
	CheckLayer(l, x, &Options{Mode: Directional})
	if !slices.Equal(before, snapshot(l.Params())) || !mat.Equal(x, xc) {
		t.Fatal("layer check changed the layer's parameters or x")
	}
}

func snapshot(ps []nn.Param) []uint64 {
	var bits []uint64
	for _, p := range ps {
		for _, v := range p.Value.RawMatrix().Data {
			bits = append(bits, math.Float64bits(v))
		}
	}
	return bits
}

func TestSpotSampleIsStratified(t *testing.T) {
	for _, tc := range []struct{ rows, cols, n int }{{96, 784, 1024}, {40, 300, 100}, {10, 10, 99}, {500, 20, 100}, {3, 5, 100}} {
		idx := spotSample(tc.rows, tc.cols, tc.n, rand.New(rand.NewPCG(1, 2)))
		want := min(max(tc.n, tc.rows), tc.rows*tc.cols)
		if len(idx) != want {
			t.Errorf("%+v: %d samples, want %d", tc, len(idx), want)
		}
		perRow := make([]int, tc.rows)
		perCol := make([]int, tc.cols)
		for i, k := range idx {
			if i > 0 && k <= idx[i-1] {
				t.Fatalf("%+v: samples not sorted and distinct at %d", tc, i)
			}
			perRow[k/tc.cols]++
			perCol[k%tc.cols]++
		}
		if lo, hi := slices.Min(perRow), slices.Max(perRow); lo == 0 || hi-lo > 1 {
			t.Errorf("%+v: samples per row in [%d, %d], want every row, balanced", tc, lo, hi)
		}
		if lo, hi := slices.Min(perCol), slices.Max(perCol); want >= tc.cols && want < tc.rows*tc.cols && (lo == 0 || hi-lo > 2) {
			t.Errorf("%+v: samples per column in [%d, %d], want every column, balanced", tc, lo, hi)
		}
	}
	a := spotSample(96, 784, 1024, rand.New(rand.NewPCG(7, 1)))
	b := spotSample(96, 784, 1024, rand.New(rand.NewPCG(7, 1)))
	c := spotSample(96, 784, 1024, rand.New(rand.NewPCG(8, 1)))
	if !slices.Equal(a, b) || slices.Equal(a, c) {
		t.Error("spot samples are not determined by the seed")
	}
}

func TestAutoChecksBiasesFullyAndLargeMatricesBySpot(t *testing.T) {
	net := randomNet(37, nn.ReLU, 300, 40, 3)
	x, labels := randData(38, 4, 300, 3)
	r := CheckNetwork(net, x, labels, &Options{MaxFull: 1000, Samples: 200, Seed: 5})
	for _, tc := range []struct {
		name, method string
		sampled      int
	}{{"W1", "spot", 200}, {"b1", "full", 40}, {"W2", "full", 120}, {"b2", "full", 3}} {
		tr := r.Tensor(tc.name)
		if tr.Method != tc.method || tr.Checked+tr.KinkSkipped != tc.sampled {
			t.Errorf("%s: %s with %d sampled, want %s with %d", tc.name, tr.Method, tr.Checked+tr.KinkSkipped, tc.method, tc.sampled)
		}
	}
	if r.Seed != 5 || !strings.Contains(r.String(), "seed 5") {
		t.Error("the seed is not in the report")
	}
}

func TestDirectionalFallsBackToLocalise(t *testing.T) {
	net := wrap(randomNet(39, nn.ReLU, 6, 5, 4, 3), 2, func(d *nn.Dense) nn.Layer { return scaleDW{d, 2} })
	x, labels := randData(40, 7, 6, 3)
	r := CheckNetwork(net, x, labels, &Options{Mode: Directional})
	for _, tr := range r.Tensors {
		if tr.Name == "W2" {
			if tr.Method != "directional, then full" || tr.Direction == nil || tr.Direction.Status != StatusFailed || tr.Worst.Row < 0 {
				t.Errorf("W2: method %q, direction %+v, worst %+v", tr.Method, tr.Direction, tr.Worst)
			}
		} else if tr.Method != "directional" || tr.Checked != 1 {
			t.Errorf("%s: method %q, checked %d; want one clean direction", tr.Name, tr.Method, tr.Checked)
		}
	}
	if r.Evaluations > 2*6+2*20*4 {
		t.Errorf("%d evaluations: the clean tensors were not left at one direction", r.Evaluations)
	}
}

func TestTinyGradientsAreTiny(t *testing.T) {
	// The "tiny gradient" cases of the false-alarm suite must really have
	// gradients of order 1e-10, or they prove nothing.
	for _, c := range correctCases() {
		if !strings.Contains(c.name, "tiny") {
			continue
		}
		r := c.check(&Options{Mode: Full, TopK: 1000})
		tinyTensor := false
		for _, tr := range r.Tensors {
			var lo, hi = math.Inf(1), 0.0
			for _, el := range tr.Top {
				lo, hi = min(lo, math.Abs(el.Analytic)), max(hi, math.Abs(el.Analytic))
			}
			tinyTensor = tinyTensor || (len(tr.Top) == tr.Checked && lo > 0 && hi < 1e-8)
		}
		if !tinyTensor {
			t.Errorf("%s: no tensor has all its gradients ≈ 1e-10:\n%s", c.name, r)
		}
	}
}

// panicky panics in Forward after n calls.
type panicky struct {
	*nn.Dense
	n *int
}

func (p panicky) Forward(x *mat.Dense) *mat.Dense {
	if *p.n--; *p.n < 0 {
		panic("student bug")
	}
	return p.Dense.Forward(x)
}

func TestLayerPanicReachesCaller(t *testing.T) {
	n := 10
	l := panicky{randomNet(41, nn.ReLU, 6, 5, 3).Dense(1), &n}
	x, _ := randData(42, 3, 6, 1)
	defer func() {
		if r := recover(); r != "student bug" {
			t.Errorf("recovered %v, want the layer's panic", r)
		}
	}()
	CheckLayer(l, x, nil)
}

func TestBadInputsPanicWithNames(t *testing.T) {
	th := mat.NewDense(2, 2, nil)
	for _, tc := range []struct {
		f    Func
		want string
	}{
		{Func{Params: []nn.Param{{Name: "θ", Value: th, Grad: mat.NewDense(2, 3, nil)}}, Loss: func() float64 { return 0 }}, "2×3"},
		{Func{Params: []nn.Param{{Name: "θ", Value: th}}, Loss: func() float64 { return 0 }}, "nil"},
		{Func{Params: []nn.Param{{Name: "θ", Value: th, Grad: th}, {Name: "θ", Value: th, Grad: th}}, Loss: func() float64 { return 0 }}, "two parameters"},
		{Func{}, "Loss is nil"},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), tc.want) {
					t.Errorf("panic %v, want one mentioning %q", r, tc.want)
				}
			}()
			Check(tc.f, nil)
		}()
	}
}
