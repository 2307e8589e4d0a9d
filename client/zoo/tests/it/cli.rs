//! The `zoo` binary's behaviour that needs no node: argument checks, one-line errors, exit codes,
//! keys, init/status and `commit --dry-run`.

use serde_json::json;
use std::{path::Path, process::Command};

use crate::common::snapshot::assert_json_shape;

struct Run {
	code: i32,
	stdout: String,
	stderr: String,
}

/// Run `zoo` with a private ZOO_HOME and an unreachable node URL.
fn zoo(home: &Path, args: &[&str]) -> Run {
	let output = Command::new(env!("CARGO_BIN_EXE_zoo"))
		.args(args)
		.env("ZOO_HOME", home)
		.env("ZOO_URL", "ws://127.0.0.1:1")
		.env_remove("ZOO_KEY")
		.env_remove("RUST_LOG")
		.output()
		.unwrap();
	Run {
		code: output.status.code().unwrap_or(-1),
		stdout: String::from_utf8(output.stdout).unwrap(),
		stderr: String::from_utf8(output.stderr).unwrap(),
	}
}

fn assert_one_line_error(run: &Run, needle: &str) {
	assert_eq!(run.code, 2, "stdout: {} stderr: {}", run.stdout, run.stderr);
	assert_eq!(run.stderr.lines().count(), 1, "one line: {:?}", run.stderr);
	assert!(run.stderr.contains(needle), "{needle:?} not in {:?}", run.stderr);
	assert!(run.stdout.is_empty(), "{:?}", run.stdout);
}

fn sample(dir: &Path) {
	std::fs::create_dir_all(dir.join("src")).unwrap();
	std::fs::write(dir.join("model.safetensors"), vec![7u8; 10_000]).unwrap();
	std::fs::write(dir.join("config.json"), b"{\"layers\": 2}").unwrap();
	std::fs::write(dir.join("src/train.py"), b"print('hi')\n").unwrap();
}

#[test]
fn bad_input_is_one_line_and_writes_nothing() {
	let home = tempfile::tempdir().unwrap();
	let dir = tempfile::tempdir().unwrap();
	sample(dir.path());
	let d = dir.path().to_str().unwrap();
	assert_one_line_error(&zoo(home.path(), &["show", "not-a-cid"]), "invalid version id");
	assert_one_line_error(&zoo(home.path(), &["verify", "bafy", d]), "invalid version id");
	assert_one_line_error(&zoo(home.path(), &["log", "Bad/Name"]), "invalid model name");
	assert_one_line_error(&zoo(home.path(), &["init", "nope", d]), "invalid model name");
	assert_one_line_error(&zoo(home.path(), &["commit", d, "-m", "x"]), "does not track a model");
	let base = ["commit", d, "-m", "x", "--model", "acme/tiny", "--dry-run"];
	for (extra, needle) in [
		(&["--metric", "acc=high"][..], "invalid metric"),
		(&["--tag", "novalue"], "invalid tag"),
		(&["--parent", "bafkrei:merge"], "invalid version id"),
		(&["--hash", "md5"], "unknown hash algorithm"),
		(&["--shard-size", "1KiB"], "below the minimum"),
		(&["--uri-prefix", "no-scheme/"], "invalid URI prefix"),
	] {
		let args: Vec<&str> = base.iter().chain(extra).copied().collect();
		assert_one_line_error(&zoo(home.path(), &args), needle);
	}
	// Signing verbs need a key, and say so before anything else happens.
	assert_one_line_error(&zoo(home.path(), &["model", "create", "acme/tiny"]), "--key");
	assert_one_line_error(&zoo(home.path(), &["commit", d, "-m", "x", "--model", "acme/tiny"]), "--key");
	// Lineage verbs check their arguments before connecting or signing.
	let id = zoo_primitives::VersionId([1; 32]).to_cid_string();
	let id = id.as_str();
	let (hex, require) = ("ab".repeat(32), format!("acc>0.9@{id}"));
	let (hex, require) = (hex.as_str(), require.as_str());
	for (args, needle) in [
		(&["branch", "create", "Bad Name", id][..], "invalid ref name"),
		(&["branch", "move", "main", "bafy"], "invalid version id"),
		(&["branch", "history", "a//b", "--model", "acme/tiny"], "invalid ref name"),
		(&["branch", "list", "--model", "Acme"], "invalid model name"),
		(&["branch"], "which model?"),
		(&["merge", id, "-m", "one parent"], "CID"),
		(&["merge", id, "nonsense", "-m", "x"], "invalid version id"),
		(&["diff", id, "bafy"], "invalid version id"),
		(&["model", "role", "acme/tiny", "//Bob", "owner"], "unknown role"),
		(&["commit", d, "-m", "x", "--model", "acme/tiny", "--branch", "Main", "--dry-run"], "invalid ref name"),
		(&["yank", id, "--reason", ""], "reason"),
		// Attestations and policies: datasets, thresholds, evidence and reasons are checked first.
		(
			&[
				"attest",
				id,
				"--dataset",
				"imagenet",
				"--metric",
				"acc=1",
				"--evidence",
				"https://x/1",
				"--evidence-hash",
				hex,
			],
			"invalid dataset",
		),
		(&["attest", id, "--dataset", hex, "--metric", "acc=1", "--evidence", "https://x/1"], "--evidence-file"),
		(
			&["attest", id, "--dataset", hex, "--metric", "acc=1", "--evidence", "run.log", "--evidence-hash", hex],
			"invalid evidence URI",
		),
		(&["policy", "set", "acme/tiny", "production", "--require", require], "invalid requirement"),
		(&["policy", "set", "acme/tiny", "production", "--must-beat", "acc"], "--must-beat"),
		(&["policy", "set", "acme/tiny", "production"], "asks for nothing"),
		(&["attestation", "revoke", id, "0", "--reason", " "], "reason is empty"),
		(&["promote", id, "Production"], "invalid ref name"),
		(&["watch", "--from-block", "5", "--until-block", "3"], "before --from-block"),
		(&["watch", "--model", "Acme"], "invalid model name"),
	] {
		assert_one_line_error(&zoo(home.path(), args), needle);
	}
	// Unknown flags too, in one line.
	assert_one_line_error(&zoo(home.path(), &["status", "--frobnicate"]), "--frobnicate");
	assert!(!dir.path().join(".zoo").exists(), "nothing written");
	assert!(!home.path().join("keys").exists(), "nothing written");
}

#[test]
fn special_files_are_refused_by_commit() {
	let home = tempfile::tempdir().unwrap();
	let dir = tempfile::tempdir().unwrap();
	sample(dir.path());
	std::os::unix::fs::symlink("config.json", dir.path().join("alias.json")).unwrap();
	let run =
		zoo(home.path(), &["commit", dir.path().to_str().unwrap(), "-m", "x", "--model", "acme/tiny", "--dry-run"]);
	assert_one_line_error(&run, "alias.json: is a symlink");
}

#[test]
fn dry_run_commit_prints_a_stable_id() {
	let home = tempfile::tempdir().unwrap();
	let dir = tempfile::tempdir().unwrap();
	sample(dir.path());
	let d = dir.path().to_str().unwrap();
	let run = zoo(home.path(), &["init", "acme/tiny", d]);
	assert_eq!(run.code, 0, "{}", run.stderr);
	let args = ["--json", "commit", d, "-m", "first", "--metric", "acc=0.9", "--license", "MIT", "--dry-run"];
	let first = zoo(home.path(), &args);
	assert_eq!(first.code, 0, "{}", first.stderr);
	let value: serde_json::Value = serde_json::from_str(&first.stdout).unwrap();
	let id = value["id"].as_str().unwrap().to_owned();
	assert!(id.starts_with("bafkrei"), "{id}");
	assert_eq!(value["manifest"]["artifacts"].as_array().unwrap().len(), 3);
	assert_eq!(value["manifest"]["artifacts"][1]["kind"], "weights");
	assert_eq!(value["manifest"]["metrics"]["acc"], "0.9");
	let again: serde_json::Value = serde_json::from_str(&zoo(home.path(), &args).stdout).unwrap();
	assert_eq!(again["id"], id.as_str());
	let blake = zoo(home.path(), &["--json", "commit", d, "-m", "first", "--hash", "blake3", "--dry-run"]);
	let blake: serde_json::Value = serde_json::from_str(&blake.stdout).unwrap();
	assert_ne!(blake["id"], id.as_str());
}

#[test]
fn init_and_status() {
	let home = tempfile::tempdir().unwrap();
	let dir = tempfile::tempdir().unwrap();
	sample(dir.path());
	let d = dir.path().to_str().unwrap();
	assert_one_line_error(&zoo(home.path(), &["status", d]), "not a zoo workspace");
	let init = zoo(home.path(), &["--json", "init", "acme/tiny", d]);
	assert_eq!(init.code, 0, "{}", init.stderr);
	let value: serde_json::Value = serde_json::from_str(&init.stdout).unwrap();
	assert_json_shape("init", &value, json!({"model": "acme/tiny", "dir": "<path>"}));
	assert_eq!(value["dir"], d);
	let run = zoo(home.path(), &["--json", "status", d]);
	assert_eq!(run.code, 0, "{}", run.stderr);
	let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
	assert_json_shape(
		"status",
		&value,
		json!({
			"model": "acme/tiny",
			"head": null,
			"clean": false,
			"added": ["config.json", "model.safetensors", "src/train.py"],
			"removed": [],
			"modified": [],
			"unchanged": "<number>",
		}),
	);
	assert_eq!(value["unchanged"], 0);
	assert_one_line_error(&zoo(home.path(), &["init", "acme/other", d]), "already tracks model acme/tiny");
}

#[test]
fn keys_generate_import_list() {
	let home = tempfile::tempdir().unwrap();
	let generated = zoo(home.path(), &["--json", "keys", "generate", "ci", "--words", "12"]);
	assert_eq!(generated.code, 0, "{}", generated.stderr);
	let mut value: serde_json::Value = serde_json::from_str(&generated.stdout).unwrap();
	let mnemonic = value["mnemonic"].as_str().unwrap().to_owned();
	assert_eq!(mnemonic.split(' ').count(), 12);
	value["mnemonic"] = json!("<mnemonic>");
	assert_json_shape("keys generate", &value, json!({"name": "ci", "address": "<account>", "mnemonic": "<mnemonic>"}));

	let imported = zoo(home.path(), &["keys", "import", "alice", "//Alice"]);
	assert_eq!(imported.code, 0, "{}", imported.stderr);
	assert!(imported.stdout.contains("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"));
	let imported = zoo(home.path(), &["--json", "keys", "import", "bob", "//Bob"]);
	assert_eq!(imported.code, 0, "{}", imported.stderr);
	let value: serde_json::Value = serde_json::from_str(&imported.stdout).unwrap();
	assert_json_shape("keys import", &value, json!({"name": "bob", "address": "<account>"}));

	let listed = zoo(home.path(), &["keys", "list"]);
	assert!(listed.stdout.contains("alice") && listed.stdout.contains("ci"), "{}", listed.stdout);
	assert!(!listed.stdout.contains(&mnemonic) && !listed.stdout.contains("//Alice"), "no secrets by default");
	let listed = zoo(home.path(), &["--json", "keys", "list"]);
	let value: serde_json::Value = serde_json::from_str(&listed.stdout).unwrap();
	let key = |name: &str| json!({"name": name, "address": "<account>"});
	assert_json_shape("keys list", &value, json!({"keys": [key("alice"), key("bob"), key("ci")]}));
	let shown = zoo(home.path(), &["keys", "list", "--show-secret"]);
	assert!(shown.stdout.contains(&mnemonic), "{}", shown.stdout);
	let shown = zoo(home.path(), &["--json", "keys", "list", "--show-secret"]);
	let mut value: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
	assert_eq!(value["keys"][2]["secret"], mnemonic.as_str());
	value["keys"][2]["secret"] = json!("<mnemonic>");
	let key = |name: &str, secret: &str| json!({"name": name, "address": "<account>", "secret": secret});
	assert_json_shape(
		"keys list --show-secret",
		&value,
		json!({"keys": [key("alice", "//Alice"), key("bob", "//Bob"), key("ci", "<mnemonic>")]}),
	);
	assert_one_line_error(&zoo(home.path(), &["keys", "import", "alice", "//Bob"]), "already exists");
}

#[test]
fn chain_verbs_fail_cleanly_without_a_node() {
	let home = tempfile::tempdir().unwrap();
	let id = zoo_primitives::VersionId([1; 32]).to_cid_string();
	for args in [
		&["show", id.as_str()][..],
		&["log", "acme/tiny"],
		&["log", "acme/tiny", "--graph"],
		&["model", "show", "acme/tiny"],
		&["diff", id.as_str(), id.as_str()],
		&["branch", "--model", "acme/tiny"],
	] {
		let run = zoo(home.path(), args);
		assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
		assert_eq!(run.stderr.lines().count(), 1, "{args:?}: {}", run.stderr);
		assert!(!run.stderr.contains("invalid"), "{args:?}: input was valid: {}", run.stderr);
	}
}

#[test]
fn plaintext_to_another_machine_is_refused_before_connecting() {
	let home = tempfile::tempdir().unwrap();
	let dir = tempfile::tempdir().unwrap();
	let id = zoo_primitives::VersionId([1; 32]).to_cid_string();
	let d = dir.path().to_str().unwrap();
	// The refusal comes first (and fast). The hosts are `.invalid` (RFC 6761: they never
	// resolve), so even a client that failed to refuse could reach no other machine.
	for args in [
		&["--url", "ws://node.invalid:9944", "show", id.as_str()][..],
		&["--url", "ws://node.invalid:9944", "verify", id.as_str(), d],
		&["--url", "ws://node.invalid:9944", "checkout", id.as_str(), d],
		&["--url", "ws://other-node.invalid:9944", "log", "acme/tiny"],
		&["--url", "ws://node.invalid:9944", "--key", "//Alice", "model", "create", "acme/tiny"],
	] {
		let started = std::time::Instant::now();
		let run = zoo(home.path(), args);
		assert_one_line_error(&run, "--insecure");
		assert!(run.stderr.contains("plaintext"), "{}", run.stderr);
		assert!(started.elapsed() < std::time::Duration::from_secs(5), "{args:?} took {:?}", started.elapsed());
	}
	// ZOO_URL too.
	let run = Command::new(env!("CARGO_BIN_EXE_zoo"))
		.args(["show", id.as_str()])
		.env("ZOO_HOME", home.path())
		.env("ZOO_URL", "ws://node.invalid:9944")
		.output()
		.unwrap();
	assert_eq!(run.status.code(), Some(2));
	assert!(String::from_utf8_lossy(&run.stderr).contains("--insecure"));
	// Not a WebSocket URL.
	assert_one_line_error(&zoo(home.path(), &["--url", "http://127.0.0.1:9944", "show", &id]), "ws:// or wss://");
	// Loopback in any spelling is fine, and --insecure is accepted (these just find no node).
	for url in ["ws://127.0.0.1:1", "ws://localhost:1", "ws://[::1]:1"] {
		let run = zoo(home.path(), &["--url", url, "show", &id]);
		assert_one_line_error(&run, "cannot reach");
	}
	assert_one_line_error(&zoo(home.path(), &["--insecure", "show", &id]), "cannot reach");
	assert!(!dir.path().join(".zoo").exists());
}

#[test]
fn new_flags_are_checked_before_connecting() {
	let home = tempfile::tempdir().unwrap();
	let dir = tempfile::tempdir().unwrap();
	let d = dir.path().to_str().unwrap();
	let id = zoo_primitives::VersionId([1; 32]).to_cid_string();
	assert_one_line_error(&zoo(home.path(), &["--timeout", "0", "show", &id]), "--timeout");
	assert_one_line_error(&zoo(home.path(), &["--timeout", "soon", "show", &id]), "--timeout");
	assert_one_line_error(&zoo(home.path(), &["--timeout", "1", "show", &id]), "cannot reach");
	assert_one_line_error(&zoo(home.path(), &["verify", "--allow-yanked", "bafy", d]), "invalid version id");
	assert_one_line_error(&zoo(home.path(), &["checkout", "--allow-yanked", "bafy", d]), "invalid version id");
	assert_one_line_error(&zoo(home.path(), &["checkout", "--allow-yanked", "--force", &id, d]), "cannot reach");
}

#[test]
fn secrets_are_never_repeated() {
	let home = tempfile::tempdir().unwrap();
	// A mnemonic with a typo, and a hex seed missing two digits (name-shaped).
	let typo = "bottom drive obey lake curtain smoke basket hold race lonely fit walkk";
	let seed = format!("0x{}", "5f".repeat(31));
	for account in [typo, seed.as_str()] {
		let run = zoo(home.path(), &["model", "role", "acme/tiny", account, "writer"]);
		assert_one_line_error(&run, "neither an SS58 address");
		assert!(!run.stderr.contains("walkk") && !run.stderr.contains("5f5f5f"), "{}", run.stderr);
		let run = zoo(home.path(), &["--key", account, "model", "create", "acme/tiny"]);
		assert_eq!(run.code, 2, "{}", run.stderr);
		assert!(!run.stderr.contains("walkk") && !run.stderr.contains("5f5f5f"), "{}", run.stderr);
	}
	// Nor shown by --help when it comes from ZOO_URL.
	let help = Command::new(env!("CARGO_BIN_EXE_zoo"))
		.arg("--help")
		.env("ZOO_URL", "wss://alice:hunter2@rpc.example.org")
		.output()
		.unwrap();
	assert!(help.status.success());
	assert!(!String::from_utf8_lossy(&help.stdout).contains("hunter2"));
	// Userinfo in the URL is not logged.
	let id = zoo_primitives::VersionId([1; 32]).to_cid_string();
	let run = zoo(home.path(), &["-v", "--url", "ws://alice:hunter2@127.0.0.1:1", "show", &id]);
	assert_eq!(run.code, 2, "{}", run.stderr);
	assert!(run.stderr.contains("connecting"), "logged: {}", run.stderr);
	assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
}

#[test]
fn a_keystore_open_to_others_is_refused() {
	use std::os::unix::fs::PermissionsExt;
	let home = tempfile::tempdir().unwrap();
	assert_eq!(zoo(home.path(), &["keys", "import", "ops", "//Alice"]).code, 0);
	let file = home.path().join("keys/ops.json");
	std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
	assert_one_line_error(&zoo(home.path(), &["keys", "list"]), "chmod 600");
	assert_one_line_error(&zoo(home.path(), &["--key", "ops", "model", "create", "acme/tiny"]), "chmod 600");
	std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
	std::fs::set_permissions(home.path().join("keys"), std::fs::Permissions::from_mode(0o750)).unwrap();
	assert_one_line_error(&zoo(home.path(), &["keys", "list"]), "chmod 700");
	assert_one_line_error(&zoo(home.path(), &["keys", "import", "new", "//Bob"]), "chmod 700");
}
