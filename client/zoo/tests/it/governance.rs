//! End to end, the council governing the chain through the real `zoo-node --dev --instant-seal`
//! (council: Alice, Bob, Charlie; validator: Alice) and the real `zoo` binary:
//!
//! 1. Bob has the node generate session keys for him and registers them (`zoo validators
//!    set-keys`): the node proves their possession, the chain checks the proof.
//! 2. Alice proposes admitting Bob (a majority motion); the same motion again, a non-member's
//!    proposal and an account without session keys are refused before anything is sent.
//!    Alice and Bob vote aye, Charlie closes it: `zoo validators` shows Bob in the planned set, joining,
//!    with the change pending for the next session.
//! 3. Removing Alice is refused: the set cannot fall below its minimum of 2; nothing is sent.
//! 4. A runtime upgrade: a file that is not a runtime is refused; applying before anything is
//!    authorized is refused. Alice proposes the node's own runtime (two thirds: 2 of 3), she and
//!    Bob vote aye, Charlie closes it, and `System::AuthorizedUpgrade` holds its hash. Applying
//!    another file is refused naming both hashes; applying the authorized one is refused by the
//!    chain (the spec version must rise), in words.
//!
//! Every refusal is one `error:` line, and no refusal the client makes sends a transaction
//! (the signer's nonce is unchanged).

use crate::common::{
	Zoo, block_shape,
	harness::{self, Node},
	snapshot::assert_json_shape,
};
use serde_json::{Value, json};
use std::{path::PathBuf, str::FromStr, time::Instant};
use subxt::utils::AccountId32;
use subxt_signer::{SecretUri, sr25519::Keypair};
use zoo_client::chain::{Chain, upgrade::blake2_256};

fn account(uri: &str) -> String {
	Keypair::from_uri(&SecretUri::from_str(uri).unwrap()).unwrap().public_key().to_account_id().to_string()
}

/// The node's own runtime, built beside it (`<target>/release/wbuild/zoo-runtime/`).
fn node_runtime(file: &str) -> PathBuf {
	let release = harness::node_binary().parent().expect("<target>/release").to_path_buf();
	let path = release.join("wbuild/zoo-runtime").join(file);
	assert!(path.is_file(), "{} not found: build the node (`make build`)", path.display());
	path
}

/// The next nonce of `who` the node reports (pool included): unchanged when nothing was sent.
fn next_nonce(node: &Node, who: &str) -> u64 {
	let answer = harness::rpc_call_with(node.rpc_port, "system_accountNextIndex", &format!(r#"["{who}"]"#)).unwrap();
	let answer: Value = serde_json::from_str(&answer).unwrap();
	answer["result"].as_u64().unwrap_or_else(|| panic!("no nonce in {answer}"))
}

#[test]
fn the_council_admits_a_validator_and_authorizes_an_upgrade() {
	let started = Instant::now();
	let node = Node::start(&["--dev", "--instant-seal"]);
	let zoo = Zoo::new(node.ws_url());
	let tokio = tokio::runtime::Runtime::new().unwrap();
	let chain = tokio.block_on(Chain::connect(&node.ws_url())).unwrap();
	let as_key = |key: &str, args: &[&str]| zoo.run(&[&["--key", key][..], args].concat());
	let json_as = |key: &str, args: &[&str]| as_key(key, &[&["--json"][..], args].concat()).assert_ok().json();
	let (alice, bob, dave) = (account("//Alice"), account("//Bob"), account("//Dave"));

	let members = zoo.json(&["council", "members"]);
	assert_eq!((&members["majority"], &members["two_thirds"]), (&json!(2), &json!(2)));
	let text = zoo.run(&["council", "members"]).assert_ok().stdout.clone();
	assert!(text.contains("a majority motion needs 2 ayes") && text.contains("a two-thirds motion needs 2"), "{text}");

	let before = zoo.json(&["validators"]);
	assert_json_shape(
		"validators",
		&before,
		json!({"active": ["<account>"], "planned": ["<account>"], "pending_change": false, "session": "<number>",
			"min_validators": "<number>", "max_validators": "<number>"}),
	);
	assert_eq!((&before["active"], &before["planned"]), (&json!([alice]), &json!([alice])));
	assert_eq!((&before["min_validators"], &before["max_validators"]), (&json!(2), &json!(32)));

	// -- 1. Bob's session keys, generated on the node (his validator's) and registered.
	let keys = json_as("//Bob", &["validators", "set-keys"]);
	assert_eq!(keys["account"], json!(bob));
	assert_eq!(keys["node"], json!(node.ws_url()));
	assert_eq!(keys["block"]["block_number"].as_u64().map(|n| n > 0), Some(true), "{keys}");
	let (aura, grandpa, all) =
		(keys["aura"].as_str().unwrap(), keys["grandpa"].as_str().unwrap(), keys["keys"].as_str().unwrap());
	assert_eq!((aura.len(), grandpa.len(), all.len()), (66, 66, 130), "{keys}");
	assert_eq!(all, format!("{aura}{}", &grandpa[2..]), "the keys are Aura's then GRANDPA's");
	let bob_account = AccountId32::from_str(&bob).unwrap();
	assert!(tokio.block_on(chain.has_session_keys(&bob_account)).unwrap());
	// The node holds the secrets: it says so for the registered keys.
	let held = harness::rpc_call_with(node.rpc_port, "author_hasSessionKeys", &format!(r#"["{all}"]"#)).unwrap();
	assert!(held.contains(r#""result":true"#), "{held}");

	// -- 2. Admitting Bob, by majority.
	let alice_nonce = next_nonce(&node, &alice);
	as_key("//Alice", &["council", "propose", "add-validator", "//Dave"])
		.assert_one_line_error(&[&format!("{dave} has no session keys"), "validators set-keys"]);
	as_key("//Dave", &["council", "propose", "add-validator", "//Bob"])
		.assert_one_line_error(&[&format!("{dave} is not a member of the council")]);
	as_key("//Alice", &["council", "propose", "add-validator", &alice])
		.assert_one_line_error(&[&format!("{alice} is already in the planned validator set")]);
	assert_eq!(next_nonce(&node, &alice), alice_nonce, "a refused proposal was sent");

	let proposed = json_as("//Alice", &["council", "propose", "add-validator", "//Bob"]);
	assert_json_shape(
		"council propose add-validator",
		&proposed,
		json!({"index": "<number>", "hash": "<hash>", "threshold": "<number>",
			"call": {"add_validator": {"account": "<account>"}}, "block": block_shape()}),
	);
	assert_eq!((&proposed["threshold"], &proposed["call"]["add_validator"]["account"]), (&json!(2), &json!(bob)));
	let motion = proposed["index"].as_u64().unwrap().to_string();
	let motions = zoo.json(&["council", "motions"]);
	assert_eq!(motions["motions"][0]["call"], json!({"add_validator": {"account": bob}}));
	let text = zoo.run(&["council", "motions"]).assert_ok().stdout.clone();
	assert!(text.contains(&format!("call      add validator {bob}")), "{text}");
	as_key("//Charlie", &["council", "propose", "add-validator", &bob])
		.assert_one_line_error(&[&format!("the same motion is already open as motion {motion} (add validator {bob})")]);

	// A proposer's aye is a vote of its own (pallet-collective does not count the proposal).
	json_as("//Alice", &["council", "vote", &motion, "aye"]);
	json_as("//Bob", &["council", "vote", &motion, "aye"]);
	let closed = as_key("//Charlie", &["council", "close", &motion]).assert_ok().stdout.clone();
	assert!(closed.contains(&format!("passed and ran: add validator {bob}")), "{closed}");

	let after = zoo.json(&["validators"]);
	assert_eq!(after["planned"], json!([alice, bob]), "{after}");
	assert_eq!(after["active"], json!([alice]), "{after}");
	assert_eq!(after["pending_change"], true, "{after}");
	let text = zoo.run(&["validators"]).assert_ok().stdout.clone();
	assert!(text.contains(&format!("{bob}  (joining)")) && text.contains("planned   2 validators"), "{text}");

	// -- 3. The set never falls below its minimum.
	let alice_nonce = next_nonce(&node, &alice);
	as_key("//Alice", &["council", "propose", "remove-validator", "//Alice"])
		.assert_one_line_error(&["the validator set cannot fall below its minimum of 2"]);
	as_key("//Alice", &["council", "propose", "remove-validator", &dave])
		.assert_one_line_error(&[&format!("{dave} is not in the planned validator set")]);
	assert_eq!(next_nonce(&node, &alice), alice_nonce, "a refused proposal was sent");
	assert_eq!(zoo.json(&["council", "motions"]), json!({"motions": []}));

	// -- 4. A runtime upgrade, by two thirds.
	let work = tempfile::Builder::new().prefix("zoo-governance-").tempdir().unwrap();
	let script = work.path().join("not-a-runtime.wasm");
	std::fs::write(&script, "#!/bin/sh\necho hello\n").unwrap();
	as_key("//Alice", &["council", "propose", "upgrade", script.to_str().unwrap()])
		.assert_one_line_error(&["not-a-runtime.wasm is not a runtime", "neither a WebAssembly module"]);
	let runtime = node_runtime("zoo_runtime.compact.compressed.wasm");
	let runtime_path = runtime.to_str().unwrap();
	let code = std::fs::read(&runtime).unwrap();
	let code_hash = format!("0x{}", hex::encode(blake2_256(&code)));
	// It is the code the chain runs (`:code`): the upgrade below is to the very same runtime.
	let stored = harness::rpc_call_with(node.rpc_port, "state_getStorage", r#"["0x3a636f6465"]"#).unwrap();
	let stored: Value = serde_json::from_str(&stored).unwrap();
	let stored = hex::decode(stored["result"].as_str().unwrap().trim_start_matches("0x")).unwrap();
	assert!(stored == code, "{runtime_path} is not the runtime the node runs: rebuild the node");
	let charlie = account("//Charlie");
	let charlie_nonce = next_nonce(&node, &charlie);
	as_key("//Charlie", &["council", "apply-upgrade", runtime_path])
		.assert_one_line_error(&["no runtime upgrade is authorized"]);
	assert_eq!(next_nonce(&node, &alice), alice_nonce, "a refused proposal was sent");
	assert_eq!(next_nonce(&node, &charlie), charlie_nonce, "a refused upgrade was sent");

	let proposed = as_key("//Alice", &["council", "propose", "upgrade", runtime_path]).assert_ok().stdout.clone();
	assert!(proposed.starts_with(&format!("code hash {code_hash}")), "{proposed}");
	assert!(proposed.contains(&format!("authorize runtime upgrade {code_hash}")), "{proposed}");
	assert!(proposed.contains("it passes with 2 ayes (two thirds)"), "{proposed}");
	let motions = zoo.json(&["council", "motions"]);
	let upgrade = &motions["motions"][0];
	assert_eq!(upgrade["call"], json!({"authorize_upgrade": {"code_hash": code_hash}}), "{motions}");
	assert_eq!(upgrade["threshold"], 2);
	let motion = upgrade["index"].as_u64().unwrap().to_string();
	as_key("//Bob", &["council", "propose", "upgrade", runtime_path])
		.assert_one_line_error(&[&format!("already open as motion {motion} (authorize runtime upgrade {code_hash})")]);
	json_as("//Alice", &["council", "vote", &motion, "aye"]);
	json_as("//Bob", &["council", "vote", &motion, "aye"]);
	let closed = json_as("//Charlie", &["council", "close", &motion]);
	assert_eq!((&closed["approved"], &closed["call_error"]), (&json!(true), &Value::Null), "{closed}");
	chain.read_newest();
	let authorized = tokio.block_on(chain.authorized_upgrade()).unwrap().expect("an authorized upgrade");
	assert_eq!(authorized.code_hash.to_string(), code_hash);
	assert!(authorized.check_version);

	let other = node_runtime("zoo_runtime.compact.wasm");
	let other_hash = format!("0x{}", hex::encode(blake2_256(&std::fs::read(&other).unwrap())));
	let charlie_nonce = next_nonce(&node, &charlie);
	as_key("//Charlie", &["council", "apply-upgrade", other.to_str().unwrap()]).assert_one_line_error(&[
		&format!("hashes to {other_hash}"),
		&format!("the upgrade authorized is {code_hash}"),
	]);
	assert_eq!(next_nonce(&node, &charlie), charlie_nonce, "a refused upgrade was sent");
	// The same runtime is no upgrade: the chain refuses it (and spends the authorization).
	as_key("//Charlie", &["council", "apply-upgrade", runtime_path]).assert_one_line_error(&[
		"the chain refused the upgrade",
		"does not raise the spec version above the running zoo",
		"the authorization is spent",
	]);
	chain.read_newest();
	assert_eq!(tokio.block_on(chain.authorized_upgrade()).unwrap(), None);

	eprintln!("[governance] the governance story took {:.1} s", started.elapsed().as_secs_f64());
}
