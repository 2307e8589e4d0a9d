#!/usr/bin/env bash
# Load and storage-growth measurements of zoo-node with zoo-bench.
#
#   scripts/bench-load.sh [instant|aura|network] [zoo-bench load options...]
#   scripts/bench-load.sh growth [zoo-bench growth options...]
#
#   instant  zoo-node --dev --instant-seal (single-state pool): a few minutes in all
#   aura     zoo-node --dev: 6 s Aura slots, GRANDPA finality (about 3 minutes)
#   network  the 4-validator zombienet network (zombienet/network-4.toml), load sent to alice
#   growth   database bytes per committed version after 10,000 commits, instant seal, the node
#            stopped gracefully before each measurement (zoo-bench starts and stops it)
#
# Starts the node or network itself on free ports, waits for its RPC, runs zoo-bench with sizes
# suited to the setup (extra options are passed on and override them, e.g. --json or
# --transfers 1000), and stops everything it started, also on failure or Ctrl-C.
# ZOO_NODE and ZOO_BENCH override the binaries (default: $CARGO_TARGET_DIR/release, with
# CARGO_TARGET_DIR defaulting to ~/.cache/zoo/target); ZOO_BENCH_KEEP=1 keeps the logs.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$HOME/.cache/zoo/target}"
node="${ZOO_NODE:-$target/release/zoo-node}"
bench="${ZOO_BENCH:-$target/release/zoo-bench}"
setup="${1:-instant}"
[ $# -gt 0 ] && shift

die() { echo "bench-load.sh: $*" >&2; exit 1; }
[ -x "$node" ] || die "no zoo-node at $node (make build)"
[ -x "$bench" ] || die "no zoo-bench at $bench (cargo build --release -p zoo-bench)"
command -v python3 >/dev/null || die "python3 is required"

work="$(mktemp -d "${TMPDIR:-/tmp}/zoo-bench.XXXXXX")"
pids=()
spawn_pid=""
status=1

# A free TCP port on 127.0.0.1.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# shellcheck source=lib/processes.sh
. "$here/scripts/lib/processes.sh"

# Stop what we started: our nodes by pid, zombienet's process group, and any zoo-node whose
# command line names our work directory (zombienet's nodes).
cleanup() {
	local all=()
	[ -n "$spawn_pid" ] && kill -TERM -- "-$spawn_pid" 2>/dev/null
	mapfile -t all < <(zoo_nodes_under "$work")
	stop_processes INT 20 "${pids[@]}" "${all[@]}"
	if [ "$status" -eq 0 ] && [ -z "${ZOO_BENCH_KEEP:-}" ]; then
		rm -rf "$work"
	else
		echo "logs kept in $work" >&2
	fi
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

# Wait until something listens on 127.0.0.1:$1 (at most $2 seconds).
wait_port() {
	local i
	for i in $(seq 1 $(($2 * 5))); do
		python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1', $1)))" && return 0
		sleep 0.2
	done
	return 1
}

# Run zoo-bench in the background so a signal reaches this script (and its trap) at once.
run_bench() {
	"$bench" "$@" &
	local child=$!
	pids+=("$child")
	wait "$child"
}

start_node() {
	local port="$1"
	shift
	"$node" "$@" --rpc-port "$port" --port "$(free_port)" --no-prometheus --no-telemetry \
		--base-path "$work/node" >"$work/node.log" 2>&1 &
	pids+=($!)
	wait_port "$port" 120 || {
		tail -n 20 "$work/node.log" >&2
		die "zoo-node did not open its RPC port $port within 120 s (log: $work/node.log)"
	}
}

case "$setup" in
instant)
	port="$(free_port)"
	# The single-state pool: the instant-seal node with the default fork-aware pool drops
	# transactions under load. Archive-canonical state so every block's weight can be read.
	start_node "$port" --dev --instant-seal --pool-type single-state --state-pruning archive-canonical
	run_bench load --url "ws://127.0.0.1:$port" --accounts 64 --transfers 10000 --commits 3000 \
		--ref-moves 2000 --mixed 2000 --timeout 120 "$@"
	status=$?
	;;
aura)
	port="$(free_port)"
	start_node "$port" --dev --state-pruning archive-canonical
	run_bench load --url "ws://127.0.0.1:$port" --accounts 64 --transfers 20000 --commits 6000 \
		--ref-moves 3000 --timeout 600 "$@"
	status=$?
	;;
network)
	zombienet="$here/zombienet/node_modules/.bin/zombienet"
	[ -x "$zombienet" ] || die "zombienet is not installed: (cd zombienet && npm ci)"
	export ZOO_NODE="$node"
	setsid "$zombienet" -p native -l text -d "$work/net" spawn "$here/zombienet/network-4.toml" \
		>"$work/zombienet.log" 2>&1 </dev/null &
	spawn_pid=$!
	for i in $(seq 1 300); do
		[ -s "$work/net/zombie.json" ] && break
		kill -0 "$spawn_pid" 2>/dev/null || die "zombienet spawn exited (log: $work/zombienet.log)"
		sleep 1
	done
	[ -s "$work/net/zombie.json" ] || die "zombienet did not spawn the network within 300 s"
	sleep 1
	url="$(python3 -c 'import json,sys; print([n["wsUri"] for n in json.load(open(sys.argv[1]))["relay"] if n["name"] == "alice"][0])' "$work/net/zombie.json")"
	echo "network spawned; load goes to alice at $url" >&2
	run_bench load --url "$url" --accounts 64 --transfers 20000 --commits 6000 --ref-moves 3000 \
		--timeout 600 "$@"
	status=$?
	;;
growth)
	port="$(free_port)"
	mkdir -p "$work/node"
	run_bench growth --node "$node" --base-path "$work/node" --url "ws://127.0.0.1:$port" --commits 10000 "$@"
	status=$?
	;;
*)
	die "unknown setup $setup (instant, aura, network or growth)"
	;;
esac
exit "$status"
