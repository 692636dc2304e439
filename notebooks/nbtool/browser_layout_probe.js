// browser_layout_probe.js runs inside a notebook exported to HTML (nbconvert --to
// html) and opened in headless Chromium at the width a learner's browser
// has. It looks at every cell output for what a reader would see as broken
// layout and writes its findings as JSON into a pre element with the id
// bp-layout, which the test reads from Chromium's --dump-dom:
//
//   overflow  an element whose content is wider than its box and is not
//             meant to scroll (overflow-x visible, hidden or clip), or that
//             sticks out to the right of its output area;
//   split     a word (a run of non-space characters) of a <pre>, a table
//             cell or a check line broken across two lines;
//   title     a chart title or subtitle line wider than the chart's canvas
//             (ECharts draws it on the canvas, which clips it);
//   charts    chart containers that ECharts did not draw.
window.addEventListener("load", function () { setTimeout(probe, 2000); });
function probe() {
  "use strict";
  var problems = [];
  var words = 0, charts = 0;
  var outputs = document.querySelectorAll(".jp-OutputArea-output, .output_subarea");

  function describe(el) {
    var s = el.tagName.toLowerCase();
    if (el.className && typeof el.className === "string") s += "." + el.className.trim().split(/\s+/).join(".");
    var text = (el.textContent || "").replace(/\s+/g, " ").trim();
    return s + " \u00ab" + text.slice(0, 60) + "\u00bb";
  }
  function scrolls(el) {
    var o = getComputedStyle(el).overflowX;
    return o === "auto" || o === "scroll";
  }
  function insideScroller(el, area) {
    for (var p = el.parentElement; p && p !== area.parentElement; p = p.parentElement) {
      if (scrolls(p)) return true;
    }
    return false;
  }

  // overflow
  outputs.forEach(function (area) {
    var box = area.getBoundingClientRect();
    var all = [area].concat(Array.prototype.slice.call(area.querySelectorAll("*")));
    all.forEach(function (el) {
      if (el.clientWidth === 0 || el.tagName === "SCRIPT" || el.tagName === "STYLE") return;
      if (el.closest(".MJX_Assistive_MathML")) return; // MathJax's copy for screen readers, hidden on purpose
      if (el.scrollWidth > el.clientWidth + 1 && !scrolls(el)) {
        problems.push({kind: "overflow", what: describe(el), detail: "content " + el.scrollWidth + " px wide in a box of " + el.clientWidth + " px"});
        return;
      }
      var r = el.getBoundingClientRect();
      if (el !== area && r.width > 0 && r.right > box.right + 1 && !insideScroller(el, area)) {
        problems.push({kind: "overflow", what: describe(el), detail: "right edge " + Math.round(r.right) + " px beyond the output's " + Math.round(box.right) + " px"});
      }
    });
  });

  // split words
  var seen = 0;
  outputs.forEach(function (area) {
    area.querySelectorAll("pre, td, th, .bp-check").forEach(function (el) {
      var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        var re = /\S+/g, m;
        while ((m = re.exec(node.data)) !== null) {
          words++;
          var range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          var rects = range.getClientRects(), top = null, broken = false;
          for (var i = 0; i < rects.length; i++) {
            if (rects[i].width === 0) continue;
            if (top === null) top = rects[i].top;
            else if (Math.abs(rects[i].top - top) > 2) broken = true;
          }
          if (broken) {
            seen++;
            if (seen <= 20) problems.push({kind: "split", what: describe(el), detail: "the word \u00ab" + m[0].slice(0, 40) + "\u00bb is broken across lines"});
          }
        }
      }
    });
  });
  if (seen > 20) problems.push({kind: "split", what: "", detail: (seen - 20) + " more broken words"});

  // chart titles
  var measure = document.createElement("canvas").getContext("2d");
  function textWidth(text, font) {
    measure.font = font;
    return measure.measureText(text).width;
  }
  document.querySelectorAll(".bp-chart").forEach(function (div) {
    if (!window.echarts) {
      problems.push({kind: "charts", what: describe(div), detail: "not drawn: no ECharts on the page"});
      return;
    }
    var inst = window.echarts.getInstanceByDom(div);
    if (!inst) {
      problems.push({kind: "charts", what: describe(div), detail: "not drawn"});
      return;
    }
    charts++;
    var opt = inst.getOption(), width = inst.getWidth();
    (opt.title || []).forEach(function (t) {
      var family = (t.textStyle && t.textStyle.fontFamily) || "sans-serif";
      var size = (t.textStyle && t.textStyle.fontSize) || 18;
      var subSize = (t.subtextStyle && t.subtextStyle.fontSize) || 12;
      var pad = 5;
      var lines = [[t.text || "", "bolder " + size + "px " + family]];
      String(t.subtext || "").split("\n").forEach(function (l) { lines.push([l, subSize + "px " + family]); });
      lines.forEach(function (l) {
        var w = textWidth(l[0], l[1]);
        if (l[0] && w + 2 * pad > width) {
          problems.push({kind: "title", what: "chart \u00ab" + (t.text || "") + "\u00bb", detail: "\u00ab" + l[0] + "\u00bb is " + Math.round(w) + " px wide on a " + width + " px canvas"});
        }
      });
    });
  });

  var out = document.createElement("pre");
  out.id = "bp-layout";
  out.textContent = JSON.stringify({outputs: outputs.length, words: words, charts: charts, echarts: !!window.echarts, problems: problems});
  document.body.appendChild(out);
}
