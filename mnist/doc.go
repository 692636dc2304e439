// Package mnist reads the MNIST and Fashion-MNIST image data sets, downloads
// them on request, and embeds a small MNIST subset so that everything also
// works offline. It uses only the standard library and prints nothing.
//
// # Storage
//
// A Set keeps its examples compactly as bytes, exactly as the IDX files store
// them: Images holds N×Rows×Cols pixel bytes, row-major, one example after
// the other, so flattened there is one example per row of Dim() = Rows×Cols
// bytes (784 for 28×28 MNIST); Labels holds N bytes in 0..9. Scaling to
// [0,1] (x/255, through a 256-entry table) happens per batch, in Set.Batch,
// which writes a k×Dim() row-major []float64: one example per row, the
// layout package nn expects (X is N×784). Sets returned by Embedded and
// Subset share their backing arrays: treat Images and Labels as read-only.
//
// # Errors and panics
//
// Malformed data (bad magic, unsupported data type, absurd dimensions,
// truncated or over-long payload, corrupt gzip, mismatched counts, labels
// above 9) is reported as a *FormatError naming the file and what is wrong;
// the parser never panics and never allocates for a size the header merely
// claims. Missing files are errors that name the path and say how to get the
// data. Programmer errors — an out-of-range index, Batch buffers of the wrong
// length — panic with a message naming both sizes.
//
// # Where the data comes from
//
// Load and LoadDataset read the four official files from a directory (gzip
// or decompressed; gzip is recognised by its magic bytes, not by the name).
// Download and Fetch fetch them, checksum-pinned, into a per-user cache
// (os.UserCacheDir()/backprop/mnist, or $BACKPROP_DATA/mnist when that is
// set); this is the only code that uses the network, and it runs only when
// called. Open picks a source without the network: a given directory, else
// $BACKPROP_DATA, else the cache, else the embedded subset (Embedded: the
// first 10 000 training and first 2 000 test examples of MNIST), and says
// which one it used. Find names the directory that lookup lands on, for
// callers that need the full data and nothing less (the full-data tests,
// through mnisttest.Dir; cmd/benchpeers).
//
// # Licences and attribution
//
// MNIST is by Yann LeCun, Corinna Cortes and Christopher J.C. Burges
// (http://yann.lecun.com/exdb/mnist/) and is available under the terms of
// the Creative Commons Attribution-Share Alike 3.0 licence (CC BY-SA 3.0).
// The embedded subset in embedded/ is a verbatim prefix of it, re-compressed,
// under the same licence.
//
// Fashion-MNIST is by Zalando Research (Han Xiao, Kashif Rasul and Roland
// Vollgraf, "Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine
// Learning Algorithms", 2017; https://github.com/zalandoresearch/fashion-mnist)
// under the MIT licence. This package only downloads it; none is embedded.
package mnist
