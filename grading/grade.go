// Package grade checks a student's layer the way cmd/gradcheck does: the
// student's package exports a constructor
//
//	func NewLayer(nIn, nOut int) L   // L implements nn.Layer (gradcheck.Layer)
//
// and grade checks (1) one layer built by it, including the input gradient
// ∂L/∂x its Backward returns, and (2) a network whose hidden layers are
// built by it, topped by an nn.Dense softmax layer, where a wrong input
// gradient shows up as wrong W⁽¹⁾, b⁽¹⁾ (the lab's bug). A grader may call
// Run from a program or test of their own.
//
// It also holds the checks of the exercises notebook (ReLUPrime,
// OutputDelta, DenseLayer, SGDStep, TrainYourOwn, NumGrad, TanhLayer,
// Backprop, TinyAnswers; Exercises for a whole Submission), which the notebook's check cells call in the kernel and
// cmd/nbgrade runs on a learner's notebook.
//
// Grading a learner's code from outside runs it as hostile: the commands
// (cmd/gradcheck, cmd/nbgrade) build a program from it whose main serves
// this package's units (LayerUnits, ExerciseUnits) through package runner,
// one process per unit, and believe only the verdicts the runner
// authenticates.
package grading

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/grading/runner"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// Config says what to check and how to print it.
type Config struct {
	// Name is the constructor's name, for the report ("NewLayer").
	Name string
	// In, Out and Batch are n_in, n_out and B of the layer check.
	In, Out, Batch int
	// Hidden are the hidden widths of the network check (empty: no network
	// check); its input width is In and its softmax layer has Classes units.
	Hidden  []int
	Classes int
	// Seed seeds the data, the random parameters and the check.
	Seed uint64
	// Mode is the check's mode.
	Mode gradcheck.Mode
	// Randomize overwrites every parameter the constructor made with seeded
	// values in [−1, 1), so that a zero-initialised layer is not checked at
	// the degenerate point θ = 0.
	Randomize bool
	// JSON prints Gradescope's results.json instead of the text tables.
	JSON bool
	// Points is the score of each tensor's test in the JSON.
	Points float64
}

// DefaultConfig is the configuration of cmd/gradcheck without flags: a
// 6 → 5 layer on a batch of 4, and a 6-5-4-3 network (two hidden layers,
// so that the lab's bug shows).
func DefaultConfig() Config {
	return Config{Name: "NewLayer", In: 6, Out: 5, Batch: 4, Hidden: []int{5, 4}, Classes: 3, Randomize: true, Points: 1}
}

// RegisterFlags defines c's flags on fs, with c's values as defaults.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Name, "layer", c.Name, "name of the student's constructor `func(nIn, nOut int) L`, L an nn.Layer")
	fs.IntVar(&c.In, "in", c.In, "n_in of the checked layer and of the network")
	fs.IntVar(&c.Out, "out", c.Out, "n_out of the checked layer")
	fs.IntVar(&c.Batch, "batch", c.Batch, "batch size B")
	fs.Func("hidden", "hidden widths of the network check, e.g. 5,4 (\"\" for no network check)", func(s string) error {
		h, err := nn.ParseSizes(s)
		c.Hidden = h
		return err
	})
	fs.IntVar(&c.Classes, "classes", c.Classes, "classes (softmax units) of the network check")
	fs.Uint64Var(&c.Seed, "seed", c.Seed, "seed of the data, parameters and spot checks")
	fs.Func("mode", "check mode: auto, full or directional (default auto)", func(s string) error {
		m, err := gradcheck.ParseMode(s)
		c.Mode = m
		return err
	})
	fs.BoolVar(&c.Randomize, "randomize", c.Randomize, "overwrite the constructor's parameters with seeded values in [-1, 1)")
	fs.BoolVar(&c.JSON, "json", c.JSON, "print Gradescope's results.json instead of tables")
	fs.Float64Var(&c.Points, "points", c.Points, "points per parameter tensor in the JSON")
}

// Args returns the command-line arguments that make RegisterFlags produce c.
func (c Config) Args() []string {
	h := make([]string, len(c.Hidden))
	for i, x := range c.Hidden {
		h[i] = strconv.Itoa(x)
	}
	return []string{"-layer=" + c.Name, "-in=" + strconv.Itoa(c.In), "-out=" + strconv.Itoa(c.Out),
		"-batch=" + strconv.Itoa(c.Batch), "-hidden=" + strings.Join(h, ","), "-classes=" + strconv.Itoa(c.Classes),
		"-seed=" + strconv.FormatUint(c.Seed, 10), "-mode=" + c.Mode.String(), "-randomize=" + strconv.FormatBool(c.Randomize),
		"-json=" + strconv.FormatBool(c.JSON), "-points=" + strconv.FormatFloat(c.Points, 'g', -1, 64)}
}

// validate reports a configuration error.
func (c Config) validate() error {
	if c.In <= 0 || c.Out <= 0 || c.Batch <= 0 || c.Classes <= 0 {
		return fmt.Errorf("sizes must be positive: -in %d -out %d -batch %d -classes %d", c.In, c.Out, c.Batch, c.Classes)
	}
	return nil
}

// Result is the outcome of one check: a report, or the panic that stopped
// the student's code.
type Result struct {
	// Check names the check ("layer NewLayer(6, 5)").
	Check  string
	Report *gradcheck.Report
	// Panic is the student's panic with its stack, if the check panicked;
	// Where is the student's function and line it came from ("" if
	// unknown); Shapes the operands' shapes and the products that fit them
	// ("" if unknown).
	Panic, Where, Shapes string
}

// OK reports whether the check ran and passed.
func (r Result) OK() bool { return r.Panic == "" && r.Report.OK() }

// The checks Run performs, by unit ID.
const (
	LayerCheck   = "layer"
	NetworkCheck = "network"
)

// checkNames returns the IDs and names of c's checks, in order.
func (c Config) checkNames() (ids, names []string) {
	ids = []string{LayerCheck}
	names = []string{fmt.Sprintf("layer %s(%d, %d)", c.Name, c.In, c.Out)}
	if len(c.Hidden) > 0 {
		ids = append(ids, NetworkCheck)
		names = append(names, fmt.Sprintf("network %s (hidden layers by %s)", c.netName(), c.Name))
	}
	return ids, names
}

func (c Config) sizes() []int { return append(append([]int{c.In}, c.Hidden...), c.Classes) }

func (c Config) netName() string {
	return strings.Trim(strings.ReplaceAll(fmt.Sprint(c.sizes()), " ", "-"), "[]")
}

// Run performs the layer check and, if c.Hidden is set, the network check.
// Each check draws its data from its own seeded stream, so that it gives
// the same result run alone (as a grading program's unit) or after the
// other.
func Run(c Config, newLayer func(nIn, nOut int) nn.Layer) []Result {
	ids, _ := c.checkNames()
	out := make([]Result, len(ids))
	for i, id := range ids {
		out[i] = c.check(id, newLayer)
	}
	return out
}

// check performs one check, by ID.
func (c Config) check(id string, newLayer func(nIn, nOut int) nn.Layer) Result {
	ids, names := c.checkNames()
	o := &gradcheck.Options{Mode: c.Mode, Seed: c.Seed}
	switch id {
	case LayerCheck:
		rng := rand.New(rand.NewPCG(c.Seed, 0x6772616465)) // "grade"
		shapes := []gradcheck.Operand{{Name: "X", Rows: c.Batch, Cols: c.In}, {Name: "G", Rows: c.Batch, Cols: c.Out},
			{Name: "Δ", Rows: c.Batch, Cols: c.Out}, {Name: "W", Rows: c.Out, Cols: c.In}}
		return guard(names[0], shapes, func() *gradcheck.Report {
			l := build(newLayer, c.In, c.Out, c.Name)
			if c.Randomize {
				randomize(l, rng)
			}
			return gradcheck.CheckLayer(l, uniform(rng, c.Batch, c.In), o)
		})
	case NetworkCheck:
		if len(ids) < 2 {
			break
		}
		rng := rand.New(rand.NewPCG(c.Seed, 0x6e6574)) // "net"
		sizes := c.sizes()
		return guard(names[1], nil, func() *gradcheck.Report {
			net := &nn.Network{}
			for i := 0; i+1 < len(sizes)-1; i++ {
				net.Layers = append(net.Layers, build(newLayer, sizes[i], sizes[i+1], c.Name))
			}
			net.Layers = append(net.Layers, nn.NewDense(sizes[len(sizes)-2], c.Classes, softmax))
			for _, l := range net.Layers {
				if c.Randomize {
					randomize(l, rng)
				}
			}
			if !c.Randomize { // our softmax layer is zero: give it weights
				randomize(net.Layers[len(net.Layers)-1], rng)
			}
			x := uniform(rng, c.Batch, c.In)
			labels := make([]int, c.Batch)
			for i := range labels {
				labels[i] = rng.IntN(c.Classes)
			}
			return gradcheck.CheckNetwork(net, x, labels, o)
		})
	}
	panic(fmt.Sprintf("grade: no check %q", id))
}

// build calls the student's constructor and checks what it returns.
func build(newLayer func(nIn, nOut int) nn.Layer, nIn, nOut int, name string) nn.Layer {
	l := newLayer(nIn, nOut)
	if l == nil {
		panic(fmt.Sprintf("%s(%d, %d) returned nil", name, nIn, nOut))
	}
	return l
}

// guard runs check, turning a panic of the student's code into a Result
// that names the student's line and, given the operands' shapes, the
// shape rules that fit (gradcheck.ExplainPanic).
func guard(name string, shapes []gradcheck.Operand, check func() *gradcheck.Report) (res Result) {
	res.Check = name
	defer func() {
		if r := recover(); r != nil {
			p := gradcheck.ExplainPanic(r, shapes...)
			res.Report = nil
			res.Where = learnerFrame(2)
			if p.File != "" && isLearnerFunc(p.Func) {
				res.Where = describeFrame(p.Func, p.File, p.Line)
			}
			res.Panic = fmt.Sprint(r)
			if res.Where != "" {
				res.Panic += " (in " + res.Where + ")"
			}
			if rules := p.Rules(); len(rules) > 0 {
				res.Shapes = shapeLine(p)
			}
			res.Panic += "\n" + res.Shapes + "\n\n" + firstLines(string(debug.Stack()), 24)
		}
	}()
	res.Report = decided(check())
	res.Report.Name = name
	return res
}

// shapeLine is the operands and the shape rules that fit, in one line.
func shapeLine(p *gradcheck.Panic) string {
	ops := make([]string, len(p.Shapes))
	for i, o := range p.Shapes {
		ops[i] = o.String()
	}
	return "shapes: " + strings.Join(ops, ", ") + "; products that fit: " + strings.Join(p.Rules(), "; ")
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

func randomize(l nn.Layer, rng *rand.Rand) {
	for _, p := range l.Params() {
		r, c := p.Value.Dims()
		for i := range r {
			for j := range c {
				p.Value.Set(i, j, 2*rng.Float64()-1)
			}
		}
	}
}

func uniform(rng *rand.Rand, r, c int) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i, raw := 0, m.RawMatrix().Data; i < len(raw); i++ {
		raw[i] = 2*rng.Float64() - 1
	}
	return m
}

// Write prints the results as text tables (or, with c.JSON, as
// Gradescope's results.json) and reports whether every check passed.
func Write(w io.Writer, c Config, results []Result) bool {
	ok := true
	g := &gradcheck.GradescopeResults{}
	for _, r := range results {
		ok = ok && r.OK()
		var text strings.Builder
		writeResult(&text, g, c, r)
		if !c.JSON {
			fmt.Fprintln(w, text.String())
		}
	}
	if c.JSON {
		w.Write(g.JSON())
	} else if ok {
		fmt.Fprintln(w, "PASS")
	} else {
		fmt.Fprintln(w, "FAIL")
	}
	return ok
}

// Units returns the units of the grading program cmd/gradcheck builds
// for c: one per check, worth c.Points if it reports nothing, limited to
// timeout each.
func (c Config) Units(timeout time.Duration) []runner.Unit {
	ids, names := c.checkNames()
	var out []runner.Unit
	for i, id := range ids {
		out = append(out, runner.Unit{ID: id, Name: "gradcheck " + names[i], TestName: names[i] + ": runs",
			Points: c.Points, Timeout: timeout})
	}
	return out
}

// LayerUnits is what the main of cmd/gradcheck's program serves
// (runner.Serve): the checks of the Config that args (as Config.Args
// makes them) describe, on newLayer. A bad args is a programmer error: it
// panics.
func LayerUnits(args []string, newLayer func(nIn, nOut int) nn.Layer) map[string]func() runner.Verdict {
	c := DefaultConfig()
	fs := flag.NewFlagSet("grade", flag.ContinueOnError)
	c.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		panic(err)
	}
	ids, _ := c.checkNames()
	units := map[string]func() runner.Verdict{}
	for _, id := range ids {
		units[id] = func() runner.Verdict { return c.verdict(c.check(id, newLayer)) }
	}
	return units
}

// verdict converts a check's result to a runner verdict: the text Write
// prints, and the Gradescope tests.
func (c Config) verdict(r Result) runner.Verdict {
	var text strings.Builder
	g := &gradcheck.GradescopeResults{}
	writeResult(&text, g, c, r)
	v := runner.Verdict{Passed: r.OK(), Text: strings.TrimSuffix(text.String(), "\n"), Tests: g.Tests}
	if r.Report != nil && r.Report.CheckError != nil {
		v.CheckError = r.Report.CheckError.Error()
	}
	return v
}

// writeResult writes r's text to w and adds its Gradescope tests to g.
func writeResult(w io.Writer, g *gradcheck.GradescopeResults, c Config, r Result) {
	if r.Panic != "" {
		g.Add(&gradcheck.GradescopeResults{Tests: []gradcheck.GradescopeTest{{
			Name: r.Check + ": runs", MaxScore: c.Points, Status: "failed", Visibility: "visible",
			Output: "your code panicked, so no gradient could be checked: " + r.Panic}}})
		fmt.Fprintf(w, "gradcheck %s: PANIC (no gradient could be checked)\n%s\n", r.Check, r.Panic)
		return
	}
	g.Add(r.Report.Gradescope(&gradcheck.GradescopeOptions{Default: c.Points}))
	fmt.Fprintf(w, "%s", r.Report)
}
