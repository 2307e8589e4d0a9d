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
//! - `a_2_gib_pull_keeps_memory_bounded`: the whole file streams; the process stays far below
//!   its size (`make bench-storage` prints the figure).
//! - `s3_resume_is_pinned_to_the_etag`: against moto (the S3 implementation that enforces
//!   `If-Match` on GET) behind a proxy that cuts the connection and then refuses new ones: the
//!   next run resumes with only the missing bytes; an object replaced between runs is answered
//!   412, the fetch restarts from zero, and the new bytes fail the digest (nothing placed).

use serde_json::Value;
use std::{
	fs,
	io::{BufRead, BufReader, Read, Write},
	net::TcpStream,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::Duration,
};

use crate::common::{Zoo, harness::Node, pseudo_random};

const ACCESS_KEY: &str = "zooaccess";
const SECRET_KEY: &str = "zoosecret123";
const BUCKET: &str = "zoo-test";

fn s(path: &Path) -> &str {
	path.to_str().unwrap()
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
		let child = Command::new(program)
			.args(args)
			.stdout(Stdio::piped())
			.stderr(Stdio::inherit())
			.spawn()
			.unwrap_or_else(|e| panic!("cannot start {program} ({e}); run scripts/setup.sh"));
		Self::adopt(child)
	}

	/// A started fixture (stdout piped): wait for its `listening 127.0.0.1:<port>` line.
	fn adopt(mut child: Child) -> Fixture {
		let mut line = String::new();
		BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
		let port = line
			.trim()
			.strip_prefix("listening 127.0.0.1:")
			.and_then(|p| p.parse().ok())
			.unwrap_or_else(|| panic!("a fixture did not start: {line:?}"));
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
	let text = zoo.run(&["remote", "list", "--dir", s(&dir)]);
	assert_eq!(text.assert_ok().stdout, format!("store  s3://{BUCKET}/models\n"));

	// Missing credentials: one line, before anything is submitted.
	let no_files = [("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")];
	zoo.run_with_env(&no_files, &["--key", "//Alice", "commit", s(&dir), "-m", "v1", "--push", "store"])
		.assert_one_line_error(&["no S3 credentials", "AWS_ACCESS_KEY_ID", "profile"]);
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

	// Keys from a profile of the AWS shared files instead of the environment.
	let credentials = work.path().join("aws-credentials");
	fs::write(
		&credentials,
		format!("[zoo-test]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"),
	)
	.unwrap();
	let files = [("AWS_SHARED_CREDENTIALS_FILE", s(&credentials)), ("AWS_CONFIG_FILE", "/nonexistent/config")];
	let profiled = &format!("s3://{BUCKET}/profiled");
	json_with(
		&zoo,
		&files,
		&["remote", "add", "profiled", profiled, "--endpoint", &endpoint, "--profile", "zoo-test", "--dir", s(&dir)],
	);
	let pushed = json_with(&zoo, &files, &["push", "--remote", "profiled", "--dir", s(&dir)]);
	// The two identical JSON files go up once.
	assert_eq!((pushed["uploaded"].as_u64(), pushed["skipped"].as_u64()), (Some(2), Some(1)), "{pushed}");
	json_with(
		&zoo,
		&files,
		&["remote", "add", "nope", profiled, "--endpoint", &endpoint, "--profile", "nope", "--dir", s(&dir)],
	);
	zoo.run_with_env(&files, &["push", "--remote", "nope", "--dir", s(&dir)])
		.assert_one_line_error(&["AWS profile \"nope\"", "not in"]);

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
	// `zoo show` gives each file's CID.
	let shown = json_with(&zoo, &[], &["show", &v1]);
	let cids: Vec<String> = shown["manifest"]["artifacts"]
		.as_array()
		.unwrap()
		.iter()
		.map(|a| format!("ipfs://{}", a["unixfs_cid"].as_str().unwrap()))
		.collect();
	assert_eq!(cids, expected);
	let text = zoo.run(&["show", &v1]);
	assert!(text.assert_ok().stdout.contains(&format!("ipfs {}", &expected[0]["ipfs://".len()..])), "{}", text.stdout);

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

	// A node that answers another CID than the bytes have is refused, and nothing is committed.
	let liar = Command::new("node")
		.args([s(&fixtures().join("ipfs/node.mjs")), "0", s(&work.path().join("liar-blocks"))])
		.env("ZOO_FIXTURE_LIE_CID", "1")
		.stdout(Stdio::piped())
		.spawn()
		.unwrap();
	let liar = Fixture::adopt(liar);
	let lying_api = format!("ipfs+http://127.0.0.1:{}", liar.port);
	json_with(&zoo, &[], &["remote", "add", "liar", &lying_api, "--dir", s(&dir)]);
	fs::write(dir.join("small.txt"), b"hello again").unwrap();
	zoo.run(&["--key", "//Alice", "commit", s(&dir), "-m", "v2", "--push", "liar"])
		.assert_one_line_error(&["the node stored the file as", "is it using another layout"]);
	let log = json_with(&zoo, &[], &["log", model]);
	assert_eq!(log["versions"].as_array().unwrap().len(), 1, "{log}");
	// An https:// remote is a read-only mirror.
	json_with(&zoo, &[], &["remote", "add", "web", "https://mirror.invalid/zoo", "--dir", s(&dir)]);
	zoo.run(&["push", "--remote", "web", "--dir", s(&dir)]).assert_one_line_error(&["read-only"]);
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

	// 5. A server that ignores Range when asked to resume: a clean restart from zero.
	control(r#"{"cut_after": 8388608, "fail_ranged": true}"#);
	let out = work.path().join("no-range");
	zoo.run(&["checkout", &v1, s(&out)]).assert_one_line_error(&["run again to resume"]);
	control(r#"{"ignore_range": true}"#);
	let restarted = json_with(&zoo, &[], &["checkout", &v1, s(&out)]);
	assert_eq!((restarted["resumed"].as_u64(), restarted["transferred"].as_u64()), (Some(0), Some(size as u64 + 2)));
	assert!(fs::read(out.join("weights.bin")).unwrap() == weights, "content differs");
	control("{}");

	// 6. A primary URI that is gone (503s): the mirror again.
	control(r#"{"fail_all": true}"#);
	let out = work.path().join("gone");
	let mirrored = json_with(&zoo, &[], &["checkout", &v1, s(&out), "--mirror", &mirror_url]);
	assert_eq!(mirrored["from_mirrors"].as_u64(), Some(2), "{mirrored}");
}

use sha2::Digest as _;

/// What the proxy in front of a server does with the next connections.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ProxyMode {
	/// Pass everything through.
	Pass,
	/// Pass the first connection's answer up to this many bytes, then cut it and refuse every
	/// later connection (a server that went away mid-transfer).
	CutThenDown(u64),
	/// Refuse every connection.
	Down,
}

/// A TCP proxy on a free loopback port in front of `upstream`, whose behaviour the test sets.
struct Proxy {
	port: u16,
	mode: std::sync::Arc<std::sync::Mutex<ProxyMode>>,
}

impl Proxy {
	fn start(upstream: u16) -> Proxy {
		let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
		let port = listener.local_addr().unwrap().port();
		let mode = std::sync::Arc::new(std::sync::Mutex::new(ProxyMode::Pass));
		let shared = mode.clone();
		std::thread::spawn(move || {
			for client in listener.incoming() {
				let Ok(client) = client else { continue };
				let current = *shared.lock().unwrap();
				let limit = match current {
					ProxyMode::Down => continue, // dropped: closed at once
					ProxyMode::Pass => u64::MAX,
					ProxyMode::CutThenDown(limit) => {
						*shared.lock().unwrap() = ProxyMode::Down;
						limit
					}
				};
				let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else { continue };
				let (mut client_read, mut server_write) = (client.try_clone().unwrap(), server.try_clone().unwrap());
				std::thread::spawn(move || {
					let _ = std::io::copy(&mut client_read, &mut server_write);
				});
				let (mut server_read, mut client_write) = (server, client);
				std::thread::spawn(move || {
					let mut buffer = vec![0u8; 64 << 10];
					let mut sent = 0u64;
					loop {
						let n = match server_read.read(&mut buffer) {
							Ok(0) | Err(_) => break,
							Ok(n) => n,
						};
						let n = n.min((limit - sent).try_into().unwrap_or(usize::MAX));
						if n == 0 || client_write.write_all(&buffer[..n]).is_err() {
							break;
						}
						sent += n as u64;
					}
					let _ = client_write.shutdown(std::net::Shutdown::Both);
				});
			}
		});
		Proxy { port, mode }
	}

	fn set(&self, mode: ProxyMode) {
		*self.mode.lock().unwrap() = mode;
	}
}

/// moto, the second S3 implementation (unlike s3s-fs it enforces `If-Match` on GET), from the
/// venv `scripts/setup.sh` makes.
fn moto_python() -> PathBuf {
	let tools = std::env::var_os("ZOO_TOOLS")
		.map(PathBuf::from)
		.unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache/zoo/tools"));
	let python = tools.join("moto/bin/python");
	assert!(python.exists(), "{} is missing: run scripts/setup.sh", python.display());
	python
}

/// Run a boto3 snippet against moto at `port` (`s3` is the client).
fn boto3(python: &Path, port: u16, code: &str) {
	let script = format!(
		"import boto3\ns3 = boto3.client('s3', endpoint_url='http://127.0.0.1:{port}', region_name='us-east-1', aws_access_key_id='{ACCESS_KEY}', aws_secret_access_key='{SECRET_KEY}')\n{code}\n"
	);
	let out = Command::new(python).arg("-c").arg(script).output().unwrap();
	assert!(out.status.success(), "boto3: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn s3_resume_is_pinned_to_the_etag() {
	let python = moto_python();
	let moto_port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
	let moto = Command::new(python.with_file_name("moto_server"))
		.args(["-H", "127.0.0.1", "-p", &moto_port.to_string()])
		.stdout(Stdio::null())
		.stderr(Stdio::null())
		.spawn()
		.unwrap();
	let moto = Fixture { child: moto, port: moto_port };
	let started = std::time::Instant::now();
	while TcpStream::connect(("127.0.0.1", moto.port)).is_err() {
		assert!(started.elapsed() < Duration::from_secs(30), "moto did not start");
		std::thread::sleep(Duration::from_millis(50));
	}
	boto3(&python, moto.port, &format!("s3.create_bucket(Bucket='{BUCKET}')"));
	let proxy = Proxy::start(moto.port);
	let endpoint = format!("http://127.0.0.1:{}", proxy.port);
	let env = s3_env(&endpoint);
	let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();

	let node = Node::start(&["--dev", "--instant-seal"]);
	let zoo = Zoo::new(node.ws_url());
	let work = tempfile::Builder::new().prefix("zoo-storage-moto-").tempdir().unwrap();
	let model = "acme/moto";
	json_with(&zoo, &env, &["model", "create", model]);
	let dir = work.path().join("ws");
	fs::create_dir_all(&dir).unwrap();
	let size = 40usize << 20;
	let weights = pseudo_random(size, 21);
	fs::write(dir.join("weights.bin"), &weights).unwrap();
	json_with(&zoo, &env, &["init", model, s(&dir)]);
	json_with(&zoo, &env, &["remote", "add", "moto", &format!("s3://{BUCKET}/m"), "--dir", s(&dir)]);
	let v1 = json_with(&zoo, &env, &["commit", s(&dir), "-m", "v1", "--push", "moto"]);
	let v1 = v1["id"].as_str().unwrap().to_owned();
	let key = uris(&json_with(&zoo, &env, &["show", &v1]))[0].trim_start_matches(&format!("s3://{BUCKET}/")).to_owned();

	// 1. The server goes away after ~17 MiB: the run gives up and keeps its partial download;
	// back again, the next run asks for the rest only (If-Match: the same ETag).
	proxy.set(ProxyMode::CutThenDown(17 << 20));
	let out = work.path().join("out");
	zoo.run_with_env(&env, &["checkout", &v1, s(&out)]).assert_one_line_error(&["run again to resume"]);
	proxy.set(ProxyMode::Pass);
	let resumed = json_with(&zoo, &env, &["checkout", &v1, s(&out)]);
	let already = resumed["resumed"].as_u64().unwrap();
	assert!(already >= 16 << 20, "{resumed}");
	assert_eq!(resumed["transferred"].as_u64(), Some(size as u64 - already), "{resumed}");
	assert!(fs::read(out.join("weights.bin")).unwrap() == weights, "content differs");

	// 2. A partial download whose bytes were changed after the checkpoint (as one planted in
	// the target would be: the sidecar's hasher state is the true prefix's): the prefix is
	// hashed again from disk, disagrees, and the fetch starts over, so no foreign byte is placed
	// (audit A3-08).
	proxy.set(ProxyMode::CutThenDown(17 << 20));
	let planted = work.path().join("planted");
	zoo.run_with_env(&env, &["checkout", &v1, s(&planted)]).assert_one_line_error(&["run again to resume"]);
	let partial_dir = planted.join(".zoo/partial");
	let partial = fs::read_dir(&partial_dir)
		.unwrap()
		.map(|entry| entry.unwrap().path())
		.find(|path| path.extension().is_none())
		.expect("a partial download");
	let mut bytes = fs::read(&partial).unwrap();
	assert!(bytes.len() >= 16 << 20, "a checkpointed prefix");
	bytes[..1 << 20].fill(0x41);
	fs::write(&partial, &bytes).unwrap();
	proxy.set(ProxyMode::Pass);
	let mut logged = env.clone();
	logged.push(("RUST_LOG", "info"));
	let run = zoo.run_with_env(&logged, &["--json", "checkout", &v1, s(&planted)]);
	let report = run.assert_ok().json();
	assert_eq!(report["resumed"], 0, "{}", run.describe());
	assert_eq!(report["transferred"].as_u64(), Some(size as u64), "{}", run.describe());
	assert!(fs::read(planted.join("weights.bin")).unwrap() == weights, "a foreign prefix was placed");

	// 3. Interrupted again, then the object is replaced by other bytes of the same size: moto
	// answers the pinned request 412, the fetch restarts, and the new bytes fail the digest.
	proxy.set(ProxyMode::CutThenDown(17 << 20));
	let out = work.path().join("replaced");
	zoo.run_with_env(&env, &["checkout", &v1, s(&out)]).assert_one_line_error(&["run again to resume"]);
	let other = work.path().join("other.bin");
	fs::write(&other, pseudo_random(size, 22)).unwrap();
	boto3(&python, moto.port, &format!("s3.upload_file('{}', '{BUCKET}', '{key}')", s(&other)));
	proxy.set(ProxyMode::Pass);
	let run = zoo.run_with_env(&logged, &["checkout", &v1, s(&out)]);
	assert_eq!(run.code, 2, "{}", run.describe());
	assert!(run.stderr.contains("restarting from zero"), "a restart, not a splice: {}", run.describe());
	assert!(
		run.stderr.contains("not the manifest's") && run.stderr.contains("nothing was placed"),
		"{}",
		run.describe()
	);
	assert!(!out.join("weights.bin").exists());
}

/// Peak resident memory (VmHWM, KiB) of a `zoo` run, sampled until it exits.
fn run_measuring_memory(zoo: &Zoo, env: &[(&str, &str)], args: &[&str]) -> (Duration, u64) {
	let started = std::time::Instant::now();
	let mut child = Command::new(env!("CARGO_BIN_EXE_zoo"))
		.args(args)
		.env("ZOO_HOME", zoo.home.path())
		.env("ZOO_URL", &zoo.url)
		.envs(env.iter().copied())
		.stdout(Stdio::null())
		.stderr(Stdio::inherit())
		.spawn()
		.unwrap();
	let status_file = format!("/proc/{}/status", child.id());
	let mut peak_kib = 0;
	loop {
		if let Ok(status) = fs::read_to_string(&status_file)
			&& let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
		{
			peak_kib = line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).unwrap_or(peak_kib);
		}
		if let Some(status) = child.try_wait().unwrap() {
			assert!(status.success(), "zoo {args:?} failed");
			return (started.elapsed(), peak_kib);
		}
		std::thread::sleep(Duration::from_millis(20));
	}
}

fn timed(mut f: impl FnMut()) -> Duration {
	let started = std::time::Instant::now();
	f();
	started.elapsed()
}

/// Write `mib` MiB of varied content quickly: one pseudo-random MiB, stamped with its index.
fn write_big(path: &Path, mib: u64) {
	let block = pseudo_random(1 << 20, 99);
	let mut out = std::io::BufWriter::new(fs::File::create(path).unwrap());
	for index in 0..mib {
		out.write_all(&index.to_le_bytes()).unwrap();
		out.write_all(&block[8..]).unwrap();
	}
	out.flush().unwrap();
}

#[test]
fn a_2_gib_pull_keeps_memory_bounded() {
	let node = Node::start(&["--dev", "--instant-seal"]);
	let zoo = Zoo::new(node.ws_url());
	let work = tempfile::Builder::new().prefix("zoo-storage-2gib-").tempdir().unwrap();
	let served = work.path().join("served");
	fs::create_dir_all(&served).unwrap();
	write_big(&served.join("big.bin"), 2048);
	let server = Fixture::start("python3", &[s(&fixtures().join("http_server.py")), s(&served)]);
	json_with(&zoo, &[], &["model", "create", "acme/big"]);
	let prefix = format!("http://127.0.0.1:{}/", server.port);
	let v1 =
		json_with(&zoo, &[], &["commit", s(&served), "--model", "acme/big", "-m", "2 GiB", "--uri-prefix", &prefix]);
	let out = work.path().join("out");
	let (_, peak_kib) = run_measuring_memory(&zoo, &[], &["checkout", v1["id"].as_str().unwrap(), s(&out)]);
	assert_eq!(fs::metadata(out.join("big.bin")).unwrap().len(), 2 << 30);
	// Streaming keeps a few MiB per transfer in flight; buffering the file would need 2 GiB.
	assert!(peak_kib < 128 * 1024, "zoo used {peak_kib} KiB pulling 2 GiB");
	println!("peak RSS pulling 2 GiB: {:.1} MiB", peak_kib as f64 / 1024.0);
}

/// `make bench-storage`: push and pull of a 1 GiB file against the S3 server and the HTTP
/// server, against `cp` of the same file (the physical limit here); hashing with and without the
/// UnixFS CID against `openssl dgst -sha256`; peak memory pulling 2 GiB; all in one run.
#[test]
#[ignore = "a benchmark: run with `make bench-storage`"]
fn storage_throughput() {
	let node = Node::start(&["--dev", "--instant-seal"]);
	let zoo = Zoo::new(node.ws_url());
	let work = tempfile::Builder::new().prefix("zoo-bench-storage-").tempdir().unwrap();
	let s3_port = start_s3(&work.path().join("s3"));
	let endpoint = format!("http://127.0.0.1:{s3_port}");
	let env = s3_env(&endpoint);
	let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
	json_with(&zoo, &env, &["model", "create", "acme/bench"]);
	let dir = work.path().join("ws");
	fs::create_dir_all(&dir).unwrap();
	let gib = 1usize << 30;
	let file = dir.join("weights.bin");
	{
		let mut out = std::io::BufWriter::new(fs::File::create(&file).unwrap());
		for chunk in 0..1024u64 {
			out.write_all(&pseudo_random(1 << 20, chunk + 1)).unwrap();
		}
	}
	let mb = |d: Duration, bytes: usize| bytes as f64 / 1e6 / d.as_secs_f64();
	let cp =
		timed(|| assert!(Command::new("cp").arg(&file).arg(work.path().join("copy.bin")).status().unwrap().success()));
	fs::remove_file(work.path().join("copy.bin")).unwrap();
	// Writing 1 GiB and syncing it: what every pull and seal ends with.
	let content = fs::read(&file).unwrap();
	let write_sync = timed(|| {
		let mut out = fs::File::create(work.path().join("written.bin")).unwrap();
		out.write_all(&content).unwrap();
		out.sync_all().unwrap();
	});
	drop(content);
	fs::remove_file(work.path().join("written.bin")).unwrap();

	// Hashing, in this process, on the page-cached file.
	let sha =
		zoo_primitives::HashingSettings { algorithm: zoo_primitives::DigestAlgorithm::Sha2_256, shard_size: None };
	let hidden = zoo_client::progress::Silent;
	let openssl = timed(|| {
		assert!(
			Command::new("openssl")
				.args(["dgst", "-sha256"])
				.arg(&file)
				.stdout(Stdio::null())
				.status()
				.unwrap()
				.success()
		)
	});
	let plain = timed(|| drop(zoo_client::hashing::hash_file(&file, &sha, &hidden).unwrap()));
	let with_cid =
		timed(|| assert!(zoo_client::hashing::hash_file_with_cid(&file, &sha, &hidden).unwrap().unixfs.is_some()));

	// Sealing (`commit --encrypt`): age encryption plus the payload's digest, then decryption
	// plus the plaintext's digest (checkout), against the reference `age` encrypting alone.
	let owner = zoo_client::seal::SealIdentity::from_account_secret("//Alice");
	let recipient = owner.recipient().to_string();
	let by_age = work.path().join("by-age.age");
	let age_reference = timed(|| {
		let status = Command::new("age").args(["-r", &recipient, "-o", s(&by_age)]).arg(&file).status().unwrap();
		assert!(status.success());
	});
	fs::remove_file(&by_age).unwrap();
	let mut sealed = None;
	let seal = timed(|| {
		sealed = Some(zoo_client::seal::seal_file(&file, &work.path().join("sealed"), &owner, &sha, false).unwrap())
	});
	let sealed = sealed.unwrap();
	let plain_digest = zoo_client::hashing::hash_file(&file, &sha, &hidden).unwrap().digest;
	let opened = work.path().join("opened.bin");
	let unseal = timed(|| {
		let payload = std::io::BufReader::with_capacity(1 << 20, fs::File::open(&sealed.payload_path).unwrap());
		let out = std::io::BufWriter::with_capacity(1 << 20, fs::File::create(&opened).unwrap());
		zoo_client::seal::unseal_into(&sealed.header, payload, &owner, &sha, gib as u64, &plain_digest, out).unwrap();
	});
	fs::remove_file(&opened).unwrap();
	fs::remove_file(&sealed.payload_path).unwrap();

	// Push to S3, then pull back from S3 and from HTTP.
	json_with(&zoo, &env, &["init", "acme/bench", s(&dir)]);
	json_with(&zoo, &env, &["remote", "add", "s3", &format!("s3://{BUCKET}/b"), "--dir", s(&dir)]);
	let served = work.path().join("served");
	fs::create_dir_all(&served).unwrap();
	fs::hard_link(&file, served.join("weights.bin")).unwrap();
	let http_server = Fixture::start("python3", &[s(&fixtures().join("http_server.py")), s(&served)]);
	let prefix = format!("http://127.0.0.1:{}/", http_server.port);
	let v1 = json_with(&zoo, &env, &["commit", s(&dir), "-m", "bench", "--uri-prefix", &prefix]);
	let v1 = v1["id"].as_str().unwrap().to_owned();
	let push = timed(|| drop(json_with(&zoo, &env, &["push", &v1, "--remote", "s3", "--dir", s(&dir)])));
	let from_http = timed(|| drop(json_with(&zoo, &env, &["checkout", &v1, s(&work.path().join("from-http"))])));
	fs::remove_dir_all(work.path().join("from-http")).unwrap();
	fs::remove_file(served.join("weights.bin")).unwrap();
	// The HTTP URI is gone now: the S3 remote serves it as a mirror by digest.
	let s3_mirror = format!("s3://{BUCKET}/b");
	let from_s3 = timed(|| {
		drop(json_with(&zoo, &env, &["checkout", &v1, s(&work.path().join("from-s3")), "--mirror", &s3_mirror]))
	});
	fs::remove_dir_all(work.path().join("from-s3")).unwrap();

	// 2 GiB from HTTP, peak memory of the zoo process.
	let big = served.join("big.bin");
	{
		let mut out = std::io::BufWriter::new(fs::File::create(&big).unwrap());
		for chunk in 0..2048u64 {
			out.write_all(&pseudo_random(1 << 20, chunk + 7)).unwrap();
		}
	}
	let big_dir = work.path().join("big");
	fs::create_dir_all(&big_dir).unwrap();
	fs::rename(&big, big_dir.join("big.bin")).unwrap();
	let v2 = json_with(
		&zoo,
		&env,
		&["commit", s(&big_dir), "--model", "acme/bench", "-m", "2 GiB", "--uri-prefix", &prefix],
	);
	fs::rename(big_dir.join("big.bin"), served.join("big.bin")).unwrap();
	let big_out = work.path().join("big-out");
	let args = ["checkout", v2["id"].as_str().unwrap(), s(&big_out)];
	let (pull_2g, peak_kib) = run_measuring_memory(&zoo, &env, &args);

	let line = |what: &str, d: Duration, bytes: usize, baseline: Duration| {
		println!(
			"{what:<44} {:>7.2} s {:>7.0} MB/s  {:.2}x baseline",
			d.as_secs_f64(),
			mb(d, bytes),
			baseline.as_secs_f64() / d.as_secs_f64()
		);
	};
	println!("\n-- storage figures (1 GiB unless said; one run, this machine) --");
	line("cp (baseline for transfers)", cp, gib, cp);
	line("write + fsync a new file (baseline for writes)", write_sync, gib, cp);
	line("zoo push to S3 (s3s-fs in the test process)", push, gib, cp);
	line("zoo checkout from S3", from_s3, gib, cp);
	line("zoo checkout from HTTP (python server)", from_http, gib, cp);
	line("openssl dgst -sha256 (baseline for hashing)", openssl, gib, openssl);
	line("hash sha2-256", plain, gib, openssl);
	line("hash sha2-256 + UnixFS CID, same read", with_cid, gib, openssl);
	line("age -r, reference (baseline for sealing)", age_reference, gib, age_reference);
	line("seal: age encrypt, then sha2-256 of payload", seal, gib, age_reference);
	line("unseal: age decrypt + sha2-256, to a file", unseal, gib, age_reference);
	line("zoo checkout 2 GiB from HTTP", pull_2g, 2 * gib, cp);
	println!("peak RSS of zoo pulling 2 GiB: {:.1} MiB", peak_kib as f64 / 1024.0);
}
