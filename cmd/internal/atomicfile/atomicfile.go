// Package atomicfile writes a command's output file so that its path holds
// either the old content or the complete new one, never a partial file: the
// data goes to a temporary file in the same directory, which is synced,
// closed, given its permissions and renamed over the path.
//
// It serves the commands (cmd/train's learning curve, cmd/nbgrade's
// results); mnist has its own for its downloads, and nn.SaveFile its own,
// because nn and mnist import nothing of cmd.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile writes data to path atomically with permissions perm. On error
// the temporary file is removed and path is untouched.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), perm)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
