package lesson

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/gradcheck"
	"github.com/backprop-lab/backprop/mnist"
	"github.com/backprop-lab/backprop/nn"
)

// failedNames lists the tensors of r that failed.
func failedNames(r *gradcheck.Report) []string {
	var names []string
	for _, t := range r.Failures() {
		names = append(names, t.Name)
	}
	return names
}

// TestBugGallery checks, bug by bug, which tensors gradcheck fails and, for
// the bugs that scale the gradient, by how much: what the notebook's table
// claims.
func TestBugGallery(t *testing.T) {
	all := []string{"W1", "b1", "W2", "b2", "W3", "b3"}
	for _, tc := range []struct {
		key    string
		failed []string
		ratio  float64 // analytic ÷ numeric of every checked element; 0: not a scaling bug
	}{
		{"mask", []string{"W1", "b1", "W2", "b2"}, 0}, // layer 2's own Δ and everything below it
		{"gw", []string{"W1", "b1"}, 0},               // only what layer 2 hands down
		{"wt", []string{"W1", "b1"}, 0},
		{"no-1/N", all, 8}, // N = 8
		{"double-1/N", all, 1.0 / 8},
		{"sign", all, -1},
		{"diag", all, 0},
		{"no-max", all, 0},
		{"no-ln", all, 0},
	} {
		t.Run(tc.key, func(t *testing.T) {
			r := CheckBug(tc.key)
			if got := failedNames(r); !slices.Equal(got, tc.failed) {
				t.Errorf("failed tensors %v, want %v\n%s", got, tc.failed, r)
			}
			if tc.ratio != 0 {
				for _, tr := range r.Tensors {
					for _, e := range tr.Top {
						if e.Numeric == 0 {
							continue
						}
						// Central differences agree with the exact gradient to ~1e-7 relative.
						if q := e.Analytic / e.Numeric; math.Abs(q-tc.ratio) > 1e-4*math.Abs(tc.ratio) {
							t.Errorf("%s (%d, %d): analytic ÷ numeric = %g, want %g", tr.Name, e.Row, e.Col, q, tc.ratio)
						}
					}
				}
			}
			v := bugVerdict(r)
			for _, name := range tc.failed {
				if !strings.Contains(v, name) {
					t.Errorf("verdict %q does not name %s", v, name)
				}
			}
		})
	}
}

func TestBugGalleryFixes(t *testing.T) {
	if r := CheckBug(""); !r.OK() {
		t.Errorf("the right network fails:\n%s", r)
	}
	// The fix of "no-max": the same shifted logits through nn's softmax,
	// which subtracts the maximum, change neither the loss nor the verdict.
	x, labels := galleryBatch()
	net := nn.MustNew(galleryConfig)
	before := net.Loss(x, labels)
	shiftLogits(net.Dense(3))
	if after := net.Loss(x, labels); math.Abs(after-before) > 1e-12 {
		t.Errorf("loss %v after shifting the logits by %d, %v before", after, logitShift, before)
	}
	if r := gradcheck.CheckNetwork(net, x, labels, nil); !r.OK() {
		t.Errorf("nn with shifted logits fails:\n%s", r)
	}
	// The fix of "no-ln": the loss with its ln is what NetworkFunc measures.
	if r := gradcheck.Check(gradcheck.NetworkFunc(nn.MustNew(galleryConfig), x, labels), nil); !r.OK() {
		t.Errorf("the cross-entropy with its ln fails:\n%s", r)
	}
}

func TestBugTransposeNeedsSquare(t *testing.T) {
	x, labels := galleryBatch()
	net := nn.MustNew(nn.Config{Sizes: []int{784, 16, 12, 10}, Seed: 1})
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, "Δ is 8×12 but Wᵀ is 16×12") {
			t.Errorf("panic %q, want both shapes", msg)
		}
	}()
	bugByKey("wt").plant(net, x, labels)
}

func TestBugByKeyUnknown(t *testing.T) {
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, `"nope"`) || !strings.Contains(msg, "mask, gw") {
			t.Errorf("panic %q, want the key and the known ones", msg)
		}
	}()
	bugByKey("nope")
}

func TestBugGalleryHTML(t *testing.T) {
	h := BugGalleryHTML()
	rows := strings.Split(strings.TrimSpace(h), "\n")
	if len(rows) != 2+len(bugs()) {
		t.Fatalf("%d lines, want the table's start, %d rows and its end:\n%s", len(rows), len(bugs()), h)
	}
	for i, b := range bugs() {
		row := rows[1+i]
		if !strings.Contains(row, `<code style="white-space:nowrap">`+b.Key+"</code>") || !strings.Contains(row, textEscaper.Replace(b.Fix)) {
			t.Errorf("row %d %q lacks the unbreakable key or the fix of %s", i, row, b.Key)
		}
	}
	if !strings.Contains(h, "analytic ÷ numeric = 8;") && !strings.Contains(h, "analytic ÷ numeric = 8<") {
		t.Errorf("the forgotten 1/N row does not show the factor N = 8:\n%s", h)
	}
}

func TestTextHTML(t *testing.T) {
	got := textHTML("lab's <b> & \"x\"\n  two")
	if !strings.Contains(got, "lab's &lt;b&gt; &amp; \"x\"\n  two</pre>") {
		t.Errorf("textHTML escapes more or less than &, <, >, or loses line breaks: %s", got)
	}
	if !strings.Contains(got, "white-space:pre-wrap;word-break:normal;overflow-wrap:normal") {
		t.Errorf("textHTML does not wrap at spaces only: %s", got)
	}
	// A browser may break after a hyphen: words with one are kept whole.
	got = textHTML("worst -7.13e-05, ratio 8\nx-y")
	for _, want := range []string{`<span style="white-space:nowrap">-7.13e-05,</span> ratio 8`, `<span style="white-space:nowrap">x-y</span>`} {
		if !strings.Contains(got, want) {
			t.Errorf("textHTML lacks %s: %s", want, got)
		}
	}
}

// TestCompareLabBug backs the notebook's claim: with the lab's bug the
// two-hidden-layer network still lowers its loss, although its gradients
// are wrong, so a learning curve does not reveal the bug.
func TestCompareLabBug(t *testing.T) {
	train, test := mnist.Embedded()
	cfg := nn.Config{Sizes: []int{784, 32, 32, 10}, Seed: 2}
	sgd := nn.SGD{LearningRate: 0.1, BatchSize: 100, Epochs: 2, Seed: 2}
	right, buggy, err := CompareLabBug(cfg, sgd, train, test)
	if err != nil {
		t.Fatal(err)
	}
	if len(right.BatchLoss) != 200 || len(buggy.BatchLoss) != 200 {
		t.Fatalf("%d and %d batches, want 200 each", len(right.BatchLoss), len(buggy.BatchLoss))
	}
	// Same weights, same first batch: the first forward pass is the same.
	if right.BatchLoss[0] != buggy.BatchLoss[0] {
		t.Errorf("first batch loss %v (right) and %v (bug), want equal", right.BatchLoss[0], buggy.BatchLoss[0])
	}
	if slices.Equal(right.BatchLoss, buggy.BatchLoss) {
		t.Error("the bug changed nothing")
	}
	for _, r := range []BugRun{right, buggy} {
		first, last := mean(r.BatchLoss[:20]), mean(r.BatchLoss[180:])
		if !(last < first/2) { // from ≈ ln 10 to well below
			t.Errorf("%s: loss %.3f in the first 20 batches, %.3f in the last 20: not learning", r.Name, first, last)
		}
		if r.TestAcc < 0.7 { // 80% after two epochs on 10 000 images
			t.Errorf("%s: test accuracy %.3f", r.Name, r.TestAcc)
		}
		if s := r.String(); !strings.Contains(s, r.Name) || !strings.Contains(s, "test accuracy") {
			t.Errorf("String() = %q", s)
		}
	}
}

func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
