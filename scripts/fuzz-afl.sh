#!/usr/bin/env bash
# Coverage-guided fuzzing of the runtime with AFL++: runs `afl-fuzz` on the instrumented
# `zoo-fuzz-afl` for DURATION seconds, prints the campaign's figures, and replays every crash it
# saved through `zoo-fuzz --input` (which prints the broken invariant and the shrunk sequence).
# Exits 1 if there was a crash. Called by `make fuzz-afl`, after the two builds.
#
#   scripts/fuzz-afl.sh TARGET OUT DURATION BLOCKS CALLS [JOBS]
#
# TARGET is the instrumented binary, OUT the campaign directory (an existing one is resumed, so
# the corpus grows across runs), JOBS the number of afl-fuzz instances (default 1: one main, the
# others secondaries sharing its corpus). `zoo-fuzz` is taken from $CARGO_TARGET_DIR/release.
set -euo pipefail
[ $# -eq 5 ] || [ $# -eq 6 ] || { sed -n 7p "$0" >&2; exit 2; }
target=$1 out=$2 duration=$3 blocks=$4 calls=$5 jobs=${6:-1}
replay="${CARGO_TARGET_DIR:?}/release/zoo-fuzz"

# A fresh campaign starts from a few inputs of different lengths (any bytes make a sequence);
# they are derived, not random, so two campaigns start alike.
seeds="$out/seeds"
if [ ! -d "$seeds" ]; then
	mkdir -p "$seeds"
	python3 - "$seeds" <<-'EOF'
		import hashlib, sys
		for n, size in enumerate((8, 64, 256, 1024)):
		    stream = b"".join(hashlib.sha256(b"zoo-afl-%d-%d" % (n, i)).digest() for i in range(size // 32 + 1))
		    open(f"{sys.argv[1]}/seed-{size}", "wb").write(stream[:size])
	EOF
fi

echo "==> afl-fuzz for ${duration} s on $target, $jobs instance(s) (campaign in $out)"
# Persistent mode delivers inputs in memory; the genesis is built once before the fork server.
# Containers rarely let afl-fuzz set the CPU governor or core_pattern; neither changes results.
# A sequence's coverage varies a little from run to run (stability about 98 %), and AFL would
# then calibrate every new input dozens of times: in a first hour 69 % of the time went there.
# Three runs are enough (AFL_FAST_CAL). cargo-afl turns CmpLog on (-c0), but AFL++ is built here
# without the LLVM plugins that instrument comparisons, so it is turned off again (-c -).
export ZOO_FUZZ_BLOCKS=$blocks ZOO_FUZZ_CALLS=$calls AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 \
	AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_AUTORESUME=1 AFL_FORKSRV_INIT_TMOUT=60000 \
	AFL_FAST_CAL=1
# afl-fuzz's -V counts fuzzing time only (not calibration), so the wall clock is kept by
# `timeout`, which interrupts its whole process group: cargo-afl and the afl-fuzz it runs, which
# then saves its figures and exits.
instance() { # NAME ROLE
	local status=0
	timeout -s INT "$duration" cargo afl fuzz -c - -i "$seeds" -o "$out" "$2" "$1" -t 20000 -m none \
		-- "$target" >"$out/$1.log" 2>&1 || status=$?
	if [ "$status" -ne 0 ] && [ "$status" -ne 124 ]; then
		tail -n 30 "$out/$1.log" >&2
		echo "afl-fuzz $1 failed; its log is $out/$1.log" >&2
		return 1
	fi
}
# Whether an afl-fuzz of this campaign is still running (it outlives cargo-afl for a moment).
afl_fuzz_running() {
	local f cmd
	for f in /proc/[0-9]*/cmdline; do
		cmd=$(tr '\0' ' ' <"$f" 2>/dev/null) || continue
		[[ "$cmd" == */afl-fuzz\ * && "$cmd" == *" -o $out "* ]] && return 0
	done
	return 1
}
names=(main)
for ((i = 1; i < jobs; i++)); do names+=("secondary$i"); done
pids=()
for name in "${names[@]}"; do
	role=-S
	[ "$name" = main ] && role=-M
	instance "$name" "$role" &
	pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
for _ in $(seq 120); do afl_fuzz_running || break; sleep 1; done
[ "$failed" -eq 0 ] || exit 1

# A resumed campaign's figures are its totals since it began; afl-fuzz moves the crashes of
# earlier runs to crashes.<date>/, so crashes/ holds this run's.
crashes=("$out"/*/crashes/id:*)
[ -e "${crashes[0]}" ] || crashes=()
echo "==> campaign figures, totals since it began (${names[*]}: $out/*/fuzzer_stats)"
field() { sed -n "s/^$2 *: //p" "$out/$1/fuzzer_stats"; }
sum() { local name total=0; for name in "${names[@]}"; do total=$((total + $(field "$name" "$1"))); done; echo "$total"; }
# Each instance reports the edges it has seen; the main one imports the others' finds.
printf '  %-16s %s\n' \
	"run time s" "$(field main run_time)" \
	"executions" "$(sum execs_done)" \
	"executions/s" "$(for name in "${names[@]}"; do field "$name" execs_per_sec; done | awk '{s += $1} END {print s}')" \
	"corpus" "$(field main corpus_count) inputs in main ($(field main corpus_found) found by it, $(field main max_depth) deep)" \
	"edges found" "$(field main edges_found) of $(field main total_edges) ($(field main bitmap_cvg))" \
	"stability" "$(field main stability)" \
	"crashes" "${#crashes[@]} this run, $(sum saved_crashes) in the campaign" \
	"hangs" "$(sum saved_hangs) (inputs over the 20 s timeout)"

[ ${#crashes[@]} -gt 0 ] || { echo "no crash this run: no invariant broken"; exit 0; }
echo "==> replaying ${#crashes[@]} crash(es) with zoo-fuzz --input"
for crash in "${crashes[@]}"; do
	"$replay" --input "$crash" --blocks "$blocks" --calls "$calls" || true
done
exit 1
