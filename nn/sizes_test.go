package nn

import (
	"slices"
	"strings"
	"testing"
)

func TestParseSizes(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    []int
		wantErr string // substring of the error; "" for success
	}{
		{"128", []int{128}, ""},
		{"128,256", []int{128, 256}, ""},
		{" 96 , 10 ", []int{96, 10}, ""},
		{"", nil, ""},
		{"   ", nil, ""},
		{"1", []int{1}, ""},
		{"96,abc", nil, `"abc" is not a whole number`},
		{"96,-3", nil, "layer width -3 must be at least 1"},
		{"0", nil, "layer width 0 must be at least 1"},
		{"96,,10", nil, "width 2 is empty"},
		{"96,", nil, "width 2 is empty"},
		{"1.5", nil, `"1.5" is not a whole number`},
		{"99999999999999999999", nil, "is too large"},
	} {
		got, err := ParseSizes(tc.in)
		switch {
		case tc.wantErr == "" && (err != nil || !slices.Equal(got, tc.want)):
			t.Errorf("ParseSizes(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("ParseSizes(%q) error %v; want one containing %q", tc.in, err, tc.wantErr)
		}
	}
}
