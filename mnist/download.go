package mnist

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/backprop-lab/backprop/internal/atomicfile"
)

// RemoteFile describes one file to download and how to verify it.
type RemoteFile struct {
	Name   string // file name; appended to each mirror's base URL and used in the target directory
	SHA256 string // expected SHA-256 of the file, lowercase hex
	Size   int64  // expected size in bytes; 0 if unknown (then at most maxDownload bytes are accepted)
}

// maxDownload bounds a file whose size is not pinned.
const maxDownload = 256 << 20

// Files returns the pinned list of files of kind (MNIST or Fashion), nil for
// other kinds. The checksums are of the official gzip files.
func Files(kind Dataset) []RemoteFile {
	switch kind {
	case MNIST:
		return []RemoteFile{
			{trainImagesFile, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", 9912422},
			{trainLabelsFile, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", 28881},
			{testImagesFile, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", 1648877},
			{testLabelsFile, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", 4542},
		}
	case Fashion:
		return []RemoteFile{
			{trainImagesFile, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84", 26421880},
			{trainLabelsFile, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845", 29515},
			{testImagesFile, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073", 4422102},
			{testLabelsFile, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5", 5148},
		}
	}
	return nil
}

// Mirrors returns the base URLs Download tries for kind, in order, nil for
// kinds that have no files. Each file is fetched from base URL + file name.
// Every file is checked against its pinned SHA-256, so plain-HTTP mirrors are
// as safe as HTTPS ones.
func Mirrors(kind Dataset) []string {
	switch kind {
	case MNIST:
		return []string{
			"https://ossci-datasets.s3.amazonaws.com/mnist/",
			"https://storage.googleapis.com/cvdf-datasets/mnist/",
			"http://yann.lecun.com/exdb/mnist/",
		}
	case Fashion:
		return []string{
			"http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
			"https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/",
		}
	}
	return nil
}

// Progress reports how far the download of one file has got.
type Progress struct {
	File   string // file name, e.g. "train-images-idx3-ubyte.gz"
	URL    string // URL being read; "" when Cached
	Done   int64  // bytes received so far
	Total  int64  // expected bytes; -1 if unknown
	Cached bool   // the file was already in the directory with the right checksum; nothing is downloaded
}

// Option configures Download and Fetch.
type Option func(*options)

type options struct {
	mirrors  []string
	files    []RemoteFile
	client   *http.Client
	progress func(Progress)
	stall    time.Duration
}

// WithMirrors replaces the list of base URLs tried in order (default Mirrors(kind)).
func WithMirrors(baseURLs ...string) Option {
	return func(o *options) { o.mirrors = baseURLs }
}

// WithFiles replaces the list of files and their checksums (default Files(kind)).
func WithFiles(files ...RemoteFile) Option {
	return func(o *options) { o.files = files }
}

// WithHTTPClient sets the HTTP client. The default client gives up on a
// server that sends no response header within 30 s; see also WithStallTimeout.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) { o.client = c }
}

// WithProgress sets a function called as each file's bytes arrive (and once
// for each file found already cached), e.g. to draw a progress bar. It is
// called from the goroutine that called Download.
func WithProgress(f func(Progress)) Option {
	return func(o *options) { o.progress = f }
}

// WithStallTimeout sets how long a transfer may go without receiving any
// byte before that mirror is abandoned (default 60 s). There is no limit on
// the total duration: cancel ctx for that.
func WithStallTimeout(d time.Duration) Option {
	return func(o *options) { o.stall = d }
}

var defaultClient = func() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = 30 * time.Second
	return &http.Client{Transport: t}
}()

// Download makes sure dir holds the official files of kind (MNIST or
// Fashion), fetching the missing ones, and returns dir. If dir is "", it
// uses DefaultDir(kind).
//
// A file already in dir is trusted only if its SHA-256 matches the pinned
// one; otherwise it is fetched again. Each file is fetched from the mirrors in
// order until one succeeds: a non-200 status, a cut connection, a stalled
// transfer or a wrong size or checksum moves on to the next mirror, and if
// all fail the error lists every mirror's failure. A file is written to a
// temporary file in dir, synced and renamed into place only once its checksum
// is right, so an interrupted or corrupt download never leaves a file under
// the official name; the temporary file is removed on any failure.
// Cancelling ctx stops at once.
func Download(ctx context.Context, kind Dataset, dir string, opts ...Option) (string, error) {
	if err := kind.downloadable(); err != nil {
		return "", err
	}
	o := options{mirrors: Mirrors(kind), files: Files(kind), client: defaultClient, stall: 60 * time.Second}
	for _, opt := range opts {
		opt(&o)
	}
	if o.progress == nil {
		o.progress = func(Progress) {}
	}
	if dir == "" {
		d, err := DefaultDir(kind)
		if err != nil {
			return "", err
		}
		dir = d
	}
	if len(o.mirrors) == 0 {
		return dir, errors.New("mnist: Download: no mirrors")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return dir, fmt.Errorf("mnist: creating data directory: %w", err)
	}
	for _, f := range o.files {
		if err := o.fetch(ctx, dir, f); err != nil {
			return dir, err
		}
	}
	return dir, nil
}

// Fetch downloads kind into dir as Download does, then loads it with
// LoadDataset.
func Fetch(ctx context.Context, kind Dataset, dir string, opts ...Option) (train, test *Set, err error) {
	dir, err = Download(ctx, kind, dir, opts...)
	if err != nil {
		return nil, nil, err
	}
	return LoadDataset(kind, dir)
}

// fetch makes dir/f.Name a verified copy of f, trying each mirror in turn.
func (o *options) fetch(ctx context.Context, dir string, f RemoteFile) error {
	dst := filepath.Join(dir, f.Name)
	if size, err := checkFile(dst, f); err == nil {
		o.progress(Progress{File: f.Name, Done: size, Total: size, Cached: true})
		return nil
	}
	var errs []error
	for _, base := range o.mirrors {
		url := strings.TrimSuffix(base, "/") + "/" + f.Name
		err := o.fetchFrom(ctx, url, dst, f)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("mnist: download of %s stopped: %w", f.Name, context.Cause(ctx))
		}
		errs = append(errs, fmt.Errorf("%s: %w", url, err))
	}
	return fmt.Errorf("mnist: could not download %s from any of %d mirrors:\n%w", f.Name, len(errs), errors.Join(errs...))
}

// errStalled is the cancellation cause when a transfer stalls.
var errStalled = errors.New("transfer stalled")

// fetchFrom downloads url into a temporary file next to dst, verifies it
// against f and renames it to dst (atomicfile). On any failure the temporary
// file is removed and dst is left as it was.
func (o *options) fetchFrom(ctx context.Context, url, dst string, f RemoteFile) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	// The stall timer covers waiting for the response as well as the body.
	stall := time.AfterFunc(o.stall, func() {
		cancel(fmt.Errorf("%w: no data for %v", errStalled, o.stall))
	})
	defer stall.Stop()
	resp, err := o.client.Do(req)
	if err != nil {
		return causeOr(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP status %s", resp.Status)
	}
	limit := int64(maxDownload)
	total := resp.ContentLength
	if f.Size > 0 {
		if total >= 0 && total != f.Size {
			return fmt.Errorf("server announces %d bytes, want %d", total, f.Size)
		}
		limit, total = f.Size, f.Size
	} else if total > limit {
		return fmt.Errorf("server announces %d bytes, over the limit of %d", total, limit)
	}

	tmp, err := atomicfile.Create(dst, 0o644)
	if err != nil {
		return err
	}
	defer tmp.Abort()
	h := sha256.New()
	var done int64
	buf := make([]byte, 64<<10)
	o.progress(Progress{File: f.Name, URL: url, Done: 0, Total: total})
	for {
		n, rerr := resp.Body.Read(buf)
		if n > 0 {
			stall.Reset(o.stall)
			if done+int64(n) > limit {
				return fmt.Errorf("server sent more than the expected %d bytes", limit)
			}
			if _, err := tmp.Write(buf[:n]); err != nil {
				return err
			}
			h.Write(buf[:n])
			done += int64(n)
			o.progress(Progress{File: f.Name, URL: url, Done: done, Total: total})
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return fmt.Errorf("after %d bytes: %w", done, causeOr(ctx, rerr))
		}
	}
	if f.Size > 0 && done != f.Size {
		return fmt.Errorf("got %d bytes, want %d", done, f.Size)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != f.SHA256 {
		return fmt.Errorf("SHA-256 mismatch: got %s, want %s", sum, f.SHA256)
	}
	return tmp.Commit()
}

// causeOr returns ctx's cancellation cause if ctx is done (a stall or the
// caller's cancellation), else err.
func causeOr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return err
}

// checkFile returns the size of the file at path if it matches f's size (when
// pinned) and checksum, else an error.
func checkFile(path string, f RemoteFile) (int64, error) {
	file, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer file.Close()
	h := sha256.New()
	n, err := io.Copy(h, file)
	if err != nil {
		return 0, err
	}
	if f.Size > 0 && n != f.Size {
		return 0, fmt.Errorf("%s: %d bytes, want %d", path, n, f.Size)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != f.SHA256 {
		return 0, fmt.Errorf("%s: SHA-256 %s, want %s", path, sum, f.SHA256)
	}
	return n, nil
}
