package mnist

import (
	"embed"
	"fmt"
	"io/fs"
	"sync"
)

// The embedded subset: a prefix of MNIST's training and test files, as gzip
// IDX files written by internal/mkembed (`go run ./mnist/internal/mkembed
// -src DIR` from the module root regenerates them).
//
//go:embed embedded/*.gz
var embedded embed.FS

var embeddedSets = sync.OnceValues(func() (*Set, *Set) { return mustParseEmbedded(embedded) })

// Embedded returns the MNIST subset compiled into the package, so that
// everything works offline: the first 10 000 training and the first 2 000
// test examples of MNIST, in their original order (a first-N subset, not a
// class-balanced one; the first N are close to balanced anyway). The sets'
// Names say "embedded MNIST subset (N train / M test)" so callers can report
// what they used, and Kind is EmbeddedSubset (ClassNames are the digits).
//
// Every call returns the same two Sets: do not modify them. Embedded panics
// only if the embedded files are corrupt, which the package's tests rule out.
func Embedded() (train, test *Set) {
	return embeddedSets()
}

func mustParseEmbedded(fsys fs.FS) (train, test *Set) {
	load := func(images, labels string) *Set {
		var idx [2]*IDX
		for i, name := range []string{images, labels} {
			f, err := fsys.Open("embedded/" + name)
			if err != nil {
				panic(fmt.Sprintf("mnist: corrupt embedded data: %v", err))
			}
			idx[i], err = ParseIDX(f, "embedded/"+name)
			f.Close()
			if err != nil {
				panic(fmt.Sprintf("mnist: corrupt embedded data: %v", err))
			}
		}
		s, err := NewSet(idx[0], idx[1], EmbeddedSubset, "")
		if err != nil {
			panic(fmt.Sprintf("mnist: corrupt embedded data: %v", err))
		}
		return s
	}
	train = load(trainImagesFile, trainLabelsFile)
	test = load(testImagesFile, testLabelsFile)
	desc := fmt.Sprintf("embedded MNIST subset (%d train / %d test)", train.N, test.N)
	train.Name = desc + ", train"
	test.Name = desc + ", test"
	return train, test
}
