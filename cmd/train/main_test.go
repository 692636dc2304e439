package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/mnist/mnisttest"
	"github.com/backprop-lab/backprop/nn"
)

// runCLI runs the command in-process and returns its exit code and outputs.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb, false)
	return code, out.String(), errb.String()
}

func TestBadFlagsExitTwoWithClearError(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-s", "96,-3"}, "-s/--hidden-layer-sizes"},
		{[]string{"-s", "96,abc"}, `"abc" is not a whole number`},
		{[]string{"-b", "0"}, "-b/--batch-size 0"},
		{[]string{"-l", "-0.1"}, "-l/--learning-rate"},
		{[]string{"-l", "abc"}, `invalid argument "abc" for "-l, --learning-rate" flag: "abc" is not a number`},
		{[]string{"-m", "ten"}, `"ten" for "-m, --max-iter" flag: "ten" is not a whole number`},
		{[]string{"-b", "1.5"}, `"1.5" for "-b, --batch-size" flag: "1.5" is not a whole number`},
		{[]string{"--seed", "-1"}, `"-1" for "--seed" flag: "-1" is not a whole number ≥ 0`},
		{[]string{"--target-accuracy", "101"}, "--target-accuracy 101"},
		{[]string{"--target-accuracy", "high"}, `"high" for "--target-accuracy" flag: "high" is not a number`},
		{[]string{"-m", "0"}, "-m/--max-iter"},
		{[]string{"-d", "/no/such/dir"}, "/no/such/dir"},
		{[]string{"--dataset", "cifar"}, "--dataset"},
		{[]string{"--activation", "softmax"}, "--activation"},
		{[]string{"--init", "zeros"}, "--init"},
		{[]string{"--no-such-flag"}, "no-such-flag"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "strconv") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q (and no strconv text)", tc.args, code, stderr, tc.want)
		}
	}
}

func TestHelpExplainsEveryFlag(t *testing.T) {
	code, _, stderr := runCLI(t, "--help")
	if code != exitOK {
		t.Fatalf("--help exit %d", code)
	}
	for _, f := range []string{"-d, --dir", "-s, --hidden-layer-sizes", "-l, --learning-rate", "-m, --max-iter",
		"-b, --batch-size", "-c, --save-learning-curve", "--seed", "--dataset", "--download", "Training accuracy",
		"--target-accuracy", "add --target-accuracy 99", `e.g. '128,256'`} {
		if !strings.Contains(stderr, f) {
			t.Errorf("--help does not mention %q", f)
		}
	}
}

// TestLabDefaults: the defaults are the lab's (-s 128, -l 0.05, -m 50,
// -b 600), read from the parsed options, not from the help text.
func TestLabDefaults(t *testing.T) {
	o, err := parse(nil, new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(o.hidden) != "[128]" || o.lr != 0.05 || o.epochs != 50 || o.batch != 600 || o.target != 0 {
		t.Errorf("defaults -s %v -l %v -m %d -b %d --target-accuracy %v; want the lab's [128] 0.05 50 600, and no early stop",
			o.hidden, o.lr, o.epochs, o.batch, o.target)
	}
}

// TestTargetAccuracyStopsEarly: with --target-accuracy the run stops after
// the first epoch whose running training accuracy reaches the target, and
// says so; the same run without the flag trains every epoch.
func TestTargetAccuracyStopsEarly(t *testing.T) {
	args := []string{"--dataset", "embedded", "-m", "8", "-s", "32", "-l", "0.1", "-b", "100"}
	code, full, stderr := runCLI(t, args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	running := regexp.MustCompile(`(?m)^Epoch +(\d+)/8 .* train accuracy +([0-9.]+)% \(running\)`).FindAllStringSubmatch(full, -1)
	if len(running) != 8 {
		t.Fatalf("%d epoch lines without --target-accuracy, want 8:\n%s", len(running), full)
	}
	// Aim at the running accuracy that epoch 3 printed (rounded down to
	// what it shows): the stop must come at epoch 3, or earlier only if an
	// earlier epoch already printed as much.
	target, _ := strconv.ParseFloat(running[2][2], 64)
	wantStop := 3
	for i := range 2 {
		if acc, _ := strconv.ParseFloat(running[i][2], 64); acc >= target {
			wantStop = i + 1
			break
		}
	}
	code, stdout, stderr := runCLI(t, append(args, "--target-accuracy", running[2][2])...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := strings.Count(stdout, "\nEpoch "); n != wantStop {
		t.Errorf("--target-accuracy %s: %d epochs, want %d:\n%s", running[2][2], n, wantStop, stdout)
	}
	if want := fmt.Sprintf("Stopped after epoch %d of 8", wantStop); !strings.Contains(stdout, want) {
		t.Errorf("output does not say %q:\n%s", want, stdout)
	}
	accuracies(t, stdout) // the final accuracy lines are still printed
}

// TestTargetReachedComparesLikeTheLab: the lab stops when acc >= 0.99 with
// acc = correct/N; an epoch with exactly 99% right must stop, which
// 100·acc >= 99 would miss (100·0.99 rounds below 99).
func TestTargetReachedComparesLikeTheLab(t *testing.T) {
	for _, tc := range []struct {
		correct, n int
		target     float64
		want       bool
	}{
		{59400, 60000, 99, true},
		{59399, 60000, 99, false},
		{60000, 60000, 100, true},
		{29, 100, 29, true},
		{60000, 60000, 0, false}, // 0 is off
	} {
		if got := targetReached(float64(tc.correct)/float64(tc.n), tc.target); got != tc.want {
			t.Errorf("%d/%d right, target %g%%: stop %v, want %v", tc.correct, tc.n, tc.target, got, tc.want)
		}
	}
}

// TestMissingDataAdviceIsInFlags: a CLI user is told which flag gets the
// data, not a Go function to call.
func TestMissingDataAdviceIsInFlags(t *testing.T) {
	empty := t.TempDir()
	code, _, stderr := runCLI(t, "-d", empty, "-m", "1")
	if code != exitError || !strings.Contains(stderr, "not found in "+empty) ||
		!strings.Contains(stderr, "--download") || strings.Contains(stderr, "mnist.Download") {
		t.Errorf("exit %d, stderr %q; want exit 1 naming %s and --download, not mnist.Download", code, stderr, empty)
	}
	mnisttest.NoData(t)
	code, stdout, stderr := runCLI(t, "-m", "1", "-s", "8", "-b", "1000")
	if code != exitOK || !strings.Contains(stdout, "embedded") || !strings.Contains(stdout, "--download") ||
		strings.Contains(stdout+stderr, "mnist.Download") {
		t.Errorf("fallback to the embedded subset: exit %d, output %q; want it to point at --download, not mnist.Download", code, stdout+stderr)
	}
}

var accRE = regexp.MustCompile(`(?m)^(Training|Test) accuracy: ([0-9.]+)%$`)

// accuracies returns the final training and test accuracy printed by run.
func accuracies(t *testing.T, stdout string) (train, test float64) {
	t.Helper()
	m := accRE.FindAllStringSubmatch(stdout, -1)
	if len(m) != 2 || m[0][1] != "Training" || m[1][1] != "Test" {
		t.Fatalf("output lacks the final accuracy lines:\n%s", stdout)
	}
	train, _ = strconv.ParseFloat(m[0][2], 64)
	test, _ = strconv.ParseFloat(m[1][2], 64)
	return train, test
}

func TestEmbeddedSubsetRunSaysSoAndLearns(t *testing.T) {
	dir := t.TempDir()
	curve := filepath.Join(dir, "curve.png")
	model := filepath.Join(dir, "net.bpnn")
	code, stdout, stderr := runCLI(t, "--dataset", "embedded", "-m", "2", "-s", "32", "-l", "0.1", "-b", "100",
		"-c", "--learning-curve-file", curve, "-o", model)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "embedded") {
		t.Errorf("output does not say the embedded subset is used:\n%s", stdout)
	}
	if n := strings.Count(stdout, "Epoch "); n != 2 {
		t.Errorf("%d epoch lines, want 2:\n%s", n, stdout)
	}
	_, test := accuracies(t, stdout)
	// Two epochs on 10 000 digits reach ≈ 90%; 80% leaves room for seeds
	// while still failing a network that does not learn (10% is chance).
	if test < 80 {
		t.Errorf("test accuracy %.2f%% after 2 epochs, want ≥ 80%%", test)
	}
	png, err := os.ReadFile(curve)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("learning curve not a PNG: %v", err)
	}
	net, err := nn.LoadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	if got := joinInts(net.Sizes(), "-"); got != "784-32-10" {
		t.Errorf("saved network %s, want 784-32-10", got)
	}
}

func TestNoHiddenLayer(t *testing.T) {
	code, stdout, stderr := runCLI(t, "--dataset", "embedded", "-m", "1", "-s", "", "-b", "500", "-l", "0.5")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Network: 784-10 ") {
		t.Errorf("want a 784-10 network:\n%s", stdout)
	}
}

// TestLabRuns are the acceptance runs on the full MNIST with the default
// seed: the lab's README command reaches the lab's accuracy (the lab:
// 99.28% train / 97.58% test), and so does a network with two hidden
// layers.
func TestLabRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("50 epochs on the full MNIST per case; skipped with -short")
	}
	dir := mnisttest.Dir(t, mnist.MNIST)
	for _, tc := range []struct {
		hidden            string
		minTrain, minTest float64 // percent
	}{
		{"96", 99.0, 97.5},
		{"128,64", 0, 97.5},
	} {
		t.Run(tc.hidden, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "-m", "50", "-s", tc.hidden, "-l", "0.1", "-b", "200", "-d", dir)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			train, test := accuracies(t, stdout)
			t.Logf("-s %s: train %.2f%%, test %.2f%%", tc.hidden, train, test)
			if train < tc.minTrain || test < tc.minTest {
				t.Errorf("-s %s: train %.2f%% / test %.2f%%, want ≥ %.1f%% / ≥ %.1f%%", tc.hidden, train, test, tc.minTrain, tc.minTest)
			}
		})
	}
}
