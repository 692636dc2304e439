package nn

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	net := randomBiases(MustNew(Config{Sizes: []int{7, 5, 4, 3}, Hidden: Tanh, Seed: 3}), 4)
	var buf bytes.Buffer
	if err := net.Save(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if want := 4 + 4 + 4 + 3*(4+4+1) + len("tanh")*2 + len("softmax") + 8*(7*5+5+5*4+4+4*3+3) + 4; buf.Len() != want {
		t.Errorf("saved %d bytes, the documented format gives %d", buf.Len(), want)
	}
	for s := range net.Layers {
		a, b := net.Dense(s+1), got.Dense(s+1)
		if a.Act != b.Act {
			t.Errorf("layer %d activation %s, loaded %s", s+1, a.Act.Name(), b.Act.Name())
		}
		for _, pair := range [][2][]float64{{a.W.RawMatrix().Data, b.W.RawMatrix().Data}, {a.B.RawMatrix().Data, b.B.RawMatrix().Data}} {
			for i := range pair[0] {
				if math.Float64bits(pair[0][i]) != math.Float64bits(pair[1][i]) {
					t.Fatalf("layer %d parameter %d: %v loaded as %v", s+1, i, pair[0][i], pair[1][i])
				}
			}
		}
	}
}

// saved returns a valid saved 3→2 softmax network.
func saved(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := MustNew(Config{Sizes: []int{3, 2}, Seed: 1}).Save(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// resum recomputes the trailing checksum so that a test reaches the check it
// targets rather than the checksum.
func resum(b []byte) []byte {
	binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
	return b
}

func TestLoadRejectsMalformedInput(t *testing.T) {
	good := saved(t)
	edit := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	le := binary.LittleEndian
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "unexpected end of data while reading the magic"},
		{"wrong magic", edit(func(b []byte) []byte { copy(b, "PNG\x89"); return b }), "not a saved network"},
		{"future version", edit(func(b []byte) []byte { le.PutUint32(b[4:], 2); return resum(b) }), "version 2"},
		{"zero layers", edit(func(b []byte) []byte { le.PutUint32(b[8:], 0); return resum(b) }), "layer count 0"},
		{"absurd width", edit(func(b []byte) []byte { le.PutUint32(b[12:], 1<<30); return resum(b) }), "absurd size"},
		{"unknown activation", edit(func(b []byte) []byte { copy(b[21:], "xoftmax"); return resum(b) }), `unknown activation "xoftmax"`},
		{"truncated weights", good[:40], "unexpected end of data while reading layer 1 parameters"},
		{"no checksum", good[:len(good)-4], "checksum"},
		{"flipped bit", edit(func(b []byte) []byte { b[40] ^= 1; return b }), "checksum mismatch"},
		{"trailing data", append(bytes.Clone(good), 0), "after the checksum"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(bytes.NewReader(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestLoadRejectsChainMismatch(t *testing.T) {
	var buf bytes.Buffer
	net := MustNew(Config{Sizes: []int{3, 4, 2}, Seed: 1})
	net.Layers[1] = NewDense(5, 2, Softmax) // 3→4 then 5→2
	if err := net.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(&buf); err == nil || !strings.Contains(err.Error(), "layer 2 takes 5 inputs but layer 1 gives 4") {
		t.Errorf("got %v", err)
	}
}

func TestSaveFileIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "net.bpnn")
	net := MustNew(Config{Sizes: []int{3, 2}, Seed: 1})
	if err := net.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	// A network that cannot be saved must leave the old file and no
	// temporary file behind.
	bad := &Network{Layers: []Layer{badLayer{}}}
	if err := bad.SaveFile(path); err == nil {
		t.Fatal("saving a non-Dense layer succeeded")
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("a failed save changed the existing file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after a failed save, want 1", len(entries))
	}
	if _, err := LoadFile(path); err != nil {
		t.Error(err)
	}
	if _, err := LoadFile(filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing file: got %v", err)
	}
}

type badLayer struct{ Layer }

// FuzzLoad feeds arbitrary bytes to Load: it must return a network or an
// error, never panic, and a network it returns must save back to the same
// bytes.
func FuzzLoad(f *testing.F) {
	var buf bytes.Buffer
	MustNew(Config{Sizes: []int{3, 2, 2}, Seed: 1}).Save(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte("BPNN"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		net, err := Load(bytes.NewReader(data))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := net.Save(&out); err != nil {
			t.Fatalf("loaded network does not save: %v", err)
		}
		if !bytes.Equal(out.Bytes(), data) {
			t.Fatal("loaded network saves to different bytes")
		}
	})
}
