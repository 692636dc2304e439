package nbtool

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestLessonsFolder keeps the learner's folder to lessons: notebooks/ holds
// only notebooks, its READMEs (README.md, and README.ru.md in Russian) and
// the hidden folders; the solutions live in
// InstructorDir; and make notebooks hides exactly HiddenDirs (besides
// Jupyter's defaults) from the learner's file browser.
func TestLessonsFolder(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join(repoRoot, LessonsDir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir() && slices.Contains(HiddenDirs, name):
		case e.IsDir() && name == "cmd": // nbgrade, until it moves to the repository's cmd/
		case !e.IsDir() && (strings.HasSuffix(name, ".ipynb") || name == "README.md" || name == "README.ru.md"):
			if strings.HasSuffix(name, SolutionsSuffix+".ipynb") {
				t.Errorf("%s/%s: solutions belong in %s", LessonsDir, name, InstructorDir)
			}
		case name == ".ipynb_checkpoints":
		default:
			t.Errorf("%s/%s: the learner's folder holds lessons only (tooling goes to %s)", LessonsDir, name, ToolDir)
		}
	}
	mk, err := os.ReadFile(filepath.Join(repoRoot, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^NB_HIDE\s*:?=\s*(.*)$`).FindSubmatch(mk)
	if m == nil {
		t.Fatal("Makefile: no NB_HIDE (the folders make notebooks hides)")
	}
	for _, d := range HiddenDirs {
		if !slices.Contains(strings.Fields(string(m[1])), d) {
			t.Errorf("Makefile: NB_HIDE = %s does not hide %s", m[1], d)
		}
	}
	if !strings.Contains(string(mk), `$(foreach g,$(NB_HIDE),'--ContentsManager.hide_globs=$(g)')`) {
		t.Error("Makefile: make notebooks does not pass NB_HIDE to Jupyter's ContentsManager.hide_globs")
	}
}
