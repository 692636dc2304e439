package chart

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backprop-lab/backprop/internal/chromium"
	"github.com/backprop-lab/backprop/internal/testenv"
	"github.com/backprop-lab/backprop/lesson/assets"
)

// The interactive figures are driven in headless Chromium as a reader
// drives them: the page (exported HTML, and outputs inserted as JupyterLab
// inserts them) shows every figure; a driver script moves each figure's
// timeline to another frame with ECharts' timelineChange action (what the
// slider, its arrows and its play button dispatch) and reports, per figure:
//
//   - the frame it opened on and the frame it shows after the action;
//   - the caption (subtitle) and the data of one series of that frame, as the
//     chart's model holds them after the action;
//   - a hash of the canvas pixels before and after, and of a second chart
//     created from the same option opened directly at the target frame: the
//     driven figure must draw exactly that picture, and not its first one.

// driverJS drives the figures listed in SPECS once they are drawn, then
// stores the results in window.__bpDriven.
const driverJS = `<script>
(function () {
  var specs = SPECS, tries = 0;
  function sig(el) {
    var c = el.querySelector("canvas");
    if (!c || !c.width) return "no canvas";
    var d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data, h = 0, n = 0;
    for (var i = 0; i < d.length; i++) { h = (Math.imul(h, 31) + d[i]) | 0; if (i % 4 === 3 && d[i]) n++; }
    return n + ":" + h;
  }
  function ready() {
    var els = document.querySelectorAll("div.bp-chart");
    if (!window.echarts || (document.getElementById("nb") && !window.__bpInserted) || els.length < specs.length) return false;
    return document.querySelectorAll("div.bp-chart[data-bp-drawn]").length === els.length;
  }
  (function wait() {
    if (!ready()) { if (++tries < 300) setTimeout(wait, 50); else window.__bpDriven = {error: "figures not drawn after 15 s"}; return; }
    var results = [], insts = [];
    specs.forEach(function (s, i) {
      var el = document.querySelector('div[data-bp-chart="' + s.id + '"]'), inst = window.echarts.getInstanceByDom(el);
      insts.push(inst);
      results.push({id: s.id, startIndex: inst.getOption().timeline[0].currentIndex, startSig: sig(el)});
      inst.dispatchAction({type: "timelineChange", currentIndex: s.target});
      var ref = document.createElement("div");
      ref.style.cssText = "position:absolute;left:-10000px;top:0;width:" + el.offsetWidth + "px;height:" + el.offsetHeight + "px";
      document.body.appendChild(ref);
      var r = window.echarts.init(ref, null, {renderer: "canvas"});
      r.setOption(s.ref);
      s.refEl = ref;
    });
    setTimeout(function () {
      specs.forEach(function (s, i) {
        var o = insts[i].getOption(), el = insts[i].getDom();
        results[i].index = o.timeline[0].currentIndex;
        results[i].caption = o.title[0].subtext;
        results[i].data = JSON.stringify(o.series[s.series].data, function (k, v) { return k === "emphasis" ? undefined : v; }); // ECharts adds an empty emphasis to labelled items
        results[i].sig = sig(el);
        results[i].refSig = sig(s.refEl);
      });
      window.__bpDriven = results;
    }, 600);
  })();
})();
</script>`

// drivenHarness shows the scenarios in iframes and posts their results.
const drivenHarness = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<img src="/hold" alt="" style="display:none">
SCENARIOS
<script>
var start = Date.now();
(function check() {
  var frames = document.querySelectorAll("iframe"), out = {}, done = true;
  for (var i = 0; i < frames.length; i++) {
    var w = frames[i].contentWindow, name = frames[i].getAttribute("data-name");
    if (!w || !w.__bpDriven) { done = false; continue; }
    out[name] = {results: w.__bpDriven, errors: w.__bpErrors || []};
  }
  if (!done && Date.now() - start < 40000) { setTimeout(check, 100); return; }
  fetch("/verdict", {method: "POST", body: JSON.stringify(out)});
})();
</script></body></html>`

type drivenResult struct {
	ID                    string
	StartIndex, Index     int
	Caption, Data         string
	StartSig, Sig, RefSig string
}

func TestInteractiveFiguresInBrowser(t *testing.T) {
	testenv.SkipShort(t, "the browser test runs Chromium for several seconds")
	if chromium.Path() == "" {
		testenv.Missing(t, "no Chromium: install Debian's chromium (or set $CHROMIUM) to run the browser test")
	}
	lib, err := assets.Read()
	if err != nil {
		testenv.Missing(t, fmt.Sprintf("ECharts is not installed (%v): run `%s` once", err, assets.FetchCommand))
	}
	init, err := initHTML(lib)
	if err != nil {
		t.Fatal(err)
	}
	// Per figure: the frame to move to and the series whose data to compare.
	targets := map[string][2]int{"backprop-steps": {3, 2}, "weight": {2, 2}, "rate": {1, 0}, "init": {1, 0}, "step": {8, 2}}
	type spec struct {
		ID     string `json:"id"`
		Target int    `json:"target"`
		Series int    `json:"series"`
	}
	var specs []string
	want := map[string]drivenResult{}
	var charts []*Chart
	figs := sampleFigures()
	for _, f := range figs {
		tg := targets[f.kind]
		var o map[string]any
		if err := json.Unmarshal([]byte(strings.ReplaceAll(f.chart.Option(), `function (v) { return v.toExponential(0); }`, `"fn"`)), &o); err != nil {
			t.Fatal(err)
		}
		fr := o["options"].([]any)[tg[0]].(map[string]any)
		data, _ := json.Marshal(fr["series"].([]any)[tg[1]].(map[string]any)["data"])
		want[f.chart.ID()] = drivenResult{StartIndex: f.start, Index: tg[0], Caption: fr["title"].(map[string]any)["subtext"].(string), Data: string(data)}
		s, _ := json.Marshal(spec{f.chart.ID(), tg[0], tg[1]})
		// the same option, opened at the target frame, as JavaScript
		ref := strings.Replace(f.chart.Option(), fmt.Sprintf(`"currentIndex":%d`, f.start), fmt.Sprintf(`"currentIndex":%d`, tg[0]), 1)
		specs = append(specs, strings.TrimSuffix(string(s), "}")+`,"ref":`+ref+"}")
		charts = append(charts, f.chart)
	}
	driver := strings.Replace(driverJS, "SPECS", "["+strings.Join(specs, ",")+"]", 1)
	outputs := []string{init, HTML(charts[:2]...), HTML(charts[2:]...), driver}
	pages := map[string]string{
		"export": staticPage(false, outputs),
		"lab":    dynamicPage(false, "renderLab", outputs, []string{}),
	}
	var frames strings.Builder
	for _, name := range []string{"export", "lab"} {
		frames.WriteString(`<iframe data-name="` + name + `" src="/` + name + `.html" style="width:1200px;height:2600px;border:0;float:left"></iframe>` + "\n")
	}
	pages["harness"] = strings.Replace(drivenHarness, "SCENARIOS", frames.String(), 1)
	art := artifactsDir(t)
	shot := filepath.Join(art, "browser-interactive.png")
	v, unexpected := runChromium(t, pages, shot, "2400,2600")
	os.WriteFile(filepath.Join(art, "browser-interactive-verdict.json"), v, 0o644)
	var results map[string]struct {
		Results []drivenResult
		Errors  []string
	}
	if err := json.Unmarshal(v, &results); err != nil {
		t.Fatalf("verdict %.500s: %v", v, err)
	}
	for _, name := range []string{"export", "lab"} {
		r, ok := results[name]
		if !ok || len(r.Results) != len(figs) {
			t.Errorf("%s: results for %d of %d figures (%.300s)", name, len(r.Results), len(figs), v)
			continue
		}
		if len(r.Errors) > 0 {
			t.Errorf("%s: script errors %v", name, r.Errors)
		}
		for i, got := range r.Results {
			w, kind := want[got.ID], figs[i].kind
			if got.StartIndex != w.StartIndex || got.Index != w.Index {
				t.Errorf("%s %s: opened on frame %d, moved to %d; want %d then %d", name, kind, got.StartIndex, got.Index, w.StartIndex, w.Index)
			}
			if got.Caption != w.Caption {
				t.Errorf("%s %s: caption %q after the move, want %q", name, kind, got.Caption, w.Caption)
			}
			if got.Data != w.Data {
				t.Errorf("%s %s: series data %s after the move, want %s", name, kind, got.Data, w.Data)
			}
			if got.Sig == got.StartSig || got.Sig != got.RefSig || strings.HasPrefix(got.Sig, "0:") || got.Sig == "no canvas" {
				t.Errorf("%s %s: canvas %s before, %s after the move; the frame opened directly draws %s", name, kind, got.StartSig, got.Sig, got.RefSig)
			}
		}
	}
	if len(unexpected) > 0 {
		t.Errorf("the pages requested %v", unexpected)
	}
}
