package chart

import (
	"strconv"

	"github.com/backprop-lab/backprop/lesson/internal/format"
)

// Option adjusts a chart, in the style of go-echarts' charts.With…Opts:
// constructors take any number of options after their data and ignore the
// ones that do not apply to them (each option says who reads it).
type Option func(*config)

type config struct {
	width, height int      // 0: the constructor's default size
	classNames    []string // nil: classes are numbered
	captions      []string
	limit         int // < 0: no limit
	bins          int
	maxPoints     int
	subtitle      string
	xName, yName  string
	logX, logY    bool
}

// configure applies opts over the defaults.
func configure(opts []Option) config {
	c := config{limit: -1, bins: 20, maxPoints: maxLinePoints}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// size returns the configured size, or the default w×h.
func (c config) size(w, h int) (int, int) {
	if c.width > 0 {
		w = c.width
	}
	if c.height > 0 {
		h = c.height
	}
	return w, h
}

// className returns the name of class k, or k as a number when there is no
// name.
func (c config) className(k int) string {
	return format.ClassName(c.classNames, k)
}

// WithSize sets a chart's size in CSS pixels (every constructor that takes
// options; each kind has its own default).
func WithSize(width, height int) Option {
	return func(c *config) { c.width, c.height = width, height }
}

// WithClassNames names the classes 0, 1, … (SoftmaxBars, Misclassified,
// ConfusionMatrix); without it classes are numbered.
func WithClassNames(names []string) Option {
	return func(c *config) { c.classNames = names }
}

// WithCaptions captions images in order (DigitImages); images without a
// caption are captioned with their index.
func WithCaptions(captions []string) Option {
	return func(c *config) { c.captions = captions }
}

// WithLimit draws at most n charts (Misclassified).
func WithLimit(n int) Option {
	return func(c *config) { c.limit = n }
}

// WithBins sets the number of equal-width bins of a histogram (Histogram;
// default 20). It panics if n < 1.
func WithBins(n int) Option {
	if n < 1 {
		panic("chart: WithBins: " + strconv.Itoa(n) + " bins, want at least 1")
	}
	return func(c *config) { c.bins = n }
}

// WithMaxPoints bounds the points of a learning curve (LearningCurve;
// default 2000): longer series are averaged over equal buckets of
// consecutive batches.
func WithMaxPoints(n int) Option {
	return func(c *config) { c.maxPoints = max(1, n) }
}

// WithSubtitle sets the subtitle under a chart's title (Lines).
func WithSubtitle(s string) Option {
	return func(c *config) { c.subtitle = s }
}

// WithAxes names the x and y axes (Lines).
func WithAxes(xName, yName string) Option {
	return func(c *config) { c.xName, c.yName = xName, yName }
}

// WithLogAxes makes the x and/or y axis logarithmic, labelled 1e-8 rather
// than 0.00000001 (Lines).
func WithLogAxes(x, y bool) Option {
	return func(c *config) { c.logX, c.logY = x, y }
}
