#!/usr/bin/env bash
# Prints the wall time of the whole notebook suite (TestNotebooks of ./notebooks/nbtool/),
# cold and then warm.
#
#   cold: an empty Go build cache (a fresh GOCACHE), so the test binary, gonb,
#         goimports, the repository's packages and every cell program are
#         compiled from scratch; the module cache is kept (the notebooks run
#         offline either way); gonb and goimports are built beside that
#         GOCACHE, so they are rebuilt too;
#   warm: the same run again, on the cache the cold run filled.
#
# Usage: notebooks/nbtool/bench.sh        (from anywhere; needs the project's venv,
# make venv: CI=1 is set, so a missing tool fails instead of skipping)
set -euo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d "${TMPDIR:-/tmp}/backprop-notebook-bench.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

run() {
	local label=$1 start end ms
	start=$(date +%s%N)
	if ! GOCACHE="$work/gocache" CI=1 go test -count=1 -timeout=60m -run '^TestNotebooks$' -v ./notebooks/nbtool/ >"$work/$label.log" 2>&1; then
		cat "$work/$label.log"
		echo "$label run failed" >&2
		exit 1
	fi
	end=$(date +%s%N)
	ms=$(((end - start) / 1000000))
	printf '%-5s %4d.%d s  (CI=1 go test -count=1 -run TestNotebooks ./notebooks/nbtool/, %s)\n' "$label" $((ms / 1000)) $((ms % 1000 / 100)) "$2"
	grep -E 'built the kernel|executed in' "$work/$label.log" | sed 's/^ */        /'
}

echo "notebook suite wall time on $(nproc) cores, $(go version | cut -d' ' -f3):"
run cold "empty GOCACHE"
run warm "same GOCACHE again"
