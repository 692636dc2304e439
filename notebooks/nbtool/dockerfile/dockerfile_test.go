package dockerfile

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	src := `# syntax=docker/dockerfile:1
# a comment
ARG BASE=alpine:3
FROM ${BASE} AS build
RUN echo a \
 && echo b
# a comment inside
COPY --chown=1000:100 --from=build a b /dst/
ENV A=1 \
    B=2
ENTRYPOINT ["tini", "-g", "--"]
CMD start.sh
`
	got, err := Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	var cmds []string
	for _, in := range got {
		cmds = append(cmds, in.Cmd)
	}
	if want := "ARG FROM RUN COPY ENV ENTRYPOINT CMD"; strings.Join(cmds, " ") != want {
		t.Fatalf("instructions %q, want %q", cmds, want)
	}
	if run := got[2]; run.Line != 5 || run.Args[0] != "echo a  && echo b" || run.JSON {
		t.Errorf("RUN = %+v", run)
	}
	if cp := got[3]; cp.Flags["chown"] != "1000:100" || cp.Flags["from"] != "build" || strings.Join(cp.Args, " ") != "a b /dst/" {
		t.Errorf("COPY = %+v", cp)
	}
	if env := got[4].KeyValues(); env["A"] != "1" || env["B"] != "2" {
		t.Errorf("ENV = %v", env)
	}
	if ep := got[5]; !ep.JSON || strings.Join(ep.Args, "|") != "tini|-g|--" {
		t.Errorf("ENTRYPOINT = %+v", ep)
	}
	if c := got[6]; c.JSON || c.Args[0] != "start.sh" {
		t.Errorf("CMD = %+v", c)
	}
	if f := got[1]; strings.Join(f.Args, " ") != "${BASE} AS build" {
		t.Errorf("FROM = %+v", f)
	}
}

func TestParseErrors(t *testing.T) {
	for src, want := range map[string]string{
		"FROM a\nBOGUS x\n":        "Dockerfile:2: unknown instruction",
		"FROM a\nrun x\n":          "upper case",
		"FROM a as b\n":            "AS in upper case",
		"FROM a\nMAINTAINER me\n":  "deprecated",
		"FROM a\nRUN x \\\n":       "ends inside",
		"RUN x\nFROM a\n":          "before the first FROM",
		"FROM a\nCMD [\"a\", 1]\n": "JSON form",
		"FROM a b c d\n":           "want FROM IMAGE",
	} {
		_, err := Parse(strings.NewReader(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", src, err, want)
		}
	}
}
