package corpus

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

func (l *layer) Backward(g *mat.Dense) *mat.Dense {
	n, nOut := g.Dims()
	_, nIn := l.W.Dims()
	gOrig := mat.DenseCopyOf(g) // for the lab's bug (g may be overwritten by δ)
	d := l.delta(g)
	if l.freshGrads {
		l.DW, l.DB = mat.NewDense(nOut, nIn, nil), mat.NewDense(nOut, 1, nil)
	}
	dw, db := mat.NewDense(nOut, nIn, nil), mat.NewDense(nOut, 1, nil)
	dForW, xForW := d, l.x
	switch l.bug {
	case bugStaleDW:
		dForW = l.prevDelta
	case bugFirstExample:
		dForW, xForW = d.Slice(0, 1, 0, nOut).(*mat.Dense), l.x.Slice(0, 1, 0, nIn).(*mat.Dense)
	case bugReverseRows:
		xForW = mat.NewDense(n, nIn, nil)
		for i := range n {
			xForW.SetRow(i, mat.Row(nil, n-1-i, l.x))
		}
	}
	if dForW != nil {
		l.weightGrad(dw, dForW, xForW)
	}
	dForB := d
	switch l.bug {
	case bugStaleDB:
		dForB = l.prevDelta
	case bugFirstExample:
		dForB = d.Slice(0, 1, 0, nOut).(*mat.Dense)
	case bugBiasFromG:
		dForB = gOrig
	}
	if dForB != nil {
		rb, cb := dForB.Dims()
		for j := range nOut {
			var s float64
			for i := range rb {
				s += dForB.At(i, j)
			}
			if l.bug == bugBiasAxis { // row sums of Δ (N = n_out)
				s = 0
				for k := range cb {
					s += dForB.At(j, k)
				}
			}
			db.Set(j, 0, s)
		}
	}
	l.prevDelta = mat.DenseCopyOf(d)
	k := l.scale
	if l.perN {
		k = 1 / float64(n)
	}
	switch l.bug {
	case bugTransposeDW:
		dw.Copy(mat.DenseCopyOf(dw.T()))
	case bugScaleDW:
		dw.Scale(k, dw)
	case bugScaleDB:
		db.Scale(k, db)
	case bugBiasMean:
		db.Scale(1/float64(n), db)
	case bugOffsetDW:
		for i, r := 0, dw.RawMatrix().Data; i < len(r); i++ {
			r[i] += 0.3
		}
	case bugSignRows:
		for i := 1; i < nOut; i += 2 {
			r := dw.RawRowView(i)
			for j := range r {
				r[j] = -r[j]
			}
		}
	}
	if l.bug != bugNoDW {
		l.store(l.DW, dw)
	}
	if l.bug != bugNoDB && !l.noBias {
		l.store(l.DB, db)
	}
	// ∂L/∂x = Δ·W  (N×n_out)·(n_out×n_in) → N×n_in
	gx := mat.NewDense(n, nIn, nil)
	switch l.bug {
	case bugTransposeGX:
		gx.Mul(d, l.W.T())
	case bugLabGX:
		gx.Mul(gOrig, l.W)
	case bugAbsW:
		var aw mat.Dense
		aw.Apply(func(_, _ int, v float64) float64 { return math.Abs(v) }, l.W)
		gx.Mul(d, &aw)
	default:
		l.inputGrad(gx, d)
	}
	switch l.bug {
	case bugScaleGX:
		gx.Scale(k, gx)
	case bugClobberX:
		l.x.Copy(gx)
		return l.x
	}
	return gx
}

// store writes a fresh gradient into dst (overwriting, or adding).
func (l *layer) store(dst, g *mat.Dense) {
	if l.accumulate || l.bug == bugAccumulate {
		dst.Add(dst, g)
		return
	}
	dst.Copy(g)
}

// weightGrad sets dw = Δᵀ·X  (n_out×N)·(N×n_in) → n_out×n_in.
func (l *layer) weightGrad(dw, d, x *mat.Dense) {
	n, nOut := d.Dims()
	_, nIn := x.Dims()
	switch l.style {
	case matrix:
		dw.Mul(d.T(), x)
	case loops:
		for i := range nOut {
			for j := range nIn {
				var s float64
				for e := range n {
					s += d.At(e, i) * x.At(e, j)
				}
				dw.Set(i, j, s)
			}
		}
	case perExample: // Σ_n δ⁽ⁿ⁾ a⁽ⁿ⁾ᵀ
		for e := range n {
			dw.RankOne(dw, 1, d.RowView(e), x.RowView(e))
		}
	case raw:
		rd, rx, rw := d.RawMatrix(), x.RawMatrix(), dw.RawMatrix()
		for e := range n {
			de, xe := rd.Data[e*rd.Stride:e*rd.Stride+nOut], rx.Data[e*rx.Stride:e*rx.Stride+nIn]
			for i, di := range de {
				row := rw.Data[i*rw.Stride : i*rw.Stride+nIn]
				for j, xj := range xe {
					row[j] += di * xj
				}
			}
		}
	}
}

// inputGrad sets gx = Δ·W  (N×n_out)·(n_out×n_in) → N×n_in.
func (l *layer) inputGrad(gx, d *mat.Dense) {
	n, nOut := d.Dims()
	_, nIn := l.W.Dims()
	if l.style == matrix || l.style == perExample {
		gx.Mul(d, l.W)
		return
	}
	for e := range n {
		for j := range nIn {
			var s float64
			for i := range nOut {
				s += d.At(e, i) * l.W.At(i, j)
			}
			gx.Set(e, j, s)
		}
	}
}
