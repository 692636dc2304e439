// Package assets fetches and locates the JavaScript charting library the
// lesson charts draw with: Apache ECharts, taken from its npm package.
//
// The project does not commit ECharts (other projects' code is never
// committed); a setup step downloads it once, verifies it against the
// checksum npm publishes, and keeps it in a per-user cache:
//
//	go run github.com/backprop-lab/backprop/lesson/cmd/fetch-echarts
//
// At run time [Locate] finds the file: the path in $BACKPROP_ECHARTS if set,
// else the cache directory [DefaultDir]. Nothing here touches the network
// except [Package.Fetch].
package assets

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
)

// Package is one npm release of ECharts and the checksums that pin it.
type Package struct {
	Version string // npm version, e.g. "5.6.0"
	URL     string // the tarball (npm's dist.tarball)
	// Integrity is npm's dist.integrity of the tarball: "sha512-" followed by
	// the base64 SHA-512 (`npm view echarts@5.6.0 dist.integrity`).
	Integrity string
	// MinJSSHA256 is the hex SHA-256 of package/dist/echarts.min.js, checked
	// after extraction and on every cache hit ("" skips the check).
	MinJSSHA256 string
}

// ECharts is the pinned release the lessons use (Apache-2.0).
var ECharts = Package{
	Version:     "5.6.0",
	URL:         "https://registry.npmjs.org/echarts/-/echarts-5.6.0.tgz",
	Integrity:   "sha512-oTbVTsXfKuEhxftHqL5xprgLoc0k7uScAwtryCgWF6hPYFLRwOUHiFmHGCBKP5NPFNkDVopOieyUqYGH8Fa3kA==",
	MinJSSHA256: "bf4a223524e40b77c304bec67e1222cf551f14880cf42c69dc046558e11c07b1",
}

// FetchCommand is the command that downloads ECharts into the default cache;
// it works from any directory inside the module.
const FetchCommand = "go run github.com/backprop-lab/backprop/lesson/cmd/fetch-echarts"

// EnvPath names the environment variable that, when set, is the path of
// echarts.min.js to use instead of the cache.
const EnvPath = "BACKPROP_ECHARTS"

// File names inside a fetched directory.
const (
	MinJS   = "echarts.min.js"
	License = "LICENSE"
	Notice  = "NOTICE"
)

// maxTarball bounds the download (the 5.6.0 tarball is 10.4 MB).
const maxTarball = 64 << 20

// DefaultDir returns the cache directory of p:
// os.UserCacheDir()/backprop/echarts-<version>.
func (p Package) DefaultDir() (string, error) {
	c, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("assets: no user cache directory (%v); pass a directory to %s with -dir and set $%s", err, FetchCommand, EnvPath)
	}
	return filepath.Join(c, "backprop", "echarts-"+p.Version), nil
}

// DefaultDir is ECharts.DefaultDir.
func DefaultDir() (string, error) { return ECharts.DefaultDir() }

// Locate returns the path of echarts.min.js: $BACKPROP_ECHARTS if set (it
// must exist), else the file in DefaultDir. The error says which command
// fetches it.
func Locate() (string, error) {
	if p := os.Getenv(EnvPath); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("assets: $%s=%q: %v", EnvPath, p, err)
		}
		return p, nil
	}
	dir, err := DefaultDir()
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, MinJS)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("assets: ECharts %s is not installed (no %s): run `%s` once (it downloads %s), or set $%s to an echarts.min.js",
			ECharts.Version, p, FetchCommand, ECharts.URL, EnvPath)
	}
	return p, nil
}

// Fetch makes sure dir holds the verified echarts.min.js, LICENSE and (if
// the package has one) NOTICE of p, downloading the tarball with client
// (http.DefaultClient if nil) when they are not there yet, and returns the
// path of echarts.min.js.
//
// The tarball must match p.Integrity and the script p.MinJSSHA256 before
// anything is written to dir: the files are extracted into a temporary
// sibling directory that is renamed to dir only when complete, so dir is
// either absent or whole. A dir whose echarts.min.js fails the checksum is
// replaced.
func (p Package) Fetch(ctx context.Context, client *http.Client, dir string) (string, error) {
	if client == nil {
		client = http.DefaultClient
	}
	final := filepath.Join(dir, MinJS)
	if p.cached(dir) {
		return final, nil
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("assets: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return "", fmt.Errorf("assets: %w", err)
	}
	defer os.RemoveAll(tmp) // a no-op once renamed

	tgz := filepath.Join(tmp, "package.tgz")
	if err := p.download(ctx, client, tgz); err != nil {
		return "", err
	}
	if err := p.extract(tgz, tmp); err != nil {
		return "", err
	}
	if err := os.Remove(tgz); err != nil {
		return "", fmt.Errorf("assets: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp makes it 0700
		return "", fmt.Errorf("assets: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if p.cached(dir) { // another process won the race
			return final, nil
		}
		// dir exists but is stale or broken: replace it.
		if rerr := os.RemoveAll(dir); rerr != nil {
			return "", fmt.Errorf("assets: replacing %s: %w", dir, rerr)
		}
		if err := os.Rename(tmp, dir); err != nil {
			return "", fmt.Errorf("assets: %w", err)
		}
	}
	return final, nil
}

// cached reports whether dir already holds a verified copy.
func (p Package) cached(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, License)); err != nil {
		return false
	}
	sum, err := fileSum(sha256.New(), filepath.Join(dir, MinJS))
	if err != nil {
		return false
	}
	return p.MinJSSHA256 == "" || hex.EncodeToString(sum) == p.MinJSSHA256
}

func fileSum(h hash.Hash, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// download writes the tarball to path and checks its integrity.
func (p Package) download(ctx context.Context, client *http.Client, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
	if err != nil {
		return fmt.Errorf("assets: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("assets: downloading ECharts: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("assets: downloading %s: %s", p.URL, resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("assets: %w", err)
	}
	h := sha512.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(resp.Body, maxTarball+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("assets: downloading %s: %w", p.URL, err)
	}
	if n > maxTarball {
		return fmt.Errorf("assets: %s is larger than %d bytes", p.URL, maxTarball)
	}
	got := "sha512-" + base64.StdEncoding.EncodeToString(h.Sum(nil))
	if got != p.Integrity {
		return fmt.Errorf("assets: %s failed verification (%d bytes): integrity %s, want %s", p.URL, n, got, p.Integrity)
	}
	return nil
}

// extract copies the wanted files of the verified tarball into dir.
func (p Package) extract(tgz, dir string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return fmt.Errorf("assets: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("assets: %s: %w", p.URL, err)
	}
	want := map[string]string{
		"package/dist/echarts.min.js": MinJS,
		"package/LICENSE":             License,
		"package/NOTICE":              Notice,
	}
	found := map[string]bool{}
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("assets: %s: %w", p.URL, err)
		}
		name, ok := want[hdr.Name]
		if !ok || hdr.Typeflag != tar.TypeReg {
			continue
		}
		if err := writeFile(filepath.Join(dir, name), tr); err != nil {
			return err
		}
		found[name] = true
	}
	for _, name := range []string{MinJS, License} {
		if !found[name] {
			return fmt.Errorf("assets: %s has no %s", p.URL, name)
		}
	}
	if p.MinJSSHA256 != "" {
		sum, err := fileSum(sha256.New(), filepath.Join(dir, MinJS))
		if err != nil {
			return fmt.Errorf("assets: %w", err)
		}
		if got := hex.EncodeToString(sum); got != p.MinJSSHA256 {
			return fmt.Errorf("assets: %s in %s has sha256 %s, want %s", MinJS, p.URL, got, p.MinJSSHA256)
		}
	}
	return nil
}

func writeFile(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("assets: %w", err)
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("assets: writing %s: %w", path, err)
	}
	return nil
}

// Read returns the contents of the echarts.min.js that Locate finds.
func Read() ([]byte, error) {
	p, err := Locate()
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("assets: %s is empty: run `%s`", p, FetchCommand)
	}
	return b, nil
}
