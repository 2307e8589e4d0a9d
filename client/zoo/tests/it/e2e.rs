//! End to end: the real `zoo-node` driven by the real `zoo` binary.
//!
//! `instant_seal_end_to_end` starts `zoo-node --dev --instant-seal` on a temporary base path and
//! free ports, then walks through what a user does: create a model, grant a role, commit a
//! directory, commit a child version, point a ref at it (create, move, protect, list, history,
//! unprotect), `status`, `log` (and `--graph`), `show`, `diff`, `verify` (a match, then a flipped
//! byte, a missing file and an extra file, each reported on its own), `checkout` (byte-identical
//! files; a non-empty target is refused), a commit by an account without the committer role, and
//! the one-line errors for a malformed CID, an unknown CID and an unreachable node. The `--json`
//! answer of every verb on the way is compared whole with its expected shape
//! ([`crate::common::snapshot`]). It prints the wall time of every `zoo commit` (submit -> finalized) and
//! of the whole test.
//!
//! `commit_latency_aura_dev` (ignored by default: it takes about a minute) runs the same journey
//! on `zoo-node --dev` (real 6 s Aura slots and GRANDPA finality) to measure commit latency there:
//!
//! ```sh
//! CARGO_TARGET_DIR=$HOME/.cache/zoo/target cargo test --release --workspace --test e2e -- --ignored --nocapture
//! ```
//!
//! `one_key_two_pending_transactions` signs a second transaction with a key whose first is still
//! pending (in the pool or in a block not yet finalized) on the Aura dev node: the client takes
//! the node's pending-aware next nonce, so neither is refused as a replay of the other.
//!
//! The node binary comes from `$ZOO_NODE`, else from the target directory this test was built in
//! (`make build` builds it). A missing node fails the test: an end-to-end test that silently
//! skips would let CI pass without ever running it.

use serde_json::{Value, json};
use std::{
	collections::BTreeMap,
	fs,
	path::Path,
	time::{Duration, Instant},
};

use crate::common::{
	ALICE, NOT_COMMITTER_DOCS, Zoo, block_shape,
	harness::{Node, rpc_call},
	pseudo_random,
	snapshot::assert_json_shape,
};

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

/// A small model directory: a nested directory, a ~1 MiB weights file and an empty file.
fn write_model_dir(dir: &Path) {
	fs::create_dir_all(dir.join("tokenizer/merges")).unwrap();
	fs::write(dir.join("model.safetensors"), pseudo_random(1 << 20, 0x5eed)).unwrap();
	fs::write(dir.join("config.json"), br#"{"layers": 2, "hidden": 64}"#).unwrap();
	fs::write(dir.join("tokenizer/vocab.txt"), b"hello\nworld\n").unwrap();
	fs::write(dir.join("tokenizer/merges/rules.txt"), b"h e\nl l\n").unwrap();
	fs::write(dir.join("empty.txt"), b"").unwrap();
}

/// Every file under `dir` (its `.zoo/` aside) by relative path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
	fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
		for entry in fs::read_dir(dir).unwrap() {
			let path = entry.unwrap().path();
			let relative = path.strip_prefix(root).unwrap().to_str().unwrap().to_owned();
			if relative == ".zoo" {
				continue;
			}
			if path.is_dir() {
				walk(root, &path, out);
			} else {
				out.insert(relative, fs::read(&path).unwrap());
			}
		}
	}
	let mut out = BTreeMap::new();
	walk(dir, dir, &mut out);
	out
}

fn names(value: &Value) -> Vec<String> {
	value
		.as_array()
		.unwrap_or_else(|| panic!("not an array: {value}"))
		.iter()
		.map(|v| v.as_str().unwrap().to_owned())
		.collect()
}

fn s(path: &Path) -> &str {
	path.to_str().unwrap()
}

/// Progress lines with the time since the test started, so a slow step stands out.
struct Clock {
	started: Instant,
	timings: Vec<(String, Duration)>,
}

impl Clock {
	fn new() -> Clock {
		Clock { started: Instant::now(), timings: Vec::new() }
	}

	fn step(&self, what: &str) {
		eprintln!("[e2e {:>7.2}s] {what}", self.started.elapsed().as_secs_f64());
	}

	fn record(&mut self, what: &str, elapsed: Duration) {
		eprintln!(
			"[e2e {:>7.2}s]   {what}: {:.0} ms",
			self.started.elapsed().as_secs_f64(),
			elapsed.as_secs_f64() * 1e3
		);
		self.timings.push((what.to_owned(), elapsed));
	}

	fn report(&self, title: &str) {
		eprintln!("\n== {title} ==");
		for (what, elapsed) in &self.timings {
			eprintln!("  {what:<60} {:>8.0} ms", elapsed.as_secs_f64() * 1e3);
		}
		eprintln!("  {:<60} {:>8.2} s\n", "total test time", self.started.elapsed().as_secs_f64());
	}
}

// ---------------------------------------------------------------------------------------------
// Expected JSON shapes (redacted, see common::snapshot)
// ---------------------------------------------------------------------------------------------

/// Where a transaction landed: the same object in every answer that submits one.

/// The manifest of a version of [`write_model_dir`]'s directory, committed with `--license MIT`.
fn manifest_shape(parents: Value, accuracy: &str, message: &str) -> Value {
	let artifact = |path: &str, kind: &str| {
		json!({"path": path, "kind": kind, "size": "<number>", "digest": "<digest>", "algorithm": "sha2-256",
			"uri": "<uri>", "unixfs_cid": "<cid>"})
	};
	json!({
		"id": "<cid>",
		"model": MODEL,
		"parents": parents,
		"artifacts": [
			artifact("config.json", "config"),
			artifact("empty.txt", "other"),
			artifact("model.safetensors", "weights"),
			artifact("tokenizer/merges/rules.txt", "other"),
			artifact("tokenizer/vocab.txt", "other"),
		],
		"metrics": {"accuracy": accuracy},
		"license": "MIT",
		"tags": {},
		"message": message,
		"hashing": {"algorithm": "sha2-256", "shard_size": null},
	})
}

/// A version record (`log`'s `versions`, and the start of `show`) holding `manifest`.
fn version_shape(manifest: Value) -> Value {
	json!({"id": "<cid>", "manifest": manifest, "committer": "<account>", "committed_in": "<number>",
		"deposit": "<amount>", "yanked": null})
}

/// `value`'s fields with `extra`'s added (for `show`, a version record and more).
fn with(value: Value, extra: Value) -> Value {
	let (Value::Object(mut fields), Value::Object(extra)) = (value, extra) else { panic!("objects only") };
	fields.extend(extra);
	Value::Object(fields)
}

// ---------------------------------------------------------------------------------------------
// The scenario
// ---------------------------------------------------------------------------------------------

const MODEL: &str = "acme/e2e-model";

/// The whole user journey against a node started with `mode_args`; prints the timings under
/// `title`.
fn scenario(mode_args: &[&str], title: &str) {
	let mut clock = Clock::new();
	clock.step(&format!("starting zoo-node {}", mode_args.join(" ")));
	let node = Node::start(mode_args);
	clock.record("node start until RPC answers", clock.started.elapsed());
	let zoo = Zoo::new(node.ws_url());
	let work = tempfile::Builder::new().prefix("zoo-e2e-work-").tempdir().unwrap();
	let dir = work.path().join("model");
	let d = s(&dir);

	// -- A model, owned by Alice, whom the owner role lets commit.
	clock.step("model create / show");
	let created = zoo.run(&["--json", "--key", "//Alice", "model", "create", MODEL]);
	created.assert_ok();
	clock.record("zoo model create (submit -> finalized)", created.elapsed);
	let created = created.json();
	assert_json_shape("model create", &created, json!({"model": MODEL, "block": block_shape()}));
	assert!(created["block"]["block_number"].as_u64().unwrap() > 0, "{created}");
	// Charlie may move refs; the answer names the role.
	let role = zoo.json(&["--key", "//Alice", "model", "role", MODEL, "//Charlie", "releaser"]);
	assert_json_shape(
		"model role",
		&role,
		json!({"model": MODEL, "account": "<account>", "role": "releaser", "block": block_shape()}),
	);
	// Timed as a baseline: process start, connect and two reads, no transaction.
	let shown = zoo.run(&["--json", "model", "show", MODEL]);
	shown.assert_ok();
	clock.record("zoo model show (connect + reads, no transaction)", shown.elapsed);
	let model = shown.json();
	assert_json_shape(
		"model show",
		&model,
		json!({
			"name": MODEL,
			"owner": "<account>",
			"deposit": "<amount>",
			"version_count": "<number>",
			"maintainers": [{"account": "<account>", "role": "releaser"}],
			"heads": [],
			"refs": [],
			"derived_from": [],
			"derivations": [],
		}),
	);
	assert_eq!(model["name"], MODEL);
	assert_eq!(model["owner"], ALICE);
	assert_eq!(model["version_count"], 0);
	assert_eq!(model["maintainers"][0]["account"], role["account"]);
	// Creating it twice is refused.
	zoo.run(&["--key", "//Alice", "model", "create", MODEL]).assert_one_line_error(&["already exists"]);

	// -- v1: the CID the chain accepts is the one computed locally by --dry-run.
	clock.step("commit v1");
	write_model_dir(&dir);
	let files_total: u64 = tree(&dir).values().map(|b| b.len() as u64).sum();
	zoo.json(&["init", MODEL, d]);
	let v1_args = ["commit", d, "-m", "first", "--metric", "accuracy=0.5", "--license", "MIT"];
	let dry = zoo.run(&[&["--json"][..], &v1_args, &["--dry-run"]].concat());
	dry.assert_ok();
	clock.record("zoo commit --dry-run v1 (local hashing only)", dry.elapsed);
	let dry_v1 = dry.json()["id"].as_str().unwrap().to_owned();
	let commit = zoo.run(&[&["--json", "--key", "//Alice"][..], &v1_args].concat());
	commit.assert_ok();
	clock.record("zoo commit v1 (submit -> finalized, whole process)", commit.elapsed);
	let commit = commit.json();
	assert_json_shape(
		"commit",
		&commit,
		json!({"id": "<cid>", "model": MODEL, "block": block_shape(), "files": "<number>", "bytes": "<number>",
			"parents": [], "branch": null}),
	);
	let v1 = commit["id"].as_str().unwrap().to_owned();
	assert_eq!(v1, dry_v1, "the committed CID differs from the dry run's");
	assert!(v1.starts_with("bafkrei"), "{v1}");
	assert_eq!(commit["model"], MODEL);
	assert_eq!(commit["files"], 5);
	assert_eq!(commit["bytes"], files_total);
	assert_eq!(commit["parents"], Value::Array(vec![]));
	assert!(commit["block"]["block_number"].as_u64().unwrap() > created["block"]["block_number"].as_u64().unwrap());
	assert!(zoo.json(&["status", d])["clean"].as_bool().unwrap(), "clean right after the commit");

	// -- A modification shows in `status`.
	clock.step("status after a change");
	fs::write(dir.join("config.json"), br#"{"layers": 3, "hidden": 64}"#).unwrap();
	let status = zoo.json(&["status", d]);
	assert_json_shape(
		"status",
		&status,
		json!({"model": MODEL, "head": "<cid>", "clean": false, "added": [], "removed": [],
			"modified": ["config.json"], "unchanged": "<number>"}),
	);
	assert_eq!(status["head"], v1.as_str());
	assert_eq!(status["clean"], false);
	assert_eq!(names(&status["modified"]), ["config.json"]);
	assert_eq!(names(&status["added"]), Vec::<String>::new());
	assert_eq!(names(&status["removed"]), Vec::<String>::new());

	// -- v2: the default parent is the directory's last commit.
	clock.step("commit v2");
	let v2_args = ["commit", d, "-m", "second", "--metric", "accuracy=0.75", "--license", "MIT"];
	let dry_v2 = zoo.json(&[&v2_args[..], &["--dry-run"]].concat())["id"].as_str().unwrap().to_owned();
	let commit = zoo.run(&[&["--json", "--key", "//Alice"][..], &v2_args].concat());
	commit.assert_ok();
	clock.record("zoo commit v2 (submit -> finalized, whole process)", commit.elapsed);
	let commit = commit.json();
	let v2 = commit["id"].as_str().unwrap().to_owned();
	assert_eq!(v2, dry_v2);
	assert_ne!(v2, v1);
	assert_eq!(commit["parents"], serde_json::json!([{"id": v1.clone(), "edge": "revision"}]));
	assert!(zoo.json(&["status", d])["clean"].as_bool().unwrap());

	// -- refs: main created at v1, moved to v2, protected, listed, its history, unprotected.
	clock.step("branch create / move / protect / list / history / unprotect");
	let alice = |args: &[&str]| zoo.json(&[&["--key", "//Alice"][..], args].concat());
	let ref_created = alice(&["branch", "create", "main", &v1, "--model", MODEL]);
	assert_json_shape(
		"branch create",
		&ref_created,
		json!({"model": MODEL, "name": "main", "target": "<cid>", "protected": false, "block": block_shape()}),
	);
	assert_eq!(ref_created["target"], v1.as_str());
	let moved = alice(&["branch", "move", "main", &v2, "--model", MODEL]);
	assert_json_shape(
		"branch move",
		&moved,
		json!({"model": MODEL, "name": "main", "from": "<cid>", "to": "<cid>", "forced": false, "block": block_shape()}),
	);
	assert_eq!((moved["from"].as_str(), moved["to"].as_str()), (Some(v1.as_str()), Some(v2.as_str())));
	let protected = alice(&["branch", "protect", "main", "--model", MODEL]);
	assert_json_shape(
		"branch protect",
		&protected,
		json!({"model": MODEL, "name": "main", "protected": true, "block": block_shape()}),
	);
	let listed = zoo.json(&["branch", "list", "--model", MODEL]);
	assert_json_shape(
		"branch list",
		&listed,
		json!({"model": MODEL, "refs": [{"name": "main", "target": "<cid>", "protected": true, "moves": "<number>",
			"creator": "<account>"}]}),
	);
	let history = zoo.json(&["branch", "history", "main", "--model", MODEL]);
	let ref_move =
		|from: Value| json!({"by": "<account>", "from": from, "to": "<cid>", "moved_in": "<number>", "forced": false});
	assert_json_shape(
		"branch history",
		&history,
		json!({"model": MODEL, "name": "main", "history": [ref_move(json!("<cid>")), ref_move(Value::Null)]}),
	);
	let moved_in = history["history"][0]["moved_in"].as_u64().unwrap().to_string();
	let at = zoo.json(&["branch", "history", "main", "--model", MODEL, "--at", &moved_in]);
	assert_json_shape(
		"branch history --at",
		&at,
		json!({"model": MODEL, "name": "main", "at": "<number>", "target": "<cid>"}),
	);
	assert_eq!(at["target"], v2.as_str());
	let unprotected = alice(&["branch", "unprotect", "main", "--model", MODEL]);
	assert_json_shape(
		"branch unprotect",
		&unprotected,
		json!({"model": MODEL, "name": "main", "protected": false, "block": block_shape()}),
	);

	// -- log: newest first.
	clock.step("log / show");
	let log = zoo.json(&["log", MODEL]);
	let ids: Vec<&str> = log["versions"].as_array().unwrap().iter().map(|v| v["id"].as_str().unwrap()).collect();
	assert_eq!(ids, [v2.as_str(), v1.as_str()]);
	let revision_of_v1 = json!([{"id": "<cid>", "edge": "revision"}]);
	assert_json_shape(
		"log",
		&log,
		json!({"model": MODEL, "versions": [
			version_shape(manifest_shape(revision_of_v1.clone(), "0.75", "second")),
			version_shape(manifest_shape(json!([]), "0.5", "first")),
		]}),
	);
	let model = zoo.json(&["model", "show", MODEL]);
	assert_eq!(model["version_count"], 2);
	assert_eq!(model["heads"], json!([v2.clone()]));
	// A ref is the same record wherever it is shown.
	assert_eq!(model["refs"], zoo.json(&["branch", "list", "--model", MODEL])["refs"]);
	assert_json_shape(
		"model show (with versions and a ref)",
		&model,
		json!({
			"name": MODEL,
			"owner": "<account>",
			"deposit": "<amount>",
			"version_count": "<number>",
			"maintainers": [{"account": "<account>", "role": "releaser"}],
			"heads": ["<cid>"],
			"refs": [{"name": "main", "target": "<cid>", "protected": false, "moves": "<number>", "creator": "<account>"}],
			"derived_from": [],
			"derivations": [],
		}),
	);
	let graph = zoo.json(&["log", MODEL, "--graph"]);
	let graph_node = |message: &str, refs: Value| {
		json!({"id": "<cid>", "generation": "<number>", "committed_in": "<number>", "committer": "<account>",
			"message": message, "yanked": null, "refs": refs})
	};
	assert_json_shape(
		"log --graph",
		&graph,
		json!({
			"model": MODEL,
			"nodes": [graph_node("second", json!(["main"])), graph_node("first", json!([]))],
			"edges": [{"child": "<cid>", "parent": "<cid>", "kind": "revision", "parent_model": MODEL, "listed": true}],
		}),
	);
	assert_eq!((graph["edges"][0]["child"].as_str(), graph["edges"][0]["parent"].as_str()), (Some(&*v2), Some(&*v1)));
	let text_log = zoo.run(&["log", MODEL]);
	text_log.assert_ok();
	assert!(text_log.stdout.contains("second") && text_log.stdout.contains("first"), "{}", text_log.describe());

	// -- show: the record and the manifest, with v1 as parent.
	let shown = zoo.json(&["show", &v2]);
	assert_json_shape(
		"show",
		&shown,
		with(
			version_shape(manifest_shape(revision_of_v1.clone(), "0.75", "second")),
			json!({"generation": "<number>", "parents": [{"id": "<cid>", "edge": "revision", "model": MODEL}],
				"children": [], "refs": ["main"]}),
		),
	);
	// A version record is the same in `log` and `show`.
	for (field, value) in log["versions"][0].as_object().unwrap() {
		assert_eq!(&shown[field], value, "{field} differs between log and show");
	}
	let shown_v1 = zoo.json(&["show", &v1]);
	assert_json_shape(
		"show (a root with a child)",
		&shown_v1,
		with(
			version_shape(manifest_shape(json!([]), "0.5", "first")),
			json!({"generation": "<number>", "parents": [], "children": [{"id": "<cid>", "edge": "revision"}],
				"refs": []}),
		),
	);
	assert_eq!(shown_v1["children"][0]["id"], v2.as_str());
	assert_eq!(shown["id"], v2.as_str());
	assert_eq!(shown["committer"], ALICE);
	assert_eq!(shown["committed_in"], commit["block"]["block_number"]);
	assert_eq!(shown["yanked"], Value::Null);
	let manifest = &shown["manifest"];
	assert_eq!(manifest["id"], v2.as_str());
	assert_eq!(manifest["model"], MODEL);
	assert_eq!(manifest["parents"], serde_json::json!([{"id": v1, "edge": "revision"}]));
	assert_eq!(manifest["metrics"]["accuracy"], "0.75");
	assert_eq!(manifest["license"], "MIT");
	assert_eq!(manifest["message"], "second");
	let paths: Vec<&str> =
		manifest["artifacts"].as_array().unwrap().iter().map(|a| a["path"].as_str().unwrap()).collect();
	let mut expected: Vec<String> = tree(&dir).into_keys().collect();
	expected.sort();
	let mut sorted = paths.clone();
	sorted.sort();
	assert_eq!(sorted, expected);
	let text_show = zoo.run(&["show", &v2]);
	text_show.assert_ok();
	assert!(text_show.stdout.contains(&format!("parent   {v1}")), "{}", text_show.describe());

	// -- diff: what changed from v1 to v2.
	let diff = zoo.json(&["diff", &v1, &v2]);
	let digest = json!({"algorithm": "sha2-256", "hex": "<digest>"});
	let nothing = json!({"added": [], "removed": [], "changed": []});
	assert_json_shape(
		"diff",
		&diff,
		json!({"old": "<cid>", "new": "<cid>", "diff": {
			"model": null,
			"parents": {"added": [{"id": "<cid>", "edge": "revision"}], "removed": [], "changed": [], "reordered": false},
			"artifacts": {"added": [], "removed": [], "changed": [
				{"path": "config.json", "size": null, "digest": {"old": digest, "new": digest}, "kind": null, "uri": null},
			]},
			"metrics": {"added": [], "removed": [], "changed": [
				{"name": "accuracy", "old": "0.5", "new": "0.75", "delta": "+0.25"},
			]},
			"license": null,
			"tags": nothing,
			"message": {"old": "first", "new": "second"},
			"hashing": null,
		}}),
	);
	assert_eq!((diff["old"].as_str(), diff["new"].as_str()), (Some(&*v1), Some(&*v2)));

	// -- verify: a match, then each kind of difference on its own.
	clock.step("verify");
	let verify = |expect_code: i32| -> Value {
		let run = zoo.run(&["--json", "verify", &v2, d]);
		assert_eq!(run.code, expect_code, "{}", run.describe());
		let value = run.json();
		assert_eq!(value["id"], v2.as_str());
		assert_eq!(value["ok"], expect_code == 0, "{value}");
		value["report"].clone()
	};
	let report = verify(0);
	assert_json_shape(
		"verify",
		&zoo.json(&["verify", &v2, d]),
		json!({"id": "<cid>", "manifest_id": "<cid>", "ok": true, "yanked": null, "report": {"missing": [],
			"extra": [], "mismatched": [], "matched": "<number>", "bytes_hashed": "<number>"}}),
	);
	assert_eq!(report["matched"], 5);
	assert_eq!(report["bytes_hashed"], files_total);

	let weights = dir.join("model.safetensors");
	let original = fs::read(&weights).unwrap();
	let mut flipped = original.clone();
	flipped[original.len() / 2] ^= 0x01;
	fs::write(&weights, &flipped).unwrap();
	let report = verify(1);
	assert_json_shape(
		"verify (a mismatch)",
		&report,
		json!({"missing": [], "extra": [], "matched": "<number>", "bytes_hashed": "<number>", "mismatched": [{
			"path": "model.safetensors", "expected_size": "<number>", "actual_size": "<number>",
			"expected_digest": "<digest>", "actual_digest": "<digest>"}]}),
	);
	assert_eq!(names(&report["missing"]), Vec::<String>::new());
	assert_eq!(names(&report["extra"]), Vec::<String>::new());
	let mismatched = report["mismatched"].as_array().unwrap();
	assert_eq!(mismatched.len(), 1, "{report}");
	assert_eq!(mismatched[0]["path"], "model.safetensors");
	assert_eq!(mismatched[0]["expected_size"], mismatched[0]["actual_size"], "same size, different digest");
	assert!(mismatched[0]["actual_digest"].is_string(), "{report}");
	assert_ne!(mismatched[0]["actual_digest"], mismatched[0]["expected_digest"]);
	assert_eq!(report["matched"], 4);
	// People get the same facts in text, and the same exit code.
	let text_verify = zoo.run(&["verify", &v2, d]);
	assert_eq!(text_verify.code, 1, "{}", text_verify.describe());
	assert!(text_verify.stdout.contains("mismatched  model.safetensors"), "{}", text_verify.describe());
	fs::write(&weights, &original).unwrap();

	let vocab = dir.join("tokenizer/vocab.txt");
	let vocab_bytes = fs::read(&vocab).unwrap();
	fs::remove_file(&vocab).unwrap();
	let report = verify(1);
	assert_eq!(names(&report["missing"]), ["tokenizer/vocab.txt"]);
	assert_eq!(names(&report["extra"]), Vec::<String>::new());
	assert_eq!(report["mismatched"], serde_json::json!([]));
	assert_eq!(report["matched"], 4);
	fs::write(&vocab, &vocab_bytes).unwrap();

	fs::write(dir.join("tokenizer/extra.bin"), b"not committed").unwrap();
	let report = verify(1);
	assert_eq!(names(&report["missing"]), Vec::<String>::new());
	assert_eq!(names(&report["extra"]), ["tokenizer/extra.bin"]);
	assert_eq!(report["mismatched"], serde_json::json!([]));
	assert_eq!(report["matched"], 5);
	fs::remove_file(dir.join("tokenizer/extra.bin")).unwrap();
	verify(0);

	// -- checkout: fetched from the file:// URIs, byte-identical to the source.
	clock.step("checkout");
	let copy = work.path().join("copy");
	let checkout = zoo.json(&["checkout", &v2, s(&copy)]);
	assert_json_shape(
		"checkout",
		&checkout,
		json!({"id": "<cid>", "manifest_id": "<cid>", "dir": "<path>", "yanked": null, "files": "<number>",
			"bytes": "<number>", "transferred": "<number>", "resumed": "<number>", "from_mirrors": "<number>"}),
	);
	assert_eq!(checkout["dir"], s(&copy));
	assert_eq!(checkout["id"], v2.as_str());
	assert_eq!(checkout["files"], 5);
	assert_eq!(checkout["bytes"], files_total);
	let (source, copied) = (tree(&dir), tree(&copy));
	assert_eq!(source.keys().collect::<Vec<_>>(), copied.keys().collect::<Vec<_>>(), "same files");
	for (path, bytes) in &source {
		assert!(copied[path] == *bytes, "{path} differs after checkout");
	}
	assert!(copied["empty.txt"].is_empty());
	// The checkout is a workspace at v2 with nothing changed.
	let status = zoo.json(&["status", s(&copy)]);
	assert_eq!(status["head"], v2.as_str());
	assert_eq!(status["clean"], true, "{status}");

	// A non-empty target is refused without --force, and left exactly as it was.
	let occupied = work.path().join("occupied");
	fs::create_dir_all(&occupied).unwrap();
	fs::write(occupied.join("keep.txt"), b"mine").unwrap();
	zoo.run(&["checkout", &v2, s(&occupied)]).assert_one_line_error(&["not empty", "--force"]);
	let left: Vec<_> = fs::read_dir(&occupied).unwrap().map(|e| e.unwrap().file_name()).collect();
	assert_eq!(left, ["keep.txt"], "the refused checkout wrote something");
	assert_eq!(fs::read(occupied.join("keep.txt")).unwrap(), b"mine");

	// -- Bob has no role on the model: the chain rejects his commit, and says why in words.
	clock.step("rejected commit by //Bob");
	let bob_dir = work.path().join("bob");
	fs::create_dir_all(&bob_dir).unwrap();
	fs::write(bob_dir.join("weights.bin"), b"bob's weights").unwrap();
	// With --json the error is the only thing printed (text mode also shows progress on stderr
	// and the CID it is about to submit on stdout).
	let rejected = zoo.run(&["--json", "--key", "//Bob", "commit", s(&bob_dir), "-m", "by bob", "--model", MODEL]);
	rejected.assert_one_line_error(&["NotCommitter", NOT_COMMITTER_DOCS]);
	clock.record("rejected zoo commit by //Bob", rejected.elapsed);
	assert!(!bob_dir.join(".zoo").exists(), "a rejected commit recorded a head");
	assert_eq!(zoo.json(&["model", "show", MODEL])["version_count"], 2, "a rejected commit changed the model");

	// -- Bad CIDs: malformed, and well formed but unknown.
	clock.step("bad CIDs and an unreachable node");
	zoo.run(&["show", "not-a-cid"]).assert_one_line_error(&["invalid version id"]);
	let unknown = zoo.json(&["commit", s(&bob_dir), "-m", "never committed", "--model", MODEL, "--dry-run"])["id"]
		.as_str()
		.unwrap()
		.to_owned();
	let run = zoo.run(&["show", &unknown]);
	run.assert_one_line_error(&[&unknown]);
	assert!(
		run.stderr.contains("does not exist") || run.stderr.contains("not found"),
		"expected a not-found error\n{}",
		run.describe()
	);

	// -- An unreachable node fails fast, in one line.
	let run = zoo.run(&["--url", "ws://127.0.0.1:1", "model", "show", MODEL]);
	run.assert_one_line_error(&["127.0.0.1:1"]);
	let lower = run.stderr.to_lowercase();
	assert!(
		lower.contains("cannot reach") || lower.contains("connect"),
		"expected a connect error\n{}",
		run.describe()
	);
	assert!(run.elapsed < Duration::from_secs(10), "connect error took {:?}", run.elapsed);
	clock.record("zoo against an unreachable node (until the error)", run.elapsed);

	drop(node);
	clock.report(title);
}

#[test]
fn instant_seal_end_to_end() {
	scenario(&["--dev", "--instant-seal"], "e2e timings, zoo-node --dev --instant-seal");
}

/// The same journey with real Aura slots (6 s) and GRANDPA finality, to measure commit latency
/// there: `zoo commit` returns only once its block is finalized, so expect a slot wait plus a
/// finality round per transaction. It also proves the scenario does not depend on instant seal.
#[test]
#[ignore = "takes a minute or so (real 6 s Aura slots); run with --ignored"]
fn commit_latency_aura_dev() {
	scenario(&["--dev"], "e2e timings, zoo-node --dev (Aura 6 s slots + GRANDPA)");
}

/// An operator stops a validator with SIGTERM (as systemd does) and starts it again: it shuts
/// down cleanly, resumes from its database, keeps every committed version, and goes on
/// producing blocks.
#[test]
fn graceful_restart_keeps_the_chain() {
	const MODEL: &str = "acme/restart";
	let mut node = Node::start(&["--dev", "--instant-seal"]);
	let zoo = Zoo::new(node.ws_url());
	let work = tempfile::Builder::new().prefix("zoo-e2e-work-").tempdir().unwrap();
	let dir = work.path().join("model");
	write_model_dir(&dir);

	zoo.run(&["--key", "//Alice", "model", "create", MODEL]).assert_ok();
	let first = zoo.json(&["--key", "//Alice", "commit", s(&dir), "--model", MODEL, "-m", "before restart"]);
	let first_id = first["id"].as_str().unwrap().to_owned();
	let before = zoo.json(&["show", &first_id]);

	let shutdown = node.restart_gracefully(Duration::from_secs(30));
	eprintln!("[e2e] zoo-node stopped {shutdown:?} after SIGTERM, restarted on its database");

	// Same record and manifest, read from the restarted node.
	assert_eq!(zoo.json(&["show", &first_id]), before, "the version survived the restart unchanged");
	zoo.run(&["verify", &first_id, s(&dir)]).assert_ok();
	// And the chain goes on from where it was.
	fs::write(dir.join("config.json"), br#"{"layers": 3}"#).unwrap();
	let second = zoo.json(&["--key", "//Alice", "commit", s(&dir), "--model", MODEL, "-m", "after restart"]);
	assert!(
		second["block"]["block_number"].as_u64() > first["block"]["block_number"].as_u64(),
		"the next block builds on the old chain: {first} then {second}"
	);
	let log = zoo.json(&["log", MODEL]);
	let ids: Vec<&str> = log["versions"].as_array().unwrap().iter().map(|v| v["id"].as_str().unwrap()).collect();
	assert_eq!(ids, [second["id"].as_str().unwrap(), first_id.as_str()], "both versions listed: {log}");
}

/// Two commands signed by one key, the second started while the first is still pending (Aura
/// seals every 6 s and GRANDPA finalizes a few seconds later): the second is signed with the
/// nonce after the first's, not with the finalized state's (which both would share, and the
/// node would refuse the second as a replay).
#[test]
fn one_key_two_pending_transactions() {
	let node = Node::start(&["--dev"]);
	let zoo = Zoo::new(node.ws_url());
	std::thread::scope(|scope| {
		let first = scope.spawn(|| zoo.run(&["--key", "//Alice", "model", "create", "acme/first"]));
		let started = Instant::now();
		while !rpc_call(node.rpc_port, "author_pendingExtrinsics").unwrap().contains("0x") {
			assert!(started.elapsed() < Duration::from_secs(30), "the first transaction never reached the pool");
			std::thread::sleep(Duration::from_millis(100));
		}
		let second = zoo.run(&["--key", "//Alice", "model", "create", "acme/second"]);
		second.assert_ok();
		first.join().unwrap().assert_ok();
	});
	for model in ["acme/first", "acme/second"] {
		assert_eq!(zoo.json(&["model", "show", model])["owner"], ALICE, "{model}");
	}
}
