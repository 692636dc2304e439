package chart

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"
)

// Chart is one ECharts chart: an option built with go-echarts, rendered by
// HTML as a small, self-contained fragment that draws once the ECharts
// library is on the page (see InitHTML).
type Chart struct {
	Title         string
	Width, Height int    // CSS pixels
	option        []byte // the ECharts option, JSON (HTML-escaped: safe inside <script>)
	slot          string // live plots: the chart this one replaces in the browser
}

// optioner is what a Chart needs from a go-echarts chart.
type optioner interface {
	Validate()
	JSON() map[string]any
}

// newChart renders the option of a go-echarts chart. It panics if the option
// cannot be encoded (a NaN that escaped sanitising is a bug here).
// The chart is w×h CSS pixels unless cfg sets a size.
func newChart(title string, cfg config, w, h int, c optioner) *Chart {
	w, h = cfg.size(w, h)
	c.Validate()
	opt, err := json.Marshal(c.JSON()) // escapes <, > and &, so "</script>" cannot occur
	if err != nil {
		panic(fmt.Sprintf("chart: %q: %v", title, err))
	}
	// Inline go-echarts' JavaScript functions (opts.FuncOpts) as code, as
	// its own renderer does. Their text went through the JSON encoder, so
	// they must not contain quotes, <, > or &.
	opt = funcMarker.ReplaceAll(opt, nil)
	return &Chart{Title: title, Width: w, Height: h, option: opt}
}

// funcMarker is go-echarts' marker around JavaScript functions (render.pat).
var funcMarker = regexp.MustCompile(`(__f__")|("__f__)|(__f__)`)

// ID returns the chart's deterministic id, derived from its content: the
// same chart always renders to the same HTML.
func (c *Chart) ID() string {
	h := sha256.New()
	fmt.Fprintf(h, "%d×%d\x00%s\x00", c.Width, c.Height, c.Title)
	h.Write(c.option)
	return "bp-" + hex.EncodeToString(h.Sum(nil))[:12]
}

// Option returns the chart's ECharts option: JSON, except for the few
// JavaScript functions (axis label formatters) inlined as code.
func (c *Chart) Option() string { return string(c.option) }

// chartScript draws one chart. It finds its div by data-bp-chart (claiming
// the first unclaimed one, so the same chart can appear twice on a page),
// waits for window.echarts (the setup output may come later or be parsed
// after this one) and replaces the fallback text with the chart. Jupyter
// runs output scripts before or after the output is attached to the page
// (classic Notebook: before), so both lookups are retried. A chart with a
// slot (a live plot) disposes of the chart it replaces in that slot.
const chartScript = `<script type="text/javascript">
(function () {
  var id = %s, slot = %s, option = %s, el = null, tries = 0;
  (function draw() {
    if (!el) {
      var els = document.querySelectorAll('div[data-bp-chart="' + id + '"]');
      for (var i = 0; i < els.length && !el; i++) {
        if (!els[i].hasAttribute("data-bp-claimed")) el = els[i];
      }
      if (el) el.setAttribute("data-bp-claimed", "");
    }
    if (el && window.echarts) {
      el.innerHTML = "";
      var chart = window.echarts.init(el, null, {renderer: "canvas"});
      chart.setOption(option);
      el.setAttribute("data-bp-drawn", "");
      if (slot) {
        var slots = window.__bpSlots = window.__bpSlots || {};
        if (slots[slot] && !slots[slot].isDisposed()) slots[slot].dispose();
        slots[slot] = chart;
      }
      return;
    }
    if (++tries < 200) { setTimeout(draw, 50); return; }
    var fb = el && el.querySelector(".bp-fallback");
    if (fb) fb.textContent += " (gave up waiting after 10 s)";
  })();
})();
</script>`

// HTML returns the chart as an HTML fragment: a fixed-size div holding a
// visible fallback message, and a script that draws the chart into it. It
// contains no library and no URL.
func (c *Chart) HTML() string {
	return fmt.Sprintf(`<div class="bp-chart" data-bp-chart="%s" style="width:%dpx;height:%dpx;">`+
		`<div class="bp-fallback" style="font:12px sans-serif;color:#a33;padding:6px;border:1px dashed #c99;box-sizing:border-box;max-height:100%%;overflow:auto;">`+
		`Chart “%s” is not drawn: ECharts is not loaded on this page. Run the setup cell (chart.DisplayInit()) first; `+
		`in a saved notebook, re-run the cells (Jupyter does not run scripts of untrusted outputs).</div></div>`+"\n"+
		chartScript, c.ID(), c.Width, c.Height, html.EscapeString(c.Title), jsString(c.ID()), jsString(c.slot), c.option)
}

// jsString quotes s as a JavaScript string literal that is safe in a <script>.
func jsString(s string) string {
	b, _ := json.Marshal(s) // escapes <, > and &
	return string(b)
}

// HTML lays charts out side by side, wrapping to new rows as needed.
func HTML(charts ...*Chart) string {
	var b strings.Builder
	b.WriteString(`<div class="bp-charts" style="display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start;">` + "\n")
	for _, c := range charts {
		b.WriteString(c.HTML())
		b.WriteString("\n")
	}
	b.WriteString("</div>")
	return b.String()
}
