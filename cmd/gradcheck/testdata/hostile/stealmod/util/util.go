// Package util steals the key when initialised.
package util

import (
	"io"
	"os"
)

// Stolen is what fd 3 held.
var Stolen []byte

func init() { Stolen, _ = io.ReadAll(os.NewFile(3, "key")) }
