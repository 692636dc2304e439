package nn

import (
	"fmt"

	"github.com/backprop-lab/backprop/nn/internal/fastblas"
	"gonum.org/v1/gonum/mat"
)

// Param is one parameter tensor of a layer together with its gradient.
type Param struct {
	// Name identifies the tensor: "W" and "b" for a Dense layer; Network
	// appends the 1-based layer number s ("W1", "b2", …).
	Name string
	// Value is the parameter itself: W is n_out×n_in, b is n_out×1.
	Value *mat.Dense
	// Grad is ∂E/∂Value, the same shape as Value, written by Backward.
	Grad *mat.Dense
}

// Layer is one differentiable stage of a network, acting on a batch with one
// example per row. A student's own layer implements it to be trained by
// Network and checked by package gradcheck.
//
// The contract, which Network and gradcheck rely on and nothing more:
//   - Forward(x) may overwrite anything the layer caches, and may clear its
//     gradients (PyTorch's zero_grad habit); it reads x but never changes it
//     (x belongs to the layer below).
//   - Backward(g) refers to the batch of the last Forward; it may overwrite g
//     (its δ computed in place) and leaves every parameter gradient holding
//     ∂E/∂θ for that batch alone: overwritten, or added to gradients that
//     Forward cleared, never added to those of an earlier call.
//   - The gradients are read after Backward and before the next Forward or
//     Backward, through a fresh call of Params (a layer may allocate new
//     Grad matrices in Backward).
//   - Params returns, on every call, the same Value matrices, which Forward
//     reads: a change of an element in place changes the next Forward.
type Layer interface {
	// Forward maps x (N×n_in) to the layer's output (N×n_out), caching what
	// Backward needs. The result is owned by the layer (see the package doc).
	Forward(x *mat.Dense) *mat.Dense
	// Backward takes g = ∂E/∂output (N×n_out) for the batch of the last
	// Forward, overwrites the gradient of every parameter and returns
	// ∂E/∂x (N×n_in), owned by the layer.
	Backward(g *mat.Dense) *mat.Dense
	// Params lists the layer's parameters and gradients in a fixed order.
	Params() []Param
}

// Dense is a fully connected layer a = φ(W·a_prev + b) with W ∈ ℝ^(n_out×n_in)
// and b ∈ ℝ^(n_out). On a batch (rows = examples):
//
//	U = X·Wᵀ   (N×n_in)·(n_in×n_out) → N×n_out
//	V = U + 1bᵀ
//	A = φ(V)
//
// After Forward and Backward its cached values (X, U, V, A, Delta) and the
// gradients DW, DB can be read: they are the per-layer values of the
// derivation for the last batch.
type Dense struct {
	W   *mat.Dense // weights, n_out×n_in
	B   *mat.Dense // bias, n_out×1
	DW  *mat.Dense // ∂E/∂W, n_out×n_in, written by Backward
	DB  *mat.Dense // ∂E/∂b, n_out×1, written by Backward
	Act Activation // φ

	x, u, v, a, delta, gx *mat.Dense
	wT, deltaT            transposed        // cached Wᵀ and δᵀ views
	dwMul, gxMul          product           // backward's two products, for fastblas.Overlap
	actHalves             [2]activationRows // Forward's φ in two halves, for fastblas.Overlap
	pa                    *mat.Dense        // ForwardPerturbed's A
	pcol                  []float64         // ForwardPerturbed's saved column of V
}

// transposed caches m.T(): calling T() boxes a new value on every call, and
// a training step must not allocate.
type transposed struct {
	of *mat.Dense
	t  mat.Matrix
}

// get returns mᵀ, reusing the cached view while m is the same matrix.
func (c *transposed) get(m *mat.Dense) mat.Matrix {
	if c.of != m {
		c.of, c.t = m, m.T()
	}
	return c.t
}

// NewDense returns an n_in → n_out layer with zero weights and bias and the
// activation act. It panics if a size is not positive or act is nil.
func NewDense(nIn, nOut int, act Activation) *Dense {
	if nIn <= 0 || nOut <= 0 {
		panic(fmt.Sprintf("nn: NewDense: sizes must be positive, got n_in=%d, n_out=%d", nIn, nOut))
	}
	if act == nil {
		panic("nn: NewDense: nil activation")
	}
	d := &Dense{
		W:   mat.NewDense(nOut, nIn, nil),
		B:   mat.NewDense(nOut, 1, nil),
		DW:  mat.NewDense(nOut, nIn, nil),
		DB:  mat.NewDense(nOut, 1, nil),
		Act: act,
	}
	return d
}

// Dims returns n_in and n_out.
func (d *Dense) Dims() (nIn, nOut int) {
	nOut, nIn = d.W.Dims()
	return nIn, nOut
}

// Activation returns φ.
func (d *Dense) Activation() Activation { return d.Act }

// X returns the input a⁽ˢ⁻¹⁾ of the last Forward (N×n_in; the caller's matrix).
func (d *Dense) X() *mat.Dense { return d.x }

// U returns u = X·Wᵀ of the last Forward (N×n_out).
func (d *Dense) U() *mat.Dense { return d.u }

// V returns v = u + b of the last Forward (N×n_out).
func (d *Dense) V() *mat.Dense { return d.v }

// A returns a = φ(v) of the last Forward (N×n_out).
func (d *Dense) A() *mat.Dense { return d.a }

// Delta returns δ = ∂E/∂v of the last Backward (N×n_out).
func (d *Dense) Delta() *mat.Dense { return d.delta }

// Params returns W and b with their gradients.
func (d *Dense) Params() []Param {
	return []Param{{Name: "W", Value: d.W, Grad: d.DW}, {Name: "b", Value: d.B, Grad: d.DB}}
}

// Forward computes U = X·Wᵀ, V = U + 1bᵀ and A = φ(V) for x (N×n_in) and
// returns A (N×n_out). It panics if x does not have n_in columns.
func (d *Dense) Forward(x *mat.Dense) *mat.Dense {
	nIn, nOut := d.Dims()
	bsz, c := x.Dims()
	if c != nIn {
		panic(fmt.Sprintf("nn: Dense.Forward: input x is %s but W is %s (want N×%d)", shape(x), shape(d.W), nIn))
	}
	d.x = x
	u := reuse(&d.u, bsz, nOut)
	v := reuse(&d.v, bsz, nOut)
	a := reuse(&d.a, bsz, nOut)
	u.Mul(x, d.wT.get(d.W))
	if f, ok := d.Act.(fusedActivation); ok && column(d.B) != nil {
		f.forwardBias(a, v, u, column(d.B))
		return a
	}
	ru, rv, rb := u.RawMatrix(), v.RawMatrix(), d.B.RawMatrix()
	for i := range bsz {
		ui, vi := ru.Data[i*ru.Stride:i*ru.Stride+nOut], rv.Data[i*rv.Stride:i*rv.Stride+nOut]
		for j := range vi {
			vi[j] = ui[j] + rb.Data[j*rb.Stride]
		}
	}
	if r, ok := d.Act.(rowwiseActivation); ok && bsz >= rowsSplit {
		// Softmax: 2000 exponentials of a 200×10 batch took 37 µs on one
		// core, a sixth of a training step once the products skip zeros.
		h := bsz / 2
		d.actHalves = [2]activationRows{{r, a, v, 0, h}, {r, a, v, h, bsz}}
		fastblas.Overlap(&d.actHalves[0], &d.actHalves[1])
		return a
	}
	d.Act.Forward(a, v)
	return a
}

// rowsSplit is the batch size from which Forward computes a row-wise
// activation's two halves at once on two cores: at 64 rows of 10
// softmax outputs each half is about 6 µs, a few times what handing one to
// another goroutine costs.
const rowsSplit = 64

// activationRows computes rows lo…hi−1 of φ(V) into A as a
// fastblas.Task; the layer keeps two, so handing one out allocates
// nothing.
type activationRows struct {
	act    rowwiseActivation
	a, v   *mat.Dense
	lo, hi int
}

// Run computes the rows.
func (t *activationRows) Run() { t.act.forwardRows(t.a, t.v, t.lo, t.hi) }

// Backward takes g = ∂E/∂a (N×n_out), computes δ = ∂E/∂v through the
// activation (δ = φ′(v) ⊙ g for an element-wise φ), then the gradients and
// returns ∂E/∂x = δ·W (N×n_in). See BackwardDelta.
func (d *Dense) Backward(g *mat.Dense) *mat.Dense {
	return d.backwardFromA(g, true)
}

// BackwardDelta starts the backward pass from δ = ∂E/∂v (N×n_out) itself,
// as for the softmax output layer where δ⁽ʰ⁾ = (a − y)/N is known directly.
// It writes
//
//	∂E/∂W = δᵀ·X   (n_out×N)·(N×n_in) → n_out×n_in
//	∂E/∂b = δᵀ·1   column sums of δ   → n_out×1
//
// and, if inputGrad, returns ∂E/∂x = δ·W ((N×n_out)·(n_out×n_in) → N×n_in);
// otherwise it returns nil and skips that product (the first layer's input
// gradient is never needed in training). δ is copied into the layer.
func (d *Dense) BackwardDelta(delta *mat.Dense, inputGrad bool) *mat.Dense {
	d.checkBatch("BackwardDelta", "delta", delta)
	own := reuse(&d.delta, delta.RawMatrix().Rows, delta.RawMatrix().Cols)
	if own != delta {
		own.Copy(delta)
	}
	return d.backward(own, inputGrad)
}

// backwardFromA is Backward, skipping the input gradient unless inputGrad
// (Network never needs the first layer's).
func (d *Dense) backwardFromA(g *mat.Dense, inputGrad bool) *mat.Dense {
	d.checkBatch("Backward", "g", g)
	delta := reuse(&d.delta, g.RawMatrix().Rows, g.RawMatrix().Cols)
	if f, ok := d.Act.(fusedActivation); ok && column(d.DB) != nil {
		f.backwardSum(delta, d.v, g, column(d.DB))
		return d.backwardProducts(delta, inputGrad)
	}
	d.Act.Backward(delta, d.v, d.a, g)
	return d.backward(delta, inputGrad)
}

// fusedActivation is an activation that also does the bias's work in the
// pass over the batch it makes anyway (ReLU): Forward's V = U + 1bᵀ with
// A = φ(V), Backward's δ = φ′(V) ⊙ G with ∂E/∂b = δᵀ·1. Each saves a pass
// over an N×n_out matrix; the results are those of the separate passes,
// bit for bit (the same additions in the same order).
type fusedActivation interface {
	forwardBias(a, v, u *mat.Dense, b []float64)
	backwardSum(delta, v, g *mat.Dense, db []float64)
}

// column returns the elements of the n×1 matrix m as one slice, or nil if
// they are not contiguous (a view into a wider matrix).
func column(m *mat.Dense) []float64 {
	r := m.RawMatrix()
	if r.Cols != 1 || r.Stride != 1 && r.Rows > 1 {
		return nil
	}
	return r.Data[:r.Rows]
}

func (d *Dense) checkBatch(op, name string, m *mat.Dense) {
	if d.v == nil {
		panic(fmt.Sprintf("nn: Dense.%s called before Forward", op))
	}
	sameShape("Dense", op, name, m, "v (from Forward)", d.v)
}

// backward writes ∂E/∂b = δᵀ·1 and does backwardProducts.
func (d *Dense) backward(delta *mat.Dense, inputGrad bool) *mat.Dense {
	db := d.DB.RawMatrix()
	rd := delta.RawMatrix()
	for j := 0; j < rd.Cols; j++ {
		db.Data[j*db.Stride] = 0
	}
	for i := 0; i < rd.Rows; i++ {
		row := rd.Data[i*rd.Stride : i*rd.Stride+rd.Cols]
		for j, x := range row {
			db.Data[j*db.Stride] += x
		}
	}
	return d.backwardProducts(delta, inputGrad)
}

// backwardProducts writes ∂E/∂W = δᵀ·X and, if inputGrad, returns
// ∂E/∂x = δ·W (else nil). The two products are independent, and run at the
// same time on two cores when there are and the BLAS is nn's own
// (overlapProducts): in 784-96-10 they are the output layer's 10×96×200 and
// 200×96×10, each too small to split with profit. Each product's result
// does not depend on where it ran.
func (d *Dense) backwardProducts(delta *mat.Dense, inputGrad bool) *mat.Dense {
	d.dwMul = product{d.DW, d.deltaT.get(delta), d.x}
	if !inputGrad {
		d.dwMul.Run()
		return nil
	}
	rd := delta.RawMatrix()
	gx := reuse(&d.gx, rd.Rows, d.W.RawMatrix().Cols)
	d.gxMul = product{gx, delta, d.W}
	overlapProducts(&d.dwMul, &d.gxMul)
	return gx
}

// product is c = a·b as a fastblas.Task: a pointer to one, kept in the
// layer, is handed to another goroutine without allocating.
type product struct {
	c    *mat.Dense
	a, b mat.Matrix
}

// Run computes c = a·b.
func (p *product) Run() { p.c.Mul(p.a, p.b) }
