//! End to end: what `zoo` does with a node it cannot trust, and with yanked versions.
//!
//! - `a_node_swapping_manifests_is_caught`: a proxy in front of a real node answers version V1
//!   with V2's record and manifest; `verify` and `checkout` fail naming the node, and nothing is
//!   placed.
//! - `wss_works_with_a_trusted_certificate_only`: a TLS proxy (self-signed CA) in front of the
//!   node; `zoo --url wss://localhost:<port>` works when `SSL_CERT_FILE` names the CA and fails
//!   clearly when it does not.
//! - `hanging_and_babbling_nodes_fail_within_the_timeout`: a node that never answers, one that
//!   answers garbage, one that sends an endless answer, and a node whose reads hang or return
//!   garbage, each give a one-line error within `--timeout`, never a hang or a panic.
//! - `yanked_versions_are_refused_unless_allowed`: `verify` and `checkout` of a yanked version
//!   show the reason and exit 1, unless `--allow-yanked` (then a warning).
//!
//! The node binary comes from `$ZOO_NODE`, else from the target directory (see `e2e.rs`).

use serde_json::{Value, json};
use std::{
	fs,
	path::Path,
	sync::Arc,
	time::{Duration, Instant},
};

use crate::common::{
	TlsProxy, Zoo,
	harness::Node,
	proxy::{self, Action},
	snapshot::assert_json_shape,
};
use zoo_primitives::VersionId;

const MODEL: &str = "acme/trust";

fn s(path: &Path) -> &str {
	path.to_str().unwrap()
}

/// Commit `files` in a fresh directory `name` under `work` as a root version of [`MODEL`];
/// its CID.
fn commit(zoo: &Zoo, work: &Path, name: &str, files: &[(&str, &str)]) -> String {
	let dir = work.join(name);
	for (path, content) in files {
		let path = dir.join(path);
		fs::create_dir_all(path.parent().unwrap()).unwrap();
		fs::write(path, content).unwrap();
	}
	let value = zoo.json(&["--key", "//Alice", "commit", s(&dir), "--model", MODEL, "-m", name, "--no-parent"]);
	value["id"].as_str().unwrap().to_owned()
}

/// A dev node with [`MODEL`] created, and a client for it.
fn node_with_model() -> (Node, Zoo) {
	let node = Node::start(&["--dev", "--instant-seal"]);
	let zoo = Zoo::new(node.ws_url());
	zoo.run(&["--key", "//Alice", "model", "create", MODEL]).assert_ok();
	(node, zoo)
}

fn raw_hex(cid: &str) -> String {
	hex::encode(VersionId::from_cid_str(cid).unwrap().0)
}

#[test]
fn a_node_swapping_manifests_is_caught() {
	let (node, zoo) = node_with_model();
	let work = tempfile::tempdir().unwrap();
	let v1 = commit(&zoo, work.path(), "one", &[("weights.bin", "the real weights"), ("config.json", "{}")]);
	let v2 = commit(&zoo, work.path(), "two", &[("weights.bin", "poisoned weights"), ("config.json", "{}")]);
	let dir2 = work.path().join("two");

	// Asked for V1, the proxy asks the node for V2: a record and manifest that are real, just
	// not V1's.
	let (from, to) = (raw_hex(&v1), raw_hex(&v2));
	let port = proxy::start(
		node.rpc_port,
		Arc::new(move |request: &Value| {
			let mut request = request.clone();
			if proxy::is_view_call(&request) {
				let input = request["params"][1].as_str().unwrap().replace(&from, &to);
				request["params"][1] = Value::String(input);
			}
			Action::Forward(request.to_string())
		}),
	);
	let liar = Zoo::new(format!("ws://127.0.0.1:{port}"));
	let node_named = format!("127.0.0.1:{port}");

	// The honest node: V1 verifies against its own files, and `verify` names the manifest used.
	let honest = zoo.run(&["--json", "verify", &v1, s(&work.path().join("one"))]);
	honest.assert_ok();
	assert_eq!(honest.json()["manifest_id"], v1.as_str());

	// Through the liar, V2's files would "match V1": refused, naming the node.
	let run = liar.run(&["verify", &v1, s(&dir2)]);
	run.assert_one_line_error(&[&node_named, &v1, "cannot be trusted"]);
	liar.run(&["--json", "verify", &v1, s(&dir2)]).assert_one_line_error(&[&node_named]);
	let out = work.path().join("out");
	liar.run(&["checkout", &v1, s(&out)]).assert_one_line_error(&[&node_named, "cannot be trusted"]);
	assert!(!out.exists(), "checkout placed nothing");
	liar.run(&["show", &v1]).assert_one_line_error(&[&node_named]);
	// What the proxy does not touch still works through it.
	liar.run(&["verify", &v2, s(&dir2)]).assert_ok();
}

#[test]
fn wss_works_with_a_trusted_certificate_only() {
	let (node, zoo) = node_with_model();
	let work = tempfile::tempdir().unwrap();
	let v1 = commit(&zoo, work.path(), "one", &[("weights.bin", "weights")]);
	let tls = TlsProxy::start(node.rpc_port);
	let url = format!("wss://localhost:{}", tls.port);
	let over_tls = Zoo::new(url.clone());
	let ca = tls.ca.display().to_string();

	let trusted = over_tls.run_with_env(&[("SSL_CERT_FILE", &ca)], &["--json", "show", &v1]);
	trusted.assert_ok();
	assert_eq!(trusted.json()["id"], v1.as_str());
	let verified = over_tls.run_with_env(&[("SSL_CERT_FILE", &ca)], &["verify", &v1, s(&work.path().join("one"))]);
	verified.assert_ok();

	// Without the CA the certificate is not trusted, and the error says what to do.
	let untrusted = over_tls.run(&["show", &v1]);
	untrusted.assert_one_line_error(&[&format!("localhost:{}", tls.port), "certificate", "SSL_CERT_FILE"]);
}

/// `zoo --timeout 2 show <cid>` against `url` must fail in one line, naming the node, within
/// a few seconds.
fn fails_in_time(url: &str, needles: &[&str]) {
	let zoo = Zoo::new(url.to_owned());
	let cid = VersionId([7; 32]).to_cid_string();
	let started = Instant::now();
	let run = zoo.run(&["--timeout", "2", "show", &cid]);
	let elapsed = started.elapsed();
	let mut all = vec![url.trim_start_matches("ws://")];
	all.extend_from_slice(needles);
	run.assert_one_line_error(&all);
	assert!(elapsed < Duration::from_secs(9), "took {elapsed:?}\n{}", run.describe());
}

#[test]
fn hanging_and_babbling_nodes_fail_within_the_timeout() {
	// Nodes that are not nodes: these need no chain.
	fails_in_time(&format!("ws://127.0.0.1:{}", proxy::silent()), &["did not answer within 2 s"]);
	fails_in_time(
		&format!("ws://127.0.0.1:{}", proxy::babbling(b"\x00\xffnot http at all\r\n\r\n", b"")),
		&["cannot reach"],
	);
	// An answer that never ends (a header line without end): bounded by the timeout.
	let endless = proxy::babbling(b"HTTP/1.1 101 Switching Protocols\r\nX-Filler: ", &[b'x'; 65536]);
	fails_in_time(&format!("ws://127.0.0.1:{endless}"), &["did not answer within 2 s"]);

	// A real node whose reads hang, or come back as garbage, or far too big.
	let (node, zoo) = node_with_model();
	let work = tempfile::tempdir().unwrap();
	let v1 = commit(&zoo, work.path(), "one", &[("weights.bin", "weights")]);
	let read_rule = |action: fn(&Value) -> Action| -> proxy::Rule {
		Arc::new(move |request: &Value| match proxy::is_view_call(request) {
			true => action(request),
			false => Action::Forward(request.to_string()),
		})
	};
	let hanging = proxy::start(node.rpc_port, read_rule(|_| Action::Hang));
	fails_in_time(&format!("ws://127.0.0.1:{hanging}"), &["did not answer within 2 s"]);
	let garbage =
		proxy::start(node.rpc_port, read_rule(|request| Action::Respond(proxy::answer(request, "\"0x2a2a2a\""))));
	let run = Zoo::new(format!("ws://127.0.0.1:{garbage}")).run(&["--timeout", "5", "show", &v1]);
	run.assert_one_line_error(&["view function"]);
	// 24 MiB of hex: over the size limit, so the read falls back to the WebSocket and the
	// command gets the node's real answer, without holding the whole thing.
	let huge = proxy::start(
		node.rpc_port,
		read_rule(|request| Action::Respond(proxy::answer(request, &format!("\"0x{}\"", "00".repeat(12 << 20))))),
	);
	let run = Zoo::new(format!("ws://127.0.0.1:{huge}")).run(&["--timeout", "20", "--json", "show", &v1]);
	run.assert_ok();
	assert_eq!(run.json()["id"], v1.as_str());
}

#[test]
fn yanked_versions_are_refused_unless_allowed() {
	let (_node, zoo) = node_with_model();
	let work = tempfile::tempdir().unwrap();
	let v1 = commit(&zoo, work.path(), "one", &[("weights.bin", "weights"), ("sub/config.json", "{}")]);
	let dir = work.path().join("one");
	let reason = "diverges after 2k steps";
	let yanked = zoo.json(&["--key", "//Alice", "yank", &v1, "--reason", reason]);
	assert_json_shape(
		"yank",
		&yanked,
		json!({"id": "<cid>", "reason": reason, "block": {"block_number": "<number>", "block_hash": "<hash>"}}),
	);
	assert_eq!(yanked["id"], v1.as_str());

	// verify: refused with the reason, exit code 1.
	let run = zoo.run(&["verify", &v1, s(&dir)]);
	assert_eq!(run.code, 1, "{}", run.describe());
	assert!(run.stderr.contains("yanked") && run.stderr.contains(reason), "{}", run.describe());
	assert!(run.stderr.contains("--allow-yanked"), "{}", run.describe());
	let run = zoo.run(&["--json", "verify", &v1, s(&dir)]);
	assert_eq!(run.code, 1, "{}", run.describe());
	let value = run.json();
	assert_json_shape(
		"verify (a yanked version, refused)",
		&value,
		json!({"id": "<cid>", "manifest_id": "<cid>", "ok": false, "yanked": reason, "report": null}),
	);
	assert_eq!(value["yanked"], reason);
	assert_eq!(value["ok"], false);
	// --allow-yanked: verified, with a warning.
	let run = zoo.run(&["verify", "--allow-yanked", &v1, s(&dir)]);
	run.assert_ok();
	assert!(run.stderr.contains("warning") && run.stderr.contains(reason), "{}", run.describe());
	assert!(run.stdout.contains(&format!("matches {v1}")), "{}", run.describe());
	let value = zoo.json(&["verify", "--allow-yanked", &v1, s(&dir)]);
	assert_eq!((value["yanked"].as_str(), value["ok"].as_bool()), (Some(reason), Some(true)));

	// checkout: nothing placed without the flag.
	let out = work.path().join("out");
	let run = zoo.run(&["checkout", &v1, s(&out)]);
	assert_eq!(run.code, 1, "{}", run.describe());
	assert!(run.stderr.contains(reason), "{}", run.describe());
	assert!(!out.exists(), "nothing placed");
	let run = zoo.run(&["--json", "checkout", &v1, s(&out)]);
	assert_eq!(run.code, 1, "{}", run.describe());
	assert_json_shape(
		"checkout (a yanked version, refused)",
		&run.json(),
		json!({"id": "<cid>", "manifest_id": "<cid>", "dir": "<path>", "yanked": reason, "files": "<number>",
			"bytes": "<number>", "transferred": "<number>", "resumed": "<number>", "from_mirrors": "<number>"}),
	);
	assert_eq!((run.json()["files"].as_u64(), run.json()["bytes"].as_u64()), (Some(0), Some(0)));
	assert!(!out.exists(), "nothing placed");
	let run = zoo.run(&["checkout", "--allow-yanked", &v1, s(&out)]);
	run.assert_ok();
	assert!(run.stderr.contains("warning") && run.stderr.contains(reason), "{}", run.describe());
	assert_eq!(fs::read(out.join("sub/config.json")).unwrap(), b"{}");
	let out2 = work.path().join("out2");
	let value = zoo.json(&["checkout", "--allow-yanked", &v1, s(&out2)]);
	assert_eq!(value["yanked"], reason);
	assert_eq!(value["manifest_id"], v1.as_str());
	// A group-writable umask (common with user private groups) does not make the directories
	// checkout creates untrustworthy to itself.
	let out3 = work.path().join("out3");
	zoo.run_with_umask("002", &["checkout", "--allow-yanked", &v1, s(&out3)]).assert_ok();
	assert_eq!(fs::read(out3.join("sub/config.json")).unwrap(), b"{}");
}
