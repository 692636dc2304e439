package main

import (
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// blasRecord decodes a peer's "blas" line as peers.py prints it.
func blasRecord(t *testing.T, line string) blasInfo {
	t.Helper()
	var rec record
	if err := json.Unmarshal([]byte(line), &rec); err != nil || rec.Blas == nil {
		t.Fatalf("bad fixture %s: %v", line, err)
	}
	return *rec.Blas
}

// The lines are what peers.py printed (or would print) on Debian with
// libblas3 only, with libopenblas0-pthread, with PyPI's numpy and torch
// wheels, and with libraries it cannot name.
func TestClassify(t *testing.T) {
	for _, c := range []struct {
		name, line string
		ours       float64 // our DGEMM in the same run, GFLOP/s; 0 means 70
		want       string  // the BLAS named
		refuse     string  // a word of the refusal; "" if a ratio is fair
	}{
		{"Debian numpy on libblas3",
			`{"peer": "numpy", "blas": {"dgemm_gflops": 4.8, "config": "numpy 1.24.2, blas_opt_info libraries ['blas', 'blas']", "libraries": ["/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0"]}}`,
			0, "the reference BLAS (Netlib)", "libblas.so.3.11.0"},
		{"the reference BLAS is refused even when fast",
			`{"peer": "numpy", "blas": {"dgemm_gflops": 50, "config": "", "libraries": ["/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0", "/usr/lib/x86_64-linux-gnu/libcblas.so.3"]}}`,
			0, "the reference BLAS (Netlib)", "reference"},
		{"Debian numpy on the OpenBLAS alternative",
			`{"peer": "numpy", "blas": {"dgemm_gflops": 61.3, "config": "numpy 1.24.2, blas_opt_info libraries ['blas', 'blas']", "libraries": ["/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3", "/usr/lib/x86_64-linux-gnu/openblas-pthread/liblapack.so.3"]}}`,
			0, "OpenBLAS", ""},
		{"the reference BLAS beside OpenBLAS is refused",
			// LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/blas with the
			// OpenBLAS alternative: LAPACK brought OpenBLAS in, the products
			// ran on Netlib's libblas (what peers.py printed here).
			`{"peer": "numpy", "blas": {"dgemm_gflops": 0.9, "config": "numpy 1.24.2", "libraries": ["/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so", "/usr/lib/x86_64-linux-gnu/openblas-pthread/liblapack.so.3", "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0"]}}`,
			4.5, "the reference BLAS (Netlib)", "libblas.so.3.11.0"},
		{"ATLAS's libblas is not the reference one",
			`{"peer": "numpy", "blas": {"dgemm_gflops": 20, "config": "", "libraries": ["/usr/lib/x86_64-linux-gnu/atlas/libblas.so.3.10.3"]}}`,
			0, "ATLAS", ""},
		{"PyPI numpy wheel",
			`{"peer": "numpy", "blas": {"dgemm_gflops": 120.5, "config": "numpy 2.1.3, built with scipy-openblas 0.3.27", "libraries": ["/venv/lib/python3.11/site-packages/numpy.libs/libscipy_openblas64_-ff651d7f.so"]}}`,
			0, "OpenBLAS", ""},
		{"PyPI torch wheel (MKL linked in, no library mapped)",
			`{"peer": "torch", "blas": {"dgemm_gflops": 90, "config": "torch 2.5.1+cpu, BLAS_INFO=mkl, LAPACK_INFO=mkl", "libraries": []}}`,
			0, "Intel MKL", ""},
		{"Debian torch's build report names OpenBLAS",
			`{"peer": "torch", "blas": {"dgemm_gflops": 55, "config": "torch 1.13.0a0, BLAS_INFO=open, LAPACK_INFO=open", "libraries": []}}`,
			0, "OpenBLAS", ""},
		{"a recognised library is not refused for its speed",
			`{"peer": "torch", "blas": {"dgemm_gflops": 6.5, "config": "", "libraries": ["/usr/lib/libopenblas.so.0"]}}`,
			0, "OpenBLAS", ""},
		{"OpenBLAS on a loaded machine, ours as slow",
			`{"peer": "numpy", "blas": {"dgemm_gflops": 5.4, "config": "", "libraries": ["/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so"]}}`,
			9.1, "OpenBLAS", ""},
		{"unidentified and fast",
			`{"peer": "numpy", "blas": {"dgemm_gflops": 35, "config": "numpy 1.26.4, built with unknown", "libraries": []}}`,
			0, "an unidentified BLAS", ""},
		{"unidentified and slow",
			`{"peer": "numpy", "blas": {"dgemm_gflops": 3.9, "config": "", "libraries": []}}`,
			0, "an unidentified BLAS", "3.9 GFLOP/s, below 0.2 of ours (70.0 GFLOP/s)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ours := c.ours
			if ours == 0 {
				ours = 70
			}
			v := classify(blasRecord(t, c.line), ours)
			if v.name != c.want {
				t.Errorf("BLAS %q, want %q", v.name, c.want)
			}
			if c.refuse == "" && v.refuse != "" {
				t.Errorf("refused (%s), want a ratio", v.refuse)
			}
			if c.refuse != "" && !strings.Contains(v.refuse, c.refuse) {
				t.Errorf("refusal %q, want one saying %q", v.refuse, c.refuse)
			}
		})
	}
}

// TestClassifyNamesTheLibraryFile: the evidence is the file named for the
// library, not the first file of its folder (this line is what Debian's
// numpy with libopenblas0-pthread printed here).
func TestClassifyNamesTheLibraryFile(t *testing.T) {
	b := blasRecord(t, `{"peer": "numpy", "blas": {"dgemm_gflops": 5.4, "config": "numpy 1.24.2, blas_opt_info libraries ['blas', 'blas']", "libraries": ["/usr/lib/x86_64-linux-gnu/openblas-pthread/liblapack.so.3", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"]}}`)
	v := classify(b, 4.3)
	if v.name != "OpenBLAS" || v.where != "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so" || v.refuse != "" {
		t.Errorf("classify = %+v; want OpenBLAS from libopenblasp-r0.3.21.so, no refusal", v)
	}
}

// peerOutput is a peer's whole output: BLAS, three epochs, summary.
func peerOutput(peer, blas string, seconds ...string) string {
	var b strings.Builder
	b.WriteString(`{"peer": "` + peer + `", "blas": ` + blas + "}\n")
	for i, s := range seconds {
		b.WriteString(`{"peer": "` + peer + `", "epoch": ` + string(rune('1'+i)) + `, "seconds": ` + s + `, "loss": 0.3}` + "\n")
	}
	b.WriteString(`{"peer": "` + peer + `", "summary": true, "test_acc": 0.9701}` + "\n")
	return b.String()
}

const (
	goBLAS     = `{"dgemm_gflops": 70.2, "config": "gonum/mat on nn's BLAS", "libraries": null}`
	openBLAS   = `{"dgemm_gflops": 61.3, "config": "numpy 1.24.2", "libraries": ["/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"]}`
	netlibBLAS = `{"dgemm_gflops": 4.8, "config": "numpy 1.24.2", "libraries": ["/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0"]}`
)

// results parses one output per participant, in order go, numpy, torch.
func results(t *testing.T, outputs map[string]string) ([]string, map[string]*result) {
	t.Helper()
	order := []string{"go", "numpy", "torch"}
	rs := map[string]*result{}
	for _, name := range order {
		r := &result{name: name, peakMB: 100}
		if err := parse(strings.NewReader("a line that is not JSON\n"+outputs[name]), r); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rs[name] = r
	}
	return order, rs
}

func TestReportPrintsRatiosAndEveryBLAS(t *testing.T) {
	order, rs := results(t, map[string]string{
		"go":    peerOutput("go", goBLAS, "0.5", "0.4", "0.6"),
		"numpy": peerOutput("numpy", openBLAS, "1.0", "0.8", "1.2"),
		"torch": `{"peer": "torch", "unavailable": "No module named 'torch'"}` + "\n",
	})
	var out strings.Builder
	if err := report(&out, order, rs, "s/epoch"); err != nil {
		t.Fatalf("report: %v\n%s", err, &out)
	}
	s := out.String()
	for _, want := range []string{
		"BLAS go: gonum/mat on nn's BLAS; DGEMM 1000×1000: 70.2 GFLOP/s",
		"BLAS numpy: OpenBLAS (/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3); DGEMM 1000×1000: 61.3 GFLOP/s; numpy 1.24.2",
		"torch: skipped, it could not run: No module named 'torch'",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q:\n%s", want, s)
		}
	}
	// go: median 0.5, min 0.4; numpy: median 1.0, min 0.8.
	if !strings.Contains(s, "numpy           1.000        0.800        100.0    0.9701            0.50         0.50         1.00") {
		t.Errorf("numpy's row is not median 1.000, min 0.800, ratios 0.50 0.50 1.00:\n%s", s)
	}
	if strings.Contains(s, "refused") || regexp.MustCompile(`(?m)^ +torch `).MatchString(s) {
		t.Errorf("a refusal or a row for the skipped torch:\n%s", s)
	}
}

func TestReportRefusesARatioAgainstTheReferenceBLAS(t *testing.T) {
	order, rs := results(t, map[string]string{
		"go":    peerOutput("go", goBLAS, "0.5", "0.4", "0.6"),
		"numpy": peerOutput("numpy", netlibBLAS, "4.5", "4.4", "4.6"),
		"torch": peerOutput("torch", openBLAS, "1.0", "0.9", "1.1"),
	})
	var out strings.Builder
	err := report(&out, order, rs, "s/epoch")
	s := out.String()
	if !errors.Is(err, errRefused) {
		t.Errorf("err = %v, want errRefused", err)
	}
	if !strings.Contains(s, "refused") || strings.Contains(s, "0.11") {
		t.Errorf("numpy's ratio (0.5/4.5 = 0.11) printed or not marked refused:\n%s", s)
	}
	if !strings.Contains(s, "no ratio against numpy: it ran with the reference BLAS (Netlib) (libblas.so.3.11.0) loaded") ||
		!strings.Contains(s, "libopenblas0-pthread") {
		t.Errorf("no line saying why and how to fix it:\n%s", s)
	}
	if !strings.Contains(s, "0.50         0.44") { // torch keeps its ratios: 0.5/1.0, 0.4/0.9
		t.Errorf("torch's ratios missing:\n%s", s)
	}
}

func TestParseWantsEpochsAndBLAS(t *testing.T) {
	for name, out := range map[string]string{
		"no epochs": `{"peer": "numpy", "blas": ` + openBLAS + "}\n",
		"no blas":   `{"peer": "numpy", "epoch": 1, "seconds": 1.0, "loss": 0.3}` + "\n",
	} {
		if err := parse(strings.NewReader(out), &result{}); err == nil {
			t.Errorf("%s: parse accepted %q", name, out)
		}
	}
}

// TestParseKeepsTheFastestDGEMM: over the rounds, the BLAS report kept is
// the one with the fastest product (a busy machine slows single runs).
func TestParseKeepsTheFastestDGEMM(t *testing.T) {
	r := &result{name: "numpy"}
	for _, g := range []string{"20.5", "61.3", "9.0"} {
		blas := `{"dgemm_gflops": ` + g + `, "config": "", "libraries": ["/usr/lib/libopenblas.so.0"]}`
		if err := parse(strings.NewReader(peerOutput("numpy", blas, "1.0")), r); err != nil {
			t.Fatal(err)
		}
	}
	if r.blas.DGEMM != 61.3 || len(r.seconds) != 3 {
		t.Errorf("DGEMM %v over %d epochs; want 61.3 (the fastest) over 3", r.blas.DGEMM, len(r.seconds))
	}
}

// TestProcessRunTimesTheWholeProcess: in a -process run a peer's epoch
// records do not count, the process's wall time does (one figure per
// run), and cmd/train's text output gives ours.
func TestProcessRunTimesTheWholeProcess(t *testing.T) {
	peer := `{"peer": "numpy", "blas": {"config": "numpy", "libraries": ["/usr/lib/libopenblas.so.0"]}}
{"peer": "numpy", "epoch": 1, "seconds": 123.0, "loss": 0.3, "test_acc": 0.9}
{"peer": "numpy", "summary": true, "test_acc": 0.9701, "train_acc": 0.98}`
	r := &result{name: "numpy"}
	for range 2 {
		if err := runOne([]string{"sh", "-c", "sleep 0.05; cat <<'END'\n" + peer + "\nEND"}, r, parse, true); err != nil {
			t.Fatal(err)
		}
	}
	if len(r.seconds) != 2 || r.seconds[0] < 0.05 || r.seconds[0] > 100 || r.seconds[1] < 0.05 || r.seconds[1] > 100 {
		t.Errorf("seconds %v; want two wall times of at least 0.05 s, not the epoch's 123", r.seconds)
	}
	train := `Data: MNIST from /data/mnist
Epoch 1/2  loss 0.3  train accuracy  91.00% (running)  test accuracy  94.00%  0.40 s
Epoch 2/2  loss 0.2  train accuracy  95.00% (running)  test accuracy  95.50%  0.40 s
Trained in 0.8 s
Training accuracy: 96.10%
Test accuracy: 95.50%
`
	g := &result{name: "go"}
	if err := runOne([]string{"sh", "-c", "cat <<'END'\n" + train + "END"}, g, parseTrain, true); err != nil {
		t.Fatal(err)
	}
	if len(g.seconds) != 1 || g.testAcc != 0.955 || g.blas == nil || g.blas.DGEMM != 0 {
		t.Errorf("cmd/train's run: seconds %v, test accuracy %v, blas %+v", g.seconds, g.testAcc, g.blas)
	}
	if err := parseTrain(strings.NewReader("Trained in 0.8 s\n"), &result{}); err == nil {
		t.Error("parseTrain accepted an output without epochs or test accuracy")
	}
	// Neither side timed a product: an unknown BLAS cannot be vouched for.
	if v := classify(blasInfo{Config: "numpy, built with something"}, 0); v.refuse == "" {
		t.Errorf("an unidentified, untimed BLAS was not refused: %+v", v)
	}
	if v := classify(*r.blas, 0); v.refuse != "" || v.name != "OpenBLAS" {
		t.Errorf("OpenBLAS refused in a -process run: %+v", v)
	}
}

// TestGoDenseIsOursWithEveryProductDense: the go-dense participant is our
// own command line under $BACKPROP_BLAS=dense, in epoch and in -process
// runs; its BLAS is reported as ours, never classified or refused (in a
// -process run nothing is timed, and an unknown untimed BLAS would be).
func TestGoDenseIsOursWithEveryProductDense(t *testing.T) {
	for _, process := range []bool{false, true} {
		c := config{data: "/d", hidden: "96", epochs: 8, batch: 200, lr: 0.1, python: "py",
			peers: []string{"go-dense", "numpy"}, process: process}
		order, cmds, err := participants(c, "/self", "/train", "/peers.py")
		if err != nil {
			t.Fatal(err)
		}
		want := append([]string{"env", "BACKPROP_BLAS=dense"}, cmds["go"]...)
		if !slices.Equal(order, []string{"go", "go-dense", "numpy"}) || !slices.Equal(cmds["go-dense"], want) {
			t.Errorf("process=%v: order %v, go-dense runs %q; want %q", process, order, cmds["go-dense"], want)
		}
	}
	if _, _, err := participants(config{peers: []string{"numpy", "numpy"}}, "", "", ""); err == nil {
		t.Error("a peer named twice was accepted")
	}
	train := "Epoch 1/1  loss 0.3  0.40 s\nTest accuracy: 95.50%\n"
	script := "cat <<'END'\n" + train + "END"
	rs := map[string]*result{}
	for _, name := range []string{"go", "go-dense"} {
		rs[name] = &result{name: name, peakMB: 80}
		if err := runOne([]string{"sh", "-c", script}, rs[name], parseTrain, true); err != nil {
			t.Fatal(err)
		}
	}
	var out strings.Builder
	if err := report(&out, []string{"go", "go-dense"}, rs, "s/process"); err != nil {
		t.Fatalf("report: %v\n%s", err, &out)
	}
	if s := out.String(); !strings.Contains(s, "BLAS go-dense: nn's pure-Go Dgemm under gonum/mat, every term computed ($BACKPROP_BLAS=dense) (cmd/train)") ||
		strings.Contains(s, "refused") {
		t.Errorf("go-dense not reported as ours:\n%s", s)
	}
}
