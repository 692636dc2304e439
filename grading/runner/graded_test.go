package runner

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// notebookSource is a notebook's declarations as nbtool.GoSourceLines
// writes them: imports and declarations after the line directives of
// their cells.
const notebookSource = `// Code generated from a notebook by nbtool.GoSource. DO NOT EDIT.

package main

import (
//line In [2]:1
	"fmt"
//line In [9]:1
	"math"
//line In [12]:1
	"time"
)

//line In [3]:1
// reluPrime is ReLU′.
func reluPrime(v float64) float64 {
	timing := 0.0 // a local that shares a scratch function's name
	return step(v) + timing
}

//line In [4]:1
func step(v float64) float64 { return math.Max(0, math.Copysign(scale, v)) }

//line In [4]:3
var scale float64

//line In [5]:1
func init_scale() { scale = 1 }

//line In [12]:2
func timing() { fmt.Println(time.Now()) }

//line In [12]:4
func init_clock() { timing() }

//line In [13]:1
var unused = fmt.Sprint(time.Now())
`

func TestSelectGradedKeepsOnlyWhatGradedFunctionsNeed(t *testing.T) {
	sel, err := SelectGraded([]byte(notebookSource), []Graded{{Name: "Exercise 1", Roots: []string{"reluPrime"}}})
	if err != nil {
		t.Fatal(err)
	}
	src := string(sel.Source)
	if _, err := parser.ParseFile(token.NewFileSet(), "", src, 0); err != nil {
		t.Fatalf("selected source does not parse: %v\n%s", err, src)
	}
	for _, want := range []string{"func reluPrime", "func step", "var scale", "func init() { scale = 1 }", `"math"`, "//line In [5]:1"} {
		if !strings.Contains(src, want) {
			t.Errorf("selected source lacks %q:\n%s", want, src)
		}
	}
	for _, not := range []string{`"time"`, "func timing", "init_clock", "unused", `"fmt"`, "init_scale"} {
		if strings.Contains(src, not) {
			t.Errorf("selected source keeps %q:\n%s", not, src)
		}
	}
	notes := strings.Join(sel.Notes, "\n")
	for _, want := range []string{"cell In [12] not graded: not needed by any exercise", "cell In [13] not graded"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q lack %q", notes, want)
		}
	}
	if strings.Contains(notes, "In [4]") || strings.Contains(notes, "In [5]") {
		t.Errorf("notes name a graded cell: %q", notes)
	}
}

// GoNB renders func init_* as init, in the order of their names.
func TestSelectGradedRunsInitFunctionsInGoNBOrder(t *testing.T) {
	src := "package main\n\nvar x []int\n\nfunc init_b() { x = append(x, 2) }\n\nfunc f() []int { return x }\n\nfunc init_a() { x = append(x, 1) }\n"
	sel, err := SelectGraded([]byte(src), []Graded{{Name: "e", Roots: []string{"f"}}})
	if err != nil {
		t.Fatal(err)
	}
	out := string(sel.Source)
	a, b := strings.Index(out, "x = append(x, 1)"), strings.Index(out, "x = append(x, 2)")
	if a < 0 || b < 0 || a > b || strings.Count(out, "func init()") != 2 {
		t.Errorf("init functions not renamed and sorted:\n%s", out)
	}
}
