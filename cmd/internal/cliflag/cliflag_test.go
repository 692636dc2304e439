package cliflag

import (
	"flag"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func TestNumberValues(t *testing.T) {
	var f Float
	var n Int
	var u Uint64
	for _, tc := range []struct {
		v       interface{ Set(string) error }
		in      string
		wantErr string
	}{
		{&f, "0.05", ""},
		{&f, "1e-3", ""},
		{&f, "abc", `"abc" is not a number`},
		{&f, "", `"" is not a number`},
		{&n, "50", ""},
		{&n, "-2", ""},
		{&n, "5.5", `"5.5" is not a whole number`},
		{&n, "99999999999999999999", "is too large"},
		{&u, "2", ""},
		{&u, "-1", `"-1" is not a whole number ≥ 0`},
		{&u, "99999999999999999999", "is too large"},
	} {
		err := tc.v.Set(tc.in)
		if (tc.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("%T.Set(%q) error %v; want %q", tc.v, tc.in, err, tc.wantErr)
		}
	}
	if f != 1e-3 || n != -2 || u != 2 {
		t.Errorf("after the valid Sets: %v %v %v, want 0.001 -2 2", f, n, u)
	}
}

// TestBothFlagPackages: the values work with pflag (cmd/train) and the
// standard flag package, and pflag's message names the flag and the value
// without strconv's text.
func TestBothFlagPackages(t *testing.T) {
	var lr Float = 0.05
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	fs.VarP(&lr, "learning-rate", "l", "learning rate")
	err := fs.Parse([]string{"-l", "abc"})
	if err == nil || !strings.Contains(err.Error(), `"abc" for "-l, --learning-rate" flag: "abc" is not a number`) || strings.Contains(err.Error(), "strconv") {
		t.Errorf("pflag error %v", err)
	}
	if d := fs.Lookup("learning-rate").DefValue; d != "0.05" {
		t.Errorf("pflag default %q, want 0.05", d)
	}

	var m Int = 50
	sfs := flag.NewFlagSet("t", flag.ContinueOnError)
	sfs.SetOutput(new(strings.Builder))
	sfs.Var(&m, "max-iter", "epochs")
	if err := sfs.Parse([]string{"-max-iter", "7"}); err != nil || m != 7 {
		t.Errorf("flag: %v, m = %d", err, m)
	}
}
