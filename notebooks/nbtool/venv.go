package nbtool

import (
	"fmt"
	"os"
	"path/filepath"
)

// VenvVar names the environment variable that overrides where the project's
// Python environment is (default: .venv in the repository root).
const VenvVar = "BACKPROP_VENV"

// venvPrograms are what the commands and tests run from the environment:
// Jupyter's launcher and its nbconvert (nbclient), execute and kernelspec
// subcommands (jupyter runs "jupyter X" as the program jupyter-X), and the
// Python that has jupyter_client and nbgrader.
var venvPrograms = []string{"jupyter", "jupyter-nbconvert", "jupyter-execute", "jupyter-kernelspec", "jupyter-lab", "python3"}

// Venv returns the bin folder of the project's Python environment, the one
// `make venv` creates from notebooks/nbtool/requirements.txt (JupyterLab 4,
// Notebook 7, nbclient, nbconvert, jupyter_client, ipykernel, nbgrader):
// $BACKPROP_VENV if set, else root/.venv, where root is the repository
// root. Run its programs by full path (filepath.Join(bin, "jupyter")), or
// put bin first on PATH. The error names what is missing and how to make it.
func Venv(root string) (bin string, err error) {
	dir := os.Getenv(VenvVar)
	if dir == "" {
		dir = filepath.Join(root, ".venv")
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	bin = filepath.Join(dir, "bin")
	var missing []string
	for _, p := range venvPrograms {
		if st, err := os.Stat(filepath.Join(bin, p)); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return "", fmt.Errorf("the project's Python environment %s lacks %v (run make venv, or set %s to one made from notebooks/nbtool/requirements.txt)", dir, missing, VenvVar)
	}
	return bin, nil
}
