//! End to end, attestations and promotion policies, then `zoo watch`, on ONE
//! `zoo-node --dev --instant-seal` (started with a base path, so it can be killed and
//! restarted on the same database):
//!
//! 1. Alice names Bob and Charlie evaluators of `acme/gate`; Bob attests v2 (an attestation
//!    twice on one dataset is refused, and so is one by an untrusted account); Alice gives
//!    `production` a policy (two evaluators, accuracy >= 0.9 and loss <= 0.2 on a dataset,
//!    and beat the current target's accuracy).
//! 2. `zoo promote` explains every unmet condition and exits 1 without sending anything (the
//!    ref does not move, no block is made); Charlie attests; Charlie revokes a second
//!    attestation; `zoo promote` moves the ref and prints the evidence; `zoo branch history`
//!    shows it.
//! 3. `zoo watch --from-block 0` runs in the background while versions are committed; the node
//!    is killed (SIGKILL) mid-stream and restarted on the same base path and port; more
//!    versions are committed. What it printed must be exactly what a fresh
//!    `zoo watch --from-block 0 --until-block N` prints afterwards: no event twice, none
//!    skipped. The latency from a commit's finalization (`zoo commit` returning) to the watch
//!    printing it is measured.
//!
//! The `--json` answer of every new verb is compared whole with its expected shape.

use crate::common::{Zoo, block_shape, harness::Node, snapshot::assert_json_shape};
use serde_json::{Value, json};
use std::{
	fs,
	io::{BufRead, BufReader},
	path::Path,
	process::{Child, Command, Stdio},
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};
use zoo_primitives::VersionId;

const MODEL: &str = "acme/gate";
const WATCHED: &str = "acme/watched";

fn s(path: &Path) -> &str {
	path.to_str().unwrap()
}

fn write_model(dir: &Path, seed: &str) {
	fs::create_dir_all(dir).unwrap();
	fs::write(dir.join("model.bin"), format!("weights of {seed}")).unwrap();
}

/// The finalized head's number, over plain RPC.
fn finalized_number(node: &Node) -> u64 {
	let hash = crate::common::harness::rpc_call(node.rpc_port, "chain_getFinalizedHead").unwrap();
	let hash: Value = serde_json::from_str(&hash).unwrap();
	let params = format!("[{}]", hash["result"]);
	let header = crate::common::harness::rpc_call_with(node.rpc_port, "chain_getHeader", &params).unwrap();
	let header: Value = serde_json::from_str(&header).unwrap();
	u64::from_str_radix(header["result"]["number"].as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

#[test]
fn attestations_promotion_and_watch_on_one_node() {
	let started = Instant::now();
	let mut node = Node::start(&["--dev", "--instant-seal"]);
	let zoo = Zoo::new(node.ws_url());
	let work = tempfile::Builder::new().prefix("zoo-attest-").tempdir().unwrap();
	promotion_story(&node, &zoo, work.path());
	eprintln!("[attestations] promotion story done after {:.1}s", started.elapsed().as_secs_f64());
	watch_story(&mut node, &zoo, work.path());
	eprintln!("[attestations] finished in {:.1}s", started.elapsed().as_secs_f64());
}

fn promotion_story(node: &Node, zoo: &Zoo, work: &Path) {
	let as_key = |key: &str, args: &[&str]| zoo.run(&[&["--key", key][..], args].concat());
	let json_as = |key: &str, args: &[&str]| as_key(key, &[&["--json"][..], args].concat()).assert_ok().json();
	let dataset = VersionId::of_bytes(b"the gate's validation set manifest");
	let dataset_cid = dataset.to_cid_string();
	let dataset_hex = hex::encode(dataset.0);
	let other_dataset = "ab".repeat(32);

	json_as("//Alice", &["model", "create", MODEL]);
	let (dir1, dir2) = (work.join("v1"), work.join("v2"));
	write_model(&dir1, "v1");
	write_model(&dir2, "v2");
	let v1 = json_as("//Alice", &["commit", s(&dir1), "--model", MODEL, "-m", "v1", "--branch", "production"])["id"]
		.as_str()
		.unwrap()
		.to_owned();
	let v2 = json_as("//Alice", &["commit", s(&dir2), "--model", MODEL, "--parent", &v1, "-m", "v2"])["id"]
		.as_str()
		.unwrap()
		.to_owned();

	// -- Evaluators.
	let added = json_as("//Alice", &["evaluator", "add", MODEL, "//Bob"]);
	assert_json_shape(
		"evaluator add",
		&added,
		json!({"model": MODEL, "evaluator": "<account>", "trusted": true, "block": block_shape()}),
	);
	json_as("//Alice", &["evaluator", "add", MODEL, "//Charlie"]);
	as_key("//Bob", &["evaluator", "add", MODEL, "//Dave"]).assert_one_line_error(&["Attestations::NotAdmin"]);

	// -- Bob attests v2: accuracy only, with an evidence file.
	let report = work.join("eval-report.txt");
	fs::write(&report, "accuracy 0.95 on the validation set\n").unwrap();
	let attest_bob = [
		"attest",
		&v2,
		"--dataset",
		&dataset_cid,
		"--metric",
		"accuracy=0.95",
		"--evidence",
		"https://ci.example/run/1",
		"--evidence-file",
		s(&report),
	];
	let attested = json_as("//Bob", &attest_bob);
	assert_json_shape(
		"attest",
		&attested,
		json!({"version": "<cid>", "model": MODEL, "index": "<number>", "evaluator": "<account>",
			"dataset": "<digest>", "metrics": {"accuracy": "0.95"}, "evidence_hash": "<digest>",
			"evidence_uri": "https://ci.example/run/1", "block": block_shape()}),
	);
	assert_eq!(attested["index"], 0);
	assert_eq!(attested["dataset"], dataset_hex.as_str());
	use sha2::Digest;
	assert_eq!(attested["evidence_hash"], hex::encode(sha2::Sha256::digest(fs::read(&report).unwrap())));
	// Once per dataset; untrusted accounts do not attest; metrics are checked before sending.
	as_key("//Bob", &attest_bob).assert_one_line_error(&["Attestations::DuplicateAttestation"]);
	as_key("//Dave", &attest_bob).assert_one_line_error(&["Attestations::NotTrusted"]);
	as_key(
		"//Bob",
		&[
			"attest",
			&v2,
			"--dataset",
			&other_dataset,
			"--metric",
			"a=1",
			"--metric",
			"a=2",
			"--evidence",
			"https://x/y",
			"--evidence-hash",
			&other_dataset,
		],
	)
	.assert_one_line_error(&["metric a is given twice"]);

	// -- The policy.
	let policy_args = [
		"policy",
		"set",
		MODEL,
		"production",
		"--min-evaluators",
		"2",
		"--require",
		&format!("accuracy>=0.9@{dataset_cid}"),
		"--require",
		&format!("loss<=0.2@{dataset_hex}"),
		"--must-beat",
		&format!("accuracy@{dataset_cid}"),
	];
	let set = json_as("//Alice", &policy_args);
	let measure = |direction: &str| json!({"dataset": "<digest>", "metric": "accuracy", "direction": direction});
	let policy_shape = json!({
		"min_evaluators": "<number>",
		"thresholds": [
			{"dataset": "<digest>", "metric": "accuracy", "direction": "higher_is_better", "bound": "0.9"},
			{"dataset": "<digest>", "metric": "loss", "direction": "lower_is_better", "bound": "0.2"},
		],
		"must_beat": measure("higher_is_better"),
	});
	assert_json_shape(
		"policy set",
		&set,
		json!({"model": MODEL, "name": "production", "policy": policy_shape, "block": block_shape()}),
	);
	let shown = zoo.json(&["policy", "show", MODEL, "production"]);
	assert_json_shape("policy show", &shown, json!({"model": MODEL, "name": "production", "policy": policy_shape}));
	assert_eq!(shown["policy"], set["policy"]);
	assert_eq!(shown["policy"]["thresholds"][1]["dataset"], dataset_hex.as_str());

	// -- Promotion refused: every unmet condition, one line each; nothing sent.
	let head_before = finalized_number(node);
	let refused = as_key("//Alice", &["--json", "promote", &v2, "production"]);
	assert_eq!(refused.code, 1, "{}", refused.describe());
	let refused = refused.json();
	let too_few = format!("needs attestations from 2 distinct trusted evaluators; {v2} has 1");
	let missing = format!(
		"requirement [1] loss <= 0.2 on dataset {dataset_hex}: no trusted attestation of {v2} gives loss on dataset \
		 {dataset_hex}"
	);
	assert_json_shape(
		"promote (refused)",
		&refused,
		json!({"model": MODEL, "name": "production", "from": "<cid>", "to": "<cid>", "promoted": false,
			"unmet": [
				{"condition": "TooFewEvaluators", "have": "<number>", "need": "<number>", "explanation": too_few},
				{"condition": "MissingMeasure", "threshold": "<number>", "explanation": missing},
			],
			"index": null, "evidence": null, "block": null}),
	);
	assert_eq!((refused["unmet"][0]["have"].as_u64(), refused["unmet"][0]["need"].as_u64()), (Some(1), Some(2)));
	let text = as_key("//Alice", &["promote", &v2, "production"]);
	assert_eq!(text.code, 1, "{}", text.describe());
	assert!(text.stdout.contains(&format!("unmet     TooFewEvaluators: {too_few}\n")), "{}", text.describe());
	assert!(text.stdout.contains(&format!("unmet     MissingMeasure: {missing}\n")), "{}", text.describe());
	assert!(text.stdout.contains("nothing was sent"), "{}", text.describe());
	assert_eq!(finalized_number(node), head_before, "a refused promotion made a block");
	let refs = zoo.json(&["branch", "list", "--model", MODEL]);
	assert_eq!((refs["refs"][0]["target"].as_str(), refs["refs"][0]["moves"].as_u64()), (Some(v1.as_str()), Some(1)));
	// Forcing past the policy is the admins' escape hatch, not `promote`'s: an unforced move
	// through `branch move` is refused by the chain itself.
	as_key("//Alice", &["branch", "move", "production", &v2, "--model", MODEL])
		.assert_one_line_error(&["Attestations::TooFewEvaluators"]);

	// -- Charlie attests (and revokes a second attestation on another dataset).
	let charlie = json_as(
		"//Charlie",
		&[
			"attest",
			&v2,
			"--dataset",
			&dataset_hex,
			"--metric",
			"loss=0.15",
			"--metric",
			"accuracy=0.91",
			"--evidence",
			"s3://evals/gate/v2.json",
			"--evidence-hash",
			&"cd".repeat(32),
		],
	);
	assert_eq!(
		(charlie["index"].as_u64(), &charlie["metrics"]),
		(Some(1), &json!({"accuracy": "0.91", "loss": "0.15"}))
	);
	json_as(
		"//Charlie",
		&[
			"attest",
			&v2,
			"--dataset",
			&other_dataset,
			"--metric",
			"accuracy=0.5",
			"--evidence",
			"https://x/2",
			"--evidence-hash",
			&other_dataset,
		],
	);
	as_key("//Bob", &["attestation", "revoke", &v2, "2", "--reason", "not mine"])
		.assert_one_line_error(&["Attestations::NotEvaluator"]);
	let revoked = json_as("//Charlie", &["attestation", "revoke", &v2, "2", "--reason", "wrong split of the data"]);
	assert_json_shape(
		"attestation revoke",
		&revoked,
		json!({"version": "<cid>", "index": "<number>", "reason": "wrong split of the data", "block": block_shape()}),
	);
	let listed = zoo.json(&["attestations", &v2]);
	let entry = |metrics: Value, uri: &str, revoked: Value| {
		json!({"version": "<cid>", "index": "<number>", "evaluator": "<account>", "dataset": "<digest>",
			"metrics": metrics, "evidence_hash": "<digest>", "evidence_uri": uri, "attested_in": "<number>",
			"deposit": "<amount>", "revoked": revoked, "trusted": true})
	};
	assert_json_shape(
		"attestations",
		&listed,
		json!({"version": "<cid>", "model": MODEL, "attestations": [
			entry(json!({"accuracy": "0.95"}), "https://ci.example/run/1", Value::Null),
			entry(json!({"accuracy": "0.91", "loss": "0.15"}), "s3://evals/gate/v2.json", Value::Null),
			entry(json!({"accuracy": "0.5"}), "https://x/2",
				json!({"revoked_in": "<number>", "reason": "wrong split of the data"})),
		]}),
	);
	let text = zoo.run(&["attestations", &v2]);
	assert!(text.stdout.contains("REVOKED in block"), "{}", text.describe());

	// -- Promoted, with its evidence.
	let promoted = json_as("//Alice", &["promote", &v2, "production", "--model", MODEL]);
	assert_json_shape(
		"promote",
		&promoted,
		json!({"model": MODEL, "name": "production", "from": "<cid>", "to": "<cid>", "promoted": true, "unmet": [],
			"index": "<number>", "evidence": ["<number>", "<number>"], "block": block_shape()}),
	);
	assert_eq!((promoted["index"].as_u64(), &promoted["evidence"]), (Some(1), &json!([0, 1])));
	let history = zoo.json(&["branch", "history", "production", "--model", MODEL]);
	let ref_move =
		|from: Value| json!({"by": "<account>", "from": from, "to": "<cid>", "moved_in": "<number>", "forced": false});
	let mut promoted_move = ref_move(json!("<cid>"));
	promoted_move["evidence"] = json!(["<number>", "<number>"]);
	assert_json_shape(
		"branch history (with evidence)",
		&history,
		json!({"model": MODEL, "name": "production", "history": [promoted_move, ref_move(Value::Null)]}),
	);
	assert_eq!(history["history"][0]["evidence"], json!([0, 1]));
	let text = zoo.run(&["branch", "history", "production", "--model", MODEL]);
	assert!(text.stdout.contains(&format!("evidence: attestations #0, #1 of {v2}")), "{}", text.describe());

	// -- Trust withdrawn shows in the list; the policy goes.
	let removed = json_as("//Alice", &["evaluator", "remove", MODEL, "//Charlie"]);
	assert_eq!(removed["trusted"], false);
	let listed = zoo.json(&["attestations", &v2]);
	let trusted: Vec<bool> =
		listed["attestations"].as_array().unwrap().iter().map(|a| a["trusted"].as_bool().unwrap()).collect();
	assert_eq!(trusted, [true, false, false]);
	let policy_removed = json_as("//Alice", &["policy", "remove", MODEL, "production"]);
	assert_json_shape(
		"policy remove",
		&policy_removed,
		json!({"model": MODEL, "name": "production", "block": block_shape()}),
	);
	let none = zoo.json(&["policy", "show", MODEL, "production"]);
	assert_eq!(none["policy"], Value::Null);
}

/// `zoo watch` in the background: its stdout lines with when each arrived, and its stderr.
struct Watcher {
	child: Child,
	lines: Arc<Mutex<Vec<(Instant, String)>>>,
	stderr: Arc<Mutex<String>>,
}

impl Watcher {
	fn start(zoo: &Zoo, args: &[&str]) -> Watcher {
		let mut child = Command::new(env!("CARGO_BIN_EXE_zoo"))
			.args(args)
			.env("ZOO_HOME", zoo.home.path())
			.env("ZOO_URL", &zoo.url)
			.env_remove("ZOO_KEY")
			.env_remove("RUST_LOG")
			.stdin(Stdio::null())
			.stdout(Stdio::piped())
			.stderr(Stdio::piped())
			.spawn()
			.expect("starting zoo watch");
		let lines = Arc::new(Mutex::new(Vec::new()));
		let stderr = Arc::new(Mutex::new(String::new()));
		let out = BufReader::new(child.stdout.take().unwrap());
		let sink = lines.clone();
		std::thread::spawn(move || {
			for line in out.lines().map_while(Result::ok) {
				sink.lock().unwrap().push((Instant::now(), line));
			}
		});
		let err = BufReader::new(child.stderr.take().unwrap());
		let sink = stderr.clone();
		std::thread::spawn(move || {
			for line in err.lines().map_while(Result::ok) {
				let mut all = sink.lock().unwrap();
				all.push_str(&line);
				all.push('\n');
			}
		});
		Watcher { child, lines, stderr }
	}

	/// When the line announcing version `id`'s commit arrived (waiting up to `timeout`).
	fn wait_for_commit(&self, id: &str, timeout: Duration) -> Instant {
		let started = Instant::now();
		loop {
			for (at, line) in self.lines.lock().unwrap().iter() {
				let event: Value = serde_json::from_str(line).unwrap();
				if event["event"] == "VersionCommitted" && event["fields"]["id"] == id {
					return *at;
				}
			}
			assert!(
				started.elapsed() < timeout,
				"zoo watch did not print the commit of {id} within {timeout:?}; stderr:\n{}",
				self.stderr.lock().unwrap()
			);
			std::thread::sleep(Duration::from_millis(2));
		}
	}

	fn events(&self) -> Vec<Value> {
		self.lines.lock().unwrap().iter().map(|(_, line)| serde_json::from_str(line).unwrap()).collect()
	}
}

impl Drop for Watcher {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// (block_number, event_index) of each event, checked strictly increasing: nothing twice.
fn positions(events: &[Value], what: &str) -> Vec<(u64, u64)> {
	let positions: Vec<(u64, u64)> =
		events.iter().map(|e| (e["block_number"].as_u64().unwrap(), e["event_index"].as_u64().unwrap())).collect();
	for pair in positions.windows(2) {
		assert!(pair[0] < pair[1], "{what}: {:?} then {:?}: out of order or printed twice", pair[0], pair[1]);
	}
	positions
}

fn watch_story(node: &mut Node, zoo: &Zoo, work: &Path) {
	let as_alice = |args: &[&str]| zoo.json(&[&["--key", "//Alice"][..], args].concat());
	as_alice(&["model", "create", WATCHED]);
	let watcher = Watcher::start(zoo, &["watch", "--from-block", "0", "--timeout", "5"]);
	let dir = work.join("watched");
	let mut latencies = Vec::new();
	let commit = |n: usize, latencies: &mut Vec<f64>| {
		write_model(&dir, &format!("watched v{n}"));
		let committed = as_alice(&["commit", s(&dir), "--model", WATCHED, "--no-parent", "-m", &format!("v{n}")]);
		let returned = Instant::now();
		let id = committed["id"].as_str().unwrap().to_owned();
		let printed = watcher.wait_for_commit(&id, Duration::from_secs(60));
		// Negative: the watch printed it before `zoo commit` had returned.
		let latency = match printed.checked_duration_since(returned) {
			Some(after) => after.as_secs_f64(),
			None => -returned.duration_since(printed).as_secs_f64(),
		};
		latencies.push(latency * 1000.0);
		committed["block"]["block_number"].as_u64().unwrap()
	};
	for n in 1..=3 {
		commit(n, &mut latencies);
	}
	// Mid-stream: the node dies without a word and comes back on the same database and port.
	node.restart_killed();
	let mut last_block = 0;
	for n in 4..=6 {
		last_block = commit(n, &mut latencies);
	}
	let streamed = watcher.events();
	let stderr = watcher.stderr.lock().unwrap().clone();
	drop(watcher);
	assert!(stderr.contains("reconnect"), "the watch never noticed the node went away:\n{stderr}");
	latencies.sort_by(f64::total_cmp);
	eprintln!(
		"[watch] commit finalized (zoo commit returned) -> zoo watch printed it, over {} commits: min {:.1} ms, \
		 median {:.1} ms, max {:.1} ms (the 4th spans the reconnect)",
		latencies.len(),
		latencies[0],
		latencies[latencies.len() / 2],
		latencies[latencies.len() - 1]
	);

	// A fresh replay of the same range is exactly what was streamed across the restart.
	let until = last_block.to_string();
	let replay = zoo.run(&["watch", "--from-block", "0", "--until-block", &until]);
	replay.assert_ok();
	let replayed: Vec<Value> = replay.stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
	let streamed: Vec<Value> =
		streamed.into_iter().filter(|e| e["block_number"].as_u64().unwrap() <= last_block).collect();
	let (streamed_at, replayed_at) = (positions(&streamed, "streamed"), positions(&replayed, "replayed"));
	assert_eq!(streamed_at, replayed_at, "the streamed events skipped or repeated some");
	assert_eq!(streamed, replayed);
	// Every kind of Zoo event of the promotion story is there, decoded.
	let kinds: std::collections::BTreeSet<String> = replayed
		.iter()
		.map(|e| format!("{}.{}", e["pallet"].as_str().unwrap(), e["event"].as_str().unwrap()))
		.collect();
	for kind in [
		"ModelRegistry.VersionCommitted",
		"Lineage.RefMoved",
		"Attestations.Attested",
		"Attestations.Revoked",
		"Attestations.PolicySet",
		"Attestations.Promoted",
	] {
		assert!(kinds.contains(kind), "{kind} not in {kinds:?}");
	}
	let commit_event = replayed.iter().rev().find(|e| e["event"] == "VersionCommitted").unwrap();
	assert_json_shape(
		"watch: VersionCommitted",
		commit_event,
		json!({"block_number": "<number>", "block_hash": "<hash>", "event_index": "<number>",
			"pallet": "ModelRegistry", "event": "VersionCommitted",
			"fields": {"model": WATCHED, "id": "<cid>", "committer": "<account>", "index": "<number>",
				"deposit": "<amount>"}}),
	);
	let promoted = replayed.iter().find(|e| e["event"] == "Promoted").unwrap();
	assert_json_shape(
		"watch: Promoted",
		promoted,
		json!({"block_number": "<number>", "block_hash": "<hash>", "event_index": "<number>",
			"pallet": "Attestations", "event": "Promoted",
			"fields": {"model": MODEL, "name": "production", "index": "<number>", "version": "<cid>",
				"evidence": ["<number>", "<number>"]}}),
	);

	// Filters: one model (named, or through its versions), some events.
	let filtered = zoo.run(&[
		"watch",
		"--from-block",
		"0",
		"--until-block",
		&until,
		"--model",
		WATCHED,
		"--event",
		"VersionCommitted",
		"--event",
		"ModelRegistry.ModelCreated",
	]);
	filtered.assert_ok();
	let events: Vec<Value> = filtered.stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
	let names: Vec<&str> = events.iter().map(|e| e["event"].as_str().unwrap()).collect();
	assert_eq!(
		names,
		[
			"ModelCreated",
			"VersionCommitted",
			"VersionCommitted",
			"VersionCommitted",
			"VersionCommitted",
			"VersionCommitted",
			"VersionCommitted"
		]
	);
	let attested =
		zoo.run(&["watch", "--from-block", "0", "--until-block", &until, "--model", MODEL, "--event", "Attested"]);
	assert_eq!(attested.assert_ok().stdout.lines().count(), 3, "{}", attested.describe());
}
