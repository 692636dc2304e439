package lesson

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/lesson/chart"
	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
)

// OutputBars plots the output probabilities a⁽ʰ⁾ of example n of a trace
// (row n of A⁽ʰ⁾, k values) with chart.SoftmaxBars, rounded to 4 decimals
// for the bar labels, the true class in green; classNames may be nil.
func OutputBars(t *Trace, n int, classNames []string) *chart.Chart {
	probs := mat.Row(nil, n, t.Layer(t.H()).A)
	for i, p := range probs {
		probs[i] = math.Round(p*1e4) / 1e4
	}
	return chart.SoftmaxBars(probs, t.Labels[n], chart.WithClassNames(classNames))
}

// SetDigits draws the first n images of s captioned with their labels.
func SetDigits(s *mnist.Set, n int) []*chart.Chart {
	n = min(n, s.Len())
	idx := make([]int, n)
	captions := make([]string, n)
	names := s.ClassNames()
	for i := range idx {
		idx[i] = i
		captions[i] = fmt.Sprintf("#%d: %s", i, names[s.Label(i)])
	}
	return chart.DigitImages(chart.Images{Pix: setImages(s, idx), Rows: s.Rows, Cols: s.Cols}, chart.WithCaptions(captions))
}

// SetConfusionMatrix plots the confusion matrix of predictions (one per
// example of s, e.g. from nn.Network.PredictAll).
func SetConfusionMatrix(s *mnist.Set, predicted []int) *chart.Chart {
	return chart.ConfusionMatrix(Confusion(Labels(s), predicted, s.Classes()), chart.WithClassNames(s.ClassNames()))
}

// SetMisclassified draws up to limit examples of s whose prediction is wrong,
// in order, captioned "#index: true → predicted" with the index in s.
func SetMisclassified(s *mnist.Set, predicted []int, limit int) []*chart.Chart {
	if len(predicted) != s.Len() {
		panic(fmt.Sprintf("lesson: SetMisclassified: %d predictions for %d examples", len(predicted), s.Len()))
	}
	all := make([]int, s.Len())
	for i := range all {
		all[i] = i
	}
	imgs := chart.Images{Pix: setImages(s, all), Rows: s.Rows, Cols: s.Cols}
	return chart.Misclassified(imgs, Labels(s), predicted, chart.WithClassNames(s.ClassNames()), chart.WithLimit(limit))
}

// FirstLayerWeights draws the incoming weights of the first n units of
// layer 1 (rows of W⁽¹⁾) as rows×cols images: on MNIST (28×28) the pattern
// each hidden unit responds to.
func FirstLayerWeights(net *nn.Network, rows, cols, n int) []*chart.Chart {
	d := net.Dense(1)
	if d == nil {
		panic("lesson: FirstLayerWeights: layer 1 is not an *nn.Dense")
	}
	nOut, _ := d.W.Dims()
	units := make([]int, min(n, nOut))
	for i := range units {
		units[i] = i
	}
	return chart.WeightImages(d.W, rows, cols, units)
}

// matValues returns the elements of m.
func matValues(m mat.Matrix) []float64 {
	r, c := m.Dims()
	out := make([]float64, 0, r*c)
	for i := range r {
		for j := range c {
			out = append(out, m.At(i, j))
		}
	}
	return out
}

// ActivationHistograms plots, for each layer s of the trace, the
// distribution of the N·n_s entries of its activations A⁽ˢ⁾ in bins
// equal-width bins: one chart per layer.
func ActivationHistograms(t *Trace, bins int) []*chart.Chart {
	out := make([]*chart.Chart, len(t.Layers))
	for i, l := range t.Layers {
		out[i] = chart.Histogram(fmt.Sprintf("a%s (%s), layer %d", sup(l.S), l.Act, l.S), matValues(l.A), chart.WithBins(bins))
	}
	return out
}

// GradientHistograms plots, for each layer s of the trace, the distribution
// of the n_out·n_in entries of ∂E/∂W⁽ˢ⁾ in bins equal-width bins: one chart
// per layer.
func GradientHistograms(t *Trace, bins int) []*chart.Chart {
	out := make([]*chart.Chart, len(t.Layers))
	for i, l := range t.Layers {
		out[i] = chart.Histogram(fmt.Sprintf("∂E/∂W%s, layer %d", sup(l.S), l.S), matValues(l.DW), chart.WithBins(bins))
	}
	return out
}
