# backprop: two commands do all the set-up on a fresh Debian/Ubuntu machine
# with Go 1.26:
#
#   make notebooks   install what the lessons need and open them in Jupyter
#   make test        install what the tests need and run every test
#
# `make help` lists the other targets.

SHELL := /bin/bash
GO    ?= go

# The full MNIST and Fashion-MNIST: the tests that need them, the training
# notebook, cmd/train and cmd/benchpeers look in $BACKPROP_DATA (a folder
# holding mnist/ and fashion-mnist/, if you set it), then in the per-user
# download cache that `go run ./cmd/train --download -m 1` fills; without
# them those tests skip, saying so.

# The project's Python environment: JupyterLab 4, Notebook 7, nbclient,
# nbconvert, jupyter_client, ipykernel and nbgrader from PyPI, every package
# pinned and hash-checked (notebooks/nbtool/requirements.txt, compiled from
# requirements.in). git-ignored; BACKPROP_VENV puts it elsewhere. It is the
# only Jupyter the commands and the tests use (nbtool.Venv finds it).
PYTHON       ?= python3
VENV         ?= $(or $(BACKPROP_VENV),$(CURDIR)/.venv)
export BACKPROP_VENV := $(VENV)
REQUIREMENTS := notebooks/nbtool/requirements.txt

# Debian packages: python3-venv for the environment above; the browser test
# of the charts and the JupyterLab run of every lesson (chromium); the race
# detector (go test -race) needs cgo, hence a C compiler; the book (make book
# and its test) typesets formulas with Debian's MathJax 2.7 (libjs-mathjax).
APT_VENV  := python3-venv
APT_TEST  := chromium gcc libc6-dev libjs-mathjax
# The peers of `make bench-peers` (Debian's numpy and PyTorch 1.13), and
# OpenBLAS as their libblas.so.3: Debian's default, the reference BLAS, is
# ~10x slower and benchpeers refuses to compare against it.
APT_BENCH := python3-numpy python3-torch libopenblas0-pthread

# Where gonb, goimports (go.mod's pins) and gopls are built. The installed
# kernel's kernelspec puts this folder on the kernel's PATH, so Jupyter
# started by hand finds the tools too.
TOOLS := $(CURDIR)/bin

# What a learner's JupyterLab does not list in notebooks/ (the instructors'
# solutions and the notebook tooling); Jupyter's own defaults follow.
NB_HIDE := instructor nbtool __pycache__ *.pyc *.pyo .DS_Store *.so *.dylib *~

.PHONY: help test lint vet fmt-check deps deps-test deps-notebooks venv assets kernel notebooks check-standalone \
        train train-embedded bench bench-peers bench-process bench-notebooks strip-notebooks

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

deps-test: assets venv ## the venv, Debian packages, assets and tools the tests need
	$(call apt_install,$(APT_TEST))
	$(GO) mod download
	$(GO) run ./notebooks/nbtool/cmd/installkernel -build-only -tools $(TOOLS)

# (Re)creates $(VENV) when requirements.txt changed since it was made (the
# stamp holds its hash); never touches a folder that is not a venv.
venv: ## the project's Python environment (.venv, or BACKPROP_VENV): JupyterLab 4, Notebook 7, nbclient, nbgrader from PyPI, hash-checked
	$(call apt_install,$(APT_VENV))
	@want=$$(sha256sum $(REQUIREMENTS) | cut -d' ' -f1); \
	if [ "$$(cat '$(VENV)/requirements.sha256' 2>/dev/null)" != "$$want" ]; then \
	  if [ -e '$(VENV)' ] && [ ! -f '$(VENV)/pyvenv.cfg' ]; then \
	    echo "$(VENV) exists and is not a Python venv: move it away or set BACKPROP_VENV" >&2; exit 1; fi; \
	  echo "creating $(VENV) from $(REQUIREMENTS)"; \
	  rm -rf '$(VENV)' && $(PYTHON) -m venv '$(VENV)' && \
	  '$(VENV)/bin/python' -m pip install -q --disable-pip-version-check --no-input \
	    --require-hashes --no-deps --only-binary=:all: -r $(REQUIREMENTS) && \
	  echo "$$want" > '$(VENV)/requirements.sha256'; \
	fi

deps-notebooks: assets venv

assets: ## fetch ECharts 5.6.0 (checksum-verified) into the user cache, for offline charts
	$(GO) run ./lesson/cmd/fetch-echarts

kernel: ## build gonb, goimports and gopls into ./bin and install the GoNB kernel for this user
	$(GO) run ./notebooks/nbtool/cmd/installkernel -build -tools $(TOOLS)

# The learners' Jupyter configuration, first on JUPYTER_CONFIG_PATH: it
# disables nbgrader's server and lab extensions, which the instructors'
# path (notebooks/instructor/nbgrader) uses from the same venv.
LEARNER_JUPYTER := notebooks/nbtool/learner-jupyter

notebooks: deps-notebooks kernel ## open the lessons in JupyterLab 4 from the venv (NOTEBOOK_ARGS: more jupyter lab options)
	cd notebooks && PATH='$(VENV)/bin':"$$PATH" \
	  JUPYTER_CONFIG_PATH='$(CURDIR)/$(LEARNER_JUPYTER)'"$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	  '$(VENV)/bin/jupyter' lab \
	  $(foreach g,$(NB_HIDE),'--ContentsManager.hide_globs=$(g)') \
	  $(if $(filter 0,$(shell id -u)),--allow-root) $(NOTEBOOK_ARGS)

check-standalone: ## copy the repository alone to a temporary folder, build its environment there and run lesson 01 in JupyterLab 4
	bash .ci/standalone

train: ## the lab's README run on the full MNIST (falls back to the embedded subset)
	$(GO) run ./cmd/train -m 50 -s 96 -l 0.1 -b 200

train-embedded: ## a quick run on the embedded MNIST subset (no data needed)
	$(GO) run ./cmd/train --dataset embedded -m 5 -s 96 -l 0.1 -b 200

bench: ## GEMM, training-epoch and gradcheck benchmarks
	$(GO) test -run '^$$' -bench . -benchtime 5x ./nn/... ./gradcheck/

bench-peers: ## one epoch of ours beside the numpy and PyTorch peers (on OpenBLAS) and ours with every product dense (go-dense), same run, with the BLAS each used
	$(call apt_install,$(APT_BENCH))
	$(GO) run ./cmd/benchpeers -epochs 3 -reps 3 $(BENCH_ARGS)

bench-process: ## the whole cmd/train process (8 epochs, data loading and evaluation included) beside the peers doing the same
	$(call apt_install,$(APT_BENCH))
	$(GO) run ./cmd/benchpeers -process -epochs 8 -reps 3 $(BENCH_ARGS)

bench-notebooks: ## wall time of the whole notebook suite, cold and warm
	notebooks/nbtool/bench.sh

BOOK_OUT ?= $(CURDIR)/.cache/book

.PHONY: book
book: assets venv ## execute every lesson (nbconvert from the venv) and write the lessons as a static site into $(BOOK_OUT)
	$(GO) run ./notebooks/nbtool/cmd/book -o $(BOOK_OUT) -tools $(TOOLS)

strip-notebooks: ## remove outputs before committing notebooks
	$(GO) run ./notebooks/nbtool/cmd/nbstrip

.PHONY: gradescope
gradescope: ## build autograder.zip, the Gradescope autograder of the exercises notebook (POINTS per exercise; default: each exercise's own, 12 in all)
	$(GO) run ./cmd/autograder -o autograder.zip $(if $(POINTS),-points $(POINTS))
