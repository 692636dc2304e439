package mnist

import (
	"bytes"
	"testing"
)

// fuzzSeeds returns the seed inputs for FuzzParseIDX, valid and invalid;
// they are also stored in testdata/fuzz/FuzzParseIDX/ (see TestGoldenFiles).
func fuzzSeeds(t testing.TB) map[string][]byte {
	images := imagesIDX(2, 3, 2)
	return map[string][]byte{
		"valid-labels":       labelsIDX(3, 1, 4, 1, 5),
		"valid-images":       images,
		"valid-images-gzip":  gz(t, images),
		"valid-labels-gzip":  gz(t, labelsIDX(9, 2, 6)),
		"truncated-payload":  images[:len(images)-3],
		"trailing-garbage":   cat(labelsIDX(1), []byte{0xff}),
		"wrong-dtype":        idxBytes(0x00000D01, []uint32{1}, []byte{0, 0, 0, 0}),
		"absurd-dims":        idxBytes(magicImages, []uint32{MaxExamples, MaxSide, MaxSide}, nil),
		"gzip-truncated":     gz(t, images)[:15],
		"not-idx":            []byte("hello"),
		"lying-header":       idxBytes(magicImages, []uint32{60000, 28, 28}, []byte{1, 2, 3}),
		"gzip-trailing-junk": cat(gz(t, labelsIDX(0)), []byte("junk")),
	}
}

// FuzzParseIDX checks that ParseIDX never panics and that what it accepts is
// consistent with its input: the payload length is the product of the
// dimensions, the dimensions are within the limits, and for raw (non-gzip)
// input the header plus payload is exactly the input.
func FuzzParseIDX(f *testing.F) {
	for _, b := range fuzzSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		x, err := ParseIDX(bytes.NewReader(in), "fuzz")
		if err != nil {
			if x != nil {
				t.Fatalf("error %v with non-nil result", err)
			}
			if _, ok := err.(*FormatError); !ok {
				t.Fatalf("error %v is %T, want *FormatError", err, err)
			}
			return
		}
		if len(x.Dims) != 1 && len(x.Dims) != 3 {
			t.Fatalf("dims %v: want 1 or 3 of them", x.Dims)
		}
		size := 1
		for i, d := range x.Dims {
			if d < 1 || (i == 0 && d > MaxExamples) || (i > 0 && d > MaxSide) {
				t.Fatalf("dimension %d = %d out of limits", i, d)
			}
			size *= d
		}
		if len(x.Data) != size {
			t.Fatalf("len(Data) = %d, dims %v imply %d", len(x.Data), x.Dims, size)
		}
		if len(in) >= 2 && in[0] == 0x1f && in[1] == 0x8b {
			return // gzip: the decompressed length is checked above
		}
		hdr := 4 + 4*len(x.Dims)
		if len(in) != hdr+size {
			t.Fatalf("accepted %d input bytes, header %d + payload %d = %d", len(in), hdr, size, hdr+size)
		}
		if !bytes.Equal(in[hdr:], x.Data) {
			t.Fatal("Data differs from the input's payload")
		}
	})
}
