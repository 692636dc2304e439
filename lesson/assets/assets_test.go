package assets

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

const fakeJS = "/*! fake echarts */ window.echarts = {};"

// fakeTarball builds an npm-style tarball holding files (name → content).
func fakeTarball(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, name := range []string{"package/package.json", "package/dist/echarts.min.js", "package/LICENSE", "package/NOTICE"} {
		body, ok := files[name]
		if !ok {
			continue
		}
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func integrity(b []byte) string {
	s := sha512.Sum512(b)
	return "sha512-" + base64.StdEncoding.EncodeToString(s[:])
}

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

var goodFiles = map[string]string{
	"package/package.json":        `{"name":"echarts"}`,
	"package/dist/echarts.min.js": fakeJS,
	"package/LICENSE":             "Apache License 2.0",
	"package/NOTICE":              "Apache ECharts NOTICE",
}

// serve returns a server that answers every request with body (cut to
// send bytes while still announcing the full length when send < len(body)),
// and a counter of requests.
func serve(t *testing.T, body []byte, send int) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path != "/echarts.tgz" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body[:send])
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// onlyDir reports the entries of parent, to check that nothing temporary is left.
func entries(t *testing.T, parent string) []string {
	t.Helper()
	des, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range des {
		names = append(names, d.Name())
	}
	return names
}

func TestFetch(t *testing.T) {
	good := fakeTarball(t, goodFiles)
	noLicense := fakeTarball(t, map[string]string{"package/dist/echarts.min.js": fakeJS})
	tests := []struct {
		name    string
		body    []byte
		send    int    // bytes actually sent
		path    string // request path
		pkg     func(p *Package)
		wantErr string // "" for success
	}{
		{name: "good", body: good, send: len(good)},
		{name: "bad hash", body: good, send: len(good),
			pkg: func(p *Package) { p.Integrity = integrity([]byte("something else")) }, wantErr: "failed verification"},
		{name: "truncated", body: good, send: len(good) / 2, wantErr: "unexpected EOF"},
		{name: "not found", body: good, send: len(good), path: "/missing.tgz", wantErr: "404"},
		{name: "script checksum", body: good, send: len(good),
			pkg: func(p *Package) { p.MinJSSHA256 = sha("other") }, wantErr: "has sha256"},
		{name: "no license", body: noLicense, send: len(noLicense),
			pkg: func(p *Package) { p.Integrity = integrity(noLicense) }, wantErr: "has no LICENSE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := serve(t, tc.body, tc.send)
			path := tc.path
			if path == "" {
				path = "/echarts.tgz"
			}
			p := Package{Version: "0.0.1", URL: srv.URL + path, Integrity: integrity(good), MinJSSHA256: sha(fakeJS)}
			if tc.pkg != nil {
				tc.pkg(&p)
			}
			parent := t.TempDir()
			dir := filepath.Join(parent, "echarts")
			got, err := p.Fetch(context.Background(), srv.Client(), dir)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Fetch error = %v, want one containing %q", err, tc.wantErr)
				}
				if left := entries(t, parent); len(left) != 0 {
					t.Errorf("failed Fetch left %v in %s", left, parent)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(dir, MinJS); got != want {
				t.Errorf("Fetch = %s, want %s", got, want)
			}
			for name, want := range map[string]string{MinJS: fakeJS, License: "Apache License 2.0", Notice: "Apache ECharts NOTICE"} {
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil || string(b) != want {
					t.Errorf("%s = %q, %v; want %q", name, b, err, want)
				}
			}
			if left := entries(t, parent); len(left) != 1 {
				t.Errorf("Fetch left %v in %s, want only the directory", left, parent)
			}
			if left := entries(t, dir); len(left) != 3 {
				t.Errorf("%s holds %v, want the three files", dir, left)
			}
		})
	}
}

func TestFetchCache(t *testing.T) {
	good := fakeTarball(t, goodFiles)
	srv, hits := serve(t, good, len(good))
	p := Package{Version: "0.0.1", URL: srv.URL + "/echarts.tgz", Integrity: integrity(good), MinJSSHA256: sha(fakeJS)}
	dir := filepath.Join(t.TempDir(), "echarts")
	for range 2 {
		if _, err := p.Fetch(context.Background(), srv.Client(), dir); err != nil {
			t.Fatal(err)
		}
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("two Fetches made %d requests, want 1 (the second is a cache hit)", n)
	}
	// A corrupted copy is replaced by a fresh one.
	if err := os.WriteFile(filepath.Join(dir, MinJS), []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Fetch(context.Background(), srv.Client(), dir); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, MinJS)); string(b) != fakeJS {
		t.Errorf("corrupted cache not replaced: %q", b)
	}
	if n := hits.Load(); n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
}

func TestLocate(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache) // os.UserCacheDir on Linux
	t.Setenv("HOME", cache)           // and on macOS
	t.Setenv(EnvPath, "")
	if _, err := Locate(); err == nil || !strings.Contains(err.Error(), FetchCommand) {
		t.Errorf("Locate with nothing installed: %v, want an error naming %q", err, FetchCommand)
	}
	js := filepath.Join(t.TempDir(), "my-echarts.js")
	if err := os.WriteFile(js, []byte(fakeJS), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvPath, js)
	if got, err := Locate(); err != nil || got != js {
		t.Errorf("Locate with $%s = %q, %v; want %q", EnvPath, got, err, js)
	}
	if b, err := Read(); err != nil || string(b) != fakeJS {
		t.Errorf("Read = %q, %v", b, err)
	}
	t.Setenv(EnvPath, js+".missing")
	if _, err := Locate(); err == nil {
		t.Error("Locate with a missing $BACKPROP_ECHARTS file succeeded")
	}
	t.Setenv(EnvPath, "")
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, MinJS), []byte(fakeJS), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := Locate(); err != nil || got != filepath.Join(dir, MinJS) {
		t.Errorf("Locate from the cache = %q, %v", got, err)
	}
}
