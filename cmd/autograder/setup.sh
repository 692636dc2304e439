#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image
# (Ubuntu). It installs the pinned Go toolchain, downloads the module's
# pinned dependencies (go.sum), builds the notebook grader and warms the
# build cache by grading the learners' blank notebook once, so that a
# submission's build later needs no network and little time.
#
# AUTOGRADER_ROOT (default /autograder) lets a test run it in a temporary
# tree; a Go of the pinned version already on PATH is used as it is.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SRC="$ROOT/source/backprop"
GO_VERSION="{{GO_VERSION}}"

if ! command -v go >/dev/null || [ "$(go env GOVERSION)" != "$GO_VERSION" ]; then
  apt-get install -y -qq curl ca-certificates >/dev/null
  curl -fsSL "https://go.dev/dl/${GO_VERSION}.linux-amd64.tar.gz" | tar -C /usr/local -xz
  export PATH=/usr/local/go/bin:$PATH
fi
export GOTOOLCHAIN=local GOFLAGS=-mod=mod GOWORK=off

cd "$SRC"
go mod download
go build -o "$ROOT/source/bin/nbgrade" ./cmd/nbgrade
# Warm the build cache: grading the blank notebook compiles every package a
# submission needs (it fails every exercise, as it should).
"$ROOT/source/bin/nbgrade" -backprop "$SRC" "$SRC/{{STUDENT_NOTEBOOK}}" >/dev/null || true
