//! `zoo`: git for models, on a Zoo chain.
//!
//! Exit codes: 0 success; 1 `verify` found differences; 2 any error (one `error: ...` line on
//! stderr). Every verb takes `--url`, `--key` and `--json`.

mod commands;
mod commit;

use clap::{Args, Parser, Subcommand};
use std::{path::PathBuf, process::ExitCode};

/// Default node URL: a local development node.
const DEFAULT_URL: &str = "ws://127.0.0.1:9944";

#[derive(Parser, Debug)]
#[command(name = "zoo", version, about = "Verifiable ML model provenance on a Zoo chain", propagate_version = true)]
struct Cli {
	/// Node RPC endpoint.
	#[arg(long, global = true, env = "ZOO_URL", default_value = DEFAULT_URL)]
	url: String,
	/// Signing key: a stored key's name (see `zoo keys list`) or a secret URI such as //Alice.
	#[arg(long, global = true, env = "ZOO_KEY", hide_env_values = true)]
	key: Option<String>,
	/// Print one JSON object on stdout instead of text.
	#[arg(long, global = true)]
	json: bool,
	/// More logging on stderr (-v info, -vv debug); RUST_LOG overrides.
	#[arg(short, long, global = true, action = clap::ArgAction::Count)]
	verbose: u8,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
	/// Manage signing keys.
	#[command(subcommand)]
	Keys(KeysCommand),
	/// Create and inspect models.
	#[command(subcommand)]
	Model(ModelCommand),
	/// Track a model in a directory (writes .zoo/).
	Init {
		/// The model, `org/name`.
		model: String,
		/// The directory (created if missing).
		#[arg(default_value = ".")]
		dir: PathBuf,
	},
	/// Show what changed since the last version committed from a directory.
	Status {
		/// The directory.
		#[arg(default_value = ".")]
		dir: PathBuf,
	},
	/// Hash a directory, build its manifest and commit it as a new version.
	Commit(CommitArgs),
	/// List a model's versions, newest first.
	Log {
		/// The model, `org/name`.
		model: String,
		/// Versions to skip.
		#[arg(long, default_value_t = 0)]
		start: u32,
		/// Most versions to list.
		#[arg(long, default_value_t = 20)]
		limit: u32,
	},
	/// Show a version's manifest and record.
	Show {
		/// The version ID (CID).
		cid: String,
	},
	/// Compare a directory with a version; exit code 1 on any difference.
	Verify {
		/// The version ID (CID).
		cid: String,
		/// The directory.
		dir: PathBuf,
	},
	/// Fetch a version's artifacts into a directory, verifying every byte first.
	Checkout {
		/// The version ID (CID).
		cid: String,
		/// The target directory (created if missing; must be empty unless --force).
		dir: PathBuf,
		/// Check out into a non-empty directory (files with artifact paths are replaced).
		#[arg(long)]
		force: bool,
	},
}

#[derive(Subcommand, Debug)]
enum KeysCommand {
	/// Generate a key; its mnemonic is printed once.
	Generate {
		/// Name to store it under.
		name: String,
		/// Mnemonic length: 12 or 24 words.
		#[arg(long, default_value_t = 24)]
		words: usize,
	},
	/// Store a mnemonic or secret URI (such as //Alice); read from stdin when not given.
	Import {
		/// Name to store it under.
		name: String,
		/// The secret (prefer stdin: arguments end up in shell history).
		secret: Option<String>,
	},
	/// List stored keys and their addresses.
	List {
		/// Also print the secrets.
		#[arg(long)]
		show_secret: bool,
	},
}

#[derive(Subcommand, Debug)]
enum ModelCommand {
	/// Create a model owned by --key.
	Create {
		/// The model, `org/name`.
		name: String,
	},
	/// Show a model: owner, deposit, versions, maintainers.
	Show {
		/// The model, `org/name`.
		name: String,
	},
}

/// `zoo commit` options.
#[derive(Args, Debug)]
struct CommitArgs {
	/// The directory to commit.
	#[arg(default_value = ".")]
	dir: PathBuf,
	/// Commit message.
	#[arg(short, long)]
	message: String,
	/// The model (default: the one the directory's .zoo/ tracks).
	#[arg(long)]
	model: Option<String>,
	/// A parent version, `CID[:KIND]` (kind: revision (default), merge, finetune, quantize,
	/// distill, adapter, other). Default: the directory's last committed version.
	#[arg(long = "parent", value_name = "CID[:KIND]")]
	parents: Vec<String>,
	/// Commit a root version even if the directory has a last committed version.
	#[arg(long, conflicts_with = "parents")]
	no_parent: bool,
	/// A metric, `name=value` (exact decimal).
	#[arg(long = "metric", value_name = "NAME=VALUE")]
	metrics: Vec<String>,
	/// SPDX license expression.
	#[arg(long, value_name = "SPDX")]
	license: Option<String>,
	/// A tag, `key=value`.
	#[arg(long = "tag", value_name = "KEY=VALUE")]
	tags: Vec<String>,
	/// Artifact URIs are this prefix joined with each path (default: file:// absolute paths).
	#[arg(long, value_name = "PREFIX")]
	uri_prefix: Option<String>,
	/// Digest algorithm.
	#[arg(long = "hash", default_value = "sha2-256", value_name = "sha2-256|blake3")]
	hash: String,
	/// Hash files in shards of this size (e.g. 64MiB; at least 1MiB), in parallel.
	#[arg(long, value_name = "SIZE")]
	shard_size: Option<String>,
	/// Build and print the manifest and its ID, but submit nothing.
	#[arg(long)]
	dry_run: bool,
}

/// What a successful command wants the exit code to say.
enum Outcome {
	Done,
	Differences,
}

fn init_tracing(verbose: u8) {
	let default = match verbose {
		0 => "warn",
		1 => "info",
		2 => "debug",
		_ => "trace",
	};
	let filter = tracing_subscriber::EnvFilter::try_from_default_env()
		.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
	tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}

/// One line, whatever the error chain holds.
fn one_line(error: &anyhow::Error) -> String {
	format!("{error:#}").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::main]
async fn main() -> ExitCode {
	let cli = match Cli::try_parse() {
		Ok(cli) => cli,
		Err(e) if matches!(e.kind(), clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion) => {
			e.exit()
		}
		Err(e) => {
			// clap spreads an error over several lines (message, missing arguments, usage); keep
			// them on one line so scripts and people read the whole reason.
			let rendered = e.render().to_string();
			let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("For more"));
			let mut message: Vec<&str> = Vec::new();
			let mut usage = None;
			for line in lines.by_ref() {
				match line.strip_prefix("Usage: ") {
					Some(rest) => usage = Some(rest),
					None => message.push(line),
				}
			}
			let message = if message.is_empty() { "invalid arguments".to_owned() } else { message.join(" ") };
			match usage {
				Some(usage) => eprintln!("{message} (usage: {usage}; see zoo --help)"),
				None => eprintln!("{message} (see zoo --help)"),
			}
			return ExitCode::from(2);
		}
	};
	init_tracing(cli.verbose);
	match commands::run(cli).await {
		Ok(Outcome::Done) => ExitCode::SUCCESS,
		Ok(Outcome::Differences) => ExitCode::from(1),
		Err(e) => {
			eprintln!("error: {}", one_line(&e));
			ExitCode::from(2)
		}
	}
}
