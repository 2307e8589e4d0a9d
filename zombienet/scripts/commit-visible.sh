#!/usr/bin/env bash
# zndsl `run` step: `zoo commit` through the node this runs on (zombienet runs it in
# <network dir>/<node>/), then the commit must be finalized, with the same block, and shown with
# the same manifest and record by `zoo show --json` on every node.
# Needs ZOO_ZOMBIENET_DIR (run-tests.sh sets it) and `zoo` on PATH or in ZOO.
# Argument: number of commits (default 1). Output goes to ../checks.log.
set -euo pipefail
: "${ZOO_ZOMBIENET_DIR:?set ZOO_ZOMBIENET_DIR to the zombienet/ directory (run-tests.sh does)}"
python3 "$ZOO_ZOMBIENET_DIR/zoonet.py" commit-visible --zombie ../zombie.json \
	--via "$(basename "$PWD")" --count "${1:-1}" --timeout 60 >>../checks.log 2>&1 ||
	{ echo "commit-visible failed; see $(cd .. && pwd)/checks.log" >&2; exit 1; }
