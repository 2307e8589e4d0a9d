//! End to end: `zoo --light` reads through an embedded light client, so no node is trusted.
//!
//! - `a_lying_node_cannot_fool_the_light_client`: a real dev node (Aura and GRANDPA) behind a
//!   proxy that lies: it says a committed version does not exist and answers another version
//!   with a second version's record. Through the proxy, plain `zoo` is fooled by the first lie
//!   (it cannot tell) and refuses the second; `zoo --light`, given the same lying `--url`,
//!   joins the node's peer-to-peer network from the chain spec and gives the true answers for
//!   `show`, `verify`, `log` and `checkout`, without a single request to the proxy; so does a
//!   workspace set up with `zoo light enable`. Transactions go through the light client too.
//!   Sealed keys are released on proven reads only: over the liar's RPC `license release` is
//!   refused, and through the light client `license release`, `keys serve` and `watch` give
//!   the chain's own answers (audit A3-01).
//! - `a_light_client_refuses_stale_finality`: two validators, one stopped: blocks go on but
//!   finality stalls. The light client says so (`FinalityBehind`) instead of answering from an
//!   old or unfinalized state, and answers again once the second validator is back.
//! - `instant_seal_with_grandpa_finality_leaves_justifications`: `zoo-node --dev --instant-seal
//!   --grandpa-finality` seals blocks on demand (`engine_createBlock`) but leaves finality to its
//!   GRANDPA voter, which keeps a justification every 512 blocks, as warp sync needs. (`make
//!   bench-light` grows a 10,000-block chain this way, restarts it with Aura and measures the
//!   light client on it.) `--grandpa-finality` without `--instant-seal` is refused.
//!
//! The node binary comes from `$ZOO_NODE`, else from the target directory (see `e2e.rs`).

use serde_json::Value;
use std::{
	fs,
	path::{Path, PathBuf},
	process::Command,
	sync::{
		Arc,
		atomic::{AtomicUsize, Ordering},
	},
	time::{Duration, Instant},
};

use crate::common::{
	Zoo,
	harness::{Node, node_binary, rpc_call},
	proxy::{self, Action},
};
use zoo_primitives::VersionId;

const MODEL: &str = "acme/light";

fn s(path: &Path) -> &str {
	path.to_str().unwrap()
}

/// The raw chain spec of the built-in chain `chain`, written into `dir`.
fn raw_spec(chain: &str, dir: &Path) -> PathBuf {
	let output = Command::new(node_binary())
		.args(["build-spec", "--chain", chain, "--raw", "--disable-default-bootnode"])
		.output()
		.expect("running zoo-node build-spec");
	assert!(output.status.success(), "build-spec: {}", String::from_utf8_lossy(&output.stderr));
	let path = dir.join(format!("{chain}-raw.json"));
	fs::write(&path, &output.stdout).unwrap();
	path
}

/// The finalized block number of the node on `port`.
fn finalized_number(port: u16) -> u32 {
	let head: Value = serde_json::from_str(&rpc_call(port, "chain_getFinalizedHead").unwrap()).unwrap();
	let hash = head["result"].as_str().unwrap().to_owned();
	let header = crate::common::harness::rpc_call_with(port, "chain_getHeader", &format!(r#"["{hash}"]"#)).unwrap();
	let header: Value = serde_json::from_str(&header).unwrap();
	u32::from_str_radix(header["result"]["number"].as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

/// Wait until `check` holds, or fail saying `what`.
fn wait_until(what: &str, timeout: Duration, mut check: impl FnMut() -> bool) {
	let started = Instant::now();
	while !check() {
		assert!(started.elapsed() < timeout, "timed out after {timeout:?} waiting for {what}");
		std::thread::sleep(Duration::from_millis(500));
	}
}

/// Commit `files` in a fresh directory `name` under `work` as a root version of [`MODEL`];
/// its CID.
fn commit(zoo: &Zoo, light: &[&str], work: &Path, name: &str, files: &[(&str, &str)]) -> String {
	let dir = work.join(name);
	for (path, content) in files {
		fs::create_dir_all(dir.join(path).parent().unwrap()).unwrap();
		fs::write(dir.join(path), content).unwrap();
	}
	let mut args = light.to_vec();
	args.extend(["--key", "//Alice", "commit", s(&dir), "--model", MODEL, "-m", name, "--no-parent"]);
	zoo.json(&args)["id"].as_str().unwrap().to_owned()
}

#[test]
fn a_lying_node_cannot_fool_the_light_client() {
	let node = Node::start(&["--dev"]);
	let zoo = Zoo::new(node.ws_url());
	let work = tempfile::tempdir().unwrap();
	let spec = raw_spec("dev", work.path());
	let bootnode = node.p2p_address();
	let light = ["--light", "--chain-spec", s(&spec), "--bootnode", &bootnode];

	// Transactions through the light client: the model and a first version.
	let created = zoo.json(&[&light[..], &["--key", "//Alice", "model", "create", MODEL]].concat());
	assert_eq!(created["model"], MODEL);
	let v1 = commit(&zoo, &light, work.path(), "one", &[("weights.bin", "the real weights"), ("config.json", "{}")]);
	// And one over RPC, as a normal client makes it.
	let v2 = commit(&zoo, &[], work.path(), "two", &[("weights.bin", "other weights"), ("config.json", "{}")]);

	// The proxy hides V1 (every read about it says "no such version") and answers reads about
	// V2 with V1's record and manifest; it counts every request it sees.
	let (v1_hex, v2_hex) = (hex_of(&v1), hex_of(&v2));
	let requests = Arc::new(AtomicUsize::new(0));
	let seen = requests.clone();
	let port = proxy::start(
		node.rpc_port,
		Arc::new(move |request: &Value| {
			seen.fetch_add(1, Ordering::SeqCst);
			let mut request = request.clone();
			if proxy::is_view_call(&request) {
				let input = request["params"][1].as_str().unwrap().to_owned();
				if input.contains(&v1_hex) {
					// Ok(encoded None): the view function's "no such version".
					return Action::Respond(proxy::answer(&request, r#""0x000400""#));
				}
				request["params"][1] = Value::String(input.replace(&v2_hex, &v1_hex));
			}
			Action::Forward(request.to_string())
		}),
	);
	let liar = Zoo::new(format!("ws://127.0.0.1:{port}"));

	// Plain zoo through the liar: V1 "does not exist" (nothing can tell it otherwise), and the
	// substituted V2 is caught by its content ID.
	liar.run(&["show", &v1]).assert_one_line_error(&["does not exist"]);
	liar.run(&["show", &v2]).assert_one_line_error(&["cannot be trusted"]);
	let before = requests.load(Ordering::SeqCst);
	assert!(before > 0, "the liar was asked");

	// The same lying --url with --light: the truth, and the proxy is never asked.
	let honest = zoo.json(&["show", &v1]);
	let through_light = liar.json(&[&light[..], &["show", &v1]].concat());
	assert_eq!(through_light, honest, "the light client's record is the node's own");
	assert_eq!(liar.json(&[&light[..], &["show", &v2]].concat())["id"], v2.as_str());
	let verified = liar.json(&[&light[..], &["verify", &v1, s(&work.path().join("one"))]].concat());
	assert_eq!(verified["manifest_id"], v1.as_str());
	let log = liar.json(&[&light[..], &["log", MODEL]].concat());
	let ids: Vec<&str> = log["versions"].as_array().unwrap().iter().map(|v| v["id"].as_str().unwrap()).collect();
	assert_eq!(ids, [v2.as_str(), v1.as_str()], "{log}");
	let out = work.path().join("out");
	liar.run(&[&light[..], &["checkout", &v1, s(&out)]].concat()).assert_ok();
	assert_eq!(fs::read_to_string(out.join("weights.bin")).unwrap(), "the real weights");
	assert_eq!(requests.load(Ordering::SeqCst), before, "the light client never asked the --url node");

	// Sealed keys are released on proven reads only (audit A3-01). Alice seals a version and
	// offers use grants; Bob buys one, and Bob and Eve record their recipients (over RPC).
	let legal = work.path().join("LICENSE.txt");
	fs::write(&legal, "Sealed: use grants only.\n").unwrap();
	let terms = zoo.json(&[
		"--key",
		"//Alice",
		"license",
		"terms",
		"create",
		"--commercial",
		"--legal-file",
		s(&legal),
		"--legal-uri",
		"https://acme.example/sealed",
	]);
	let terms = terms["id"].as_u64().unwrap().to_string();
	let sealed_dir = work.path().join("sealed");
	fs::create_dir_all(&sealed_dir).unwrap();
	fs::write(sealed_dir.join("weights.bin"), "sealed weights").unwrap();
	zoo.run(&["init", MODEL, s(&sealed_dir)]).assert_ok();
	let store = format!("file://{}", s(&work.path().join("store")));
	zoo.run(&["remote", "add", "store", &store, "--dir", s(&sealed_dir)]).assert_ok();
	let sealed = zoo.json(&[
		"--key",
		"//Alice",
		"commit",
		s(&sealed_dir),
		"-m",
		"sealed",
		"--no-parent",
		"--terms",
		&terms,
		"--encrypt",
		"--push",
		"store",
	]);
	let sealed = sealed["id"].as_str().unwrap().to_owned();
	zoo.json(&["--key", "//Alice", "license", "offer", &sealed, "--id", "1", "--use", "--price", "1"]);
	let bought = zoo.json(&["--key", "//Bob", "license", "buy", &sealed, "--offer", "1", "--max-price", "1"]);
	let bought_at = bought["block"]["block_number"].as_u64().unwrap().to_string();
	zoo.json(&["--key", "//Bob", "keys", "recipient", "--register"]);
	zoo.json(&["--key", "//Eve", "keys", "recipient", "--register"]);
	// Over the liar's RPC nothing is decided on its word.
	liar.run(&["--key", "//Alice", "license", "release", &sealed, "//Eve"])
		.assert_one_line_error(&["not releasing keys on the word of", "--light"]);
	let before = requests.load(Ordering::SeqCst);
	// Through the light client, the chain's own answers: Eve holds no grant; `keys serve`
	// follows Bob's purchase in the proven blocks and releases to him, and he opens it.
	liar.run(&[&light[..], &["--key", "//Alice", "license", "release", &sealed, "//Eve"]].concat())
		.assert_one_line_error(&["not released", "no grant"]);
	let served = liar
		.run(&[&light[..], &["--key", "//Alice", "--json", "keys", "serve", "--from", &bought_at, "--once"]].concat());
	let lines: Vec<Value> = served.assert_ok().stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
	assert_eq!(lines.len(), 1, "{}", served.describe());
	assert_eq!(lines[0]["version"], sealed.as_str());
	assert!(lines[0]["block"]["block_number"].is_u64(), "{}", served.describe());
	let bob_copy = work.path().join("bob-copy");
	liar.run(&[&light[..], &["--key", "//Bob", "checkout", &sealed, s(&bob_copy)]].concat()).assert_ok();
	assert_eq!(fs::read_to_string(bob_copy.join("weights.bin")).unwrap(), "sealed weights");
	// `watch --light` gives the node's own events, from the light client.
	let window = ["watch", "--from-block", &bought_at, "--until-block", &bought_at];
	let through_light = liar.run(&[&light[..], &window[..]].concat());
	assert_eq!(through_light.assert_ok().stdout, zoo.run(&window).assert_ok().stdout);
	assert!(through_light.stdout.contains("Purchased"), "{}", through_light.describe());
	assert_eq!(requests.load(Ordering::SeqCst), before, "the light client never asked the --url node");

	// A workspace can make the light client its default: commands run in it need no flags.
	let workspace = work.path().join("workspace");
	zoo.run(&["init", MODEL, s(&workspace)]).assert_ok();
	let enabled =
		zoo.json(&["light", "enable", "--chain-spec", s(&spec), "--bootnode", &bootnode, "--dir", s(&workspace)]);
	assert_eq!((enabled["light"].as_bool(), enabled["chain_id"].as_str()), (Some(true), Some("zoo_dev")));
	let shown = liar.run_in(&workspace, &["--json", "show", &v1]);
	assert_eq!(shown.assert_ok().json(), honest, "the workspace's light client, not the liar");
	zoo.run(&["light", "disable", "--dir", s(&workspace)]).assert_ok();
	liar.run_in(&workspace, &["show", &v1]).assert_one_line_error(&["does not exist"]);

	// `light status` reports where the light client stands, and -v says how long it took.
	let status = zoo.json(&[&light[..], &["light", "status"]].concat());
	assert_eq!(status["chain_id"], "zoo_dev");
	assert!(status["finalized"].as_u64().unwrap() > 0, "{status}");
	let verbose = zoo.run(&[&light[..], &["-v", "show", &v1]].concat());
	verbose.assert_ok();
	assert!(
		verbose.stderr.contains("light client synced") && verbose.stderr.contains("synced_in_ms"),
		"{}",
		verbose.stderr
	);

	// A bad chain spec, or one without peers, is refused before anything is asked.
	let plain = work.path().join("plain.json");
	fs::write(&plain, r#"{"name":"x","id":"x","genesis":{"runtimeGenesis":{}}}"#).unwrap();
	zoo.run(&["--light", "--chain-spec", s(&plain), "show", &v1]).assert_one_line_error(&["not a raw spec"]);
	zoo.run(&["--light", "--chain-spec", s(&spec), "show", &v1]).assert_one_line_error(&["no bootNodes", "--bootnode"]);
	zoo.run(&["--light", "show", &v1]).assert_one_line_error(&["--chain-spec"]);
	zoo.run(&["--bootnode", &bootnode, "show", &v1]).assert_one_line_error(&["--light"]);
}

/// The raw bytes of a CID, in hex, as they appear in a view function's input.
fn hex_of(cid: &str) -> String {
	hex::encode(VersionId::from_cid_str(cid).unwrap().0)
}

#[test]
fn a_light_client_refuses_stale_finality() {
	// A local chain's nodes need a network key of their own (a dev chain makes one up).
	let alice = Node::start(&["--chain", "local", "--alice", "--node-key", &"a1".repeat(32)]);
	let alice_address = alice.p2p_address();
	let mut bob =
		Node::start(&["--chain", "local", "--bob", "--node-key", &"b0".repeat(32), "--bootnodes", &alice_address]);
	let zoo = Zoo::new(alice.ws_url());
	let work = tempfile::tempdir().unwrap();
	let spec = raw_spec("local", work.path());
	let light = ["--light", "--chain-spec", s(&spec), "--bootnode", &alice_address, "--max-finality-lag", "25"];
	wait_until("the two validators to finalize", Duration::from_secs(90), || finalized_number(alice.rpc_port) >= 2);
	// The light client learns finality from the GRANDPA justifications it is sent, which can
	// trail the node's own finalized head by a block or two on a loaded machine.
	wait_until("the light client to verify block 2 final", Duration::from_secs(60), || {
		zoo.json(&[&light[..], &["light", "status"]].concat())["finalized"].as_u64().unwrap_or(0) >= 2
	});

	// Without Bob, GRANDPA (which needs both) stalls while Alice goes on authoring.
	bob.stop();
	let stalled_at = finalized_number(alice.rpc_port);
	// A healthy finalized block is 2 or 3 blocks (12-18 s) old; wait until the stalled one is
	// past the 25 s allowed.
	std::thread::sleep(Duration::from_secs(30));
	assert!(finalized_number(alice.rpc_port) <= stalled_at + 1, "finality went on without Bob");
	let run = zoo.run(
		&[&light[..], &["--timeout", "5", "show", "bafkreidhslzvikhezknhw55wpqhkr3u3bi63oh7oewpuwkwxt4mggirdsy"]]
			.concat(),
	);
	// (Which of its two refusals depends on whether smoldot warp-synced to the stalled block
	// or waits for a finality proof beyond the genesis; both say why and answer nothing.)
	run.assert_one_line_error(&["behind on finality", "not answering from an"]);

	// Bob returns, finality resumes, and the light client answers again.
	bob.start_again();
	wait_until("finality to resume", Duration::from_secs(120), || finalized_number(alice.rpc_port) > stalled_at + 1);
	let resumed = zoo.json(&[&light[..], &["--timeout", "60", "light", "status"]].concat());
	assert!(resumed["finalized"].as_u64().unwrap() > stalled_at as u64, "{resumed}");
}

/// Ask the instant-seal node on `port` for an empty block (the manual-seal RPC).
fn seal_empty_block(port: u16) {
	let answer = crate::common::harness::rpc_call_with(port, "engine_createBlock", "[true, false, null]").unwrap();
	assert!(answer.contains("\"hash\""), "engine_createBlock: {answer}");
}

#[test]
fn instant_seal_with_grandpa_finality_leaves_justifications() {
	let refused =
		Command::new(node_binary()).args(["--dev", "--tmp", "--grandpa-finality"]).output().expect("running zoo-node");
	assert!(!refused.status.success());
	let stderr = String::from_utf8_lossy(&refused.stderr);
	assert!(stderr.contains("--instant-seal"), "{stderr}");

	let node = Node::start(&["--dev", "--instant-seal", "--grandpa-finality"]);
	for _ in 0..520 {
		seal_empty_block(node.rpc_port);
	}
	// GRANDPA, not the sealing, finalizes: it votes two blocks behind the best.
	wait_until("GRANDPA to finalize the sealed blocks", Duration::from_secs(60), || {
		finalized_number(node.rpc_port) >= 518
	});
	// The first block finalized at or past each multiple of 512 keeps its GRANDPA justification
	// ("FRNK"), which warp sync starts from; others keep none.
	let justifications = |number: u32| {
		let hash: Value = serde_json::from_str(
			&crate::common::harness::rpc_call_with(node.rpc_port, "chain_getBlockHash", &format!("[{number}]"))
				.unwrap(),
		)
		.unwrap();
		let hash = hash["result"].as_str().unwrap().to_owned();
		let block: Value = serde_json::from_str(
			&crate::common::harness::rpc_call_with(node.rpc_port, "chain_getBlock", &format!(r#"["{hash}"]"#)).unwrap(),
		)
		.unwrap();
		block["result"]["justifications"].clone()
	};
	let kept: Vec<Value> = (500..=518).map(justifications).filter(|kept| !kept.is_null()).collect();
	assert_eq!(kept.len(), 1, "{kept:?}");
	assert_eq!(kept[0][0][0], serde_json::json!(b"FRNK"), "{kept:?}");
}
