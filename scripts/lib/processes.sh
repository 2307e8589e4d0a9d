# Process helpers for the scripts that start zoo-node processes; sourced, not run.

# Print the pids of running zoo-node processes whose command line names directory $1 (a work
# directory the caller created: its nodes, including those zombienet started there).
zoo_nodes_under() {
	local f pid
	for f in /proc/[0-9]*/cmdline; do
		pid="${f#/proc/}"
		pid="${pid%/cmdline}"
		case "$(readlink "/proc/$pid/exe" 2>/dev/null)" in
		*/zoo-node) tr '\0' '\n' <"$f" 2>/dev/null | grep -qF -- "$1/" && echo "$pid" ;;
		esac
	done
	return 0
}

# Send signal $1 to the pids after $2, give them $2 seconds to exit, then SIGKILL what is left.
stop_processes() {
	local signal="$1" seconds="$2" pid alive i
	shift 2
	[ $# -gt 0 ] || return 0
	kill "-$signal" "$@" 2>/dev/null
	for i in $(seq 1 $((seconds * 5))); do
		alive=0
		for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
		[ "$alive" -eq 0 ] && return 0
		sleep 0.2
	done
	kill -KILL "$@" 2>/dev/null
	return 0
}
