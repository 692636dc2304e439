package dockerfile

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"

	"github.com/backprop-lab/backprop/notebooks/nbtool"
)

// There is no Docker engine on the development and CI machines, so the
// repository's Dockerfile is checked statically, with Parse and the
// project's rules below.

const root = "../../.."

// gonbImage is GoNB's JupyterLab image pinned by a release tag (optionally
// with a digest): never latest, never untagged.
var gonbImage = regexp.MustCompile(`^janpfeifer/gonb_jupyterlab:v\d+\.\d+\.\d+(@sha256:[0-9a-f]{64})?$`)

// TestRepositoryDockerfile checks the image recipe: the pinned base image,
// GoNB at go.mod's version and gopls at the kernel installer's, the kernel
// installed by the installer, the notebooks executed at build time, the
// JupyterLab smoke check, a learner's folder without the solutions and the
// tooling, COPY sources that exist, port 8888, docker-stacks' entry point
// and a non-root user at the end.
func TestRepositoryDockerfile(t *testing.T) {
	f, err := os.Open(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ins, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	gonb := goModVersion(t, "github.com/janpfeifer/gonb")
	var (
		froms                                      []string
		args                                       = map[string]string{}
		buildsGoNB, buildsGopls, installsKernel    bool
		runsNotebooks, smokeChecksLab, dropsHidden bool
		exposes8888                                bool
		user, entrypoint, cmd, workdir             string
	)
	for _, in := range ins {
		switch in.Cmd {
		case "FROM":
			froms = append(froms, in.Args[0])
		case "ARG":
			for k, v := range in.KeyValues() {
				args[k] = v
			}
		case "RUN":
			line := strings.Join(in.Args, " ")
			buildsGoNB = buildsGoNB || strings.Contains(line, "go build") && strings.Contains(line, "github.com/janpfeifer/gonb ") &&
				strings.Contains(line, "go version -m") && strings.Contains(line, "${GONB_VERSION}")
			buildsGopls = buildsGopls || strings.Contains(line, "go install") && strings.Contains(line, "golang.org/x/tools/gopls@${GOPLS_VERSION}")
			installsKernel = installsKernel || strings.Contains(line, "go run ./notebooks/nbtool/cmd/installkernel")
			runsNotebooks = runsNotebooks || strings.Contains(line, "CI=1") && strings.Contains(line, "go test") &&
				strings.Contains(line, "TestNotebooks") && strings.Contains(line, "./notebooks/nbtool/")
			smokeChecksLab = smokeChecksLab || strings.Contains(line, "notebooks/nbtool/lab-smoke.sh")
			dropsHidden = dropsHidden || strings.Contains(line, "rm -rf") &&
				strings.Contains(line, nbtool.InstructorDir) && strings.Contains(line, nbtool.ToolDir)
		case "COPY":
			if in.Flags["from"] != "" {
				continue
			}
			for _, s := range in.Args[:len(in.Args)-1] {
				if m, _ := filepath.Glob(filepath.Join(root, s)); len(m) == 0 {
					t.Errorf("Dockerfile:%d: COPY %s: no such file in the repository", in.Line, s)
				}
			}
		case "ADD":
			t.Errorf("Dockerfile:%d: ADD %v: use COPY (ADD fetches URLs and unpacks archives)", in.Line, in.Args)
		case "EXPOSE":
			exposes8888 = exposes8888 || slices.Contains(in.Args, "8888") || slices.Contains(in.Args, "8888/tcp")
		case "USER":
			user = in.Raw
		case "ENTRYPOINT":
			entrypoint = strings.Join(in.Args, " ")
			if !in.JSON {
				t.Errorf("Dockerfile:%d: ENTRYPOINT %s: use the JSON form, so signals reach the server", in.Line, entrypoint)
			}
		case "CMD":
			cmd = strings.Join(in.Args, " ")
			if !in.JSON {
				t.Errorf("Dockerfile:%d: CMD %s: use the JSON form", in.Line, cmd)
			}
		case "WORKDIR":
			workdir = in.Raw
		}
	}
	if len(froms) == 0 || !gonbImage.MatchString(froms[len(froms)-1]) {
		t.Errorf("FROM %v: want GoNB's JupyterLab image pinned by tag (janpfeifer/gonb_jupyterlab:vX.Y.Z), not latest", froms)
	}
	if args["GONB_VERSION"] != gonb {
		t.Errorf("ARG GONB_VERSION=%q, want %s (the version go.mod pins)", args["GONB_VERSION"], gonb)
	}
	if args["GOPLS_VERSION"] != nbtool.GoplsVersion {
		t.Errorf("ARG GOPLS_VERSION=%q, want %s (nbtool.GoplsVersion)", args["GOPLS_VERSION"], nbtool.GoplsVersion)
	}
	for _, c := range []struct {
		ok   bool
		what string
	}{
		{buildsGoNB, "builds github.com/janpfeifer/gonb from go.mod with go build and checks it with go version -m against ${GONB_VERSION}"},
		{buildsGopls, "installs golang.org/x/tools/gopls@${GOPLS_VERSION}"},
		{installsKernel, "installs the kernel with go run ./notebooks/nbtool/cmd/installkernel"},
		{runsNotebooks, "executes the notebooks at build time (CI=1 go test -run TestNotebooks ./notebooks/nbtool/)"},
		{smokeChecksLab, "runs notebooks/nbtool/lab-smoke.sh (JupyterLab serves and lists the kernel)"},
		{dropsHidden, "removes " + nbtool.InstructorDir + " and " + nbtool.ToolDir + " from the learner's folder"},
		{exposes8888, "EXPOSE 8888"},
	} {
		if !c.ok {
			t.Errorf("no instruction %s", c.what)
		}
	}
	if name, _, _ := strings.Cut(user, ":"); name == "" || name == "root" || name == "0" {
		t.Errorf("the last USER is %q: the image must end as the notebook user (USER ${NB_UID})", user)
	}
	if entrypoint != "tini -g -- start.sh" || !strings.HasPrefix(cmd, "start-notebook.py") {
		t.Errorf("ENTRYPOINT %q CMD %q: want docker-stacks' tini -g -- start.sh and start-notebook.py (JupyterHub passes its own command)", entrypoint, cmd)
	}
	if !strings.HasSuffix(workdir, "/"+nbtool.LessonsDir) {
		t.Errorf("the last WORKDIR is %q: JupyterLab should open on the lessons", workdir)
	}

	ignore, err := os.ReadFile(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".git", ".cache", "bin"} {
		if !slices.Contains(strings.Fields(string(ignore)), want) {
			t.Errorf(".dockerignore does not exclude %s", want)
		}
	}
}

// goModVersion returns the version of module path that go.mod requires.
func goModVersion(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range f.Require {
		if r.Mod.Path == path {
			return r.Mod.Version
		}
	}
	t.Fatalf("go.mod does not require %s", path)
	return ""
}
