package gradcheck

import (
	"fmt"
	"html/template"
	"strings"
)

// HTML returns the report as a self-contained HTML fragment (inline CSS,
// no JavaScript, every name escaped) for a notebook cell or a web page:
// the table of Text, and the worst elements of every wrong or suspicious
// tensor.
func (r *Report) HTML() string {
	var b strings.Builder
	if err := htmlReport.Execute(&b, r); err != nil {
		// The template is fixed and the data plain values: cannot happen.
		panic(err)
	}
	return b.String()
}

var htmlReport = template.Must(template.New("report").Funcs(template.FuncMap{
	"g":    func(x float64) string { return fmt.Sprintf("%.6g", x) },
	"e":    func(x float64) string { return fmt.Sprintf("%.2g", x) },
	"step": func(x float64) string { return fmt.Sprintf("%.3g", x) },
	"class": func(s Status) string {
		return map[Status]string{StatusGood: "good", StatusOK: "ok", StatusSuspicious: "susp", StatusFailed: "fail", StatusKink: "kink", StatusNotRun: "fail"}[s]
	},
	"worst": func(t TensorResult) string {
		switch {
		case t.Checked == 0:
			return "–"
		case t.Worst.Row < 0:
			return "direction"
		}
		return fmt.Sprintf("(%d, %d)", t.Worst.Row, t.Worst.Col)
	},
	"bad": func(t TensorResult) bool { return t.Status == StatusFailed || t.Status == StatusSuspicious },
}).Parse(`<div class="gradcheck">
<style>
.gradcheck table{border-collapse:collapse;font-family:monospace;font-size:90%}
.gradcheck th,.gradcheck td{border:1px solid #ccc;padding:2px 8px;text-align:right}
.gradcheck th{background:#f3f3f3}
.gradcheck td.name{text-align:left;font-weight:bold}
.gradcheck .good{background:#e6f6e6}.gradcheck .ok{background:#eef6e0}
.gradcheck .susp{background:#fff4d6}.gradcheck .fail{background:#fbe0e0}.gradcheck .kink{background:#eee}
.gradcheck p.summary{font-weight:bold}
</style>
<p class="summary {{class .Status}}">gradcheck {{.Summary}}</p>
{{with .Causes}}<ul class="causes">{{range .}}<li>{{.}}</li>{{end}}</ul>
{{end}}<p>mode {{.Options.Mode}}, step h={{step .Options.Step}}, seed {{.Seed}}; relative error ≤{{step .Options.GoodRel}} good, &gt;{{step .Options.SuspiciousRel}} suspicious, &gt;{{step .Options.WrongRel}} wrong (and failing |a−n| ≤ atol + rtol·|n|).</p>
<table>
<tr><th>tensor</th><th>shape</th><th>method</th><th>checked</th><th>failed</th><th>susp.</th><th>kinks</th><th>max rel err</th><th>status</th><th>worst (row, col)</th><th>analytic</th><th>numeric</th></tr>
{{range .Tensors}}<tr class="{{class .Status}}"><td class="name">{{.Name}}</td><td>{{.Rows}}×{{.Cols}}</td><td>{{.Method}}</td><td>{{.Checked}}</td><td>{{.Failed}}</td><td>{{.Suspicious}}</td><td>{{.KinkSkipped}}</td><td>{{e .MaxRelErr}}</td><td>{{.Status}}</td><td>{{worst .}}</td><td>{{if .Checked}}{{g .Worst.Analytic}}{{end}}</td><td>{{if .Checked}}{{g .Worst.Numeric}}{{end}}</td></tr>
{{end}}</table>
{{$batch := .Batch}}{{range .Tensors}}{{if bad .}}
<p class="{{class .Status}}">{{.Message $batch}}</p>
<table>
<tr><th>element</th><th>analytic</th><th>numeric</th><th>rel err</th><th>abs err</th><th>h</th><th>status</th></tr>
{{range .Top}}<tr class="{{class .Status}}"><td>({{.Row}}, {{.Col}})</td><td>{{g .Analytic}}</td><td>{{g .Numeric}}</td><td>{{e .RelErr}}</td><td>{{e .AbsErr}}</td><td>{{step .Step}}</td><td>{{.Status}}</td></tr>
{{end}}</table>
{{end}}{{end}}</div>
`))
