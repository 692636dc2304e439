package nn

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// shape formats the dimensions of m as "r×c".
func shape(m mat.Matrix) string {
	r, c := m.Dims()
	return fmt.Sprintf("%d×%d", r, c)
}

// sameShape panics, naming both shapes, unless a and b have the same
// dimensions. The operation's name is owner+"."+method (the strings are
// joined only when it panics, so the check never allocates).
func sameShape(owner, method, an string, a *mat.Dense, bn string, b *mat.Dense) {
	ar, ac := a.Dims()
	br, bc := b.Dims()
	if ar != br || ac != bc {
		panic(fmt.Sprintf("nn: %s.%s: %s is %s but %s is %s", owner, method, an, shape(a), bn, shape(b)))
	}
}

// reuse returns *m if it is r×c, or else an r×c matrix that reuses *m's
// storage when it is large enough, and stores it in *m. It allocates only
// when the shape changes, so a loop over equal-sized batches allocates
// nothing. The contents are not cleared.
func reuse(m **mat.Dense, r, c int) *mat.Dense {
	if *m != nil {
		raw := (*m).RawMatrix()
		if raw.Rows == r && raw.Cols == c {
			return *m
		}
		if data := raw.Data[:cap(raw.Data)]; len(data) >= r*c {
			*m = mat.NewDense(r, c, data[:r*c])
			return *m
		}
	}
	*m = mat.NewDense(r, c, nil)
	return *m
}

// OneHot returns the N×k matrix Y with Y[n][labels[n]] = 1 and zeros
// elsewhere. It panics if a label is outside [0, k).
func OneHot(labels []int, k int) *mat.Dense {
	y := mat.NewDense(len(labels), k, nil)
	for n, l := range labels {
		if l < 0 || l >= k {
			panic(fmt.Sprintf("nn: OneHot: label %d of example %d is outside [0, %d)", l, n, k))
		}
		y.Set(n, l, 1)
	}
	return y
}
