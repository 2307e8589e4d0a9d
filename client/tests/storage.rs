//! Artifact storage end to end: the real `zoo-node`, the real `zoo`, and real servers started
//! here: an S3 server (s3s-fs, in this process, with signature checks), an HTTP file server
//! with Range, ETag and fault injection (`tests/fixtures/http_server.py`), and an offline IPFS
//! node with a kubo-style RPC and a gateway (`tests/fixtures/ipfs/node.mjs`).
//!
//! - `s3_push_skip_and_pull`: remotes, `commit --push` to S3 (URIs content-addressed), a second
//!   push skipping everything, checkout from S3, `pull` of a newer version into a workspace,
//!   a wrong secret and missing credentials refused with one line each.
//! - `ipfs_push_and_checkout`: `commit --push` to IPFS records `ipfs://` CIDs that the
//!   independent JavaScript importer computes too, and checkout reads them through the gateway.
//! - `http_interruptions_tampering_and_mirrors`: a transfer cut midway resumes in the same run;
//!   cut every time it fails, keeps its partial download, and the next run fetches only the rest
//!   (bytes re-fetched: 0); an object changed between the runs restarts cleanly; a server that
//!   serves tampered bytes is refused with nothing placed, and a mirror by digest then serves it.

use serde_json::Value;
use std::{
	fs,
	io::{BufRead, BufReader, Read, Write},
	net::TcpStream,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::Duration,
};

mod common;

use common::{Zoo, harness::Node};

const ACCESS_KEY: &str = "zooaccess";
const SECRET_KEY: &str = "zoosecret123";
const BUCKET: &str = "zoo-test";

fn s(path: &Path) -> &str {
	path.to_str().unwrap()
}

/// `n` deterministic pseudo-random bytes.
fn pseudo_random(n: usize, mut seed: u64) -> Vec<u8> {
	(0..n)
		.map(|_| {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			seed as u8
		})
		.collect()
}

fn fixtures() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A child process that is killed when dropped.
struct Fixture {
	child: Child,
	port: u16,
}

impl Fixture {
	/// Start `program args` and wait for its `listening 127.0.0.1:<port>` line.
	fn start(program: &str, args: &[&str]) -> Fixture {
		let mut child = Command::new(program)
			.args(args)
			.stdout(Stdio::piped())
			.stderr(Stdio::inherit())
			.spawn()
			.unwrap_or_else(|e| panic!("cannot start {program} ({e}); run scripts/setup.sh"));
		let mut line = String::new();
		BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
		let port = line
			.trim()
			.strip_prefix("listening 127.0.0.1:")
			.and_then(|p| p.parse().ok())
			.unwrap_or_else(|| panic!("{program} {args:?} did not start: {line:?}"));
		Fixture { child, port }
	}
}

impl Drop for Fixture {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// One HTTP/1.1 request to 127.0.0.1:`port`; the body of the answer.
fn http(port: u16, method: &str, path: &str, body: &str) -> String {
	let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
	write!(
		stream,
		"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
		body.len()
	)
	.unwrap();
	let mut answer = String::new();
	stream.read_to_string(&mut answer).unwrap();
	let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
	assert!(head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200"), "{method} {path}: {head}");
	body.to_owned()
}

/// An S3 server (s3s-fs) on a free port, serving `root` (a bucket is a directory), checking
/// signatures against [`ACCESS_KEY`]/[`SECRET_KEY`]. It lives as long as the test process.
fn start_s3(root: &Path) -> u16 {
	fs::create_dir_all(root.join(BUCKET)).unwrap();
	let root = root.to_owned();
	let (sender, receiver) = std::sync::mpsc::channel();
	std::thread::spawn(move || {
		let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
		runtime.block_on(async move {
			use hyper_util::{
				rt::{TokioExecutor, TokioIo},
				server::conn::auto::Builder,
			};
			let mut builder = s3s::service::S3ServiceBuilder::new(s3s_fs::FileSystem::new(&root).unwrap());
			builder.set_auth(s3s::auth::SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
			let service = builder.build();
			let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
			sender.send(listener.local_addr().unwrap().port()).unwrap();
			loop {
				let (socket, _) = listener.accept().await.unwrap();
				let service = service.clone();
				tokio::spawn(async move {
					let _ = Builder::new(TokioExecutor::new()).serve_connection(TokioIo::new(socket), service).await;
				});
			}
		});
	});
	receiver.recv_timeout(Duration::from_secs(10)).expect("the S3 server started")
}

/// Credentials, and the endpoint for `s3://` URIs outside any workspace (never AWS itself).
fn s3_env(endpoint: &str) -> Vec<(&'static str, String)> {
	vec![
		("AWS_ACCESS_KEY_ID", ACCESS_KEY.into()),
		("AWS_SECRET_ACCESS_KEY", SECRET_KEY.into()),
		("AWS_ENDPOINT_URL", endpoint.into()),
	]
}

/// Run `zoo` with `env`, as Alice, expecting success; its JSON answer.
fn json_with(zoo: &Zoo, env: &[(&str, &str)], args: &[&str]) -> Value {
	let args = [&["--json", "--key", "//Alice"][..], args].concat();
	let run = zoo.run_with_env(env, &args);
	run.assert_ok();
	run.json()
}

fn uris(manifest_show: &Value) -> Vec<String> {
	manifest_show["manifest"]["artifacts"]
		.as_array()
		.unwrap()
		.iter()
		.map(|a| a["uri"].as_str().unwrap().to_owned())
		.collect()
}

#[test]
fn s3_push_skip_and_pull() {
	let node = Node::start(&["--dev", "--instant-seal"]);
	let zoo = Zoo::new(node.ws_url());
	let work = tempfile::Builder::new().prefix("zoo-storage-s3-").tempdir().unwrap();
	let port = start_s3(&work.path().join("s3"));
	let endpoint = format!("http://127.0.0.1:{port}");
	let env = s3_env(&endpoint);
	let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
	let model = "acme/s3";
	json_with(&zoo, &env, &["model", "create", model]);
	let dir = work.path().join("ws");
	fs::create_dir_all(dir.join("sub")).unwrap();
	let weights = pseudo_random(12 << 20, 7); // multipart: above the single-put limit
	fs::write(dir.join("weights.bin"), &weights).unwrap();
	fs::write(dir.join("sub/config.json"), b"{\"layers\": 2}").unwrap();
	fs::write(dir.join("copy.json"), b"{\"layers\": 2}").unwrap(); // same content, stored once
	json_with(&zoo, &env, &["init", model, s(&dir)]);
	let added = json_with(
		&zoo,
		&env,
		&["remote", "add", "store", &format!("s3://{BUCKET}/models"), "--endpoint", &endpoint, "--dir", s(&dir)],
	);
	assert_eq!(added["added"]["name"], "store");
	let listed = json_with(&zoo, &env, &["remote", "list", "--dir", s(&dir)]);
	assert_eq!(listed["remotes"].as_array().unwrap().len(), 1);

	// Missing credentials: one line, before anything is submitted.
	zoo.run(&["--key", "//Alice", "commit", s(&dir), "-m", "v1", "--push", "store"])
		.assert_one_line_error(&["no S3 credentials", "AWS_ACCESS_KEY_ID"]);
	// A wrong secret: the server's refusal, one line.
	let wrong =
		[("AWS_ACCESS_KEY_ID", ACCESS_KEY), ("AWS_SECRET_ACCESS_KEY", "wrong"), ("AWS_ENDPOINT_URL", &endpoint)];
	zoo.run_with_env(&wrong, &["--key", "//Alice", "commit", s(&dir), "-m", "v1", "--push", "store"])
		.assert_one_line_error(&["could not push", "weights.bin"]);

	let v1 = json_with(&zoo, &env, &["commit", s(&dir), "-m", "v1", "--push", "store"]);
	let v1 = v1["id"].as_str().unwrap().to_owned();
	let shown = json_with(&zoo, &env, &["show", &v1]);
	let v1_uris = uris(&shown);
	let digest = hex::encode(sha2::Sha256::digest(&weights));
	assert!(
		v1_uris.contains(&format!("s3://{BUCKET}/models/sha2-256/{}/{}", &digest[..2], &digest[2..])),
		"{v1_uris:?}"
	);
	// Content-addressed: the two identical JSON files share one object.
	let objects: Vec<_> = walkdir::WalkDir::new(work.path().join("s3").join(BUCKET))
		.into_iter()
		.filter_map(Result::ok)
		.filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
		.collect();
	assert_eq!(objects.len(), 2, "{objects:?}");

	// Pushing again uploads nothing.
	let again = json_with(&zoo, &env, &["push", "--remote", "store", "--dir", s(&dir)]);
	assert_eq!((again["uploaded"].as_u64(), again["skipped"].as_u64()), (Some(0), Some(3)), "{again}");

	// Checkout from S3 into a new directory, verified.
	let out = work.path().join("out");
	let checked = json_with(&zoo, &env, &["checkout", &v1, s(&out)]);
	assert_eq!(checked["files"], 3);
	assert!(fs::read(out.join("weights.bin")).unwrap() == weights, "content differs");
	json_with(&zoo, &env, &["verify", &v1, s(&out)]);

	// A second version; a clone at v1 pulls it (a file the new version dropped is removed).
	fs::write(dir.join("weights.bin"), pseudo_random(3 << 20, 8)).unwrap();
	fs::remove_file(dir.join("copy.json")).unwrap();
	let v2 = json_with(&zoo, &env, &["commit", s(&dir), "-m", "v2", "--push", "store", "--branch", "main"]);
	let v2 = v2["id"].as_str().unwrap().to_owned();
	// The clone's .zoo/ came from the checkout: give it the remote too.
	json_with(
		&zoo,
		&env,
		&["remote", "add", "store", &format!("s3://{BUCKET}/models"), "--endpoint", &endpoint, "--dir", s(&out)],
	);
	fs::write(out.join("sub/config.json"), b"local edit").unwrap();
	zoo.run_with_env(&env, &["pull", "--branch", "main", "--dir", s(&out)])
		.assert_one_line_error(&["uncommitted changes", "sub/config.json"]);
	fs::write(out.join("sub/config.json"), b"{\"layers\": 2}").unwrap();
	let pulled = json_with(&zoo, &env, &["pull", "--branch", "main", "--dir", s(&out)]);
	assert_eq!(pulled["id"], v2.as_str());
	assert_eq!(pulled["removed"], serde_json::json!(["copy.json"]));
	json_with(&zoo, &env, &["verify", &v2, s(&out)]);
	let status = json_with(&zoo, &env, &["status", s(&out)]);
	assert_eq!(status["clean"], true, "{status}");
}

#[test]
fn ipfs_push_and_checkout() {
	let node = Node::start(&["--dev", "--instant-seal"]);
	let zoo = Zoo::new(node.ws_url());
	let work = tempfile::Builder::new().prefix("zoo-storage-ipfs-").tempdir().unwrap();
	let blocks = work.path().join("blocks");
	let ipfs = Fixture::start("node", &[s(&fixtures().join("ipfs/node.mjs")), "0", s(&blocks)]);
	let model = "acme/ipfs";
	json_with(&zoo, &[], &["model", "create", model]);
	let dir = work.path().join("ws");
	fs::create_dir_all(&dir).unwrap();
	// One small file (a single raw block) and one of three leaves (a dag-pb root).
	fs::write(dir.join("small.txt"), b"hello world").unwrap();
	fs::write(dir.join("big.bin"), pseudo_random((2 << 20) + 17, 9)).unwrap();
	json_with(&zoo, &[], &["init", model, s(&dir)]);
	let api = format!("ipfs+http://127.0.0.1:{}", ipfs.port);
	json_with(&zoo, &[], &["remote", "add", "ipfs", &api, "--dir", s(&dir)]);
	let v1 = json_with(&zoo, &[], &["commit", s(&dir), "-m", "v1", "--push", "ipfs"]);
	let v1 = v1["id"].as_str().unwrap().to_owned();
	let recorded = uris(&json_with(&zoo, &[], &["show", &v1]));

	// The independent importer (JavaScript, unixfs-v1-2025) gives the same CIDs.
	let golden = Command::new("node")
		.arg(fixtures().join("ipfs/golden.mjs"))
		.args([dir.join("big.bin"), dir.join("small.txt")])
		.output()
		.unwrap();
	assert!(golden.status.success(), "{}", String::from_utf8_lossy(&golden.stderr));
	let expected: Vec<String> = String::from_utf8(golden.stdout)
		.unwrap()
		.lines()
		.map(|line| format!("ipfs://{}", serde_json::from_str::<Value>(line).unwrap()["cid"].as_str().unwrap()))
		.collect();
	assert_eq!(recorded, expected, "artifacts are sorted by path: big.bin, small.txt");
	assert_eq!(expected[1], "ipfs://bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e");

	// Read back through the gateway: with the workspace's remote, and from anywhere with
	// ZOO_IPFS_GATEWAY; without a gateway, one line saying how to get one.
	let out = work.path().join("out");
	let gateway = format!("http://127.0.0.1:{}", ipfs.port);
	zoo.run(&["checkout", &v1, s(&out)]).assert_one_line_error(&["no IPFS gateway", "ZOO_IPFS_GATEWAY"]);
	assert!(!out.exists(), "nothing placed");
	json_with(&zoo, &[("ZOO_IPFS_GATEWAY", &gateway)], &["checkout", &v1, s(&out)]);
	assert!(fs::read(out.join("big.bin")).unwrap() == fs::read(dir.join("big.bin")).unwrap(), "content differs");
	// A second push finds everything there.
	let again = json_with(&zoo, &[], &["push", "--remote", "ipfs", "--dir", s(&dir)]);
	assert_eq!(again["files"].as_array().unwrap().len(), 2);
}

#[test]
fn http_interruptions_tampering_and_mirrors() {
	let node = Node::start(&["--dev", "--instant-seal"]);
	let zoo = Zoo::new(node.ws_url());
	let work = tempfile::Builder::new().prefix("zoo-storage-http-").tempdir().unwrap();
	let served = work.path().join("served");
	fs::create_dir_all(&served).unwrap();
	let server = Fixture::start("python3", &[s(&fixtures().join("http_server.py")), s(&served)]);
	let control = |body: &str| http(server.port, "POST", "/_control", body);
	let stats = || -> Value { serde_json::from_str(&http(server.port, "GET", "/_stats", "")).unwrap() };
	let model = "acme/http";
	json_with(&zoo, &[], &["model", "create", model]);
	let size = 48usize << 20;
	let weights = pseudo_random(size, 11);
	fs::write(served.join("weights.bin"), &weights).unwrap();
	fs::write(served.join("config.json"), b"{}").unwrap();
	let prefix = format!("http://127.0.0.1:{}/", server.port);
	let v1 = json_with(&zoo, &[], &["commit", s(&served), "--model", model, "-m", "v1", "--uri-prefix", &prefix]);
	let v1 = v1["id"].as_str().unwrap().to_owned();

	// 1. Cut once at 20 MiB: resumed within the run, nothing fetched twice.
	control(r#"{"cut_after": 20971520, "cut_once": true}"#);
	http(server.port, "POST", "/_stats/reset", "");
	let out = work.path().join("once");
	let checked = json_with(&zoo, &[], &["checkout", &v1, s(&out)]);
	assert_eq!(checked["transferred"].as_u64(), Some(size as u64 + 2), "{checked}");
	assert_eq!(stats()["body_bytes_sent"].as_u64(), Some(size as u64 + 2));
	assert!(fs::read(out.join("weights.bin")).unwrap() == weights, "content differs");

	// 2. Cut at 8 MiB, and every request to resume fails: the run gives up, keeps the partial
	// download, places nothing; the next run fetches only what is missing.
	control(r#"{"cut_after": 8388608, "fail_ranged": true}"#);
	let out = work.path().join("resumed");
	let failed = zoo.run(&["checkout", &v1, s(&out)]);
	failed.assert_one_line_error(&["weights.bin", "run again to resume", "nothing was placed"]);
	assert!(!out.join("weights.bin").exists());
	control("{}");
	http(server.port, "POST", "/_stats/reset", "");
	let resumed = json_with(&zoo, &[], &["checkout", &v1, s(&out)]);
	let already = resumed["resumed"].as_u64().unwrap();
	assert_eq!(already, 8 << 20, "{resumed}");
	assert_eq!(resumed["transferred"].as_u64(), Some(size as u64 - already + 2), "{resumed}");
	assert_eq!(stats()["body_bytes_sent"].as_u64(), Some(size as u64 - already + 2), "bytes re-fetched: none");
	assert!(fs::read(out.join("weights.bin")).unwrap() == weights, "content differs");
	assert!(!out.join(".zoo/partial").exists(), "no partial file is left");

	// 3. The object changes between the runs (same bytes, new ETag): a clean restart.
	control(r#"{"cut_after": 8388608, "fail_ranged": true}"#);
	let out = work.path().join("changed");
	zoo.run(&["checkout", &v1, s(&out)]).assert_one_line_error(&["run again to resume"]);
	control("{}");
	let touched = fs::File::options().write(true).open(served.join("weights.bin")).unwrap();
	touched.set_modified(std::time::SystemTime::now() + Duration::from_secs(5)).unwrap();
	let restarted = json_with(&zoo, &[], &["checkout", &v1, s(&out)]);
	assert_eq!(restarted["resumed"].as_u64(), Some(0), "{restarted}");
	assert_eq!(restarted["transferred"].as_u64(), Some(size as u64 + 2), "restarted from zero: {restarted}");
	assert!(fs::read(out.join("weights.bin")).unwrap() == weights, "content differs");

	// 4. Tampered bytes are refused and nothing is placed; a mirror by digest then serves them.
	control(r#"{"tamper": true}"#);
	let out = work.path().join("tampered");
	let refused = zoo.run(&["checkout", &v1, s(&out)]);
	refused.assert_one_line_error(&["not the manifest's", "discarded", "nothing was placed"]);
	assert!(!out.exists(), "nothing is left of a checkout into a new directory");
	let mirror = work.path().join("mirror");
	let mirror_ws = work.path().join("mirror-ws");
	fs::create_dir_all(&mirror_ws).unwrap();
	fs::write(mirror_ws.join("weights.bin"), &weights).unwrap();
	fs::write(mirror_ws.join("config.json"), b"{}").unwrap();
	json_with(&zoo, &[], &["init", model, s(&mirror_ws)]);
	let mirror_url = format!("file://{}", mirror.display());
	json_with(&zoo, &[], &["remote", "add", "mirror", &mirror_url, "--dir", s(&mirror_ws)]);
	json_with(&zoo, &[], &["push", &v1, "--remote", "mirror", "--dir", s(&mirror_ws)]);
	let mirrored = json_with(&zoo, &[], &["checkout", &v1, s(&out), "--mirror", &mirror_url]);
	assert_eq!(mirrored["from_mirrors"].as_u64(), Some(2), "{mirrored}");
	assert!(fs::read(out.join("weights.bin")).unwrap() == weights, "content differs");

	// 5. A primary URI that is gone (503s): the mirror again.
	control(r#"{"fail_all": true}"#);
	let out = work.path().join("gone");
	let mirrored = json_with(&zoo, &[], &["checkout", &v1, s(&out), "--mirror", &mirror_url]);
	assert_eq!(mirrored["from_mirrors"].as_u64(), Some(2), "{mirrored}");
}

use sha2::Digest as _;
