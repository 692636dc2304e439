package format

import (
	"math"
	"testing"
)

func TestNum(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want string
	}{
		{0, "0"},
		{0.5498, "0.5498"},
		{-2.345678, "-2.346"},
		{1e-3, "0.001"},       // the smallest magnitude without an exponent
		{9.9e-4, "9.900e-04"}, // just below it
		{12345.6, "1.235e+04"},
		{1e5, "1.000e+05"},
		{math.NaN(), "NaN"},
		{math.Inf(-1), "-Inf"},
	} {
		if got := Num(tc.x); got != tc.want {
			t.Errorf("Num(%v) = %q, want %q", tc.x, got, tc.want)
		}
	}
}

func TestClassName(t *testing.T) {
	names := []string{"cat", "dog"}
	for c, want := range map[int]string{0: "cat", 1: "dog", 2: "2", -1: "-1"} {
		if got := ClassName(names, c); got != want {
			t.Errorf("ClassName(%v, %d) = %q, want %q", names, c, got, want)
		}
	}
	if got := ClassName(nil, 7); got != "7" {
		t.Errorf("ClassName(nil, 7) = %q", got)
	}
}
