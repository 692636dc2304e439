package nbtool

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestLearnerLabHidesNbgrader starts JupyterLab twice from the venv: as a
// learner gets it (make notebooks: LearnerJupyterDir first on
// JUPYTER_CONFIG_PATH, as startJupyter does) and as the instructors' path
// gets it (the venv's own configuration). The learner's Lab must load no
// nbgrader server extension (none linked in the server's log, its
// /formgrader, /assignments and /courses answer 404) and must disable
// every nbgrader lab extension in its page configuration; the instructors'
// Lab must still have them all, which also shows that the checks can fail.
// The Makefile must use the same configuration folder.
func TestLearnerLabHidesNbgrader(t *testing.T) {
	mk, err := os.ReadFile(filepath.Join(repoRoot, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`(?m)^LEARNER_JUPYTER\s*:?=\s*(\S+)\s*$`).FindSubmatch(mk); m == nil || string(m[1]) != LearnerJupyterDir {
		t.Errorf("Makefile: LEARNER_JUPYTER is %q, want %s", m, LearnerJupyterDir)
	}
	if !strings.Contains(string(mk), `JUPYTER_CONFIG_PATH='$(CURDIR)/$(LEARNER_JUPYTER)'`) {
		t.Error("Makefile: make notebooks does not put $(LEARNER_JUPYTER) on JUPYTER_CONFIG_PATH")
	}
	if testing.Short() {
		t.Skip("starts JupyterLab twice; skipped in -short mode")
	}
	k := installKernel(t, false)
	for _, c := range []struct {
		who    string
		config string
	}{
		{"learner", learnerJupyterConfig(t)},
		{"instructor", ""},
	} {
		t.Run(c.who, func(t *testing.T) {
			out := filepath.Join(k.artefacts, "learner-lab", c.who)
			if err := os.MkdirAll(out, 0o755); err != nil {
				t.Fatal(err)
			}
			url, token := startJupyterWith(t, k, "lab", filepath.Join(k.root, LessonsDir), out, c.config)
			problems := nbgraderInLab(t, url, token, filepath.Join(out, "lab-server.log"))
			if c.who == "learner" {
				for _, p := range problems {
					t.Errorf("the learner's JupyterLab %s", p)
				}
				return
			}
			// The instructors' Lab: every nbgrader extension is there (a
			// route that answers, a linked server extension, an enabled
			// lab extension).
			for _, kind := range []string{"answers", "is linked", "is not disabled"} {
				if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, kind) }) {
					t.Errorf("the instructors' JupyterLab: no nbgrader extension %s; found only: %q", kind, problems)
				}
			}
		})
	}
}

// nbgraderInLab returns what of nbgrader the JupyterLab at url shows: each
// of its server routes that does not answer 404, each of its server
// extensions its log (logPath) says is linked, and each of its lab
// extensions the page configuration lists without disabling it. It fails
// the test if the Lab lists no nbgrader lab extension at all (the venv
// must have nbgrader for the check to mean anything).
func nbgraderInLab(t *testing.T, url, token, logPath string) []string {
	t.Helper()
	var problems []string
	for _, route := range []string{"/formgrader", "/assignments", "/courses"} {
		resp, err := http.Get(url + route + "?token=" + token)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			problems = append(problems, fmt.Sprintf("answers %s with %s (nbgrader's server extension)", route, resp.Status))
		}
	}
	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(log), "\n") {
		if strings.Contains(l, "nbgrader") && strings.Contains(l, "extension was successfully linked") {
			problems = append(problems, "is linked: "+strings.TrimSpace(l))
		}
	}
	resp, err := http.Get(url + "/lab?token=" + token)
	if err != nil {
		t.Fatal(err)
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)<script id="jupyter-config-data" type="application/json">(.*?)</script>`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("/lab has no jupyter-config-data:\n%.2000s", page)
	}
	var config struct {
		Federated []struct {
			Name string `json:"name"`
		} `json:"federated_extensions"`
		Disabled []string `json:"disabledExtensions"`
	}
	if err := json.Unmarshal(m[1], &config); err != nil {
		t.Fatalf("/lab's jupyter-config-data: %v", err)
	}
	seen := false
	for _, e := range config.Federated {
		if !strings.Contains(e.Name, "nbgrader") {
			continue
		}
		seen = true
		if !slices.Contains(config.Disabled, e.Name) {
			problems = append(problems, fmt.Sprintf("lab extension %s is not disabled (disabledExtensions: %q)", e.Name, config.Disabled))
		}
	}
	if !seen {
		t.Fatalf("JupyterLab lists no nbgrader lab extension (federated_extensions: %+v): is nbgrader in the venv?", config.Federated)
	}
	return problems
}
