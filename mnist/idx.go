package mnist

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// Limits applied to IDX headers before any payload is allocated. A header
// that exceeds them is rejected as malformed; real MNIST-family files are far
// below them (60 000 × 28 × 28 = 47 040 000 bytes).
const (
	// MaxExamples is the largest first dimension (number of examples) accepted.
	MaxExamples = 10_000_000
	// MaxSide is the largest image side (rows or columns) accepted.
	MaxSide = 1024
	// MaxPayload is the largest payload (product of all dimensions, in bytes) accepted.
	MaxPayload = 1 << 30
)

// IDX type byte for unsigned bytes, the only one MNIST-family files use.
const idxUnsignedByte = 0x08

// Magic numbers of the two IDX kinds MNIST uses (big-endian uint32 at offset 0).
const (
	magicImages = 0x00000803 // 2051: unsigned bytes, 3 dimensions (n, rows, cols)
	magicLabels = 0x00000801 // 2049: unsigned bytes, 1 dimension (n)
)

// IDX is one parsed IDX file of unsigned bytes.
//
// Dims is [n] for a label file and [n, rows, cols] for an image file; Data
// holds the product of Dims bytes in row-major order.
type IDX struct {
	Name string // file name used in error messages ("" if unknown)
	Dims []int  // dimensions, outermost first
	Data []byte // payload, len(Data) == product of Dims
}

// FormatError reports malformed IDX data or an inconsistent data set.
// Every parse failure in this package is a *FormatError (possibly wrapping an
// I/O or gzip error), so callers can tell bad data from a missing file with
// errors.As.
type FormatError struct {
	File string // file name, "" if unknown
	Msg  string // what is wrong
	Err  error  // underlying error, if any
}

// Error implements error.
func (e *FormatError) Error() string {
	s := "mnist: "
	if e.File != "" {
		s += e.File + ": "
	}
	s += e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *FormatError) Unwrap() error { return e.Err }

func formatErr(file string, err error, format string, args ...any) error {
	return &FormatError{File: file, Msg: fmt.Sprintf(format, args...), Err: err}
}

// ParseIDX reads one IDX file of unsigned bytes from r. The input may be
// gzip-compressed or raw; gzip is detected by its magic bytes 0x1f 0x8b, not
// by the file name. name is used only in error messages.
//
// ParseIDX accepts magic 2051 (images: n, rows, cols) and 2049 (labels: n),
// checks the data type byte (0x08, unsigned byte) and the limits MaxExamples,
// MaxSide and MaxPayload before allocating, and requires the payload to have
// exactly the length the header implies: a short payload or trailing bytes is
// an error, and so is anything after the first gzip member. It never reads (or decompresses) more than one byte past the
// implied size, so a gzip bomb costs at most MaxPayload bytes of work.
// Memory grows with the data actually read, not with what the header claims.
func ParseIDX(r io.Reader, name string) (*IDX, error) {
	return parseIDX(r, name, -1)
}

// parseIDX is ParseIDX with the size the input itself declares for its
// uncompressed content (the file size of a raw file, the ISIZE trailer of a
// gzip file; -1 if unknown). When that agrees exactly with the header, the
// payload is read into one buffer of the right size instead of a growing
// one, which halves the memory a large file needs while loading.
func parseIDX(r io.Reader, name string, declared int64) (*IDX, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var src io.Reader = br
	compressed := false
	if m, err := br.Peek(2); err == nil && m[0] == 0x1f && m[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, formatErr(name, err, "corrupt gzip header")
		}
		defer zr.Close()
		zr.Multistream(false) // one member; anything after it is trailing data
		src, compressed = zr, true
	}
	rerr := func(err error, what string) error {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return formatErr(name, nil, "truncated %s", what)
		}
		if compressed {
			return formatErr(name, err, "corrupt gzip stream while reading %s", what)
		}
		return formatErr(name, err, "error reading %s", what)
	}

	var hdr [4]byte
	if _, err := io.ReadFull(src, hdr[:]); err != nil {
		return nil, rerr(err, "header (want at least 4 bytes of magic number)")
	}
	magic := binary.BigEndian.Uint32(hdr[:])
	if hdr[0] != 0 || hdr[1] != 0 {
		return nil, formatErr(name, nil, "not an IDX file: magic number 0x%08x, want 0x%08x (2051, images) or 0x%08x (2049, labels)", magic, magicImages, magicLabels)
	}
	if hdr[2] != idxUnsignedByte {
		return nil, formatErr(name, nil, "IDX data type 0x%02x (%s) not supported, want 0x08 (unsigned byte)", hdr[2], idxTypeName(hdr[2]))
	}
	if magic != magicImages && magic != magicLabels {
		return nil, formatErr(name, nil, "IDX file with %d dimensions not supported: magic %d, want 2051 (images: n, rows, cols) or 2049 (labels: n)", hdr[3], magic)
	}
	nd := int(hdr[3])
	var dimBuf [12]byte
	if _, err := io.ReadFull(src, dimBuf[:4*nd]); err != nil {
		return nil, rerr(err, fmt.Sprintf("header (want %d bytes of dimensions)", 4*nd))
	}
	dims := make([]int, nd)
	size := uint64(1)
	for i := range dims {
		d := binary.BigEndian.Uint32(dimBuf[4*i:])
		switch {
		case i == 0 && d == 0:
			return nil, formatErr(name, nil, "header says 0 examples")
		case i == 0 && d > MaxExamples:
			return nil, formatErr(name, nil, "absurd number of examples %d (limit %d)", d, MaxExamples)
		case i > 0 && (d == 0 || d > MaxSide):
			return nil, formatErr(name, nil, "absurd image side %d in dimension %d (want 1..%d)", d, i, MaxSide)
		}
		dims[i] = int(d)
		size *= uint64(d) // ≤ 1e7 · 1024 · 1024 ≈ 1e13: cannot overflow uint64
	}
	if size > MaxPayload {
		return nil, formatErr(name, nil, "dimensions %v imply %d bytes, over the limit of %d", dims, size, MaxPayload)
	}
	var data []byte
	var err error
	if declared == int64(4+4*nd)+int64(size) {
		data = make([]byte, size)
		var m int
		m, err = io.ReadFull(src, data)
		data = data[:m]
	} else {
		data, err = readExactly(src, int(size))
	}
	if err != nil {
		return nil, rerr(err, fmt.Sprintf("payload (header %v implies %d bytes)", dims, size))
	}
	if len(data) < int(size) {
		return nil, formatErr(name, nil, "truncated payload: header %v implies %d bytes, got %d", dims, size, len(data))
	}
	// Exactly one more byte must fail with EOF. For gzip input this read also
	// makes the reader check the stream's CRC-32 and length trailer.
	var extra [1]byte
	switch n, err := io.ReadFull(src, extra[:]); {
	case n > 0:
		return nil, formatErr(name, nil, "trailing data after the %d-byte payload that header %v implies", size, dims)
	case err == io.EOF:
	case compressed && errors.Is(err, io.ErrUnexpectedEOF):
		return nil, formatErr(name, nil, "truncated gzip stream: the payload is complete but the stream's end and checksum are missing")
	case compressed:
		return nil, formatErr(name, err, "corrupt gzip stream after the payload")
	default:
		return nil, formatErr(name, err, "error reading past the payload")
	}
	if compressed {
		if _, err := br.ReadByte(); err == nil {
			return nil, formatErr(name, nil, "trailing data after the gzip stream (concatenated gzip members are not accepted)")
		}
	}
	return &IDX{Name: name, Dims: dims, Data: data}, nil
}

// parseFile parses the IDX file at path (gzip or raw); errors name path.
func parseFile(path string) (*IDX, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	defer f.Close()
	return parseIDX(f, path, declaredSize(f))
}

// declaredSize returns the size f says its uncompressed content has: the
// ISIZE field of a gzip file's trailer (its last 4 bytes, the size modulo
// 2³²; MaxPayload is far below 2³²) or a raw file's size; -1 if it cannot
// tell. It leaves f's offset at 0.
func declaredSize(f *os.File) int64 {
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() < 4 {
		return -1
	}
	var b [4]byte
	if _, err := f.ReadAt(b[:2], 0); err != nil {
		return -1
	}
	if b[0] != 0x1f || b[1] != 0x8b {
		return st.Size()
	}
	if _, err := f.ReadAt(b[:], st.Size()-4); err != nil {
		return -1
	}
	return int64(binary.LittleEndian.Uint32(b[:]))
}

// readExactly reads up to n bytes from r, growing its buffer with the data
// actually read (so a lying header cannot force a huge allocation). It
// returns fewer than n bytes only together with io.ErrUnexpectedEOF or
// another error.
func readExactly(r io.Reader, n int) ([]byte, error) {
	const first = 64 << 10
	buf := make([]byte, 0, min(n, first))
	for len(buf) < n {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(n, 2*cap(buf)))
			copy(grown, buf)
			buf = grown
		}
		m, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return buf, err
		}
	}
	return buf, nil
}

func idxTypeName(t byte) string {
	switch t {
	case 0x08:
		return "unsigned byte"
	case 0x09:
		return "signed byte"
	case 0x0B:
		return "int16"
	case 0x0C:
		return "int32"
	case 0x0D:
		return "float32"
	case 0x0E:
		return "float64"
	}
	return "unknown type"
}
