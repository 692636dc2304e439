// Command mkembed writes the MNIST subset that package mnist embeds: the
// first -train training and first -test test examples of the official files
// in -src, as gzip (level 9) IDX files with the official names, into -out.
//
// Run it from the module root:
//
//	go run ./mnist/internal/mkembed -src /path/to/mnist
//
// The output is reproducible for a given Go version: the gzip header carries
// no name and no time stamp. Each file is written to a temporary file and
// renamed into place, so an interrupted run leaves the old files intact.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/backprop-lab/backprop/internal/atomicfile"
)

func main() {
	src := flag.String("src", "", "directory holding the official MNIST files (required)")
	out := flag.String("out", filepath.Join("mnist", "embedded"), "output directory")
	nTrain := flag.Int("train", 10000, "number of training examples to keep")
	nTest := flag.Int("test", 2000, "number of test examples to keep")
	flag.Parse()
	if *src == "" {
		fmt.Fprintln(os.Stderr, "mkembed: -src is required")
		flag.Usage()
		os.Exit(2)
	}
	jobs := []struct {
		name string
		n    int
	}{
		{"train-images-idx3-ubyte.gz", *nTrain},
		{"train-labels-idx1-ubyte.gz", *nTrain},
		{"t10k-images-idx3-ubyte.gz", *nTest},
		{"t10k-labels-idx1-ubyte.gz", *nTest},
	}
	total := 0
	for _, j := range jobs {
		size, err := subset(filepath.Join(*src, j.name), filepath.Join(*out, j.name), j.n)
		if err != nil {
			fmt.Fprintln(os.Stderr, "mkembed:", err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d examples, %d bytes\n", j.name, j.n, size)
		total += size
	}
	fmt.Printf("total: %d bytes\n", total)
}

// subset writes the first n records of the gzip IDX file src to dst and
// returns dst's size.
func subset(src, dst string, n int) (int, error) {
	f, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", src, err)
	}
	var hdr [16]byte
	if _, err := io.ReadFull(zr, hdr[:8]); err != nil {
		return 0, fmt.Errorf("%s: header: %w", src, err)
	}
	var record int // bytes per example
	var hlen int
	switch magic := binary.BigEndian.Uint32(hdr[:4]); magic {
	case 2049:
		record, hlen = 1, 8
	case 2051:
		if _, err := io.ReadFull(zr, hdr[8:16]); err != nil {
			return 0, fmt.Errorf("%s: header: %w", src, err)
		}
		record = int(binary.BigEndian.Uint32(hdr[8:12]) * binary.BigEndian.Uint32(hdr[12:16]))
		hlen = 16
	default:
		return 0, fmt.Errorf("%s: magic %d, want 2049 or 2051", src, magic)
	}
	if have := int(binary.BigEndian.Uint32(hdr[4:8])); n <= 0 || n > have {
		return 0, fmt.Errorf("%s: cannot keep %d of %d examples", src, n, have)
	}
	binary.BigEndian.PutUint32(hdr[4:8], uint32(n))
	payload := make([]byte, n*record)
	if _, err := io.ReadFull(zr, payload); err != nil {
		return 0, fmt.Errorf("%s: payload: %w", src, err)
	}

	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	zw.Write(hdr[:hlen])
	zw.Write(payload)
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return buf.Len(), atomicfile.WriteFile(dst, buf.Bytes(), 0o644)
}
