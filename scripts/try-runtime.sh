#!/usr/bin/env bash
# `make try-runtime`: this runtime's upgrade checked against a snapshot of a live chain.
#
# Starts a development zoo-node on the previous release's runtime (ZOO_TRY_RUNTIME_FROM, a runtime
# blob from scripts/build-release-runtime.sh; this build's own runtime when unset, which leaves
# no migration pending), gives it state the way users do (organisations, models, versions with
# metrics and licences, a branch, a stake, an open dispute), saves its whole state at the newest
# block (`state_getPairs`, which a node answers on its own machine), stops it, and runs
# `zoo-try-runtime` on the snapshot: every migration with its pre/post_upgrade checks, the whole
# state decoded with this runtime's types, every pallet's try_state. ZOO_TRY_RUNTIME_SNAPSHOT=FILE
# checks an existing snapshot (say, one saved from a consortium's node with
# scripts/try-runtime.sh --save FILE --url ws://...) instead of making one.
#
# Expects `make build` and the fuzzer's binaries (`make fuzz` or `make test` build them).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zoo/target}"
release="$CARGO_TARGET_DIR/release"
node="${ZOO_NODE:-$release/zoo-node}"
zoo="${ZOO:-$release/zoo}"
check="$release/zoo-try-runtime"
save=""
url=""
while [ $# -gt 0 ]; do
	case "$1" in
	--save) save="$2"; shift 2 ;;
	--url) url="$2"; shift 2 ;;
	*) echo "usage: scripts/try-runtime.sh [--save FILE [--url http(s)/ws URL of a node]]" >&2; exit 2 ;;
	esac
done
[ -x "$check" ] || { echo "no $check: build it with make fuzz (or make test)" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/zoo-try-runtime.XXXXXX")"
node_pid=""
cleanup() {
	if [ -n "$node_pid" ]; then kill -TERM "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

# The whole state at the newest block, as JSON for zoo-try-runtime (python3's standard library:
# JSON-RPC over HTTP, which a node serves on its RPC port beside WebSocket).
snapshot() {
	python3 - "$1" "$2" <<'EOF'
import json, sys, urllib.request
url, out = sys.argv[1].replace("ws://", "http://").replace("wss://", "https://"), sys.argv[2]
def rpc(method, params):
	request = urllib.request.Request(url, json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode(),
		{"Content-Type": "application/json"})
	answer = json.load(urllib.request.urlopen(request, timeout=120))
	if "error" in answer:
		sys.exit(f"{method}: {answer['error']}")
	return answer["result"]
block = rpc("chain_getBlockHash", [])
header = rpc("chain_getHeader", [block])
version = rpc("state_getRuntimeVersion", [block])
pairs = rpc("state_getPairs", ["0x", block])
with open(out, "w") as f:
	json.dump({"block": block, "number": int(header["number"], 16), "spec_version": version["specVersion"], "pairs": pairs}, f)
print(f"saved the state of block #{int(header['number'], 16)} {block} ({len(pairs)} keys) to {out}")
EOF
}

if [ -n "$save" ]; then
	[ -n "$url" ] || { echo "--save needs --url" >&2; exit 2; }
	snapshot "$url" "$save"
	exit 0
fi

file="${ZOO_TRY_RUNTIME_SNAPSHOT:-}"
if [ -z "$file" ]; then
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	chain=(--dev)
	if [ -n "${ZOO_TRY_RUNTIME_FROM:-}" ]; then
		# The development spec with the release's code: that runtime builds the genesis state.
		"$node" build-spec --chain dev --disable-default-bootnode 2>/dev/null | python3 -c '
import json, sys
spec = json.load(sys.stdin)
with open(sys.argv[1], "rb") as f:
	spec["genesis"]["runtimeGenesis"]["code"] = "0x" + f.read().hex()
json.dump(spec, sys.stdout)' "$ZOO_TRY_RUNTIME_FROM" >"$work/release-dev.json"
		chain=(--dev --chain "$work/release-dev.json")
		echo "starting a development chain on the runtime in $ZOO_TRY_RUNTIME_FROM"
	fi
	"$node" "${chain[@]}" --instant-seal --base-path "$work/chain" --rpc-port "$port" --port 0 --no-prometheus \
		--no-telemetry --no-mdns >"$work/node.log" 2>&1 &
	node_pid=$!
	for _ in $(seq 1 120); do
		python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
		sleep 0.5
	done
	# zoo's progress goes to a log, shown only if a command fails.
	quietly() { "$@" 2>>"$work/zoo.log" || { cat "$work/zoo.log" >&2; return 1; }; }
	as_alice=(quietly "$zoo" --url "ws://127.0.0.1:$port" --key //Alice)
	mkdir -p "$work/model"
	head -c 65536 /dev/urandom >"$work/model/weights.bin"
	echo '{"layers": 3}' >"$work/model/config.json"
	"${as_alice[@]}" model create acme/resnet >/dev/null
	first=$("${as_alice[@]}" --json commit "$work/model" --model acme/resnet -m "first" --metric accuracy=0.87 \
		--license Apache-2.0 --branch main | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
	echo '{"layers": 4}' >"$work/model/config.json"
	"${as_alice[@]}" commit "$work/model" --model acme/resnet -m "second" --metric accuracy=0.9 \
		--license Apache-2.0 --parent "$first" --branch main >/dev/null
	"${as_alice[@]}" model create acme/chat >/dev/null
	# Two names that only punctuation tells apart, both allowed before spec 102: the registry's
	# v2 migration keeps both and indexes one.
	"${as_alice[@]}" org create open-ai >/dev/null
	quietly "$zoo" --url "ws://127.0.0.1:$port" --key //Dave org create openai >/dev/null
	"${as_alice[@]}" commit "$work/model" --model acme/chat -m "derived" --parent "$first:finetune" >/dev/null
	quietly "$zoo" --url "ws://127.0.0.1:$port" --key //Bob stake "$first" 5 >/dev/null
	quietly "$zoo" --url "ws://127.0.0.1:$port" --key //Charlie dispute open "$first" --reason fake-metrics \
		--evidence https://evidence.example/try-runtime >/dev/null
	file="$work/snapshot.json"
	snapshot "ws://127.0.0.1:$port" "$file"
	kill -TERM "$node_pid"
	wait "$node_pid" || true
	node_pid=""
fi
"$check" --snapshot "$file"
