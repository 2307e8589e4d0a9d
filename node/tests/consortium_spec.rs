//! `zoo-node consortium-spec` as an operator runs it: a members file in, a chain spec out with
//! the members as council, validators and organisation owners and no sudo key; and every wrong
//! file refused with one line naming the member and field, writing nothing.

use serde_json::Value;
use std::{
	path::{Path, PathBuf},
	process::{Command, Output},
};

const NODE: &str = env!("CARGO_BIN_EXE_zoo-node");

/// `zoo-node key inspect` of `uri` in `scheme`: its SS58 address.
fn ss58(uri: &str, scheme: &str) -> String {
	let output =
		Command::new(NODE).args(["key", "inspect", "--output-type", "json", "--scheme", scheme, uri]).output().unwrap();
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	let json: Value = serde_json::from_slice(&output.stdout).unwrap();
	json["ss58Address"].as_str().unwrap().to_owned()
}

/// A fresh node key's peer ID, as `zoo-node key generate-node-key` prints it.
fn peer_id(dir: &Path, name: &str) -> String {
	let output = Command::new(NODE).args(["key", "generate-node-key", "--file"]).arg(dir.join(name)).output().unwrap();
	assert!(output.status.success());
	String::from_utf8(output.stderr).unwrap().trim().to_owned()
}

#[derive(Clone)]
struct Member {
	organisation: String,
	account: String,
	aura: String,
	grandpa: String,
	bootnode: String,
}

impl Member {
	fn new(dir: &Path, organisation: &str, seed: &str) -> Member {
		Member {
			organisation: organisation.to_owned(),
			account: ss58(seed, "sr25519"),
			aura: ss58(&format!("{seed}//aura"), "sr25519"),
			grandpa: ss58(&format!("{seed}//grandpa"), "ed25519"),
			bootnode: format!("/dns/{organisation}.example/tcp/30333/p2p/{}", peer_id(dir, organisation)),
		}
	}

	fn toml(&self) -> String {
		format!(
			"[[member]]\norganisation = \"{}\"\naccount = \"{}\"\naura = \"{}\"\ngrandpa = \"{}\"\nbootnode = \"{}\"\n",
			self.organisation, self.account, self.aura, self.grandpa, self.bootnode
		)
	}
}

fn scratch(name: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("zoo-consortium-spec-{}-{name}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).unwrap();
	dir
}

fn spec(members: &Path, out: &Path, plain: bool) -> Output {
	let mut command = Command::new(NODE);
	command.arg("consortium-spec").arg("--members").arg(members).arg("--out").arg(out);
	if plain {
		command.arg("--plain");
	}
	command.output().unwrap()
}

#[test]
fn a_members_file_makes_a_spec_with_the_members_governing_and_no_sudo() {
	let dir = scratch("good");
	let members = [Member::new(&dir, "acme", "//Member1"), Member::new(&dir, "globex", "//Member2")];
	let file = dir.join("members.toml");
	let body: String = members.iter().map(Member::toml).collect();
	std::fs::write(&file, format!("name = \"Acme and Globex\"\nid = \"ag\"\nendowment = 500\n\n{body}")).unwrap();

	let out = dir.join("plain.json");
	let output = spec(&file, &out, true);
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	let plain: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
	assert_eq!(
		(plain["name"].as_str(), plain["id"].as_str(), plain["chainType"].as_str()),
		(Some("Acme and Globex"), Some("ag"), Some("Live"))
	);
	let boot: Vec<&str> = plain["bootNodes"].as_array().unwrap().iter().map(|b| b.as_str().unwrap()).collect();
	assert_eq!(boot, members.iter().map(|m| m.bootnode.as_str()).collect::<Vec<_>>());
	let patch = &plain["genesis"]["runtimeGenesis"]["patch"];
	assert!(patch.get("sudo").is_none_or(|sudo| sudo["key"].is_null()), "a consortium has no sudo key: {patch}");
	let accounts: Vec<Value> = members.iter().map(|m| Value::from(m.account.clone())).collect();
	assert_eq!(patch["council"]["members"], Value::from(accounts.clone()));
	let keys = patch["session"]["keys"].as_array().unwrap();
	assert_eq!(keys.len(), 2);
	for (key, member) in keys.iter().zip(&members) {
		assert_eq!((key[0].as_str(), key[1].as_str()), (Some(member.account.as_str()), Some(member.account.as_str())));
		assert_eq!(key[2]["aura"].as_str(), Some(member.aura.as_str()), "{key}");
		assert_eq!(key[2]["grandpa"].as_str(), Some(member.grandpa.as_str()), "{key}");
	}
	let orgs = patch["modelRegistry"]["orgs"].as_array().unwrap();
	for (org, member) in orgs.iter().zip(&members) {
		let name: Vec<u8> = org[0].as_array().unwrap().iter().map(|b| b.as_u64().unwrap() as u8).collect();
		assert_eq!((name.as_slice(), org[1].as_str()), (member.organisation.as_bytes(), Some(member.account.as_str())));
	}
	assert_eq!(orgs.len(), 2, "{orgs:?}");
	let balances = patch["balances"]["balances"].as_array().unwrap();
	assert!(balances.iter().all(|b| b[1].as_u64() == Some(500 * 1_000_000_000_000)), "{balances:?}");

	// The raw spec (what nodes start from) is written too, and holds the runtime code.
	let raw = dir.join("raw.json");
	assert!(spec(&file, &raw, false).status.success());
	let raw: Value = serde_json::from_slice(&std::fs::read(&raw).unwrap()).unwrap();
	assert!(raw["genesis"]["raw"]["top"]["0x3a636f6465"].as_str().is_some_and(|code| code.len() > 100_000));
	std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_wrong_members_file_is_refused_in_one_line_and_nothing_is_written() {
	let dir = scratch("wrong");
	let [a, b] = [Member::new(&dir, "acme", "//Member1"), Member::new(&dir, "globex", "//Member2")];
	let with = |edit: &dyn Fn(&mut Member, &mut Member)| {
		let (mut a, mut b) = (a.clone(), b.clone());
		edit(&mut a, &mut b);
		format!("{}{}", a.toml(), b.toml())
	};
	let cases: Vec<(&str, String, &str)> = vec![
		("no members", "name = \"x\"\n".into(), "lists 0 [[member]]: a consortium has 2 to 32 members"),
		("one member", a.toml(), "lists 1 [[member]]: a consortium has 2 to 32 members"),
		("not toml", "[[member]\n".into(), "is not a valid members file"),
		("unknown field", format!("{}sudo = \"x\"\n", with(&|_, _| ())), "unknown field `sudo`"),
		(
			"bad account",
			with(&|_, b| b.account = "5NotAnAddress".into()),
			"member 2 (globex): account is not an SS58 address",
		),
		("grandpa as aura", with(&|a, _| a.aura = "hello".into()), "member 1 (acme): aura is not an SS58 sr25519 key"),
		(
			"bad name",
			with(&|a, _| a.organisation = "Acme Corp".into()),
			"member 1 (Acme Corp): organisation is not a valid organisation name",
		),
		(
			"no peer id",
			with(&|_, b| b.bootnode = "/ip4/10.0.0.2/tcp/30333".into()),
			"member 2 (globex): bootnode is not a multiaddress ending in /p2p/<peer id>",
		),
		(
			"look-alike",
			with(&|_, b| b.organisation = "acrne".into()),
			"member 2 (acrne): organisation is the same as another member's (or looks like it)",
		),
		(
			"same account",
			with(&|a, b| b.account = a.account.clone()),
			"member 2 (globex): account is the same as another member's",
		),
		(
			"same grandpa",
			with(&|a, b| b.grandpa = a.grandpa.clone()),
			"member 2 (globex): grandpa is the same as another member's",
		),
		(
			"same node",
			with(&|a, b| b.bootnode = a.bootnode.replace("acme.example", "globex.example")),
			"member 2 (globex): bootnode is the same as another member's",
		),
	];
	for (what, body, expected) in cases {
		let file = dir.join("members.toml");
		std::fs::write(&file, body).unwrap();
		let out = dir.join("spec.json");
		let output = spec(&file, &out, false);
		let stderr = String::from_utf8_lossy(&output.stderr);
		assert_eq!(output.status.code(), Some(1), "{what}: {stderr}");
		assert!(stderr.starts_with("zoo-node consortium-spec: ") && stderr.contains(expected), "{what}: {stderr}");
		assert_eq!(stderr.trim_end().lines().count(), 1, "{what}: {stderr}");
		assert!(output.stdout.is_empty() && !out.exists(), "{what}: something was written");
	}
	let missing = spec(&dir.join("absent.toml"), &dir.join("spec.json"), false);
	assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"), "{missing:?}");
	std::fs::remove_dir_all(&dir).unwrap();
}
