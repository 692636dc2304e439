package nbtool

import (
	"strings"
	"testing"
)

// GoSourceLines keeps each declaration as written, after a line directive
// naming its cell as the notebook shows it: the execution count if the
// cell ran, else its ordinal among the code cells (markdown not counted).
func TestGoSourceLines(t *testing.T) {
	nb, err := Parse([]byte(`{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
		{"cell_type": "markdown", "metadata": {}, "source": "# title"},
		{"cell_type": "code", "metadata": {}, "execution_count": 7, "source": "import \"fmt\"\n\n// f says hi.\nfunc f() {  fmt.Println(\"hi\")  }"},
		{"cell_type": "markdown", "metadata": {}, "source": "text"},
		{"cell_type": "code", "metadata": {}, "execution_count": null, "source": "!echo shell\nvar x = 1\n\n\nfunc g() int {\n\treturn x\n}\n%%\ng()"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	src, err := GoSourceLines(nb, "main")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"//line In [7]:3\n// f says hi.\nfunc f() {  fmt.Println(\"hi\")  }", // as written, not reformatted
		"//line code cell 2:2\nvar x = 1",
		"//line code cell 2:5\nfunc g() int {",
		"//line In [7]:1\n\t \"fmt\"\n", // imports too name their cell
	} {
		if !strings.Contains(string(src), want) {
			t.Errorf("source lacks %q:\n%s", want, src)
		}
	}
}
