# Vital Few — `make run` opens the app, `make test` runs every test suite.
# Both install what is missing first (Debian/Ubuntu packages through apt,
# npm packages, tauri-driver), so they work on a fresh Debian 12 that has only
# the Rust toolchain, Node/npm and apt. Re-running them is fast and quiet.

SHELL := /bin/bash
.DEFAULT_GOAL := run
.DELETE_ON_ERROR:

# System libraries Tauri builds against, plus what the tests need: Xvfb and
# xauth (headless display), WebKitWebDriver (end-to-end), a D-Bus session
# (single-instance), xdotool (native menu shortcuts), xclip (reads the
# clipboard a copied chart is on), a CJK font, poppler-utils (pdfinfo and
# pdftotext read the meeting pack in its tests).
APT_PACKAGES := build-essential pkg-config libwebkit2gtk-4.1-dev libxdo-dev libssl-dev \
  libayatana-appindicator3-dev librsvg2-dev xvfb xauth webkit2gtk-driver dbus dbus-x11 \
  xdotool xclip procps fonts-wqy-microhei poppler-utils faketime
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
CARGO_BIN := $(shell dirname "$$(command -v cargo)")
TAURI_DRIVER := $(CARGO_BIN)/tauri-driver
BIN := target/debug/vitalfew
E2E := xvfb-run -a -s "-screen 0 1400x900x24" dbus-run-session -- node --test --test-concurrency=1
E2E_CLOCKED := $(addprefix tests/e2e/,accounts.test.mjs backup.test.mjs dashboard.test.mjs insight.test.mjs notebook.test.mjs pack.test.mjs)
UI_SOURCES := $(shell find ui/src ui/index.html ui/vite.config.ts ui/svelte.config.js ui/tsconfig.json icons/icon.svg -type f 2>/dev/null)
export PATH := $(CARGO_BIN):$(PATH)

.PHONY: run build test bundle bundle-windows test-windows windows-tools bindings bench fuzz apt clean

## run: build the app and open its window
run: build
	$(BIN)

## build: debug binary at target/debug/vitalfew
build: apt ui/dist/index.html
	cargo build --locked

## test: every suite — Rust unit + integration, UI type check + unit, end-to-end
test: build $(TAURI_DRIVER)
	cargo test --locked
	cargo build --locked --profile dev --benches  # benchmarks must keep compiling (dev profile: reuses the test build)
	cd ui && npm run --silent check && npm test --silent
	@mkdir -p target/e2e-shots
	$(E2E) tests/e2e/
	@# Again where days are counted (touches, moves, periods, daily backups),
	@# at other times of today: just after noon, and from 20 s before midnight
	@# (the runs cross it). faketime's clock reaches the webview too.
	for at in 12:00:30 23:59:40; do \
	  FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "@$$(date +%F) $$at" $(E2E) $(E2E_CLOCKED) || exit 1; \
	done

## bundle: release installers (.deb and .rpm) under target/release/bundle/
bundle: apt ui/node_modules/.installed
	ui/node_modules/.bin/tauri build --bundles deb,rpm

# ---- Windows, built and tested on this Linux machine ----
# Cross-built with mingw-w64 (as `tauri build` builds: the bins with
# tauri/custom-protocol), the installer made by makensis from
# packaging/windows/installer.nsi (Tauri's NSIS bundler downloads a plug-in
# from GitHub), tested under wine. Version and icon from tauri.conf.json.
WIN_TARGET := x86_64-pc-windows-gnu
WIN_APT := gcc-mingw-w64-x86-64 nsis wine wine64
WIN_ENV := CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
VERSION = $(shell node -p "require('./tauri.conf.json').version")
# The profile test-windows builds and installs (dev: the same build as the
# unit tests, which CI can afford; release: what bundle-windows ships).
WINDOWS_PROFILE ?= dev
win_dir = target/$(WIN_TARGET)/$(if $(filter dev,$(1)),debug,$(1))
# An optional WebView2 bootstrapper the installer runs when the runtime is
# missing (Microsoft's MicrosoftEdgeWebview2Setup.exe; without it the
# installer offers the download page).
WEBVIEW2_SETUP ?= $(wildcard packaging/windows/MicrosoftEdgeWebview2Setup.exe)

## bundle-windows: the per-user Windows installer, target/windows/VitalFew_<version>_x64-setup.exe
bundle-windows: windows-tools ui/dist/index.html
	$(WIN_ENV) cargo build --locked --bins --features tauri/custom-protocol --release --target $(WIN_TARGET)
	$(call nsis,release,target/windows/VitalFew_$(VERSION)_x64-setup.exe)

## test-windows: the Windows build under wine: the library's unit tests and a smoke test of the installed program
test-windows: windows-tools ui/dist/index.html build
	$(WIN_ENV) cargo build --locked --bins --features tauri/custom-protocol --profile $(WINDOWS_PROFILE) --target $(WIN_TARGET)
	set -o pipefail; $(WIN_ENV) cargo test --locked --lib --no-run --features tauri/custom-protocol --target $(WIN_TARGET) 2>&1 | tee target/windows-unit-tests.log
	$(call nsis,$(WINDOWS_PROFILE),target/windows/smoke-setup.exe)
	tests/windows/smoke.sh $(call win_dir,$(WINDOWS_PROFILE)) target/windows/smoke-setup.exe \
	  $$(sed -n 's/.*Executable unittests src-tauri\/lib.rs (\(.*\))/\1/p' target/windows-unit-tests.log) $(BIN)

# $(call nsis,PROFILE,OUT): the installer of that profile's build.
define nsis
	@mkdir -p target/windows
	makensis -V2 -INPUTCHARSET UTF8 -DVERSION=$(VERSION) -DAPP_DIR=$(abspath $(call win_dir,$(1))) \
	  -DICON=$(abspath icons/icon.ico) -DOUT_FILE=$(abspath $(2)) \
	  $(if $(WEBVIEW2_SETUP),-DWEBVIEW2_SETUP=$(abspath $(WEBVIEW2_SETUP))) packaging/windows/installer.nsi
	@ls -l $(2)
endef

windows-tools:
	$(call apt_install,$(WIN_APT),Windows build tools)
	@rustup target list --installed | grep -qx $(WIN_TARGET) || rustup target add $(WIN_TARGET)

## bench: import (1M-line CSV, 100k-line XLSX), chart, backup/restore, store open (the manifest's verification), notebook, meeting-pack and team-sync benchmarks, release build; BENCH_* env vars shrink them
bench: apt ui/dist/index.html
	cargo bench --locked --bench import --bench charts --bench backup --bench open --bench notebook --bench pack --bench team

## fuzz: fuzz the import — text decoding + CSV rows + planner, numbers/dates, workbooks — FUZZ_SECONDS (300) each, one at a time
# Not part of `make test`. Targets and seeds are in fuzz/ (see fuzz/README.md).
# A crash stops that target (the workbook target goes on: the reader it runs
# is calamine, which the app contains in a child process) and leaves its input
# in fuzz/artifacts/<target>/; fuzz/triage.sh says where each one fails, and
# `make fuzz` fails only for inputs that fail in the app's own code.
# FUZZ_TARGETS picks targets, FUZZ_ARGS adds libFuzzer flags.
FUZZ_TARGETS ?= text_plan values workbook
FUZZ_SECONDS ?= 300
FUZZ_ARGS ?=
# No AddressSanitizer: it cannot run under `ulimit -v`, and the code is safe
# Rust; debug assertions and overflow checks stay on.
FUZZ_BUILD := -s none --codegen-units 16
# Address-space cap of a fuzzing process (KiB); the workbook child's is 3 GiB.
FUZZ_VMEM_KB ?= 4194304
CARGO_FUZZ := $(CARGO_BIN)/cargo-fuzz
FUZZ_BIN = fuzz/target/$(shell rustc -vV | sed -n 's/^host: //p')/release

fuzz: apt ui/dist/index.html $(CARGO_FUZZ)
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	cargo +nightly fuzz build $(FUZZ_BUILD)
	@failed=""; summary=""; \
	for t in $(FUZZ_TARGETS); do \
	  case $$t in \
	    values) opts="-max_len=256";; \
	    text_plan) opts="-max_len=16384";; \
	    workbook) opts="-max_len=65536 -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1";; \
	  esac; \
	  mkdir -p fuzz/corpus/$$t fuzz/artifacts/$$t; cp -n fuzz/seeds/$$t/* fuzz/corpus/$$t/ 2>/dev/null || true; \
	  touch fuzz/artifacts/.$$t.start; \
	  echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	  ( ulimit -v $(FUZZ_VMEM_KB); $(FUZZ_BIN)/$$t fuzz/corpus/$$t -artifact_prefix=fuzz/artifacts/$$t/ \
	    -dict=fuzz/dicts/$$t.dict $$opts -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1 $(FUZZ_ARGS) ) > fuzz/artifacts/$$t.log 2>&1; \
	  status=$$?; \
	  grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|INFO: exiting|stat::number_of_executed_units)' fuzz/artifacts/$$t.log; \
	  new=$$(find fuzz/artifacts/$$t -type f -newer fuzz/artifacts/.$$t.start); \
	  if [ -n "$$new" ]; then fuzz/triage.sh $$t $$new || failed="$$failed $$t"; \
	  elif [ $$status -ne 0 ]; then failed="$$failed $$t"; fi; \
	  n=$$(grep -o '^#[0-9]*: cov' fuzz/artifacts/$$t.log | tail -1 | tr -dc 0-9); \
	  [ -n "$$n" ] || n=$$(grep -ho 'number_of_executed_units: [0-9]*' fuzz/artifacts/$$t.log | tail -1 | grep -o '[0-9]*$$'); \
	  summary="$$summary$$(printf '%-10s %12s executions, %s new input(s) in fuzz/artifacts/%s/' $$t "$$n" $$(wc -w <<<"$$new") $$t)\n"; \
	done; \
	printf "== summary\n$$summary"; \
	if [ -n "$$failed" ]; then echo "fuzz: crashes, OOMs or timeouts in the app's own code in:$$failed (logs: fuzz/artifacts/<target>.log)"; exit 1; fi

$(CARGO_FUZZ):
	cargo install cargo-fuzz --locked

## bindings: regenerate ui/src/lib/bindings.ts (the Rust types), ui/src/lib/commands.ts and the capability's grants (the operation tables)
bindings:
	VITALFEW_UPDATE_BINDINGS=1 cargo test --locked --test bindings --quiet

# $(call apt_install,PACKAGES,WHAT): installs those of PACKAGES that are
# missing (with sudo when not root), saying so; nothing when all are there.
define apt_install
	@missing=$$(for p in $(1); do \
	  dpkg-query -W -f='$${db:Status-Status}' $$p 2>/dev/null | grep -qx installed || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing $(2):" $$missing; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi
endef

apt:
	$(call apt_install,$(APT_PACKAGES),system packages)

# `npm ci`: exactly what the lock file pins (it lists the Tauri CLI's
# per-platform packages for every platform).
ui/node_modules/.installed: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

ui/dist/index.html: ui/node_modules/.installed $(UI_SOURCES)
	cd ui && npm run --silent build -- --logLevel warn

$(TAURI_DRIVER):
	cargo install tauri-driver --locked --version '^2'

clean:
	rm -rf target ui/dist ui/node_modules
