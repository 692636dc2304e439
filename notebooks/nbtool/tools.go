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
// the module proxy, unless offline: then it uses only the module cache (the
// tests build offline; make deps-test fills the cache). It relinks only what
// changed, so a warm run is quick.
func BuildTools(root, dir string, gopls, offline bool) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	var env []string
	if offline {
		env = []string{"GOPROXY=off"}
	}
	if err := goCmd(root, env, "build", "-o", dir+string(filepath.Separator),
		"github.com/janpfeifer/gonb", "golang.org/x/tools/cmd/goimports"); err != nil {
		return err
	}
	if !gopls {
		return nil
	}
	// Outside the module (go install pkg@version ignores go.mod), so
	// go.mod keeps only what the lessons import.
	env = []string{"GOBIN=" + dir, "GOFLAGS=-mod=mod"}
	if offline {
		// go install pkg@version also looks up the module's deprecation, which
		// GOPROXY=off refuses; the module cache answers it as a file proxy.
		out, err := exec.Command("go", "env", "GOMODCACHE").Output()
		if err != nil {
			return fmt.Errorf("go env GOMODCACHE: %v", err)
		}
		cache := filepath.Join(strings.TrimSpace(string(out)), "cache", "download")
		env = append(env, "GOPROXY=file://"+filepath.ToSlash(cache), "GONOSUMDB=*", "GOFLAGS=-mod=mod")
	}
	if err := goCmd(os.TempDir(), env, "install", "golang.org/x/tools/gopls@"+GoplsVersion); err != nil {
		return fmt.Errorf("%v(make deps-test puts gopls %s into the module cache)", err, GoplsVersion)
	}
	return nil
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
