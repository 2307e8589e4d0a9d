#!/usr/bin/env bash
# Runs every test: unit, benchmark and golden-vector tests, the metadata check, the end-to-end
# tests that drive the real zoo-node with the real zoo client, the polkadot.js compatibility
# test, the independent light-client test, and the zombienet network tests. Expects `make build`
# (which also runs the setup).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zoo/target}"
export ZOO_NODE="${ZOO_NODE:-$CARGO_TARGET_DIR/release/zoo-node}"

log="$(mktemp)"
network_log="$(mktemp)"
network_pid=""
# A network run still going when a phase fails is stopped (run-tests.sh tears its networks down).
stop_network() {
	if [ -n "$network_pid" ]; then kill -TERM "$network_pid" 2>/dev/null || true; wait "$network_pid" 2>/dev/null || true; fi
	rm -f "$log" "$network_log"
}
trap stop_network EXIT
start=$(date +%s)
phase_start=$start
# Each phase's heading also closes the one before with its duration, so a slow phase is named.
say() {
	local now
	now=$(date +%s)
	if ((now > phase_start)); then printf '    (%ss)\n' "$((now - phase_start))"; fi
	phase_start=$now
	printf '\033[1m==> %s\033[0m\n' "$*"
}

say "golden content-ID vectors, recomputed independently (python3 standard library)"
python3 pallets/primitives/vectors/check_cids.py | tee -a "$log"

say "UnixFS CID vectors, recomputed by the reference JavaScript importer (unixfs-v1-2025)"
node client/zoo/tests/fixtures/ipfs/golden.mjs --self-test | tee -a "$log"

say "the client crates' modules import each other without a cycle"
python3 scripts/import-cycles.py | tee -a "$log"

# cargo-nextest runs every test binary's tests in one parallel pool (.config/nextest.toml);
# each end-to-end story starts a zoo-node of its own on free ports, so they overlap safely.
# The pallets and the fuzzer run in the next phase instead, with the benchmark and try-runtime
# features: their tests are a superset there, and the features are compiled once, not twice.
source scripts/packages.sh
say "workspace tests (release profile, built by make build; in parallel under cargo-nextest)"
cargo nextest run --release --locked "${workspace_tests[@]}" 2>&1 | tee -a "$log"
pallets=("${pallets[@]/#/--package=}")

say "pallet tests with their benchmarks, try-runtime hooks, and the fuzzer's tests (one feature set)"
export SKIP_WASM_BUILD=1
features=(--features runtime-benchmarks,try-runtime)
cargo nextest run --release --locked "${pallets[@]}" -p zoo-fuzz "${features[@]}" 2>&1 | tee -a "$log"

# The previous release's runtime, which the upgrade test and try-runtime start from: its Wasm
# only, built once (about 4 minutes) and reused.
say "the previous release's runtime (scripts/build-release-runtime.sh)"
release_runtime="$(./scripts/build-release-runtime.sh)"
echo "$release_runtime"

# The network tests mostly wait on 6 s slots and finality: they run in the background from here,
# beside the fuzzer and the JavaScript tests, and are reported (and waited for) at the end. Their
# nodes take OS-assigned ports, never the light-client test's fixed 30333. The 4-validator zndsl
# test is left to `make test-network` (the fault, governance and upgrade tests run 4 validators).
ZOO_NETWORK_TESTS="quick fault governance upgrade consortium" ZOO_UPGRADE_FROM="$release_runtime" \
	./zombienet/run-tests.sh >"$network_log" 2>&1 </dev/null &
network_pid=$!

say "runtime fuzzer: 60 s of random call sequences over every pallet, invariants after every block"
# --tests resolves features as the test build did, so the binary reuses its dependencies.
cargo build --release --locked "${pallets[@]}" -p zoo-fuzz "${features[@]}" --bins --tests 2>&1 | tee -a "$log"
"$CARGO_TARGET_DIR/release/zoo-fuzz" --duration 60s 2>&1 | tee -a "$log"
unset SKIP_WASM_BUILD

say "try-runtime: this runtime's upgrade against a snapshot of a dev chain on the previous release's runtime"
ZOO_TRY_RUNTIME_FROM="$release_runtime" ./scripts/try-runtime.sh 2>&1 | tee -a "$log"

say "polkadot.js compatibility (@polkadot/api, no custom types) against a real zoo-node"
(cd node/tests/polkadot-js && npm test --silent) 2>&1 | tee -a "$log"

say "light client: smoldot (polkadot-api) joins a real zoo-node over p2p, follows GRANDPA, reads a version"
(cd node/tests/light-client && npm test --silent) 2>&1 | tee -a "$log"

say "network tests: zombienet 2- and 4-validator networks: fault, governance, upgrade and consortium tests (started with the fuzzer)"
network_rc=0
wait "$network_pid" || network_rc=$?
network_pid=""
tee -a "$log" <"$network_log"
if [ "$network_rc" -ne 0 ]; then
	echo "network tests failed (exit $network_rc)" >&2
	exit "$network_rc"
fi

say "finished in $(( $(date +%s) - start ))s"
# One closing line over every runner above.
awk '
	/^test result:/ { passed += $4; failed += $6; ignored += $8 }
	# cargo-nextest: "Summary [ 12.3s] 40 tests run: 39 passed, 1 failed, 2 skipped"
	/^ *Summary \[/ {
		for (i = 2; i <= NF; i++) {
			word = $i; sub(/,$/, "", word)
			if (word == "passed") passed += $(i - 1)
			else if (word == "failed") failed += $(i - 1)
			else if (word == "skipped") ignored += $(i - 1)
		}
	}
	/^[0-9]+ passed, [0-9]+ failed$/ { passed += $1; failed += $3 }
	/^total: [0-9]+ passed, [0-9]+ failed$/ { passed += $2; failed += $4 }
	/^# pass [0-9]+$/ { passed += $3 }
	/^# fail [0-9]+$/ { failed += $3 }
	/^# skipped [0-9]+$/ { ignored += $3 }
	END { printf "total: %d passed, %d failed, %d skipped\n", passed, failed, ignored }
' "$log"
