// Package format formats numbers and class names the way lesson's tables
// and lesson/chart's charts show them; both packages use it, and neither
// may import the other both ways.
package format

import (
	"fmt"
	"math"
	"strconv"
)

// Num formats x for tables and chart labels: 4 significant digits, no
// exponent for magnitudes in [1e-3, 1e5), exponent form ("1.235e-07")
// otherwise; 0 is "0", NaN and ±Inf as strconv writes them.
func Num(x float64) string {
	switch {
	case x == 0:
		return "0"
	case math.IsNaN(x) || math.IsInf(x, 0):
		return strconv.FormatFloat(x, 'g', -1, 64)
	case math.Abs(x) >= 1e-3 && math.Abs(x) < 1e5:
		return strconv.FormatFloat(x, 'g', 4, 64)
	}
	return strconv.FormatFloat(x, 'e', 3, 64)
}

// ClassName returns names[c], or c as a number when names has no entry c.
func ClassName(names []string, c int) string {
	if c >= 0 && c < len(names) {
		return names[c]
	}
	return fmt.Sprint(c)
}
