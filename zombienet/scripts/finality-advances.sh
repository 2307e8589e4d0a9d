#!/usr/bin/env bash
# zndsl `run` step: every node has peers and finalizes more blocks.
# zombienet copies this file into <network dir>/<node>/ and runs it there, with zombienet's
# environment, so zoonet.py is found through ZOO_ZOMBIENET_DIR (set by run-tests.sh) and the
# network through ../zombie.json. Output goes to ../checks.log (zombienet hides a script's output).
# Arguments: minimum peers per node, finalized blocks to wait for.
set -euo pipefail
: "${ZOO_ZOMBIENET_DIR:?set ZOO_ZOMBIENET_DIR to the zombienet/ directory (run-tests.sh does)}"
python3 "$ZOO_ZOMBIENET_DIR/zoonet.py" finality-advances --zombie ../zombie.json \
	--min-peers "${1:-1}" --blocks "${2:-2}" --timeout 90 >>../checks.log 2>&1 ||
	{ echo "finality-advances failed; see $(cd .. && pwd)/checks.log" >&2; exit 1; }
