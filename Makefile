# FireLedger set-up. Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export FIRELEDGER_DEBUG ?= 1

.PHONY: run test install pdf-deps test-deps system-deps messages serve bench-data bench-deps clean

## make run: install, migrate the embedded SQLite database, load the demo district, serve.
## The Huey consumer (nightly escalation sweep) runs beside the web server and stops with it.
run: install
	$(BIN)/fireledger migrate --no-input -v 0
	$(BIN)/fireledger demo --if-empty
	$(BIN)/fireledger sweep
	@echo "FireLedger: http://127.0.0.1:8000/  (demo logins above)"
	$(BIN)/fireledger run_huey --quiet & trap 'kill %1 2>/dev/null' EXIT; \
	$(BIN)/fireledger runserver 127.0.0.1:8000

## make test: install what the tests need (Python packages, Debian chromium) and run them.
test: install test-deps
	$(BIN)/pytest -n 2 -p no:cacheprovider

install: $(VENV)/.installed node_modules/.installed messages pdf-deps

$(VENV)/.installed: requirements.txt pyproject.toml
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Translations are compiled at set-up (msgfmt from Debian's gettext), never committed as .mo.
messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || $(MAKE) system-deps PKGS=gettext
	$(BIN)/fireledger compilemessages -v 0

# PDFs (inspection records) are drawn by WeasyPrint, which needs Debian's Pango at run time and
# the Noto CJK fonts for the Chinese text.
pdf-deps:
	@/sbin/ldconfig -p | grep -q 'libpango-1.0.so.0' && /sbin/ldconfig -p | grep -q 'libpangoft2-1.0.so.0' \
		&& fc-list 'Noto Sans CJK SC' | grep -q . \
		|| $(MAKE) system-deps PKGS="libpango-1.0-0 libpangoft2-1.0-0 fontconfig fonts-noto-cjk"

test-deps: $(VENV)/.test-installed
	@[ -x /usr/bin/chromium ] && fc-list :lang=zh | grep -q . || $(MAKE) system-deps PKGS="chromium fonts-noto-cjk"
	@command -v pdftotext >/dev/null || $(MAKE) system-deps PKGS=poppler-utils

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.installed
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-test.txt
	touch $@

system-deps:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(PKGS)

## Scale data for bench/ (see bench/README.md); never touches the demo database.
bench-data: install
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench.sqlite3 $(BIN)/python bench/gen_scale.py --places 1000000

## The load generator of bench/bench_public.py: Debian's wrk.
bench-deps: install
	@command -v wrk >/dev/null || $(MAKE) system-deps PKGS=wrk

clean:
	rm -rf $(VENV) node_modules var
