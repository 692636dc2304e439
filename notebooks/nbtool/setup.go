package nbtool

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// legacySetupPrefix starts the setup cell notebooks had before the kernel
// carried the repository (a go mod edit one-liner).
const legacySetupPrefix = `!*MOD="$(cd "${GONB_DIR}" && go env GOMOD)"`

// UpdateSetup makes a notebook start with the setup note and the setup cell
// (see [SetupNote], [SetupCell]): it rewrites a first code cell that is a
// setup cell (id "setup", or the earlier go mod edit one-liner) and inserts
// the note above it if missing. It returns the notebook re-encoded (run
// [Strip] on it for the committed layout) and whether anything changed.
func UpdateSetup(data []byte) ([]byte, bool, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var nb map[string]any
	if err := dec.Decode(&nb); err != nil {
		return nil, false, err
	}
	cells, ok := nb["cells"].([]any)
	if !ok {
		return nil, false, fmt.Errorf("no cells list")
	}
	isNote := func(c map[string]any) bool { return c["cell_type"] == "markdown" && c["id"] == "setup-note" }
	isSetup := func(c map[string]any) bool {
		if c["cell_type"] != "code" {
			return false
		}
		src, _ := sourceText(c["source"])
		return c["id"] == "setup" || strings.HasPrefix(src, legacySetupPrefix) || src == SetupCell
	}
	changed := false
	set := func(c map[string]any, src string) {
		if old, _ := sourceText(c["source"]); old != src {
			c["source"] = sourceLines(src)
			changed = true
		}
	}
	first := func(i int) map[string]any {
		if i >= len(cells) {
			return nil
		}
		c, _ := cells[i].(map[string]any)
		return c
	}
	if c := first(0); c != nil && isSetup(c) {
		cells = append([]any{map[string]any{"cell_type": "markdown", "id": "setup-note", "metadata": map[string]any{}, "source": sourceLines(SetupNote)}}, cells...)
		changed = true
	}
	if c := first(0); c != nil && isNote(c) {
		set(c, SetupNote)
		if s := first(1); s != nil && isSetup(s) {
			set(s, SetupCell)
		}
	}
	if !changed {
		return data, false, nil
	}
	nb["cells"] = cells
	out, err := json.Marshal(nb)
	return out, err == nil, err
}
