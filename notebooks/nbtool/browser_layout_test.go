//go:build unix

package nbtool

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/backprop-lab/backprop/lesson/assets"

	"github.com/backprop-lab/backprop/internal/chromium"
)

// layoutProbe finds overflowing outputs, words broken across lines and
// chart titles wider than their canvas in a page; see browser_layout_probe.js.
//
//go:embed browser_layout_probe.js
var layoutProbe string

// layoutWidth is the browser window's width in CSS pixels: a laptop's
// browser, where the lessons' wide outputs once wrapped mid-word.
const layoutWidth = 1400

// layoutResult is what layout_probe.js reports.
type layoutResult struct {
	Outputs, Words, Charts int
	ECharts                bool
	Problems               []struct{ Kind, What, Detail string }
}

// probeLayout opens page (a complete HTML document) in headless Chromium at
// layoutWidth with the probe appended, and returns the probe's report. The
// page is written to path (an artefact to open by hand); only the loopback
// address resolves, so a page cannot fetch anything.
func probeLayout(t *testing.T, bin, page, path string) layoutResult {
	t.Helper()
	probe := "<script>\n" + layoutProbe + "\n</script>\n"
	if i := strings.LastIndex(page, "</body>"); i >= 0 {
		page = page[:i] + probe + page[i:]
	} else {
		page += probe
	}
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	profile := t.TempDir()
	cmd := exec.CommandContext(ctx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
		"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
		"--user-data-dir="+profile, "--hide-scrollbars", fmt.Sprintf("--window-size=%d,1000", layoutWidth),
		"--virtual-time-budget=30000", "--dump-dom", "file://"+abs)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, lastLines(stderr.String(), 20))
	}
	// The last match: the probe's own source, in the page, names the element too.
	all := regexp.MustCompile(`(?s)<pre id="bp-layout">(.*?)</pre>`).FindAllSubmatch(out, -1)
	if all == nil {
		t.Fatalf("%s: the layout probe reported nothing (did the page load?); chromium said:\n%s", path, lastLines(stderr.String(), 20))
	}
	m := all[len(all)-1]
	var r layoutResult
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &r); err != nil {
		t.Fatalf("%s: probe report %s: %v", path, m[1], err)
	}
	return r
}

// checkLayout exports an executed notebook to HTML as Jupyter does
// (nbconvert --to html), opens it in Chromium and fails the test for every
// layout problem the probe finds in the cell outputs. Without Chromium it
// fails under CI and only logs otherwise.
func (k *kernel) checkLayout(t *testing.T, executed string) {
	t.Helper()
	bin := chromium.Path()
	if bin == "" {
		msg := "layout check: no Chromium (install Debian's chromium or set $CHROMIUM)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Log(msg + "; skipped")
		return
	}
	run(t, k.artefacts, k.env, filepath.Join(k.venv, "jupyter"), "nbconvert", "--to", "html", "--output-dir", k.artefacts, executed)
	base := strings.TrimSuffix(filepath.Base(executed), ".ipynb")
	page, err := os.ReadFile(filepath.Join(k.artefacts, base+".html"))
	if err != nil {
		t.Fatal(err)
	}
	r := probeLayout(t, bin, string(page), filepath.Join(k.artefacts, base+".layout.html"))
	for _, p := range r.Problems {
		t.Errorf("%s at %d px: %s: %s: %s", base, layoutWidth, p.Kind, p.What, p.Detail)
	}
	t.Logf("layout at %d px: %d outputs, %d words in pre/table/check text, %d charts, %d problems",
		layoutWidth, r.Outputs, r.Words, r.Charts, len(r.Problems))
}

// TestLayoutProbe shows that the probe finds each kind of problem on a
// page made to have it, and none on a clean one.
func TestLayoutProbe(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("-short: skipping the layout probe test (it runs Chromium six times)")
	}
	bin := chromium.Path()
	if bin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no Chromium: install Debian's chromium or set $CHROMIUM")
		}
		t.Skip("no Chromium: install Debian's chromium or set $CHROMIUM")
	}
	lib, err := assets.Read()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("ECharts is not installed (%v): run `%s`", err, assets.FetchCommand)
		}
		t.Skipf("ECharts is not installed (%v): run `%s`", err, assets.FetchCommand)
	}
	long := strings.Repeat("numeric ", 40)
	chart := func(id, title, sub string) string {
		return fmt.Sprintf(`<div class="bp-chart" id="%s" style="width:320px;height:240px"></div>
<script>echarts.init(document.getElementById(%q)).setOption({animation:false,title:{text:%q,subtext:%q,textStyle:{fontSize:14}},
xAxis:{type:"category",data:["a","b"]},yAxis:{},series:[{type:"bar",data:[1,2]}]});</script>`, id, id, title, sub)
	}
	page := func(body string) string {
		return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script>" + string(lib) + "</script></head><body style=\"margin:0\">" +
			`<div class="jp-OutputArea-output" style="width:600px">` + body + "</div></body></html>"
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name, body string
		want       []string // kinds expected, in order of first appearance; nil: none
	}{
		{"clean", `<pre style="white-space:pre-wrap">` + long + `</pre><pre style="overflow-x:auto;white-space:pre">` + long + `</pre>` +
			`<div class="bp-check">✓ a short check</div>` + chart("c1", "Short", "n = 3"), nil},
		{"overflow", `<pre style="white-space:pre;overflow-x:visible">` + long + `</pre>`, []string{"overflow"}},
		{"clipped", `<div style="width:200px;overflow:hidden;white-space:nowrap">` + long + `</div>`, []string{"overflow"}},
		{"split", `<pre style="white-space:pre-wrap;word-break:break-all">` + long + `</pre>`, []string{"split"}},
		{"title", chart("c2", "A histogram title", "n = 75264, min -0.0123456, max 0.0234567, mean 1.23456e-06"), []string{"title"}},
		{"undrawn", `<div class="bp-chart" style="width:100px;height:100px"></div>`, []string{"charts"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := probeLayout(t, bin, page(tc.body), filepath.Join(dir, tc.name+".html"))
			var kinds []string
			for _, p := range r.Problems {
				if len(kinds) == 0 || kinds[len(kinds)-1] != p.Kind {
					kinds = append(kinds, p.Kind)
				}
			}
			if strings.Join(kinds, ",") != strings.Join(tc.want, ",") {
				t.Errorf("problems %+v, want kinds %v", r.Problems, tc.want)
			}
			if r.Outputs != 1 {
				t.Errorf("%d outputs found, want 1", r.Outputs)
			}
		})
	}
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
