// Command installkernel installs the GoNB kernel the lessons run on, for the
// current user (or into -data-dir). The kernel is self-sufficient: its
// kernelspec puts the tool folder (goimports, gopls) and Go's bin on the
// kernel's PATH, and starts every notebook in a Go workspace with this
// repository, so Jupyter, nbconvert or JupyterHub started by hand run the
// lessons without ./bin on PATH and offline.
//
// Usage (what make kernel runs):
//
//	go run ./notebooks/nbtool/cmd/installkernel [-build|-build-only] -tools DIR [-data-dir DIR] [-env KEY=VALUE]... [-- GONB-FLAGS...]
//
// With -build-only it builds the tools and installs nothing. With -build it first builds gonb and goimports (go.mod's pins) and gopls
// (nbtool.GoplsVersion) into DIR. DIR must hold gonb and goimports; gopls
// is optional (without it the kernel has no completion, and installkernel
// says so).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/backprop-lab/backprop/notebooks/nbtool"
)

func main() {
	tools := flag.String("tools", "", "folder holding gonb, goimports and (optionally) gopls")
	dataDir := flag.String("data-dir", "", "Jupyter data folder for the kernelspec (default: the user's)")
	build := flag.Bool("build", false, "first build gonb and goimports (go.mod's pins) and gopls "+nbtool.GoplsVersion+" into -tools")
	env := map[string]string{}
	flag.Func("env", "KEY=VALUE for the kernel's environment (repeatable; e.g. a shared GOMODCACHE, BACKPROP_DATA)", func(kv string) error {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return fmt.Errorf("want KEY=VALUE, got %q", kv)
		}
		env[k] = v
		return nil
	})
	buildOnly := flag.Bool("build-only", false, "build the tools as -build does, install no kernel")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: installkernel [-build|-build-only] -tools DIR [-data-dir DIR] [-env KEY=VALUE]... [-- GONB-FLAGS...]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *buildOnly {
		root, err := nbtool.FindRoot(".")
		if err == nil {
			err = nbtool.BuildTools(root, *tools, true, false)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "installkernel:", err)
			os.Exit(1)
		}
		return
	}
	if *tools == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*tools, *dataDir, *build, env, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "installkernel:", err)
		os.Exit(1)
	}
}

func run(tools, dataDir string, build bool, env map[string]string, args []string) error {
	tools, err := filepath.Abs(tools)
	if err != nil {
		return err
	}
	if dataDir != "" {
		if dataDir, err = filepath.Abs(dataDir); err != nil {
			return err
		}
	}
	root, err := nbtool.FindRoot(".")
	if err != nil {
		return err
	}
	if build {
		if err := nbtool.BuildTools(root, tools, true, false); err != nil {
			return err
		}
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %v", err)
	}
	k := nbtool.Kernel{
		Gonb:    filepath.Join(tools, "gonb"),
		Tools:   tools,
		GoRoot:  strings.TrimSpace(string(goroot)),
		Repo:    root,
		DataDir: dataDir,
		Args:    args,
		Env:     env,
	}
	spec, _, err := k.Install()
	if err != nil {
		return err
	}
	fmt.Printf("GoNB kernel installed: %s\n  PATH: %s\n  Go workspace with: %s\n", spec, k.KernelPath(), root)
	if _, err := os.Stat(filepath.Join(tools, "gopls")); err != nil {
		fmt.Printf("  no gopls in %s: completion and contextual help are off (make tools builds it)\n", tools)
	} else {
		fmt.Printf("  completion and contextual help: gopls in %s\n", tools)
	}
	return nil
}
