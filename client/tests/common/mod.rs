//! What the end-to-end tests share: a running `zoo-node` ([`harness::Node`]) and the `zoo`
//! binary run against it ([`Zoo`]).
#![allow(dead_code)] // Each test binary uses a different part.

use serde_json::Value;
use std::{
	process::{Command, Stdio},
	time::{Duration, Instant},
};
use tempfile::TempDir;

/// A running `zoo-node` and how to reach it, stopped (killed and reaped) when dropped, so a
/// failing assertion never leaves a node behind holding ports and a base path.
pub mod harness {
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

	pub struct Node {
		child: Child,
		/// The arguments the node was started with, to restart it the same way.
		args: Vec<String>,
		/// The RPC port (HTTP and WebSocket share it).
		pub rpc_port: u16,
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
		pub fn start(mode_args: &[&str]) -> Node {
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
			let mut node = Node { child, args, rpc_port, log, log_shown: false, _root: root };
			node.wait_for_rpc(STARTUP_TIMEOUT);
			node
		}

		/// Stop the node with SIGTERM, as an operator or service manager would, and start it again
		/// on the same database and ports. Returns how long the shutdown took.
		pub fn restart_gracefully(&mut self, shutdown_timeout: Duration) -> Duration {
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

		/// The WebSocket URL the client connects to.
		pub fn ws_url(&self) -> String {
			format!("ws://127.0.0.1:{}", self.rpc_port)
		}

		/// The last `lines` lines of the node's log.
		pub fn log_tail(&self, lines: usize) -> String {
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
	fn node_binary() -> PathBuf {
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
	pub fn rpc_call(port: u16, method: &str) -> Result<String, String> {
		rpc_call_with(port, method, "[]")
	}

	/// [`rpc_call`] with `params`, a JSON array.
	pub fn rpc_call_with(port: u16, method: &str, params: &str) -> Result<String, String> {
		let addr = SocketAddr::from(([127, 0, 0, 1], port));
		let mut stream =
			TcpStream::connect_timeout(&addr, Duration::from_secs(2)).map_err(|e| format!("connect: {e}"))?;
		stream.set_read_timeout(Some(Duration::from_secs(5))).map_err(|e| e.to_string())?;
		let body = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"{method}","params":{params}}}"#);
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

/// Alice's SS58 address (the dev chain's well-known account).
pub const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
/// The pallet's documentation of `NotCommitter`, which the client must show in words.
pub const NOT_COMMITTER_DOCS: &str = "Only the model's owner, an admin, a writer or a committer may commit versions.";
/// A `zoo` call that takes longer than this is a hang (e.g. waiting for a finality that never
/// comes); kill it rather than block the test run forever.
pub const ZOO_TIMEOUT: Duration = Duration::from_secs(120);

/// What one `zoo` run did.
pub struct Run {
	pub args: Vec<String>,
	pub code: i32,
	pub stdout: String,
	pub stderr: String,
	pub elapsed: Duration,
}

impl Run {
	/// Everything about the run, for assertion messages.
	pub fn describe(&self) -> String {
		format!(
			"zoo {:?}\nexit code {} after {:?}\nstdout: {}\nstderr: {}",
			self.args, self.code, self.elapsed, self.stdout, self.stderr
		)
	}

	/// Stdout as the one JSON object `--json` prints.
	pub fn json(&self) -> Value {
		serde_json::from_str(self.stdout.trim())
			.unwrap_or_else(|e| panic!("stdout is not one JSON object ({e})\n{}", self.describe()))
	}

	pub fn assert_ok(&self) -> &Self {
		assert_eq!(self.code, 0, "expected success\n{}", self.describe());
		self
	}

	/// The CLI's contract for errors: exit code 2, exactly one `error: ...` line on stderr,
	/// nothing on stdout, and the line mentions every needle.
	pub fn assert_one_line_error(&self, needles: &[&str]) -> &Self {
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
pub struct Zoo {
	pub home: TempDir,
	pub url: String,
}

impl Zoo {
	pub fn new(url: String) -> Zoo {
		Zoo { home: tempfile::Builder::new().prefix("zoo-e2e-home-").tempdir().unwrap(), url }
	}

	/// Run `zoo args...` to completion (or [`ZOO_TIMEOUT`]).
	pub fn run(&self, args: &[&str]) -> Run {
		let started = Instant::now();
		let mut child = Command::new(env!("CARGO_BIN_EXE_zoo"))
			.args(args)
			.env("ZOO_HOME", self.home.path())
			.env("ZOO_URL", &self.url)
			.env_remove("ZOO_KEY")
			.env_remove("RUST_LOG")
			.stdin(Stdio::null())
			.stdout(Stdio::piped())
			.stderr(Stdio::piped())
			.spawn()
			.expect("starting zoo");
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
	pub fn json(&self, args: &[&str]) -> Value {
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
