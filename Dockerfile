# syntax=docker/dockerfile:1
#
# The backprop lessons in JupyterLab, with a GoNB (Go) kernel:
#
#   docker build -t backprop .
#   docker run --rm -p 8888:8888 backprop
#
# then open the http://127.0.0.1:8888/lab?token=... address it prints.
#
# It follows the Jupyter docker-stacks conventions (user jovyan, UID 1000,
# port 8888, start.sh), so it also serves as a JupyterHub single-user image:
# under JupyterHub start-notebook.py hands over to jupyterhub-singleuser.

# GoNB's JupyterLab image (JupyterLab on quay.io/jupyter/base-notebook, Go in
# /usr/local/go). Its tags follow GoNB releases; its own gonb binary and
# kernel are replaced below by those that go.mod pins.
FROM janpfeifer/gonb_jupyterlab:v0.11.5
SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# What the lessons need lives outside $HOME: JupyterHub mounts a persistent
# volume on /home/jovyan, which would hide the repository, the kernel, the
# Go tools and the warm build cache.
ENV BACKPROP_DIR=/opt/backprop \
    GOPATH=/opt/go \
    GOCACHE=/opt/go/cache \
    PATH=/opt/go/bin:${PATH}

# The base image's own gonb kernel (under $HOME) would shadow ours, and its
# ~/.profile exports its GOPATH to login shells (JupyterLab's terminals): the
# line appended last wins.
USER root
RUN mkdir -p "${BACKPROP_DIR}" "${GOPATH}" \
 && chown "${NB_UID}:${NB_GID}" "${BACKPROP_DIR}" "${GOPATH}" \
 && rm -rf "/home/${NB_USER}/.local/share/jupyter/kernels/gonb" \
 && echo "export GOPATH=${GOPATH} GOCACHE=${GOCACHE} PATH=${PATH}" >> "/home/${NB_USER}/.profile"
USER ${NB_UID}
WORKDIR ${BACKPROP_DIR}

# Modules first: editing code or notebooks does not download them again.
COPY --chown="${NB_UID}:${NB_GID}" go.mod go.sum ./
RUN go mod download

# GoNB and goimports at the versions go.mod pins (tool directives), checked,
# and gopls (completion) at the version the kernel installer pins, built
# outside the module so go.mod stays light.
ARG GONB_VERSION=v0.11.4
ARG GOPLS_VERSION=v0.23.0
RUN go build -o "${GOPATH}/bin/" github.com/janpfeifer/gonb golang.org/x/tools/cmd/goimports \
 && go version -m "${GOPATH}/bin/gonb" | grep -E "mod[[:space:]]+github.com/janpfeifer/gonb[[:space:]]+${GONB_VERSION}[[:space:]]" \
 && cd /tmp && GOBIN="${GOPATH}/bin" GOFLAGS=-mod=mod go install "golang.org/x/tools/gopls@${GOPLS_VERSION}"

COPY --chown="${NB_UID}:${NB_GID}" . .

# The kernel, for every user of the image (not under $HOME): its kernelspec
# carries the tools' folder on PATH and starts every notebook in a Go
# workspace with this repository.
RUN go run ./notebooks/nbtool/cmd/installkernel -tools "${GOPATH}/bin" -data-dir "${CONDA_DIR}/share/jupyter" \
 && jupyter kernelspec list

# ECharts 5.6.0 for the offline charts, fetched from the npm registry and
# checksum-verified (it is not part of the repository); the lessons find it
# through BACKPROP_ECHARTS.
ENV BACKPROP_ECHARTS=/opt/go/echarts-5.6.0/echarts.min.js
RUN go run ./lesson/cmd/fetch-echarts -dir /opt/go/echarts-5.6.0

# Smoke test and warm build cache: execute every notebook once with the same
# harness as CI (jupyter nbconvert on the installed kernel, started from a
# clean environment, no network for the notebooks); any failing cell or
# missing key result fails the build. The image's own Jupyter (conda's, in
# $CONDA_DIR) stands in for the project's venv (BACKPROP_VENV): nothing is
# installed from PyPI here. Then check that JupyterLab serves and lists the
# kernel.
RUN CI=1 BACKPROP_VENV="${CONDA_DIR}" ARTIFACTS_DIR=/tmp/backprop-run go test -count=1 -timeout=60m -run='^TestNotebooks$' -v ./notebooks/nbtool/ \
 && rm -rf /tmp/backprop-run "${GOPATH}/backprop-notebook-tools" \
 && notebooks/nbtool/lab-smoke.sh

# The learner's folder holds the lessons only: the instructors' solutions and
# the notebook tooling are not part of the image.
RUN rm -rf notebooks/instructor notebooks/nbtool

# JupyterLab opens on the lessons. docker-stacks' entry point replaces the
# base image's (which starts JupyterLab as root through su and ignores the
# command JupyterHub passes).
WORKDIR ${BACKPROP_DIR}/notebooks
EXPOSE 8888
ENTRYPOINT ["tini", "-g", "--", "start.sh"]
CMD ["start-notebook.py"]
USER ${NB_UID}
