package gradcheck

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// layerModel reads a layer check as a fully connected layer
// A = φ(X·Wᵀ + 1bᵀ): it finds W (n_out×n_in) and b among the parameters and
// recovers Δ = ∂L/∂V (N×n_out) from the numeric gradients, Δ·W = ∂L/∂x or
// Δᵀ·X = ∂L/∂W, by least squares. The causes that need Δ, G, X or W are
// then predicted from it. It is nil when the layer does not fit the model.
type layerModel struct {
	x, g, w, v   *mat.Dense
	delta        *mat.Dense
	wName, bName string
	n, nIn, nOut int
	wFailed      bool
}

func newLayerModel(pr *layerProbe, data map[string]*tensorData) *layerModel {
	n, nIn := pr.x.Dims()
	_, nOut := pr.g.Dims()
	m := &layerModel{x: pr.x, g: pr.g, n: n, nIn: nIn, nOut: nOut}
	var b *mat.Dense
	for _, p := range pr.params[:len(pr.params)-1] {
		r, c := p.Value.Dims()
		switch {
		case m.w == nil && r == nOut && c == nIn:
			m.w, m.wName = p.Value, p.Name
		case b == nil && (r == nOut && c == 1 || r == 1 && c == nOut):
			b, m.bName = p.Value, p.Name
		}
	}
	if m.w == nil {
		return nil
	}
	if dx := data[InputName]; dx != nil && dx.full && nOut <= nIn {
		var d mat.Dense // Δ·W = N_x: Wᵀ·Δᵀ = N_xᵀ
		if err := d.Solve(m.w.T(), dx.num.T()); err == nil {
			m.delta = mat.DenseCopyOf(d.T())
		}
	}
	if dw := data[m.wName]; m.delta == nil && dw != nil && dw.full && n <= nIn {
		var d mat.Dense // Δᵀ·X = N_W: Xᵀ·Δ = N_Wᵀ
		if err := d.Solve(m.x.T(), dw.num.T()); err == nil {
			m.delta = &d
		}
	}
	if m.delta == nil || !m.consistent(data) {
		return nil
	}
	m.v = mat.NewDense(n, nOut, nil)
	m.v.Mul(m.x, m.w.T())
	if b != nil {
		if r, _ := b.Dims(); r == 1 && nOut > 1 {
			m.v.Apply(func(_, j int, v float64) float64 { return v + b.At(0, j) }, m.v)
		} else {
			m.v.Apply(func(_, j int, v float64) float64 { return v + b.At(j, 0) }, m.v)
		}
	}
	if dw := data[m.wName]; dw != nil {
		m.wFailed = residualOf(dw, func(i, j int) float64 { return dw.num.At(i, j) }, false) > certainResidual
	}
	return m
}

// consistent checks the recovered Δ against every fully checked tensor.
func (m *layerModel) consistent(data map[string]*tensorData) bool {
	check := func(name string, pred *mat.Dense) bool {
		d := data[name]
		if d == nil || !d.full {
			return true
		}
		return residualOf(d, pred.At, true) <= 1e-4
	}
	var px, pw mat.Dense
	px.Mul(m.delta, m.w)
	pw.Mul(m.delta.T(), m.x)
	return check(InputName, &px) && check(m.wName, &pw)
}

// grads returns the gradients of W, b and x that a δ-matrix d gives.
func (m *layerModel) grads(d *mat.Dense) (w, b, x *mat.Dense) {
	w, x = mat.NewDense(m.nOut, m.nIn, nil), mat.NewDense(m.n, m.nIn, nil)
	w.Mul(d.T(), m.x)
	x.Mul(d, m.w)
	b = mat.NewDense(m.nOut, 1, nil)
	for j := range m.nOut {
		b.Set(j, 0, mat.Sum(d.ColView(j)))
	}
	return w, b, x
}

// candidates are the causes predicted from Δ, G, X and W for tensor d.
func (m *layerModel) candidates(d *tensorData, r *Report) []candidate {
	var cs []candidate
	which := 0 // 0 W, 1 b, 2 x
	switch d.name {
	case m.wName:
	case m.bName:
		which = 1
	case InputName:
		which = 2
	default:
		return nil
	}
	pick := func(w, b, x *mat.Dense) func(i, j int) float64 {
		switch which {
		case 1:
			if d.rows == 1 {
				return func(_, j int) float64 { return b.At(j, 0) }
			}
			return b.At
		case 2:
			return x.At
		}
		return w.At
	}
	add := func(c Cause, what string, dm *mat.Dense) {
		w, b, x := m.grads(dm)
		cs = append(cs, candidate{cause: c, what: what, at: pick(w, b, x)})
	}
	// G instead of Δ: the mask missing everywhere, or only in ∂L/∂x.
	switch {
	case which == 2 && !m.wFailed:
		add(CauseLabBug, "G·W", m.g)
	case which == 1 && !m.wFailed:
		add(CauseBiasMaskMissing, "Gᵀ·1 (G where Δ belongs) while ∂E/∂W is right", m.g)
	default:
		add(CauseMaskMissing, "what Δ = G gives", m.g)
	}
	// φ′ on the wrong tensor.
	for _, wm := range m.wrongMasks() {
		add(CauseMaskWrong, "what Δ = "+wm.what+" ⊙ G gives", wm.delta)
	}
	// Only the first example.
	first := mat.NewDense(m.n, m.nOut, nil)
	first.SetRow(0, mat.Row(nil, 0, m.delta))
	if m.n > 1 {
		add(CauseFirstExample, "what the first example alone gives", first)
	}
	// Rows of Δ and X paired in another order.
	for _, p := range perms(m.n) {
		pd := mat.NewDense(m.n, m.nOut, nil)
		for i, q := range p.to {
			pd.SetRow(q, mat.Row(nil, i, m.delta))
		}
		if which == 2 {
			var px mat.Dense
			px.Mul(m.delta, m.w)
			pp := mat.NewDense(m.n, m.nIn, nil)
			for i, q := range p.to {
				pp.SetRow(q, mat.Row(nil, i, &px))
			}
			cs = append(cs, candidate{cause: CauseRowsPermuted, what: "the right rows " + p.what, at: pp.At})
			continue
		}
		if which == 0 {
			add(CauseRowsPermuted, "Δᵀ·X with the examples paired "+p.what, pd)
		}
	}
	switch which {
	case 1:
		if m.n == m.nOut { // Δ·1: sums over the units
			rs := mat.NewDense(m.nOut, 1, nil)
			for i := range m.n {
				rs.Set(i, 0, mat.Sum(m.delta.RowView(i)))
			}
			cs = append(cs, candidate{cause: CauseBiasAxis, what: "the row sums Δ·1 (over the units)", at: pick(nil, rs, nil)})
		}
		if !m.wFailed && m.n > 1 {
			_, b, _ := m.grads(m.delta)
			k := 1 / float64(m.n)
			cs = append(cs, candidate{cause: CauseBiasAveraged, factor: k, what: fmt.Sprintf("Δᵀ·1 / N (N = %d) while ∂E/∂W is right", m.n),
				at: func(i, j int) float64 { return k * pick(nil, b, nil)(i, j) }})
		}
	case 2:
		if m.nIn == m.nOut {
			var t mat.Dense
			t.Mul(m.delta, m.w.T())
			cs = append(cs, candidate{cause: CauseTransposed, what: "Δ·Wᵀ (Wᵀ where W is needed)", at: t.At})
		}
	}
	return cs
}

// wrongMask is φ′ evaluated on a wrong tensor, as Δ′ = mask ⊙ G.
type wrongMask struct {
	what  string
	delta *mat.Dense
}

// wrongMasks lists masks a learner could take from the wrong tensor, those
// that differ from the true one: σ′ and tanh′ at v instead of a, and ReLU′
// from x (a square layer) or from G.
func (m *layerModel) wrongMasks() []wrongMask {
	mk := func(what string, f func(i, j int) float64) (wrongMask, bool) {
		d := mat.NewDense(m.n, m.nOut, nil)
		d.Apply(func(i, j int, _ float64) float64 { return f(i, j) * m.g.At(i, j) }, d)
		var diff mat.Dense
		diff.Sub(d, m.delta)
		if mat.Norm(&diff, 2) <= 1e-6*max(mat.Norm(m.delta, 2), 1e-300) {
			return wrongMask{}, false
		}
		return wrongMask{what, d}, true
	}
	step := func(x float64) float64 {
		if x > 0 {
			return 1
		}
		return 0
	}
	var out []wrongMask
	for _, c := range []struct {
		what string
		f    func(i, j int) float64
		ok   bool
	}{
		{"v(1−v)", func(i, j int) float64 { v := m.v.At(i, j); return v * (1 - v) }, true},
		{"1−v²", func(i, j int) float64 { v := m.v.At(i, j); return 1 - v*v }, true},
		{"1{x > 0}", func(i, j int) float64 { return step(m.x.At(i, j)) }, m.nIn == m.nOut},
		{"1{g > 0}", func(i, j int) float64 { return step(m.g.At(i, j)) }, true},
	} {
		if !c.ok {
			continue
		}
		if w, ok := mk(c.what, c.f); ok {
			out = append(out, w)
		}
	}
	return out
}

// perm is a reordering of N examples: example i goes to row to[i].
type perm struct {
	what string
	to   []int
}

// perms are the reorderings tried: reversed, and shifted by one either way.
func perms(n int) []perm {
	if n < 2 {
		return nil
	}
	rev, up, down := make([]int, n), make([]int, n), make([]int, n)
	for i := range n {
		rev[i], up[i], down[i] = n-1-i, (i+1)%n, (i+n-1)%n
	}
	ps := []perm{{"in reverse order", rev}}
	if n > 2 {
		ps = append(ps, perm{"shifted by one", up}, perm{"shifted back by one", down})
	}
	return ps
}
