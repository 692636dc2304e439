package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestParseIDXValid(t *testing.T) {
	images := imagesIDX(3, 2, 5)
	labels := labelsIDX(1, 9, 0)
	for _, tc := range []struct {
		name     string
		in       []byte
		wantDims []int
		want     []byte
	}{
		{"raw images", images, []int{3, 2, 5}, images[16:]},
		{"gzip images", gz(t, images), []int{3, 2, 5}, images[16:]},
		{"raw labels", labels, []int{3}, []byte{1, 9, 0}},
		{"gzip labels", gz(t, labels), []int{3}, []byte{1, 9, 0}},
		// Labels above 9 are a data-set error (NewSet), not an IDX error.
		{"raw byte values", labelsIDX(255, 10), []int{2}, []byte{255, 10}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseIDX(bytes.NewReader(tc.in), "x.idx")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Dims, tc.wantDims) || !bytes.Equal(got.Data, tc.want) || got.Name != "x.idx" {
				t.Errorf("got %q %v %v, want %v %v", got.Name, got.Dims, got.Data, tc.wantDims, tc.want)
			}
		})
	}
}

func TestParseIDXMalformed(t *testing.T) {
	images := imagesIDX(2, 3, 4) // 16-byte header + 24 bytes
	labels := labelsIDX(3, 1, 4)
	corrupt := gz(t, images)
	corrupt[len(corrupt)-12] ^= 0xff // inside the deflate data or its CRC: either way an error
	badCRC := gz(t, labels)
	badCRC[len(badCRC)-8] ^= 0x01 // CRC-32 of the uncompressed data
	for _, tc := range []struct {
		name string
		in   []byte
		want string // substring of the error
	}{
		{"empty", nil, "truncated header"},
		{"truncated magic", images[:3], "truncated header"},
		{"truncated dims", images[:10], "truncated header"},
		{"no payload", images[:16], "truncated payload"},
		{"truncated payload", images[:len(images)-1], "truncated payload"},
		{"trailing garbage", cat(images, []byte{0}), "trailing data"},
		{"labels trailing garbage", cat(labels, []byte("junk")), "trailing data"},
		{"wrong magic", idxBytes(0x01020304, nil, nil), "not an IDX file"},
		{"text file", []byte("hello, world\n"), "not an IDX file"},
		{"wrong dtype float32", idxBytes(0x00000D03, []uint32{1, 1, 1}, make([]byte, 4)), "data type 0x0d (float32) not supported"},
		{"wrong dtype signed", idxBytes(0x00000901, []uint32{1}, []byte{1}), "data type 0x09"},
		{"two dims", idxBytes(0x00000802, []uint32{2, 2}, make([]byte, 4)), "2 dimensions not supported"},
		{"zero dims", idxBytes(0x00000800, nil, nil), "0 dimensions not supported"},
		{"zero examples", idxBytes(magicLabels, []uint32{0}, nil), "0 examples"},
		{"absurd n", idxBytes(magicLabels, []uint32{MaxExamples + 1}, nil), "absurd number of examples 10000001"},
		{"absurd n uint32 max", idxBytes(magicImages, []uint32{0xffffffff, 28, 28}, nil), "absurd number of examples"},
		{"absurd rows", idxBytes(magicImages, []uint32{1, 2000, 28}, nil), "absurd image side 2000 in dimension 1"},
		{"zero cols", idxBytes(magicImages, []uint32{1, 28, 0}, nil), "absurd image side 0 in dimension 2"},
		{"total too big", idxBytes(magicImages, []uint32{MaxExamples, MaxSide, MaxSide}, nil), "over the limit"},
		{"gzip truncated header", gz(t, images)[:5], "corrupt gzip header"},
		{"gzip truncated stream", gz(t, images)[:20], "truncated"},
		{"gzip corrupt stream", corrupt, "gzip"},
		{"gzip bad checksum", badCRC, "gzip"},
		{"gzip truncated payload", gz(t, images[:30]), "truncated payload"},
		{"gzip trailing payload", gz(t, cat(images, []byte{1, 2})), "trailing data"},
		{"gzip then garbage", cat(gz(t, labels), []byte("garbage")), "trailing data after the gzip stream"},
		{"gzip two members", cat(gz(t, labels), gz(t, labels)), "trailing data after the gzip stream"},
		// Only the first gzip member is read, so a file split over two is short.
		{"gzip split over two members", cat(gz(t, labels[:5]), gz(t, labels[5:])), "truncated header"},
		{"gzip without trailer", gz(t, labels)[:len(gz(t, labels))-8], "truncated gzip stream"},
		{"gzip of text", gz(t, []byte("not idx at all")), "not an IDX file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseIDX(bytes.NewReader(tc.in), "bad.gz")
			if err == nil {
				t.Fatalf("no error; got dims %v", got.Dims)
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Errorf("error %v (%T) is not a *FormatError", err, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "mnist: bad.gz: ") {
				t.Errorf("error %q does not name the file", msg)
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not contain %q", msg, tc.want)
			}
		})
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// A gzip bomb whose header claims 4 bytes must be rejected after reading only
// a little of the compressed stream, not after inflating all of it.
func TestParseIDXGzipBomb(t *testing.T) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(idxBytes(magicLabels, []uint32{4}, nil))
	zeros := make([]byte, 1<<20)
	for range 256 { // 256 MiB of zeros, ~250 KiB compressed
		zw.Write(zeros)
	}
	zw.Close()
	cr := &countingReader{r: bytes.NewReader(buf.Bytes())}
	_, err := ParseIDX(cr, "bomb.gz")
	if err == nil || !strings.Contains(err.Error(), "trailing data") {
		t.Fatalf("err = %v, want trailing data", err)
	}
	// ParseIDX buffers 64 KiB of input; allow twice that.
	if cr.n > 128<<10 || cr.n >= buf.Len() {
		t.Errorf("read %d of %d compressed bytes; want it to stop early", cr.n, buf.Len())
	}
}

// A header that claims far more data than the input holds must not make
// ParseIDX allocate for the claim.
func TestParseIDXLyingHeaderAllocatesLittle(t *testing.T) {
	in := idxBytes(magicImages, []uint32{60000, 28, 28}, []byte{1, 2, 3})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 10 {
		if _, err := ParseIDX(bytes.NewReader(in), "liar"); err == nil {
			t.Fatal("no error")
		}
	}
	runtime.ReadMemStats(&after)
	// 64 KiB first buffer + 64 KiB bufio + small change; the claim is 47 MB.
	if per := (after.TotalAlloc - before.TotalAlloc) / 10; per > 256<<10 {
		t.Errorf("ParseIDX allocated %d bytes per call for a 19-byte input claiming 47 MB", per)
	}
}

// Golden files: tiny IDX files in testdata/, checked byte for byte against the
// generators above and parsed back. go test -run Golden -update rewrites them.
func TestGoldenFiles(t *testing.T) {
	for name, want := range goldenFiles(t) {
		path := filepath.Join("testdata", filepath.FromSlash(name))
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -run Golden -update to create it)", err)
		}
		if !bytes.Equal(gunzipIfGzip(t, got), gunzipIfGzip(t, want)) {
			t.Errorf("%s differs from its generator (go test -run Golden -update rewrites it)", path)
		}
	}
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// gunzipIfGzip returns b decompressed if it is gzip, else b. Golden .gz files
// are compared by content, so a change in compress/flate's output between Go
// versions does not break the test.
func gunzipIfGzip(t *testing.T, b []byte) []byte {
	t.Helper()
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		return b
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// goldenFiles returns the contents of the files under testdata/, by slash path.
func goldenFiles(t *testing.T) map[string][]byte {
	files := map[string][]byte{
		// A tiny data set in the official layout: 4 training and 2 test
		// examples of 3×2 pixels; training files gzipped, test files raw and
		// named without .gz.
		"tiny/train-images-idx3-ubyte.gz": gz(t, imagesIDX(4, 3, 2)),
		"tiny/train-labels-idx1-ubyte.gz": gz(t, labelsIDX(7, 0, 9, 3)),
		"tiny/t10k-images-idx3-ubyte":     imagesIDX(2, 3, 2),
		"tiny/t10k-labels-idx1-ubyte":     labelsIDX(1, 2),
		// Raw IDX under a .gz name: gzip is detected by content, so it parses.
		"raw-named-gz-idx1-ubyte.gz": labelsIDX(5, 6),
		// Neither gzip nor IDX under a .gz name.
		"not-gzip-idx1-ubyte.gz": []byte("this is not gzip\n"),
	}
	// Seed corpus for FuzzParseIDX, in the go test fuzz v1 format.
	for name, b := range fuzzSeeds(t) {
		files["fuzz/FuzzParseIDX/"+name] = []byte(fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b))
	}
	return files
}

func TestGoldenTinyParse(t *testing.T) {
	for _, tc := range []struct {
		file     string
		wantDims []int
		wantData []byte
	}{
		{"tiny/train-images-idx3-ubyte.gz", []int{4, 3, 2}, imagesIDX(4, 3, 2)[16:]},
		{"tiny/train-labels-idx1-ubyte.gz", []int{4}, []byte{7, 0, 9, 3}},
		{"tiny/t10k-images-idx3-ubyte", []int{2, 3, 2}, imagesIDX(2, 3, 2)[16:]},
		{"tiny/t10k-labels-idx1-ubyte", []int{2}, []byte{1, 2}},
		{"raw-named-gz-idx1-ubyte.gz", []int{2}, []byte{5, 6}},
	} {
		path := filepath.Join("testdata", filepath.FromSlash(tc.file))
		got, err := parseFile(path)
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
			continue
		}
		if got.Name != path || !slices.Equal(got.Dims, tc.wantDims) || !bytes.Equal(got.Data, tc.wantData) {
			t.Errorf("%s: got %q %v %v, want %v %v", tc.file, got.Name, got.Dims, got.Data, tc.wantDims, tc.wantData)
		}
	}
	path := filepath.Join("testdata", "not-gzip-idx1-ubyte.gz")
	_, err := parseFile(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "not an IDX file") {
		t.Errorf("%s: err = %v, want it to name the file and say it is not IDX", path, err)
	}
}

// TestParseFileDeclaredSize: a file whose own size (raw) or gzip trailer
// agrees with its header is read into one exact buffer; a short raw file is
// truncated, and a gzip trailer forged to agree with a header that claims
// more than the file holds fails gzip's own length and checksum check.
func TestParseFileDeclaredSize(t *testing.T) {
	dir := t.TempDir()
	good := imagesIDX(3, 2, 2)
	short := idxBytes(magicImages, []uint32{3, 2, 2}, make([]byte, 8)) // claims 12 bytes, holds 8
	forged := gz(t, short)
	binary.LittleEndian.PutUint32(forged[len(forged)-4:], uint32(16+12))
	for _, tc := range []struct {
		name string
		data []byte
		want string // "" for success
	}{
		{"raw.idx", good, ""},
		{"good.gz", gz(t, good), ""},
		{"short.idx", short, "truncated"},
		{"forged.gz", forged, "corrupt gzip"},
	} {
		path := filepath.Join(dir, tc.name)
		if err := os.WriteFile(path, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		idx, err := parseFile(path)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want == "" && (len(idx.Data) != 12 || cap(idx.Data) != 12):
			t.Errorf("%s: payload len %d cap %d, want exactly 12", tc.name, len(idx.Data), cap(idx.Data))
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: got %v, want an error about %q", tc.name, err, tc.want)
		}
	}
}
