# Libfolio: `make run` and `make test` work on a fresh machine with only the repository cloned.
# They install what is missing (pinned versions), then build. Run `make help` for the rest.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Pinned tool versions. wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock.
CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"$$/\1/p;}' Cargo.lock)

TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
# wasm-opt for release builds comes from the npm package `binaryen` (Debian's is too old).
NODE_BIN := $(CURDIR)/end2end/node_modules/.bin
export PATH := $(NODE_BIN):$(CARGO_BIN):$(PATH)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help tools tools-wasm npm chromium run dev build build-debug site-test test test-unit test-e2e lint fmt clean

help:
	@echo "make run    build (release), migrate, seed the demo on an empty database, serve on http://127.0.0.1:3000"
	@echo "make test   every test: unit, integration, browser (Chromium, JavaScript on and off)"
	@echo "make dev    cargo leptos watch: rebuild and reload on change"
	@echo "make build  release build of the server and the wasm bundle"
	@echo "make lint   rustfmt check and clippy for each feature set, warnings denied"

## Tools --------------------------------------------------------------------------------------

# What building the wasm bundle needs (tests stop here: cargo-leptos takes 12 minutes to install).
tools-wasm: npm
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
		|| rustup target add wasm32-unknown-unknown
	@test -n "$(WASM_BINDGEN_VERSION)" || { echo "wasm-bindgen not found in Cargo.lock"; exit 1; }
	@wasm-bindgen --version 2>/dev/null | grep -qF "$(WASM_BINDGEN_VERSION)" \
		|| cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force

# Everything, cargo-leptos included (release builds with hashed assets, `make dev`).
tools: tools-wasm
	@cargo leptos --version 2>/dev/null | grep -qF "$(CARGO_LEPTOS_VERSION)" \
		|| cargo install cargo-leptos@$(CARGO_LEPTOS_VERSION) --locked

npm: end2end/node_modules/.package-lock.json

end2end/node_modules/.package-lock.json: end2end/package.json end2end/package-lock.json
	cd end2end && npm ci --no-audit --no-fund
	touch $@

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		$(SUDO) apt-get update && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends chromium; }

## Build and run ------------------------------------------------------------------------------

build: tools
	cargo leptos build --release

build-debug: tools
	cargo leptos build

run: build
	$(TARGET_DIR)/release/libfolio seed-demo
	exec $(TARGET_DIR)/release/libfolio serve

dev: tools
	cargo leptos watch

## Tests --------------------------------------------------------------------------------------

# The site the browser tests load: the debug wasm bundle, the stylesheet and the public assets,
# under plain names. Built without cargo-leptos, the same steps it takes in a debug build
# (cargo, then wasm-bindgen), so that a fresh machine runs the tests without installing it.
SITE_TEST := $(TARGET_DIR)/site-test
site-test: tools-wasm
	cargo build -p app --lib --target wasm32-unknown-unknown --no-default-features \
		--features hydrate --target-dir $(TARGET_DIR)/front
	rm -rf $(SITE_TEST).tmp && mkdir -p $(SITE_TEST).tmp/pkg
	wasm-bindgen --target web --no-typescript --out-dir $(SITE_TEST).tmp/pkg --out-name libfolio \
		$(TARGET_DIR)/front/wasm32-unknown-unknown/debug/app.wasm
	mv $(SITE_TEST).tmp/pkg/libfolio_bg.wasm $(SITE_TEST).tmp/pkg/libfolio.wasm
	cp style/main.css $(SITE_TEST).tmp/pkg/libfolio.css
	cp -R app/public/. $(SITE_TEST).tmp/
	rm -rf $(SITE_TEST) && mv $(SITE_TEST).tmp $(SITE_TEST)

# One `cargo test` build serves both the Rust tests and the browser tests' server binary, so the
# server's dependencies compile once (a separate `cargo build` would resolve other features).
test: site-test chromium
	$(MAKE) --no-print-directory test-unit
	$(MAKE) --no-print-directory test-e2e

# Unit tests (beside the code) and integration tests (real router, fresh database).
test-unit:
	cargo test --workspace

# Browser tests against the debug server on a free port with a temporary database.
test-e2e: npm chromium
	cargo test --workspace --no-run --quiet
	LIBFOLIO_BIN=$(TARGET_DIR)/debug/libfolio LIBFOLIO_SITE_ROOT=$(SITE_TEST) end2end/run.sh

lint: tools
	cargo fmt --all -- --check
	cargo clippy -p server --all-targets -- -D warnings
	cargo clippy -p app --all-targets --features ssr -- -D warnings
	cargo clippy -p app --lib --target wasm32-unknown-unknown --target-dir $(TARGET_DIR)/front --features hydrate -- -D warnings

fmt:
	cargo fmt --all

clean:
	cargo clean
