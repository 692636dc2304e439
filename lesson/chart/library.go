package chart

import (
	"bytes"
	"fmt"
	"html"
	"os"
	"strings"

	"github.com/backprop-lab/backprop/lesson/assets"
)

// libraryScript wraps the ECharts UMD bundle in a script that defines
// window.echarts whether or not an AMD loader is on the page: with RequireJS
// (classic Notebook) the bundle would see define.amd and register an
// anonymous AMD module instead of the global, so define is hidden while it
// runs and restored afterwards. A page that already has window.echarts does
// not parse the library again.
func libraryScript(lib []byte) (string, error) {
	lower := bytes.ToLower(lib)
	for _, bad := range []string{"</script", "<!--", "<script"} {
		if bytes.Contains(lower, []byte(bad)) {
			return "", fmt.Errorf("chart: the ECharts library contains %q and cannot be inlined in a <script>", bad)
		}
	}
	return `<script type="text/javascript">
(function () {
  if (window.echarts) return;
  var amd = window.define;
  if (amd) window.define = undefined; // make the UMD bundle set window.echarts, not an AMD module
  try {
` + string(lib) + `
  } finally {
    if (amd) window.define = amd;
  }
})();
</script>`, nil
}

// initStatus reports, in the setup output, whether the library loaded: the
// text is replaced by the script; if scripts do not run it stays.
const initStatus = `<div class="bp-echarts-init" style="font:12px sans-serif;color:#555;">Charts: ECharts %s (Apache-2.0) ` +
	`<span data-bp-init="">is <b>not</b> loaded: the scripts of this output did not run (re-run this cell; Jupyter does not run scripts of untrusted outputs).</span></div>
<script type="text/javascript">
(function () {
  var tries = 0;
  (function mark() {
    var spans = document.querySelectorAll("span[data-bp-init]");
    if (spans.length && window.echarts) {
      for (var i = 0; i < spans.length; i++) spans[i].textContent = "is loaded (version " + window.echarts.version + ").";
      return;
    }
    if (++tries < 100) setTimeout(mark, 50);
  })();
})();
</script>`

// InitHTML returns the setup output for a notebook: the ECharts library
// inlined in a script (about 1 MB), so that window.echarts exists for every
// chart on the page afterwards, offline, with or without RequireJS, and in an
// exported HTML file. The library comes from assets.Locate
// ($BACKPROP_ECHARTS or the fetch cache); the error names the fetch command
// when it is missing.
func InitHTML() (string, error) {
	lib, err := assets.Read()
	if err != nil {
		return "", err
	}
	return initHTML(lib)
}

func initHTML(lib []byte) (string, error) {
	script, err := libraryScript(lib)
	if err != nil {
		return "", err
	}
	return script + "\n" + fmt.Sprintf(initStatus, assets.ECharts.Version), nil
}

// Page returns a complete HTML page showing charts, with the ECharts
// library inlined: it works opened from a file, with no network.
func Page(title string, charts ...*Chart) (string, error) {
	lib, err := assets.Read()
	if err != nil {
		return "", err
	}
	return standalonePage(lib, title, HTML(charts...))
}

func standalonePage(lib []byte, title, body string) (string, error) {
	script, err := libraryScript(lib)
	if err != nil {
		return "", err
	}
	return "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>" + html.EscapeString(title) + "</title>\n" +
		script + "\n</head>\n<body>\n" + body + "\n</body>\n</html>\n", nil
}

// Save writes Page(title, charts...) to path.
func Save(path, title string, charts ...*Chart) error {
	page, err := Page(title, charts...)
	if err != nil {
		return err
	}
	return os.WriteFile(path, []byte(page), 0o644)
}

// libraryStart begins every inlined library (libraryScript).
const libraryStart = "<script type=\"text/javascript\">\n(function () {\n  if (window.echarts) return;"

// LinkLibrary replaces the ECharts library inlined in h (the setup output of
// InitHTML, as saved in an executed notebook) by a script element that
// loads src, for pages that ship echarts.min.js beside them (the lessons as
// a static site): the same page, 1 MB lighter. It reports whether h held
// the library; h without it is returned unchanged.
func LinkLibrary(h, src string) (string, bool) {
	i := strings.Index(h, libraryStart)
	if i < 0 {
		return h, false
	}
	j := strings.Index(h[i:], "</script>")
	if j < 0 {
		return h, false
	}
	return h[:i] + `<script type="text/javascript" src="` + html.EscapeString(src) + `"></script>` + h[i+j+len("</script>"):], true
}
