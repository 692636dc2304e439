package lesson

import (
	"regexp"
	"strings"

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

// DisplayHTML displays an HTML fragment.
func DisplayHTML(h string) { displayHTML(h) }

// DisplayText displays preformatted text, such as a gradcheck report, as
// textHTML renders it.
func DisplayText(s string) { displayHTML(textHTML(s)) }

// textEscaper escapes what HTML element content needs escaped, and nothing
// more, so that the text stays searchable as it was (an apostrophe stays an
// apostrophe).
var textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// textHTML renders s as a block of monospace text that keeps its line
// breaks and wraps a line that is too long only at a space. Jupyter's own
// text output breaks long lines anywhere, even inside a word or a number
// (numeri|c, -6.127|5e-05); a single word wider than the output scrolls
// sideways instead. A browser may also break after a hyphen (-7.13e-|05),
// so every word with a hyphen is kept whole in a no-wrap span.
func textHTML(s string) string {
	return `<pre class="bp-text" style="white-space:pre-wrap;word-break:normal;overflow-wrap:normal;overflow-x:auto;` +
		`font-family:monospace;font-size:13px;line-height:1.35;margin:0">` +
		hyphenated.ReplaceAllString(textEscaper.Replace(s), `<span style="white-space:nowrap">$0</span>`) + "</pre>"
}

// hyphenated matches a word (a run without white space) that holds a hyphen.
var hyphenated = regexp.MustCompile(`[^\s-]*-\S*`)
