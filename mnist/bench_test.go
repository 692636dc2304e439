package mnist

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkBatch fills one 200×784 batch (the lab's batch size) from random
// examples of the embedded set; it must not allocate.
func BenchmarkBatch(b *testing.B) {
	train, _ := Embedded()
	const k = 200
	rng := rand.New(rand.NewPCG(1, 2)) // seeded: the same batch every run
	idx := rng.Perm(train.Len())[:k]
	x := make([]float64, k*train.Dim())
	labels := make([]int, k)
	if n := testing.AllocsPerRun(10, func() { train.Batch(x, labels, idx) }); n != 0 {
		b.Fatalf("Batch allocates %v times per call, want 0", n)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(x)) * 8) // bytes of float64 written per batch
	for b.Loop() {
		train.Batch(x, labels, idx)
	}
}

// BenchmarkEmbeddedParse measures decoding the embedded subset (what the first
// call to Embedded costs).
func BenchmarkEmbeddedParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		mustParseEmbedded(embedded)
	}
}
