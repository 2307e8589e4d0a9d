#!/usr/bin/env bash
# Hashing throughput of `zoo commit` against `openssl dgst -sha256`, on the same file, in the
# same run. Usage: scripts/bench-hash.sh [SIZE_MIB] (default 1024). Needs `make build`.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib="${1:-1024}"
zoo="${CARGO_TARGET_DIR:-$HOME/.cache/zoo/target}/release/zoo"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/model"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/model/weights.bin"
cat "$work/model/weights.bin" > /dev/null # warm the page cache for both tools alike

seconds() { local start end; start=$(date +%s.%N); "$@" > /dev/null; end=$(date +%s.%N); awk "BEGIN { print $end - $start }"; }
mbps() { awk "BEGIN { printf \"%d\", $size_mib * 1.048576 / $1 }"; }
ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }

openssl_s=$(seconds openssl dgst -sha256 "$work/model/weights.bin")
zoo_s=$(seconds "$zoo" commit "$work/model" --model bench/hash -m bench --dry-run --json)
zoo_blake3_s=$(seconds "$zoo" commit "$work/model" --model bench/hash -m bench --dry-run --json --hash blake3)
zoo_sharded_s=$(seconds "$zoo" commit "$work/model" --model bench/hash -m bench --dry-run --json --shard-size 64MiB)

printf '%-34s %8s s %7s MB/s\n' "openssl dgst -sha256 (baseline)" "$(printf %.2f "$openssl_s")" "$(mbps "$openssl_s")"
printf '%-34s %8s s %7s MB/s  %sx baseline\n' "zoo commit --dry-run (sha2-256)" "$(printf %.2f "$zoo_s")" "$(mbps "$zoo_s")" "$(ratio "$openssl_s" "$zoo_s")"
printf '%-34s %8s s %7s MB/s  %sx baseline\n' "zoo ... --hash blake3" "$(printf %.2f "$zoo_blake3_s")" "$(mbps "$zoo_blake3_s")" "$(ratio "$openssl_s" "$zoo_blake3_s")"
printf '%-34s %8s s %7s MB/s  %sx baseline\n' "zoo ... --shard-size 64MiB" "$(printf %.2f "$zoo_sharded_s")" "$(mbps "$zoo_sharded_s")" "$(ratio "$openssl_s" "$zoo_sharded_s")"
