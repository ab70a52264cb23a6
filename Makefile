# Pre-Post Check: `make run` to try it, `make test` to check it. Everything lives in .venv.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PEER := .venv-peer
HOST ?= 127.0.0.1
PORT ?= 8000
DATA ?= ../shared/eval/dev-posts.jsonl
APT_PACKAGES := redis-server chromium fonts-noto-color-emoji

.PHONY: install run serve test eval lock peer-install system-deps extension-deps extension-firefox bench bench-deps clean lint fuzz soak screenshots

## install: create .venv and install the pinned requirements (quick when nothing changed)
install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	@touch $@

## run: start the API on http://$(HOST):$(PORT) with embedded defaults (no Redis needed)
run: install
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

## serve: run the API with gunicorn (gunicorn.conf.py: WEB_CONCURRENCY workers, default 2; set REDIS_URL to share keys and limits)
serve: install
	$(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) wsgi:app

## system-deps: install the Debian packages the tests need (redis-server, wrk, chromium) when missing
system-deps:
	@.ci/need redis-server:redis-server wrk:wrk /usr/bin/chromium:chromium \
	  /usr/share/fonts/truetype/noto:fonts-noto-color-emoji

## extension-deps: install web-ext into extension/node_modules (npm ci, pinned by package-lock.json)
extension-deps: extension/node_modules/.installed

extension/node_modules/.installed: extension/package.json extension/package-lock.json
	@if command -v npm >/dev/null; then \
	  cd extension && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: the web-ext lint test will be skipped"; fi

## extension-firefox: build the Firefox variant in extension/dist/firefox and run web-ext lint on it
extension-firefox: extension-deps
	cd extension && npm run --silent lint

## test: install everything, lint, and run the whole suite
test: install system-deps extension-deps lint
	$(BIN)/python -m pytest

## lint: ruff on api/ and the reliability tests, bandit on api/ and nlp/ (findings fixed or justified inline)
lint: install
	$(BIN)/ruff check api wsgi.py gunicorn.conf.py tests/reliability tests/api/test_security.py
	$(BIN)/bandit --quiet --configfile pyproject.toml --recursive api nlp

## screenshots: re-take the README's pictures (docs/screenshots/) from the browser tests
screenshots: install system-deps extension-deps
	UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/e2e -k "card_explains_with_policy_text_and_screenshot or post_click_is_held_once or sees_the_charts_on_a_laptop"

## fuzz: schemathesis with FUZZ_EXAMPLES (default 1000) examples per operation and mode (make test runs 25)
FUZZ_EXAMPLES ?= 1000
fuzz: install system-deps
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/reliability/test_fuzz.py

## soak: SOAK_SECONDS (default 300) at 80% of measured capacity on loopback; report in test-artifacts/reliability/soak.json
SOAK_SECONDS ?= 300
soak: install system-deps
	SOAK_SECONDS=$(SOAK_SECONDS) SOAK_REPORT=test-artifacts/reliability/soak.json \
	  $(BIN)/python -m pytest tests/reliability/test_soak.py
	@cat test-artifacts/reliability/soak.json

## lock: recompile requirements.txt and requirements-dev.txt (every package pinned, with hashes) from the .in files
lock:
	@test -x .venv-tools/bin/pip-compile || ($(PYTHON) -m venv .venv-tools && .venv-tools/bin/pip install --quiet pip-tools==7.6.2)
	.venv-tools/bin/pip-compile --quiet --generate-hashes --allow-unsafe --no-strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.txt requirements.in
	.venv-tools/bin/pip-compile --quiet --generate-hashes --allow-unsafe --no-strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements-dev.txt requirements-dev.in

## peer-install: a second venv with our requirements plus Presidio, for side-by-side measurements
peer-install: $(PEER)/.installed

$(PEER)/.installed: requirements.txt requirements-eval.txt
	@test -x $(PEER)/bin/python || $(PYTHON) -m venv $(PEER)
	$(PEER)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PEER)/bin/pip install --quiet --disable-pip-version-check --no-deps -r requirements-eval.txt
	@touch $@

## eval: score the checker on the dev set and our own posts, then side by side with Presidio on peer data
eval: install peer-install
	$(PEER)/bin/python -m nlp.evaluate --peers tests/data/posts.jsonl $(DATA)

## bench-deps: install the Debian packages `make bench` needs (wrk, redis-server) when missing
bench-deps:
	@.ci/need redis-server:redis-server wrk:wrk

## bench: latency side by side with Presidio, length scaling, HTTP under wrk, memory, editing (bench/README.md)
## (BENCH_QUICK=1 for a short smoke run); writes bench/results/latest.json and prints a table
bench: install peer-install bench-deps
	BENCH_QUICK=$(BENCH_QUICK) $(PEER)/bin/python -m bench --gunicorn $(BIN)/gunicorn

clean:
	rm -rf $(VENV) $(PEER) .venv-tools .pytest_cache extension/node_modules extension/dist
