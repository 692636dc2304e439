// Command benchpeers times one training epoch of this project's network and
// of the numpy and PyTorch peers (../shared/bench/peers.py) in the same run,
// interleaved, and prints the ratios of their epoch times and peak memory.
//
//	go run ./cmd/benchpeers -data ../shared/data/mnist -epochs 3 -reps 3
//
// Every participant runs as its own process (so each has its own peak RSS)
// and trains the lab's network (784-96-10, ReLU, softmax + cross-entropy,
// batch 200, learning rate 0.1, float64) for -epochs epochs; a round runs
// each participant once, and -reps rounds are made, alternating the order.
// The figures are the median and minimum over all epochs of all rounds.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
)

type config struct {
	data, python, script, hidden string
	epochs, reps, batch          int
	lr                           float64
	peers                        []string
	worker                       bool
}

func main() {
	var c config
	var peers string
	flag.StringVar(&c.data, "data", "../shared/data/mnist", "directory with the four MNIST files")
	flag.StringVar(&c.python, "python", "/usr/bin/python3", "Python with numpy (and torch) for the peers")
	flag.StringVar(&c.script, "peers-script", "../shared/bench/peers.py", "the peers' script")
	flag.StringVar(&peers, "peers", "numpy,torch", "comma-separated peers to run: numpy, torch")
	flag.StringVar(&c.hidden, "hidden", "96", "hidden layer sizes")
	flag.IntVar(&c.epochs, "epochs", 3, "epochs per run")
	flag.IntVar(&c.reps, "reps", 3, "rounds")
	flag.IntVar(&c.batch, "batch", 200, "batch size")
	flag.Float64Var(&c.lr, "lr", 0.1, "learning rate")
	flag.BoolVar(&c.worker, "worker", false, "internal: train in this process and print JSON lines")
	flag.Parse()
	for _, p := range strings.Split(peers, ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.peers = append(c.peers, p)
		}
	}
	var err error
	if c.worker {
		err = work(c, os.Stdout)
	} else {
		err = compare(c, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchpeers:", err)
		os.Exit(1)
	}
}

// record is one JSON line of a participant, in peers.py's schema.
type record struct {
	Peer    string  `json:"peer"`
	Epoch   int     `json:"epoch,omitempty"`
	Seconds float64 `json:"seconds,omitempty"`
	Loss    float64 `json:"loss,omitempty"`
	Summary bool    `json:"summary,omitempty"`
	TestAcc float64 `json:"test_acc,omitempty"`
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

// result collects one participant's epochs and peak memory over all rounds.
type result struct {
	name    string
	seconds []float64
	peakMB  float64
	testAcc float64
}

func compare(c config, w io.Writer) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmds := map[string][]string{"go": {self, "-worker", "-data", c.data, "-hidden", c.hidden,
		"-epochs", strconv.Itoa(c.epochs), "-batch", strconv.Itoa(c.batch), "-lr", fmt.Sprint(c.lr)}}
	order := []string{"go"}
	for _, p := range c.peers {
		if p != "numpy" && p != "torch" {
			return fmt.Errorf("unknown peer %q (numpy, torch)", p)
		}
		cmds[p] = []string{c.python, c.script, "--peer", p, "--data", c.data, "--hidden", c.hidden,
			"--epochs", strconv.Itoa(c.epochs), "--batch", strconv.Itoa(c.batch), "--lr", fmt.Sprint(c.lr)}
		order = append(order, p)
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
			fmt.Fprintf(os.Stderr, "round %d/%d: %s\n", rep+1, c.reps, name)
			if err := runOne(cmds[name], results[name]); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	go1 := results["go"]
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "%d rounds × %d epochs, 784-%s-10, batch %d, lr %g, float64, %s\n",
		c.reps, c.epochs, c.hidden, c.batch, c.lr, time.Now().UTC().Format(time.DateOnly))
	fmt.Fprintln(tw, "participant\tmedian s/epoch\tmin s/epoch\tpeak RSS MB\ttest acc\tgo/peer median\tgo/peer min\tgo/peer RSS\t")
	for _, name := range order {
		r := results[name]
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.1f\t%.4f\t%.2f\t%.2f\t%.2f\t\n", name, median(r.seconds), slices.Min(r.seconds),
			r.peakMB, r.testAcc, median(go1.seconds)/median(r.seconds), slices.Min(go1.seconds)/slices.Min(r.seconds), go1.peakMB/r.peakMB)
	}
	return tw.Flush()
}

// runOne runs a participant, parses its records and reads its peak RSS from
// the operating system's accounting of the finished process.
func runOne(argv []string, r *result) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", strings.Join(argv, " "), err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.peakMB = max(r.peakMB, float64(ru.Maxrss)/1024) // Linux reports KiB
	}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var rec record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			continue // peers may print other lines
		}
		if rec.Summary {
			r.testAcc = rec.TestAcc
		} else if rec.Epoch > 0 {
			r.seconds = append(r.seconds, rec.Seconds)
		}
	}
	if len(r.seconds) == 0 {
		return fmt.Errorf("no epoch records in the output of %s", argv[0])
	}
	return nil
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
