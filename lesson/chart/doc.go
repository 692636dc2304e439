// Package chart draws the lessons' charts: built with go-echarts and drawn
// by Apache ECharts 5.6.0 in the browser, fully offline. It is the only
// package of the module that imports go-echarts; it knows nothing of
// package lesson (lesson imports chart, never the other way).
//
// # Loading the library
//
// The ECharts library is not part of the repository: fetch it once with
//
//	go run github.com/backprop-lab/backprop/lesson/cmd/fetch-echarts
//
// (see package lesson/assets; $BACKPROP_ECHARTS may point to another copy).
// A notebook displays InitHTML once, in a setup cell (DisplayInit): it
// inlines the library in a script, hiding an AMD define (RequireJS in
// classic Notebook) while it runs so that window.echarts is always set.
// Each Chart's HTML is then small: a div with a visible fallback message
// and a script that waits for window.echarts and draws. No output refers
// to a URL. Page and Save write pages with the library inlined, which work
// from file://.
//
// # Charts
//
// Constructors take their data first, then Options in go-echarts' style
// (WithClassNames, WithLimit, …). Chart HTML is deterministic (ids are
// hashes of the content), so it is checked against golden files; a browser
// test has headless Chromium draw every chart kind under each loader path.
// LivePlot redraws the learning curve while nn.SGD trains.
//
// # Interactive figures
//
// BackpropSteps, WeightSlider, RateSlider, InitSlider and StepSlider take
// frames computed in Go (package lesson computes them) and save them all
// in the option, with an ECharts timeline: the reader drags its slider (or
// presses play) and the browser switches frames, with no kernel, so the
// figures work in a reopened or exported notebook and in the book. Their
// browser test moves each timeline with ECharts' timelineChange action and
// checks the caption, the frame's data and the pixels against the same
// figure opened at that frame. LinkLibrary swaps the inlined library of a
// saved setup output for a script element, for pages that ship
// echarts.min.js beside them.
//
// # Errors and panics
//
// As in nn: inconsistent lengths or shapes are programmer errors and panic
// with both sizes in the message; a missing library is an error.
package chart
