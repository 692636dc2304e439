package nn

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"

	"github.com/backprop-lab/backprop/internal/atomicfile"
)

// The saved-network format, version 1. All integers are unsigned 32-bit
// little-endian, all numbers IEEE-754 float64 little-endian:
//
//	magic    4 bytes  "BPNN"
//	version  uint32   1
//	layers   uint32   L, 1 ≤ L ≤ 1024
//	L times:
//	  n_in     uint32   1 ≤ n_in ≤ 65536 (equal to the previous layer's n_out)
//	  n_out    uint32   1 ≤ n_out ≤ 65536, n_in·n_out ≤ 2²⁴
//	  namelen  uint8    1 … 32
//	  name     namelen bytes, the activation's Name() ("relu", "softmax", …)
//	  W        n_out·n_in float64, row-major (row i holds the weights into unit i)
//	  b        n_out float64
//	crc      uint32   CRC-32 (IEEE) of every byte before it
//
// Nothing follows the checksum. Only networks of *Dense layers can be saved.
const (
	saveMagic    = "BPNN"
	saveVersion  = 1
	maxLayers    = 1024
	maxWidth     = 1 << 16
	maxLayerSize = 1 << 24
	maxNameLen   = 32
)

// Save writes the network's layer sizes, activations, weights and biases to w
// in the format described above.
func (n *Network) Save(w io.Writer) error {
	if len(n.Layers) == 0 || len(n.Layers) > maxLayers {
		return fmt.Errorf("nn: Save: cannot save a network of %d layers", len(n.Layers))
	}
	crc := crc32.NewIEEE()
	bw := bufio.NewWriter(io.MultiWriter(w, crc))
	le := binary.LittleEndian
	bw.WriteString(saveMagic)
	var buf [8]byte
	put32 := func(v uint32) { le.PutUint32(buf[:4], v); bw.Write(buf[:4]) }
	putF := func(f float64) { le.PutUint64(buf[:], math.Float64bits(f)); bw.Write(buf[:]) }
	put32(saveVersion)
	put32(uint32(len(n.Layers)))
	for s, l := range n.Layers {
		d, ok := l.(*Dense)
		if !ok {
			return fmt.Errorf("nn: Save: layer %d is a %T; only *Dense layers can be saved", s+1, l)
		}
		nIn, nOut := d.Dims()
		if nIn > maxWidth || nOut > maxWidth || nIn*nOut > maxLayerSize {
			return fmt.Errorf("nn: Save: layer %d is %d→%d, beyond the format's limits", s+1, nIn, nOut)
		}
		name := d.Act.Name()
		if _, err := ActivationByName(name); err != nil || len(name) > maxNameLen {
			return fmt.Errorf("nn: Save: layer %d: activation %q cannot be saved (not one of the package's)", s+1, name)
		}
		put32(uint32(nIn))
		put32(uint32(nOut))
		bw.WriteByte(byte(len(name)))
		bw.WriteString(name)
		for i := range nOut {
			for j := range nIn {
				putF(d.W.At(i, j))
			}
		}
		for i := range nOut {
			putF(d.B.At(i, 0))
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("nn: Save: %w", err)
	}
	le.PutUint32(buf[:4], crc.Sum32())
	if _, err := w.Write(buf[:4]); err != nil {
		return fmt.Errorf("nn: Save: %w", err)
	}
	return nil
}

// SaveFile saves the network to path atomically (internal/atomicfile): it
// writes a temporary file in the same directory, syncs it and renames it over
// path, so path holds either the old content or the complete new network,
// never a partial one.
func (n *Network) SaveFile(path string) error {
	f, err := atomicfile.Create(path, 0o644)
	if err != nil {
		return fmt.Errorf("nn: SaveFile: %w", err)
	}
	defer f.Abort()
	if err := n.Save(f); err != nil {
		return err
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("nn: SaveFile: %w", err)
	}
	return nil
}

// errTruncated marks input that ends too early.
var errTruncated = errors.New("unexpected end of data")

// Load reads a network written by Save. Every malformed input (wrong magic,
// unknown version, absurd or mismatched sizes, unknown activation, truncated
// data, bad checksum, trailing bytes) returns an error saying what is wrong.
func Load(r io.Reader) (*Network, error) {
	crc := crc32.NewIEEE()
	br := bufio.NewReader(r)
	tr := io.TeeReader(br, crc)
	le := binary.LittleEndian
	var buf [8]byte
	read := func(k int, what string) ([]byte, error) {
		if _, err := io.ReadFull(tr, buf[:k]); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, fmt.Errorf("nn: Load: %w while reading %s", errTruncated, what)
			}
			return nil, fmt.Errorf("nn: Load: reading %s: %w", what, err)
		}
		return buf[:k], nil
	}
	get32 := func(what string) (uint32, error) {
		b, err := read(4, what)
		if err != nil {
			return 0, err
		}
		return le.Uint32(b), nil
	}
	b, err := read(4, "the magic number")
	if err != nil {
		return nil, err
	}
	if string(b) != saveMagic {
		return nil, fmt.Errorf("nn: Load: not a saved network: magic %q, want %q", b, saveMagic)
	}
	v, err := get32("the version")
	if err != nil {
		return nil, err
	}
	if v != saveVersion {
		return nil, fmt.Errorf("nn: Load: format version %d is not supported (this package reads version %d)", v, saveVersion)
	}
	nl, err := get32("the layer count")
	if err != nil {
		return nil, err
	}
	if nl < 1 || nl > maxLayers {
		return nil, fmt.Errorf("nn: Load: layer count %d outside 1…%d", nl, maxLayers)
	}
	net := &Network{}
	prevOut := 0
	for s := 1; s <= int(nl); s++ {
		nIn32, err := get32(fmt.Sprintf("layer %d n_in", s))
		if err != nil {
			return nil, err
		}
		nOut32, err := get32(fmt.Sprintf("layer %d n_out", s))
		if err != nil {
			return nil, err
		}
		nIn, nOut := int(nIn32), int(nOut32)
		if nIn < 1 || nIn > maxWidth || nOut < 1 || nOut > maxWidth || nIn*nOut > maxLayerSize {
			return nil, fmt.Errorf("nn: Load: layer %d has absurd size %d→%d", s, nIn, nOut)
		}
		if s > 1 && nIn != prevOut {
			return nil, fmt.Errorf("nn: Load: layer %d takes %d inputs but layer %d gives %d outputs", s, nIn, s-1, prevOut)
		}
		prevOut = nOut
		lb, err := read(1, fmt.Sprintf("layer %d activation name length", s))
		if err != nil {
			return nil, err
		}
		nameLen := int(lb[0])
		if nameLen < 1 || nameLen > maxNameLen {
			return nil, fmt.Errorf("nn: Load: layer %d activation name length %d outside 1…%d", s, nameLen, maxNameLen)
		}
		name := make([]byte, nameLen)
		if _, err := io.ReadFull(tr, name); err != nil {
			return nil, fmt.Errorf("nn: Load: %w while reading layer %d activation name", errTruncated, s)
		}
		act, err := ActivationByName(string(name))
		if err != nil {
			return nil, fmt.Errorf("nn: Load: layer %d: %w", s, err)
		}
		d := NewDense(nIn, nOut, act)
		for _, dst := range [][]float64{d.W.RawMatrix().Data, d.B.RawMatrix().Data} {
			raw := make([]byte, 8*len(dst))
			if _, err := io.ReadFull(tr, raw); err != nil {
				return nil, fmt.Errorf("nn: Load: %w while reading layer %d parameters", errTruncated, s)
			}
			for i := range dst {
				dst[i] = math.Float64frombits(le.Uint64(raw[8*i:]))
			}
		}
		net.Layers = append(net.Layers, d)
	}
	want := crc.Sum32()
	if _, err := io.ReadFull(br, buf[:4]); err != nil {
		return nil, fmt.Errorf("nn: Load: %w while reading the checksum", errTruncated)
	}
	if got := le.Uint32(buf[:4]); got != want {
		return nil, fmt.Errorf("nn: Load: checksum mismatch (stored %08x, computed %08x): the data is corrupt", got, want)
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil, errors.New("nn: Load: unexpected data after the checksum")
	}
	return net, nil
}

// LoadFile reads a network saved with SaveFile (or Save) from path.
func LoadFile(path string) (*Network, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("nn: LoadFile: %w", err)
	}
	net, err := Load(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return net, nil
}
