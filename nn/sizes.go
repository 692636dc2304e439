package nn

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseSizes parses layer widths written as the lab's command line writes
// them, comma-separated: "128,256" → {128, 256}. Spaces around a width are
// allowed; "" (or only spaces) means no layer and gives nil. Every width
// must be a whole number ≥ 1; the error names the offending width. The
// commands (cmd/train's -s, cmd/gradcheck's -hidden) share it.
func ParseSizes(s string) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var sizes []int
	for i, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			return nil, fmt.Errorf("width %d is empty (two commas in a row, or one at an end)", i+1)
		}
		n, err := strconv.Atoi(f)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				return nil, fmt.Errorf("%q is too large", f)
			}
			return nil, fmt.Errorf("%q is not a whole number", f)
		}
		if n < 1 {
			return nil, fmt.Errorf("layer width %d must be at least 1", n)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}
