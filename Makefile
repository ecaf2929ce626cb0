# cppcc-perf — the two commands are `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
DATA_DIR ?= ./data
BIND ?= 127.0.0.1:8080
# Builds use the committed query data in .sqlx/ and need no database.
export SQLX_OFFLINE ?= true

CHECKOUT_TAG := $(shell printf '%s' "$(CURDIR)" | md5sum | cut -c1-8)
TEST_PG_DIR ?= /tmp/cppcc-perf-test-$(CHECKOUT_TAG)
BROWSER_PORT ?= 18080

.PHONY: run test lint test-rust test-browser bench deps deps-pg deps-browser deps-bench apt sqlx-prepare sqlx-check

## run: build, prepare the embedded database, load the demo office once, serve on $(BIND)
run: deps-pg
	$(CARGO) build --release --locked
	./target/release/cppcc-perf --data-dir "$(DATA_DIR)" demo
	exec ./target/release/cppcc-perf --data-dir "$(DATA_DIR)" --bind "$(BIND)" serve

## test: unit and integration tests (real PostgreSQL), then browser journeys (headless Chromium)
test: deps-pg deps-browser lint test-rust sqlx-check test-browser

## lint: formatting and clippy (warnings are errors), before the slow steps
lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --locked --all-targets -- -D warnings

test-rust:
	-[ -x target/debug/cppcc-perf ] && target/debug/cppcc-perf --data-dir "$(TEST_PG_DIR)" cluster stop >/dev/null 2>&1
	rm -rf "$(TEST_PG_DIR)"
	status=0; CPPCC_PERF_TEST_PG_DIR="$(TEST_PG_DIR)" $(CARGO) test --locked || status=$$?; \
	  target/debug/cppcc-perf --data-dir "$(TEST_PG_DIR)" cluster stop >/dev/null 2>&1 || true; \
	  rm -rf "$(TEST_PG_DIR)"; exit $$status

test-browser:
	$(CARGO) build --locked
	bash tests/browser/run.sh target/debug/cppcc-perf $(BROWSER_PORT)

## bench: the office-scale dataset (generated once under target/bench), then pages and writes under
## load beside the fortunes baseline; writes the table of docs/BENCHMARKS.md
BENCH_ARGS ?=
bench: deps-pg deps-bench
	$(CARGO) build --release --locked
	python3 tests/bench/bench.py --binary target/release/cppcc-perf --work target/bench $(BENCH_ARGS)

deps-bench:
	@missing=""; \
	  command -v wrk >/dev/null || missing="$$missing wrk"; \
	  command -v python3 >/dev/null || missing="$$missing python3"; \
	  command -v psql >/dev/null || missing="$$missing postgresql-client"; \
	  if [ -n "$$missing" ]; then $(MAKE) --no-print-directory apt PACKAGES="$$missing"; fi

## deps: the system packages the commands need (PostgreSQL server, Chromium, CJK fonts, Node.js)
deps: deps-pg deps-browser

deps-pg:
	@if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && ! command -v pg_ctl >/dev/null; then \
	  $(MAKE) --no-print-directory apt PACKAGES="postgresql"; fi

deps-browser:
	@missing=""; \
	  [ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	  [ -d /usr/share/fonts/opentype/noto ] || missing="$$missing fonts-noto-cjk"; \
	  command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	  command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	  if [ -n "$$missing" ]; then $(MAKE) --no-print-directory apt PACKAGES="$$missing"; fi

apt:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing:$(PACKAGES)"; apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PACKAGES) >/dev/null; \
	else echo "missing Debian packages:$(PACKAGES) — install them (sudo apt-get install$(PACKAGES)) and run again" >&2; exit 1; fi

## sqlx-prepare: regenerate .sqlx/ after changing a query or a migration. It runs a
## throwaway PostgreSQL with psql-applied migrations, so it needs no build of the app.
SQLX_DIR ?= $(CURDIR)/.sqlx
sqlx-prepare: deps-pg
	dir=$$(mktemp -d /tmp/cppcc-perf-sqlx.XXXXXX); chmod 755 $$dir; \
	  bin=$$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1); bin=$${bin:-$$(dirname $$(command -v pg_ctl))}; \
	  as=""; if [ "$$(id -u)" = 0 ]; then chown postgres "$$dir"; as="runuser -u postgres --"; fi; \
	  $$as $$bin/initdb -D $$dir/pg -U cppcc_admin -A trust -E UTF8 --locale=C.UTF-8 >/dev/null; \
	  $$as $$bin/pg_ctl -D $$dir/pg -l $$dir/log -o "-c listen_addresses='' -c unix_socket_directories=$$dir" -w start >/dev/null; \
	  url="postgres://cppcc_admin@localhost/cppcc?host=$$dir"; \
	  psql -q "postgres://cppcc_admin@localhost/postgres?host=$$dir" -c "create database cppcc"; \
	  status=0; for m in migrations/*.up.sql; do psql -q -v ON_ERROR_STOP=1 "$$url" -f $$m >/dev/null || status=1; done; \
	  if [ $$status = 0 ]; then \
	    rm -rf "$(SQLX_DIR)"; mkdir -p "$(SQLX_DIR)"; touch src/lib.rs; \
	    SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$(SQLX_DIR)" DATABASE_URL="$$url" $(CARGO) check --locked --all-targets || status=$$?; \
	  fi; \
	  $$as $$bin/pg_ctl -D $$dir/pg -m fast -w stop >/dev/null; rm -rf $$dir; exit $$status

## sqlx-check: fail when the committed .sqlx/ does not match the queries and migrations
sqlx-check:
	fresh=$$(mktemp -d /tmp/cppcc-perf-sqlx-check.XXXXXX); \
	  $(MAKE) --no-print-directory sqlx-prepare SQLX_DIR=$$fresh >/dev/null; \
	  if diff -r -q .sqlx $$fresh; then rm -rf $$fresh; echo ".sqlx is current"; \
	  else rm -rf $$fresh; echo ".sqlx is out of date: run make sqlx-prepare and commit it" >&2; exit 1; fi
