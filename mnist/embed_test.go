package mnist

import (
	"io/fs"
	"testing"
	"testing/fstest"
)

func TestEmbedded(t *testing.T) {
	train, test := Embedded()
	if train.Len() != 10000 || test.Len() != 2000 || train.Rows != 28 || train.Cols != 28 || test.Dim() != 784 {
		t.Fatalf("train %d×%d×%d, test %d×%d×%d", train.N, train.Rows, train.Cols, test.N, test.Rows, test.Cols)
	}
	if train.Kind != EmbeddedSubset || train.Name != "embedded MNIST subset (10000 train / 2000 test), train" ||
		test.Name != "embedded MNIST subset (10000 train / 2000 test), test" {
		t.Errorf("Kind %q, Names %q, %q", train.Kind, train.Name, test.Name)
	}
	if train.Label(0) != 5 || test.Label(0) != 7 {
		t.Errorf("first labels %d, %d; MNIST's are 5 and 7", train.Label(0), test.Label(0))
	}
	// The first 10 000 / 2 000 are close to balanced: every class has at
	// least 7% of the examples (the smallest: 863 of 10000 train, 175 of 2000 test).
	for _, s := range []*Set{train, test} {
		var hist [10]int
		for _, l := range s.Labels {
			hist[l]++
		}
		for c, n := range hist {
			if n < s.Len()*7/100 {
				t.Errorf("%s: class %d has only %d examples", s.Name, c, n)
			}
		}
	}
	if t2, _ := Embedded(); t2 != train {
		t.Error("Embedded returned a different Set the second time")
	}
}

func TestEmbeddedSize(t *testing.T) {
	var total int64
	err := fs.WalkDir(embedded, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		total += info.Size()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if total > 2_000_000 {
		t.Errorf("embedded data is %d bytes, budget 2 MB", total)
	}
	t.Logf("embedded data: %d bytes", total)
}

func TestMustParseEmbeddedPanics(t *testing.T) {
	good := fstest.MapFS{}
	for _, name := range fileNames {
		b, err := fs.ReadFile(embedded, "embedded/"+name)
		if err != nil {
			t.Fatal(err)
		}
		good["embedded/"+name] = &fstest.MapFile{Data: b}
	}
	if tr, te := mustParseEmbedded(good); tr.Len() != 10000 || te.Len() != 2000 {
		t.Fatal("the copied embed does not parse")
	}
	clone := func() fstest.MapFS {
		m := fstest.MapFS{}
		for k, v := range good {
			m[k] = &fstest.MapFile{Data: append([]byte(nil), v.Data...)}
		}
		return m
	}
	missing := clone()
	delete(missing, "embedded/"+testLabelsFile)
	mustPanic(t, func() { mustParseEmbedded(missing) }, "corrupt embedded data", testLabelsFile)

	truncated := clone()
	f := truncated["embedded/"+trainImagesFile]
	f.Data = f.Data[:len(f.Data)/2]
	mustPanic(t, func() { mustParseEmbedded(truncated) }, "corrupt embedded data", trainImagesFile, "truncated")

	mismatched := clone()
	mismatched["embedded/"+testLabelsFile] = &fstest.MapFile{Data: gz(t, labelsIDX(1, 2))}
	mustPanic(t, func() { mustParseEmbedded(mismatched) }, "corrupt embedded data", "has 2 labels but")
}
