//! End to end, the CI story of issue 11 on ONE `zoo-node --dev --instant-seal`: the example
//! agent `examples/ci/evaluate_and_promote.py` (Python 3, standard library) follows `zoo watch`
//! and, for every move of `main`, checks the new version out (verified), scores its
//! `weights.json` (logistic regression) on the shipped test set, attests the accuracy as //Eve
//! and runs `zoo promote <cid> production`.
//!
//! Alice owns `acme/clf`: `production` (protected) and `main` point at a weak, unattested
//! baseline; //Eve is a trusted evaluator (and a releaser, so she may move refs); the policy on
//! `production` asks for one evaluator, accuracy >= 0.8 on the test set, and beating the current
//! target's accuracy. Three versions land on `main`: v1 (0.865) is promoted (the baseline has
//! no trusted score, so "must beat" holds), v2 (0.82) is refused with DoesNotBeatCurrent, v3
//! (0.89) is promoted. `zoo branch history production` shows both promotions resting on Eve's
//! attestations, whose evidence hashes are those of the agent's evaluation logs.

use crate::common::{Zoo, harness::Node};
use serde_json::{Value, json};
use sha2::Digest;
use std::{
	fs,
	path::{Path, PathBuf},
	process::{Command, Stdio},
	time::{Duration, Instant},
};

const MODEL: &str = "acme/clf";
/// //Eve's SS58 address.
const EVE: &str = "5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw";
/// How long the agent may take over the three versions.
const AGENT_TIMEOUT: Duration = Duration::from_secs(300);

/// (message, bias, weights, accuracy on examples/ci/testset.csv as the agent prints it).
const BASELINE: (&str, f64, [f64; 3]) = ("baseline", 0.0, [1.0, 0.0, 0.0]);
const VERSIONS: [(&str, f64, [f64; 3], &str); 3] = [
	("v1: good", 0.5, [2.0, -1.5, 1.0], "0.865"),
	("v2: weaker", 0.0, [1.0, -1.0, 0.0], "0.82"),
	("v3: best", 0.6, [3.0, -3.0, 1.0], "0.89"),
];

fn s(path: &Path) -> &str {
	path.to_str().unwrap()
}

fn examples_ci() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/ci")
}

fn write_weights(dir: &Path, bias: f64, weights: [f64; 3]) {
	fs::write(dir.join("weights.json"), json!({"bias": bias, "weights": weights}).to_string()).unwrap();
}

fn python3() -> &'static str {
	match Command::new("python3").arg("--version").stdin(Stdio::null()).output() {
		Ok(out) if out.status.success() => "python3",
		Ok(out) => panic!(
			"`python3 --version` failed ({}): the CI story needs Python 3 (scripts/setup.sh installs it)",
			out.status
		),
		Err(e) => panic!(
			"python3 is not installed or not on PATH ({e}): the CI story runs examples/ci/evaluate_and_promote.py with it; run scripts/setup.sh (it installs python3)"
		),
	}
}

#[test]
fn ci_agent_evaluates_attests_and_promotes() {
	let python = python3();
	let node = Node::start(&["--dev", "--instant-seal"]);
	let zoo = Zoo::new(node.ws_url());
	let work = tempfile::Builder::new().prefix("zoo-ci-story-").tempdir().unwrap();
	let json_as = |key: &str, args: &[&str]| zoo.json(&[&["--key", key][..], args].concat());

	// -- Alice's model: production (protected) and main at a weak, unattested baseline.
	json_as("//Alice", &["model", "create", MODEL]);
	// Each version in its own directory: the manifest's artifact URIs are `file://` paths, which
	// `zoo checkout` fetches and verifies.
	let dir = work.path().join("baseline");
	fs::create_dir(&dir).unwrap();
	write_weights(&dir, BASELINE.1, BASELINE.2);
	let baseline =
		json_as("//Alice", &["commit", s(&dir), "--model", MODEL, "-m", BASELINE.0, "--branch", "production"]);
	let baseline = baseline["id"].as_str().unwrap().to_owned();
	json_as("//Alice", &["branch", "protect", "production", "--model", MODEL]);
	json_as("//Alice", &["branch", "create", "main", &baseline]);
	json_as("//Alice", &["evaluator", "add", MODEL, "//Eve"]);
	json_as("//Alice", &["model", "role", MODEL, "//Eve", "releaser"]);
	let testset = examples_ci().join("testset.csv");
	let dataset = hex::encode(sha2::Sha256::digest(fs::read(&testset).unwrap()));
	let policy = json_as(
		"//Alice",
		&[
			"policy",
			"set",
			MODEL,
			"production",
			"--min-evaluators",
			"1",
			"--require",
			&format!("accuracy>=0.80@{dataset}"),
			"--must-beat",
			&format!("accuracy>@{dataset}"),
		],
	);
	let from_block = policy["block"]["block_number"].as_u64().unwrap() + 1;

	// -- The agent, in the background, from the block after the setup.
	let json_log = work.path().join("ci.jsonl");
	let agent_stderr = work.path().join("agent.stderr");
	let started_agent = Instant::now();
	let mut agent = Command::new(python)
		.arg(examples_ci().join("evaluate_and_promote.py"))
		.args(["--url", &zoo.url, "--key", "//Eve", "--model", MODEL, "--stop-after", "3"])
		.args(["--from-block", &from_block.to_string(), "--json-log", s(&json_log)])
		.args(["--log-dir", s(&work.path().join("evaluations")), "--zoo", env!("CARGO_BIN_EXE_zoo")])
		.env("ZOO_HOME", zoo.home.path())
		.env_remove("ZOO_KEY")
		.env_remove("ZOO_URL")
		.env_remove("RUST_LOG")
		.stdin(Stdio::null())
		.stdout(Stdio::null())
		.stderr(fs::File::create(&agent_stderr).unwrap())
		.spawn()
		.expect("starting the CI agent with python3");
	let agent_log = || fs::read_to_string(&agent_stderr).unwrap_or_default();

	// -- Three versions land on main.
	let first_commit = Instant::now();
	let mut ids: Vec<String> = Vec::new();
	for (n, (message, bias, weights, _)) in VERSIONS.into_iter().enumerate() {
		let dir = work.path().join(format!("v{}", n + 1));
		fs::create_dir(&dir).unwrap();
		write_weights(&dir, bias, weights);
		let parent = ids.last().unwrap_or(&baseline).clone();
		let committed = json_as(
			"//Alice",
			&["commit", s(&dir), "--model", MODEL, "--parent", &parent, "-m", message, "--branch", "main"],
		);
		ids.push(committed["id"].as_str().unwrap().to_owned());
	}
	let status = loop {
		if let Some(status) = agent.try_wait().unwrap() {
			break status;
		}
		if started_agent.elapsed() > AGENT_TIMEOUT {
			let _ = agent.kill();
			let _ = agent.wait();
			panic!("the CI agent did not handle 3 versions within {AGENT_TIMEOUT:?}; its log:\n{}", agent_log());
		}
		std::thread::sleep(Duration::from_millis(50));
	};
	let story = first_commit.elapsed();
	assert!(status.success(), "the CI agent exited with {status}; its log:\n{}", agent_log());
	eprintln!(
		"[ci-story] first commit on main -> agent done (3 versions checked out, scored, attested, promoted or \
		 refused): {:.1}s\n[ci-story] agent log:\n{}",
		story.as_secs_f64(),
		agent_log()
	);

	// -- What the agent did, from its JSON log.
	let handled: Vec<Value> =
		fs::read_to_string(&json_log).unwrap().lines().map(|line| serde_json::from_str(line).unwrap()).collect();
	assert_eq!(handled.len(), 3, "{handled:#?}\n{}", agent_log());
	for (n, (entry, (_, _, _, accuracy))) in handled.iter().zip(VERSIONS).enumerate() {
		assert_eq!(entry["cid"], ids[n].as_str(), "version {} out of order: {handled:#?}", n + 1);
		assert_eq!(entry["accuracy"], accuracy, "v{}: {entry:#}", n + 1);
		assert_eq!(entry["error"], Value::Null, "v{}: {entry:#}", n + 1);
	}
	let promoted: Vec<bool> = handled.iter().map(|e| e["promoted"].as_bool().unwrap()).collect();
	assert_eq!(promoted, [true, false, true], "{handled:#?}\n{}", agent_log());
	assert_eq!(handled[0]["reasons"], json!([]));
	assert_eq!(handled[2]["reasons"], json!([]));
	let reasons: Vec<&str> = handled[1]["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
	assert_eq!(reasons.len(), 1, "{reasons:?}");
	assert!(reasons[0].starts_with("DoesNotBeatCurrent: "), "v2 refused for {reasons:?}");

	// -- production: baseline -> v1 -> v3, each promotion resting on Eve's attestation.
	let history = zoo.json(&["branch", "history", "production", "--model", MODEL]);
	let moves = history["history"].as_array().unwrap();
	let path: Vec<(&Value, &Value, bool)> =
		moves.iter().map(|m| (&m["from"], &m["to"], m["forced"].as_bool().unwrap())).collect();
	assert_eq!(
		path,
		[
			(&json!(ids[0]), &json!(ids[2]), false),
			(&json!(baseline), &json!(ids[0]), false),
			(&Value::Null, &json!(baseline), false),
		],
		"{history:#}"
	);
	for (promotion, (entry, id)) in moves[..2].iter().zip([(&handled[2], &ids[2]), (&handled[0], &ids[0])]) {
		let evidence = promotion["evidence"].as_array().unwrap_or_else(|| panic!("no evidence: {history:#}"));
		assert_eq!(evidence, entry["evidence"].as_array().unwrap(), "{history:#}");
		let attestations = zoo.json(&["attestations", id]);
		for index in evidence {
			let attestation = &attestations["attestations"][index.as_u64().unwrap() as usize];
			assert_eq!(attestation["evaluator"], EVE, "{attestations:#}");
			assert_eq!(attestation["trusted"], true);
			assert_eq!(attestation["dataset"], dataset.as_str());
			assert_eq!(attestation["metrics"], json!({"accuracy": entry["accuracy"]}));
			let log = entry["log"].as_str().unwrap();
			assert_eq!(attestation["evidence_uri"], format!("file://{log}"));
			assert_eq!(attestation["evidence_hash"], hex::encode(sha2::Sha256::digest(fs::read(log).unwrap())));
		}
	}
	let text = zoo.run(&["branch", "history", "production", "--model", MODEL]);
	assert!(
		text.assert_ok().stdout.contains(&format!("evidence: attestations #0 of {}", ids[2])),
		"{}",
		text.describe()
	);
	// v2 was attested (by Eve), just not promoted.
	let v2 = zoo.json(&["attestations", &ids[1]]);
	assert_eq!(v2["attestations"][0]["metrics"], json!({"accuracy": "0.82"}), "{v2:#}");
	let refs = zoo.json(&["branch", "list", "--model", MODEL]);
	let target =
		|name: &str| refs["refs"].as_array().unwrap().iter().find(|r| r["name"] == name).map(|r| r["target"].clone());
	assert_eq!(target("production"), Some(json!(ids[2])), "{refs:#}");
	assert_eq!(target("main"), Some(json!(ids[2])), "{refs:#}");
}

/// A stand-in for `zoo` (a shell script): `watch` prints four moves of `main` of `a/b` and a
/// line that is not JSON; `checkout` fails for `broken`, writes a weights file that is not JSON
/// for `garbled` and one with the wrong number of weights for `short`, and v1's weights for
/// `good`; `attest` succeeds; `promote` refuses.
const FAKE_ZOO: &str = r#"#!/bin/sh
case " $* " in
*" watch "*)
	for cid in broken garbled short good; do
		echo "{\"block_number\":7,\"event_index\":1,\"pallet\":\"Lineage\",\"event\":\"RefMoved\",\"fields\":{\"model\":\"a/b\",\"name\":\"main\",\"from\":\"x\",\"to\":\"$cid\"}}"
	done
	echo 'not json'
	exit 0;;
*" attest "*) echo '{"index":0,"block":{"block_number":8}}'; exit 0;;
*" promote "*) echo '{"promoted":false,"unmet":[{"condition":"BelowThreshold","explanation":"too low"}]}'; exit 1;;
esac
while [ "$1" != checkout ]; do shift; done
mkdir -p "$3"
case "$2" in
broken) echo "error: weights.json: fetched content does not match the manifest" >&2; exit 2;;
garbled) echo '{"bias": 0.5, "weights": [2, -1.5,' > "$3/weights.json";;
short) echo '{"bias": 0.5, "weights": [2, -1.5]}' > "$3/weights.json";;
good) echo '{"bias": 0.5, "weights": [2, -1.5, 1]}' > "$3/weights.json";;
esac
"#;

/// Without a node: a failed checkout and bad weights files are logged and skipped, a line of
/// `zoo watch` that is not JSON is ignored, and the loop goes on to the good version.
#[test]
fn ci_agent_skips_bad_versions_and_keeps_going() {
	use std::os::unix::fs::PermissionsExt;
	let python = python3();
	let work = tempfile::Builder::new().prefix("zoo-ci-fake-").tempdir().unwrap();
	let zoo = work.path().join("zoo");
	fs::write(&zoo, FAKE_ZOO).unwrap();
	fs::set_permissions(&zoo, fs::Permissions::from_mode(0o755)).unwrap();
	let json_log = work.path().join("ci.jsonl");
	let out = Command::new(python)
		.arg(examples_ci().join("evaluate_and_promote.py"))
		.args(["--zoo", s(&zoo), "--key", "//Eve", "--model", "a/b", "--json-log", s(&json_log)])
		.args(["--log-dir", s(&work.path().join("evaluations"))])
		.stdin(Stdio::null())
		.output()
		.unwrap();
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(out.status.success(), "the agent exited with {}:\n{stderr}", out.status);
	let handled: Vec<Value> =
		fs::read_to_string(&json_log).unwrap().lines().map(|line| serde_json::from_str(line).unwrap()).collect();
	let summary: Vec<(&str, &Value, bool)> = handled
		.iter()
		.map(|e| (e["cid"].as_str().unwrap(), &e["accuracy"], e["promoted"].as_bool().unwrap()))
		.collect();
	let null = Value::Null;
	let good = json!("0.865");
	assert_eq!(
		summary,
		[("broken", &null, false), ("garbled", &null, false), ("short", &null, false), ("good", &good, false)],
		"{stderr}"
	);
	let errors: Vec<&str> = handled.iter().map(|e| e["error"].as_str().unwrap_or("")).collect();
	assert!(errors[0].starts_with("zoo checkout failed (exit 2)"), "{errors:?}");
	assert!(errors[1].starts_with("weights.json is not JSON"), "{errors:?}");
	assert!(errors[2].starts_with("weights.json must have 3 number weights"), "{errors:?}");
	assert_eq!(errors[3], "", "{errors:?}");
	assert_eq!(handled[3]["reasons"], json!(["BelowThreshold: too low"]));
	assert!(stderr.contains("not JSON, ignored"), "{stderr}");
}
