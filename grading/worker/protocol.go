package worker

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Matrix is a matrix on the wire: R×C, row-major Data. R = 0 stands for a
// nil matrix (mat.Dense has no empty matrices).
type Matrix struct {
	R, C int
	Data []float64
}

// MaxElements bounds the elements of one matrix the judge accepts from a
// worker (an answer's shape is the learner's; a huge one is refused, not
// allocated twice).
const MaxElements = 1 << 22

// FromDense copies m to the wire (nil stays nil).
func FromDense(m *mat.Dense) Matrix {
	if m == nil || m.IsEmpty() {
		return Matrix{}
	}
	r, c := m.Dims()
	data := make([]float64, 0, r*c)
	for i := range r {
		data = append(data, m.RawRowView(i)...)
	}
	return Matrix{R: r, C: c, Data: data}
}

// Dense returns a fresh *mat.Dense holding m (nil for a nil matrix), or an
// error naming what is malformed.
func (m Matrix) Dense() (*mat.Dense, error) {
	switch {
	case m.R == 0 && m.C == 0 && len(m.Data) == 0:
		return nil, nil
	case m.R <= 0 || m.C <= 0 || m.R > MaxElements || m.C > MaxElements || m.R*m.C > MaxElements:
		return nil, fmt.Errorf("malformed matrix %d×%d", m.R, m.C)
	case len(m.Data) != m.R*m.C:
		return nil, fmt.Errorf("matrix %d×%d with %d elements", m.R, m.C, len(m.Data))
	}
	return mat.NewDense(m.R, m.C, append([]float64(nil), m.Data...)), nil
}

// Query is one question of the judge to the worker. Op names it (a key of
// ops); the other fields are its operands, as that op documents.
type Query struct {
	Op string
	// Kind is the constructor of a new layer (a Funcs field name,
	// "NewLayer"); Layer the worker's handle of a layer made earlier.
	Kind  string
	Layer int
	Ints  []int
	V     float64
	Eta   float64
	H     float64
	Test  TestFunc
	Names []string
	M     []Matrix
	G     []Matrix
	W     []Matrix
	F     []float64
	// Graph describes a graph for the engine exercises.
	Graph []GraphNode
}

// Answer is the worker's reply to one Query. Missing: the learner's code
// does not define the function asked for; Panic (and Where, the learner's
// frame): it panicked.
type Answer struct {
	F       []float64
	N       int
	Ints    []int
	Names   []string
	M       []Matrix
	G       []Matrix
	Missing bool
	Panic   string
	Where   string
}

// TestFunc is a function the judge chooses for a learner's numerical
// gradient, from a family whose gradient is known exactly:
//
//	f(θ) = Σ_ij C_ij·sin(θ_ij) + ½·S·(Σ_ij θ_ij)² + Σ_ij Q_ij·θ_ij²
//	∂f/∂θ_ij = C_ij·cos(θ_ij) + S·Σθ + 2·Q_ij·θ_ij
//
// C and Q have θ's shape. The worker evaluates f (the learner's loss
// closure calls it), the judge the gradient.
type TestFunc struct {
	C, Q Matrix
	S    float64
}

// Loss returns f(θ).
func (t TestFunc) Loss(theta *mat.Dense) float64 {
	r, c := theta.Dims()
	if t.C.R != r || t.C.C != c || t.Q.R != r || t.Q.C != c {
		return math.NaN()
	}
	var s, sum, q float64
	for i := range r {
		for j := range c {
			th := theta.At(i, j)
			s += t.C.Data[i*c+j] * math.Sin(th)
			q += t.Q.Data[i*c+j] * th * th
			sum += th
		}
	}
	return s + t.S*sum*sum/2 + q
}

// Grad returns ∂f/∂θ (θ's shape).
func (t TestFunc) Grad(theta *mat.Dense) *mat.Dense {
	r, c := theta.Dims()
	sum := mat.Sum(theta)
	g := mat.NewDense(r, c, nil)
	for i := range r {
		for j := range c {
			th := theta.At(i, j)
			g.Set(i, j, t.C.Data[i*c+j]*math.Cos(th)+t.S*sum+2*t.Q.Data[i*c+j]*th)
		}
	}
	return g
}

// denses decodes a list of matrices.
func denses(ms []Matrix) ([]*mat.Dense, error) {
	out := make([]*mat.Dense, len(ms))
	for i, m := range ms {
		d, err := m.Dense()
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

func wire(ms []*mat.Dense) []Matrix {
	out := make([]Matrix, len(ms))
	for i, m := range ms {
		out[i] = FromDense(m)
	}
	return out
}

var errOperands = errors.New("wrong operands")

// MaxFrame bounds one message on the pipes, in bytes: the judge reads a
// frame's length first and refuses a longer one before allocating it (gob
// alone would allocate what a forged header claims, up to 1 GB).
const MaxFrame = 64 << 20

// writeFrame writes v as one frame: its gob encoding (a fresh encoder, so
// that every frame stands alone), preceded by its length as 4 bytes,
// little-endian.
func writeFrame(w io.Writer, v any) error {
	var buf bytes.Buffer
	buf.Write(make([]byte, 4))
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return err
	}
	b := buf.Bytes()
	if len(b)-4 > MaxFrame {
		return fmt.Errorf("message of %d bytes, more than %d", len(b)-4, MaxFrame)
	}
	binary.LittleEndian.PutUint32(b, uint32(len(b)-4))
	_, err := w.Write(b)
	return err
}

// readFrame reads one frame written by writeFrame into v.
func readFrame(r io.Reader, v any) error {
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return err
	}
	n := binary.LittleEndian.Uint32(head[:])
	if n > MaxFrame {
		return fmt.Errorf("a message of %d bytes announced, more than %d", n, MaxFrame)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return err
	}
	return gob.NewDecoder(bytes.NewReader(b)).Decode(v)
}
