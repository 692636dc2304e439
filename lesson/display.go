package lesson

import (
	"github.com/janpfeifer/gonb/gonbui"
)

// The Display functions show lesson's renderings in a GoNB notebook and call
// gonbui.Sync so that nothing is lost when the cell's program exits. Outside
// a notebook (gonbui.IsNotebook false) they do nothing; use the functions
// that return strings (HTML, Markdown, Text, String) instead.

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
func DisplayDerivation(keys ...string) { DisplayMarkdown(derivationMarkdown(keys...)) }

// DisplayTrace displays a trace as HTML tables.
func DisplayTrace(t *Trace) { displayHTML(t.HTML()) }

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
