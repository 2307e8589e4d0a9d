#!/usr/bin/env bash
# Regenerates the weights.rs of Zoo's pallets (registry, lineage, licensing, attestations, curation,
# validator set) with frame-omni-bencher, from the runtime wasm built with `runtime-benchmarks`.
# Slow (a second runtime build); run after changing a call. PALLETS="pallet_lineage" limits the run to some
# pallets.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zoo/target}"
command -v frame-omni-bencher >/dev/null || cargo install frame-omni-bencher --version 0.28.0 --locked

# The wasm builder writes to one place whatever the features: build the benchmarking runtime,
# copy it aside, benchmark, then rebuild the normal runtime so the node never embeds the
# benchmarking one.
cargo build --release --locked -p zoo-runtime --features runtime-benchmarks
wasm="$(mktemp -d)/zoo_runtime_benchmarks.wasm"
cp "$CARGO_TARGET_DIR/release/wbuild/zoo-runtime/zoo_runtime.compact.compressed.wasm" "$wasm"
# Whatever happens below, leave the normal runtime in place for the node.
trap 'touch runtime/src/lib.rs; ./scripts/build.sh; rm -f "$wasm"' EXIT

for pallet in ${PALLETS:-pallet_model_registry pallet_lineage pallet_licensing pallet_attestations pallet_curation pallet_validator_set}; do
	crate_dir="pallets/$(echo "${pallet#pallet_}" | tr _ -)"
	frame-omni-bencher v1 benchmark pallet \
		--runtime "$wasm" \
		--pallet "$pallet" --extrinsic '*' \
		--steps "${STEPS:-50}" --repeat "${REPEAT:-20}" \
		--template scripts/frame-weight-template.hbs \
		--output "$crate_dir/src/weights.rs"
done
