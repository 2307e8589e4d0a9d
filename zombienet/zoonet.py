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
  consortium         four members make keys, `zoo-node consortium-spec` writes the spec from their
                     members file, each starts its validator: council, validators, organisations,
                     no sudo, and a commit checked on all four
  governance         4 validators under a stream of commits: a council motion admits a fifth
                     validator (its node started here), another removes one; finality, authorship
                     and every commit on every node checked
  upgrade            4 validators started from an earlier release's runtime, under a stream of
                     commits: `zoo` refuses the calls that changed, a two-thirds motion authorizes
                     the current runtime, `zoo` applies it, every node switches without a restart,
                     the storage migration it carries is checked, and every commit on every node
  faults             the fault series (make test-faults): many SIGKILLs of random validators
                     under commit load, two of four down at once, a kill during catch-up,
                     restarts on truncated database files; a check after every round and a
                     fault table (also as JSON)

The first two read the network from zombienet's zombie.json (zombienet runs `.zndsl` scripts in
<network dir>/<node>/, so it is ../zombie.json there). `fault` and `faults` spawn network-4.toml
themselves with `zombienet -p native spawn` and manage the node processes by the PIDs and command
lines zombie.json records.

Every loop is bounded in iterations and time; all traffic goes to 127.0.0.1.
"""

import argparse
import base64
import hashlib
import http.client
import json
import os
import random
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import traceback
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
	"""Call fn until it returns a truthy value; bounded by time and by a count of tries. Errors
	count as not yet, except a CheckFailed, which ends the wait at once."""
	deadline = time.monotonic() + timeout
	for _ in range(int(timeout / interval) + 2):
		try:
			v = fn()
		except CheckFailed:
			raise
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


class HeightSampler(threading.Thread):
	"""Samples every node's best and finalized heights once a second, tagged with the test's
	phase (`state["phase"]`), skipping the node named by `state["down"]` if any; at most
	`max_seconds` rounds. `samples` holds (monotonic, name, phase, best, finalized)."""

	def __init__(self, nodes, state, max_seconds):
		super().__init__(daemon=True)
		self.nodes, self.state, self.rounds = nodes, state, int(max_seconds) + 1
		self.samples = []
		self.stop_event = threading.Event()

	def run(self):
		for _ in range(self.rounds):
			if self.stop_event.is_set():
				return
			for n in self.nodes:
				if n.name == self.state.get("down"):
					continue
				h = n.heights()
				if h:
					self.samples.append((time.monotonic(), n.name, self.state["phase"], h[0], h[1]))
			self.stop_event.wait(1.0)

	def finality(self, names):
		"""The longest time (s) any node's finalized head stood still, and the largest
		best-finalized lag (blocks) sampled."""
		stalls, lag = [0.0], 0
		for name in names:
			points = [(t, f, b) for (t, n, _, b, f) in self.samples if n == name]
			if not points:
				continue
			last_t, last_f = points[0][0], points[0][1]
			for t, f, b in points:
				lag = max(lag, b - f)
				if f > last_f:
					stalls.append(t - last_t)
					last_t, last_f = t, f
		return max(stalls), lag


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

	def spawn_four(self, timeout, test):
		"""Spawn the 4-validator network and wait until every node has its 3 peers and has
		finalized a block; returns the nodes' names."""
		self.spawn(timeout)
		names = [n.name for n in self.nodes]
		check(len(names) == 4, f"the {test} test needs the 4-validator network, got {names}")
		for n in self.nodes:
			wait_for(f"{n.name} to have 3 peers", lambda n=n: n.peers() >= 3, 60)
		for n in self.nodes:
			wait_for(f"{n.name} to finalize a block", lambda n=n: n.finalized() >= 1, 90)
		return names

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

	def finish(self):
		"""Stop after the commit under way; fail if the stream hangs or hit an error."""
		self.stop_event.set()
		self.join(timeout=150)
		check(not self.is_alive(), "the commit stream did not stop")
		check(self.error is None, f"commit stream: {self.error}")


def cmd_fault(a):
	base = os.path.abspath(a.dir)
	check(not os.path.exists(base), f"{base} exists; give a fresh --dir")
	os.makedirs(os.path.dirname(base), exist_ok=True)
	net = Network(os.path.abspath(a.network), base)
	state = {"phase": "before", "down": None, "down_epoch": 0}
	sampler = None
	streams = []
	victim = a.victim
	results = {}

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
		sampler = HeightSampler(net.nodes, state, a.max_seconds)
		sampler.start()

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
		sampler.stop_event.set()

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
		lags = [b - f for (_, _, _, b, f) in sampler.samples]
		results["lag_mean"] = statistics.mean(lags)
		results["lag_max"] = max(lags)
		outage_lags = [b - f for (_, n, p, b, f) in sampler.samples if p == "outage"]
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
		if sampler is not None:
			sampler.stop_event.set()
		net.stop()
		log("network stopped")


# ---------------------------------------------------------------------------------------------
# A consortium from its members file (`consortium`): four members make their keys, the
# coordinator writes the spec with `zoo-node consortium-spec`, each member inserts its keys and
# starts its validator; the commands are logged as an operator would type them.


def run_logged(cmd, **kwargs):
	log("$ " + shlex.join(cmd))
	p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kwargs)
	check(p.returncode == 0, f"{shlex.join(cmd)} exited {p.returncode}: {p.stderr.strip()[-800:]}")
	return p


def cmd_consortium(a):
	base = os.path.abspath(a.dir)
	check(not os.path.exists(base), f"{base} exists; give a fresh --dir")
	os.makedirs(base)
	node_bin = os.environ.get("ZOO_NODE", "zoo-node")
	members = ["org1", "org2", "org3", "org4"]
	phrases = {m: f"//ConsortiumMember{i}" for i, m in enumerate(members, 1)}
	ports = {m: (free_port(), free_port()) for m in members}  # (p2p, rpc)
	procs = []
	t_start = time.monotonic()
	try:
		# 1. Each member makes its keys and sends the coordinator only public data.
		entries = []
		for m in members:
			node_key = os.path.join(base, m, "node-key")
			os.makedirs(os.path.dirname(node_key))
			peer = run_logged([node_bin, "key", "generate-node-key", "--file", node_key]).stderr.strip().splitlines()[-1]
			sr = json.loads(run_logged([node_bin, "key", "inspect", "--scheme", "sr25519", "--output-type", "json", phrases[m]]).stdout)
			ed = json.loads(run_logged([node_bin, "key", "inspect", "--scheme", "ed25519", "--output-type", "json", phrases[m]]).stdout)
			entries.append({
				"organisation": m, "account": sr["ss58Address"], "aura": sr["ss58Address"],
				"grandpa": ed["ss58Address"], "bootnode": f"/ip4/127.0.0.1/tcp/{ports[m][0]}/p2p/{peer}",
			})
		# 2. The coordinator writes the members file and the spec.
		members_file = os.path.join(base, "consortium.toml")
		with open(members_file, "w") as f:
			f.write('name = "Zoo Consortium"\nid = "zoo_consortium_test"\n')
			for e in entries:
				f.write("\n[[member]]\n" + "".join(f'{k} = "{v}"\n' for k, v in e.items()))
		spec = os.path.join(base, "zoo-consortium.json")
		run_logged([node_bin, "consortium-spec", "--members", members_file, "--out", spec])
		# 3. Each member inserts its session keys and starts its validator.
		nodes = []
		for m in members:
			base_path = os.path.join(base, m)
			for scheme, key_type in (("sr25519", "aura"), ("ed25519", "gran")):
				run_logged([node_bin, "key", "insert", "--base-path", base_path, "--chain", spec,
					"--scheme", scheme, "--key-type", key_type, "--suri", phrases[m]])
			p2p, rpc = ports[m]
			cmd = [node_bin, "--chain", spec, "--base-path", base_path, "--validator", "--name", m,
				"--node-key-file", os.path.join(base_path, "node-key"),
				"--listen-addr", f"/ip4/127.0.0.1/tcp/{p2p}", "--rpc-port", str(rpc),
				"--no-prometheus", "--no-telemetry", "--no-mdns"]
			log("$ " + shlex.join(cmd) + " &")
			logf = open(os.path.join(base, f"{m}.log"), "ab")
			procs.append(subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
				start_new_session=True))
			nodes.append(Node(m, f"ws://127.0.0.1:{rpc}"))
		# 4. Checks: peers and finality, the council and the validators are the members, each
		# member owns its organisation, no sudo key, and a member's commit is seen everywhere.
		for n in nodes:
			wait_for(f"{n.name} to answer and have 3 peers", lambda n=n: n.peers() >= 3, 90, 1)
		for n in nodes:
			wait_for(f"{n.name} to finalize block 3", lambda n=n: n.finalized() >= 3, 120, 1)
		t_final = time.monotonic() - t_start
		accounts = sorted(e["account"] for e in entries)
		council = zoo(["--url", nodes[0].ws, "council", "members", "--json"])
		check(sorted(council["members"]) == accounts, f"council {council['members']} is not the members {accounts}")
		active = validators(nodes[0])["active"]
		check(sorted(active) == accounts, f"validators {active} are not the members {accounts}")
		for e in entries:
			org = zoo(["--url", nodes[1].ws, "org", "show", e["organisation"], "--json"])
			check(org.get("owner") == e["account"], f"{e['organisation']} is owned by {org.get('owner')}, not {e['account']}")
		sudo_key = nodes[0].rpc("state_getStorage", ["0x" + twox128(b"Sudo").hex() + twox128(b"Key").hex()])
		check(sudo_key is None, f"the consortium chain has a sudo key: {sudo_key}")
		workdir = os.path.join(base, "work")
		write_artifact(workdir, 0, "consortium")
		model = f"org2/launch-{os.getpid()}"
		zoo(["--url", nodes[1].ws, "--key", phrases["org2"], "model", "create", model, "--json"])
		out, _, _ = commit_once(nodes[1], phrases["org2"], model, workdir, "first model of the consortium")
		wait_visible(nodes, out["id"], out["block"]["block_number"], out["block"]["block_hash"],
			show(nodes[1], out["id"]), 90)
		log(f"ok: a consortium of four from its members file: finalizing {t_final:.0f}s after the first command; "
			f"council and validators = the members, organisations granted, no sudo; a commit by org2 in "
			f"{out['id']} is identical on all four ({time.monotonic() - t_start:.0f}s in all)")
	finally:
		for p in procs:
			if p.poll() is None:
				p.terminate()
		for p in procs:
			try:
				p.wait(timeout=15)
			except subprocess.TimeoutExpired:
				p.kill()
		log("consortium stopped")


# ---------------------------------------------------------------------------------------------
# Governance live (`governance`): the council admits a fifth validator and removes one by motion,
# on the 4-validator network under a steady commit stream.


def free_port():
	import socket
	with socket.socket() as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


def authored(log_path, offset=0):
	"""Block numbers a node's log says it authored (sc-basic-authorship's "Prepared block")
	after byte `offset`."""
	with open(log_path, "rb") as f:
		f.seek(offset)
		text = _strip_ansi(f.read().decode(errors="replace"))
	return [int(m) for m in re.findall(r"Prepared block for proposing at (\d+)", text)]


def validators(node):
	return zoo(["--url", node.ws, "validators", "--json"], timeout=60)


def council_motion(node, proposer, voters, propose_args):
	"""A member proposes, it and the others in `voters` vote aye, the proposer closes: returns the
	close record and the monotonic time of the close."""
	proposed = zoo(["--url", node.ws, "--key", proposer, "council", "propose", *propose_args, "--json"], timeout=120)
	index = str(proposed["index"])
	# Proposing is not voting: the proposer's aye is a vote like the others'.
	for voter in [proposer, *voters]:
		zoo(["--url", node.ws, "--key", voter, "council", "vote", index, "aye", "--json"], timeout=120)
	closed = zoo(["--url", node.ws, "--key", proposer, "council", "close", index, "--json"], timeout=120)
	check(closed.get("approved"), f"motion {index} ({propose_args}) was not approved: {closed}")
	return closed, time.monotonic()


def cmd_governance(a):
	base = os.path.abspath(a.dir)
	check(not os.path.exists(base), f"{base} exists; give a fresh --dir")
	os.makedirs(os.path.dirname(base), exist_ok=True)
	net = Network(os.path.abspath(a.network), base)
	state = {"phase": "before", "down": None, "down_epoch": 0}
	sampler = None
	streams = []
	eve = None
	results = {}

	def stop_all(*_):
		raise KeyboardInterrupt

	signal.signal(signal.SIGTERM, stop_all)
	t_start = time.monotonic()
	try:
		log(f"spawning {a.network} with zombienet (native) in {base}")
		names = net.spawn_four(a.spawn_timeout, "governance")
		alice = net.node("alice")
		sampler = HeightSampler(net.nodes, state, a.max_seconds)
		sampler.start()

		# The commit stream, through bob, signed by an account that casts no vote.
		stream = Stream(net, state, net.node("bob"), "//Ferdie", os.path.join(base, "work-stream"), a.max_commits)
		streams.append(stream)
		stream.start()

		def stream_has(phase):
			check(stream.error is None, f"commit stream: {stream.error}")
			return len(stream.finalized_in(phase)) >= 1

		wait_for("a finalized commit before any motion", lambda: stream_has("before"), 120, 1)
		initial = validators(alice)
		log(f"validators at start: {initial}")

		# A fifth node, started by hand from the network's own chain spec, alice as bootnode.
		alice_cmd = " ".join(net.cmds["alice"])
		chain = re.search(r"--chain[ =](\S+)", alice_cmd).group(1)
		_, zombie = load_nodes(os.path.join(base, "zombie.json"))
		bootnode = next(n["multiAddress"] for n in zombie["relay"] if n["name"] == "alice")
		rpc_port, p2p_port = free_port(), free_port()
		eve_log = os.path.join(base, "eve.log")
		node_bin = os.environ.get("ZOO_NODE", "zoo-node")
		# A validator starts only with a node key of its own (an operator's first command).
		eve_key = os.path.join(base, "eve-node-key")
		subprocess.run([node_bin, "key", "generate-node-key", "--file", eve_key], check=True, capture_output=True)
		cmd = [
			node_bin, "--chain", chain, "--name", "eve", "--validator", "--node-key-file", eve_key,
			"--base-path", os.path.join(base, "eve"), "--rpc-port", str(rpc_port),
			"--listen-addr", f"/ip4/127.0.0.1/tcp/{p2p_port}", "--bootnodes", bootnode,
			"--rpc-methods", "unsafe", "--no-prometheus", "--no-telemetry", "--no-mdns",
		]
		with open(eve_log, "ab") as logf:
			eve = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
				start_new_session=True)
		eve_node = Node("eve", f"ws://127.0.0.1:{rpc_port}")
		def eve_answers():
			check(eve.poll() is None, f"eve exited ({eve.returncode}); see {eve_log}")
			return eve_node.heights() is not None

		wait_for("eve to answer RPC", eve_answers, 60, 0.5)
		wait_for("eve to sync to the network's finalized head",
			lambda: eve_node.heights()[1] >= alice.finalized() - 1, 180, 1)
		log(f"eve synced: {eve_node.heights()}")

		# Eve's account registers the keys its node generated; a majority motion admits it.
		state["phase"] = "admit"
		keys = zoo(["--url", eve_node.ws, "--key", "//Eve", "validators", "set-keys", "--json"], timeout=120)
		log(f"eve's session keys: {keys}")
		closed, t_motion = council_motion(alice, "//Alice", ["//Bob"], ["add-validator", "//Eve"])
		log(f"motion admitting eve closed in block {closed['block']['block_number']}")
		eve_account = keys.get("account") or keys.get("owner")

		def eve_active():
			return eve_account in validators(alice)["active"]

		wait_for("eve in the active set", eve_active, a.session_timeout, 2)
		t_active = time.monotonic()
		wait_for("a block authored by eve", lambda: authored(eve_log), 120, 1)
		t_authored = time.monotonic()
		results["admit"] = (t_active - t_motion, t_authored - t_motion)
		log(f"eve active {t_active - t_motion:.0f}s after the motion closed, authored {t_authored - t_motion:.0f}s after: "
			f"blocks {authored(eve_log)[:5]}")
		wait_for("a finalized commit while eve joined", lambda: stream_has("admit"), 120, 1)

		# A majority motion removes dave (zombienet's validators are the //Name//stash accounts);
		# --admit-only (make test) stops at one validator change.
		if not a.admit_only:
			state["phase"] = "remove"
			closed, t_motion = council_motion(alice, "//Alice", ["//Charlie"], ["remove-validator", "//Dave//stash"])
			dave_account = next(v for v in validators(alice)["active"] if v not in validators(alice)["planned"])

			def dave_gone():
				return dave_account not in validators(alice)["active"]

			wait_for("dave out of the active set", dave_gone, a.session_timeout, 2)
			t_gone = time.monotonic()
			offset = os.path.getsize(net.logs["dave"])
			best_at_gone = alice.best()
			wait_for("eight more blocks", lambda: alice.best() >= best_at_gone + 8, 120, 1)
			late = authored(net.logs["dave"], offset)
			check(not late, f"dave authored blocks {late} after leaving the set")
			results["remove"] = t_gone - t_motion
			log(f"dave left the active set {t_gone - t_motion:.0f}s after the motion; authored nothing in the next 8 blocks")
			wait_for("a finalized commit after dave left", lambda: stream_has("remove"), 120, 1)

		# Every commit on every node, finalized and identical (eve included).
		stream.finish()
		sampler.stop_event.set()
		everyone = net.nodes + [eve_node]
		for c in stream.commits:
			wait_visible(everyone, c["cid"], c["block"], c["hash"], c["show"], 90)
		by_phase = {p: len(stream.finalized_in(p)) for p in ("before", "admit", "remove") if p != "remove" or not a.admit_only}
		log(f"all {len(stream.commits)} commits finalized and identical on all five nodes: {by_phase}")

		# A light client trusts no node: zoo --light (smoldot) warp-syncs from genesis across the
		# authority-set changes, GRANDPA justifications checked, and reads the last commit by proofs.
		last = stream.commits[-1]
		t_light = time.monotonic()
		record = zoo(["--light", "--chain-spec", chain, "--bootnode", bootnode, "show", last["cid"], "--json"], timeout=240)
		for field in GROWING_FIELDS:
			record.pop(field, None)
		check(record == last["show"], f"zoo --light shows {record}, the nodes {last['show']}")
		results["light"] = time.monotonic() - t_light
		log(f"zoo --light verified {last['cid']} across the authority change(s) in {results['light']:.1f}s")

		# Finality: the longest time the network's finalized head stood still, and the largest lag.
		results["longest_finality_pause"], results["max_lag"] = sampler.finality(names)
		check(results["longest_finality_pause"] < a.max_stall,
			f"finality paused for {results['longest_finality_pause']:.0f}s")
		log("figures:")
		log(f"  admit eve: active {results['admit'][0]:.0f}s, first authored block {results['admit'][1]:.0f}s after the motion closed")
		if "remove" in results:
			log(f"  remove dave: out of the active set {results['remove']:.0f}s after the motion closed")
		log(f"  finality: longest pause of the finalized head {results['longest_finality_pause']:.0f}s, "
			f"largest best-finalized lag {results['max_lag']} blocks")
		log(f"  commits: {len(stream.commits)} finalized and identical on five nodes: {by_phase}")
		log(f"  zoo --light: warp sync across the changes and the last commit read by proofs in {results['light']:.1f}s")
		log(f"ok: governance test passed in {time.monotonic() - t_start:.0f}s")
	finally:
		for s in streams:
			s.stop_event.set()
		if sampler is not None:
			sampler.stop_event.set()
		if eve is not None and eve.poll() is None:
			eve.terminate()
			try:
				eve.wait(timeout=15)
			except subprocess.TimeoutExpired:
				eve.kill()
		net.stop()
		log("network stopped")


# ---------------------------------------------------------------------------------------------
# A runtime upgrade by motion (`upgrade`): the 4-validator network starts from an earlier
# release's runtime; under a steady commit stream a two-thirds motion authorizes the current one
# (a later spec_version, carrying a storage migration), anyone applies it, and every node switches
# without a restart.

MOTION_JS = os.path.join(HERE, "..", "node", "tests", "polkadot-js", "motion.mjs")


def runtime_version(node):
	version = node.rpc("state_getRuntimeVersion")
	return version["specName"], version["specVersion"], version["transactionVersion"]


def zoo_refused(args, timeout=120):
	"""Run zoo expecting a refusal; returns its one-line message."""
	cmd = [zoo_bin(), *args]
	p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
	check(p.returncode != 0, f"{shlex.join(cmd)} was not refused: {p.stdout.strip()[-400:]}")
	lines = p.stderr.strip().splitlines()
	check(lines, f"{shlex.join(cmd)} failed without a message")
	return lines[-1]


def cmd_upgrade(a):
	base = os.path.abspath(a.dir)
	check(not os.path.exists(base), f"{base} exists; give a fresh --dir")
	inputs = base + "-inputs"
	os.makedirs(inputs)
	node_bin = os.environ.get("ZOO_NODE", "zoo-node")
	curation_version_key = "0x" + twox128(b"Curation").hex() + twox128(b":__STORAGE_VERSION__:").hex()
	registry_version_key = "0x" + twox128(b"ModelRegistry").hex() + twox128(b":__STORAGE_VERSION__:").hex()
	state = {"phase": "before", "down": None, "down_epoch": 0}
	sampler = None
	streams = []
	results = {}

	def stop_all(*_):
		raise KeyboardInterrupt

	signal.signal(signal.SIGTERM, stop_all)
	t_start = time.monotonic()
	net = None
	try:
		# The network's spec: `local` with the earlier release's runtime as its genesis code, so
		# that release builds the genesis state (its own storage versions) as it did then.
		plain = json.loads(run_logged([node_bin, "build-spec", "--chain", "local", "--disable-default-bootnode"]).stdout)
		with open(a.from_runtime, "rb") as f:
			plain["genesis"]["runtimeGenesis"]["code"] = "0x" + f.read().hex()
		spec = os.path.join(inputs, "local-release.json")
		with open(spec, "w") as f:
			json.dump(plain, f)
		with open(a.network) as f:
			network = f.read()
		check('chain = "local"' in network, f"{a.network} does not start the local chain")
		network_file = os.path.join(inputs, "network.toml")
		with open(network_file, "w") as f:
			f.write(network.replace('chain = "local"', f'chain = "local"\nchain_spec_path = "{spec}"', 1))
		net = Network(network_file, base)
		log(f"spawning {a.network} from the runtime in {a.from_runtime}, with zombienet (native) in {base}")
		names = net.spawn_four(a.spawn_timeout, "upgrade")
		alice, bob = net.node("alice"), net.node("bob")
		old = runtime_version(alice)
		for n in net.nodes:
			check(runtime_version(n) == old, f"{n.name} runs {runtime_version(n)}, alice {old}")
		stored = alice.rpc("state_getStorage", [curation_version_key])
		check(stored in (None, "0x0000"), f"the earlier release stores curation storage version {stored}, not 0")
		stored = alice.rpc("state_getStorage", [registry_version_key])
		check(stored == "0x0100", f"the earlier release stores registry storage version {stored}, not 1")
		log(f"all four run {old[0]} {old[1]} (transaction version {old[2]})")
		sampler = HeightSampler(net.nodes, state, a.max_seconds)
		sampler.start()

		stream = Stream(net, state, bob, "//Ferdie", os.path.join(base, "work-stream"), a.max_commits)
		streams.append(stream)
		stream.start()

		def stream_has(phase):
			check(stream.error is None, f"commit stream: {stream.error}")
			return len(stream.finalized_in(phase)) >= 1

		wait_for("a finalized commit under the earlier runtime", lambda: stream_has("before"), 120, 1)

		# Under the earlier runtime: a dispute for the migration to carry. The current zoo signs
		# the calls that did not change (commits, the dispute) and refuses those that did.
		first = stream.commits[0]["cid"]
		opened = zoo(["--url", alice.ws, "--key", "//Eve", "dispute", "open", first, "--reason", "other",
			"--evidence", "https://evidence.example/upgrade", "--json"])
		dispute = str(opened["id"])
		nonce = alice.rpc("system_accountNextIndex", [opened["reporter"]])
		refused_close = zoo_refused(["--url", alice.ws, "--key", "//Eve", "dispute", "close", dispute])
		built = re.search(r"built for runtime (\S+) (\d+) \(transaction version (\d+)\)", refused_close)
		check(built and f"the chain runs {old[0]} {old[1]} " in refused_close and "nothing was signed" in refused_close,
			f"zoo dispute close under the earlier runtime: {refused_close}")
		new_spec = int(built.group(2))
		check(new_spec > old[1], f"zoo was built for spec {new_spec}, not a later one than {old[1]}")
		refused_motion = zoo_refused(["--url", alice.ws, "--key", "//Alice", "council", "propose", "upgrade", a.to_runtime])
		check(f"the chain runs {old[0]} {old[1]} " in refused_motion and "nothing was signed" in refused_motion,
			f"zoo council propose under the earlier runtime: {refused_motion}")
		check(alice.rpc("system_accountNextIndex", [opened["reporter"]]) == nonce, "a refused call was sent")
		log(f"under {old[0]} {old[1]}: dispute {dispute} opened on {first}; zoo (built for {new_spec}) refused the "
			f"changed calls: {refused_close!r}; and a motion: {refused_motion!r}")

		# The motion, as a member without a matching zoo passes it (polkadot.js, with the chain's own
		# metadata), then the upgrade applied with zoo, whose call for it did not change.
		state["phase"] = "upgrade"
		t_motion = time.monotonic()
		cmd = ["node", MOTION_JS, alice.ws, "//Alice", "//Bob", "authorize-upgrade", a.to_runtime]
		log("$ " + shlex.join(cmd))
		p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
		check(p.returncode == 0, f"the upgrade motion failed: {p.stderr.strip()[-800:]}")
		motion = json.loads(p.stdout.strip().splitlines()[-1])
		t_authorized = time.monotonic()
		log(f"motion {motion['index']} authorized code {motion['code_hash']} in block {motion['closed_in']}")
		applied = zoo(["--url", alice.ws, "--key", "//Charlie", "council", "apply-upgrade", a.to_runtime, "--json"],
			timeout=300)
		t_applied = time.monotonic()
		for n in net.nodes:
			wait_for(f"{n.name} to run spec {new_spec}", lambda n=n: runtime_version(n)[1] == new_spec, 120, 1)
		t_switched = time.monotonic()
		# The migrations run as the block after the one that set the code begins; until then the
		# new code would read unmigrated state (a runtime API at the upgrade block runs the new
		# code): read once that block is final everywhere.
		migrated_in = applied["block"]["block_number"] + 1
		for n in net.nodes:
			wait_for(f"{n.name} to finalize block {migrated_in}", lambda n=n: n.finalized() >= migrated_in, 120, 1)
		state["phase"] = "after"
		new = runtime_version(alice)
		log(f"upgrade applied in block {applied['block']['block_number']}; all four run {new[0]} {new[1]} "
			f"{t_switched - t_motion:.0f}s after the motion was proposed")

		# The migrations ran once, on every node: the dispute expires DisputeTimeout after it opened.
		for n in net.nodes:
			stored = n.rpc("state_getStorage", [curation_version_key])
			check(stored == "0x0200", f"{n.name}: the curation storage version is {stored}, not 2")
			stored = n.rpc("state_getStorage", [registry_version_key])
			check(stored == "0x0200", f"{n.name}: the registry storage version is {stored}, not 2")
		timeout = zoo(["--url", bob.ws, "curation", "show", first, "--json"])["params"]["dispute_timeout"]
		shown = zoo(["--url", bob.ws, "dispute", "show", dispute, "--json"])["dispute"]
		check(shown["opened_at"] == opened["block"]["block_number"], f"the dispute's opening moved: {shown}")
		check(shown["expires_at"] == shown["opened_at"] + timeout,
			f"dispute {dispute} expires at {shown['expires_at']}, not {shown['opened_at']} + {timeout}")
		# The client signs the new call now: refused only because the dispute has not lapsed.
		refused = zoo_refused(["--url", alice.ws, "--key", "//Eve", "dispute", "close", dispute])
		check(f"dispute {dispute} lapses at block {shown['expires_at']}" in refused, f"after the upgrade: {refused}")
		log(f"migration: dispute {dispute} (opened in block {shown['opened_at']}) expires at block "
			f"{shown['expires_at']} (+{timeout}); curation storage version 2 on all four; zoo now: {refused!r}")
		wait_for("a finalized commit after the upgrade", lambda: stream_has("after"), 120, 1)

		# Every commit on every node, finalized and identical.
		stream.finish()
		sampler.stop_event.set()
		for c in stream.commits:
			wait_visible(net.nodes, c["cid"], c["block"], c["hash"], c["show"], 90)
		by_phase = {p: len(stream.finalized_in(p)) for p in ("before", "upgrade", "after")}
		pause, lag = sampler.finality(names)
		check(pause < a.max_stall, f"finality paused for {pause:.0f}s")
		log("figures:")
		log(f"  upgrade {old[1]} -> {new[1]}: motion passed {t_authorized - t_motion:.0f}s after it was proposed, "
			f"applied {t_applied - t_authorized:.0f}s later, all four nodes on {new[1]} "
			f"{t_switched - t_motion:.0f}s after the proposal; no node restarted")
		log(f"  finality: longest pause of the finalized head {pause:.0f}s, largest best-finalized lag {lag} blocks")
		log(f"  commits: {len(stream.commits)} finalized and identical on four nodes: {by_phase}")
		log(f"ok: upgrade test passed in {time.monotonic() - t_start:.0f}s")
	finally:
		for s in streams:
			s.stop_event.set()
		if sampler is not None:
			sampler.stop_event.set()
		if net is not None:
			net.stop()
		log("network stopped")


# ---------------------------------------------------------------------------------------------
# Fault series (`faults`): many kills, two down at once, a kill during catch-up, a corrupted
# database. Standard library only, like the rest.

_M64 = (1 << 64) - 1
_P1, _P2, _P3, _P4, _P5 = (
	0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x85EBCA77C2B2AE63, 0x27D4EB2F165667C5,
)


def _rotl(x, r):
	return ((x << r) | (x >> (64 - r))) & _M64


def _xxround(acc, lane):
	return (_rotl((acc + lane * _P2) & _M64, 31) * _P1) & _M64


def xxh64(data, seed=0):
	"""xxHash64 (the hash under Substrate's twox128 storage prefixes)."""
	n, i = len(data), 0
	if n >= 32:
		v = [(seed + _P1 + _P2) & _M64, (seed + _P2) & _M64, seed, (seed - _P1) & _M64]
		while i + 32 <= n:
			for j in range(4):
				v[j] = _xxround(v[j], int.from_bytes(data[i + 8 * j:i + 8 * j + 8], "little"))
			i += 32
		h = (_rotl(v[0], 1) + _rotl(v[1], 7) + _rotl(v[2], 12) + _rotl(v[3], 18)) & _M64
		for x in v:
			h = ((h ^ _xxround(0, x)) * _P1 + _P4) & _M64
	else:
		h = (seed + _P5) & _M64
	h = (h + n) & _M64
	while i + 8 <= n:
		h ^= _xxround(0, int.from_bytes(data[i:i + 8], "little"))
		h = (_rotl(h, 27) * _P1 + _P4) & _M64
		i += 8
	if i + 4 <= n:
		h ^= (int.from_bytes(data[i:i + 4], "little") * _P1) & _M64
		h = (_rotl(h, 23) * _P2 + _P3) & _M64
		i += 4
	while i < n:
		h ^= (data[i] * _P5) & _M64
		h = (_rotl(h, 11) * _P1) & _M64
		i += 1
	h ^= h >> 33
	h = (h * _P2) & _M64
	h ^= h >> 29
	h = (h * _P3) & _M64
	h ^= h >> 32
	return h


def twox128(data):
	return xxh64(data, 0).to_bytes(8, "little") + xxh64(data, 1).to_bytes(8, "little")


def blake2_128_concat(data):
	return hashlib.blake2b(data, digest_size=16).digest() + data


def cid_digest(cid):
	"""The 32-byte sha2-256 digest of a Zoo CID (CIDv1 raw sha2-256, multibase base32 'b')."""
	check(cid.startswith("b"), f"not a base32 CID: {cid}")
	body = cid[1:].upper()
	raw = base64.b32decode(body + "=" * (-len(body) % 8))
	check(len(raw) == 36 and raw[:4] == bytes([0x01, 0x55, 0x12, 0x20]), f"not a Zoo version CID: {cid}")
	return raw[4:]


check(
	"0x" + (twox128(b"Timestamp") + twox128(b"Now")).hex() == TIMESTAMP_NOW,
	"xxh64 self-test failed",
)


def version_keys(cid):
	"""Storage keys of ModelRegistry::Versions and ModelRegistry::Manifests for a CID."""
	d = cid_digest(cid)
	pallet = twox128(b"ModelRegistry")
	return (
		"0x" + (pallet + twox128(b"Versions") + blake2_128_concat(d)).hex(),
		"0x" + (pallet + twox128(b"Manifests") + blake2_128_concat(d)).hex(),
	)


class FaultNetwork(Network):
	"""Network with the bookkeeping the fault series needs: which nodes are down, reaping the
	processes we restarted, the log offset of each start, wiping a database."""

	def __init__(self, network_file, base_dir):
		super().__init__(network_file, base_dir)
		self.lock = threading.Lock()
		self.down = set()  # nodes killed or not yet caught up: the load avoids them
		self.kills = {}  # node -> number of times killed (a commit through it may be interrupted)
		self.procs = {}  # pid -> Popen for the processes we started

	def up_nodes(self):
		with self.lock:
			return [n for n in self.nodes if n.name not in self.down]

	def mark_down(self, name):
		with self.lock:
			self.down.add(name)

	def mark_up(self, name):
		with self.lock:
			self.down.discard(name)

	def kill(self, name):
		self.mark_down(name)
		with self.lock:
			self.kills[name] = self.kills.get(name, 0) + 1
		pid = self.pids[name]
		check(self.is_our_node(name, pid), f"pid {pid} is not our {name}")
		os.kill(pid, signal.SIGKILL)
		p = self.procs.pop(pid, None)
		if p is not None:
			p.wait(timeout=10)
		wait_for(f"{name} (pid {pid}) to exit", lambda: not self.is_our_node(name, pid), 10, 0.05)

	def restart(self, name):
		p = super().restart(name)
		self.procs[p.pid] = p
		return p

	def alive(self, name):
		p = self.procs.get(self.pids[name])
		if p is not None:
			return p.poll() is None
		return self.is_our_node(name, self.pids[name])

	def db_dir(self, name):
		"""The node's ParityDb directory, <base>/chains/<id>/paritydb/full (zoo-node has no
		RocksDB): the one holding ParityDb's `metadata` file."""
		chains = os.path.join(self.dir, name, "data", "chains")
		found = [root for root, _, files in os.walk(chains) if "metadata" in files and "paritydb" in root]
		check(len(found) == 1, f"{name}: expected one ParityDb database under {chains}, found {found}")
		return found[0]

	def log_size(self, name):
		try:
			return os.path.getsize(self.logs[name])
		except OSError:
			return 0

	def log_since(self, name, offset):
		with open(self.logs[name], "rb") as f:
			f.seek(offset)
			return f.read().decode(errors="replace")


def _strip_ansi(s):
	return re.sub(r"\x1b\[[0-9;]*m", "", s)


class LoadStream(threading.Thread):
	"""Commits new versions of one model, one after another, each through a node picked at
	random among those up; every commit `zoo commit` reports finalized is recorded with its CID,
	block number and hash. A commit whose node is killed under it is counted as interrupted;
	other failures are counted and retried."""

	def __init__(self, run, key, seed):
		super().__init__(daemon=True)
		self.run_, self.key = run, key
		self.rng = random.Random(seed)
		self.model = fresh_model_name("faults", key)
		self.workdir = os.path.join(run.net.dir, "work-" + key.strip("/").lower())
		self.stop_event = threading.Event()
		self.interrupted = 0
		self.stale = 0  # refused as outdated: an interrupted commit's transaction landed after all
		self.errors = []
		self.last_success = time.monotonic()
		self.created = False

	def pick(self):
		ups = self.run_.net.up_nodes()
		return self.rng.choice(ups) if ups else None

	def attempt(self, fn):
		"""Run fn(via) through a node that is up; True on success."""
		via = self.pick()
		if via is None:
			self.stop_event.wait(1)
			return False
		with self.run_.net.lock:
			kills_before = self.run_.net.kills.get(via.name, 0)
		try:
			fn(via)
			return True
		except Exception as e:
			with self.run_.net.lock:
				killed = self.run_.net.kills.get(via.name, 0) != kills_before
			if killed:
				self.interrupted += 1
			elif self.interrupted and any(s in str(e) for s in ("outdated", "priority of the transaction is too low")):
				# the client takes the node's pending-aware nonce, but a node that has not yet seen
				# an interrupted commit another node included offers its nonce again
				self.stale += 1
			else:
				self.errors.append(f"{time.strftime('%H:%M:%S')} via {via.name}: {str(e)[-300:]}")
			self.stop_event.wait(3)
			return False

	def run(self):
		def create(via):
			zoo(["--url", via.ws, "--key", self.key, "model", "create", self.model, "--json"], timeout=300)

		i = 0
		for _ in range(100000):
			if self.stop_event.is_set():
				return
			if not self.created:
				self.created = self.attempt(create)
				if self.created:
					self.last_success = time.monotonic()
				continue
			i += 1
			write_artifact(self.workdir, i, self.model)

			def commit(via):
				t0 = time.monotonic()
				out = zoo(
					["--url", via.ws, "--key", self.key, "commit", self.workdir, "-m", f"fault load {i}",
					 "--model", self.model, "--json"],
					timeout=600,
				)
				t1 = time.monotonic()
				check("id" in out and "block_number" in out.get("block", {}), f"zoo commit --json: {out}")
				rec = {
					"cid": out["id"], "block": out["block"]["block_number"], "hash": out["block"]["block_hash"],
					"via": via.name, "key": self.key, "round": self.run_.round_no, "seconds": round(t1 - t0, 1),
					"show": None,
				}
				try:
					rec["show"] = show(via, rec["cid"])
				except Exception:
					pass  # taken from the first node at the next check
				self.run_.add_commit(rec)

			if self.attempt(commit):
				self.last_success = time.monotonic()


class FaultRun:
	def __init__(self, a):
		self.a = a
		self.base = os.path.abspath(a.dir)
		self.net = FaultNetwork(os.path.abspath(a.network), self.base)
		self.rng = random.Random(a.seed)
		self.round_no = 0
		self.commits = []
		self.commits_lock = threading.Lock()
		self.refs = {}  # cid -> (versions bytes, manifests bytes)
		self.shown = set()  # cids whose `zoo show` was compared on every node
		self.checked_height = 0
		self.history = []  # (t, max best, max finalized) over the nodes up
		self.sampler_stop = threading.Event()
		self.streams = []
		self.rows = []
		self.t_start = time.monotonic()

	# -- bookkeeping -------------------------------------------------------------------------

	def add_commit(self, rec):
		with self.commits_lock:
			self.commits.append(rec)

	def sampler(self):
		for _ in range(int(self.a.max_seconds / 0.5) + 1):
			if self.sampler_stop.is_set():
				return
			hs = [n.heights() for n in self.net.up_nodes()]
			hs = [h for h in hs if h]
			if hs:
				self.history.append((time.monotonic(), max(h[0] for h in hs), max(h[1] for h in hs)))
			self.sampler_stop.wait(0.5)

	def heights_up(self, exclude=()):
		hs = [n.heights() for n in self.net.up_nodes() if n.name not in exclude]
		hs = [h for h in hs if h]
		check(hs, "no node answers")
		return max(h[0] for h in hs), max(h[1] for h in hs)

	def finality_gap(self, t_from, t_to):
		"""Longest time the network's finalized number did not advance, over the finalization
		events from the last one before t_from to the first one after t_to."""
		events = []
		last = None
		for t, _, f in self.history:
			if last is not None and f > last:
				events.append(t)
			last = f
		before = [t for t in events if t <= t_from]
		after = [t for t in events if t >= t_to]
		inside = [t for t in events if t_from < t < t_to]
		pts = ([before[-1]] if before else [t_from]) + inside + ([after[0]] if after else [time.monotonic()])
		return max((b - a for a, b in zip(pts, pts[1:])), default=0.0)

	def stream_health(self):
		for s in self.streams:
			idle = time.monotonic() - s.last_success
			check(
				idle < self.a.idle_limit,
				f"commit load by {s.key}: no success for {idle:.0f}s; errors: {s.errors[-3:]}",
			)

	# -- checks ------------------------------------------------------------------------------

	def verify(self, label, full_nodes=(), recheck_from=None):
		"""Every commit reported finalized is finalized in its block on every node, with the same
		stored record and manifest (and the manifest hashes to its CID) at one common finalized
		hash, and (for new commits, and on `full_nodes` for all) the same `zoo show`; finalized
		hashes agree at every height not yet compared. Returns the number of commits checked."""
		t0 = time.monotonic()
		nodes = self.net.nodes
		with self.commits_lock:
			commits = list(self.commits)
		top = max([c["block"] for c in commits], default=0)
		wait_for(
			f"every node to finalize #{top}",
			lambda: all((lambda h: h and h[1] >= top)(n.heights()) for n in nodes),
			self.a.catchup_timeout,
		)
		h_common = min(n.finalized() for n in nodes)
		start = self.checked_height + 1 if recheck_from is None else max(1, recheck_from)
		for h in range(start, h_common + 1):
			hashes = {n.name: n.block_hash(h) for n in nodes}
			check(len(set(hashes.values())) == 1, f"{label}: finalized #{h} differs between nodes: {hashes}")
		self.checked_height = max(self.checked_height, h_common)
		at = nodes[0].block_hash(h_common)
		for c in commits:
			vkey, mkey = version_keys(c["cid"])
			for n in nodes:
				got_hash = n.block_hash(c["block"])
				check(got_hash == c["hash"], f"{label}: {n.name} has {got_hash} at #{c['block']}, {c['cid']} was in {c['hash']}")
				v = n.rpc("state_getStorage", [vkey, at], timeout=10)
				m = n.rpc("state_getStorage", [mkey, at], timeout=10)
				check(v is not None and m is not None, f"{label}: {n.name} lacks {c['cid']} at #{h_common}")
				if c["cid"] not in self.refs:
					digest = hashlib.sha256(bytes.fromhex(m[2:])).digest()
					check(digest == cid_digest(c["cid"]), f"{label}: {n.name}: the manifest stored for {c['cid']} does not hash to it")
					self.refs[c["cid"]] = (v, m)
				check(
					(v, m) == self.refs[c["cid"]],
					f"{label}: {n.name} stores a different record or manifest for {c['cid']} at #{h_common}",
				)
		n_show = 0
		for c in commits:
			targets = nodes if c["cid"] not in self.shown else [n for n in nodes if n.name in full_nodes]
			for n in targets:
				got = show(n, c["cid"])
				if c["show"] is None:
					c["show"] = got
				check(
					got == c["show"],
					f"{label}: {n.name} shows a different record for {c['cid']}:\n{json.dumps(got, sort_keys=True)}\n"
					f"expected:\n{json.dumps(c['show'], sort_keys=True)}",
				)
				n_show += 1
			self.shown.add(c["cid"])
		log(
			f"{label}: {len(commits)} commits finalized and identical on all {len(nodes)} nodes at #{h_common} "
			f"(stored record + manifest; {n_show} zoo show compared), finalized hashes agree up to #{h_common} "
			f"({time.monotonic() - t0:.1f}s)"
		)
		self.stream_health()
		return len(commits)

	# -- restarts ----------------------------------------------------------------------------

	def wait_peers(self, name):
		"""Wait until `name` is connected to every other node that is running."""
		others = [n.name for n in self.net.nodes if n.name != name and self.net.alive(n.name)]
		v = self.net.node(name)
		wait_for(f"{name} to have {len(others)} peers ({others})", lambda: v.peers() >= len(others), self.a.catchup_timeout)

	def restart_and_catch_up(self, name, timeout=None):
		"""Restart `name` on its database; returns figures of its catch-up."""
		v = self.net.node(name)
		target_best, target_fin = self.heights_up(exclude=(name,))
		p = self.net.restart(name)
		t_restart = time.monotonic()
		wait_for(f"{name} to answer RPC", lambda: check(p.poll() is None, f"{name} exited {p.returncode}") or v.heights(),
				 60, 0.1)
		t_rpc = time.monotonic()
		h0 = v.heights()
		wait_for(
			f"{name} to catch up to best #{target_best}, finalized #{target_fin}",
			lambda: check(p.poll() is None, f"{name} exited {p.returncode}")
			or (lambda h: h and h[0] >= target_best and h[1] >= target_fin)(v.heights()),
			timeout or self.a.catchup_timeout, 0.1,
		)
		t_caught = time.monotonic()
		self.wait_peers(name)
		self.net.mark_up(name)
		return {
			"restart_at": t_restart, "rpc_s": t_rpc - t_restart, "catchup_s": t_caught - t_restart,
			"start_best": h0[0] if h0 else None, "target_best": target_best,
		}

	# -- rounds ------------------------------------------------------------------------------

	def row(self, kind, victim, t_kill, t_restart, best_kill, best_restart, catchup, t_end, checked, **extra):
		gap = self.finality_gap(t_kill, t_end)
		r = {
			"round": self.round_no, "kind": kind, "victim": victim,
			"down_s": round(t_restart - t_kill, 1), "blocks_missed": best_restart - best_kill,
			"catchup_s": None if catchup is None else round(catchup, 1),
			"max_finality_gap_s": round(gap, 1),
			"finality_stall_s": round(gap, 1) if gap > self.a.stall_threshold else 0.0,
			"commits_checked": checked,
			"commits_total": len(self.commits),
		}
		r.update(extra)
		self.rows.append(r)
		log(f"round {self.round_no} ({kind}) {victim}: " + ", ".join(f"{k} {v}" for k, v in r.items() if k not in ("round", "kind", "victim")))
		return r

	def single_kill(self, k):
		self.round_no += 1
		wait = self.rng.uniform(*self.a.wait_range)
		victim = self.rng.choice(sorted(n.name for n in self.net.nodes))
		down = self.rng.uniform(*self.a.down_range)
		log(f"round {self.round_no}: kill {k}: {victim} in {wait:.1f}s, down {down:.1f}s")
		time.sleep(wait)
		best_kill, _ = self.heights_up()
		self.net.kill(victim)
		t_kill = time.monotonic()
		time.sleep(down)
		best_restart, _ = self.heights_up(exclude=(victim,))
		cu = self.restart_and_catch_up(victim)
		t_end = time.monotonic()
		checked = self.verify(f"round {self.round_no}")
		self.row("kill", victim, t_kill, cu["restart_at"], best_kill, best_restart, cu["catchup_s"], t_end, checked,
				 rpc_s=round(cu["rpc_s"], 1), resumed_from=cu["start_best"])

	def two_down(self):
		self.round_no += 1
		names = sorted(n.name for n in self.net.nodes)
		v1, v2 = self.rng.sample(names, 2)
		log(f"round {self.round_no}: two down at once: {v1} and {v2}")
		time.sleep(self.rng.uniform(*self.a.wait_range))
		best_kill, fin_kill = self.heights_up()
		self.net.kill(v1)
		self.net.kill(v2)
		t_kill = time.monotonic()
		time.sleep(self.a.settle)
		best_settle, fin_settle = self.heights_up()
		time.sleep(self.a.stall_seconds)
		best_end, fin_end = self.heights_up()
		log(f"  {v1}+{v2} down: finalized #{fin_kill} at the kill, #{fin_settle} after {self.a.settle:.0f}s, "
			f"#{fin_end} {self.a.stall_seconds:.0f}s later; best #{best_settle} -> #{best_end}")
		check(fin_end == fin_settle, f"finality advanced with 2 of 4 validators down: #{fin_settle} -> #{fin_end}")
		best_restart = best_end
		cu1 = self.restart_and_catch_up(v1, timeout=self.a.catchup_timeout)
		# finality resumes once 3 of 4 vote again
		wait_for("finality to resume", lambda: self.heights_up(exclude=(v2,))[1] > fin_end, self.a.catchup_timeout, 0.2)
		t_resume = time.monotonic()
		log(f"  finality resumed {t_resume - cu1['restart_at']:.1f}s after {v1} restarted; no new finalized block "
			f"for {self.finality_gap(t_kill, t_resume):.1f}s")
		cu2 = self.restart_and_catch_up(v2)
		t_end = time.monotonic()
		checked = self.verify(f"round {self.round_no}", recheck_from=fin_kill - 10)
		r = self.row(
			"two-down", f"{v1}+{v2}", t_kill, cu1["restart_at"], best_kill, best_restart,
			max(cu1["catchup_s"], cu2["catchup_s"]), t_end, checked,
			finalized_frozen_at=fin_settle, best_while_stalled=[best_settle, best_end],
			resume_after_restart_s=round(t_resume - cu1["restart_at"], 1),
			second_down_s=round(cu2["restart_at"] - t_kill, 1),
		)
		check(r["finality_stall_s"] > 0, f"two down: no finality stall recorded ({r})")

	def kill_during_import(self):
		"""Kill a node during its catch-up: it is kept down long enough to miss ~10 blocks,
		restarted, and its `system_syncState` is polled over one keep-alive connection (about a
		millisecond a poll); it is SIGKILLed as soon as its best is past where it restarted and
		short of the others' (mid-import). The import is quick (often the best block moves from
		the restart height to the head between two polls), so this takes up to `import_attempts`
		tries, and the last one kills it as soon as it syncs (knows a higher block than its best)."""
		self.round_no += 1
		victim = self.rng.choice(sorted(n.name for n in self.net.nodes))
		v = self.net.node(victim)
		log(f"round {self.round_no}: {victim} killed again while importing after a restart")
		time.sleep(self.rng.uniform(*self.a.wait_range))
		best_kill, _ = self.heights_up()
		self.net.kill(victim)
		t_kill = time.monotonic()
		host, port = v.http[len("http://"):].rstrip("/").split(":")
		body = json.dumps({"id": 1, "jsonrpc": "2.0", "method": "system_syncState", "params": []})
		state, attempts, t_restart, t_kill2 = None, [], None, None
		for attempt in range(1, self.a.import_attempts + 1):
			time.sleep(self.a.import_down)
			target_best, _ = self.heights_up(exclude=(victim,))
			p = self.net.restart(victim)
			t_restart = time.monotonic()
			first, last, highest, conn, polls = None, None, None, None, 0
			for _ in range(2_000_000):
				if p.poll() is not None:
					raise CheckFailed(f"{victim} exited {p.returncode} after its restart")
				if time.monotonic() - t_restart > 90:
					break
				try:
					if conn is None:
						conn = http.client.HTTPConnection(host, int(port), timeout=5)
					conn.request("POST", "/", body, {"content-type": "application/json"})
					sync = json.loads(conn.getresponse().read())["result"]
					last, highest = sync["currentBlock"], sync.get("highestBlock")
					polls += 1
				except Exception:
					conn = None
					time.sleep(0.02)
					continue
				if first is None:
					first = last
				if first < last < target_best:
					break  # it has imported some of the missed blocks, not all
				if highest is not None and last < highest and attempt == self.a.import_attempts:
					break  # it knows the others' best and is fetching and importing the blocks it missed
				if last >= target_best:
					break
			self.net.kill(victim)
			t_kill2 = time.monotonic()
			if conn is not None:
				conn.close()
			if first is not None and first < last < target_best:
				state = f"importing: best #{last}, restarted at #{first}, the others at #{target_best}"
			elif first is not None and highest is not None and last < highest and last < target_best:
				state = f"syncing: best #{last} (restarted at #{first}), syncing to #{highest}"
			else:
				state = f"not caught mid-import: best #{last}, restarted at #{first}, the others at #{target_best}"
			attempts.append(state)
			log(f"  attempt {attempt}: SIGKILLed {victim} {t_kill2 - t_restart:.2f}s after its restart ({polls} polls), {state}")
			if state.startswith(("importing", "syncing")):
				break
		time.sleep(2)
		best_restart, _ = self.heights_up(exclude=(victim,))
		cu = self.restart_and_catch_up(victim)
		t_end = time.monotonic()
		checked = self.verify(f"round {self.round_no}", full_nodes=(victim,))
		self.row("kill-in-import", victim, t_kill, cu["restart_at"], best_kill, best_restart, cu["catchup_s"], t_end,
				 checked, killed_while=state, attempts=len(attempts), killed_after_restart_s=round(t_kill2 - t_restart, 2),
				 resumed_from=cu["start_best"])
		check(state.startswith(("importing", "syncing")), f"{victim} was never caught importing in {len(attempts)} tries: {attempts}")

	def corrupt(self, which):
		self.round_no += 1

		def has(name):
			db = self.net.db_dir(name)
			return any(os.path.isfile(os.path.join(db, f)) and (which == "largest" or f.startswith(which))
					   for f in os.listdir(db) if f != "lock")

		names = sorted(n.name for n in self.net.nodes)
		with_file = [n for n in names if has(n)]
		victim = self.rng.choice(with_file or names)
		v = self.net.node(victim)
		log(f"round {self.round_no}: {victim} restarted on a database with a truncated file ({which})")
		if not with_file:
			# ParityDb keeps a fresh node's writes in its log; a restart enacts them into tables
			log(f"  no node has a {which}* file yet: restarting {victim} once so that its log is enacted")
			self.net.kill(victim)
			self.restart_and_catch_up(victim)
		time.sleep(self.rng.uniform(*self.a.wait_range))
		best_kill, _ = self.heights_up()
		own = v.heights()
		self.net.kill(victim)
		t_kill = time.monotonic()
		db = self.net.db_dir(victim)
		files = {f: os.path.getsize(os.path.join(db, f)) for f in os.listdir(db)
				 if f != "lock" and os.path.isfile(os.path.join(db, f))}
		cands = [f for f in files if which == "largest" or f.startswith(which)]
		check(cands, f"no file {which}* in {db}: {sorted(files)}")
		target = max(cands, key=lambda f: (files[f], f))
		size = files[target]
		new_size = size // 2
		with open(os.path.join(db, target), "r+b") as f:
			f.truncate(new_size)
		log(f"  {db}: {len(files)} files, {sum(files.values())} bytes; truncated {target} from {size} to {new_size} bytes")
		best_restart, fin_restart = self.heights_up(exclude=(victim,))
		offset = self.net.log_size(victim)
		p = self.net.restart(victim)
		t_restart = time.monotonic()
		outcome, detail, catchup, first = None, "", None, None
		deadline = t_restart + self.a.catchup_timeout
		for _ in range(int(self.a.catchup_timeout / 0.2) + 2):
			if p.poll() is not None:
				outcome = "refused"
				break
			h = v.heights()
			if h and first is None:
				first = h
				log(f"  {victim} answers at best #{h[0]}, finalized #{h[1]} (it had #{own[0] if own else '?'}, "
					f"finalized #{own[1] if own else '?'} before the kill)")
			if h and h[0] >= best_restart and h[1] >= fin_restart:
				outcome = "recovered"
				catchup = time.monotonic() - t_restart
				break
			if time.monotonic() > deadline:
				outcome = "stuck"
				break
			time.sleep(0.2)
		text = _strip_ansi(self.net.log_since(victim, offset))
		errors = [ln.strip() for ln in text.splitlines()
				  if any(w in ln for w in ("Error", "error", "fatal", "panicked", "Essential task", "orrupt", "Highest known"))]
		detail = errors[-6:]
		exit_how = None
		if outcome == "refused":
			exit_how = (f"killed by {signal.Signals(-p.returncode).name}" if p.returncode < 0 else f"exit {p.returncode}")
			# Refusing is fine; refusing without saying why is not.
			check(any(w in ln for ln in detail for w in ("Error", "error", "fatal")),
				  f"{victim} refused to start on its damaged database without a clear error ({exit_how})")
		log(f"  outcome: {outcome} ({time.monotonic() - t_restart:.1f}s after the restart)"
			+ (f"; {exit_how}" if exit_how else ""))
		for ln in detail:
			log(f"    log: {ln[:400]}")
		served = None
		if outcome == "recovered":
			# it must serve the same finalized data as the others: every commit, every height
			try:
				self.wait_peers(victim)
				self.net.mark_up(victim)
				self.verify(f"round {self.round_no} (recovered {victim})", full_nodes=(victim,), recheck_from=1)
				served = "same data as the others"
			except Exception as e:  # an RPC error is a refusal to serve; a different answer is not
				if isinstance(e, CheckFailed) and any(w in str(e) for w in ("different", "differs", " has 0x", " lacks ")):
					raise CheckFailed(f"{victim} SERVED WRONG DATA after its database was corrupted: {e}")
				served = f"could not serve: {str(e)[:300]}"
				outcome = "degraded"
				self.net.mark_down(victim)
		wiped = False
		if outcome != "recovered":
			if self.net.alive(victim):
				self.net.kill(victim)
			log(f"  wiping {victim}'s database {db} and resyncing it from the others")
			shutil.rmtree(db)
			wiped = True
			cu = self.restart_and_catch_up(victim, timeout=max(self.a.catchup_timeout, 300))
			catchup = cu["catchup_s"]
		t_end = time.monotonic()
		checked = self.verify(f"round {self.round_no}", full_nodes=(victim,), recheck_from=1 if wiped else None)
		self.row(
			"corrupt-db", victim, t_kill, t_restart, best_kill, best_restart, catchup, t_end, checked,
			truncated=f"{target} {size}->{new_size} bytes", outcome=outcome, log_errors=detail, served=served,
			wiped_and_resynced=wiped, before_kill=list(own) if own else None,
			restarted_at=list(first) if first else None, exit_code=p.returncode if outcome == "refused" else None,
			exit=exit_how,
		)

	# -- the run -------------------------------------------------------------------------------

	def run(self):
		a = self.a
		check(not os.path.exists(self.base), f"{self.base} exists; give a fresh --dir")
		os.makedirs(os.path.dirname(self.base), exist_ok=True)
		log(f"fault series: seed {a.seed} (reproduce the schedule with --seed {a.seed}), {a.kills} single kills, "
			f"two-down round {'on' if a.two_down else 'off'}, kill in import {'on' if a.import_kill else 'off'}, "
			f"corruption {a.corrupt or 'off'}")
		log(f"spawning {a.network} with zombienet (native) in {self.base}")
		self.net.spawn(a.spawn_timeout)
		nodes = self.net.nodes
		check(len(nodes) == 4, f"the fault series needs 4 validators, got {[n.name for n in nodes]}")
		log("nodes: " + ", ".join(f"{n.name} {n.ws} pid {self.net.pids[n.name]}" for n in nodes))
		for n in nodes:
			wait_for(f"{n.name} to have 3 peers", lambda n=n: n.peers() >= 3, 90)
		for n in nodes:
			wait_for(f"{n.name} to finalize a block", lambda n=n: n.finalized() >= 1, 120)
		threading.Thread(target=self.sampler, daemon=True).start()
		keys = ["//Alice", "//Bob", "//Charlie", "//Dave"][: a.streams]
		self.streams = [LoadStream(self, k, a.seed * 10 + i) for i, k in enumerate(keys)]
		for s in self.streams:
			s.start()
		wait_for("a finalized commit from every load stream", lambda: len({c["key"] for c in self.commits}) == len(keys), 180, 1)
		self.verify("before the faults")
		for k in range(1, a.kills + 1):
			self.single_kill(k)
		if a.two_down:
			self.two_down()
		if a.import_kill:
			self.kill_during_import()
		for which in [w for w in (a.corrupt or "").split(",") if w]:
			self.corrupt(which)
		# let the load run a little with everyone up, then the last full check
		time.sleep(a.settle)
		for s in self.streams:
			s.stop_event.set()
		for s in self.streams:
			s.join(timeout=660)
			check(not s.is_alive(), f"load stream {s.key} did not stop")
		self.sampler_stop.set()
		self.round_no += 1
		n = self.verify("final check", full_nodes=[n.name for n in nodes], recheck_from=1)
		return n

	def report(self, status, error=None, final_checked=None):
		a = self.a
		cols = [("round", "#"), ("kind", "kind"), ("victim", "victim"), ("down_s", "down s"),
				("blocks_missed", "missed"), ("catchup_s", "catch-up s"), ("max_finality_gap_s", "fin gap s"),
				("finality_stall_s", "stall s"), ("commits_checked", "commits")]
		lines = ["  ".join(f"{h:>10}" if i not in (1, 2) else f"{h:<14}" for i, (_, h) in enumerate(cols))]
		for r in self.rows:
			lines.append("  ".join(
				(f"{'-' if r[k] is None else r[k]:>10}" if i not in (1, 2) else f"{r[k]:<14}")
				for i, (k, _) in enumerate(cols)))
			if r["kind"] == "corrupt-db":
				lines.append(f"{'':>10}  truncated {r['truncated']}: {r['outcome']}"
							 + (f" (best/finalized #{r['before_kill'][0]}/#{r['before_kill'][1]} before, "
								f"#{r['restarted_at'][0]}/#{r['restarted_at'][1]} on restart)" if r.get("restarted_at") and r.get("before_kill") else "")
							 + (f" ({r['exit']}: {([e for e in r['log_errors'] if 'Highest known' not in e] or ['no error in its log'])[-1][:200]})"
								if r["outcome"] == "refused" else "")
							 + (f", served {r['served']}" if r.get("served") else "")
							 + (", wiped and resynced" if r.get("wiped_and_resynced") else ""))
			if r["kind"] == "kill-in-import":
				lines.append(f"{'':>10}  killed {r['killed_after_restart_s']}s after its restart, {r['killed_while']}"
							 f" (try {r['attempts']})")
			if r["kind"] == "two-down":
				lines.append(f"{'':>10}  finalized frozen at #{r['finalized_frozen_at']}, best "
							 f"#{r['best_while_stalled'][0]} -> #{r['best_while_stalled'][1]} meanwhile; finality resumed "
							 f"{r['resume_after_restart_s']}s after one returned")
		kills = [r for r in self.rows if r["kind"] == "kill"]
		interrupted = sum(s.interrupted for s in self.streams)
		stale = sum(s.stale for s in self.streams)
		errors = [e for s in self.streams for e in s.errors]
		summary = {
			"status": status, "error": error, "seed": a.seed, "rounds": len(self.rows), "single_kills": len(kills),
			"kills_total": sum(self.net.kills.values()),
			"commits_finalized": len(self.commits), "commits_checked_at_end": final_checked,
			"commits_interrupted": interrupted, "commits_refused_stale_nonce": stale, "commit_errors": len(errors), "commit_error_samples": errors[-5:],
			"mean_down_s": round(statistics.mean(r["down_s"] for r in kills), 1) if kills else None,
			"mean_catchup_s": round(statistics.mean(r["catchup_s"] for r in kills), 1) if kills else None,
			"max_catchup_s": max((r["catchup_s"] for r in kills), default=None),
			"max_finality_gap_single_kill_s": max((r["max_finality_gap_s"] for r in kills), default=None),
			"finalized_height_checked": self.checked_height,
			"minutes": round((time.monotonic() - self.t_start) / 60, 1),
		}
		lines.append(
			f"summary: {status}; seed {a.seed}; {summary['kills_total']} SIGKILLs over {len(self.rows)} rounds "
			f"({len(kills)} single kills: mean down {summary['mean_down_s']}s, mean catch-up {summary['mean_catchup_s']}s, "
			f"max {summary['max_catchup_s']}s); {len(self.commits)} commits reported finalized, "
			f"{final_checked if final_checked is not None else '?'} checked present and identical on all 4 nodes at the end; "
			f"finalized hashes agree on all nodes up to #{self.checked_height}; {interrupted} commits interrupted by a kill "
			f"({stale} retries refused as outdated after one), {len(errors)} other commit errors (retried); {summary['minutes']} min"
		)
		print("\nfault table (down s: killed to restarted; missed: blocks the others added meanwhile; catch-up s: "
			  "restart to best and finalized at the others'; fin gap s: longest time without a new finalized block "
			  f"from kill to catch-up; stall s: that gap when over {a.stall_threshold:.0f}s; commits: checked after the round)")
		print("\n".join(lines), flush=True)
		path = a.json or os.path.join(self.base, "faults.json")
		with open(path, "w") as f:
			json.dump({"summary": summary, "rounds": self.rows,
					   "commits": [{k: v for k, v in c.items() if k != "show"} for c in self.commits]}, f, indent=1)
		log(f"table written to {path}")


def cmd_faults(a):
	if a.seed is None:
		a.seed = random.SystemRandom().randrange(1, 1_000_000)
	run = FaultRun(a)

	def stop_all(*_):
		raise KeyboardInterrupt

	signal.signal(signal.SIGTERM, stop_all)
	status, error, final = "passed", None, None
	try:
		final = run.run()
	except CheckFailed as e:
		status, error = "FAILED", str(e)
		log(f"FAILED: {e}")
	except KeyboardInterrupt:
		status, error = "interrupted", "interrupted"
		log("interrupted")
	except Exception as e:
		traceback.print_exc()
		status, error = "FAILED", repr(e)
		log(f"FAILED: {e!r}")
	finally:
		for s in run.streams:
			s.stop_event.set()
		run.sampler_stop.set()
		try:
			run.report(status, error, final)
		except Exception as e:  # the table must not hide the network's teardown
			log(f"could not write the table: {e!r}")
		run.net.stop()
		log("network stopped")
	if status != "passed":
		sys.exit(1 if status == "FAILED" else 130)


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

	k = sub.add_parser("consortium", help="start a consortium of four from its members file, command by command")
	k.add_argument("--dir", required=True, help="fresh directory for the members' nodes")
	k.set_defaults(fn=cmd_consortium)

	g = sub.add_parser("governance", help="admit a fifth validator and remove one by council motion, under load")
	g.add_argument("--network", default=os.path.join(HERE, "network-4.toml"))
	g.add_argument("--dir", required=True, help="fresh directory for the network")
	g.add_argument("--max-commits", type=int, default=200)
	g.add_argument("--admit-only", action="store_true", help="stop after admitting eve (no removal)")
	g.add_argument("--spawn-timeout", type=float, default=180)
	g.add_argument("--session-timeout", type=float, default=240, help="motion to effect, at most")
	g.add_argument("--max-stall", type=float, default=60, help="longest acceptable pause of finality (s)")
	g.add_argument("--max-seconds", type=float, default=1200, help="bound on the height sampler")
	g.set_defaults(fn=cmd_governance)

	u = sub.add_parser("upgrade", help="start from an earlier release's runtime and upgrade by council motion, under load")
	u.add_argument("--network", default=os.path.join(HERE, "network-4.toml"))
	u.add_argument("--dir", required=True, help="fresh directory for the network")
	u.add_argument("--from-runtime", required=True, help="the earlier release's runtime (scripts/build-release-runtime.sh)")
	u.add_argument("--to-runtime", required=True, help="the runtime to upgrade to (the current build's)")
	u.add_argument("--max-commits", type=int, default=200)
	u.add_argument("--spawn-timeout", type=float, default=180)
	u.add_argument("--max-stall", type=float, default=60, help="longest acceptable pause of finality (s)")
	u.add_argument("--max-seconds", type=float, default=1200, help="bound on the height sampler")
	u.set_defaults(fn=cmd_upgrade)

	s = sub.add_parser("faults", help="a series of validator kills under commit load, two down at once, "
					   "a kill during catch-up, a truncated database; prints a fault table")
	s.add_argument("--network", default=os.path.join(HERE, "network-4.toml"))
	s.add_argument("--dir", required=True, help="fresh directory for the network")
	s.add_argument("--kills", type=int, default=20, help="single SIGKILLs of random validators")
	s.add_argument("--seed", type=int, help="seed of the schedule (victims, moments, outages); printed")
	s.add_argument("--json", help="write the table here (default: DIR/faults.json)")
	s.add_argument("--streams", type=int, default=2, help="concurrent commit streams (//Alice, //Bob, ...)")
	s.add_argument("--wait-range", type=float, nargs=2, default=(2.0, 20.0), metavar=("MIN", "MAX"),
				   help="seconds of load before each kill")
	s.add_argument("--down-range", type=float, nargs=2, default=(5.0, 30.0), metavar=("MIN", "MAX"),
				   help="seconds a killed validator stays down")
	s.add_argument("--no-two-down", dest="two_down", action="store_false", help="skip the two-down round")
	s.add_argument("--stall-seconds", type=float, default=40, help="two-down: how long finality must stay frozen")
	s.add_argument("--settle", type=float, default=10, help="two-down: seconds before the frozen height is taken")
	s.add_argument("--no-import-kill", dest="import_kill", action="store_false", help="skip the kill during catch-up")
	s.add_argument("--import-down", type=float, default=60, help="seconds down before the restart that is killed")
	s.add_argument("--import-attempts", type=int, default=3,
				   help="tries at catching the node mid-import; the last one kills it as soon as it syncs")
	s.add_argument("--corrupt", default="index_01,table_01,log",
				   help="comma list of ParityDb files to truncate to half, one round each: the largest file whose "
						"name starts with a prefix, or 'largest' of any ('' for none). Default: the state column's "
						"(column 1) hash index and largest value table, and the write-ahead log")
	s.add_argument("--stall-threshold", type=float, default=20, help="finality gaps above this count as a stall")
	s.add_argument("--idle-limit", type=float, default=400, help="fail if a commit stream has no success this long")
	s.add_argument("--spawn-timeout", type=float, default=240)
	s.add_argument("--catchup-timeout", type=float, default=180)
	s.add_argument("--max-seconds", type=float, default=7200, help="bound on the height sampler")
	s.set_defaults(fn=cmd_faults)

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
