// Package atomicfile writes a file so that its path holds either the old
// content or the complete new one, never a partial file: the data goes to a
// temporary file in the same directory (".NAME.tmp…"), which is given its
// permissions, synced, closed and renamed over the path; the directory is
// then synced so that the rename survives a crash where the platform allows
// it. On every failure the temporary file is removed and path is untouched.
//
// It is the module's one atomic write, used by mnist's downloads and its
// embedded-subset builder, nn.Network.SaveFile, the commands' outputs
// (cmd/train's learning curve, cmd/nbgrade's results) and the notebook
// tooling (kernelspec, nbstrip, mkstudent).
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// File is a temporary file that becomes path on Commit. Write to it like
// any *os.File (it embeds one); defer Abort to remove it on every early
// return.
type File struct {
	*os.File
	path string
	perm os.FileMode
	done bool
}

// Create starts the atomic write of path: a temporary file in path's
// directory, which Commit gives the permissions perm and renames to path.
func Create(path string, perm os.FileMode) (*File, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, err
	}
	return &File{File: f, path: path, perm: perm}, nil
}

// Commit syncs and closes the temporary file and renames it to path. On an
// error the temporary file is removed and path is left as it was.
func (f *File) Commit() error {
	if f.done {
		return errors.New("atomicfile: " + f.path + " already committed or aborted")
	}
	err := errors.Join(f.Chmod(f.perm), f.Sync())
	if err = errors.Join(err, f.Close()); err == nil {
		err = os.Rename(f.Name(), f.path)
	}
	f.done = true
	if err != nil {
		os.Remove(f.Name())
		return err
	}
	syncDir(filepath.Dir(f.path))
	return nil
}

// Abort closes and removes the temporary file; path is left as it was.
// After Commit it does nothing, so it is safe to defer.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	os.Remove(f.Name())
}

// WriteFile writes data to path atomically with permissions perm. Its error
// names path ("writing PATH: …").
func WriteFile(path string, data []byte, perm os.FileMode) error {
	if err := writeFile(path, data, perm); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func writeFile(path string, data []byte, perm os.FileMode) error {
	f, err := Create(path, perm)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Commit()
}

// syncDir makes a rename in dir durable where the platform supports it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: not supported for directories on every platform
		d.Close()
	}
}
