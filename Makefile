# backprop: two commands do all the set-up on a fresh Debian/Ubuntu machine
# with Go 1.26:
#
#   make notebooks   install what the lessons need and open them in Jupyter
#   make test        install what the tests need and run every test
#
# `make help` lists the other targets.

SHELL := /bin/bash
GO    ?= go

# The data root holding mnist/ and fashion-mnist/ (the official files): the
# tests that need the full data, the training notebook and cmd/train read
# $BACKPROP_DATA. Default: ../shared/data next to this checkout, if it exists.
BACKPROP_DATA ?= $(wildcard $(abspath $(CURDIR)/../shared/data))
export BACKPROP_DATA

# Debian packages: the notebook harness (nbconvert + nbclient run a real GoNB
# kernel headless), the browser test of the charts (chromium), and Jupyter
# Notebook 6 for `make notebooks` (JupyterLab: use the Dockerfile).
APT_TEST      := jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel chromium
APT_NOTEBOOKS := jupyter-notebook jupyter-nbconvert python3-ipykernel
APT_BENCH     := python3-numpy python3-torch

# Where GoNB and goimports are built (from go.mod's pins) for `make notebooks`.
TOOLS := $(CURDIR)/bin
NB_PATH := $(TOOLS):$(shell $(GO) env GOROOT)/bin:$(PATH)

.PHONY: help test lint vet fmt-check deps deps-test deps-notebooks assets tools kernel notebooks \
        train train-embedded bench bench-peers bench-notebooks strip-notebooks

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

test: deps-test lint ## install what the tests need, then gofmt, go vet and every test
	$(GO) test -count=1 -timeout=60m ./...

lint: fmt-check vet ## gofmt and go vet

fmt-check:
	@bad=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$bad" ]; then echo "gofmt would change: $$bad"; exit 1; fi

vet:
	$(GO) vet ./...

# apt-install the missing Debian packages among $(1), with sudo when not root.
define apt_install
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo"; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

deps-test: assets ## Debian packages and assets the tests need
	$(call apt_install,$(APT_TEST))

deps-notebooks: assets
	$(call apt_install,$(APT_NOTEBOOKS))

assets: ## fetch ECharts 5.6.0 (checksum-verified) into the user cache, for offline charts
	$(GO) run ./lesson/cmd/fetch-echarts

tools: ## build GoNB and goimports at go.mod's pinned versions into ./bin
	$(GO) build -o $(TOOLS)/ github.com/janpfeifer/gonb golang.org/x/tools/cmd/goimports

kernel: tools ## install the GoNB kernel for this user
	PATH="$(NB_PATH)" $(TOOLS)/gonb --install --force_deps

notebooks: deps-notebooks kernel ## open the lessons in Jupyter Notebook (JupyterLab: see the Dockerfile)
	cd notebooks && PATH="$(NB_PATH)" jupyter notebook $(if $(filter 0,$(shell id -u)),--allow-root) $(NOTEBOOK_ARGS)

train: ## the lab's README run on the full MNIST (falls back to the embedded subset)
	$(GO) run ./cmd/train -m 50 -s 96 -l 0.1 -b 200

train-embedded: ## a quick run on the embedded MNIST subset (no data needed)
	$(GO) run ./cmd/train --dataset embedded -m 5 -s 96 -l 0.1 -b 200

bench: ## GEMM, training-epoch and gradcheck benchmarks
	$(GO) test -run '^$$' -bench . -benchtime 5x ./nn/... ./gradcheck/

bench-peers: ## one epoch of ours beside the numpy and PyTorch peers, same run
	$(call apt_install,$(APT_BENCH))
	$(GO) run ./cmd/benchpeers -data $(BACKPROP_DATA)/mnist -peers-script $(abspath $(CURDIR)/../shared/bench/peers.py) $(BENCH_ARGS)

bench-notebooks: ## wall time of the whole notebook suite, cold and warm
	notebooks/bench.sh

strip-notebooks: ## remove outputs before committing notebooks
	$(GO) run ./notebooks/cmd/nbstrip

.PHONY: gradescope
gradescope: ## build autograder.zip, the Gradescope autograder of the exercises notebook (POINTS per exercise; default: each exercise's own, 12 in all)
	$(GO) run ./cmd/autograder -o autograder.zip $(if $(POINTS),-points $(POINTS))
