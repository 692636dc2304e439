package runner

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/backprop-lab/backprop/gradcheck"
)

// Verdict is what a unit reports: whether it passed, its text for a
// person, and its tests for Gradescope's results.json.
type Verdict struct {
	Passed bool                       `json:"passed"`
	Text   string                     `json:"text"`
	Tests  []gradcheck.GradescopeTest `json:"tests"`
	// CheckError, if not empty, says the check itself could not run (e.g.
	// the loss is not finite at the check point): an error of the check,
	// not a wrong answer.
	CheckError string `json:"check_error,omitempty"`
}

// record is one line of the results pipe: a verdict, or the final
// "complete" record of a unit.
type record struct {
	Seq     int      `json:"seq"`
	Unit    string   `json:"unit"`
	Kind    string   `json:"kind"` // "verdict" or "complete"
	Verdict *Verdict `json:"verdict,omitempty"`
}

// keyLen is the length of the per-run key in bytes.
const keyLen = 32

// sign encodes r as a line: hex HMAC-SHA256(key, JSON), a space, the JSON.
func sign(key []byte, r record) []byte {
	data, err := json.Marshal(r)
	if err != nil {
		panic(err)
	}
	m := hmac.New(sha256.New, key)
	m.Write(data)
	line := hex.AppendEncode(nil, m.Sum(nil))
	line = append(line, ' ')
	line = append(line, data...)
	return append(line, '\n')
}

var errBadMAC = errors.New("wrong signature")

// verify decodes a line written by sign with key (without the newline).
func verify(key []byte, line []byte) (record, error) {
	macHex, data, ok := bytes.Cut(line, []byte(" "))
	if !ok || len(macHex) != 2*sha256.Size {
		return record{}, errBadMAC
	}
	got := make([]byte, sha256.Size)
	if _, err := hex.Decode(got, macHex); err != nil {
		return record{}, errBadMAC
	}
	m := hmac.New(sha256.New, key)
	m.Write(data)
	if !hmac.Equal(got, m.Sum(nil)) {
		return record{}, errBadMAC
	}
	var r record
	if err := json.Unmarshal(data, &r); err != nil {
		return record{}, fmt.Errorf("signed record is not JSON: %v", err)
	}
	return r, nil
}
