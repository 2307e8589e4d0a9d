#!/usr/bin/env python3
"""The light client's cost: `zoo --light` against `zoo` over RPC, on a fresh chain and a long one.

    scripts/bench-light.py [--blocks 10000] [--repeats 3] [--json FILE]

Two chains, each a real `zoo-node --dev` (Aura slots, GRANDPA finality) on free ports:

  fresh  a new chain, measured as soon as a committed version is finalized;
  long   a chain grown to --blocks blocks first. Growing it at Aura's pace (6 s a block) would
         take 17 hours, so the node grows it with `--instant-seal --grandpa-finality`, one empty
         block per `engine_createBlock` call, finalized by its GRANDPA voter as on a live network,
         under `faketime` with its wall clock set back by blocks x 6 s (instant-seal timestamps
         advance one slot per block, so the last grown block lands just before now). It then
         restarts without instant seal on the same database and goes on with Aura.

On each chain one version (1 MiB of weights and a config) is committed over RPC and, once it is
finalized, measured --repeats times: the light client's time to its first verified answer
(`zoo --light light status`, which proves the newest finalized block and its age), the wall
time and peak memory of `zoo --light verify` and of `zoo verify` over RPC for the same version.
Prints one table; --json also writes the figures. Needs `make build` and faketime (setup).
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

TARGET = Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/zoo/target"))
NODE = Path(os.environ.get("ZOO_NODE", TARGET / "release/zoo-node"))
ZOO = Path(os.environ.get("ZOO", TARGET / "release/zoo"))
# The dev chain's fixed network key (as `make dev-aura`), so the light client's bootnode is known.
NODE_KEY = "00" * 31 + "01"
PEER_ID = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp"
SLOT_SECONDS = 6
MODEL = "bench/light"


def say(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    """A zoo-node on free ports, with its database in `base`; stopped with SIGINT."""

    def __init__(self, base, log, extra=(), env=None):
        self.rpc_port, self.p2p_port = free_port(), free_port()
        self.bootnode = f"/ip4/127.0.0.1/tcp/{self.p2p_port}/p2p/{PEER_ID}"
        args = [str(NODE), "--dev", "--no-prometheus", "--base-path", str(base), "--node-key", NODE_KEY,
                "--rpc-port", str(self.rpc_port), "--port", str(self.p2p_port), *extra]
        self.log = open(log, "ab")
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.rpc("system_health")
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    sys.exit(f"bench-light: zoo-node did not start; see {log} (work directory kept)")
                time.sleep(0.2)

    def rpc(self, method, params=()):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.rpc_port}",
            json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}).encode(),
            {"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
        if "error" in answer:
            sys.exit(f"bench-light: {method}: {answer['error']}")
        return answer["result"]

    def number(self, hash=None):
        return int(self.rpc("chain_getHeader", [hash] if hash else [])["number"], 16)

    def finalized(self):
        return self.number(self.rpc("chain_getFinalizedHead"))

    def wait_finalized(self, at_least, timeout=120):
        deadline = time.monotonic() + timeout
        while self.finalized() < at_least:
            if time.monotonic() > deadline:
                sys.exit(f"bench-light: finality did not reach #{at_least} within {timeout} s")
            time.sleep(0.5)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def run_measured(args, env):
    """Run `args` in a wrapper that reports the child's peak resident memory; (stdout, s, MiB)."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.monotonic()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "wall = time.monotonic() - t\n"
        "sys.stdout.buffer.write(p.stdout)\n"
        "sys.stderr.buffer.write(p.stderr)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(f'\\n{wall} {peak}', file=sys.stderr)\n"
        "sys.exit(p.returncode)\n"
    )
    child = subprocess.run([sys.executable, "-c", wrapper, *map(str, args)], env=env, capture_output=True)
    *stderr, figures = child.stderr.decode().rstrip().split("\n")
    if child.returncode != 0:
        sys.exit(f"bench-light: {' '.join(map(str, args))} failed: {' '.join(stderr).strip()}")
    wall, peak_kib = figures.split()
    return child.stdout.decode(), float(wall), int(peak_kib) / 1024


def zoo(node, *args):
    env = dict(os.environ, ZOO_URL=f"ws://127.0.0.1:{node.rpc_port}")
    return run_measured([ZOO, *args], env)


def commit_version(node, work):
    """Create the model and commit a 1 MiB version over RPC; its CID and directory, once final."""
    files = work / "model"
    files.mkdir()
    (files / "weights.bin").write_bytes(os.urandom(1 << 20))
    (files / "config.json").write_text("{}\n")
    zoo(node, "--key", "//Alice", "model", "create", MODEL)
    out, _, _ = zoo(node, "--key", "//Alice", "--json", "commit", files, "--model", MODEL, "-m", "bench",
                    "--no-parent")
    record = json.loads(out)
    node.wait_finalized(record["block"]["block_number"])
    return record["id"], files


def grow(node, blocks):
    """Seal `blocks` empty blocks through the manual-seal RPC; blocks per second."""
    started = time.monotonic()
    for done in range(1, blocks + 1):
        node.rpc("engine_createBlock", [True, False, None])
        if done % 2000 == 0:
            say(f"  {done} blocks sealed, #{node.finalized()} finalized")
    return blocks / (time.monotonic() - started)


def measure(node, spec, cid, files, repeats):
    light = ["--light", "--chain-spec", spec, "--bootnode", node.bootnode]
    rows = {"first_answer_ms": [], "light_status_mib": [], "light_verify_s": [], "light_verify_mib": [],
            "rpc_verify_s": [], "rpc_verify_mib": []}
    for _ in range(repeats):
        out, _, mib = zoo(node, *light, "--json", "light", "status")
        status = json.loads(out)
        rows["first_answer_ms"].append(status["synced_in_ms"])
        rows["light_status_mib"].append(mib)
        _, wall, mib = zoo(node, *light, "verify", cid, files)
        rows["light_verify_s"].append(wall)
        rows["light_verify_mib"].append(mib)
        _, wall, mib = zoo(node, "verify", cid, files)
        rows["rpc_verify_s"].append(wall)
        rows["rpc_verify_mib"].append(mib)
    figures = {key: statistics.median(values) for key, values in rows.items()}
    figures["first_answer_ms_range"] = [min(rows["first_answer_ms"]), max(rows["first_answer_ms"])]
    figures["finalized"] = status["finalized"]
    figures["verify_ratio"] = figures["light_verify_s"] / figures["rpc_verify_s"]
    return figures


def libfaketime():
    found = sorted(Path("/usr/lib").glob("*/faketime/libfaketime.so.1"))
    if not found:
        sys.exit("bench-light: libfaketime is required (scripts/setup.sh installs faketime)")
    return found[0]


def chain_case(name, work, spec, repeats, blocks=0):
    base = work / name / "db"
    (work / name).mkdir()
    log = work / name / "node.log"
    grown = None
    if blocks:
        # Wall clock back by the chain time the grown blocks take, plus ten minutes.
        behind = blocks * SLOT_SECONDS + 600
        say(f"{name}: growing {blocks} blocks (instant seal, GRANDPA finality, clock {behind} s back)")
        # libfaketime preloaded directly (not through the `faketime` wrapper, which would stand
        # between us and the node); the monotonic clock stays true, or the node's timers hang.
        clock_back = dict(os.environ, LD_PRELOAD=str(libfaketime()), FAKETIME=f"-{behind}",
                          FAKETIME_DONT_FAKE_MONOTONIC="1")
        grower = Node(base, log, ["--instant-seal", "--grandpa-finality"], clock_back)
        rate = grow(grower, blocks)
        grower.wait_finalized(blocks - 2)
        grower.stop()
        grown = round(rate)
        say(f"{name}: {blocks} blocks at {grown} blocks/s; restarting with Aura")
    node = Node(base, log)
    try:
        node.wait_finalized(blocks + 1)
        cid, files = commit_version(node, work / name)
        say(f"{name}: {cid} finalized at #{node.finalized()}; measuring")
        figures = measure(node, spec, cid, files, repeats)
    finally:
        node.stop()
    figures["chain"] = name
    figures["grown_blocks_per_s"] = grown
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--blocks", type=int, default=10_000, help="length of the long chain")
    parser.add_argument("--repeats", type=int, default=3, help="measurements per chain (medians shown)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    options = parser.parse_args()
    for tool in (NODE, ZOO):
        if not tool.exists():
            sys.exit(f"bench-light: no {tool} (make build)")
    libfaketime()

    # Kept (with the nodes' logs) when something fails.
    work = Path(tempfile.mkdtemp(prefix="zoo-bench-light."))
    spec = work / "dev-raw.json"
    spec.write_bytes(subprocess.run([NODE, "build-spec", "--chain", "dev", "--raw", "--disable-default-bootnode"],
                                    capture_output=True, check=True).stdout)
    results = [chain_case("fresh", work, spec, options.repeats),
               chain_case("long", work, spec, options.repeats, options.blocks)]
    shutil.rmtree(work)

    print(f"{'chain':<7} {'finalized':>9} {'first answer (ms)':>19} {'light MiB':>9} "
          f"{'light verify':>12} {'rpc verify':>10} {'ratio':>6} {'light verify MiB':>16} {'rpc MiB':>7}")
    for r in results:
        low, high = r["first_answer_ms_range"]
        print(f"{r['chain']:<7} {'#' + str(r['finalized']):>9} {r['first_answer_ms']:>6.0f} ({low}-{high}){'':>4} "
              f"{r['light_status_mib']:>9.0f} {r['light_verify_s']:>11.2f}s {r['rpc_verify_s']:>9.2f}s "
              f"{r['verify_ratio']:>6.1f} {r['light_verify_mib']:>16.0f} {r['rpc_verify_mib']:>7.0f}")
    grown = results[1]["grown_blocks_per_s"]
    print(f"(medians of {options.repeats}; the long chain was grown at {grown} blocks/s)")
    if options.json:
        options.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
