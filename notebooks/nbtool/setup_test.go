package nbtool

import (
	"strings"
	"testing"
)

func TestUpdateSetup(t *testing.T) {
	legacy := `{"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "gonb"}}, "cells": [` +
		`{"cell_type": "code", "id": "setup", "metadata": {}, "outputs": [], "execution_count": null, "source": ["` +
		strings.ReplaceAll(legacySetupPrefix, `"`, `\"`) + ` && go mod edit"]},` +
		`{"cell_type": "markdown", "id": "title", "metadata": {}, "source": ["# T\n", "\n", "What you will be able to do"]}]}`
	out, changed, err := UpdateSetup([]byte(legacy))
	if err != nil || !changed {
		t.Fatalf("UpdateSetup(legacy) changed %v, err %v", changed, err)
	}
	stripped, err := Strip(out)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := Parse(stripped)
	if err != nil {
		t.Fatal(err)
	}
	if len(nb.Cells) != 3 || nb.Cells[0].CellType != "markdown" || string(nb.Cells[0].Source) != SetupNote ||
		nb.Cells[1].CellType != "code" || string(nb.Cells[1].Source) != SetupCell || !strings.HasPrefix(string(nb.Cells[2].Source), "# T") {
		t.Fatalf("cells after UpdateSetup: %+v", nb.Cells)
	}
	if again, changed, err := UpdateSetup(stripped); err != nil || changed || string(again) != string(stripped) {
		t.Errorf("a second UpdateSetup changed the notebook (changed %v, err %v)", changed, err)
	}
	for _, p := range CheckStructure(stripped) {
		if strings.Contains(p, "setup") || strings.Contains(p, "cell 3") {
			t.Errorf("CheckStructure after UpdateSetup: %s", p)
		}
	}

	// A notebook whose first cell is not a setup cell is left alone.
	other := `{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "metadata": {}, "source": "x := 1"}]}`
	if out, changed, err := UpdateSetup([]byte(other)); err != nil || changed || string(out) != other {
		t.Errorf("UpdateSetup changed a notebook without a setup cell: %s (err %v)", out, err)
	}
}
