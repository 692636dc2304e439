package lesson

import (
	"errors"
	"fmt"
	"strings"

	"github.com/backprop-lab/backprop/lesson/chart"
	"github.com/backprop-lab/backprop/nn"
)

// This file holds the validation split of the training lesson (06): choose
// the learning rate and the number of epochs on data held out of the
// training set, and look at the test set once, at the end.

// HoldOut splits data, without shuffling, into a fit part (the first
// Len − n examples) and a validation part (the last n). Both are views:
// nothing is copied. It panics unless 0 < n < data.Len().
func HoldOut(data nn.Data, n int) (fit, val nn.Data) {
	if n <= 0 || n >= data.Len() {
		panic(fmt.Sprintf("lesson: HoldOut of %d examples from %d", n, data.Len()))
	}
	return examplesRange{data, 0, data.Len() - n}, examplesRange{data, data.Len() - n, n}
}

// examplesRange is the examples [from, from+n) of data.
type examplesRange struct {
	data    nn.Data
	from, n int
}

func (r examplesRange) Len() int { return r.n }
func (r examplesRange) Dim() int { return r.data.Dim() }

// Batch writes examples idx (indices into the range) by shifting them into
// data's indices.
func (r examplesRange) Batch(x []float64, labels []int, idx []int) {
	shifted := make([]int, len(idx))
	for k, i := range idx {
		if i < 0 || i >= r.n {
			panic(fmt.Sprintf("lesson: example %d of a range of %d", i, r.n))
		}
		shifted[k] = r.from + i
	}
	r.data.Batch(x, labels, shifted)
}

// Selection chooses the learning rate η and the number of epochs on a
// validation set: for each η of Etas it trains Net (same seed, so the same
// initial weights) for Epochs epochs on the fit data and measures the
// validation loss and accuracy after every epoch. The choice is the (η,
// epoch) of highest validation accuracy (the earlier epoch and then the
// smaller η on a tie), and its network is kept as it was after that epoch.
type Selection struct {
	Net       nn.Config
	Etas      []float64
	Epochs    int
	BatchSize int
	Seed      uint64 // shuffling
}

// Candidate is one learning rate's run: per epoch the validation loss and
// accuracy (shorter than Epochs if training diverged).
type Candidate struct {
	Eta      float64
	ValLoss  []float64
	ValAcc   []float64
	Diverged *nn.DivergenceError
}

// Choice is the selected learning rate and epoch count, with the network
// trained that far and its validation accuracy.
type Choice struct {
	Eta    float64
	Epochs int
	ValAcc float64
	Net    *nn.Network
}

// Run trains one network per learning rate on fit, evaluates it on val
// after every epoch, and returns every candidate and the choice. Diverged
// runs are kept (up to their last finished epoch); other training errors
// are returned.
func (s Selection) Run(fit, val nn.Data) ([]Candidate, Choice, error) {
	var cands []Candidate
	var best Choice
	for _, eta := range s.Etas {
		net, err := nn.New(s.Net)
		if err != nil {
			return nil, Choice{}, err
		}
		c := Candidate{Eta: eta}
		sgd := nn.SGD{LearningRate: eta, BatchSize: s.BatchSize, Epochs: s.Epochs, Seed: s.Seed,
			OnEpoch: func(e nn.Epoch) error {
				loss, acc := net.Evaluate(val)
				c.ValLoss, c.ValAcc = append(c.ValLoss, loss), append(c.ValAcc, acc)
				if best.Net == nil || acc > best.ValAcc || acc == best.ValAcc && e.Epoch < best.Epochs {
					best = Choice{Eta: eta, Epochs: e.Epoch, ValAcc: acc, Net: net.Clone()}
				}
				return nil
			}}
		err = sgd.Train(net, fit)
		if err != nil && !errors.As(err, &c.Diverged) {
			return nil, Choice{}, err
		}
		cands = append(cands, c)
	}
	if best.Net == nil {
		return cands, best, errors.New("lesson: no learning rate finished an epoch")
	}
	return cands, best, nil
}

// SelectionTable prints the validation accuracy of every (η, epoch), one
// line per η, and the choice.
func SelectionTable(cands []Candidate, ch Choice) string {
	var b strings.Builder
	b.WriteString("validation accuracy per epoch\n")
	for _, c := range cands {
		fmt.Fprintf(&b, "η = %-5g", c.Eta)
		for _, a := range c.ValAcc {
			fmt.Fprintf(&b, " %5.1f", 100*a)
		}
		if c.Diverged != nil {
			fmt.Fprintf(&b, "  diverged (epoch %d)", c.Diverged.Epoch)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "chosen on the validation set: η = %g, %d epochs (validation accuracy %.2f%%)\n", ch.Eta, ch.Epochs, 100*ch.ValAcc)
	return b.String()
}

// SelectionCharts draws the validation loss and accuracy against the epoch,
// one curve per learning rate.
func SelectionCharts(cands []Candidate) []*chart.Chart {
	var loss, acc []chart.Series
	for _, c := range cands {
		name := fmt.Sprintf("η = %g", c.Eta)
		xs := make([]float64, len(c.ValLoss))
		for k := range xs {
			xs[k] = float64(k + 1)
		}
		loss = append(loss, chart.Series{Name: name, X: xs, Y: c.ValLoss})
		acc = append(acc, chart.Series{Name: name, X: xs, Y: c.ValAcc})
	}
	return []*chart.Chart{
		chart.Lines("Validation loss per epoch", loss, chart.WithAxes("epoch", "validation loss"), chart.WithSize(440, 320)),
		chart.Lines("Validation accuracy per epoch", acc, chart.WithAxes("epoch", "validation accuracy"), chart.WithSize(440, 320)),
	}
}
