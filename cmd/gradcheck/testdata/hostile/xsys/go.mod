module golang.org/x/sys

go 1.26

require github.com/backprop-lab/backprop v0.0.0-00010101000000-000000000000

replace github.com/backprop-lab/backprop => ../../../../..
