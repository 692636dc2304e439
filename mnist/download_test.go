package mnist

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMain makes sure no test reaches the network: the default HTTP client
// refuses every host but the loopback address httptest servers use.
func TestMain(m *testing.M) {
	defaultClient = &http.Client{Transport: loopbackOnly{http.DefaultTransport}}
	os.Exit(m.Run())
}

type loopbackOnly struct{ rt http.RoundTripper }

func (l loopbackOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	if ip := net.ParseIP(r.URL.Hostname()); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("test tried to reach %s: tests must not use the network", r.URL)
	}
	return l.rt.RoundTrip(r)
}

// fakeFiles returns the tiny data set as the four official gzip files and
// their RemoteFile pins. The last file is pinned with Size 0 (unknown).
func fakeFiles(t *testing.T) (map[string][]byte, []RemoteFile) {
	t.Helper()
	content := map[string][]byte{
		trainImagesFile: gz(t, imagesIDX(4, 3, 2)),
		trainLabelsFile: gz(t, labelsIDX(7, 0, 9, 3)),
		testImagesFile:  gz(t, imagesIDX(2, 3, 2)),
		testLabelsFile:  gz(t, labelsIDX(1, 2)),
	}
	var files []RemoteFile
	for _, name := range fileNames {
		sum := sha256.Sum256(content[name])
		files = append(files, RemoteFile{Name: name, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(content[name]))})
	}
	files[3].Size = 0
	return content, files
}

// mirror is an httptest server serving files under /, counting requests per
// path. handle, if set, serves instead (for failure injection).
type mirror struct {
	*httptest.Server
	mu     sync.Mutex
	hits   map[string]int
	files  map[string][]byte
	handle func(w http.ResponseWriter, r *http.Request, body []byte)
}

func newMirror(t *testing.T, files map[string][]byte) *mirror {
	m := &mirror{hits: map[string]int{}, files: files}
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/data/")
		m.mu.Lock()
		m.hits[name]++
		m.mu.Unlock()
		body, ok := m.files[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if m.handle != nil {
			m.handle(w, r, body)
			return
		}
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.Write(body)
	}))
	t.Cleanup(m.Close)
	return m
}

func (m *mirror) base() string { return m.URL + "/data/" }

func (m *mirror) requests() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, h := range m.hits {
		n += h
	}
	return n
}

func (m *mirror) hitsFor(name string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.hits[name]
}

// dirFiles returns the names in dir, sorted.
func dirFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestDownloadSuccess(t *testing.T) {
	content, files := fakeFiles(t)
	m := newMirror(t, content)
	dir := filepath.Join(t.TempDir(), "new", "dir") // created by Download
	var progress []Progress
	train, test, err := Fetch(context.Background(), MNIST, dir, WithMirrors(m.base()), WithFiles(files...),
		WithProgress(func(p Progress) { progress = append(progress, p) }))
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 4 || test.Len() != 2 || train.Label(0) != 7 {
		t.Errorf("loaded %d/%d examples, first label %d", train.Len(), test.Len(), train.Label(0))
	}
	want := slices.Sorted(slices.Values(fileNames[:]))
	if got := dirFiles(t, dir); !slices.Equal(got, want) {
		t.Errorf("dir holds %v, want exactly %v", got, want)
	}
	for name, b := range content {
		if got, _ := os.ReadFile(filepath.Join(dir, name)); !bytes.Equal(got, b) {
			t.Errorf("%s: content differs", name)
		}
	}
	// Progress: for each file a start (Done 0) and an end (Done = size), in order.
	last := map[string]Progress{}
	for _, p := range progress {
		if prev, ok := last[p.File]; ok && p.Done < prev.Done {
			t.Errorf("%s: progress went back from %d to %d", p.File, prev.Done, p.Done)
		}
		last[p.File] = p
	}
	for _, f := range files {
		p := last[f.Name]
		size := int64(len(content[f.Name]))
		wantTotal := size // pinned, or the Content-Length for the unpinned one
		if p.Done != size || p.Total != wantTotal || p.Cached || p.URL != m.base()+f.Name {
			t.Errorf("%s: last progress %+v, want Done = Total = %d from %s", f.Name, p, size, m.base()+f.Name)
		}
	}
}

func TestDownloadDefaultDir(t *testing.T) {
	root := t.TempDir()
	isolate(t, root)
	content, files := fakeFiles(t)
	m := newMirror(t, content)
	dir, err := Download(context.Background(), Fashion, "", WithMirrors(m.base()), WithFiles(files...))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, "fashion-mnist"); dir != want || len(dirFiles(t, want)) != 4 {
		t.Errorf("Download went to %s (%v), want %s", dir, dirFiles(t, dir), want)
	}
}

func TestDownloadBadChecksum(t *testing.T) {
	content, files := fakeFiles(t)
	files[1].SHA256 = strings.Repeat("0", 64)
	m := newMirror(t, content)
	dir := t.TempDir()
	_, err := Download(context.Background(), MNIST, dir, WithMirrors(m.base()), WithFiles(files...))
	for _, w := range []string{"could not download " + trainLabelsFile + " from any of 1 mirrors", m.base() + trainLabelsFile, "SHA-256 mismatch", "want 0000"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v does not mention %q", err, w)
		}
	}
	// The first file was good and stays; the bad one leaves nothing behind.
	if got := dirFiles(t, dir); !slices.Equal(got, []string{trainImagesFile}) {
		t.Errorf("dir holds %v, want only %s", got, trainImagesFile)
	}
}

func TestDownloadCutConnection(t *testing.T) {
	content, files := fakeFiles(t)
	m := newMirror(t, content)
	m.handle = func(w http.ResponseWriter, r *http.Request, body []byte) {
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.WriteHeader(http.StatusOK)
		w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		conn.Close()
	}
	dir := t.TempDir()
	_, err := Download(context.Background(), MNIST, dir, WithMirrors(m.base()), WithFiles(files...))
	if err == nil || !strings.Contains(err.Error(), "unexpected EOF") || !strings.Contains(err.Error(), trainImagesFile) {
		t.Errorf("err = %v, want an unexpected EOF for %s", err, trainImagesFile)
	}
	if got := dirFiles(t, dir); len(got) != 0 {
		t.Errorf("dir holds %v, want nothing", got)
	}
}

func TestDownloadMirrorFallback(t *testing.T) {
	content, files := fakeFiles(t)
	bad := newMirror(t, nil) // 404 for everything
	good := newMirror(t, content)
	dir := t.TempDir()
	if _, err := Download(context.Background(), MNIST, dir, WithMirrors(bad.base(), good.base()), WithFiles(files...)); err != nil {
		t.Fatal(err)
	}
	if bad.requests() != 4 || good.requests() != 4 || len(dirFiles(t, dir)) != 4 {
		t.Errorf("requests: bad %d, good %d; files %v", bad.requests(), good.requests(), dirFiles(t, dir))
	}
}

func TestDownloadAllMirrorsFail(t *testing.T) {
	content, files := fakeFiles(t)
	notFound := newMirror(t, nil)
	wrongSize := newMirror(t, content)
	wrongSize.handle = func(w http.ResponseWriter, r *http.Request, body []byte) {
		w.Header().Set("Content-Length", fmt.Sprint(len(body)+1))
		w.Write(append(body, 0))
	}
	refused := httptest.NewServer(http.NotFoundHandler())
	refused.Close() // nothing listens there any more
	dir := t.TempDir()
	_, err := Download(context.Background(), MNIST, dir, WithMirrors(notFound.base(), wrongSize.base(), refused.URL+"/x"),
		WithFiles(files...))
	for _, w := range []string{
		"from any of 3 mirrors",
		notFound.base() + trainImagesFile + ": HTTP status 404 Not Found",
		wrongSize.base() + trainImagesFile + ": server announces",
		refused.URL + "/x/" + trainImagesFile + ": ",
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v does not mention %q", err, w)
		}
	}
	if got := dirFiles(t, dir); len(got) != 0 {
		t.Errorf("dir holds %v, want nothing", got)
	}
}

func TestDownloadTooLong(t *testing.T) {
	content, files := fakeFiles(t)
	m := newMirror(t, content)
	m.handle = func(w http.ResponseWriter, r *http.Request, body []byte) {
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush() // chunked, no Content-Length: the excess shows only while reading
		w.Write(append(body, 0))
	}
	dir := t.TempDir()
	_, err := Download(context.Background(), MNIST, dir, WithMirrors(m.base()), WithFiles(files...))
	if err == nil || !strings.Contains(err.Error(), "more than the expected") {
		t.Errorf("err = %v", err)
	}
	if got := dirFiles(t, dir); len(got) != 0 {
		t.Errorf("dir holds %v, want nothing", got)
	}
}

func TestDownloadCancel(t *testing.T) {
	content, files := fakeFiles(t)
	m := newMirror(t, content)
	m.handle = func(w http.ResponseWriter, r *http.Request, body []byte) {
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.Write(body[:10])
		w.(http.Flusher).Flush()
		select { // hang until the client goes away
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}
	second := newMirror(t, content)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	start := time.Now()
	_, err := Download(ctx, MNIST, dir, WithMirrors(m.base(), second.base()), WithFiles(files...),
		WithProgress(func(p Progress) {
			if p.Done > 0 {
				cancel()
			}
		}))
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "download of "+trainImagesFile+" stopped") {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Download took %v to notice the cancellation", d)
	}
	if second.requests() != 0 {
		t.Error("Download tried another mirror after the cancellation")
	}
	if got := dirFiles(t, dir); len(got) != 0 {
		t.Errorf("dir holds %v, want nothing", got)
	}
}

func TestDownloadStall(t *testing.T) {
	content, files := fakeFiles(t)
	stalling := newMirror(t, content)
	stalling.handle = func(w http.ResponseWriter, r *http.Request, body []byte) {
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.Write(body[:10])
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}
	good := newMirror(t, content)
	dir := t.TempDir()
	_, err := Download(context.Background(), MNIST, dir, WithMirrors(stalling.base(), good.base()), WithFiles(files...),
		WithStallTimeout(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if good.requests() != 4 || len(dirFiles(t, dir)) != 4 {
		t.Errorf("good mirror got %d requests; dir holds %v", good.requests(), dirFiles(t, dir))
	}

	// Alone, the stalling mirror's failure says what happened.
	dir = t.TempDir()
	_, err = Download(context.Background(), MNIST, dir, WithMirrors(stalling.base()), WithFiles(files...),
		WithStallTimeout(100*time.Millisecond))
	if !errors.Is(err, errStalled) || !strings.Contains(err.Error(), "after 10 bytes: transfer stalled: no data for 100ms") {
		t.Errorf("err = %v, want a stall", err)
	}
	if got := dirFiles(t, dir); len(got) != 0 {
		t.Errorf("dir holds %v, want nothing", got)
	}
}

func TestDownloadCached(t *testing.T) {
	content, files := fakeFiles(t)
	m := newMirror(t, content)
	dir := t.TempDir()
	opts := []Option{WithMirrors(m.base()), WithFiles(files...)}
	if _, err := Download(context.Background(), MNIST, dir, opts...); err != nil {
		t.Fatal(err)
	}
	if m.requests() != 4 {
		t.Fatalf("first download: %d requests, want 4", m.requests())
	}
	var cached []string
	opts = append(opts, WithProgress(func(p Progress) {
		if p.Cached && p.Done == int64(len(content[p.File])) {
			cached = append(cached, p.File)
		}
	}))
	if _, err := Download(context.Background(), MNIST, dir, opts...); err != nil {
		t.Fatal(err)
	}
	if m.requests() != 4 || len(cached) != 4 {
		t.Errorf("second download: %d requests in all (want 4), cached reported for %v", m.requests(), cached)
	}

	// A corrupt cached file (same size, one bit flipped) is fetched again.
	path := filepath.Join(dir, testImagesFile)
	bad := slices.Clone(content[testImagesFile])
	bad[20] ^= 1
	os.WriteFile(path, bad, 0o644)
	os.WriteFile(filepath.Join(dir, testLabelsFile), []byte("short"), 0o644)
	if _, err := Download(context.Background(), MNIST, dir, opts...); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, content[testImagesFile]) {
		t.Error("corrupt cached file was not replaced")
	}
	if m.hitsFor(testImagesFile) != 2 || m.hitsFor(testLabelsFile) != 2 || m.hitsFor(trainImagesFile) != 1 || len(dirFiles(t, dir)) != 4 {
		t.Errorf("requests per file %v; dir %v", m.hits, dirFiles(t, dir))
	}
}

func TestDownloadBadArguments(t *testing.T) {
	if _, err := Download(context.Background(), EmbeddedSubset, t.TempDir()); err == nil {
		t.Error("Download(EmbeddedSubset) did not fail")
	}
	if _, err := Download(context.Background(), MNIST, t.TempDir(), WithMirrors()); err == nil || !strings.Contains(err.Error(), "no mirrors") {
		t.Errorf("no mirrors: err = %v", err)
	}
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o644)
	if _, err := Download(context.Background(), MNIST, filepath.Join(file, "sub"), WithMirrors("http://127.0.0.1:1/")); err == nil {
		t.Error("Download into a path under a file did not fail")
	}
}

func TestPinnedLists(t *testing.T) {
	for _, kind := range []Dataset{MNIST, Fashion} {
		files, mirrors := Files(kind), Mirrors(kind)
		if len(files) != 4 || len(mirrors) == 0 {
			t.Fatalf("%s: %d files, %d mirrors", kind, len(files), len(mirrors))
		}
		for i, f := range files {
			if f.Name != fileNames[i] || len(f.SHA256) != 64 || f.Size <= 0 {
				t.Errorf("%s: bad pin %+v", kind, f)
			}
		}
	}
	if Files(EmbeddedSubset) != nil || Mirrors(EmbeddedSubset) != nil {
		t.Error("the embedded subset has files or mirrors")
	}
}
