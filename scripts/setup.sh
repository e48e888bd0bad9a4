#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine (run as root, or with sudo available).
# Installs only what is missing, at the versions verified in ../shared/TOOLCHAIN.md.
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="$HOME/.cargo/bin:$PATH"
CARGO_LEPTOS_VERSION=0.3.10
say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi

# --- Debian packages: browser for tests and screenshots, CJK fonts -----------------
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need_apt+=(fonts-noto-cjk)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
command -v wrk >/dev/null || need_apt+=(wrk)   # bench/booking-wrk.sh (make bench)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing Debian packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
else
  say "Debian packages present (chromium, fonts-noto-cjk)"
fi

# --- Rust targets and tools ----------------------------------------------------------
if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
else
  say "wasm32-unknown-unknown target present"
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 13 minutes on 2 cores)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
else
  say "cargo-leptos $CARGO_LEPTOS_VERSION present"
fi

# wasm-bindgen-cli must equal the wasm-bindgen version that Cargo.lock pins.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WB_VERSION\$"; then
  say "installing wasm-bindgen-cli $WB_VERSION (matches Cargo.lock)"
  # --locked fails for this crate (a locked dependency is gone from the registry).
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
else
  say "wasm-bindgen-cli $WB_VERSION present"
fi

# Debian's binaryen 108 produces a broken bundle; the crate's binaryen 116 works.
if ! [ -x "$HOME/.cargo/bin/wasm-opt" ]; then
  say "installing wasm-opt (about 7 minutes)"
  cargo install wasm-opt --locked
else
  say "wasm-opt present"
fi

# --- end-to-end test packages --------------------------------------------------------
if [ -f end2end/package-lock.json ]; then
  if [ ! -d end2end/node_modules ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "installing end2end npm packages (npm ci)"
    (cd end2end && npm ci --no-audit --no-fund)
  else
    say "end2end npm packages present"
  fi
fi
say "set-up complete"
