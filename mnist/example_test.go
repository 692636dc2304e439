package mnist_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"strings"

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

// A -data flag's value, checked once at start-up.
func ExampleParseDataset() {
	for _, s := range []string{"MNIST", "fashion-mnist", "embedded", "cifar"} {
		d, err := mnist.ParseDataset(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%q → %s (%s)\n", s, d, d.Title())
	}
	// Output:
	// "MNIST" → mnist (MNIST)
	// "fashion-mnist" → fashion (Fashion-MNIST)
	// "embedded" → embedded (embedded MNIST subset)
	// mnist: unknown data set "cifar" (want mnist, fashion or embedded)
}

// testdata/tiny holds the four official file names with 4 training and 2
// test images of 3×2 pixels: the training files gzipped, the test files
// stored decompressed. The kind decides the class names.
func ExampleLoadDataset() {
	train, test, err := mnist.LoadDataset(mnist.Fashion, "testdata/tiny")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(train.Name)
	fmt.Printf("%d train and %d test images of %d×%d pixels\n", train.Len(), test.Len(), train.Rows, train.Cols)
	for i := range train.Len() {
		fmt.Printf("%d: %s\n", train.Label(i), train.ClassNames()[train.Label(i)])
	}

	// A directory without the files: the error names them and (after the
	// ";") says how to get them.
	_, _, err = mnist.LoadDataset(mnist.MNIST, "testdata/fuzz")
	msg, _, _ := strings.Cut(err.Error(), ";")
	fmt.Println(msg)
	// Output:
	// Fashion-MNIST train (4 examples from testdata/tiny)
	// 4 train and 2 test images of 3×2 pixels
	// 7: Sneaker
	// 0: T-shirt/top
	// 9: Ankle boot
	// 3: Dress
	// mnist: MNIST: train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz not found in testdata/fuzz (also looked for the names without .gz)
}

// A Set from two IDX files in memory: 2 images of 2×2 pixels and their
// labels.
func ExampleNewSet() {
	images, err := mnist.ParseIDX(bytes.NewReader([]byte{
		0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, // magic 2051, n = 2, 2×2
		0, 255, 255, 0, // image 0
		255, 0, 0, 255, // image 1
	}), "images")
	if err != nil {
		log.Fatal(err)
	}
	labels, err := mnist.ParseIDX(bytes.NewReader([]byte{0, 0, 8, 1, 0, 0, 0, 2, 1, 0}), "labels")
	if err != nil {
		log.Fatal(err)
	}
	set, err := mnist.NewSet(images, labels, mnist.MNIST, "two diagonals")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(set.Name, set.Len(), set.Dim(), set.Image(1), set.Label(1))

	labels.Data[0] = 10
	_, err = mnist.NewSet(images, labels, mnist.MNIST, "bad")
	fmt.Println(err)
	// Output:
	// two diagonals 2 4 [255 0 0 255] 0
	// mnist: labels: label 10 of example 0 is out of range 0..9
}

// The pinned files that Download fetches, and where from.
func ExampleFiles() {
	for _, f := range mnist.Files(mnist.MNIST) {
		fmt.Printf("%-28s %8d bytes  sha256 %.12s…\n", f.Name, f.Size, f.SHA256)
	}
	fmt.Println("embedded subset:", mnist.Files(mnist.EmbeddedSubset))
	// Output:
	// train-images-idx3-ubyte.gz    9912422 bytes  sha256 440fcabf73cc…
	// train-labels-idx1-ubyte.gz      28881 bytes  sha256 3552534a0a55…
	// t10k-images-idx3-ubyte.gz     1648877 bytes  sha256 8d422c7b0a1c…
	// t10k-labels-idx1-ubyte.gz        4542 bytes  sha256 f7ae60f92e00…
	// embedded subset: []
}

func ExampleMirrors() {
	for _, kind := range []mnist.Dataset{mnist.MNIST, mnist.Fashion} {
		m := mnist.Mirrors(kind)
		fmt.Printf("%s: %d mirror(s), first %s\n", kind.Title(), len(m), m[0])
	}
	// Output:
	// MNIST: 3 mirror(s), first https://ossci-datasets.s3.amazonaws.com/mnist/
	// Fashion-MNIST: 2 mirror(s), first http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/
}
