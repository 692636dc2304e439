package nn

import (
	"math"
	"testing"

	"github.com/backprop-lab/backprop/nn/internal/fastblas"
	"github.com/backprop-lab/backprop/nn/nntest"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// reluInputs returns u (n×k) from a seeded batch with some exact zeros,
// signed zeros and a NaN, b (k biases, one 0) and g (n×k).
func reluInputs(n, k int) (u *mat.Dense, b []float64, g *mat.Dense) {
	u, _ = nntest.RandomBatch(11, n, k, 2)
	g, _ = nntest.RandomBatch(12, n, k, 2)
	bm, _ := nntest.RandomBatch(13, 1, k, 2)
	b = bm.RawMatrix().Data
	b[0] = 0
	u.Set(0, 0, 0)
	u.Set(1, 0, math.Copysign(0, -1))
	u.Set(2, 1, math.NaN())
	return u, b, g
}

// sameBits reports the first element where a and b differ in any bit.
func sameBits(t *testing.T, what string, a, b *mat.Dense) {
	t.Helper()
	ra, rb := a.RawMatrix(), b.RawMatrix()
	for i := 0; i < ra.Rows; i++ {
		for j := 0; j < ra.Cols; j++ {
			x, y := ra.Data[i*ra.Stride+j], rb.Data[i*rb.Stride+j]
			if math.Float64bits(x) != math.Float64bits(y) {
				t.Fatalf("%s[%d,%d] = %v, want %v (bit for bit)", what, i, j, x, y)
			}
		}
	}
}

// TestReLUFusedPassesMatchSeparate: the one-pass ReLU epilogues give, bit
// for bit, what the separate passes (bias add, then ReLU.Forward; ReLU's
// Backward, then the column sums) give: the element-wise function ReLU.F,
// its derivative, and sums in row order.
func TestReLUFusedPassesMatchSeparate(t *testing.T) {
	const n, k = 13, 7
	u, b, g := reluInputs(n, k)
	f := ReLU.(fusedActivation)

	v, a := mat.NewDense(n, k, nil), mat.NewDense(n, k, nil)
	f.forwardBias(a, v, u, b)
	wantV, wantA := mat.NewDense(n, k, nil), mat.NewDense(n, k, nil)
	for i := range n {
		for j := range k {
			wantV.Set(i, j, u.At(i, j)+b[j])
			wantA.Set(i, j, ReLU.F(wantV.At(i, j)))
		}
	}
	sameBits(t, "v", v, wantV)
	sameBits(t, "a", a, wantA)

	delta := mat.NewDense(n, k, nil)
	db := make([]float64, k)
	for i := range db {
		db[i] = 99 // must be overwritten, not added to
	}
	f.backwardSum(delta, v, g, db)
	wantD := mat.NewDense(n, k, nil)
	wantDB := make([]float64, k)
	for i := range n {
		for j := range k {
			d := ReLU.Deriv(v.At(i, j), a.At(i, j)) * g.At(i, j)
			if d == 0 {
				d = 0 // the mask gives +0 where the product may give −0
			}
			wantD.Set(i, j, d)
			wantDB[j] += d
		}
	}
	sameBits(t, "δ", delta, wantD)
	sameBits(t, "db", mat.NewDense(k, 1, db), mat.NewDense(k, 1, wantDB))

	// δ may be g itself, as Activation.Backward allows.
	f.backwardSum(g, v, g, db)
	sameBits(t, "δ in place", g, wantD)
}

// TestDenseUsesFusedPassesOnlyForContiguousBias: a Dense whose b or ∂E/∂b
// is a view into a wider matrix (not one contiguous column) still gets the
// right V, A, δ and ∂E/∂b, from the separate passes.
func TestDenseUsesFusedPassesOnlyForContiguousBias(t *testing.T) {
	const n, nIn, nOut = 9, 5, 4
	x, _ := nntest.RandomBatch(21, n, nIn, 2)
	g, _ := nntest.RandomBatch(22, n, nOut, 2)
	plain := NewDense(nIn, nOut, ReLU)
	w, _ := nntest.RandomBatch(23, nOut, nIn, 2)
	bias, _ := nntest.RandomBatch(24, nOut, 1, 2)
	plain.W.Copy(w)
	plain.B.Copy(bias)
	strided := NewDense(nIn, nOut, ReLU)
	strided.W.Copy(w)
	wide := mat.NewDense(nOut, 3, nil)
	strided.B = wide.Slice(0, nOut, 1, 2).(*mat.Dense)
	strided.B.Copy(bias)
	strided.DB = mat.NewDense(nOut, 2, nil).Slice(0, nOut, 0, 1).(*mat.Dense)
	if column(strided.B) != nil || column(strided.DB) != nil || column(plain.B) == nil {
		t.Fatal("column: want nil exactly for the strided views")
	}
	for _, d := range []*Dense{plain, strided} {
		d.Forward(x)
		d.Backward(g)
	}
	sameBits(t, "V", strided.V(), plain.V())
	sameBits(t, "A", strided.A(), plain.A())
	sameBits(t, "δ", strided.Delta(), plain.Delta())
	sameBits(t, "∂E/∂b", strided.DB, plain.DB)
}

// TestOutputDeltaWrittenOnce: Network.Backward writes δ⁽ʰ⁾ = (A − Y)/N
// straight into a plain Dense output layer's own buffer (no copy), and the
// layer's Delta is that value.
func TestOutputDeltaWrittenOnce(t *testing.T) {
	net := MustNew(Config{Sizes: []int{6, 5, 3}, Seed: 1})
	x, labels := nntest.RandomBatch(31, 8, 6, 3)
	a := net.Forward(x)
	net.Backward(labels)
	out := net.Dense(2)
	if net.delta != nil {
		t.Error("Network.Backward used its own δ buffer for a plain Dense softmax layer: δ⁽ʰ⁾ is then copied")
	}
	want := mat.NewDense(8, 3, nil)
	for i, l := range labels {
		for j := range 3 {
			want.Set(i, j, a.At(i, j)/8)
		}
		want.Set(i, l, want.At(i, l)-1.0/8)
	}
	sameBits(t, "δ⁽ʰ⁾", out.Delta(), want)
}

// The passes of the ReLU layer around its products, fused and separate
// (784-96-10 at batch 200: the hidden layer's 200×96), in one binary so
// that their ratio is measured under the same load.
func BenchmarkReLUEpilogue(b *testing.B) {
	const n, k = 200, 96
	u, bias, g := reluInputs(n, k)
	v, a, delta := mat.NewDense(n, k, nil), mat.NewDense(n, k, nil), mat.NewDense(n, k, nil)
	db := make([]float64, k)
	f := ReLU.(fusedActivation)
	b.Run("forward/separate", func(b *testing.B) {
		for b.Loop() {
			ru, rv := u.RawMatrix(), v.RawMatrix()
			for i := range n {
				ui, vi := ru.Data[i*ru.Stride:i*ru.Stride+k], rv.Data[i*rv.Stride:i*rv.Stride+k]
				for j := range vi {
					vi[j] = ui[j] + bias[j]
				}
			}
			ReLU.Forward(a, v)
		}
	})
	b.Run("forward/fused", func(b *testing.B) {
		for b.Loop() {
			f.forwardBias(a, v, u, bias)
		}
	})
	b.Run("backward/separate", func(b *testing.B) {
		for b.Loop() {
			ReLU.Backward(delta, v, a, g)
			rd := delta.RawMatrix()
			clear(db)
			for i := range n {
				for j, x := range rd.Data[i*rd.Stride : i*rd.Stride+k] {
					db[j] += x
				}
			}
		}
	})
	b.Run("backward/fused", func(b *testing.B) {
		for b.Loop() {
			f.backwardSum(delta, v, g, db)
		}
	})
}

// TestUpdateSplitMatchesSerial: the update of a parameter big enough to be
// split in halves (W⁽¹⁾ of 784-96-10) gives, bit for bit, θ − η·g of one
// serial pass, for a strided view too, and allocates nothing.
func TestUpdateSplitMatchesSerial(t *testing.T) {
	w, _ := nntest.RandomBatch(41, 96, 784, 2)
	g, _ := nntest.RandomBatch(42, 96, 784, 2)
	if 96*784 < updateSplit {
		t.Fatal("W⁽¹⁾ is below updateSplit: the test no longer covers the split")
	}
	wide := mat.NewDense(96, 790, nil)
	strided := wide.Slice(0, 96, 3, 787).(*mat.Dense)
	strided.Copy(w)
	want := mat.NewDense(96, 784, nil)
	for i := range 96 {
		for j := range 784 {
			want.Set(i, j, w.At(i, j)+(-0.1)*g.At(i, j))
		}
	}
	var u updater
	u.update([]Param{{Value: w, Grad: g}, {Value: strided, Grad: g}}, 0.1)
	sameBits(t, "W", w, want)
	sameBits(t, "strided W", strided, want)
	if nntest.RaceEnabled {
		return // allocation counts mean nothing under the race detector
	}
	params := []Param{{Value: w, Grad: g}}
	if n := testing.AllocsPerRun(50, func() { u.update(params, 0.1) }); n >= 0.5 {
		t.Errorf("update allocates %v times per call, want 0", n)
	}
}

// BenchmarkUpdate: the SGD update of W⁽¹⁾ (96×784) in one pass on one
// goroutine and in two halves on two cores, in one binary.
func BenchmarkUpdate(b *testing.B) {
	w, _ := nntest.RandomBatch(41, 96, 784, 2)
	g, _ := nntest.RandomBatch(42, 96, 784, 2)
	v, gr := w.RawMatrix().Data, g.RawMatrix().Data
	b.Run("serial", func(b *testing.B) {
		for b.Loop() {
			floats.AddScaled(v, -1e-9, gr)
		}
	})
	b.Run("halves", func(b *testing.B) {
		var u updater
		params := []Param{{Value: w, Grad: g}}
		for b.Loop() {
			u.update(params, 1e-9)
		}
	})
}

// TestSoftmaxHalvesMatchWhole: a Dense softmax layer computes a batch of
// at least rowsSplit rows in two halves on two cores; its output has the
// bits of Softmax.Forward on the whole batch, for odd and even batches,
// on every core and on one.
func TestSoftmaxHalvesMatchWhole(t *testing.T) {
	for _, threads := range []int{0, 1} {
		defer fastblas.SetThreads(fastblas.SetThreads(threads))
		for _, n := range []int{rowsSplit - 1, rowsSplit, 201} {
			x, _ := nntest.RandomBatch(21, n, 7, 2)
			d := NewDense(7, 10, Softmax)
			w, _ := nntest.RandomBatch(22, 10, 7, 2)
			d.W.Copy(w)
			d.B.Set(3, 0, 0.5)
			a := d.Forward(x)
			whole := mat.NewDense(n, 10, nil)
			Softmax.Forward(whole, d.V())
			sameBits(t, "softmax layer output", a, whole)
		}
	}
}
