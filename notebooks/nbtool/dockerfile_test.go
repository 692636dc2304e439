package nbtool

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// There is no Docker engine on the development and CI machines, so the
// Dockerfile is checked statically: BuildKit's own parser (what docker build
// runs), its instruction decoder (flags, JSON forms, variables in flags) with
// the lint rules that apply at that stage (FROM/AS casing, stage names,
// MAINTAINER), and this project's rules below.

// gonbImage is GoNB's JupyterLab image pinned by a release tag (optionally
// with a digest): never latest, never untagged.
var gonbImage = regexp.MustCompile(`^janpfeifer/gonb_jupyterlab:v\d+\.\d+\.\d+(@sha256:[0-9a-f]{64})?$`)

// wantGoNB is the GoNB version of the issue; go.mod and the Dockerfile must
// both pin it.
const wantGoNB = "v0.11.4"

// parseDockerfile parses a Dockerfile into its stages, failing on parser
// warnings and lint findings.
func parseDockerfile(t *testing.T, src []byte) []instructions.Stage {
	t.Helper()
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		t.Errorf("Dockerfile: parser warning: %s %s", w.Short, bytes.Join(w.Detail, []byte(" ")))
	}
	lint := linter.New(&linter.Config{Warn: func(rule, _, url, msg string, loc []parser.Range) {
		line := 0
		if len(loc) > 0 {
			line = loc[0].Start.Line
		}
		t.Errorf("Dockerfile:%d: %s: %s (%s)", line, rule, msg, url)
	}})
	stages, _, err := instructions.Parse(res.AST, lint)
	if err != nil {
		t.Fatal(err)
	}
	if len(stages) == 0 {
		t.Fatal("Dockerfile: no FROM")
	}
	return stages
}

// TestDockerfileLinterIsLive makes sure the lint hook above reports
// findings, so a silent linter cannot pass the Dockerfile.
func TestDockerfileLinterIsLive(t *testing.T) {
	var findings []string
	res, err := parser.Parse(strings.NewReader("FROM alpine:3 as base\nMAINTAINER someone\n"))
	if err != nil {
		t.Fatal(err)
	}
	lint := linter.New(&linter.Config{Warn: func(rule, _, _, _ string, _ []parser.Range) { findings = append(findings, rule) }})
	if _, _, err := instructions.Parse(res.AST, lint); err != nil {
		t.Fatal(err)
	}
	for _, rule := range []string{"FromAsCasing", "MaintainerDeprecated"} {
		if !slices.Contains(findings, rule) {
			t.Errorf("linter did not report %s; reported %v", rule, findings)
		}
	}
}

// TestDockerfile checks the image recipe: pinned base image and GoNB, the
// notebooks executed at build time, COPY sources that exist, port 8888,
// docker-stacks' entry point and a non-root user at the end.
func TestDockerfile(t *testing.T) {
	src, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	stages := parseDockerfile(t, src)
	for _, s := range stages[:len(stages)-1] { // build stages, if any
		if !gonbImage.MatchString(s.BaseName) && !slices.ContainsFunc(stages, func(o instructions.Stage) bool { return o.Name == s.BaseName }) {
			t.Errorf("FROM %s: want GoNB's JupyterLab image pinned by tag, like janpfeifer/gonb_jupyterlab:v0.11.5", s.BaseName)
		}
	}
	final := stages[len(stages)-1]
	if !gonbImage.MatchString(final.BaseName) {
		t.Errorf("FROM %s: want GoNB's JupyterLab image pinned by tag (janpfeifer/gonb_jupyterlab:vX.Y.Z), not latest", final.BaseName)
	}

	if v := goModVersion(t, "github.com/janpfeifer/gonb"); v != wantGoNB {
		t.Errorf("go.mod requires gonb %s, want %s", v, wantGoNB)
	}
	var (
		gonbArg                                  string
		buildsGoNB, installsKernel, runsNotebook bool
		exposes8888                              bool
		user, entrypoint, cmd, workdir           string
	)
	for _, c := range final.Commands {
		switch c := c.(type) {
		case *instructions.ArgCommand:
			for _, a := range c.Args {
				if a.Key == "GONB_VERSION" && a.Value != nil {
					gonbArg = *a.Value
				}
			}
		case *instructions.RunCommand:
			line := strings.Join(c.CmdLine, " ")
			if strings.Contains(line, "go build") && strings.Contains(line, "github.com/janpfeifer/gonb ") &&
				strings.Contains(line, "go version -m") && strings.Contains(line, "${GONB_VERSION}") {
				buildsGoNB = true
			}
			installsKernel = installsKernel || strings.Contains(line, "gonb --install")
			if strings.Contains(line, "go test") && strings.Contains(line, "TestNotebooks") && strings.Contains(line, "./notebooks/") && strings.Contains(line, "CI=1") {
				runsNotebook = true
			}
		case *instructions.CopyCommand:
			if c.From != "" {
				continue
			}
			for _, s := range c.SourcePaths {
				if m, _ := filepath.Glob(filepath.Join("..", s)); len(m) == 0 {
					t.Errorf("COPY %s: no such file in the repository", s)
				}
			}
		case *instructions.AddCommand:
			t.Errorf("ADD %v: use COPY (ADD fetches URLs and unpacks archives)", c.SourcePaths)
		case *instructions.ExposeCommand:
			exposes8888 = exposes8888 || slices.Contains(c.Ports, "8888") || slices.Contains(c.Ports, "8888/tcp")
		case *instructions.UserCommand:
			user = c.User
		case *instructions.EntrypointCommand:
			entrypoint = strings.Join(c.CmdLine, " ")
			if c.PrependShell {
				t.Errorf("ENTRYPOINT %s: use the JSON form, so signals reach the server", entrypoint)
			}
		case *instructions.CmdCommand:
			cmd = strings.Join(c.CmdLine, " ")
			if c.PrependShell {
				t.Errorf("CMD %s: use the JSON form", cmd)
			}
		case *instructions.WorkdirCommand:
			workdir = c.Path
		}
	}
	if gonbArg != wantGoNB {
		t.Errorf("ARG GONB_VERSION=%q, want %s (the version go.mod pins)", gonbArg, wantGoNB)
	}
	if !buildsGoNB {
		t.Error("no RUN builds github.com/janpfeifer/gonb from go.mod with go build and checks its version with go version -m against ${GONB_VERSION}")
	}
	if !installsKernel {
		t.Error("no RUN installs the kernel with gonb --install")
	}
	if !runsNotebook {
		t.Error("no RUN executes the notebooks at build time (CI=1 go test -run TestNotebooks ./notebooks/)")
	}
	if !exposes8888 {
		t.Error("no EXPOSE 8888")
	}
	if !nonRoot(user) {
		t.Errorf("the last USER is %q: the image must end as the notebook user (USER ${NB_UID})", user)
	}
	if entrypoint != "tini -g -- start.sh" || !strings.HasPrefix(cmd, "start-notebook.py") {
		t.Errorf("ENTRYPOINT %q CMD %q: want docker-stacks' tini -g -- start.sh and start-notebook.py (JupyterHub passes its own command)", entrypoint, cmd)
	}
	if !strings.HasSuffix(workdir, "/notebooks") {
		t.Errorf("the last WORKDIR is %q: JupyterLab should open on the notebooks folder", workdir)
	}

	ignore, err := os.ReadFile("../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".git", "notebooks/out"} {
		if !slices.Contains(strings.Fields(string(ignore)), want) {
			t.Errorf(".dockerignore does not exclude %s", want)
		}
	}
}

// nonRoot reports whether a USER value names a user other than root.
func nonRoot(user string) bool {
	name, _, _ := strings.Cut(user, ":")
	return name != "" && name != "root" && name != "0"
}

// goModVersion returns the version of module path that go.mod requires.
func goModVersion(t *testing.T, path string) string {
	for _, r := range goMod(t).Require {
		if r.Mod.Path == path {
			return r.Mod.Version
		}
	}
	return fmt.Sprintf("(%s not required)", path)
}
