package reluvec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// specials are values where a mask or an addition could go wrong: zeros of
// both signs, NaN, infinities, subnormals, and ordinary numbers.
var specials = []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1),
	5e-324, -5e-324, 1, -1, 0.25, -3.5}

// row returns n values: specials first, then seeded random ones.
func row(r *rand.Rand, n int) []float64 {
	x := make([]float64, n)
	for j := range x {
		if j < len(specials) && r.IntN(2) == 0 {
			x[j] = specials[r.IntN(len(specials))]
		} else {
			x[j] = r.NormFloat64()
		}
	}
	return x
}

func bits(t *testing.T, what string, n, j int, got, want float64) {
	t.Helper()
	if math.Float64bits(got) != math.Float64bits(want) {
		t.Fatalf("length %d: %s[%d] = %v (%#x), want %v (%#x)", n, what, j, got, math.Float64bits(got), want, math.Float64bits(want))
	}
}

// TestPassesMatchTheScalarDefinition: at every length from 0 to 40 (the
// vector steps and the scalar tail) and over special values, both passes
// give the definition's bits: v = u + b, a = v if v > 0 else +0,
// d = g if v > 0 else +0, db += d; and d may be g itself.
func TestPassesMatchTheScalarDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n <= 40; n++ {
		for range 20 {
			u, b, g := row(r, n), row(r, n), row(r, n)
			v, a := make([]float64, n), make([]float64, n)
			ForwardBias(v, a, u, b)
			for j := range n {
				x := u[j] + b[j]
				want := 0.0
				if x > 0 {
					want = x
				}
				bits(t, "v", n, j, v[j], x)
				bits(t, "a", n, j, a[j], want)
			}
			db, wantDB := row(r, n), make([]float64, n)
			copy(wantDB, db)
			d := make([]float64, n)
			gIn := append([]float64(nil), g...)
			for _, dst := range [][]float64{d, g} { // the second pass writes over g, adding to db again
				BackwardSum(dst, db, v, g)
				for j := range n {
					want := 0.0
					if v[j] > 0 {
						want = gIn[j]
					}
					bits(t, "d", n, j, dst[j], want)
				}
			}
			for j := range n { // two passes added the same d to the start value
				dj := 0.0
				if v[j] > 0 {
					dj = gIn[j]
				}
				wantDB[j] = wantDB[j] + dj + dj
				bits(t, "db", n, j, db[j], wantDB[j])
			}
		}
	}
}

func TestMasked(t *testing.T) {
	for _, c := range []struct{ y, x, want float64 }{
		{3, 1, 3}, {3, -1, 0}, {3, 0, 0}, {3, math.Copysign(0, -1), 0}, {3, math.NaN(), 0},
		{math.Copysign(0, -1), 1, math.Copysign(0, -1)}, {-2, 5e-324, -2},
	} {
		if got := Masked(c.y, c.x); math.Float64bits(got) != math.Float64bits(c.want) {
			t.Errorf("Masked(%v, %v) = %v, want %v", c.y, c.x, got, c.want)
		}
	}
}

// BenchmarkRows: the hidden layer's 200×96 (784-96-10 at batch 200), both
// passes, row by row as nn calls them.
func BenchmarkRows(b *testing.B) {
	const rows, k = 200, 96
	r := rand.New(rand.NewPCG(3, 4))
	u, g := row(r, rows*k), row(r, rows*k)
	bias, db := row(r, k), make([]float64, k)
	v, a, d := make([]float64, rows*k), make([]float64, rows*k), make([]float64, rows*k)
	b.Run("ForwardBias", func(b *testing.B) {
		for b.Loop() {
			for i := range rows {
				ForwardBias(v[i*k:], a[i*k:], u[i*k:], bias)
			}
		}
	})
	b.Run("BackwardSum", func(b *testing.B) {
		for b.Loop() {
			clear(db)
			for i := range rows {
				BackwardSum(d[i*k:], db, v[i*k:], g[i*k:])
			}
		}
	})
}
