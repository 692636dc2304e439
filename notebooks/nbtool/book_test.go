//go:build unix

package nbtool

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/backprop-lab/backprop/internal/chromium"
	"github.com/backprop-lab/backprop/internal/testenv"
	"github.com/backprop-lab/backprop/lesson/assets"
	"github.com/backprop-lab/backprop/lesson/chart"
)

// bookNotebook is an executed lesson: a title cell, then one code cell per
// group of HTML outputs.
func bookNotebook(t *testing.T, title string, outputs ...[]string) []byte {
	t.Helper()
	cells := []any{map[string]any{"cell_type": "markdown", "id": "setup-note", "metadata": map[string]any{}, "source": SetupNote},
		map[string]any{"cell_type": "code", "id": "setup", "execution_count": 0, "metadata": map[string]any{}, "source": SetupCell,
			"outputs": []any{map[string]any{"output_type": "stream", "name": "stdout", "text": "go.work: /home/someone/backprop\n"}}},
		map[string]any{"cell_type": "markdown", "id": "title", "metadata": map[string]any{},
			"source": "# " + title + "\n\nSee [the second lesson](02-second.ipynb#top), [the first](./01-first.ipynb) and [the guide](README.ru.md); $E = -\\ln a_y$."}}
	for i, group := range outputs {
		var outs []any
		for _, h := range group {
			outs = append(outs, map[string]any{"output_type": "display_data", "metadata": map[string]any{}, "data": map[string]any{"text/html": h}})
		}
		outs = append(outs, map[string]any{"output_type": "stream", "name": "stdout", "text": "E = 0.7981\n"})
		cells = append(cells, map[string]any{"cell_type": "code", "id": fmt.Sprint("c", i), "execution_count": i + 1, "metadata": map[string]any{},
			"outputs": outs, "source": "%%\nfmt.Println(\"E =\", 0.7981)"})
	}
	b, err := json.Marshal(map[string]any{"nbformat": 4, "nbformat_minor": 5, "cells": cells,
		"metadata": map[string]any{"kernelspec": map[string]any{"name": "gonb", "display_name": "Go (gonb)", "language": "go"}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// bookHarness opens every page of the site in an iframe, waits until its
// charts are drawn (or 20 s), and reports per page: its title, how many
// charts it has, how many ECharts drew and painted, and every link or
// script that did not load (fetched from the same server).
const bookHarness = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<pre id="bp-book">pending</pre>
<script>
var pages = PAGES, out = {}, pending = pages.length;
pages.forEach(function (p) {
  var f = document.createElement("iframe");
  f.style.cssText = "width:1000px;height:3000px;border:0";
  f.src = "/site/" + p;
  document.body.appendChild(f);
  var start = Date.now();
  f.onload = function check() {
    var w = f.contentWindow, d = w.document, els = d.querySelectorAll("div.bp-chart");
    var drawn = d.querySelectorAll("div.bp-chart[data-bp-drawn]").length;
    var typeset = !w.MathJax || (w.MathJax.isReady && w.MathJax.Hub.queue.pending === 0 && !w.MathJax.Hub.queue.running);
    if ((drawn < els.length || !typeset) && Date.now() - start < 20000) { setTimeout(check, 100); return; }
    var r = {title: d.title, charts: els.length, drawn: drawn, painted: 0, echarts: w.echarts ? w.echarts.version : "", broken: [],
      math: d.querySelectorAll(".MathJax_CHTML").length, rawTeX: d.body.innerText.indexOf("\\ln a_y") >= 0};
    for (var k = 0; k < els.length; k++) {
      var c = els[k].querySelector("canvas"), px = 0;
      if (c && c.width) { var data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data; for (var i = 3; i < data.length; i += 4) if (data[i]) px++; }
      if (px > 100 && w.echarts.getInstanceByDom(els[k])) r.painted++;
    }
    var urls = [];
    d.querySelectorAll("a[href], script[src]").forEach(function (a) {
      var u = a.getAttribute("href") || a.getAttribute("src");
      if (!/^(https?:|mailto:|#)/.test(u)) urls.push(new URL(u, w.location.href).href.split("#")[0]);
    });
    Promise.all(urls.map(function (u) { return fetch(u).then(function (resp) { if (!resp.ok) r.broken.push(u + " " + resp.status); }); })).then(function () {
      out[p] = r;
      if (--pending === 0) document.getElementById("bp-book").textContent = JSON.stringify(out);
    });
  };
});
</script></body></html>`

func TestBookBuildsAndDrawsInBrowser(t *testing.T) {
	testenv.SkipShort(t, "the book test runs nbconvert and Chromium for half a minute")
	venv := requireJupyter(t)
	bin := chromium.Path()
	if bin == "" {
		testenv.Missing(t, "no Chromium: install Debian's chromium or set $CHROMIUM")
	}
	init, err := chart.InitHTML()
	if err != nil {
		testenv.Missing(t, fmt.Sprintf("%v (run %s)", err, assets.FetchCommand))
	}
	curve := chart.LearningCurve([]float64{2.3, 1.2, 0.8, 0.6, 0.5})
	var frames []chart.WeightFrame
	for _, w := range []float64{-1, 0, 1} {
		frames = append(frames, chart.WeightFrame{W: w, E: w * w, Slope: 2 * w, Values: []float64{2 * w}})
	}
	slider := chart.WeightSlider(chart.WeightScan{Weight: "w", Names: []string{"∂E/∂w"}, Frames: frames, Start: 1})

	root := t.TempDir()
	dir := filepath.Join(root, LessonsDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"01-first.ipynb":  bookNotebook(t, "1 · First", []string{init}, []string{chart.HTML(curve)}, []string{chart.HTML(slider)}),
		"02-second.ipynb": bookNotebook(t, "2 · Second", []string{init, chart.HTML(curve, curve)}),
		"README.ru.md":    []byte("# Руководство\n\nНачните с [урока 1](01-first.ipynb), затем [урок 2](02-second.ipynb).\n"),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(root, "site")
	mathjax := DefaultMathJax // typeset if Debian's libjs-mathjax is installed
	if _, err := os.Stat(mathjax); err != nil {
		mathjax = ""
	}
	pages, err := Book{Root: root, Executed: dir, Out: out, MathJax: mathjax, Jupyter: filepath.Join(venv, "jupyter")}.Build()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range pages {
		names = append(names, filepath.Base(p))
	}
	if want := "index.html 01-first.html 02-second.html guide-ru.html"; strings.Join(names, " ") != want {
		t.Errorf("pages %v, want %s", names, want)
	}

	// The library is shipped once beside the pages, with its licence, not
	// inlined in each page; every relative link points at a file of the site.
	for _, f := range []string{BookLibrary, BookLicense, BookNotice} {
		if fi, err := os.Stat(filepath.Join(out, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s is missing from the site: %v", f, err)
		}
	}
	ref := regexp.MustCompile(`(?:href|src)="([^"#:?]+)(?:[?#][^"]*)?"`)
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "if (window.echarts) return;") || len(b) > 200_000 {
			t.Errorf("%s: %d bytes, the library inlined", filepath.Base(p), len(b))
		}
		for _, m := range ref.FindAllStringSubmatch(string(b), -1) {
			if _, err := os.Stat(filepath.Join(out, html.UnescapeString(m[1]))); err != nil {
				t.Errorf("%s links to %s, which is not in the site", filepath.Base(p), m[1])
			}
		}
	}
	b, _ := os.ReadFile(filepath.Join(out, "01-first.html"))
	if strings.Contains(string(b), "/home/someone") || strings.Contains(string(b), "goworkfix") {
		t.Error("01-first.html shows the setup cell")
	}
	for _, want := range []string{`href="02-second.html#top"`, `href="01-first.html"`, `href="guide-ru.html"`, `rel="next" href="02-second.html"`, "E = 0.7981"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("01-first.html lacks %s", want)
		}
	}

	// In Chromium: every page loads, its links and scripts resolve, and every
	// chart, the interactive one included, is drawn and painted.
	pageList, _ := json.Marshal(names)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/harness.html" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(strings.Replace(bookHarness, "PAGES", string(pageList), 1)))
			return
		}
		http.StripPrefix("/site/", http.FileServer(http.Dir(out))).ServeHTTP(w, r)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	profile := t.TempDir()
	cmd := exec.CommandContext(ctx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
		"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
		"--user-data-dir="+profile, "--hide-scrollbars", "--window-size=1000,1000",
		"--virtual-time-budget=60000", "--dump-dom", srv.URL+"/harness.html")
	cmd.Env = append(os.Environ(), "HOME="+profile)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, lastLines(stderr.String(), 20))
	}
	m := regexp.MustCompile(`<pre id="bp-book">(.*?)</pre>`).FindSubmatch(dom)
	if m == nil {
		t.Fatalf("no report in the harness; chromium said:\n%s", lastLines(stderr.String(), 20))
	}
	var got map[string]struct {
		Title                  string
		Charts, Drawn, Painted int
		ECharts                string
		Broken                 []string
		Math                   int
		RawTeX                 bool
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &got); err != nil {
		t.Fatalf("report %s: %v", m[1], err)
	}
	wantCharts := map[string]int{"index.html": 0, "01-first.html": 2, "02-second.html": 2, "guide-ru.html": 0}
	for _, name := range names {
		r, ok := got[name]
		if !ok {
			t.Errorf("%s: no report (did it load?)", name)
			continue
		}
		if r.Charts != wantCharts[name] || r.Drawn != r.Charts || r.Painted != r.Charts {
			t.Errorf("%s: %d charts (want %d), %d drawn, %d painted", name, r.Charts, wantCharts[name], r.Drawn, r.Painted)
		}
		if r.Charts > 0 && r.ECharts != assets.ECharts.Version {
			t.Errorf("%s: ECharts %q loaded, want %s", name, r.ECharts, assets.ECharts.Version)
		}
		if hasMath := name == "01-first.html" || name == "02-second.html"; mathjax != "" && hasMath && (r.Math == 0 || r.RawTeX) {
			t.Errorf("%s: %d formulas typeset, TeX source left %v; want $E = -\\ln a_y$ typeset by MathJax", name, r.Math, r.RawTeX)
		}
		if len(r.Broken) > 0 {
			t.Errorf("%s: broken links %v", name, r.Broken)
		}
		if !strings.HasSuffix(r.Title, "· backprop") {
			t.Errorf("%s: title %q", name, r.Title)
		}
	}
}
