//! `zoo-bench growth`: database bytes per committed version, against the deposit the chain
//! holds for it. Commits N versions (in `Utility::batch_all` batches) and measures the node's
//! database directory before and after; with `--node` it starts the node itself and measures
//! after stopping it gracefully (so everything is flushed), otherwise it measures the running
//! node's directory once its size has settled.

use crate::{
	load::{ZOO, bar},
	node,
	submit::{self, Pace, Tx},
	work,
};
use anyhow::{Context, Result, anyhow, bail};
use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};
use subxt::utils::Static;
use subxt_signer::{SecretUri, sr25519::Keypair};
use zoo_chain::runtime::{
	self,
	runtime_types::{pallet_model_registry::pallet::Call as RegistryCall, zoo_runtime::RuntimeCall},
};

/// Options of `zoo-bench growth`.
#[derive(clap::Args, Debug, Clone)]
#[command(args_override_self = true)]
pub(crate) struct GrowthArgs {
	/// The node's WebSocket URL.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// The node's base path (`--base-path`); its `chains` directory is measured.
	#[arg(long)]
	pub base_path: PathBuf,
	/// Versions to commit.
	#[arg(long, default_value_t = 10_000)]
	pub commits: usize,
	/// Commits per `Utility::batch_all` transaction.
	#[arg(long, default_value_t = 100)]
	pub batch: usize,
	/// SCALE size of each committed manifest, in bytes.
	#[arg(long, default_value_t = 2048)]
	pub manifest_bytes: usize,
	/// The committing account (a dev account on a dev chain).
	#[arg(long, default_value = "//Alice")]
	pub signer: String,
	/// Start the node (`NODE --dev --instant-seal --pool-type single-state --base-path DIR
	/// --rpc-port PORT`, the port from --url) and stop it gracefully before each measurement.
	#[arg(long)]
	pub node: Option<PathBuf>,
	/// Print the figures as JSON on stdout.
	#[arg(long)]
	pub json: bool,
}

/// What `zoo-bench growth` measured.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct GrowthReport {
	/// The directory measured.
	pub measured: String,
	/// `stopped` (the node was stopped before each measurement) or `running`.
	pub mode: String,
	/// Versions committed (and found committed).
	pub versions: usize,
	/// SCALE size of each manifest.
	pub manifest_bytes: usize,
	/// Disk usage (allocated blocks) before and after, bytes.
	pub disk_before: u64,
	/// After.
	pub disk_after: u64,
	/// Apparent size (file lengths) before, bytes.
	pub apparent_before: u64,
	/// After.
	pub apparent_after: u64,
	/// Disk bytes per version.
	pub disk_bytes_per_version: f64,
	/// Apparent bytes per version.
	pub apparent_bytes_per_version: f64,
	/// The committer's reserved balance grew by this much per version (planck).
	pub deposit_per_version: u128,
	/// What the registry's constants say a version of this size holds (base + per byte x
	/// size), planck.
	pub deposit_formula: u128,
	/// `VersionDepositPerByte`, planck.
	pub deposit_per_byte: u128,
	/// Database bytes (disk) per manifest byte.
	pub db_bytes_per_manifest_byte: f64,
	/// Deposit per database byte (disk), planck.
	pub deposit_per_db_byte: f64,
	/// Seconds spent committing.
	pub commit_seconds: f64,
}

/// Size of everything under `dir`: (allocated bytes, apparent bytes).
pub(crate) fn du(dir: &Path) -> Result<(u64, u64)> {
	use std::os::unix::fs::MetadataExt;
	let mut total = (0u64, 0u64);
	let mut stack = vec![dir.to_path_buf()];
	while let Some(path) = stack.pop() {
		let meta = std::fs::symlink_metadata(&path).with_context(|| format!("cannot read {}", path.display()))?;
		if meta.is_dir() {
			for entry in std::fs::read_dir(&path)? {
				stack.push(entry?.path());
			}
		} else {
			total.0 += meta.blocks() * 512;
			total.1 += meta.len();
		}
	}
	Ok(total)
}

/// A node this process started.
struct Managed {
	child: Child,
}

impl Managed {
	fn start(binary: &Path, base_path: &Path, port: u16) -> Result<Managed> {
		// The log goes beside the base path, not into what is measured.
		let log_path = match base_path.parent() {
			Some(parent) => parent.join("growth-node.log"),
			None => PathBuf::from("growth-node.log"),
		};
		let log = std::fs::OpenOptions::new().create(true).append(true).open(log_path)?;
		let child = Command::new(binary)
			.args(["--dev", "--instant-seal", "--pool-type", "single-state", "--no-telemetry", "--no-prometheus"])
			.args(["--listen-addr", "/ip4/127.0.0.1/tcp/0", "--rpc-port"])
			.arg(port.to_string())
			.arg("--base-path")
			.arg(base_path)
			.stdout(Stdio::null())
			.stderr(log)
			.spawn()
			.with_context(|| format!("cannot start {}", binary.display()))?;
		Ok(Managed { child })
	}

	/// SIGINT, and wait for the node to exit (it flushes its database on the way).
	fn stop(mut self) -> Result<()> {
		let pid = self.child.id().to_string();
		let _ = Command::new("kill").args(["-INT", &pid]).status();
		let start = Instant::now();
		while start.elapsed() < Duration::from_secs(120) {
			if self.child.try_wait()?.is_some() {
				return Ok(());
			}
			std::thread::sleep(Duration::from_millis(100));
		}
		self.child.kill()?;
		bail!("the node did not stop within 120 s of SIGINT (killed)")
	}
}

impl Drop for Managed {
	fn drop(&mut self) {
		if let Ok(None) = self.child.try_wait() {
			let _ = self.child.kill();
			let _ = self.child.wait();
		}
	}
}

/// The directory the chain's database lives in.
fn chains_dir(base_path: &Path) -> PathBuf {
	let chains = base_path.join("chains");
	if chains.is_dir() { chains } else { base_path.to_path_buf() }
}

/// Wait until the size of `dir` has not changed for a few seconds (a running node flushes in
/// the background), and return it.
async fn settled(dir: &Path) -> Result<(u64, u64)> {
	let mut last = du(dir)?;
	let mut stable = 0;
	let start = Instant::now();
	while stable < 3 && start.elapsed() < Duration::from_secs(60) {
		tokio::time::sleep(Duration::from_secs(2)).await;
		let now = du(dir)?;
		if now == last {
			stable += 1;
		} else {
			stable = 0;
		}
		last = now;
	}
	Ok(last)
}

fn port_of(url: &str) -> Result<u16> {
	url.rsplit(':')
		.next()
		.and_then(|port| port.trim_end_matches('/').parse().ok())
		.ok_or_else(|| anyhow!("--url {url} has no port"))
}

/// Run `zoo-bench growth`.
pub(crate) async fn run(args: GrowthArgs) -> Result<GrowthReport> {
	if args.commits == 0 || args.batch == 0 {
		bail!("--commits and --batch must be at least 1");
	}
	std::fs::create_dir_all(&args.base_path)?;
	let port = port_of(&args.url)?;
	let signer = Keypair::from_uri(&args.signer.parse::<SecretUri>().context("invalid --signer")?)
		.context("cannot derive the signer's key")?;
	let who = signer.public_key().to_account_id();
	let run_id = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() % 100_000_000;
	let model = format!("zg{run_id}/m");

	// Setup: the model and a root version, then the first measurement.
	let mut managed = match &args.node {
		Some(binary) => Some(Managed::start(binary, &args.base_path, port)?),
		None => None,
	};
	let node = node::wait_for(&args.url, Duration::from_secs(120)).await?;
	let root = work::manifest(&model, None, run_id, u64::MAX, args.manifest_bytes)?;
	let calls = vec![
		RuntimeCall::ModelRegistry(RegistryCall::create_model {
			name: runtime::runtime_types::bounded_collections::bounded_vec::BoundedVec(model.as_bytes().to_vec()),
		}),
		RuntimeCall::ModelRegistry(RegistryCall::commit_version { manifest: Static(root.clone()) }),
	];
	node.submit_finalized(&signer, &runtime::transactions().utility().batch_all(calls)).await.context("setup")?;
	let at = node.at_finalized().await?;
	let registry = runtime::constants().model_registry();
	let base = at.constants().entry(registry.version_deposit_base())?;
	let per_byte = at.constants().entry(registry.version_deposit_per_byte())?;
	let (_, reserved_before) = node.balance(&who).await?;
	let (free, _) = node.balance(&who).await?;
	let need = (args.commits as u128) * (base + per_byte * (args.manifest_bytes as u128 + 512) + ZOO);
	if free < need {
		bail!("{} has {} ZOO free; {} commits need about {} ZOO", args.signer, free / ZOO, args.commits, need / ZOO);
	}
	drop(node);
	// The chain's database directory exists once the node has started.
	let dir = chains_dir(&args.base_path);
	let mode = if managed.is_some() { "stopped" } else { "running" };
	let before = match managed.take() {
		Some(running) => {
			running.stop()?;
			du(&dir)?
		}
		None => settled(&dir).await?,
	};
	tracing::info!(disk = before.0, apparent = before.1, dir = %dir.display(), "before");

	// The commits: a chain of revisions from the root, in pre-signed batches.
	if let Some(binary) = &args.node {
		managed = Some(Managed::start(binary, &args.base_path, port)?);
	}
	let node = node::wait_for(&args.url, Duration::from_secs(120)).await?;
	let at = node.at_finalized().await?;
	let mut nonce = node.nonce(&who).await?;
	let mut parent = root.id();
	let mut txs = Vec::new();
	let mut seq = 0u64;
	for batch in 0..args.commits.div_ceil(args.batch) {
		let count = args.batch.min(args.commits - batch * args.batch);
		let mut calls = Vec::with_capacity(count);
		for _ in 0..count {
			let manifest = work::manifest(&model, Some(parent), run_id, seq, args.manifest_bytes)?;
			seq += 1;
			parent = manifest.id();
			calls.push(RuntimeCall::ModelRegistry(RegistryCall::commit_version { manifest: Static(manifest) }));
		}
		let signed = node::sign(&at, &signer, nonce, &runtime::transactions().utility().batch_all(calls))?;
		nonce += 1;
		txs.push(Tx { signed, kind: 0, account: 0 });
	}
	let kinds_of = txs.iter().map(|tx| (tx.signed.hash, 0usize)).collect();
	let first = node.finalized_number().await? + 1;
	let progress = bar(txs.len() as u64, "batches");
	let pace = Pace { in_pool: 4, watched: 64, timeout: Duration::from_secs(900), max_retries: 200 };
	let (outcomes, elapsed) = submit::run(&node, txs, pace, &progress).await;
	progress.finish_and_clear();
	let last = node.finalized_number().await?;
	let blocks = node::scan_blocks(&node, first, last, &kinds_of, 1).await?;
	let failed: u32 = blocks.iter().map(|block| block.failed[0]).sum();
	let finalized = outcomes.iter().filter(|outcome| outcome.finalized.is_some()).count();
	if failed > 0 || finalized != outcomes.len() {
		let errors: Vec<_> = outcomes.iter().filter_map(|outcome| outcome.error.clone()).take(3).collect();
		bail!("{failed} batches failed and {} were not finalized: {errors:?}", outcomes.len() - finalized);
	}
	// The registry's own count, read through the client library.
	let count = zoo_chain::Chain::connect(&args.url).await?.model(&model).await?.map(|m| m.version_count);
	let versions = count.ok_or_else(|| anyhow!("model {model} not found"))? as usize;
	if versions != args.commits + 1 {
		bail!("model {model} has {versions} versions, expected {}", args.commits + 1);
	}
	let (_, reserved_after) = node.balance(&who).await?;
	drop(node);
	let after = match managed.take() {
		Some(running) => {
			running.stop()?;
			du(&dir)?
		}
		None => settled(&dir).await?,
	};
	tracing::info!(disk = after.0, apparent = after.1, "after");

	let n = args.commits as f64;
	let disk = after.0.saturating_sub(before.0) as f64 / n;
	let apparent = after.1.saturating_sub(before.1) as f64 / n;
	let deposit_per_version = reserved_after.saturating_sub(reserved_before) / args.commits as u128;
	let manifest_len = codec::Encode::encoded_size(&root);
	Ok(GrowthReport {
		measured: dir.display().to_string(),
		mode: mode.into(),
		versions: args.commits,
		manifest_bytes: manifest_len,
		disk_before: before.0,
		disk_after: after.0,
		apparent_before: before.1,
		apparent_after: after.1,
		disk_bytes_per_version: disk,
		apparent_bytes_per_version: apparent,
		deposit_per_version,
		deposit_formula: base + per_byte * manifest_len as u128,
		deposit_per_byte: per_byte,
		db_bytes_per_manifest_byte: disk / manifest_len as f64,
		deposit_per_db_byte: if disk > 0.0 { deposit_per_version as f64 / disk } else { 0.0 },
		commit_seconds: elapsed.as_secs_f64(),
	})
}

fn zoo(planck: f64) -> String {
	format!("{:.4} ZOO", planck / ZOO as f64)
}

/// The report as text.
pub(crate) fn table(report: &GrowthReport) -> String {
	format!(
		"zoo-bench growth: {} versions of {} bytes, database {} measured with the node {}\n\
		 disk (allocated): {} -> {} bytes: {:.0} bytes per version ({:.2} per manifest byte)\n\
		 apparent size:    {} -> {} bytes: {:.0} bytes per version\n\
		 deposit held per version: {} (formula: {}; {} per byte)\n\
		 deposit per database byte: {} per KiB of disk; committing took {:.1} s\n",
		report.versions,
		report.manifest_bytes,
		report.measured,
		report.mode,
		report.disk_before,
		report.disk_after,
		report.disk_bytes_per_version,
		report.db_bytes_per_manifest_byte,
		report.apparent_before,
		report.apparent_after,
		report.apparent_bytes_per_version,
		zoo(report.deposit_per_version as f64),
		zoo(report.deposit_formula as f64),
		zoo(report.deposit_per_byte as f64),
		zoo(report.deposit_per_db_byte * 1024.0),
		report.commit_seconds,
	)
}
