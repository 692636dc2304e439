package main

import (
	"fmt"
	"io"
	"time"

	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
	"github.com/schollz/progressbar/v3"
)

// epochBar draws one progress bar per epoch on a terminal and nothing
// otherwise (the per-epoch lines on stdout are the plain-text progress).
type epochBar struct {
	w   io.Writer
	tty bool
	bar *progressbar.ProgressBar
}

func newBar(w io.Writer, tty bool) *epochBar { return &epochBar{w: w, tty: tty} }

// step advances the bar after a mini-batch, starting a new bar with each epoch.
func (b *epochBar) step(s nn.Step) {
	if !b.tty {
		return
	}
	if b.bar == nil {
		b.bar = progressbar.NewOptions(s.Batches,
			progressbar.OptionSetWriter(b.w),
			progressbar.OptionSetDescription(fmt.Sprintf("epoch %d/%d", s.Epoch, s.Epochs)),
			progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	b.bar.Add(1)
}

// done clears the bar at the end of an epoch (or on an error).
func (b *epochBar) done() {
	if b.bar != nil {
		b.bar.Finish()
		b.bar = nil
	}
}

// downloadProgress reports mnist.Download progress: a byte bar per file on a
// terminal, one line per finished file otherwise.
func downloadProgress(w io.Writer, tty bool) func(mnist.Progress) {
	var bar *progressbar.ProgressBar
	var file string
	return func(p mnist.Progress) {
		switch {
		case p.Cached:
			fmt.Fprintf(w, "%s: already downloaded, checksum OK\n", p.File)
		case tty:
			if bar == nil || file != p.File {
				file = p.File
				bar = progressbar.NewOptions64(p.Total, progressbar.OptionSetWriter(w),
					progressbar.OptionSetDescription(p.File), progressbar.OptionShowBytes(true),
					progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
			}
			bar.Set64(p.Done)
		case p.Total > 0 && p.Done == p.Total:
			fmt.Fprintf(w, "%s: downloaded %d bytes from %s\n", p.File, p.Done, p.URL)
		}
	}
}
