package nn

import "gonum.org/v1/gonum/mat"

// batcher gathers the training batches into two alternating buffers: while
// the network trains on one batch, a goroutine already writes the next one
// into the other buffer (data.Batch turns bytes into float64, a pass over
// 200×784 numbers that would otherwise sit between two matrix products).
// The order of the examples is exactly the one Train would use without it.
type batcher struct {
	data   Data
	full   [2]*mat.Dense // BatchSize×Dim
	tail   [2]*mat.Dense // the last, smaller batch, sharing full's storage (nil if none)
	labels [2][]int
	jobs   chan batchJob
	done   chan any // nil, or what data.Batch panicked with
}

type batchJob struct {
	slot int
	idx  []int
}

func newBatcher(data Data, n, bs, dim int) *batcher {
	b := &batcher{data: data, jobs: make(chan batchJob), done: make(chan any, 1)}
	for s := range 2 {
		buf := make([]float64, bs*dim)
		b.full[s] = mat.NewDense(bs, dim, buf)
		if r := n % bs; r != 0 {
			b.tail[s] = mat.NewDense(r, dim, buf[:r*dim])
		}
		b.labels[s] = make([]int, bs)
	}
	go b.run()
	return b
}

func (b *batcher) run() {
	for j := range b.jobs {
		b.done <- b.fill(j)
	}
}

// fill gathers one batch and returns nil, or the value data.Batch panicked
// with, which wait re-raises on Train's goroutine.
func (b *batcher) fill(j batchJob) (p any) {
	defer func() { p = recover() }()
	x, labels := b.batch(j.slot, len(j.idx))
	b.data.Batch(x.RawMatrix().Data, labels, j.idx)
	return nil
}

// start begins gathering the examples idx into buffer slot.
func (b *batcher) start(slot int, idx []int) { b.jobs <- batchJob{slot, idx} }

// wait blocks until the batch last started is ready.
func (b *batcher) wait() {
	if p := <-b.done; p != nil {
		panic(p)
	}
}

// batch returns buffer slot as a k-row matrix and its k labels.
func (b *batcher) batch(slot, k int) (*mat.Dense, []int) {
	x := b.full[slot]
	if r, _ := x.Dims(); k < r {
		x = b.tail[slot]
	}
	return x, b.labels[slot][:k]
}

// stop ends the goroutine; a batch still being gathered is dropped.
func (b *batcher) stop() { close(b.jobs) }
