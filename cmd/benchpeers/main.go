// Command benchpeers times one training epoch of this project's network and
// of the numpy and PyTorch peers (peers.py, embedded) in the same run,
// interleaved, and prints the ratios of their epoch times and peak memory.
//
//	go run ./cmd/benchpeers -epochs 3 -reps 3   # or: make bench-peers
//
// The data is the full MNIST where mnist.Find looks ($BACKPROP_DATA, then the
// download cache that `go run ./cmd/train --download` fills), or -data DIR.
// The peers run under -python (default /usr/bin/python3: Debian's
// python3-numpy and python3-torch; a virtual environment with PyPI's numpy
// works too).
//
// A ratio against a slow BLAS flatters us, so every peer reports the BLAS it
// ran on (the BLAS libraries mapped into its process, resolved through
// symbolic links, its build report, and the GFLOP/s of a 1000×1000 float64
// product), the report prints it, and no ratio is printed against a peer
// that had the reference (Netlib) BLAS loaded, or whose BLAS is not
// recognised and whose product ran below 1/5 of the speed of ours in the
// same run (see classify); the command then exits with status 1. On Debian,
// libopenblas0-pthread makes OpenBLAS the libblas.so.3 of numpy and torch.
// A peer whose library is missing (torch not installed) is skipped with a
// line saying so.
//
// The peer go-dense is our own trainer again with $BACKPROP_BLAS=dense:
// its products compute every term, even those with a zero factor (the
// images' background) that nn's products leave out by default, as
// numpy's and PyTorch's do. The ratio go/go-dense is what leaving them out
// gains; the results are the same bits, so its loss and accuracy are ours.
//
// Every participant runs as its own process (so each has its own peak RSS)
// and trains the lab's network (784-96-10, ReLU, softmax + cross-entropy,
// batch 200, learning rate 0.1, float64) for -epochs epochs; a round runs
// each participant once, and -reps rounds are made, alternating the order.
// The figures are the median and minimum over all epochs of all rounds.
//
// With -process the whole process is timed instead, from its start to its
// exit (loading the data, training, evaluating): ours is cmd/train
// (-train names a built one, else it is built), the peers run peers.py's
// --process mode, which does cmd/train's work the numpy (or PyTorch) way:
// the test accuracy after every epoch, then the training and test
// accuracy. Neither side times a 1000×1000 product then, so a peer's BLAS
// is named from its libraries and build report alone (an unknown one is
// refused).
//
//	go run ./cmd/benchpeers -process -epochs 8 -reps 3   # or: make bench-process
package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
)

// peersScript is the numpy and PyTorch peers' program, run unless
// -peers-script names another.
//
//go:embed peers.py
var peersScript []byte

type config struct {
	data, python, script, hidden string
	epochs, reps, batch          int
	lr                           float64
	peers                        []string
	worker, process              bool
	train                        string // cmd/train's binary for -process
}

func main() {
	var c config
	var peers string
	flag.StringVar(&c.data, "data", "", "directory with the four MNIST files (default: $BACKPROP_DATA/mnist, else the download cache)")
	flag.StringVar(&c.python, "python", "/usr/bin/python3", "Python with numpy (and torch) for the peers")
	flag.StringVar(&c.script, "peers-script", "", "the peers' script (default: the embedded peers.py)")
	flag.StringVar(&peers, "peers", "go-dense,numpy,torch", "comma-separated peers to run: go-dense (ours, every product dense), numpy, torch")
	flag.StringVar(&c.hidden, "hidden", "96", "hidden layer sizes")
	flag.IntVar(&c.epochs, "epochs", 3, "epochs per run")
	flag.IntVar(&c.reps, "reps", 3, "rounds")
	flag.IntVar(&c.batch, "batch", 200, "batch size")
	flag.Float64Var(&c.lr, "lr", 0.1, "learning rate")
	flag.BoolVar(&c.process, "process", false, "time whole processes (cmd/train against the peers' --process mode) instead of epochs")
	flag.StringVar(&c.train, "train", "", "with -process: cmd/train's binary (default: built from this module into a temporary directory)")
	flag.BoolVar(&c.worker, "worker", false, "internal: train in this process and print JSON lines")
	flag.Parse()
	for _, p := range strings.Split(peers, ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.peers = append(c.peers, p)
		}
	}
	err := findData(&c)
	if err == nil && c.worker {
		err = work(c, os.Stdout)
	} else if err == nil {
		err = compare(c, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchpeers:", err)
		os.Exit(1)
	}
}

// findData sets c.data, when -data was not given, to where mnist.Find finds
// the full MNIST; else it says how to get it.
func findData(c *config) error {
	if c.data != "" {
		return nil
	}
	dir, _, looked := mnist.Find(mnist.MNIST)
	if dir == "" {
		return fmt.Errorf("the full MNIST is needed and was not found (%s): set %s=DIR holding mnist/, pass -data DIR, or run `go run ./cmd/train --download -m 1`",
			strings.Join(looked, "; "), mnist.EnvData)
	}
	c.data = dir
	return nil
}

// record is one JSON line of a participant, in peers.py's schema.
type record struct {
	Peer        string    `json:"peer"`
	Blas        *blasInfo `json:"blas,omitempty"`
	Unavailable string    `json:"unavailable,omitempty"`
	Epoch       int       `json:"epoch,omitempty"`
	Seconds     float64   `json:"seconds,omitempty"`
	Loss        float64   `json:"loss,omitempty"`
	Summary     bool      `json:"summary,omitempty"`
	TestAcc     float64   `json:"test_acc,omitempty"`
}

// work trains our network and prints one record per epoch and a summary.
func work(c config, w io.Writer) error {
	train, test, err := mnist.LoadDataset(mnist.MNIST, c.data)
	if err != nil {
		return err
	}
	hidden, err := nn.ParseSizes(c.hidden)
	if err != nil {
		return fmt.Errorf("invalid -hidden %q: %w", c.hidden, err)
	}
	sizes := append(append([]int{train.Dim()}, hidden...), train.Classes())
	net := nn.MustNew(nn.Config{Sizes: sizes, Seed: 1})
	enc := json.NewEncoder(w)
	blas := blasInfo{DGEMM: gflops(func(a, b *mat.Dense) { var c mat.Dense; c.Mul(a, b) }),
		Config: "nn's pure-Go Dgemm under gonum/mat"}
	switch os.Getenv(nn.EnvBLAS) {
	case "gonum":
		blas.Config = fmt.Sprintf("gonum's own pure-Go BLAS ($%s=gonum)", nn.EnvBLAS)
	case "dense":
		blas.Config = denseConfig
	}
	if err := enc.Encode(record{Peer: "go", Blas: &blas}); err != nil {
		return err
	}
	sgd := nn.SGD{LearningRate: c.lr, BatchSize: c.batch, Epochs: c.epochs, Seed: 1,
		OnEpoch: func(e nn.Epoch) error {
			return enc.Encode(record{Peer: "go", Epoch: e.Epoch, Seconds: e.Duration.Seconds(), Loss: e.Loss})
		}}
	if err := sgd.Train(net, train); err != nil {
		return err
	}
	_, acc := net.Evaluate(test)
	return enc.Encode(record{Peer: "go", Summary: true, TestAcc: acc})
}

// gflops is the speed of mul on two 1000×1000 matrices, GFLOP/s (2·n³
// flops), from the fastest of three runs after a warm-up, as peers.py
// measures its peers.
func gflops(mul func(a, b *mat.Dense)) float64 {
	const n = 1000
	a := mat.NewDense(n, n, nil)
	for i := range n {
		for j := range n {
			a.Set(i, j, float64((i*7+j*13)%17)/17)
		}
	}
	mul(a, a)
	best := time.Duration(1<<63 - 1)
	for range 3 {
		t0 := time.Now()
		mul(a, a)
		best = min(best, time.Since(t0))
	}
	return 2 * n * n * n / best.Seconds() / 1e9
}

// goDense is the participant that is our trainer with every product dense.
const goDense = "go-dense"

// denseConfig describes go-dense's BLAS.
var denseConfig = fmt.Sprintf("nn's pure-Go Dgemm under gonum/mat, every term computed ($%s=dense)", nn.EnvBLAS)

// ours reports whether the participant name is our own trainer, whose BLAS
// is nn's (no classify).
func ours(name string) bool { return name == "go" || name == goDense }

// result collects one participant's epochs and peak memory over all rounds.
type result struct {
	name        string
	seconds     []float64
	peakMB      float64
	testAcc     float64
	blas        *blasInfo // the report with the fastest DGEMM; nil if none came
	unavailable string    // why the peer could not run ("" if it ran)
}

// errRefused is compare's error when a ratio was refused (the report says why).
var errRefused = errors.New("no ratio printed against a peer on a slow BLAS (see above)")

func compare(c config, w io.Writer) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "benchpeers-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	script := c.script
	if script == "" {
		script = filepath.Join(dir, "peers.py")
		if err := os.WriteFile(script, peersScript, 0o644); err != nil {
			return err
		}
	}
	train := ""
	if c.process {
		if train, err = trainBinary(c.train, dir); err != nil {
			return err
		}
	}
	order, cmds, err := participants(c, self, train, script)
	if err != nil {
		return err
	}
	results := map[string]*result{}
	for _, name := range order {
		results[name] = &result{name: name}
	}
	for rep := range c.reps {
		round := slices.Clone(order)
		if rep%2 == 1 {
			slices.Reverse(round)
		}
		for _, name := range round {
			if results[name].unavailable != "" {
				continue
			}
			fmt.Fprintf(os.Stderr, "round %d/%d: %s\n", rep+1, c.reps, name)
			parser := parse
			if c.process && ours(name) {
				parser = parseTrain
			}
			if err := runOne(cmds[name], results[name], parser, c.process); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	unit := "s/epoch"
	if c.process {
		unit = "s/process"
		fmt.Fprintf(w, "whole processes: %s against the peers' --process mode\n", strings.Join(cmds["go"], " "))
	}
	fmt.Fprintf(w, "%d rounds × %d epochs, 784-%s-10, batch %d, lr %g, float64, %s, data %s\n",
		c.reps, c.epochs, c.hidden, c.batch, c.lr, time.Now().UTC().Format(time.DateOnly), c.data)
	return report(w, order, results, unit)
}

// participants returns the participants in order, ours ("go") first, and
// the command line of each: self's worker (or with -process the cmd/train
// binary train) for ours, the same under $BACKPROP_BLAS=dense for go-dense,
// and peers.py (script) under c.python for numpy and torch.
func participants(c config, self, train, script string) ([]string, map[string][]string, error) {
	common := []string{"-data", c.data, "-hidden", c.hidden, "-epochs", strconv.Itoa(c.epochs),
		"-batch", strconv.Itoa(c.batch), "-lr", fmt.Sprint(c.lr)}
	cmds := map[string][]string{"go": append([]string{self, "-worker"}, common...)}
	if c.process {
		cmds["go"] = trainArgs(train, c)
		common = append(common, "-process")
	}
	order := []string{"go"}
	for _, p := range c.peers {
		if slices.Contains(order, p) {
			return nil, nil, fmt.Errorf("peer %q named twice", p)
		}
		order = append(order, p)
		if p == goDense {
			cmds[p] = append([]string{"env", nn.EnvBLAS + "=dense"}, cmds["go"]...)
			continue
		}
		if p != "numpy" && p != "torch" {
			return nil, nil, fmt.Errorf("unknown peer %q (%s, numpy, torch)", p, goDense)
		}
		args := []string{c.python, script, "--peer", p}
		for _, a := range common { // peers.py spells its flags with two dashes
			if strings.HasPrefix(a, "-") {
				a = "-" + a
			}
			args = append(args, a)
		}
		cmds[p] = args
	}
	return order, cmds, nil
}

// trainBinary returns path if given, else builds cmd/train into dir and
// returns the binary's path there.
func trainBinary(path, dir string) (string, error) {
	if path != "" {
		return path, nil
	}
	bin := filepath.Join(dir, "train")
	build := exec.Command("go", "build", "-o", bin, "github.com/backprop-lab/backprop/cmd/train")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("building cmd/train (or pass -train PATH): %w", err)
	}
	return bin, nil
}

// trainArgs is cmd/train's command line for the run the peers make: the
// same network, batch, learning rate and number of epochs (all of them:
// no early stop), no progress bar.
func trainArgs(train string, c config) []string {
	return []string{train, "-d", c.data, "-s", c.hidden, "-l", fmt.Sprint(c.lr), "-b", strconv.Itoa(c.batch),
		"-m", strconv.Itoa(c.epochs), "--target-accuracy", "0", "-q"}
}

// runOne runs a participant, parses its output with parser (parse, or
// parseTrain for cmd/train) and reads its peak RSS from the operating
// system's accounting of the finished process. With whole (-process), the
// figure it adds to r.seconds is the process's wall time, start to exit,
// in place of the epoch times its output reported.
func runOne(argv []string, r *result, parser func(io.Reader, *result) error, whole bool) error {
	epochs := len(r.seconds)
	cmd := exec.Command(argv[0], argv[1:]...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", strings.Join(argv, " "), err)
	}
	wall := time.Since(t0).Seconds()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.peakMB = max(r.peakMB, float64(ru.Maxrss)/1024) // Linux reports KiB
	}
	if err := parser(&out, r); err != nil {
		return fmt.Errorf("%s: %w", strings.Join(argv, " "), err)
	}
	if whole {
		r.seconds = append(r.seconds[:epochs], wall)
	}
	return nil
}

// parseTrain reads cmd/train's output into r: how many epochs it reported
// and its final test accuracy. Its BLAS is nn's own.
func parseTrain(out io.Reader, r *result) error {
	sc := bufio.NewScanner(out)
	epochs, acc := 0, -1.0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "Epoch ") {
			epochs++
		}
		if v, ok := strings.CutPrefix(line, "Test accuracy:"); ok {
			p, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), "%"), 64)
			if err != nil {
				return fmt.Errorf("unreadable line %q: %w", line, err)
			}
			acc = p / 100
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if epochs == 0 || acc < 0 {
		return errors.New(`no "Epoch" lines or no "Test accuracy:" line in its output`)
	}
	r.testAcc = acc
	r.blas = &blasInfo{Config: "nn's pure-Go Dgemm under gonum/mat (cmd/train)"}
	if r.name == goDense {
		r.blas.Config = denseConfig + " (cmd/train)"
	}
	return nil
}

// parse adds a participant's JSON records to r: its BLAS, epoch times and
// test accuracy, or why it could not run. Lines that are not JSON objects
// are ignored (a library may print its own).
func parse(out io.Reader, r *result) error {
	sc := bufio.NewScanner(out)
	epochs := 0
	for sc.Scan() {
		var rec record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			continue
		}
		switch {
		case rec.Unavailable != "":
			r.unavailable = rec.Unavailable
			return nil
		case rec.Blas != nil:
			// The fastest product of all runs, as the epochs' minimum: on a
			// busy machine one run's measure can be far below what the
			// library does.
			if r.blas == nil || rec.Blas.DGEMM > r.blas.DGEMM {
				r.blas = rec.Blas
			}
		case rec.Summary:
			r.testAcc = rec.TestAcc
		case rec.Epoch > 0:
			r.seconds = append(r.seconds, rec.Seconds)
			epochs++
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if epochs == 0 {
		return errors.New("no epoch records in its output")
	}
	if r.blas == nil {
		return errors.New("no blas record in its output: which BLAS it ran on is unknown")
	}
	return nil
}

// report prints the BLAS each participant ran on, then the table of epoch
// times, peak memory and test accuracy with the ratios of ours ("go", the
// first of order) to each peer's. A peer that could not run gets a line
// saying why; a peer whose BLAS classify refuses gets no ratio but a line
// saying why, and report returns errRefused.
func report(w io.Writer, order []string, results map[string]*result, unit string) error {
	us := results[order[0]]
	refused := map[string]string{}
	for _, name := range order {
		r := results[name]
		switch {
		case r.unavailable != "":
			fmt.Fprintf(w, "%s: skipped, it could not run: %s\n", name, r.unavailable)
		case ours(name):
			fmt.Fprintf(w, "BLAS %s: %s; %s\n", name, r.blas.Config, r.blas.speed())
		default:
			v := classify(*r.blas, us.blas.DGEMM)
			fmt.Fprintf(w, "BLAS %s: %s\n", name, describe(*r.blas, v))
			if v.refuse != "" {
				refused[name] = v.refuse
			}
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "participant\tmedian %s\tmin %s\tpeak RSS MB\ttest acc\tgo/peer median\tgo/peer min\tgo/peer RSS\t\n", unit, unit)
	for _, name := range order {
		r := results[name]
		if r.unavailable != "" {
			continue
		}
		ratios := fmt.Sprintf("%.2f\t%.2f\t%.2f", median(us.seconds)/median(r.seconds),
			slices.Min(us.seconds)/slices.Min(r.seconds), us.peakMB/r.peakMB)
		if refused[name] != "" {
			ratios = "refused\trefused\trefused"
		}
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.1f\t%.4f\t%s\t\n", name, median(r.seconds), slices.Min(r.seconds), r.peakMB, r.testAcc, ratios)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(refused) == 0 {
		return nil
	}
	for _, name := range order {
		if why := refused[name]; why != "" {
			fmt.Fprintf(w, "no ratio against %s: %s. Give it an optimized BLAS (Debian: apt-get install libopenblas0-pthread; or -python a virtual environment with PyPI's numpy, which bundles OpenBLAS) and run again.\n", name, why)
		}
	}
	return errRefused
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
