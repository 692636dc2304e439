// Package cliflag holds what the project's commands share in parsing their
// flags: number values whose errors say what was expected instead of
// quoting strconv. (The "128,256" list of layer widths is nn.ParseSizes,
// which the grading library uses too.)
//
// The values implement both flag.Value and pflag.Value (String, Set, Type),
// so a command registers them with FlagSet.Var or VarP, e.g.
//
//	fs.VarP((*cliflag.Float)(&lr), "learning-rate", "l", "SGD learning rate η")
//
// and a bad value reads: invalid argument "abc" for "-l, --learning-rate"
// flag: "abc" is not a number.
package cliflag

import (
	"fmt"
	"strconv"
	"strings"
)

// Float is a float64 flag value: any number strconv.ParseFloat accepts.
type Float float64

func (f *Float) String() string { return strconv.FormatFloat(float64(*f), 'g', -1, 64) }
func (f *Float) Type() string   { return "float" }

// Set parses s; the error says it is not a number.
func (f *Float) Set(s string) error {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return fmt.Errorf("%q is not a number", s)
	}
	*f = Float(v)
	return nil
}

// Int is an int flag value: a whole number in decimal.
type Int int

func (n *Int) String() string { return strconv.Itoa(int(*n)) }
func (n *Int) Type() string   { return "int" }

// Set parses s; the error says it is not a whole number or is out of range.
func (n *Int) Set(s string) error {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return intError(s, err)
	}
	*n = Int(v)
	return nil
}

// Uint64 is a uint64 flag value (e.g. a seed): a whole number ≥ 0.
type Uint64 uint64

func (n *Uint64) String() string { return strconv.FormatUint(uint64(*n), 10) }
func (n *Uint64) Type() string   { return "uint" }

// Set parses s; the error says it is not a whole number ≥ 0 or is too large.
func (n *Uint64) Set(s string) error {
	v, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return fmt.Errorf("%q is too large", s)
		}
		return fmt.Errorf("%q is not a whole number ≥ 0", s)
	}
	*n = Uint64(v)
	return nil
}

func intError(s string, err error) error {
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return fmt.Errorf("%q is too large", s)
	}
	return fmt.Errorf("%q is not a whole number", s)
}
