package nn

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/backprop-lab/backprop/nn/internal/fastblas"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// Data is a labelled dataset the trainer reads in batches. mnist.Set
// implements it; so does Examples for data already in a matrix.
type Data interface {
	// Len is the number of examples.
	Len() int
	// Dim is the input dimension n_in.
	Dim() int
	// Batch writes the examples idx[0…k) into x (k×Dim, row-major, one
	// example per row) and their class labels into labels[0…k). It must not
	// keep x or labels. SGD.Train calls it from a goroutine of its own, to
	// gather the next batch while the network trains on the current one.
	Batch(x []float64, labels []int, idx []int)
}

// Examples is Data held in memory: row n of X is example n, Labels[n] its
// class.
type Examples struct {
	X      *mat.Dense
	Labels []int
}

// Len returns the number of rows of X.
func (e Examples) Len() int { r, _ := e.X.Dims(); return r }

// Dim returns the number of columns of X.
func (e Examples) Dim() int { _, c := e.X.Dims(); return c }

// Batch copies rows idx of X into x and their labels into labels.
func (e Examples) Batch(x []float64, labels []int, idx []int) {
	d := e.Dim()
	if len(x) != len(idx)*d || len(labels) != len(idx) {
		panic(fmt.Sprintf("nn: Examples.Batch: %d indices need x of length %d and %d labels, got %d and %d",
			len(idx), len(idx)*d, len(idx), len(x), len(labels)))
	}
	for r, i := range idx {
		mat.Row(x[r*d:(r+1)*d], i, e.X)
		labels[r] = e.Labels[i]
	}
}

// SGD is plain mini-batch stochastic gradient descent with a constant
// learning rate, as in the lab: every epoch the examples are shuffled, cut
// into batches of BatchSize (the last one smaller if BatchSize does not
// divide the data), and after each batch every parameter moves by
// θ ← θ − η ∂E/∂θ with E the batch-mean cross-entropy.
type SGD struct {
	LearningRate float64 // η > 0
	BatchSize    int     // examples per step, ≥ 1
	Epochs       int     // passes over the data, ≥ 0
	Seed         uint64  // seeds the shuffling

	// OnBatch, if set, is called after every step. A non-nil error stops
	// training and is returned by Train.
	OnBatch func(Step) error
	// OnEpoch, if set, is called after every epoch. A non-nil error stops
	// training and is returned by Train.
	OnEpoch func(Epoch) error
}

// Step describes one finished SGD step.
type Step struct {
	Epoch, Epochs   int     // 1-based epoch and total
	Batch, Batches  int     // 1-based batch within the epoch and total
	Size            int     // examples in this batch
	Loss            float64 // mean cross-entropy of the batch before the update
	Correct         int     // examples of the batch classified right before the update
	ExamplesSoFar   int     // examples seen since training started
	EpochsCompleted float64 // fractional epochs done, for plotting
}

// Epoch summarises one finished epoch.
type Epoch struct {
	Epoch, Epochs int
	// Loss is the mean over the epoch's examples of the batch losses, each
	// measured before its update (the lab's learning-curve quantity).
	Loss float64
	// Accuracy is the fraction classified right by those same forward passes:
	// a running training accuracy that costs nothing extra.
	Accuracy float64
	Duration time.Duration
}

// DivergenceError reports a NaN or infinite loss. Training stops before the
// update of that batch, so the network keeps its last finite weights.
type DivergenceError struct {
	Epoch, Batch int // 1-based
	Loss         float64
}

func (e *DivergenceError) Error() string {
	return fmt.Sprintf("nn: training diverged at epoch %d, batch %d: batch loss is %v (try a smaller learning rate)",
		e.Epoch, e.Batch, e.Loss)
}

// Train runs s on net with data. It returns an error for a bad
// configuration, when data does not fit the network's input, when a
// callback returns one, or a *DivergenceError.
func (s SGD) Train(net *Network, data Data) error {
	if !(s.LearningRate > 0) || math.IsInf(s.LearningRate, 0) {
		return fmt.Errorf("nn: learning rate must be a positive number, got %v", s.LearningRate)
	}
	if s.BatchSize < 1 {
		return fmt.Errorf("nn: batch size must be at least 1, got %d", s.BatchSize)
	}
	if s.Epochs < 0 {
		return fmt.Errorf("nn: epochs must not be negative, got %d", s.Epochs)
	}
	n, dim := data.Len(), data.Dim()
	if n == 0 {
		return errors.New("nn: no training examples")
	}
	if sizes := net.Sizes(); sizes != nil && sizes[0] != dim {
		return fmt.Errorf("nn: data has %d inputs per example but the network expects %d", dim, sizes[0])
	}
	bs := min(s.BatchSize, n)
	batches := (n + bs - 1) / bs
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	rng := newRand(s.Seed)
	bt := newBatcher(data, n, bs, dim)
	defer bt.stop()
	params := net.Params()
	var upd updater
	seen := 0
	for e := 1; e <= s.Epochs; e++ {
		start := time.Now()
		rng.Shuffle(n, func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		var sum float64
		var correct int
		bt.start(0, idx[:bs])
		for b := range batches {
			lo, hi := b*bs, min((b+1)*bs, n)
			bt.wait()
			x, lab := bt.batch(b%2, hi-lo)
			if b+1 < batches {
				bt.start((b+1)%2, idx[hi:min(hi+bs, n)])
			}
			loss, ok := CrossEntropy(net.Forward(x), lab)
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				return &DivergenceError{Epoch: e, Batch: b + 1, Loss: loss}
			}
			net.Backward(lab)
			upd.update(params, s.LearningRate)
			sum += loss * float64(hi-lo)
			correct += ok
			seen += hi - lo
			if s.OnBatch != nil {
				err := s.OnBatch(Step{Epoch: e, Epochs: s.Epochs, Batch: b + 1, Batches: batches, Size: hi - lo,
					Loss: loss, Correct: ok, ExamplesSoFar: seen, EpochsCompleted: float64(seen) / float64(n)})
				if err != nil {
					return err
				}
			}
		}
		if s.OnEpoch != nil {
			err := s.OnEpoch(Epoch{Epoch: e, Epochs: s.Epochs, Loss: sum / float64(n),
				Accuracy: float64(correct) / float64(n), Duration: time.Since(start)})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// updater applies θ ← θ − η ∂E/∂θ to every parameter. A parameter of at
// least updateSplit elements (W⁽¹⁾ of 784-96-10: 75264) is updated in two
// halves at once on two cores (fastblas.Overlap): the update is a pass over
// 2×600 KB, read and written, after every step. Each element's result is
// the same whoever computes it.
type updater struct {
	halves [2]axpy // kept here so that handing them out allocates nothing
}

// updateSplit is the size from which a parameter's update is split.
const updateSplit = 1 << 14

// axpy is dst += a·src as a fastblas.Task.
type axpy struct {
	dst, src []float64
	a        float64
}

// Run computes dst += a·src.
func (t *axpy) Run() { floats.AddScaled(t.dst, t.a, t.src) }

func (u *updater) update(params []Param, lr float64) {
	for _, p := range params {
		rv, rg := p.Value.RawMatrix(), p.Grad.RawMatrix()
		if rv.Stride != rv.Cols || rg.Stride != rg.Cols {
			for i := 0; i < rv.Rows; i++ {
				floats.AddScaled(rv.Data[i*rv.Stride:i*rv.Stride+rv.Cols], -lr, rg.Data[i*rg.Stride:i*rg.Stride+rg.Cols])
			}
			continue
		}
		n := rv.Rows * rv.Cols
		v, g := rv.Data[:n], rg.Data[:n]
		if n < updateSplit {
			floats.AddScaled(v, -lr, g)
			continue
		}
		h := n / 2
		u.halves = [2]axpy{{v[:h], g[:h], -lr}, {v[h:], g[h:], -lr}}
		fastblas.Overlap(&u.halves[0], &u.halves[1])
	}
}

// evalBatch is the number of examples Evaluate and PredictAll push through
// the network at once: large enough for efficient matrix products, small
// enough to keep memory low (1000×784 float64 ≈ 6 MB).
const evalBatch = 1000

// Evaluate returns the mean cross-entropy and the accuracy of net on data.
func (n *Network) Evaluate(data Data) (loss, accuracy float64) {
	var sum float64
	var correct int
	n.eachBatch(data, func(p *mat.Dense, labels []int, _ int) {
		l, c := CrossEntropy(p, labels)
		sum += l * float64(len(labels))
		correct += c
	})
	total := float64(data.Len())
	return sum / total, float64(correct) / total
}

// PredictAll returns the predicted class of every example of data, in order.
func (n *Network) PredictAll(data Data) []int {
	out := make([]int, data.Len())
	n.eachBatch(data, func(p *mat.Dense, _ []int, lo int) {
		rp := p.RawMatrix()
		for i := 0; i < rp.Rows; i++ {
			out[lo+i] = argmax(rp.Data[i*rp.Stride : i*rp.Stride+rp.Cols])
		}
	})
	return out
}

// eachBatch runs data through the network in order, evalBatch examples at a
// time, and calls f with the output probabilities, labels and first index.
func (n *Network) eachBatch(data Data, f func(p *mat.Dense, labels []int, lo int)) {
	total, dim := data.Len(), data.Dim()
	bs := min(evalBatch, total)
	if bs == 0 {
		return
	}
	// The buffers are kept for the next call: evaluating after every epoch
	// would otherwise leave megabytes of garbage each time.
	e := &n.eval
	if e.x == nil || e.x.RawMatrix().Cols != dim || e.x.RawMatrix().Rows < bs {
		e.x = mat.NewDense(bs, dim, nil)
		e.labels, e.idx = make([]int, bs), make([]int, bs)
	}
	buf, rows := e.x.RawMatrix().Data, e.x.RawMatrix().Rows
	for lo := 0; lo < total; lo += bs {
		k := min(bs, total-lo)
		for i := range k {
			e.idx[i] = lo + i
		}
		x := e.x
		if k < rows {
			x = mat.NewDense(k, dim, buf[:k*dim])
		}
		data.Batch(x.RawMatrix().Data, e.labels[:k], e.idx[:k])
		f(n.Forward(x), e.labels[:k], lo)
	}
}
