#!/usr/bin/env bash
# Installs what building and testing Zoo needs on a fresh Debian/Ubuntu machine. Idempotent:
# every step checks first and does nothing when the tool is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# System packages: clang/libclang for bindgen-based -sys crates, protoc for libp2p/litep2p.
missing=()
command -v clang >/dev/null || missing+=(clang)
# bindgen (clang-sys) loads the unversioned libclang.so, which only libclang-dev provides.
[ -n "$(ls /usr/lib/llvm-*/lib/libclang.so 2>/dev/null | head -n1)" ] || missing+=(libclang-dev)
command -v protoc >/dev/null || missing+=(protobuf-compiler)
command -v python3 >/dev/null || missing+=(python3)
command -v make >/dev/null || missing+=(make)
command -v git >/dev/null || missing+=(git)
# Node.js runs the polkadot.js compatibility test and the zombienet CLI.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
	say "installing system packages: ${missing[*]}"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

# npm packages, pinned by their lock files (installed only when missing or out of date).
for dir in node/tests/polkadot-js zombienet; do
	if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
		say "installing npm packages in $dir"
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error && touch node_modules)
	fi
done

# Rust: rustup installs the toolchain, wasm targets and rust-src named in rust-toolchain.toml.
if ! command -v rustup >/dev/null; then
	say "rustup is required (https://rustup.rs); install it and re-run"
	exit 1
fi
rustup toolchain install >/dev/null
rustup show active-toolchain
