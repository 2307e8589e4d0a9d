#!/usr/bin/env python3
"""Behavioural checks and the fault test for Zoo networks started by zombienet.

Standard library only. Talks to the nodes with JSON-RPC over HTTP (zoo-node serves HTTP and
WebSocket on the same --rpc-port) and to the ModelRegistry through our own `zoo` client, so the
checks exercise the client users run rather than zombienet's bundled @polkadot/api.

Subcommands
  finality-advances  every node is peered and its finalized height advances
  commit-visible     a `zoo commit` sent to one node is finalized and identical on every node
  fault              4 validators under a stream of commits: SIGKILL one, restart it on its
                     database, check finality, catch-up and every commit on every node

The first two read the network from zombienet's zombie.json (zombienet runs `.zndsl` scripts in
<network dir>/<node>/, so it is ../zombie.json there). `fault` spawns network-4.toml itself with
`zombienet -p native spawn` and manages the node processes by the PIDs zombie.json records.

Every loop is bounded in iterations and time; all traffic goes to 127.0.0.1.
"""

import argparse
import json
import os
import random
import shlex
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
# twox128("Timestamp") ++ twox128("Now"): the block's timestamp in milliseconds.
TIMESTAMP_NOW = "0xf0c365c3cf59d671eb72da0e7a4113c49f1f0515f462cdcf84e0f1d6045dfcbb"


def log(msg):
	print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


class CheckFailed(Exception):
	pass


def check(cond, msg):
	if not cond:
		raise CheckFailed(msg)


# ---------------------------------------------------------------------------------------------
# Nodes


class Node:
	def __init__(self, name, ws_uri):
		self.name = name
		self.ws = ws_uri
		check(ws_uri.startswith("ws://127.0.0.1:"), f"{name}: not a local endpoint: {ws_uri}")
		self.http = "http://" + ws_uri[len("ws://"):]

	def rpc(self, method, params=None, timeout=5):
		body = json.dumps({"id": 1, "jsonrpc": "2.0", "method": method, "params": params or []})
		req = urllib.request.Request(
			self.http, data=body.encode(), headers={"content-type": "application/json"}
		)
		with urllib.request.urlopen(req, timeout=timeout) as resp:
			out = json.loads(resp.read())
		if "error" in out:
			raise RuntimeError(f"{self.name} {method}: {out['error']}")
		return out["result"]

	def best(self):
		return int(self.rpc("chain_getHeader")["number"], 16)

	def finalized(self):
		head = self.rpc("chain_getFinalizedHead")
		return int(self.rpc("chain_getHeader", [head])["number"], 16)

	def heights(self):
		"""(best, finalized), or None when the node does not answer."""
		try:
			return self.best(), self.finalized()
		except Exception:
			return None

	def peers(self):
		return self.rpc("system_health")["peers"]

	def block_hash(self, number):
		return self.rpc("chain_getBlockHash", [number])

	def timestamp_ms(self, number):
		raw = self.rpc("state_getStorage", [TIMESTAMP_NOW, self.block_hash(number)])
		return int.from_bytes(bytes.fromhex(raw[2:]), "little")


def load_nodes(zombie_json):
	with open(zombie_json) as f:
		net = json.load(f)
	return [Node(n["name"], n["wsUri"]) for n in net["relay"]], net


def zoo_bin():
	return os.environ.get("ZOO") or "zoo"


def zoo(args, timeout=120):
	"""Run the zoo client; returns parsed JSON from stdout."""
	cmd = [zoo_bin(), *args]
	try:
		p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
	except subprocess.TimeoutExpired:
		raise CheckFailed(f"timed out after {timeout}s: {shlex.join(cmd)}")
	if p.returncode != 0:
		raise CheckFailed(f"{shlex.join(cmd)} exited {p.returncode}: {p.stderr.strip()[-800:]}")
	return json.loads(p.stdout)


# Fields of `zoo show` that grow after the commit (later versions, ref moves); the rest is the
# version's immutable record, which every node must show identically.
GROWING_FIELDS = ("children", "refs")


def show(node, cid):
	record = zoo(["--url", node.ws, "show", cid, "--json"], timeout=30)
	for field in GROWING_FIELDS:
		record.pop(field, None)
	return record


def wait_for(what, fn, timeout, interval=0.5):
	"""Call fn until it returns a truthy value; bounded by time and by a count of tries."""
	deadline = time.monotonic() + timeout
	for _ in range(int(timeout / interval) + 2):
		try:
			v = fn()
		except Exception:
			v = None
		if v:
			return v
		if time.monotonic() >= deadline:
			break
		time.sleep(interval)
	raise CheckFailed(f"timed out after {timeout}s waiting for {what}")


def wait_visible(nodes, cid, number, block_hash, reference, timeout, abort=None):
	"""Wait until every node has finalized `number` with `block_hash` canonical there and shows
	the very record `reference`. Returns the time (monotonic) when the last node got there, or
	None as soon as `abort()` is true."""
	pending = list(nodes)
	deadline = time.monotonic() + timeout
	for _ in range(int(timeout / 0.25) + 2):
		if abort and abort():
			return None
		for n in list(pending):
			try:
				if n.finalized() < number or n.block_hash(number) != block_hash:
					continue
				got = show(n, cid)
			except Exception:
				continue
			if got != reference:
				raise CheckFailed(
					f"{n.name} shows a different record for {cid}:\n{json.dumps(got, sort_keys=True)}\n"
					f"expected:\n{json.dumps(reference, sort_keys=True)}"
				)
			pending.remove(n)
		if not pending:
			return time.monotonic()
		if time.monotonic() >= deadline:
			break
		time.sleep(0.25)
	raise CheckFailed(
		f"{cid} (block #{number}) not finalized and visible on {[n.name for n in pending]} "
		f"within {timeout}s"
	)


def fresh_model_name(tag, key):
	# Organisations are owned namespaces: each signing key gets its own (`//Bob` -> `zn-bob`).
	org = "zn-" + "".join(c for c in key.lower() if c.isalnum())
	return f"{org}/{tag}-{os.getpid()}-{random.randrange(16**6):06x}"


def write_artifact(directory, seq, tag):
	os.makedirs(directory, exist_ok=True)
	with open(os.path.join(directory, "weights.bin"), "wb") as f:
		f.write(f"{tag} {seq} {time.time_ns()} ".encode() + os.urandom(1024))


def commit_once(node, key, model, directory, message):
	t0 = time.monotonic()
	out = zoo(
		["--url", node.ws, "--key", key, "commit", directory, "-m", message, "--model", model, "--json"],
		timeout=120,
	)
	t1 = time.monotonic()
	check("id" in out, f"zoo commit --json lacks id: {out}")
	for field in ("block_number", "block_hash"):
		check(field in out.get("block", {}), f"zoo commit --json lacks block.{field}: {out}")
	return out, t0, t1


# ---------------------------------------------------------------------------------------------
# zndsl checks


def cmd_finality_advances(a):
	nodes, _ = load_nodes(a.zombie)
	for n in nodes:
		wait_for(f"{n.name} to have {a.min_peers} peers", lambda n=n: n.peers() >= a.min_peers, a.timeout)
	start = {n.name: n.finalized() for n in nodes}
	log("finalized at start: " + ", ".join(f"{k} #{v}" for k, v in start.items()))
	for n in nodes:
		wait_for(
			f"{n.name} to finalize {a.blocks} more blocks",
			lambda n=n: n.finalized() >= start[n.name] + a.blocks,
			a.timeout,
		)
	log("finalized now: " + ", ".join(f"{n.name} #{n.finalized()}" for n in nodes))
	log(f"ok: {len(nodes)} nodes with >= {a.min_peers} peers, each finalized >= {a.blocks} more blocks")


def cmd_commit_visible(a):
	nodes, _ = load_nodes(a.zombie)
	via = next((n for n in nodes if n.name == a.via), None)
	check(via is not None, f"no node {a.via} in {a.zombie}")
	model = fresh_model_name(f"visible-{via.name}", a.key)
	workdir = os.path.abspath(a.workdir or f"zoo-commit-{os.getpid()}")
	zoo(["--url", via.ws, "--key", a.key, "model", "create", model, "--json"])
	log(f"created {model} through {via.name}")
	times = []
	for i in range(a.count):
		write_artifact(workdir, i, model)
		out, t0, t1 = commit_once(via, a.key, model, workdir, f"zombienet check {i}")
		cid, number = out["id"], out["block"]["block_number"]
		reference = show(via, cid)
		check(reference["id"] == cid and reference["committed_in"] == number, f"unexpected record {reference}")
		t2 = wait_visible(nodes, cid, number, out["block"]["block_hash"], reference, a.timeout)
		times.append((t1 - t0, t2 - t0))
		log(
			f"{cid} in #{number}: finalized on {via.name} after {t1 - t0:.1f}s, "
			f"finalized and identical on all {len(nodes)} nodes after {t2 - t0:.1f}s"
		)
	fin = [t[0] for t in times]
	vis = [t[1] for t in times]
	log(
		f"ok: {a.count} commits through {via.name}; finalized mean {statistics.mean(fin):.1f}s, "
		f"visible+finalized on all {len(nodes)} nodes mean {statistics.mean(vis):.1f}s max {max(vis):.1f}s"
	)


# ---------------------------------------------------------------------------------------------
# Fault test


class Network:
	"""A `zombienet spawn` of one network file, and the node processes it started."""

	def __init__(self, network_file, base_dir):
		self.network_file = network_file
		self.dir = base_dir
		self.proc = None
		self.nodes = []
		self.pids = {}  # node name -> pid of the zoo-node process we may signal
		self.cmds = {}
		self.logs = {}
		self.extra = []  # processes we started ourselves (restarted nodes)

	def spawn(self, timeout):
		zombienet = os.path.join(HERE, "node_modules", ".bin", "zombienet")
		check(os.path.exists(zombienet), "zombienet is not installed: run `npm ci` in zombienet/")
		out = open(self.dir + ".spawn.log", "w")
		self.proc = subprocess.Popen(
			[zombienet, "-p", "native", "-l", "text", "-d", self.dir, "spawn", self.network_file],
			stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
		)
		zj = os.path.join(self.dir, "zombie.json")

		def ready():
			check(self.proc.poll() is None, f"zombienet spawn exited {self.proc.returncode}, see {out.name}")
			return os.path.exists(zj) and os.path.getsize(zj) > 0

		wait_for("zombienet to spawn the network", ready, timeout, interval=1)
		time.sleep(0.5)
		self.nodes, net = load_nodes(zj)
		pm = net["client"]["processMap"]
		for n in self.nodes:
			self.pids[n.name] = pm[n.name]["pid"]
			self.cmds[n.name] = pm[n.name]["cmd"]
			self.logs[n.name] = pm[n.name]["logs"]
			check(self.is_our_node(n.name, self.pids[n.name]), f"pid {self.pids[n.name]} is not {n.name}")

	def is_our_node(self, name, pid):
		try:
			with open(f"/proc/{pid}/cmdline", "rb") as f:
				argv = f.read().split(b"\0")
		except OSError:
			return False
		return b"--name" in argv and argv[argv.index(b"--name") + 1] == name.encode() and any(
			self.dir.encode() in x for x in argv
		)

	def node(self, name):
		return next(n for n in self.nodes if n.name == name)

	def kill(self, name):
		pid = self.pids[name]
		check(self.is_our_node(name, pid), f"pid {pid} is not our {name}")
		os.kill(pid, signal.SIGKILL)
		wait_for(f"{name} (pid {pid}) to exit", lambda: not self.is_our_node(name, pid), 10, 0.1)

	def restart(self, name):
		"""Start the node again with zombienet's own command line: same base path (database),
		node key, ports and keystore."""
		logf = open(self.logs[name], "ab")
		p = subprocess.Popen(
			["bash", "-c", *self.cmds[name]], stdout=logf, stderr=subprocess.STDOUT,
			stdin=subprocess.DEVNULL, start_new_session=True,
		)
		self.extra.append(p)
		self.pids[name] = p.pid
		return p

	def stop(self):
		"""Stop every node (by pid) and then zombienet itself. Nodes first, so zombienet has
		nothing left to tear down and signals no pid that is not ours."""
		for name, pid in self.pids.items():
			if self.is_our_node(name, pid):
				try:
					os.kill(pid, signal.SIGTERM)
				except OSError:
					pass
		deadline = time.monotonic() + 15
		for name, pid in self.pids.items():
			while self.is_our_node(name, pid) and time.monotonic() < deadline:
				time.sleep(0.2)
			if self.is_our_node(name, pid):
				os.kill(pid, signal.SIGKILL)
		for p in self.extra:
			try:
				p.wait(timeout=5)
			except subprocess.TimeoutExpired:
				p.kill()
		if self.proc and self.proc.poll() is None:
			self.proc.kill()  # SIGKILL: its nodes are already gone
			self.proc.wait(timeout=10)


class Stream(threading.Thread):
	"""Commits new versions of one model through one node, one after another, recording each
	commit, the phase it was submitted in, and when it was finalized and visible everywhere."""

	def __init__(self, net, state, via, key, workdir, max_commits):
		super().__init__(daemon=True)
		self.net, self.state, self.via, self.key = net, state, via, key
		self.workdir, self.max_commits = workdir, max_commits
		self.model = fresh_model_name(f"fault-{via.name}", key)
		self.commits = []
		self.error = None
		self.stop_event = threading.Event()

	def run(self):
		try:
			zoo(["--url", self.via.ws, "--key", self.key, "model", "create", self.model, "--json"])
			for i in range(self.max_commits):
				if self.stop_event.is_set():
					break
				phase = self.state["phase"]
				epoch = self.state["down_epoch"]
				write_artifact(self.workdir, i, self.model)
				out, t0, t1 = commit_once(self.via, self.key, self.model, self.workdir, f"{phase} {i}")
				rec = {
					"cid": out["id"], "block": out["block"]["block_number"], "hash": out["block"]["block_hash"],
					"submitted_in": phase, "finalized_in": self.state["phase"], "via": self.via.name,
					"t_finalized": t1 - t0, "t_visible": None,
				}
				rec["show"] = show(self.via, rec["cid"])
				self.commits.append(rec)
				# Time to finalized-and-identical on all four, for commits whose whole life
				# had all four nodes up.
				def outage_began():
					return self.state["down_epoch"] != epoch or self.state["down"] is not None

				if not outage_began():
					t2 = wait_visible(
						self.net.nodes, rec["cid"], rec["block"], rec["hash"], rec["show"], 60, abort=outage_began
					)
					if t2 is not None and not outage_began():
						rec["t_visible"] = t2 - t0
		except Exception as e:  # reported by the main thread
			self.error = e

	def finalized_in(self, phase):
		return [c for c in self.commits if c["submitted_in"] == phase]


def cmd_fault(a):
	base = os.path.abspath(a.dir)
	check(not os.path.exists(base), f"{base} exists; give a fresh --dir")
	os.makedirs(os.path.dirname(base), exist_ok=True)
	net = Network(os.path.abspath(a.network), base)
	state = {"phase": "before", "down": None, "down_epoch": 0}
	samples = []  # (monotonic, name, best, finalized)
	sampler_stop = threading.Event()
	streams = []
	victim = a.victim
	results = {}

	def sampler():
		for _ in range(int(a.max_seconds / 1.0) + 1):
			if sampler_stop.is_set():
				return
			for n in net.nodes:
				if n.name == state["down"]:
					continue
				h = n.heights()
				if h:
					samples.append((time.monotonic(), n.name, state["phase"], h[0], h[1]))
			sampler_stop.wait(1.0)

	def stop_all(*_):
		raise KeyboardInterrupt

	signal.signal(signal.SIGTERM, stop_all)
	t_start = time.monotonic()
	try:
		log(f"spawning {a.network} with zombienet (native) in {base}")
		net.spawn(a.spawn_timeout)
		names = [n.name for n in net.nodes]
		check(victim in names, f"no node {victim} in {names}")
		check(len(names) >= 4, f"the fault test needs 4 validators, got {names}")
		log("nodes: " + ", ".join(f"{n.name} {n.ws} pid {net.pids[n.name]}" for n in net.nodes))
		for n in net.nodes:
			wait_for(f"{n.name} to have {len(names) - 1} peers", lambda n=n: n.peers() >= len(names) - 1, 60)
		for n in net.nodes:
			wait_for(f"{n.name} to finalize a block", lambda n=n: n.finalized() >= 1, 90)
		h_first = net.node(names[0]).finalized()
		threading.Thread(target=sampler, daemon=True).start()

		vias = [n for n in net.nodes if n.name != victim][:2]
		keys = ["//Alice", "//Bob", "//Charlie", "//Dave"]
		for i, via in enumerate(vias):
			streams.append(Stream(net, state, via, keys[i], os.path.join(base, f"work-{via.name}"), a.max_commits))
		for s in streams:
			s.start()
		log(f"commit streams through {[v.name for v in vias]}; phase 'before'")

		def streams_ok():
			for s in streams:
				if s.error:
					raise CheckFailed(f"commit stream through {s.via.name}: {s.error}")
			return True

		def each_stream_has(phase, n=1):
			streams_ok()
			return all(len(s.finalized_in(phase)) >= n for s in streams)

		wait_for("a finalized commit from each stream before the outage", lambda: each_stream_has("before"), 120, 1)

		# Outage
		others = [n for n in net.nodes if n.name != victim]
		at_kill = {n.name: n.finalized() for n in others}
		state["down_epoch"] += 1
		state["down"] = victim
		state["phase"] = "outage"
		h_kill = max(n.best() for n in others)
		net.kill(victim)
		t_kill = time.monotonic()
		log(f"SIGKILLed {victim}; finalized on the others: {at_kill}")
		time.sleep(a.outage)
		wait_for("a commit submitted during the outage to finalize, per stream", lambda: each_stream_has("outage"), 90, 1)
		at_end = {n.name: n.finalized() for n in others}
		for n in others:
			check(
				at_end[n.name] >= at_kill[n.name] + 2,
				f"finality stalled on {n.name} while {victim} was down: #{at_kill[n.name]} -> #{at_end[n.name]}",
			)
		log(f"finality advanced without {victim} over {time.monotonic() - t_kill:.0f}s: {at_kill} -> {at_end}")
		results["outage_seconds"] = time.monotonic() - t_kill

		# Restart on the same database and measure catch-up
		target_fin = max(n.finalized() for n in others)
		target_best = max(n.best() for n in others)
		h_restart = target_best
		net.restart(victim)
		t_restart = time.monotonic()
		state["phase"] = "after"
		v = net.node(victim)
		log(f"restarted {victim} (pid {net.pids[victim]}); network at best #{target_best}, finalized #{target_fin}")
		wait_for(f"{victim} to answer RPC", lambda: v.heights() is not None, 60, 0.2)
		t_rpc = time.monotonic()
		h0 = v.heights()
		check(h0[0] > 0, f"{victim} restarted from an empty database (best #{h0[0]})")
		log(f"{victim} answers after {t_rpc - t_restart:.1f}s at best #{h0[0]}, finalized #{h0[1]} (its database)")
		wait_for(
			f"{victim} to catch up",
			lambda: (lambda h: h and h[0] >= target_best and h[1] >= target_fin)(v.heights()),
			a.catchup_timeout, 0.2,
		)
		t_caught = time.monotonic()
		results["catchup_seconds"] = t_caught - t_restart
		log(f"{victim} caught up (best >= #{target_best}, finalized >= #{target_fin}) {t_caught - t_restart:.1f}s after restart")
		state["down"] = None
		wait_for(f"{victim} to have peers again", lambda: v.peers() >= len(names) - 1, 60)

		wait_for("a finalized commit from each stream after the restart", lambda: each_stream_has("after"), 120, 1)
		for s in streams:
			s.stop_event.set()
		for s in streams:
			s.join(timeout=150)
			check(not s.is_alive(), f"commit stream through {s.via.name} did not stop")
		streams_ok()
		sampler_stop.set()

		# Every commit on every node, finalized and unchanged
		commits = [c for s in streams for c in s.commits]
		log(f"verifying {len(commits)} commits on {len(net.nodes)} nodes")
		for c in commits:
			wait_visible(net.nodes, c["cid"], c["block"], c["hash"], c["show"], 60)
		by_phase = {p: sum(1 for c in commits if c["submitted_in"] == p) for p in ("before", "outage", "after")}
		log(f"all {len(commits)} commits present and identical on every node: {by_phase}")

		# Figures
		ref = net.node(names[0])
		h_last = min(n.finalized() for n in net.nodes)
		ts = (ref.timestamp_ms(h_last) - ref.timestamp_ms(h_first)) / 1000
		results["mean_block_interval"] = ts / (h_last - h_first)

		def interval(h1, h2):
			if h2 <= h1:
				return float("nan")
			return (ref.timestamp_ms(h2) - ref.timestamp_ms(h1)) / 1000 / (h2 - h1)

		results["interval_outage"] = interval(h_kill, h_restart)
		results["interval_up"] = interval(h_first, h_kill)
		results["blocks"] = (h_first, h_last)
		lags = [b - f for (_, _, _, b, f) in samples]
		results["lag_mean"] = statistics.mean(lags)
		results["lag_max"] = max(lags)
		outage_lags = [b - f for (_, n, p, b, f) in samples if p == "outage"]
		results["lag_outage_mean"] = statistics.mean(outage_lags) if outage_lags else float("nan")
		fin = [c["t_finalized"] for c in commits]
		vis = [c["t_visible"] for c in commits if c["t_visible"] is not None]
		vis_fin = [c["t_finalized"] for c in commits if c["t_visible"] is not None]
		results["commit_finalized_mean"] = statistics.mean(fin)
		check(vis, "no commit had all four nodes up for its whole life; cannot time visibility")
		results["commit_visible_mean"] = statistics.mean(vis)
		results["commit_visible_max"] = max(vis)
		results["n_visible"] = len(vis)
		results["n_commits"] = len(commits)
		log("figures:")
		log(f"  mean block interval: {results['mean_block_interval']:.2f}s over blocks #{h_first}..#{h_last} "
			f"(block timestamps); {results['interval_up']:.2f}s before the outage (#{h_first}..#{h_kill}), "
			f"{results['interval_outage']:.2f}s while {victim} was down (its Aura slots go empty)")
		log(f"  finality lag (best - finalized): mean {results['lag_mean']:.2f} blocks, max {results['lag_max']} "
			f"({len(lags)} samples; {results['lag_outage_mean']:.2f} during the outage)")
		log(f"  zoo commit until finalized on the submitting node: mean {results['commit_finalized_mean']:.1f}s "
			f"over all {len(fin)} commits")
		log(f"  zoo commit until finalized and identical on all four nodes: mean {results['commit_visible_mean']:.1f}s, "
			f"max {results['commit_visible_max']:.1f}s over the {len(vis)} commits made with all four up "
			f"(finalized on the submitting node after {statistics.mean(vis_fin):.1f}s)")
		log(f"  catch-up: {victim} down {results['outage_seconds']:.0f}s; caught up {results['catchup_seconds']:.1f}s after restart "
			f"(RPC up after {t_rpc - t_restart:.1f}s)")
		log(f"ok: fault test passed in {time.monotonic() - t_start:.0f}s")
	finally:
		for s in streams:
			s.stop_event.set()
		sampler_stop.set()
		net.stop()
		log("network stopped")


def main():
	p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	sub = p.add_subparsers(dest="cmd", required=True)

	f = sub.add_parser("finality-advances", help="peers and finality on every node")
	f.add_argument("--zombie", default="../zombie.json")
	f.add_argument("--min-peers", type=int, default=1)
	f.add_argument("--blocks", type=int, default=2, help="finalized blocks to wait for")
	f.add_argument("--timeout", type=float, default=60)
	f.set_defaults(fn=cmd_finality_advances)

	c = sub.add_parser("commit-visible", help="a commit through one node, checked on all")
	c.add_argument("--zombie", default="../zombie.json")
	c.add_argument("--via", default=os.path.basename(os.getcwd()), help="node to submit to (default: the cwd's name)")
	c.add_argument("--key", default="//Alice")
	c.add_argument("--count", type=int, default=1)
	c.add_argument("--workdir")
	c.add_argument("--timeout", type=float, default=60, help="per commit, after finalization on --via")
	c.set_defaults(fn=cmd_commit_visible)

	t = sub.add_parser("fault", help="kill and restart a validator under load")
	t.add_argument("--network", default=os.path.join(HERE, "network-4.toml"))
	t.add_argument("--dir", required=True, help="fresh directory for the network")
	t.add_argument("--victim", default="dave")
	t.add_argument("--outage", type=float, default=30, help="seconds the victim stays down")
	t.add_argument("--max-commits", type=int, default=40, help="per stream")
	t.add_argument("--spawn-timeout", type=float, default=180)
	t.add_argument("--catchup-timeout", type=float, default=120)
	t.add_argument("--max-seconds", type=float, default=900, help="bound on the height sampler")
	t.set_defaults(fn=cmd_fault)

	a = p.parse_args()
	try:
		a.fn(a)
	except CheckFailed as e:
		log(f"FAILED: {e}")
		sys.exit(1)
	except KeyboardInterrupt:
		log("interrupted")
		sys.exit(130)


if __name__ == "__main__":
	main()
