#!/usr/bin/env bash
# `make build`: the node, the client, the benchmarks' binaries and the workspace tests' binaries,
# in the one feature resolution `make test` runs them in (scripts/packages.sh), so testing
# compiles nothing again.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zoo/target}"
source scripts/packages.sh
exec cargo build --release --locked "${workspace_tests[@]}" --all-targets "$@"
