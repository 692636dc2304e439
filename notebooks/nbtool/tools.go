package nbtool

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// GoplsVersion is the gopls the kernel uses for completion and contextual
// help. gopls is its own module (golang.org/x/tools/gopls), with a tree
// of dependencies the lessons do not need, so it is not in go.mod: it is
// built with go install at this version, outside the module.
const GoplsVersion = "v0.23.0"

// BuildTools builds into dir the kernel's tools: gonb and goimports at the
// versions go.mod pins (its tool directives), and, if gopls is set, gopls
// at GoplsVersion. The go command fetches what the module cache lacks from
// the module proxy; it relinks only what changed, so a warm run is quick.
func BuildTools(root, dir string, gopls bool) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := goCmd(root, nil, "build", "-o", dir+string(filepath.Separator),
		"github.com/janpfeifer/gonb", "golang.org/x/tools/cmd/goimports"); err != nil {
		return err
	}
	if !gopls {
		return nil
	}
	// Outside the module (go install pkg@version ignores go.mod), so
	// go.mod keeps only what the lessons import.
	return goCmd(os.TempDir(), []string{"GOBIN=" + dir, "GOFLAGS=-mod=mod"},
		"install", "golang.org/x/tools/gopls@"+GoplsVersion)
}

// goCmd runs the go command in dir with extra environment entries.
func goCmd(dir string, env []string, args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}
