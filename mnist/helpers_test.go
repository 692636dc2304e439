package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"testing"
)

// idxBytes returns a raw IDX file: magic, dims (big-endian uint32) and payload.
func idxBytes(magic uint32, dims []uint32, payload []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, payload...)
}

// imagesIDX returns a raw image IDX file with n×rows×cols pixels p[i] = byte(i*37).
func imagesIDX(n, rows, cols int) []byte {
	p := make([]byte, n*rows*cols)
	for i := range p {
		p[i] = byte(i * 37)
	}
	return idxBytes(magicImages, []uint32{uint32(n), uint32(rows), uint32(cols)}, p)
}

// labelsIDX returns a raw label IDX file holding labels.
func labelsIDX(labels ...byte) []byte {
	return idxBytes(magicLabels, []uint32{uint32(len(labels))}, labels)
}

// gz compresses b.
func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// cat concatenates byte slices into a new slice.
func cat(bs ...[]byte) []byte {
	var out []byte
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}
