// Package numfmt formats numbers the way lesson's tables and charts show
// them. It is shared by lesson and lesson/chart, which must not import each
// other both ways.
package numfmt

import (
	"math"
	"strconv"
)

// G formats x for tables and chart labels: 4 significant digits, no
// exponent for magnitudes in [1e-3, 1e5), exponent form ("1.235e-07")
// otherwise; 0 is "0", NaN and ±Inf as strconv writes them.
func G(x float64) string {
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
