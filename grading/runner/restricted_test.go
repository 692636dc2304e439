package runner

import "testing"

// A listed type allows its fields and methods, unless some of them are
// listed: then only those (exercise 10 may name autodiff.Value and read
// its Grad, but not call its Backward).
func TestAllowedSetNarrowsAType(t *testing.T) {
	allowed := allowedSet([]string{"nn.Param", "autodiff.Value", "autodiff.Value.Grad", "autodiff.NewOp"})
	for name, want := range map[string]bool{
		"nn.Param": true, "nn.Param.Name": true, "nn.Dense": false, "nn.Dense.Backward": false,
		"autodiff.Value": true, "autodiff.Value.Grad": true, "autodiff.Value.Backward": false, "autodiff.Value.Label": false,
		"autodiff.NewOp": true, "autodiff.Topo": false, "autodiff.?.x": false,
	} {
		if got := allowed(name); got != want {
			t.Errorf("%s: allowed %v, want %v", name, got, want)
		}
	}
}
