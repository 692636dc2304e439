package nbtool

import (
	"strings"
	"testing"
)

func TestParseNumber(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"about 200×", 200, true},
		{"45,5 %", 45.5, true},
		{"с $0{,}7981$", 0.7981, true},
		{"loss 1.64", 1.64, true},
		{"−0.25", -0.25, true},
		{`$3.7\cdot10^{-4}$`, 3.7e-4, true},
		{"3.7·10^{-4}", 3.7e-4, true},
		{"2.15e-05", 2.15e-5, true},
		{"some thousand times", 1000, true},
		{"около половины", 0.5, true},
		{"no number", 0, false},
	} {
		got, ok := parseNumber(tc.in)
		if ok != tc.ok || (ok && !nearly(got, tc.want)) {
			t.Errorf("parseNumber(%q) = %g, %v; want %g, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func nearly(a, b float64) bool { return a-b < 1e-12*max(1, b) && b-a < 1e-12*max(1, b) }

// pinned is a markdown cell quoting "about 200×" with the given pin.
func pinned(p Pin) *Cell {
	c := &Cell{CellType: "markdown", Source: "The error is about 200× lower."}
	c.Metadata.Backprop = &Expectations{Pins: []Pin{p}}
	return c
}

func TestPinProblems(t *testing.T) {
	good := Pin{Text: "about 200×", Output: `(\d+)× lower`, Range: [2]float64{100, 400}}
	if p := pinned(good).pinProblems(); len(p) != 0 {
		t.Errorf("a good pin: %v", p)
	}
	for _, tc := range []struct {
		name string
		pin  Pin
		want string
	}{
		{"text not in the cell", Pin{Text: "about 300×", Output: `(\d+)×`, Range: [2]float64{100, 400}}, "text not found"},
		{"no group", Pin{Text: "about 200×", Output: `\d+×`, Range: [2]float64{100, 400}}, "captures no number"},
		{"bad pattern", Pin{Text: "about 200×", Output: `(\d+`, Range: [2]float64{100, 400}}, "output pattern"},
		{"stated value outside", Pin{Text: "about 200×", Output: `(\d+)×`, Range: [2]float64{300, 400}}, "outside its own range"},
		{"source and output", Pin{Text: "about 200×", Output: `(\d+)×`, Source: "the lab's README"}, "a quoted number"},
		{"empty range", Pin{Text: "about 200×", Output: `(\d+)×`, Range: [2]float64{400, 100}}, "empty range"},
	} {
		got := strings.Join(pinned(tc.pin).pinProblems(), "\n")
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s: problems %q, want one containing %q", tc.name, got, tc.want)
		}
	}
	if p := pinned(Pin{Text: "about 200×", Source: "the lab's README"}).pinProblems(); len(p) != 0 {
		t.Errorf("a quoted number: %v", p)
	}
	code := pinned(good)
	code.CellType = "code"
	if got := strings.Join(code.pinProblems(), ""); !strings.Contains(got, "markdown") {
		t.Errorf("a pin on a code cell: %q", got)
	}
}

func TestPinResults(t *testing.T) {
	c := pinned(Pin{Text: "about 200×", Output: `error (\S+)× lower`, Range: [2]float64{100, 400}})
	full := pinned(Pin{Text: "about 200×", Output: `error (\S+)× lower`, Range: [2]float64{100, 400}, When: "full MNIST"})
	if p := full.pinResults("embedded subset: the error 1000× lower"); len(p) != 0 {
		t.Errorf("a pin for the full MNIST applied to a run on the subset: %v", p)
	}
	if p := full.pinResults("full MNIST: the error 1000× lower"); len(p) != 1 {
		t.Errorf("a pin for the full MNIST not applied to a run on it: %v", p)
	}
	for _, tc := range []struct {
		outputs, want string
	}{
		{"the error 212.4× lower than before", ""},
		{"the error 1000× lower than before", "outside [100, 400]"},
		{"nothing here", "no output matches"},
		{"the error NaN× lower", "holds no number"},
	} {
		got := strings.Join(c.pinResults(tc.outputs), "\n")
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("outputs %q: problems %q, want %q", tc.outputs, got, tc.want)
		}
	}
}

// TestCheckExecutedPins checks that CheckExecuted applies a markdown cell's
// pins to the outputs of the code cells.
func TestCheckExecutedPins(t *testing.T) {
	one := 1
	code := Cell{CellType: "code", Source: "%%\nfmt.Println(x)", ExecutionCount: &one,
		Outputs: []Output{{OutputType: "stream", Name: "stdout", Text: "the error 1000× lower\n"}}}
	nb := &Notebook{Cells: []Cell{code, *pinned(Pin{Text: "about 200×", Output: `error (\S+)× lower`, Range: [2]float64{100, 400}})}}
	nb.Metadata.Backprop = &Expectations{Expect: []string{"error"}}
	got := strings.Join(CheckExecuted(nb), "\n")
	if !strings.Contains(got, "outside [100, 400]") {
		t.Errorf("CheckExecuted did not apply the pin: %q", got)
	}
}
