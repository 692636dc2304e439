package nbtool

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/backprop-lab/backprop/internal/atomicfile"
)

// Kernel is a GoNB kernel to install: one that needs nothing from the
// environment of whoever starts Jupyter, so Jupyter, nbconvert or
// JupyterHub started by hand run the lessons as `make notebooks` does.
type Kernel struct {
	// Gonb is the gonb binary (built from go.mod's pin).
	Gonb string
	// Tools is the folder holding goimports (every Go cell needs it) and,
	// optionally, gopls (completion and contextual help). It goes first on
	// the kernel's PATH, through the kernelspec's env.
	Tools string
	// GoRoot is the Go installation whose bin/go the kernel runs; it comes
	// second on the kernel's PATH.
	GoRoot string
	// Repo is the repository root. Every notebook's scratch module is put in
	// a Go workspace with it (gonb -go_work), so cells import
	// github.com/backprop-lab/backprop/... from this checkout, offline.
	Repo string
	// DataDir is the Jupyter data folder the kernelspec goes to; "" means
	// the user's (~/.local/share/jupyter, or $JUPYTER_DATA_DIR).
	DataDir string
	// Args are more gonb flags for kernel.json (-raw_error, -log_dir=…).
	Args []string
	// Env are more variables for the kernel's environment (a shared
	// GOMODCACHE, BACKPROP_DATA, BACKPROP_ECHARTS on a multi-user server).
	Env map[string]string
}

// KernelPath is the kernel's PATH as written to kernel.json: Tools, then
// GoRoot/bin, then the PATH of the process that starts the kernel (Jupyter
// substitutes ${PATH} when it starts the kernel).
func (k Kernel) KernelPath() string {
	return k.Tools + string(filepath.ListSeparator) + filepath.Join(k.GoRoot, "bin") + string(filepath.ListSeparator) + "${PATH}"
}

// Install writes the kernelspec with gonb --install, then adds the env that
// makes it self-sufficient (see KernelPath). It returns the kernel.json
// path and gonb's own output.
func (k Kernel) Install() (string, string, error) {
	for name, dir := range map[string]string{"Tools": k.Tools, "GoRoot": k.GoRoot, "Repo": k.Repo} {
		if !filepath.IsAbs(dir) {
			return "", "", fmt.Errorf("kernel: %s must be an absolute path, got %q", name, dir)
		}
	}
	if _, err := os.Stat(filepath.Join(k.Tools, "goimports")); err != nil {
		return "", "", fmt.Errorf("kernel: no goimports in %s (every Go cell needs it): %w", k.Tools, err)
	}
	if _, err := os.Stat(filepath.Join(k.Repo, "go.mod")); err != nil {
		return "", "", fmt.Errorf("kernel: %s is not the repository root: %w", k.Repo, err)
	}
	args := []string{"--install", "--go_work=" + k.Repo}
	if _, err := os.Stat(filepath.Join(k.Tools, "gopls")); err != nil {
		// gonb refuses to install without gopls unless told; completion is off.
		args = append(args, "--force_deps")
	}
	args = append(args, k.Args...)
	cmd := exec.Command(k.Gonb, args...)
	path := strings.ReplaceAll(k.KernelPath(), "${PATH}", os.Getenv("PATH"))
	cmd.Env = append(os.Environ(), "PATH="+path)
	if k.DataDir != "" {
		cmd.Env = append(cmd.Env, "JUPYTER_DATA_DIR="+k.DataDir)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", string(out), fmt.Errorf("kernel: %s: %v", strings.Join(cmd.Args, " "), err)
	}
	dataDir := k.DataDir
	if dataDir == "" {
		if dataDir = os.Getenv("JUPYTER_DATA_DIR"); dataDir == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", string(out), err
			}
			dataDir = filepath.Join(home, ".local", "share", "jupyter")
		}
	}
	spec := filepath.Join(dataDir, "kernels", "gonb", "kernel.json")
	env := map[string]string{"PATH": k.KernelPath()}
	for key, v := range k.Env {
		if key == "PATH" {
			return spec, string(out), fmt.Errorf("kernel: Env may not set PATH (see KernelPath)")
		}
		env[key] = v
	}
	return spec, string(out), addKernelEnv(spec, env)
}

// addKernelEnv sets env entries in the kernelspec at path, keeping the rest.
func addKernelEnv(path string, env map[string]string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("kernel: gonb --install wrote no kernelspec: %w", err)
	}
	var spec map[string]any
	if err := json.Unmarshal(data, &spec); err != nil {
		return fmt.Errorf("kernel: %s: %w", path, err)
	}
	e, _ := spec["env"].(map[string]any)
	if e == nil {
		e = map[string]any{}
	}
	for k, v := range env {
		e[k] = v
	}
	spec["env"] = e
	out, err := json.MarshalIndent(spec, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(out, '\n'), 0o644)
}
