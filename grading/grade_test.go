package grading

import (
	"bytes"
	"encoding/json"
	"flag"
	"slices"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/internal/textcheck"
	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// labLayer is a ReLU Dense layer with the lab's bug in Backward.
type labLayer struct{ *nn.Dense }

func (l labLayer) Backward(g *mat.Dense) *mat.Dense {
	l.Dense.Backward(g)
	var gx mat.Dense
	gx.Mul(g, l.W)
	return &gx
}

func newCorrect(nIn, nOut int) nn.Layer { return nn.NewDense(nIn, nOut, nn.ReLU) }
func newLabBug(nIn, nOut int) nn.Layer  { return labLayer{nn.NewDense(nIn, nOut, nn.ReLU)} }

func TestRunPassesCorrectAndFailsLabBug(t *testing.T) {
	c := DefaultConfig()
	var out bytes.Buffer
	if !Write(&out, c, Run(c, newCorrect)) || !strings.HasSuffix(out.String(), "PASS\n") {
		t.Errorf("correct layer failed:\n%s", out.String())
	}
	out.Reset()
	res := Run(c, newLabBug)
	if Write(&out, c, res) {
		t.Fatalf("lab bug passed:\n%s", out.String())
	}
	if got := names(res[0]); !slices.Equal(got, []string{"x"}) {
		t.Errorf("layer check: failing %v, want [x]", got)
	}
	if got := names(res[1]); !slices.Equal(got, []string{"W1", "b1"}) {
		t.Errorf("network check: failing %v, want [W1 b1]", got)
	}
	if !textcheck.ContainsWords(out.String(), "gradient with respect to the input x") {
		t.Errorf("no student message:\n%s", out.String())
	}
}

func names(r Result) []string {
	var n []string
	for _, t := range r.Report.Failures() {
		n = append(n, t.Name)
	}
	return n
}

func TestPanicsBecomeFailures(t *testing.T) {
	c := DefaultConfig()
	c.JSON = true
	var out bytes.Buffer
	res := Run(c, func(nIn, nOut int) nn.Layer { return nil })
	if Write(&out, c, res) {
		t.Fatal("nil layer passed")
	}
	var doc struct {
		Score float64
		Tests []struct {
			Name, Output string
			Score        float64
		}
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("%v:\n%s", err, out.String())
	}
	if doc.Score != 0 || len(doc.Tests) != 2 || !textcheck.ContainsWords(doc.Tests[0].Output, "returned nil") {
		t.Errorf("%+v", doc)
	}
}

func TestArgsRoundTrip(t *testing.T) {
	c := DefaultConfig()
	c.Hidden, c.Seed, c.JSON, c.Points, c.Name = []int{7, 3}, 9, true, 2.5, "Make"
	var d Config
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	d.RegisterFlags(fs)
	if err := fs.Parse(c.Args()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Args(), d.Args()) {
		t.Errorf("round trip: %v → %v", c.Args(), d.Args())
	}
	if err := fs.Parse([]string{"-hidden=3,x"}); err == nil {
		t.Error("bad -hidden accepted")
	}
}
