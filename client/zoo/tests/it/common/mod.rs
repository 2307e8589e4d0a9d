//! What the end-to-end tests share: a running `zoo-node` ([`harness::Node`]) and the `zoo`
//! binary run against it ([`Zoo`]).
#![allow(dead_code)] // Some helpers serve only the long benchmarks (ignored tests).

use serde_json::Value;
use std::{
	process::{Command, Stdio},
	time::{Duration, Instant},
};
use tempfile::TempDir;

/// The shape of a transaction's `block` in `--json` answers, for `Zoo::assert_json_shape`-style
/// comparisons.
pub(crate) fn block_shape() -> Value {
	serde_json::json!({"block_number": "<number>", "block_hash": "<hash>"})
}

/// An amount in `--json` answers: planck as a decimal string.
pub(crate) fn amount(value: &Value) -> u128 {
	value.as_str().unwrap_or_else(|| panic!("not an amount: {value}")).parse().unwrap()
}

/// A running `zoo-node` and how to reach it, stopped (killed and reaped) when dropped, so a
/// failing assertion never leaves a node behind holding ports and a base path.
pub(crate) mod harness {
	use std::{
		fs::{self, OpenOptions},
		io::{Read, Write},
		net::{SocketAddr, TcpListener, TcpStream},
		path::{Path, PathBuf},
		process::{Child, Command, Stdio},
		time::{Duration, Instant},
	};
	use tempfile::TempDir;

	/// How long the node may take to answer RPC after it was started.
	const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
	/// Lines of the node's log shown when something goes wrong.
	const LOG_TAIL_LINES: usize = 60;

	pub(crate) struct Node {
		child: Child,
		/// The arguments the node was started with, to restart it the same way.
		args: Vec<String>,
		/// The RPC port (HTTP and WebSocket share it).
		pub rpc_port: u16,
		/// The peer-to-peer port (on 127.0.0.1).
		pub p2p_port: u16,
		/// The node's stdout and stderr.
		log: PathBuf,
		/// Set once the log's tail has been shown, so a failure does not print it twice.
		log_shown: bool,
		/// Holds the base path and the log; deleted after the node is stopped (fields drop after
		/// `Drop::drop` has run).
		_root: TempDir,
	}

	impl Node {
		/// Start `zoo-node` with `mode_args` (e.g. `--dev --instant-seal`) on a temporary base path
		/// and free ports, and wait until its RPC answers `system_health`.
		pub(crate) fn start(mode_args: &[&str]) -> Node {
			let root = tempfile::Builder::new().prefix("zoo-e2e-node-").tempdir().expect("creating a temp dir");
			let log = root.path().join("node.log");
			let [rpc_port, p2p_port, prometheus_port] = free_ports();
			let mut args: Vec<String> = mode_args.iter().map(|a| a.to_string()).collect();
			args.push("--base-path".into());
			args.push(root.path().join("chain").display().to_string());
			for (flag, port) in [("--rpc-port", rpc_port), ("--port", p2p_port), ("--prometheus-port", prometheus_port)]
			{
				args.push(flag.into());
				args.push(port.to_string());
			}
			args.extend(["--no-telemetry".into(), "--no-mdns".into()]);
			let child = spawn(&args, &log);
			// From here on the guard owns the process: any panic below stops it.
			let mut node = Node { child, args, rpc_port, p2p_port, log, log_shown: false, _root: root };
			node.wait_for_rpc(STARTUP_TIMEOUT);
			node
		}

		/// Stop the node with SIGTERM, as an operator or service manager would, and start it again
		/// on the same database and ports. Returns how long the shutdown took.
		pub(crate) fn restart_gracefully(&mut self, shutdown_timeout: Duration) -> Duration {
			let started = Instant::now();
			let status =
				Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().expect("running kill");
			assert!(status.success(), "kill -TERM failed");
			let exit = loop {
				if let Some(exit) = self.child.try_wait().expect("waiting for zoo-node") {
					break exit;
				}
				if started.elapsed() > shutdown_timeout {
					self.log_shown = true;
					panic!(
						"zoo-node did not stop within {shutdown_timeout:?} of SIGTERM:\n{}",
						self.log_tail(LOG_TAIL_LINES)
					);
				}
				std::thread::sleep(Duration::from_millis(50));
			};
			let shutdown = started.elapsed();
			assert!(exit.success(), "zoo-node exited with {exit} after SIGTERM:\n{}", self.log_tail(LOG_TAIL_LINES));
			self.child = spawn(&self.args, &self.log);
			self.wait_for_rpc(STARTUP_TIMEOUT);
			shutdown
		}

		/// Kill the node with SIGKILL, as a crash or the OOM killer would (no shutdown at all),
		/// and start it again on the same database and ports.
		pub(crate) fn restart_killed(&mut self) {
			self.stop();
			self.start_again();
		}

		/// The node's peer-to-peer address with its peer ID, as a bootnode
		/// (`/ip4/127.0.0.1/tcp/PORT/p2p/12D3KooW...`).
		pub(crate) fn p2p_address(&self) -> String {
			let answer = rpc_call(self.rpc_port, "system_localPeerId").expect("system_localPeerId");
			let answer: serde_json::Value = serde_json::from_str(&answer).expect("a JSON-RPC answer");
			let peer = answer["result"].as_str().expect("a peer ID");
			format!("/ip4/127.0.0.1/tcp/{}/p2p/{peer}", self.p2p_port)
		}

		/// Stop the node with SIGKILL and keep it stopped (until [`Node::start_again`]).
		pub(crate) fn stop(&mut self) {
			let _ = self.child.kill();
			let _ = self.child.wait();
		}

		/// Start a node stopped with [`Node::stop`] again, on the same database and ports.
		pub(crate) fn start_again(&mut self) {
			self.child = spawn(&self.args, &self.log);
			self.wait_for_rpc(STARTUP_TIMEOUT);
		}

		/// The WebSocket URL the client connects to.
		pub(crate) fn ws_url(&self) -> String {
			format!("ws://127.0.0.1:{}", self.rpc_port)
		}

		/// The last `lines` lines of the node's log.
		pub(crate) fn log_tail(&self, lines: usize) -> String {
			let text = fs::read_to_string(&self.log).unwrap_or_else(|e| format!("(cannot read the node log: {e})"));
			let all: Vec<&str> = text.lines().collect();
			all[all.len().saturating_sub(lines)..].join("\n")
		}

		fn wait_for_rpc(&mut self, timeout: Duration) {
			let started = Instant::now();
			let mut last_error = String::new();
			while started.elapsed() < timeout {
				if let Ok(Some(status)) = self.child.try_wait() {
					self.log_shown = true;
					panic!(
						"zoo-node exited during startup ({status}); last lines of its log:\n{}",
						self.log_tail(LOG_TAIL_LINES)
					);
				}
				match rpc_call(self.rpc_port, "system_health") {
					Ok(body) if body.contains("\"result\"") => {
						eprintln!(
							"[e2e] zoo-node answers RPC on port {} after {:.1}s: {body}",
							self.rpc_port,
							started.elapsed().as_secs_f64()
						);
						return;
					}
					Ok(body) => last_error = format!("unexpected answer: {body}"),
					Err(e) => last_error = e,
				}
				std::thread::sleep(Duration::from_millis(200));
			}
			self.log_shown = true;
			panic!(
				"zoo-node did not answer system_health on port {} within {timeout:?} (last: {last_error}); \
				 last lines of its log:\n{}",
				self.rpc_port,
				self.log_tail(LOG_TAIL_LINES)
			);
		}
	}

	impl Drop for Node {
		fn drop(&mut self) {
			// SIGKILL: the chain is throw-away, and a node that hangs on shutdown must not hang
			// the test run. wait() reaps it so no zombie outlives the test.
			let _ = self.child.kill();
			let _ = self.child.wait();
			if std::thread::panicking() && !self.log_shown {
				eprintln!("[e2e] test failed; last lines of the zoo-node log:\n{}", self.log_tail(LOG_TAIL_LINES));
			}
		}
	}

	/// Start `zoo-node` with `args`, appending its output to `log`.
	fn spawn(args: &[String], log: &Path) -> Child {
		let binary = node_binary();
		let log_file = OpenOptions::new().create(true).append(true).open(log).expect("opening the node log");
		Command::new(&binary)
			.args(args)
			.stdin(Stdio::null())
			.stdout(log_file.try_clone().expect("cloning the log handle"))
			.stderr(log_file)
			.spawn()
			.unwrap_or_else(|e| panic!("starting {}: {e}", binary.display()))
	}

	/// `$ZOO_NODE`, else `zoo-node` beside the test's own target directory
	/// (`<target>/release/deps/e2e-<hash>` -> `<target>/release/zoo-node`).
	pub(crate) fn node_binary() -> PathBuf {
		let path = match std::env::var_os("ZOO_NODE") {
			Some(path) => PathBuf::from(path),
			None => {
				let exe = std::env::current_exe().expect("the test executable's path");
				let profile_dir = exe.parent().and_then(Path::parent).expect("<target>/<profile>/deps/<test>");
				profile_dir.join("zoo-node")
			}
		};
		assert!(
			path.is_file(),
			"zoo-node not found at {}: run `make build` first (or set ZOO_NODE to a zoo-node binary)",
			path.display()
		);
		path
	}

	/// Ports nobody listens on: bind port 0 and read what the kernel chose. All listeners are
	/// held until the end so the ports differ from each other.
	fn free_ports<const N: usize>() -> [u16; N] {
		let listeners: Vec<TcpListener> =
			(0..N).map(|_| TcpListener::bind("127.0.0.1:0").expect("binding a free port")).collect();
		std::array::from_fn(|i| listeners[i].local_addr().expect("local address").port())
	}

	/// One JSON-RPC call over plain HTTP (the RPC port serves HTTP and WebSocket), std only.
	/// Returns the response body.
	pub(crate) fn rpc_call(port: u16, method: &str) -> Result<String, String> {
		rpc_call_with(port, method, "[]")
	}

	/// [`rpc_call`] with `params`, a JSON array.
	pub(crate) fn rpc_call_with(port: u16, method: &str, params: &str) -> Result<String, String> {
		post(port, &format!(r#"{{"jsonrpc":"2.0","id":1,"method":"{method}","params":{params}}}"#))
	}

	/// POST `body` (a JSON-RPC request) to the RPC port; the response body.
	pub(crate) fn post(port: u16, body: &str) -> Result<String, String> {
		let addr = SocketAddr::from(([127, 0, 0, 1], port));
		let mut stream =
			TcpStream::connect_timeout(&addr, Duration::from_secs(2)).map_err(|e| format!("connect: {e}"))?;
		stream.set_read_timeout(Some(Duration::from_secs(5))).map_err(|e| e.to_string())?;
		let request = format!(
			"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
			 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
			body.len()
		);
		stream.write_all(request.as_bytes()).map_err(|e| format!("write: {e}"))?;
		// Read until the body announced by Content-Length is complete (or the server closes).
		let mut buf = Vec::new();
		let mut chunk = [0u8; 4096];
		loop {
			let n = stream.read(&mut chunk).map_err(|e| format!("read: {e}"))?;
			if n == 0 {
				break;
			}
			buf.extend_from_slice(&chunk[..n]);
			let text = String::from_utf8_lossy(&buf);
			if let Some(end) = text.find("\r\n\r\n") {
				let length = text[..end].lines().find_map(|line| {
					let (name, value) = line.split_once(':')?;
					name.eq_ignore_ascii_case("content-length").then(|| value.trim().parse::<usize>().ok())?
				});
				if length.is_some_and(|length| buf.len() >= end + 4 + length) {
					break;
				}
			}
		}
		let text = String::from_utf8_lossy(&buf).into_owned();
		let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| format!("not an HTTP response: {text:?}"))?;
		if !head.starts_with("HTTP/1.1 200") {
			return Err(format!("HTTP error: {}", head.lines().next().unwrap_or("")));
		}
		Ok(body.to_owned())
	}
}

// ---------------------------------------------------------------------------------------------
// Running the client
// ---------------------------------------------------------------------------------------------

/// `n` deterministic pseudo-random bytes (xorshift), so big files are not trivially compressible
/// and a flipped byte is not hidden in a run of equal bytes.
pub(crate) fn pseudo_random(n: usize, mut seed: u64) -> Vec<u8> {
	(0..n)
		.map(|_| {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			seed as u8
		})
		.collect()
}

/// Alice's SS58 address (the dev chain's well-known account).
pub(crate) const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
/// The pallet's documentation of `NotCommitter`, which the client must show in words.
pub(crate) const NOT_COMMITTER_DOCS: &str =
	"Only the model's owner, an admin, a writer or a committer may commit versions.";
/// A `zoo` call that takes longer than this is a hang (e.g. waiting for a finality that never
/// comes); kill it rather than block the test run forever.
pub(crate) const ZOO_TIMEOUT: Duration = Duration::from_secs(120);

/// What one `zoo` run did.
pub(crate) struct Run {
	pub args: Vec<String>,
	pub code: i32,
	pub stdout: String,
	pub stderr: String,
	pub elapsed: Duration,
}

impl Run {
	/// Everything about the run, for assertion messages.
	pub(crate) fn describe(&self) -> String {
		format!(
			"zoo {:?}\nexit code {} after {:?}\nstdout: {}\nstderr: {}",
			self.args, self.code, self.elapsed, self.stdout, self.stderr
		)
	}

	/// Stdout as the one JSON object `--json` prints.
	pub(crate) fn json(&self) -> Value {
		serde_json::from_str(self.stdout.trim())
			.unwrap_or_else(|e| panic!("stdout is not one JSON object ({e})\n{}", self.describe()))
	}

	pub(crate) fn assert_ok(&self) -> &Self {
		assert_eq!(self.code, 0, "expected success\n{}", self.describe());
		self
	}

	/// The CLI's contract for errors: exit code 2, exactly one `error: ...` line on stderr,
	/// nothing on stdout, and the line mentions every needle.
	pub(crate) fn assert_one_line_error(&self, needles: &[&str]) -> &Self {
		assert_eq!(self.code, 2, "expected an error (exit code 2)\n{}", self.describe());
		assert_eq!(self.stderr.lines().count(), 1, "expected one line on stderr\n{}", self.describe());
		assert!(self.stdout.is_empty(), "expected nothing on stdout\n{}", self.describe());
		for needle in needles {
			assert!(self.stderr.contains(needle), "{needle:?} not in the error\n{}", self.describe());
		}
		self
	}
}

/// The `zoo` binary with a private `ZOO_HOME` (the keystore honours it, so nothing touches the
/// real home) and the node's URL.
pub(crate) struct Zoo {
	pub home: TempDir,
	pub url: String,
}

impl Zoo {
	pub(crate) fn new(url: String) -> Zoo {
		Zoo { home: tempfile::Builder::new().prefix("zoo-e2e-home-").tempdir().unwrap(), url }
	}

	/// Run `zoo args...` to completion (or [`ZOO_TIMEOUT`]).
	pub(crate) fn run(&self, args: &[&str]) -> Run {
		self.run_with_env(&[], args)
	}

	/// [`Zoo::run`] with extra environment variables. `SSL_CERT_FILE` and `SSL_CERT_DIR` are
	/// unset unless given, so which certificates are trusted is up to the test.
	pub(crate) fn run_with_env(&self, env: &[(&str, &str)], args: &[&str]) -> Run {
		self.run_full(env, None, None, args)
	}

	/// [`Zoo::run`] in the working directory `dir`.
	pub(crate) fn run_in(&self, dir: &std::path::Path, args: &[&str]) -> Run {
		self.run_full(&[], None, Some(dir), args)
	}

	/// [`Zoo::run`] with the process umask set to `umask` (octal, e.g. `002`).
	pub(crate) fn run_with_umask(&self, umask: &str, args: &[&str]) -> Run {
		self.run_full(&[], Some(umask), None, args)
	}

	fn run_full(&self, env: &[(&str, &str)], umask: Option<&str>, cwd: Option<&std::path::Path>, args: &[&str]) -> Run {
		let started = Instant::now();
		let zoo = env!("CARGO_BIN_EXE_zoo");
		let mut command = match umask {
			None => Command::new(zoo),
			Some(umask) => {
				let mut shell = Command::new("sh");
				shell.args(["-c", &format!("umask {umask} && exec \"$0\" \"$@\""), zoo]);
				shell
			}
		};
		command
			.args(args)
			.env("ZOO_HOME", self.home.path())
			.env("ZOO_URL", &self.url)
			.env_remove("ZOO_KEY")
			.env_remove("ZOO_LIGHT")
			.env_remove("ZOO_CHAIN_SPEC")
			.env_remove("ZOO_TIMEOUT")
			.env_remove("RUST_LOG")
			.env_remove("SSL_CERT_FILE")
			.env_remove("SSL_CERT_DIR");
		for (name, value) in env {
			command.env(name, value);
		}
		if let Some(dir) = cwd {
			command.current_dir(dir);
		}
		let mut child =
			command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("starting zoo");
		// Drain both pipes on threads so a chatty child cannot block on a full pipe while we wait.
		let mut out = child.stdout.take().unwrap();
		let mut err = child.stderr.take().unwrap();
		let out = std::thread::spawn(move || read_all(&mut out));
		let err = std::thread::spawn(move || read_all(&mut err));
		let status = loop {
			if let Some(status) = child.try_wait().expect("waiting for zoo") {
				break status;
			}
			if started.elapsed() > ZOO_TIMEOUT {
				let _ = child.kill();
				let _ = child.wait();
				panic!(
					"zoo {args:?} did not finish within {ZOO_TIMEOUT:?}\nstdout: {}\nstderr: {}",
					out.join().unwrap(),
					err.join().unwrap()
				);
			}
			std::thread::sleep(Duration::from_millis(5));
		};
		let elapsed = started.elapsed();
		Run {
			args: args.iter().map(|a| a.to_string()).collect(),
			code: status.code().unwrap_or(-1),
			stdout: out.join().unwrap(),
			stderr: err.join().unwrap(),
			elapsed,
		}
	}

	/// `zoo --json args...`, which must succeed; its JSON output.
	pub(crate) fn json(&self, args: &[&str]) -> Value {
		let mut all = vec!["--json"];
		all.extend_from_slice(args);
		self.run(&all).assert_ok().json()
	}
}

fn read_all(reader: &mut impl std::io::Read) -> String {
	let mut bytes = Vec::new();
	let _ = reader.read_to_end(&mut bytes);
	String::from_utf8_lossy(&bytes).into_owned()
}

// ---------------------------------------------------------------------------------------------
// JSON snapshots
// ---------------------------------------------------------------------------------------------

/// Pinning the shape of `--json` answers: [`assert_json_shape`] compares a whole answer, its
/// volatile values replaced by placeholders ([`redact`]), with an expected literal, so a
/// renamed, added, dropped or retyped field fails the test.
pub(crate) mod snapshot {
	use serde_json::Value;

	/// Whether `text` is a CIDv1 in base32 (what every version ID prints as).
	fn is_cid(text: &str) -> bool {
		text.len() > 50
			&& text.starts_with("baf")
			&& text.bytes().all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))
	}

	/// Whether `text` is an SS58 account: 47 or 48 base58 characters.
	fn is_account(text: &str) -> bool {
		(47..=48).contains(&text.len())
			&& text.bytes().all(|b| b.is_ascii_alphanumeric() && !matches!(b, b'0' | b'O' | b'I' | b'l'))
	}

	fn is_hex(text: &str) -> bool {
		!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
	}

	/// `value` with what differs from run to run replaced by placeholders: block hashes
	/// (`<hash>`), CIDs (`<cid>`), SS58 accounts (`<account>`), artifact digests (`<digest>`),
	/// absolute paths (`<path>`; not `//Alice`-style secret URIs), `file://` URIs (`<uri>`),
	/// amounts (decimal strings, `<amount>`) and every number (`<number>`). Keys, booleans,
	/// `null`, other strings and the length of every array are kept.
	pub(crate) fn redact(value: &Value) -> Value {
		match value {
			Value::Number(_) => Value::from("<number>"),
			Value::String(text) => {
				let placeholder = if text.strip_prefix("0x").is_some_and(|hex| hex.len() == 64 && is_hex(hex)) {
					"<hash>"
				} else if is_cid(text) {
					"<cid>"
				} else if is_account(text) {
					"<account>"
				} else if text.len() == 64 && is_hex(text) {
					"<digest>"
				} else if text.starts_with('/') && !text.starts_with("//") {
					"<path>"
				} else if text.starts_with("file://") {
					"<uri>"
				} else if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
					"<amount>"
				} else {
					return value.clone();
				};
				Value::from(placeholder)
			}
			Value::Array(items) => Value::Array(items.iter().map(redact).collect()),
			Value::Object(fields) => Value::Object(fields.iter().map(|(k, v)| (k.clone(), redact(v))).collect()),
			Value::Null | Value::Bool(_) => value.clone(),
		}
	}

	/// `actual`, redacted, is `expected`; on failure both are shown in full.
	#[track_caller]
	pub(crate) fn assert_json_shape(what: &str, actual: &Value, expected: Value) {
		let redacted = redact(actual);
		assert!(
			redacted == expected,
			"the JSON of {what} drifted\nexpected: {}\nactual (redacted): {}\nactual: {}",
			serde_json::to_string_pretty(&expected).unwrap(),
			serde_json::to_string_pretty(&redacted).unwrap(),
			serde_json::to_string_pretty(actual).unwrap()
		);
	}
}

// ---------------------------------------------------------------------------------------------
// Nodes that cannot be trusted
// ---------------------------------------------------------------------------------------------

/// Stand-ins for a node that lies, hangs or babbles, all on 127.0.0.1, std only. Their threads
/// are detached and die with the test process.
pub(crate) mod proxy {
	use serde_json::Value;
	use std::{
		io::{Read, Write},
		net::{Shutdown, TcpListener, TcpStream},
		sync::Arc,
		time::Duration,
	};

	/// What the proxy does with one HTTP JSON-RPC request.
	pub(crate) enum Action {
		/// Send this body to the node and its answer back.
		Forward(String),
		/// Answer with this body, without asking the node.
		Respond(String),
		/// Never answer.
		Hang,
	}

	/// Decides the [`Action`] for each HTTP request (parsed JSON).
	pub(crate) type Rule = Arc<dyn Fn(&Value) -> Action + Send + Sync>;

	/// Whether `request` is a view function call over `state_call`, the reads `zoo` makes over
	/// HTTP.
	pub(crate) fn is_view_call(request: &Value) -> bool {
		request["method"] == "state_call" && request["params"][0] == "RuntimeViewFunction_execute_view_function"
	}

	/// A proxy in front of the node on `node_port`: WebSocket connections pass through
	/// unchanged; each HTTP request goes through `rule`. Returns the proxy's port.
	pub(crate) fn start(node_port: u16, rule: Rule) -> u16 {
		listen(move |client| {
			let rule = rule.clone();
			serve(client, node_port, rule);
		})
	}

	/// A listener that hands each connection to `handle` on its own thread; its port.
	pub(crate) fn listen(handle: impl Fn(TcpStream) + Send + Sync + 'static) -> u16 {
		let listener = TcpListener::bind("127.0.0.1:0").expect("binding the proxy");
		let port = listener.local_addr().unwrap().port();
		let handle = Arc::new(handle);
		std::thread::spawn(move || {
			for client in listener.incoming().flatten() {
				let handle = handle.clone();
				std::thread::spawn(move || handle(client));
			}
		});
		port
	}

	/// A "node" that accepts connections and never says a thing.
	pub(crate) fn silent() -> u16 {
		listen(|client| {
			std::thread::sleep(Duration::from_secs(600));
			drop(client);
		})
	}

	/// A "node" that answers every connection with `bytes`, then `endless` more bytes in a loop
	/// (if any) until the client goes away, then closes.
	pub(crate) fn babbling(bytes: &'static [u8], endless: &'static [u8]) -> u16 {
		listen(move |mut client| {
			let mut request = [0u8; 4096];
			let _ = client.read(&mut request);
			if client.write_all(bytes).is_err() {
				return;
			}
			if !endless.is_empty() {
				while client.write_all(endless).is_ok() {}
			}
			let _ = client.shutdown(Shutdown::Both);
		})
	}

	/// Read one HTTP request or response head (through the blank line), and what came after it.
	fn read_head(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
		let mut buf = Vec::new();
		let mut chunk = [0u8; 8192];
		loop {
			if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
				let rest = buf.split_off(end + 4);
				return Some((String::from_utf8_lossy(&buf).into_owned(), rest));
			}
			let n = stream.read(&mut chunk).ok()?;
			if n == 0 {
				return None;
			}
			buf.extend_from_slice(&chunk[..n]);
		}
	}

	fn content_length(head: &str) -> usize {
		head.lines()
			.find_map(|line| {
				let (name, value) = line.split_once(':')?;
				name.trim().eq_ignore_ascii_case("content-length").then(|| value.trim().parse().ok())?
			})
			.unwrap_or(0)
	}

	/// Copy `from` into `to` until either side closes.
	fn pump(mut from: TcpStream, mut to: TcpStream) {
		let _ = std::io::copy(&mut from, &mut to);
		let _ = to.shutdown(Shutdown::Both);
		let _ = from.shutdown(Shutdown::Both);
	}

	fn serve(mut client: TcpStream, node_port: u16, rule: Rule) {
		let _ = client.set_nodelay(true);
		loop {
			let Some((head, mut body)) = read_head(&mut client) else { return };
			if head.to_ascii_lowercase().contains("upgrade: websocket") {
				let Ok(mut node) = TcpStream::connect(("127.0.0.1", node_port)) else { return };
				let _ = node.set_nodelay(true);
				if node.write_all(head.as_bytes()).and_then(|_| node.write_all(&body)).is_err() {
					return;
				}
				let (node_read, client_read) = (node.try_clone().unwrap(), client.try_clone().unwrap());
				std::thread::spawn(move || pump(node_read, client));
				pump(client_read, node);
				return;
			}
			let length = content_length(&head);
			while body.len() < length {
				let mut chunk = vec![0u8; length - body.len()];
				match client.read(&mut chunk) {
					Ok(0) | Err(_) => return,
					Ok(n) => body.extend_from_slice(&chunk[..n]),
				}
			}
			let text = String::from_utf8_lossy(&body).into_owned();
			let request: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
			let answer = match rule(&request) {
				Action::Forward(forwarded) => match super::harness::post(node_port, &forwarded) {
					Ok(answer) => answer,
					Err(_) => return,
				},
				Action::Respond(answer) => answer,
				Action::Hang => {
					std::thread::sleep(Duration::from_secs(600));
					return;
				}
			};
			let response = format!(
				"HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
				answer.len()
			);
			if client.write_all(response.as_bytes()).and_then(|_| client.write_all(answer.as_bytes())).is_err() {
				return;
			}
		}
	}

	/// A JSON-RPC answer to `request` with `result` (a JSON value as text).
	pub(crate) fn answer(request: &Value, result: &str) -> String {
		format!(r#"{{"jsonrpc":"2.0","id":{},"result":{result}}}"#, request["id"])
	}
}

// ---------------------------------------------------------------------------------------------
// TLS
// ---------------------------------------------------------------------------------------------

/// A TLS-terminating proxy in front of a node (Python's `ssl` module), with a certificate for
/// `localhost` signed by a throw-away CA; killed when dropped.
pub(crate) struct TlsProxy {
	child: std::process::Child,
	/// The proxy's port: `wss://localhost:<port>`.
	pub port: u16,
	/// The CA certificate (PEM) to trust, e.g. as `SSL_CERT_FILE`.
	pub ca: std::path::PathBuf,
	_dir: TempDir,
}

const TLS_PROXY_PY: &str = r#"
import select, socket, ssl, sys, threading
cert, key, node_port = sys.argv[1], sys.argv[2], int(sys.argv[3])
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(64)
print(server.getsockname()[1], flush=True)

def handle(conn):
    try:
        tls = context.wrap_socket(conn, server_side=True)
    except Exception:
        conn.close()
        return
    node = socket.create_connection(("127.0.0.1", node_port))
    node.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while True:
            readable, _, _ = select.select([tls, node], [], [])
            for source in readable:
                data = source.recv(65536)
                if source is tls:
                    while tls.pending():
                        data += tls.recv(tls.pending())
                if not data:
                    return
                (node if source is tls else tls).sendall(data)
    except Exception:
        pass
    finally:
        tls.close()
        node.close()

while True:
    conn, _ = server.accept()
    threading.Thread(target=handle, args=(conn,), daemon=True).start()
"#;

impl TlsProxy {
	pub(crate) fn start(node_port: u16) -> TlsProxy {
		use std::io::BufRead;
		let dir = tempfile::Builder::new().prefix("zoo-tls-").tempdir().unwrap();
		let path = |name: &str| dir.path().join(name).display().to_string();
		std::fs::write(
			dir.path().join("leaf.cnf"),
			"subjectAltName=DNS:localhost\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
		)
		.unwrap();
		let [ca_key, ca_pem, leaf_key, leaf_csr, leaf_pem, leaf_cnf] =
			["ca.key", "ca.pem", "leaf.key", "leaf.csr", "leaf.pem", "leaf.cnf"].map(path);
		let ec: &[&str] = &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
		let ca: &[&str] = &["-keyout", &ca_key, "-out", &ca_pem, "-days", "2", "-subj", "/CN=zoo test CA"];
		let csr: &[&str] = &["-keyout", &leaf_key, "-out", &leaf_csr, "-subj", "/CN=localhost"];
		let sign: &[&str] = &[
			"x509",
			"-req",
			"-in",
			&leaf_csr,
			"-CA",
			&ca_pem,
			"-CAkey",
			&ca_key,
			"-CAcreateserial",
			"-out",
			&leaf_pem,
			"-days",
			"2",
			"-extfile",
			&leaf_cnf,
		];
		let x509: &[&str] = &["req", "-x509"];
		let req: &[&str] = &["req"];
		for args in [[x509, ec, ca].concat(), [req, ec, csr].concat(), sign.to_vec()] {
			let output = Command::new("openssl").args(&args).output().expect("running openssl");
			assert!(output.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&output.stderr));
		}
		let mut child = Command::new("python3")
			.args(["-c", TLS_PROXY_PY, &leaf_pem, &leaf_key, &node_port.to_string()])
			.stdin(Stdio::null())
			.stdout(Stdio::piped())
			.stderr(Stdio::inherit())
			.spawn()
			.expect("starting python3");
		let mut line = String::new();
		std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
		let port = line.trim().parse().unwrap_or_else(|_| panic!("the TLS proxy printed {line:?}, not its port"));
		TlsProxy { child, port, ca: dir.path().join("ca.pem"), _dir: dir }
	}
}

impl Drop for TlsProxy {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}
