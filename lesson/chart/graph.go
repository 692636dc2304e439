package chart

import (
	"encoding/json"
	"fmt"
	"html"
	"slices"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"github.com/backprop-lab/backprop/lesson/internal/format"
)

// GraphNode is one node of a computational graph.
type GraphNode struct {
	Name  string // e.g. "v⁽¹⁾₁"; may be empty for an unnamed operation
	Op    string // "+", "×", "max", "exp", …; "" for a leaf
	Kind  string // "input", "parameter", "constant", "operation" or "output" (colours and legend)
	Value float64
	Grad  float64 // ∂out/∂node
}

// GraphEdge carries From's value forward to To, and back the part of
// ∂out/∂From that flows through this edge: To's gradient times the local
// derivative ∂To/∂From ("downstream = upstream × local").
type GraphEdge struct {
	From, To    int // indices into the nodes
	Value, Grad float64
}

// graphKinds are the node kinds in legend order, with their colours.
var graphKinds = []struct{ name, color string }{
	{"input", "#91cc75"}, {"parameter", "#fac858"}, {"constant", "#bbbbbb"}, {"operation", "#73c0de"}, {"output", "#ee6666"},
}

// kindIndex returns the index in graphKinds of a node kind; an unknown kind
// is an operation.
func kindIndex(kind string) int {
	op := 0
	for i, k := range graphKinds {
		if k.name == kind {
			return i
		}
		if k.name == "operation" {
			op = i
		}
	}
	return op
}

// Graph spacing in CSS pixels: between columns (operations in order) and
// between the nodes of a column.
const (
	graphColW, graphRowH = 84, 62
	graphMargin          = 60
)

// ComputationalGraph draws a computational graph from left (inputs and
// parameters) to right (the output): operations as nodes, each edge labelled
// with the forward value it carries (green, above) and the gradient that
// flows back through it (red, below). A named operation shows its name and
// operation ("v⁽¹⁾₁ +"), the output its value ("E = 0.7981"); hovering a
// node shows its value and gradient. Nodes are placed in columns by their
// longest path from the leaves, each leaf just left of its first use. The size follows the graph unless WithSize.
// It panics if an edge refers to a node that does not exist.
func ComputationalGraph(title string, nodes []GraphNode, edges []GraphEdge, options ...Option) *Chart {
	for _, e := range edges {
		if e.From < 0 || e.From >= len(nodes) || e.To < 0 || e.To >= len(nodes) {
			panic(fmt.Sprintf("chart: ComputationalGraph: edge %d→%d but %d nodes", e.From, e.To, len(nodes)))
		}
	}
	col, row, cols, rows := layeredLayout(len(nodes), edges)
	w, h := max(480, 2*graphMargin+graphColW*(cols-1)), max(240, 2*graphMargin+graphRowH*(rows-1)+20)
	cats := make([]*opts.GraphCategory, len(graphKinds))
	for i, k := range graphKinds {
		cats[i] = &opts.GraphCategory{Name: k.name, ItemStyle: &opts.ItemStyle{Color: k.color}}
	}
	hasOut := make([]bool, len(nodes))
	for _, e := range edges {
		hasOut[e.From] = true
	}
	gn := make([]opts.GraphNode, len(nodes))
	for i, n := range nodes {
		text := nodeLabel(n)
		if n.Name != "" && !hasOut[i] {
			text = n.Name + " = " + format.Num(n.Value)
		}
		text += strings.Repeat("\u200b", i) // names must be unique; zero-width spaces do not show
		k := kindIndex(n.Kind)
		tip := fmt.Sprintf("%s<br>value %s<br>gradient %s", html.EscapeString(strings.TrimSpace(n.Name+" "+n.Op)), format.Num(n.Value), format.Num(n.Grad))
		gn[i] = opts.GraphNode{Name: text, Category: k, Symbol: "circle", SymbolSize: 14,
			X: float32(graphMargin + col[i]*graphColW), Y: float32(graphMargin + 20 + float64(row[i])*graphRowH),
			Tooltip: &opts.Tooltip{Formatter: types.FuncStr(tip)}}
	}
	links := make([]opts.GraphLink, len(edges))
	for i, e := range edges {
		links[i] = opts.GraphLink{Source: e.From, Target: e.To,
			Label: &opts.EdgeLabel{Show: opts.Bool(true), Formatter: "{v|" + format.Num(e.Value) + "}\n{g|" + format.Num(e.Grad) + "}"}}
	}
	g := charts.NewGraph()
	g.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: title, Subtitle: "edges: forward value (green) / gradient flowing back (red)", TitleStyle: &opts.TextStyle{FontSize: 14}}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}),
	)
	g.AddSeries("graph", gn, links, charts.WithGraphChartOpts(opts.GraphChart{
		Layout: "none", Roam: opts.Bool(true), Categories: cats,
		EdgeSymbol: []string{"none", "arrow"}, EdgeSymbolSize: 6,
		EdgeLabel: &opts.EdgeLabel{Show: opts.Bool(true), FontSize: 10},
	}), charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top", FontSize: 11, Color: "#222"}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: "#999", Width: 1, Curveness: 0}))
	w, h = configure(options).size(w, h)
	return newChart(title, config{}, w, h, patched{g, richEdges})
}

// nodeLabel is a node's label in a graph: its name and operation ("v⁽¹⁾₁
// +"; the operation left out if the name shows it), or the operation of an
// unnamed node.
func nodeLabel(n GraphNode) string {
	switch {
	case n.Name == "":
		return n.Op
	case n.Op != "" && !strings.Contains(n.Name, n.Op) && !(n.Op == "exp" && strings.HasPrefix(n.Name, "e^")):
		return n.Name + " " + n.Op
	}
	return n.Name
}

// patched is a go-echarts chart whose option gets a few keys go-echarts
// cannot express, set by patch on the option as plain JSON values.
type patched struct {
	optioner
	patch func(map[string]any)
}

func (p patched) JSON() map[string]any {
	b, err := json.Marshal(p.optioner.JSON())
	if err != nil {
		panic(fmt.Sprintf("chart: %v", err))
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic(fmt.Sprintf("chart: %v", err))
	}
	p.patch(m)
	return m
}

// richEdges adds the rich-text styles of the edge labels ({v|…} green,
// {g|…} red), which go-echarts' EdgeLabel cannot express.
func richEdges(m map[string]any) {
	rich := map[string]any{
		"v": map[string]any{"color": "#1a7f37", "fontSize": 10, "lineHeight": 12},
		"g": map[string]any{"color": "#cf222e", "fontSize": 10, "lineHeight": 12},
	}
	for _, s := range m["series"].([]any) {
		series := s.(map[string]any)
		if el, ok := series["edgeLabel"].(map[string]any); ok {
			el["rich"] = rich
		}
		links, _ := series["links"].([]any)
		for _, l := range links {
			if lab, ok := l.(map[string]any)["label"].(map[string]any); ok {
				lab["rich"] = rich
			}
		}
	}
}

// layeredLayout places node i in column col[i] (its longest path from a
// leaf; a leaf one column left of its first consumer) and row row[i],
// ordering each column by the mean row of its neighbours in the previous
// one (a few sweeps of the barycentre heuristic), centred vertically.
func layeredLayout(n int, edges []GraphEdge) (col []float64, row []float64, cols, rows int) {
	parents, children := make([][]int, n), make([][]int, n)
	for _, e := range edges {
		parents[e.To] = append(parents[e.To], e.From)
		children[e.From] = append(children[e.From], e.To)
	}
	depth := make([]int, n)
	var visit func(i int) int
	done := make([]bool, n)
	visit = func(i int) int {
		if done[i] {
			return depth[i]
		}
		done[i] = true // a cycle cannot occur in a computational graph
		for _, p := range parents[i] {
			depth[i] = max(depth[i], visit(p)+1)
		}
		return depth[i]
	}
	for i := range n {
		visit(i)
	}
	for i := range n {
		if len(parents[i]) == 0 && len(children[i]) > 0 {
			d := depth[children[i][0]]
			for _, c := range children[i] {
				d = min(d, depth[c])
			}
			depth[i] = max(0, d-1)
		}
	}
	cols = slices.Max(append(depth, 0)) + 1
	byCol := make([][]int, cols)
	for i := range n {
		byCol[depth[i]] = append(byCol[depth[i]], i)
	}
	pos := make([]float64, n)
	for _, c := range byCol {
		for k, i := range c {
			pos[i] = float64(k)
		}
	}
	mean := func(i int, nb [][]int) (float64, bool) {
		if len(nb[i]) == 0 {
			return 0, false
		}
		var s float64
		for _, j := range nb[i] {
			s += pos[j]
		}
		return s / float64(len(nb[i])), true
	}
	order := func(c []int, nb [][]int) {
		key := make(map[int]float64, len(c))
		for _, i := range c {
			if m, ok := mean(i, nb); ok {
				key[i] = m
			} else {
				key[i] = pos[i]
			}
		}
		slices.SortStableFunc(c, func(a, b int) int {
			switch {
			case key[a] < key[b]:
				return -1
			case key[a] > key[b]:
				return 1
			}
			return 0
		})
		for k, i := range c {
			pos[i] = float64(k)
		}
	}
	for range 4 {
		for k := 1; k < cols; k++ {
			order(byCol[k], parents)
		}
		for k := cols - 2; k >= 0; k-- {
			order(byCol[k], children)
		}
	}
	for _, c := range byCol {
		rows = max(rows, len(c))
	}
	col, row = make([]float64, n), make([]float64, n)
	for k, c := range byCol {
		off := float64(rows-len(c)) / 2
		for r, i := range c {
			col[i], row[i] = float64(k), off+float64(r)
		}
	}
	return col, row, cols, rows
}
