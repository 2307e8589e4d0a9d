#!/usr/bin/env bash
# Runs Zoo's network tests against the zoo-node and zoo the project built:
#   1. network-2.zndsl  quick check of 2 validators (zombienet test, native provider)
#   2. network-4.zndsl  4 validators, a commit seen on all, zombienet's kill-and-restart
#   3. fault test       zoonet.py fault: SIGKILL a validator under a stream of commits, restart it
#   4. governance       zoonet.py governance --admit-only: a council motion admits a fifth
#                       validator under a stream of commits
#   5. upgrade          zoonet.py upgrade: the network starts from the previous release's runtime
#                       ($ZOO_UPGRADE_FROM, else built by scripts/build-release-runtime.sh) and is
#                       upgraded by motion to the current one ($ZOO_UPGRADE_TO, default: the
#                       build's) under a stream of commits, with the storage migration it carries
#   6. consortium       zoonet.py consortium: four members start a chain from their members file
#   governance-full (only when asked for; make test-governance): the governance test, then a
#                       motion removes a validator
#   faults (only when asked for; make test-faults): zoonet.py faults, the long fault series
# Every zombienet step counts as one test, each zoonet.py test as one. Stops everything it started,
# also on failure or Ctrl-C, and ends with `total: N passed, M failed`.
#
# Needs: `npm ci` in zombienet/ (make test-network does it), python3, and a release build
# (ZOO_NODE / ZOO override the binaries; CARGO_TARGET_DIR defaults to ~/.cache/zoo/target).
# ZOO_NETWORK_TESTS="quick four fault governance upgrade consortium" picks tests (the default set;
# "governance-full" and "faults" are the long ones; `make test` leaves out "four" for its budget); ZOO_KEEP_NETWORKS=1 keeps the logs and
# databases even when everything passed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${CARGO_TARGET_DIR:-$HOME/.cache/zoo/target}"
export ZOO_NODE="${ZOO_NODE:-$target/release/zoo-node}"
export ZOO="${ZOO:-$target/release/zoo}"
export ZOO_ZOMBIENET_DIR="$here"
export PATH="$(dirname "$ZOO_NODE"):$(dirname "$ZOO"):$PATH"
zombienet="$here/node_modules/.bin/zombienet"
tests="${ZOO_NETWORK_TESTS:-quick four fault governance upgrade consortium}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { echo "run-tests.sh: $*" >&2; echo "total: 0 passed, 1 failed"; exit 1; }

[ -x "$ZOO_NODE" ] || die "no zoo-node at $ZOO_NODE (make build)"
[ -x "$ZOO" ] || die "no zoo at $ZOO (make build)"
[ -x "$zombienet" ] || die "zombienet is not installed: (cd zombienet && npm ci)"
command -v python3 >/dev/null || die "python3 is required"
[ "$("$zombienet" version 2>/dev/null)" = "1.3.138" ] || die "expected zombienet 1.3.138: (cd zombienet && npm ci)"

work="$(mktemp -d "${TMPDIR:-/tmp}/zoo-zombienet.XXXXXX")"
passed=0
failed=0

# shellcheck source=../scripts/lib/processes.sh
. "$here/../scripts/lib/processes.sh"

# Stop whatever is left of our networks: zoo-node processes whose command line names our own
# work directory, signalled by pid (zombienet normally tears its networks down itself).
cleanup() {
	local pids=()
	mapfile -t pids < <(zoo_nodes_under "$work")
	if [ ${#pids[@]} -gt 0 ]; then
		echo "stopping ${#pids[@]} leftover node(s): ${pids[*]}"
		stop_processes TERM 10 "${pids[@]}"
	fi
	if [ "$failed" -eq 0 ] && [ -z "${ZOO_KEEP_NETWORKS:-}" ]; then
		rm -rf "$work"
	else
		echo "logs and databases kept in $work"
	fi
}
trap cleanup EXIT

# Each test runs under timeout(1), in the background so that a signal to this script is handled
# at once: the trap passes SIGTERM on (timeout hands it to zombienet or zoonet.py, which stop
# their networks), waits a bounded time, and the EXIT trap sweeps up what is left.
child=""
bounded() {
	local limit="$1" rc
	shift
	timeout --kill-after=20 "$limit" "$@" &
	child=$!
	wait "$child"
	rc=$?
	child=""
	return "$rc"
}
on_signal() {
	local i
	echo "interrupted; stopping the running test"
	if [ -n "$child" ]; then
		kill -TERM "$child" 2>/dev/null
		for i in $(seq 1 150); do
			kill -0 "$child" 2>/dev/null || break
			sleep 0.2
		done
	fi
	failed=$((failed + 1))
	echo "total: $passed passed, $failed failed"
	exit 130
}
trap on_signal INT TERM

# zombienet test: one test per ✅/❌ step; a run that fails before any step counts as one failure.
zndsl() {
	local name="$1" file="$2" limit="$3" rc ok bad result
	say "$name: zombienet -p native test $file"
	local start=$SECONDS
	bounded "$limit" "$zombienet" -p native -l text -d "$work/$name" \
		test "$here/$file" >"$work/$name.out" 2>&1 </dev/null
	rc=$?
	grep -aE ' : (✅|❌) ' "$work/$name.out" | sed -E 's/\x1b\[[0-9;]*m//g; s/^.* : //'
	# zombienet's own tally, "Result: passed/total", counts steps it never reached as failed.
	result="$(sed -nE 's/^Result: ([0-9]+)\/([0-9]+).*/\1 \2/p' "$work/$name.out" | tail -n 1)"
	if [ -n "$result" ]; then
		ok="${result% *}"
		bad=$((${result#* } - ok))
	else
		ok=$(grep -acE ' : ✅ ' "$work/$name.out")
		bad=0
	fi
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
	[ -f "$work/$name/checks.log" ] && sed 's/^/    /' "$work/$name/checks.log"
	if [ "$rc" -ne 0 ]; then
		echo "$name failed (exit $rc); last lines of $work/$name.out:"
		tail -n 40 "$work/$name.out" | sed -E 's/\x1b\[[0-9;]*m//g; s/^/    /'
	fi
	echo "$name: $ok passed, $bad failed in $((SECONDS - start))s"
	passed=$((passed + ok))
	failed=$((failed + bad))
}

# A zoonet.py test: one test, bounded by `limit` seconds; its logs stay in $work/<name>/ on failure.
zoonet() {
	local name="$1" limit="$2" what="$3" rc
	shift 3
	say "$name: zoonet.py $name ($what)"
	local start=$SECONDS
	bounded "$limit" python3 "$here/zoonet.py" "$name" --dir "$work/$name" "$@" </dev/null
	rc=$?
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		echo "$name: passed in $((SECONDS - start))s"
	else
		failed=$((failed + 1))
		echo "$name: FAILED (exit $rc) after $((SECONDS - start))s; node logs in $work/$name/"
	fi
}

# The fault series (not in the default set; `make test-faults`): ZOO_FAULT_KILLS single kills
# (default 20), then two validators down at once, a kill during catch-up and a truncated database.
# ZOO_FAULT_SEED reproduces a schedule; the table is also written as JSON to $ZOO_FAULT_JSON
# (default ${TMPDIR:-/tmp}/zoo-faults.json, outside the network directory removed on success).
faults() {
	local kills="${ZOO_FAULT_KILLS:-20}" seed=()
	[ -n "${ZOO_FAULT_SEED:-}" ] && seed=(--seed "$ZOO_FAULT_SEED")
	# a kill round takes about 45 s on this 2-core machine, the rest about 6 min: a generous bound
	zoonet faults $((1200 + 150 * kills)) "$kills single kills, two down, kill during catch-up, truncated database" \
		--network "$here/network-4.toml" --kills "$kills" --json "${ZOO_FAULT_JSON:-${TMPDIR:-/tmp}/zoo-faults.json}" \
		"${seed[@]}"
}

for t in $tests; do
	case "$t" in
	quick) zndsl quick network-2.zndsl 300 ;;
	four) zndsl four network-4.zndsl 420 ;;
	fault) zoonet fault 600 "network-4.toml, SIGKILL dave under load, restart on its database" \
		--network "$here/network-4.toml" ;;
	governance) zoonet governance 600 "network-4.toml, a fifth validator admitted by motion" \
		--network "$here/network-4.toml" --admit-only ;;
	governance-full) zoonet governance 900 "network-4.toml, a fifth validator admitted and dave removed by motion" \
		--network "$here/network-4.toml" ;;
	consortium) zoonet consortium 300 "four members start a chain from their members file: no sudo, council = validators" ;;
	upgrade)
		from="${ZOO_UPGRADE_FROM:-}"
		[ -n "$from" ] || from="$("$here/../scripts/build-release-runtime.sh")" || die "cannot build the previous release's runtime"
		[ -f "$from" ] || die "upgrade: no runtime at $from"
		zoonet upgrade 600 "network-4.toml from an earlier release's runtime, upgraded by motion under load" \
			--network "$here/network-4.toml" --from-runtime "$from" \
			--to-runtime "${ZOO_UPGRADE_TO:-$target/release/wbuild/zoo-runtime/zoo_runtime.compact.compressed.wasm}" ;;
	faults) faults ;;
	*) die "unknown test $t (quick, four, fault, governance, governance-full, consortium, upgrade, faults)" ;;
	esac
done

echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
