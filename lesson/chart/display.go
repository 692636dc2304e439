package chart

import (
	"html"

	"github.com/janpfeifer/gonb/gonbui"
)

// DisplayInit displays the setup output that loads ECharts into the
// notebook page (InitHTML). Call it once per notebook, in a setup cell,
// before the first chart. If the library is missing it displays the error,
// which names the fetch command, and returns it. Outside a notebook
// (gonbui.IsNotebook false) it displays nothing but still reports a missing
// library.
func DisplayInit() error {
	h, err := InitHTML()
	if err != nil {
		h = `<pre style="color:#cf222e;white-space:pre-wrap;">` + html.EscapeString(err.Error()) + "</pre>"
	}
	display(h)
	return err
}

// Display displays charts side by side (HTML) in a GoNB notebook and calls
// gonbui.Sync, so that nothing is lost when the cell's program exits.
// Outside a notebook it does nothing.
func Display(charts ...*Chart) { display(HTML(charts...)) }

func display(h string) {
	if !gonbui.IsNotebook {
		return
	}
	gonbui.DisplayHTML(h)
	gonbui.Sync()
}
