package mnist_test

import (
	"bytes"
	"context"
	"fmt"
	"log"

	"github.com/backprop-lab/backprop/mnist"
)

func ExampleEmbedded() {
	train, test := mnist.Embedded()
	fmt.Println(train.Name)
	fmt.Println(train.Len(), test.Len(), train.Dim())
	fmt.Println("first label:", train.Label(0))
	// Output:
	// embedded MNIST subset (10000 train / 2000 test), train
	// 10000 2000 784
	// first label: 5
}

func ExampleSet_Batch() {
	train, _ := mnist.Embedded()
	idx := []int{0, 1, 2}               // which examples, e.g. from a shuffled permutation
	x := make([]float64, 3*train.Dim()) // 3×784, one example per row; reused across batches
	labels := make([]int, 3)
	train.Batch(x, labels, idx)
	row0 := x[:train.Dim()]
	ink := 0
	for _, v := range row0 {
		if v > 0.5 {
			ink++
		}
	}
	fmt.Println("labels:", labels)
	centre := 14*train.Cols + 14 // pixel (14,14), row-major
	fmt.Printf("row 0: %d of %d pixels above 0.5; centre %.4f = %d/255\n", ink, len(row0), row0[centre], train.Image(0)[centre])
	// Output:
	// labels: [5 0 4]
	// row 0: 111 of 784 pixels above 0.5; centre 0.9412 = 240/255
}

func ExampleParseIDX() {
	// A label file: magic 2049, n = 3, then the labels.
	raw := []byte{0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1}
	idx, err := mnist.ParseIDX(bytes.NewReader(raw), "labels")
	fmt.Println(idx.Dims, idx.Data, err)

	_, err = mnist.ParseIDX(bytes.NewReader(raw[:10]), "short-labels")
	fmt.Println(err)
	// Output:
	// [3] [7 2 1] <nil>
	// mnist: short-labels: truncated payload (header [3] implies 3 bytes)
}

func ExampleOpen() {
	// No network: a directory, $BACKPROP_DATA, the cache, else the embedded subset.
	train, test, source, err := mnist.Open(mnist.MNIST, "")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("using", source)
	fmt.Println(train.Len(), test.Len())
}

func ExampleFetch() {
	// Downloads (once; later calls use the verified cache) into
	// os.UserCacheDir()/backprop/fashion-mnist, reporting progress.
	train, test, err := mnist.Fetch(context.Background(), mnist.Fashion, "",
		mnist.WithProgress(func(p mnist.Progress) {
			if p.Done == p.Total {
				fmt.Println(p.File, "done")
			}
		}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(train.Len(), test.Len(), train.ClassNames()[train.Label(0)])
}
