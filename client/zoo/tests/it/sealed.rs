//! End to end, sealed (encrypted) versions through the real `zoo-node --dev --instant-seal`, the
//! real `zoo` binary, a `file://` remote and the reference `age`:
//!
//! 1. Alice commits a version with `--encrypt --terms --push`: the remote holds only ciphertext,
//!    whose digests the manifest records; she checks it out and verifies it (plaintext).
//! 2. Bob without a key, then without a grant, then with a grant but no release, is refused, each
//!    time with a message saying what is missing, and nothing is placed.
//! 3. A release decided on the node's unproven answers is refused unless `--trust-node` says
//!    the node is the user's own (`--light` proves them: see `light.rs`); a release to an
//!    account without a recorded recipient is refused; Bob records his; `zoo keys serve
//!    --once` replays the purchase and releases; a second run skips it.
//! 4. Bob checks out and verifies the plaintext; the released header in front of the stored
//!    payload is an age file the reference `age -d` opens with Bob's identity.
//! 5. `zoo keys serve` running in the background serves Charlie's purchase as it is finalized,
//!    and Dave's, bought before he recorded a recipient, once he records one.
//! 6. Nobody but the owner can release (Bob's identity does not open the owner headers), and a
//!    release to an account without a grant is refused.

use crate::common::{Zoo, harness::Node, pseudo_random};
use serde_json::Value;
use sha2::Digest;
use std::{
	fs,
	path::Path,
	process::{Command, Stdio},
	time::{Duration, Instant},
};
use subxt::utils::AccountId32;
use subxt_signer::sr25519::dev;
use zoo_client::chain::Chain;
use zoo_primitives::VersionId;

fn s(path: &Path) -> &str {
	path.to_str().unwrap()
}

fn json_lines(stdout: &str) -> Vec<Value> {
	stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

/// Collects a child's stdout lines on a thread, so a test can wait for a given number of them.
struct LineCollector(std::sync::mpsc::Receiver<String>);

impl LineCollector {
	fn new(stdout: std::process::ChildStdout) -> Self {
		let (send, receive) = std::sync::mpsc::channel();
		std::thread::spawn(move || {
			for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)).map_while(Result::ok) {
				if send.send(line).is_err() {
					break;
				}
			}
		});
		Self(receive)
	}

	/// The lines printed so far, waiting up to `timeout` for `count` of them.
	fn wait_for(&self, count: usize, timeout: Duration) -> String {
		let deadline = Instant::now() + timeout;
		let mut lines = Vec::new();
		while lines.len() < count {
			match self.0.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
				Ok(line) => lines.push(line),
				Err(_) => break,
			}
		}
		lines.iter().map(|line| format!("{line}\n")).collect()
	}
}

#[test]
fn sealed_versions_open_only_for_released_grantees() {
	let started = Instant::now();
	let node = Node::start(&["--dev", "--instant-seal"]);
	let zoo = Zoo::new(node.ws_url());
	let tokio = tokio::runtime::Runtime::new().unwrap();
	let work = tempfile::Builder::new().prefix("zoo-sealed-").tempdir().unwrap();
	let as_key = |key: &str, args: &[&str]| zoo.run(&[&["--key", key][..], args].concat());
	let json_as = |key: &str, args: &[&str]| as_key(key, &[&["--json"][..], args].concat()).assert_ok().json();

	// -- 1. Alice's sealed version.
	let legal = work.path().join("LICENSE.txt");
	fs::write(&legal, "Sealed weights: use grants only.\n").unwrap();
	let terms = json_as(
		"//Alice",
		&[
			"license",
			"terms",
			"create",
			"--commercial",
			"--legal-file",
			s(&legal),
			"--legal-uri",
			"https://alpha.example/sealed",
		],
	);
	let terms = terms["id"].as_u64().unwrap().to_string();
	as_key("//Alice", &["model", "create", "alpha-labs/sealed"]).assert_ok();
	let dir = work.path().join("alpha");
	fs::create_dir_all(dir.join("weights")).unwrap();
	// Several age chunks (64 KiB) and a short last one.
	let weights = pseudo_random(3 * 1024 * 1024 + 12_345, 7);
	fs::write(dir.join("weights/model.safetensors"), &weights).unwrap();
	fs::write(dir.join("config.json"), br#"{"layers": 2}"#).unwrap();
	let store = work.path().join("store");
	zoo.run(&["init", "alpha-labs/sealed", s(&dir)]).assert_ok();
	zoo.run(&["remote", "add", "store", &format!("file://{}", s(&store)), "--dir", s(&dir)]).assert_ok();
	as_key("//Alice", &["commit", s(&dir), "-m", "sealed", "--encrypt", "--push", "store"])
		.assert_one_line_error(&["--terms"]);
	let committed =
		json_as("//Alice", &["commit", s(&dir), "-m", "sealed", "--terms", &terms, "--push", "store", "--encrypt"]);
	let id = committed["id"].as_str().unwrap().to_owned();
	let shown = zoo.json(&["show", &id]);
	let license = shown["manifest"]["license"].as_str().unwrap();
	assert_eq!(license, format!("terms:{terms} (sealed: 2 encrypted files)"), "{shown}");
	let weights_json = &shown["manifest"]["artifacts"][1];
	assert_eq!(weights_json["sealed"]["plaintext_size"], weights.len() as u64, "{shown}");
	assert_eq!(weights_json["sealed"]["plaintext_digest"], hex::encode(sha2::Sha256::digest(&weights)), "{shown}");
	assert!(weights_json["size"].as_u64().unwrap() > weights.len() as u64, "the stored size is the ciphertext's");
	// The remote holds ciphertext only: no stored object contains the plaintext's first bytes.
	let mut objects = Vec::new();
	for entry in walkdir::WalkDir::new(&store).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
		objects.push(fs::read(entry.path()).unwrap());
	}
	assert_eq!(objects.len(), 2, "one object per file");
	for object in &objects {
		assert!(!object.windows(64).any(|w| w == &weights[..64]), "plaintext found in the store");
		assert!(!object.windows(13).any(|w| w == br#"{"layers": 2}"#), "plaintext found in the store");
	}
	// The owner opens her own version; verify compares the plaintext.
	let owner_copy = work.path().join("owner-copy");
	json_as("//Alice", &["checkout", &id, s(&owner_copy)]);
	assert!(fs::read(owner_copy.join("weights/model.safetensors")).unwrap() == weights, "content differs");
	zoo.run(&["verify", &id, s(&owner_copy)]).assert_ok();

	// -- 2. Bob: no key, no grant, no release.
	let bob_copy = work.path().join("bob-copy");
	zoo.run(&["checkout", &id, s(&bob_copy)]).assert_one_line_error(&["is sealed", "--key"]);
	as_key("//Bob", &["checkout", &id, s(&bob_copy)]).assert_one_line_error(&["is sealed", "holds no grant"]);
	assert!(!bob_copy.exists(), "a refused checkout placed something");
	json_as("//Alice", &["license", "offer", &id, "--id", "1", "--use", "--price", "1"]);
	let bought = json_as("//Bob", &["license", "buy", &id, "--offer", "1", "--max-price", "1"]);
	let bought_at = bought["block"]["block_number"].as_u64().unwrap().to_string();
	as_key("//Bob", &["checkout", &id, s(&bob_copy)])
		.assert_one_line_error(&["holds a grant", "not released the keys"]);
	assert!(!bob_copy.exists(), "a refused checkout placed something");

	// -- 3. Release: refused on an RPC node's unproven word unless the node is trusted (the node
	// would choose the key the headers are wrapped for: audit A3-01); refused without a
	// recipient; served once Bob records his.
	let unproven = ["not releasing keys on the word of", "--light", "--trust-node", "nothing was sent"];
	as_key("//Alice", &["license", "release", &id, "//Bob"]).assert_one_line_error(&unproven);
	as_key("//Alice", &["keys", "serve", "--from", &bought_at, "--once"]).assert_one_line_error(&unproven);
	as_key("//Alice", &["license", "release", &id, "//Bob", "--trust-node"])
		.assert_one_line_error(&["not released", "age recipient"]);
	let recipient = json_as("//Bob", &["keys", "recipient", "--register", "--show-secret"]);
	let bob_identity = recipient["identity"].as_str().unwrap().to_owned();
	assert!(recipient["recipient"].as_str().unwrap().starts_with("age1"), "{recipient}");
	let served = as_key("//Alice", &["--json", "keys", "serve", "--from", &bought_at, "--once", "--trust-node"]);
	let lines = json_lines(&served.assert_ok().stdout);
	assert_eq!(lines.len(), 1, "{}", served.describe());
	assert_eq!(lines[0]["version"], id.as_str());
	assert_eq!(lines[0]["grantee"], dev::bob().public_key().to_account_id().to_string());
	assert!(lines[0]["block"]["block_number"].is_u64(), "{}", lines[0]);
	let again = as_key("//Alice", &["--json", "keys", "serve", "--from", &bought_at, "--once", "--trust-node"]);
	let lines = json_lines(&again.assert_ok().stdout);
	assert_eq!(lines[0]["skipped"], "already-released", "{}", again.describe());

	// -- 4. Bob opens it, and so does the reference age with the released header.
	let checked_out = json_as("//Bob", &["checkout", &id, s(&bob_copy)]);
	assert_eq!(checked_out["files"], 2, "{checked_out}");
	assert!(fs::read(bob_copy.join("weights/model.safetensors")).unwrap() == weights, "content differs");
	zoo.run(&["verify", &id, s(&bob_copy)]).assert_ok();
	let version: VersionId = id.parse().unwrap();
	let bob: AccountId32 = dev::bob().public_key().to_account_id();
	let (release, manifest) = tokio.block_on(async {
		let chain = Chain::connect(&node.ws_url()).await.unwrap();
		let release = chain.released_key(version, &bob).await.unwrap().expect("released to Bob");
		(release, chain.version(version).await.unwrap().unwrap().manifest)
	});
	let weights_index =
		manifest.artifacts.iter().position(|a| &a.path[..] == b"weights/model.safetensors").unwrap() as u32;
	let header = &release.headers.iter().find(|(index, _)| *index == weights_index).unwrap().1;
	let payload = objects.iter().find(|object| object.len() > weights.len()).unwrap();
	let age_file = work.path().join("released.age");
	fs::write(&age_file, [&header[..], &payload[..]].concat()).unwrap();
	let key_file = work.path().join("bob.key");
	fs::write(&key_file, &bob_identity).unwrap();
	let opened = Command::new("age").args(["-d", "-i", s(&key_file), s(&age_file)]).output().unwrap();
	assert!(opened.status.success(), "{}", String::from_utf8_lossy(&opened.stderr));
	assert!(opened.stdout == weights, "content differs");

	// -- 5. A running `keys serve` serves Charlie's purchase as it is finalized.
	json_as("//Charlie", &["keys", "recipient", "--register"]);
	let mut serve = Command::new(env!("CARGO_BIN_EXE_zoo"))
		.args(["--key", "//Alice", "--json", "keys", "serve", "--trust-node"])
		.env("ZOO_HOME", zoo.home.path())
		.env("ZOO_URL", node.ws_url())
		.stdout(Stdio::piped())
		.stderr(fs::File::create(work.path().join("serve.log")).unwrap())
		.spawn()
		.unwrap();
	let served_lines = LineCollector::new(serve.stdout.take().unwrap());
	// Let it read the finalized head before the purchase lands.
	std::thread::sleep(Duration::from_secs(2));
	json_as("//Charlie", &["license", "buy", &id, "--offer", "1", "--max-price", "1"]);
	let watcher = tokio.block_on(Chain::connect(&node.ws_url())).unwrap();
	let released_within = |who: &AccountId32| {
		let waited = Instant::now();
		loop {
			watcher.read_newest();
			let found = tokio.block_on(watcher.released_key(version, who)).unwrap();
			if found.is_some() || waited.elapsed() > Duration::from_secs(60) {
				return found.map(|_| waited.elapsed());
			}
			std::thread::sleep(Duration::from_millis(250));
		}
	};
	let charlie: AccountId32 = dev::charlie().public_key().to_account_id();
	let serve_latency = released_within(&charlie);
	// Dave buys before recording a recipient: he is served once he records one.
	json_as("//Dave", &["license", "buy", &id, "--offer", "1", "--max-price", "1"]);
	json_as("//Dave", &["keys", "recipient", "--register"]);
	let dave: AccountId32 = dev::dave().public_key().to_account_id();
	let dave_latency = released_within(&dave);
	// The release is on chain before `keys serve` prints its line: wait for the line, not only
	// for the chain, before stopping it.
	let served = served_lines.wait_for(3, Duration::from_secs(30));
	let _ = serve.kill();
	let _ = serve.wait();
	let log = fs::read_to_string(work.path().join("serve.log")).unwrap();
	let serve_latency =
		serve_latency.unwrap_or_else(|| panic!("keys serve did not release to Charlie within 60 s\n{served}\n{log}"));
	let dave_latency = dave_latency
		.unwrap_or_else(|| panic!("keys serve did not release to Dave once he recorded a recipient\n{served}\n{log}"));
	let lines = json_lines(&served);
	// Charlie released, Dave skipped for want of a recipient, then released once he has one.
	assert_eq!(lines.len(), 3, "{served}");
	assert_eq!(lines[1]["skipped"], "no-recipient", "{served}");
	assert!(lines[2]["block"]["block_number"].is_u64(), "{served}");
	let charlie_copy = work.path().join("charlie-copy");
	json_as("//Charlie", &["checkout", &id, s(&charlie_copy)]);
	assert!(fs::read(charlie_copy.join("config.json")).unwrap() == br#"{"layers": 2}"#, "content differs");

	// -- 6. Only the owner releases, and only to grant holders.
	as_key("//Bob", &["license", "release", &id, "//Dave", "--trust-node"])
		.assert_one_line_error(&["not released", "owner headers"]);
	json_as("//Eve", &["keys", "recipient", "--register"]);
	as_key("//Alice", &["license", "release", &id, "//Eve", "--trust-node"])
		.assert_one_line_error(&["not released", "no grant"]);
	eprintln!(
		"sealed story: {:.1} s; keys serve released {serve_latency:?} after a purchase, {dave_latency:?} after a late recipient",
		started.elapsed().as_secs_f64()
	);
}
