package gradcheck

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/nn"
	"gonum.org/v1/gonum/mat"
)

// labBugReport is the lab's bug in a 6-5-4-3 network, checked.
func labBugReport() *Report {
	return mutants()[0].check(nil)
}

func TestTextReportNamesTheWrongTensorAndElement(t *testing.T) {
	r := labBugReport()
	txt := r.String()
	w1 := r.Tensor("W1")
	for _, want := range []string{
		"FAILED (2 of 6 tensors wrong)", "seed 0", "h=1e-05",
		"tensor  shape", "W1      5×6", "gradient of W1 is wrong: worst at", "None of the known mistakes fits these numbers",
		fmt.Sprintf("(%d, %d)", w1.Worst.Row, w1.Worst.Col), "Hint:",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("text report lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "gradient of W2 is wrong") {
		t.Errorf("W2 reported wrong:\n%s", txt)
	}
	if r.Err() == nil || !strings.Contains(r.Err().Error(), "gradient of b1 is wrong") {
		t.Errorf("Err() = %v", r.Err())
	}
}

func TestHTMLReportIsEscapedAndSelfContained(t *testing.T) {
	th := mat.NewDense(1, 2, []float64{1, 2})
	f := Func{Params: []nn.Param{{Name: "<b>θ&</b>", Value: th, Grad: mat.NewDense(1, 2, []float64{1, 4})}},
		Loss: func() float64 { return th.At(0, 0) + th.At(0, 1)*th.At(0, 1)/2 }} // ∂/∂θ1 = 2, not 4
	r := Check(f, nil)
	h := r.HTML()
	if strings.Contains(h, "<b>θ") || !strings.Contains(h, "&lt;b&gt;θ&amp;&lt;/b&gt;") {
		t.Errorf("tensor name not escaped:\n%s", h)
	}
	if strings.Contains(h, "<script") || strings.Contains(h, "http") {
		t.Errorf("HTML is not self-contained:\n%s", h)
	}
	for _, want := range []string{`class="fail"`, "<table>", "(0, 1)", "FAILED"} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %q:\n%s", want, h)
		}
	}
}

// fakeTB records what Assert reports.
type fakeTB struct {
	testing.TB
	errors, logs []string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Errorf(format string, a ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, a...))
}
func (f *fakeTB) Logf(format string, a ...any) { f.logs = append(f.logs, fmt.Sprintf(format, a...)) }

func TestAssertMessagesAreShortAndPointed(t *testing.T) {
	cases := map[string]struct {
		c    gradCase
		want []string
	}{
		"lab bug in a layer": {mutants()[14], []string{"gradient with respect to the input x", "cause (certain): G·W instead of Δ·W (the lab's bug)", "worst at ("}},
		"sign flip":          {mutants()[8], []string{"gradient of W1 is wrong", "wrong sign"}},
		"un-averaged":        {mutants()[5], []string{"cause (certain): scaled by N = 7, the batch size"}},
		"dW scaled by 2":     {mutants()[1], []string{"gradient of W2 is wrong: cause (certain): scaled by 2;"}},
	}
	for name, tc := range cases {
		tb := &fakeTB{}
		if Assert(tb, tc.c.check(nil)) || len(tb.errors) == 0 {
			t.Errorf("%s: Assert passed", name)
			continue
		}
		msg := tb.errors[0]
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: message %q lacks %q", name, msg, w)
			}
		}
		if n := len(strings.Fields(msg)); n > 60 {
			t.Errorf("%s: message of %d words is not short: %q", name, n, msg)
		}
	}
	tb := &fakeTB{}
	if !AssertNetwork(tb, randomNet(1, nn.ReLU, 4, 3, 2), mat.NewDense(2, 4, []float64{1, 2, 3, 4, 5, 6, 7, 8}), []int{0, 1}, nil).OK() || len(tb.errors) > 0 {
		t.Errorf("a correct network failed: %v", tb.errors)
	}
}

func TestMessageExample(t *testing.T) {
	tr := TensorResult{Name: "W1", Rows: 5, Cols: 30, Checked: 150, Failed: 30, Status: StatusFailed,
		Worst: Element{Row: 3, Col: 17, Analytic: 0.0421, Numeric: 0.021, RelErr: 0.334, Status: StatusFailed}}
	tr.Top = []Element{tr.Worst}
	want := "gradient of W1 is wrong: worst at (3, 17): analytic 0.0421, numeric 0.021 (relative error 0.33); 30 of 150 checked elements are wrong"
	if got := tr.Message(8); !strings.HasPrefix(got, want) {
		t.Errorf("got  %q\nwant %q…", got, want)
	}
	if math.IsNaN(tr.MaxRelErr) {
		t.Fail()
	}
}
