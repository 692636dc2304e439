package worker

import (
	"bytes"
	"math"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// buildProg builds testdata/prog, a worker whose reluPrime misbehaves on
// request.
func buildProg(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("the go command is needed to build the test worker")
	}
	bin := filepath.Join(t.TempDir(), "prog")
	if out, err := exec.Command("go", "build", "-o", bin, "./testdata/prog").CombinedOutput(); err != nil {
		t.Fatalf("building the test worker: %v\n%s", err, out)
	}
	return bin
}

// Over the pipes, answers are bit-exact and a panic is an answer; a
// worker that loops, exits, or writes anything but its answer gives no
// answer, with the reason; what it printed is kept, not believed.
func TestProcess(t *testing.T) {
	bin := buildProg(t)
	ask := func(mode string, timeout time.Duration) (float64, error, string) {
		p, err := Start(bin, []string{mode}, timeout)
		if err != nil {
			t.Fatal(err)
		}
		var got float64
		err = func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = r.(error)
				}
			}()
			got = Client{A: p}.ReLUPrime(0.5)
			return nil
		}()
		p.Close()
		out, _ := p.Output()
		return got, err, out
	}
	if got, err, _ := ask("", time.Minute); err != nil || got != 1 {
		t.Errorf("right: %v, %v", got, err)
	}
	if _, err, out := ask("print", time.Minute); err != nil || !strings.Contains(out, "✓ Exercise 1") {
		t.Errorf("print: %v, output %q", err, out)
	}
	if _, err, _ := ask("panic", time.Minute); err == nil || err.Error() != "boom" {
		t.Errorf("panic: %v", err)
	}
	for mode, want := range map[string]string{
		"loop":    "timed out after 1s",
		"exit":    "your code ended the worker (exit status 0) before it answered",
		"garbage": "the worker's answer could not be read",
	} {
		start := time.Now()
		_, err, _ := ask(mode, time.Second)
		if f, ok := err.(*Failure); !ok || !strings.Contains(f.Reason, want) {
			t.Errorf("%s: %v, want a Failure with %q", mode, err, want)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: took %v", mode, d)
		}
	}
}

// Matrices cross the wire bit-exact, NaN and infinities included, and a
// malformed one is refused.
func TestMatrixRoundTrip(t *testing.T) {
	m := Matrix{R: 1, C: 3, Data: []float64{0.1 + 0.2, -0.0, 1e-310}}
	d, err := m.Dense()
	if err != nil || FromDense(d).Data[0] != 0.1+0.2 || FromDense(d).Data[2] != 1e-310 {
		t.Errorf("%v %v", d, err)
	}
	for _, bad := range []Matrix{{R: 2, C: 2, Data: []float64{1}}, {R: -1, C: 1}, {R: 1 << 30, C: 1 << 30}} {
		if _, err := bad.Dense(); err == nil {
			t.Errorf("%d×%d with %d elements accepted", bad.R, bad.C, len(bad.Data))
		}
	}
}

// A frame longer than MaxFrame is refused before it is read.
func TestFrameBound(t *testing.T) {
	var b bytes.Buffer
	b.Write([]byte{0xff, 0xff, 0xff, 0x7f})
	var a Answer
	if err := readFrame(&b, &a); err == nil || !strings.Contains(err.Error(), "announced") {
		t.Errorf("err %v", err)
	}
	b.Reset()
	if err := writeFrame(&b, Answer{F: []float64{math.NaN(), math.Inf(-1), 0.1}}); err != nil {
		t.Fatal(err)
	}
	if err := readFrame(&b, &a); err != nil || !math.IsNaN(a.F[0]) || !math.IsInf(a.F[1], -1) || a.F[2] != 0.1 {
		t.Errorf("%v %v", a, err)
	}
}
