#!/usr/bin/env bash
# Builds the runtime Wasm of an earlier commit (a release the upgrade test starts from) and prints
# the path of its compressed blob. Usage: scripts/build-release-runtime.sh [REV]
#
# REV defaults to PREVIOUS_RELEASE below: the last commit of the runtime before this one's spec
# version (the runtime a live chain runs when this one is proposed). Raise it with each release.
#
# The source of REV is exported (git archive) into ~/.cache/zoo/releases/REV and built there with
# `cargo check --target <host>`: the wasm builder runs in the build script, so the runtime's Wasm is
# compiled in full while its native side is only checked. With an explicit --target the wasm
# builder's project lives in target/<host>/release/wbuild, apart from the current runtime's
# target/release/wbuild (one project directory per crate name: sharing it would put the old blob
# where the current node embeds its runtime from), while build scripts and proc macros, the
# binaryen build among them, are shared with the normal build. The first run compiles the runtime's
# dependencies for Wasm once more (about 10 minutes on 2 cores); later runs reuse them.
set -euo pipefail
# spec_version 100: the runtime before disputes expired (curation storage version 0).
PREVIOUS_RELEASE=1041399
rev="${1:-$PREVIOUS_RELEASE}"
cd "$(dirname "$0")/.."
# A shallow clone lacks the release's commit: deepen it from where it was cloned.
if ! git rev-parse --verify --quiet "$rev^{commit}" >/dev/null && [ "$(git rev-parse --is-shallow-repository)" = true ]; then
	git fetch --quiet --unshallow >&2 || true
fi
commit="$(git rev-parse --verify --quiet "$rev^{commit}")" || {
	echo "error: $rev is not a commit of this repository" >&2
	exit 1
}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zoo/target}"
# The Wasm is the point: a caller's SKIP_WASM_BUILD (set for native-only test builds) must not
# leave the dummy blob the wasm builder writes then.
unset SKIP_WASM_BUILD
host="$(rustc -vV | sed -n 's/^host: //p')"
source_dir="$HOME/.cache/zoo/releases/$commit"
if [ ! -f "$source_dir/Cargo.toml" ]; then
	rm -rf "$source_dir"
	mkdir -p "$source_dir"
	git archive "$commit" | tar -x -C "$source_dir"
fi
(
	cd "$source_dir"
	cargo check --release --locked -p zoo-runtime --target "$host" >&2
)
blob="$CARGO_TARGET_DIR/$host/release/wbuild/zoo-runtime/zoo_runtime.compact.compressed.wasm"
[ -f "$blob" ] || {
	echo "error: the build of $commit left no runtime at $blob" >&2
	exit 1
}
# One project directory serves every release built this way: keep a copy named by its commit.
mkdir -p "$HOME/.cache/zoo/releases/wasm"
cp "$blob" "$HOME/.cache/zoo/releases/wasm/$commit.wasm"
echo "$HOME/.cache/zoo/releases/wasm/$commit.wasm"
