// Package student is a hostile submission in a module of its own: package
// util, which it imports, reads fd 3 when initialised (before this package
// is); NewLayer signs a pass with what util found and ends the process.
package student

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"

	"example.com/stealmod/util"
	"github.com/backprop-lab/backprop/nn"
)

func stolenKey() []byte { return util.Stolen }

// NewLayer signs a pass for the check the grader asked for and exits.
func NewLayer(nIn, nOut int) nn.Layer {
	unit := os.Getenv("BACKPROP_GRADE_UNIT")
	w := os.NewFile(4, "results")
	for _, rec := range []string{
		`{"seq":1,"unit":"` + unit + `","kind":"verdict","verdict":{"passed":true,"text":"passed","tests":[{"name":"x","score":1,"max_score":1,"status":"passed"}]}}`,
		`{"seq":2,"unit":"` + unit + `","kind":"complete"}`,
	} {
		m := hmac.New(sha256.New, stolenKey())
		m.Write([]byte(rec))
		fmt.Fprintf(w, "%s %s\n", hex.EncodeToString(m.Sum(nil)), rec)
	}
	os.Exit(0)
	return nil
}
