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
# The system OpenSSL, which litep2p's WebRTC links instead of building its own (.cargo/config.toml).
command -v pkg-config >/dev/null || missing+=(pkg-config)
pkg-config --exists openssl 2>/dev/null || missing+=(libssl-dev)
command -v python3 >/dev/null || missing+=(python3)
command -v make >/dev/null || missing+=(make)
command -v git >/dev/null || missing+=(git)
# Node.js runs the polkadot.js compatibility test, the light-client test and the zombienet CLI.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
# The moto venv below needs venv and ensurepip; Debian ships ensurepip separately, so
# `python3 -m venv --help` alone can pass while creating a venv fails: check both modules.
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
# The reference age implementation checks that sealed artifacts interoperate.
command -v age >/dev/null || missing+=(age)
# make bench-light grows a chain of 10,000 blocks whose timestamps must end near now, so the
# node that grows it runs with its wall clock set back.
command -v faketime >/dev/null || missing+=(faketime)
if [ ${#missing[@]} -gt 0 ]; then
	say "installing system packages: ${missing[*]}"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

# npm packages, pinned by their lock files (installed only when missing or out of date).
for dir in node/tests/polkadot-js node/tests/light-client zombienet client/zoo/tests/fixtures/ipfs; do
	if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
		say "installing npm packages in $dir"
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error && touch node_modules)
	fi
done

# moto: the second S3 implementation for the storage tests (unlike s3s-fs it enforces If-Match on
# GET). It lives in its own venv outside the clone, shared by clones like the cargo target dir.
moto_version=5.2.5
venv="${ZOO_TOOLS:-$HOME/.cache/zoo/tools}/moto"
if [ ! -x "$venv/bin/moto_server" ] ||
	[ "$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("moto"))' 2>/dev/null)" != "$moto_version" ]; then
	say "installing moto[server]==$moto_version into $venv"
	[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
	"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$moto_version"
fi

# Rust: rustup installs the toolchain, wasm targets and rust-src named in rust-toolchain.toml.
if ! command -v rustup >/dev/null; then
	say "rustup is required (https://rustup.rs); install it and re-run"
	exit 1
fi
rustup toolchain install >/dev/null
rustup show active-toolchain

# cargo-nextest runs the workspace's tests in one parallel pool (`make test`).
if ! cargo nextest --version >/dev/null 2>&1; then
	say "installing cargo-nextest"
	cargo install --quiet --locked cargo-nextest
fi

# AFL++, only with `./scripts/setup.sh afl` (`make fuzz-afl`): cargo-afl at the version of the
# `afl` crate in Cargo.lock (the two must match), then AFL++ built for this toolchain.
if [ "${1:-}" = afl ]; then
	afl_version=$(sed -n '/^name = "afl"$/{n;s/^version = "\(.*\)"$/\1/p;}' Cargo.lock)
	if [ "$(cargo afl --version 2>/dev/null | cut -d' ' -f2)" != "$afl_version" ]; then
		say "installing cargo-afl $afl_version"
		cargo install --quiet --locked cargo-afl --version "$afl_version"
	fi
	# Refused (with this message) when AFL++ is already built for the toolchain: nothing to do.
	if ! built=$(cargo afl config --build 2>&1) && ! grep -q "already built" <<<"$built"; then
		echo "$built" >&2
		exit 1
	fi
fi
