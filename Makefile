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
# kernel headless, jupyter_client drives the completion test), the browser
# test of the charts (chromium), the JupyterLab run of every lesson
# (jupyter_server, jupyterlab_server, websocket for lab_check.py, MathJax),
# and Jupyter Notebook 6 for `make notebooks` (JupyterLab: the Dockerfile).
# The race detector (go test -race) needs cgo, hence a C compiler.
APT_TEST      := jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel chromium gcc libc6-dev
APT_LAB       := python3-jupyter-server python3-jupyterlab-server python3-websocket libjs-mathjax chromium
APT_NOTEBOOKS := jupyter-notebook jupyter-nbconvert python3-ipykernel
APT_BENCH     := python3-numpy python3-torch

# Where gonb, goimports (go.mod's pins) and gopls are built. The installed
# kernel's kernelspec puts this folder on the kernel's PATH, so Jupyter
# started by hand finds the tools too.
TOOLS := $(CURDIR)/bin

# The JupyterLab front end the tests run every lesson in: its recipe (npm
# packages, lab_check.py) beside this checkout, and where it is built.
LAB_TOOLS ?= $(or $(BACKPROP_JUPYTERLAB),$(abspath $(CURDIR)/../shared/tools/jupyterlab))
JL_APP_DIR ?= $(CURDIR)/.cache/jupyterlab
export BACKPROP_JUPYTERLAB := $(LAB_TOOLS)
export JL_APP_DIR

# What a learner's Jupyter does not list in notebooks/ (the instructors'
# solutions and the notebook tooling); Jupyter's own defaults follow.
NB_HIDE := instructor nbtool __pycache__ *.pyc *.pyo .DS_Store *.so *.dylib *~

.PHONY: help test lint vet fmt-check deps deps-test deps-notebooks deps-lab assets lab kernel notebooks \
        train train-embedded bench bench-peers bench-notebooks strip-notebooks

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

test: deps-test lint ## install what the tests need, then gofmt, go vet and every test
	$(GO) test -count=1 -timeout=90m ./...
	# the packages with goroutines (BLAS workers, batch prefetcher, gradcheck's
	# workers, the grading runner, the live plot) under the race detector
	$(GO) test -race -count=1 -timeout=30m ./nn/... ./gradcheck/ ./grading/... ./lesson/chart/

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
	  $$sudo env DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

deps-test: assets lab ## Debian packages, assets, tools and the JupyterLab app the tests need
	$(call apt_install,$(APT_TEST))
	$(GO) mod download
	$(GO) run ./notebooks/nbtool/cmd/installkernel -build-only -tools $(TOOLS)

# Node >= 18 and npm build the JupyterLab front end: Debian's, unless a node
# with npm is already installed.
APT_NODE = $(if $(shell command -v npm),,nodejs npm)

deps-lab:
	$(call apt_install,$(APT_LAB) $(APT_NODE))

lab: deps-lab ## build the JupyterLab 3.6 front end the tests run the lessons in ($(JL_APP_DIR))
	@if [ ! -f "$(JL_APP_DIR)/build/bundle.js" ] || ! cmp -s "$(LAB_TOOLS)/package-lock.json" "$(JL_APP_DIR)/package-lock.json"; then \
	  "$(LAB_TOOLS)/build.sh" "$(JL_APP_DIR)"; fi

deps-notebooks: assets
	$(call apt_install,$(APT_NOTEBOOKS))

assets: ## fetch ECharts 5.6.0 (checksum-verified) into the user cache, for offline charts
	$(GO) run ./lesson/cmd/fetch-echarts

kernel: ## build gonb, goimports and gopls into ./bin and install the GoNB kernel for this user
	$(GO) run ./notebooks/nbtool/cmd/installkernel -build -tools $(TOOLS)

notebooks: deps-notebooks kernel ## open the lessons in Jupyter Notebook (JupyterLab: see the Dockerfile)
	cd notebooks && jupyter notebook $(foreach g,$(NB_HIDE),'--ContentsManager.hide_globs=$(g)') \
	  $(if $(filter 0,$(shell id -u)),--allow-root) $(NOTEBOOK_ARGS)

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
	notebooks/nbtool/bench.sh

BOOK_OUT ?= $(CURDIR)/.cache/book

.PHONY: book
book: assets ## execute every lesson and write the lessons as a static site into $(BOOK_OUT) (needs the Jupyter tooling of deps-test)
	$(GO) run ./notebooks/nbtool/cmd/book -o $(BOOK_OUT) -tools $(TOOLS)

strip-notebooks: ## remove outputs before committing notebooks
	$(GO) run ./notebooks/nbtool/cmd/nbstrip

.PHONY: gradescope
gradescope: ## build autograder.zip, the Gradescope autograder of the exercises notebook (POINTS per exercise; default: each exercise's own, 12 in all)
	$(GO) run ./cmd/autograder -o autograder.zip $(if $(POINTS),-points $(POINTS))
