// Package dockerfile reads a Dockerfile into its instructions, enough to
// check a recipe statically where no Docker engine runs: line continuations,
// comments, parser directives, the JSON (exec) and shell forms, FROM … AS,
// ARG and ENV values, COPY flags. It is not a builder: it expands no
// variables and runs nothing.
package dockerfile

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Instruction is one instruction of a Dockerfile.
type Instruction struct {
	// Cmd is the instruction's keyword in upper case (FROM, RUN, …).
	Cmd string
	// Line is the line number where the instruction starts, from 1.
	Line int
	// Raw is everything after the keyword, continuation lines joined by a
	// space.
	Raw string
	// Flags are the leading --name=value options (COPY --chown=…).
	Flags map[string]string
	// Args are the arguments after the flags: the JSON array's elements in
	// the exec form, else the whitespace-separated words (for RUN, CMD and
	// ENTRYPOINT in shell form: one element, the command line).
	Args []string
	// JSON reports whether Args came from the exec (JSON array) form.
	JSON bool
}

// known lists the Dockerfile instructions.
var known = map[string]bool{
	"FROM": true, "RUN": true, "CMD": true, "LABEL": true, "EXPOSE": true, "ENV": true,
	"ADD": true, "COPY": true, "ENTRYPOINT": true, "VOLUME": true, "USER": true,
	"WORKDIR": true, "ARG": true, "ONBUILD": true, "STOPSIGNAL": true,
	"HEALTHCHECK": true, "SHELL": true, "MAINTAINER": true,
}

// Parse reads a Dockerfile. It fails, naming the line, on an unknown or
// lower-case instruction, MAINTAINER (deprecated: use a LABEL), a
// lower-case "as" in FROM, an unterminated JSON form, a continuation at the
// end of the file, or no FROM before the first instruction that needs one.
func Parse(r io.Reader) ([]Instruction, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var (
		out       []Instruction
		cur       strings.Builder
		start     int
		n         int
		directive = true // parser directives come first
		escape    = byte('\\')
	)
	flush := func() error {
		text := strings.TrimSpace(cur.String())
		cur.Reset()
		if text == "" {
			return nil
		}
		in, err := parseInstruction(text, start)
		if err != nil {
			return err
		}
		out = append(out, in)
		return nil
	}
	for sc.Scan() {
		n++
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") {
			if directive && cur.Len() == 0 {
				if k, v, ok := strings.Cut(strings.TrimSpace(trimmed[1:]), "="); ok && strings.EqualFold(strings.TrimSpace(k), "escape") {
					if v = strings.TrimSpace(v); len(v) == 1 {
						escape = v[0]
					}
				}
			}
			continue // comments (also inside a continued instruction)
		}
		directive = false
		if trimmed == "" {
			continue
		}
		if cur.Len() == 0 {
			start = n
		}
		if strings.HasSuffix(trimmed, string(escape)) {
			cur.WriteString(strings.TrimSuffix(trimmed, string(escape)))
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(trimmed)
		if err := flush(); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if cur.Len() > 0 {
		return nil, fmt.Errorf("Dockerfile:%d: the file ends inside a continued instruction", start)
	}
	for i, in := range out {
		if in.Cmd == "FROM" {
			break
		}
		if in.Cmd != "ARG" {
			return nil, fmt.Errorf("Dockerfile:%d: %s before the first FROM", out[i].Line, in.Cmd)
		}
	}
	return out, nil
}

func parseInstruction(text string, line int) (Instruction, error) {
	kw, rest, _ := strings.Cut(text, " ")
	if i := strings.IndexAny(kw, "\t"); i >= 0 {
		kw, rest = kw[:i], kw[i+1:]+" "+rest
	}
	rest = strings.TrimSpace(rest)
	in := Instruction{Cmd: strings.ToUpper(kw), Line: line, Raw: rest, Flags: map[string]string{}}
	switch {
	case !known[in.Cmd]:
		return in, fmt.Errorf("Dockerfile:%d: unknown instruction %q", line, kw)
	case kw != in.Cmd:
		return in, fmt.Errorf("Dockerfile:%d: write the instruction %q in upper case", line, kw)
	case in.Cmd == "MAINTAINER":
		return in, fmt.Errorf("Dockerfile:%d: MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors=…", line)
	}
	// Leading flags.
	for strings.HasPrefix(rest, "--") {
		word, after, _ := strings.Cut(rest, " ")
		k, v, _ := strings.Cut(strings.TrimPrefix(word, "--"), "=")
		in.Flags[k] = v
		rest = strings.TrimSpace(after)
	}
	if strings.HasPrefix(rest, "[") {
		var args []string
		if err := json.Unmarshal([]byte(rest), &args); err == nil {
			in.Args, in.JSON = args, true
			return in, nil
		} else if in.Cmd == "RUN" || in.Cmd == "CMD" || in.Cmd == "ENTRYPOINT" || in.Cmd == "SHELL" {
			return in, fmt.Errorf("Dockerfile:%d: %s looks like the JSON form but is not a JSON array of strings: %v", line, in.Cmd, err)
		}
	}
	switch in.Cmd {
	case "RUN", "CMD", "ENTRYPOINT":
		in.Args = []string{rest}
	case "FROM":
		in.Args = strings.Fields(rest)
		if len(in.Args) == 3 && in.Args[1] != "AS" {
			if strings.EqualFold(in.Args[1], "AS") {
				return in, fmt.Errorf("Dockerfile:%d: write FROM … AS in upper case, like FROM", line)
			}
			return in, fmt.Errorf("Dockerfile:%d: FROM %s: want FROM IMAGE [AS NAME]", line, rest)
		}
		if len(in.Args) != 1 && len(in.Args) != 3 {
			return in, fmt.Errorf("Dockerfile:%d: FROM %s: want FROM IMAGE [AS NAME]", line, rest)
		}
	default:
		in.Args = strings.Fields(rest)
	}
	return in, nil
}

// KeyValues returns the KEY=VALUE pairs of an ARG, ENV or LABEL instruction
// (an ARG without a default gives an empty value; double quotes around a
// value are removed).
func (in Instruction) KeyValues() map[string]string {
	kv := map[string]string{}
	for _, a := range in.Args {
		k, v, _ := strings.Cut(a, "=")
		kv[k] = strings.Trim(v, `"`)
	}
	return kv
}
