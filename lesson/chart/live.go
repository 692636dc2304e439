package chart

import (
	"fmt"
	"html"
	"time"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/backprop-lab/backprop/lesson/internal/format"
	"github.com/backprop-lab/backprop/nn"
)

// LivePlot shows the learning curve and the per-epoch loss and accuracy
// while nn.SGD trains, redrawn in one transient notebook output at most a
// few times per second, then replaced by the final charts:
//
//	live := chart.NewLivePlot()
//	live.Test = func() (float64, float64) { return net.Evaluate(test) }
//	sgd := nn.SGD{LearningRate: 0.1, BatchSize: 200, Epochs: 5, OnBatch: live.OnBatch, OnEpoch: live.OnEpoch}
//	err := sgd.Train(net, train)
//	live.Done()
//
// Outside a notebook it only records (BatchLoss, Curves) and displays
// nothing.
type LivePlot struct {
	// Every is the shortest time between two redraws (default 250 ms: at
	// most 4 per second; the end of the last epoch is always drawn).
	Every time.Duration
	// Test, if set, is called after every epoch for the loss and accuracy
	// on held-out data, e.g. net.Evaluate(test).
	Test func() (loss, accuracy float64)

	BatchLoss []float64 // the loss of every mini-batch, in order
	Curves    Curves    // per epoch

	last   nn.Step
	drawn  time.Time
	id     string                // the transient output's display id
	now    func() time.Time      // the clock (tests replace it)
	update func(id, html string) // gonbui.UpdateHTML; nil outside a notebook
	show   func(html string)     // gonbui.DisplayHTML; nil outside a notebook
}

// livePoints bounds the points of the learning curve while training (each
// redraw resends the data); the final chart has up to maxLinePoints.
const livePoints = 500

// NewLivePlot returns a LivePlot that draws into a new transient output when
// running in GoNB.
func NewLivePlot() *LivePlot {
	p := &LivePlot{Every: 250 * time.Millisecond, now: time.Now}
	if gonbui.IsNotebook {
		p.id = "bp-live-" + gonbui.UniqueId()
		p.update = gonbui.UpdateHTML
		p.show = func(h string) { gonbui.DisplayHTML(h); gonbui.Sync() }
	}
	return p
}

// OnBatch records a step's loss and redraws if the last redraw is older
// than Every. It fits nn.SGD.OnBatch and never returns an error.
func (p *LivePlot) OnBatch(s nn.Step) error {
	p.BatchLoss = append(p.BatchLoss, s.Loss)
	p.last = s
	p.redraw(false)
	return nil
}

// OnEpoch records an epoch's loss and accuracy (and Test's, if set) and
// redraws, throttled like OnBatch except after the last epoch. It fits
// nn.SGD.OnEpoch and never returns an error.
func (p *LivePlot) OnEpoch(e nn.Epoch) error {
	p.Curves.TrainLoss = append(p.Curves.TrainLoss, e.Loss)
	p.Curves.TrainAcc = append(p.Curves.TrainAcc, e.Accuracy)
	if p.Test != nil {
		loss, acc := p.Test()
		p.Curves.TestLoss = append(p.Curves.TestLoss, loss)
		p.Curves.TestAcc = append(p.Curves.TestAcc, acc)
	}
	p.redraw(e.Epoch == e.Epochs)
	return nil
}

func (p *LivePlot) redraw(force bool) {
	if p.update == nil {
		return
	}
	now := p.now()
	if !force && now.Sub(p.drawn) < p.Every {
		return
	}
	p.drawn = now
	p.update(p.id, p.HTML())
}

// Charts returns the learning curve and, once an epoch has finished, the
// per-epoch curves.
func (p *LivePlot) Charts() []*Chart {
	return p.charts(maxLinePoints)
}

func (p *LivePlot) charts(points int) []*Chart {
	cs := []*Chart{LearningCurve(p.BatchLoss, WithMaxPoints(points))}
	if len(p.Curves.TrainLoss) > 0 {
		cs = append(cs, TrainingCurves(p.Curves))
	}
	return cs
}

// HTML returns what a redraw shows: a progress line and the charts. Each
// chart has a slot, so the browser frees the chart it replaces.
func (p *LivePlot) HTML() string {
	cs := p.charts(livePoints)
	for i, c := range cs {
		c.slot = fmt.Sprintf("%s/%d", p.id, i)
	}
	s := p.last
	progress := fmt.Sprintf("epoch %d/%d · batch %d/%d · batch loss %s", s.Epoch, s.Epochs, s.Batch, s.Batches, format.Num(s.Loss))
	return `<div class="bp-progress" style="font:13px sans-serif;margin:4px 0;">` + html.EscapeString(progress) + "</div>\n" + HTML(cs...)
}

// Done clears the transient output and displays the final charts in a
// regular output (kept in the saved notebook). Outside a notebook it does
// nothing.
func (p *LivePlot) Done() {
	if p.update == nil {
		return
	}
	p.update(p.id, "")
	p.show(HTML(p.Charts()...))
}
