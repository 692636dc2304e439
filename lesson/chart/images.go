package chart

import (
	"fmt"
	"math"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"gonum.org/v1/gonum/mat"
)

// imageChart draws a rows×cols grid of values as a heatmap, row 0 at the
// top, with colour scale colors over [lo, hi]. Cells equal to skip are left
// out (drawn as background), which keeps digit images small.
func imageChart(caption string, rows, cols int, at func(i, j int) float64, lo, hi float64, colors []string, skip *float64) *Chart {
	xs := make([]int, cols)
	for j := range xs {
		xs[j] = j
	}
	ys := make([]int, rows)
	for i := range ys {
		ys[i] = i
	}
	var data []opts.HeatMapData
	for i := range rows {
		for j := range cols {
			v := at(i, j)
			if skip != nil && v == *skip {
				continue
			}
			data = append(data, opts.HeatMapData{Value: []any{j, i, finite(round4(v))}})
		}
	}
	hidden := opts.Bool(false)
	h := charts.NewHeatMap()
	h.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: caption, Left: "center", TitleStyle: &opts.TextStyle{FontSize: 12}}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: hidden}),
		charts.WithGridOpts(opts.Grid{Left: "4", Right: "4", Top: "22", Bottom: "4"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: xs, Show: hidden}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: ys, Show: hidden, Inverse: opts.Bool(true)}),
		charts.WithVisualMapOpts(opts.VisualMap{Show: hidden, Calculable: hidden, Min: float32(lo), Max: float32(hi),
			InRange: &opts.VisualMapInRange{Color: colors}}),
	)
	h.AddSeries("value", data)
	return newChart(caption, config{}, imageW, imageH, h)
}

// round4 rounds x to 4 significant digits: plenty for a colour, and it
// keeps the HTML of 784-pixel images small.
func round4(x float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 4, 64), 64)
	return r
}

// Images are greyscale images of one size: Pix[i] is image i, Rows×Cols
// bytes, row-major, 0 = background and 255 = ink (as in MNIST).
type Images struct {
	Pix        [][]byte
	Rows, Cols int
}

// DigitImage draws one greyscale image (rows×cols bytes, row-major, 0 =
// background, 255 = ink, as in MNIST) with a caption. It panics if pix does
// not hold rows·cols bytes.
func DigitImage(pix []byte, rows, cols int, caption string) *Chart {
	if len(pix) != rows*cols {
		panic(fmt.Sprintf("chart: DigitImage: %d pixels for a %d×%d image", len(pix), rows, cols))
	}
	zero := 0.0
	return imageChart(caption, rows, cols, func(i, j int) float64 { return float64(pix[i*cols+j]) }, 0, 255, inkScale, &zero)
}

// DigitImages draws every image, captioned WithCaptions (images without a
// caption show their index, "#3").
func DigitImages(imgs Images, options ...Option) []*Chart {
	cfg := configure(options)
	out := make([]*Chart, len(imgs.Pix))
	for i, pix := range imgs.Pix {
		caption := fmt.Sprint("#", i)
		if i < len(cfg.captions) {
			caption = cfg.captions[i]
		}
		out[i] = DigitImage(pix, imgs.Rows, imgs.Cols, caption)
	}
	return out
}

// Misclassified draws the images whose prediction differs from their label,
// in order, captioned "#index: true → predicted" (at most WithLimit of them;
// classes named WithClassNames). labels and predicted hold one class per
// image; it panics if their lengths differ from the number of images.
func Misclassified(imgs Images, labels, predicted []int, options ...Option) []*Chart {
	if len(labels) != len(imgs.Pix) || len(predicted) != len(imgs.Pix) {
		panic(fmt.Sprintf("chart: Misclassified: %d images, %d labels, %d predictions", len(imgs.Pix), len(labels), len(predicted)))
	}
	cfg := configure(options)
	var out []*Chart
	for i, pix := range imgs.Pix {
		if len(out) == cfg.limit {
			break
		}
		if labels[i] != predicted[i] {
			out = append(out, DigitImage(pix, imgs.Rows, imgs.Cols, fmt.Sprintf("#%d: %s → %s", i, cfg.className(labels[i]), cfg.className(predicted[i]))))
		}
	}
	return out
}

// WeightImages draws the incoming weights of the given units of a layer
// (rows of W, n_out×(rows·cols)) as rows×cols images: for the first layer
// on MNIST, the 28×28 pattern each hidden unit responds to. Blue is
// negative, red positive, on one symmetric scale shared by all units.
func WeightImages(w *mat.Dense, rows, cols int, units []int) []*Chart {
	nOut, nIn := w.Dims()
	if nIn != rows*cols {
		panic(fmt.Sprintf("chart: WeightImages: W is %d×%d, rows of %d weights cannot be %d×%d images", nOut, nIn, nIn, rows, cols))
	}
	var scale float64
	for _, u := range units {
		for _, x := range w.RawRowView(u) {
			scale = math.Max(scale, math.Abs(x))
		}
	}
	if scale == 0 {
		scale = 1
	}
	out := make([]*Chart, len(units))
	for k, u := range units {
		r := w.RawRowView(u)
		out[k] = imageChart(fmt.Sprintf("unit %d", u), rows, cols, func(i, j int) float64 { return r[i*cols+j] }, -scale, scale, signScale, nil)
	}
	return out
}

// ConfusionMatrix plots counts[true][predicted] (k×k) as a heatmap with the
// counts written in the cells; the title gives the accuracy, the trace over
// the total. Classes are numbered unless WithClassNames. It panics if
// counts is not square.
func ConfusionMatrix(counts [][]int, options ...Option) *Chart {
	cfg := configure(options)
	k := len(counts)
	names := make([]string, k)
	for i := range names {
		names[i] = cfg.className(i)
	}
	var data []opts.HeatMapData
	var total, right, peak int
	for i, row := range counts {
		if len(row) != k {
			panic(fmt.Sprintf("chart: ConfusionMatrix: row %d has %d entries, want %d", i, len(row), k))
		}
		for j, n := range row {
			total += n
			if i == j {
				right += n
			}
			peak = max(peak, n)
			data = append(data, opts.HeatMapData{Value: []any{j, i, n}})
		}
	}
	title := "Confusion matrix"
	if total > 0 {
		title += fmt.Sprintf(": accuracy %.2f%% (%d/%d)", 100*float64(right)/float64(total), right, total)
	}
	h := charts.NewHeatMap()
	h.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: title, TitleStyle: &opts.TextStyle{FontSize: 14}}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "80", Right: "20", Top: "50", Bottom: "50"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: names, Name: "predicted", NameLocation: "middle", NameGap: 28}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: names, Name: "true", NameLocation: "middle", NameGap: 50, Inverse: opts.Bool(true)}),
		// The diagonal dwarfs the errors, so the colour saturates at a tenth
		// of the largest count and the frequent confusions stand out.
		charts.WithVisualMapOpts(opts.VisualMap{Show: opts.Bool(false), Calculable: opts.Bool(false), Min: 0, Max: float32(max(1, peak/10)),
			InRange: &opts.VisualMapInRange{Color: countScale}}),
	)
	h.AddSeries("count", data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), FontSize: 11}))
	return newChart(title, cfg, 520, 480, h)
}
