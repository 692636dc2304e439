package engineguard

import (
	"strings"
	"testing"
)

func TestForbidAndRestore(t *testing.T) {
	refused := func(op Op) (msg string) {
		defer func() {
			if r := recover(); r != nil {
				msg = r.(*Refusal).Error()
			}
		}()
		Check(op)
		return ""
	}
	if msg := refused(Backward); msg != "" {
		t.Fatalf("refused before any Forbid: %s", msg)
	}
	restore := Forbid(Backward | Topo)
	if msg := refused(Backward); !strings.Contains(msg, "Value.Backward may not run") {
		t.Errorf("Backward forbidden: %q", msg)
	}
	if msg := refused(Tanh); msg != "" {
		t.Errorf("Tanh not forbidden, refused: %s", msg)
	}
	inner := Forbid(Tanh)
	if refused(Tanh) == "" || refused(Topo) == "" {
		t.Error("nested Forbid lost a set")
	}
	inner()
	if refused(Tanh) != "" || refused(Topo) == "" {
		t.Error("the inner restore did not put back the outer set")
	}
	restore()
	if refused(Backward) != "" || refused(Topo) != "" {
		t.Error("restore left an operation forbidden")
	}
}
