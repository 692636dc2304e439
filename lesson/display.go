package lesson

import (
	"html"

	"github.com/janpfeifer/gonb/gonbui"
)

// The Display functions show lesson's renderings in a GoNB notebook and call
// gonbui.Sync so that nothing is lost when the cell's program exits. Outside
// a notebook (gonbui.IsNotebook false) they do nothing; use the functions
// that return strings (HTML, Markdown, Text, String) instead.

// DisplayChartsInit displays the setup output that loads ECharts into the
// notebook page (ChartsInitHTML). Call it once per notebook, in a setup cell,
// before the first chart. If the library is missing it displays the error,
// which names the fetch command, and returns it.
func DisplayChartsInit() error {
	h, err := ChartsInitHTML()
	if err != nil {
		h = `<pre style="color:#cf222e;white-space:pre-wrap;">` + html.EscapeString(err.Error()) + "</pre>"
	}
	displayHTML(h)
	return err
}

// DisplayCharts displays charts side by side (ChartsHTML).
func DisplayCharts(charts ...*Chart) { displayHTML(ChartsHTML(charts...)) }

// DisplayMarkdown displays Markdown with $…$ and $$…$$ LaTeX.
func DisplayMarkdown(md string) {
	if !gonbui.IsNotebook {
		return
	}
	gonbui.DisplayMarkdown(md)
	gonbui.Sync()
}

// DisplayDerivation displays the derivation steps with the given keys (all
// when none are given).
func DisplayDerivation(keys ...string) { DisplayMarkdown(DerivationMarkdown(keys...)) }

// DisplayTrace displays a trace as HTML tables.
func DisplayTrace(t *Trace) { displayHTML(t.HTML()) }

// DisplayWalkthrough displays the numeric walkthrough of a one-example trace.
func DisplayWalkthrough(t *Trace) { DisplayMarkdown(t.Walkthrough()) }

// DisplayChecks displays equation checks, one ✓/✗ line each.
func DisplayChecks(checks ...Check) {
	var h string
	for _, c := range checks {
		h += c.HTML()
	}
	displayHTML(h)
}

func displayHTML(h string) {
	if !gonbui.IsNotebook {
		return
	}
	gonbui.DisplayHTML(h)
	gonbui.Sync()
}
