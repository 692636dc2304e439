//go:build unix

package nbtool

import (
	"strings"
	"testing"
)

// TestLabTimelineProblems: a driven figure passes only if it reached the
// frame it was sent to, changed its caption (when it has one) and redrew.
func TestLabTimelineProblems(t *testing.T) {
	good := labTimeline{ID: "f", Frames: 5, Start: 0, Target: 2, Reached: 2, Caption0: "h = 1e-4", Caption: "h = 1e-8", Sig0: "1", Sig: "2"}
	if p := good.problems(); len(p) != 0 {
		t.Errorf("a figure that moved and redrew: %q", p)
	}
	for _, c := range []struct {
		name string
		edit func(*labTimeline)
		want string
	}{
		{"one frame", func(f *labTimeline) { f.Frames = 1 }, "a timeline of 1 frames"},
		{"stuck", func(f *labTimeline) { f.Reached = 0 }, "sent to frame 2, it shows frame 0"},
		{"same caption", func(f *labTimeline) { f.Caption = f.Caption0 }, "caption did not change"},
		{"no redraw", func(f *labTimeline) { f.Sig = f.Sig0 }, "did not redraw"},
		{"no canvas", func(f *labTimeline) { f.Sig = "no canvas" }, "did not redraw"},
	} {
		f := good
		c.edit(&f)
		if p := strings.Join(f.problems(), "; "); !strings.Contains(p, c.want) {
			t.Errorf("%s: problems %q, want %q", c.name, p, c.want)
		}
	}
	noCaption := good
	noCaption.Caption0, noCaption.Caption = "", ""
	if p := noCaption.problems(); len(p) != 0 {
		t.Errorf("a figure without captions that moved: %q", p)
	}
}
