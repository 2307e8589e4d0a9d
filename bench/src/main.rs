//! `zoo-bench`: measure a Zoo node under load.
//!
//! - `zoo-bench load`: finalized commits, ref moves and balance transfers per second on the same
//!   node in the same run (each in a phase of its own), their ratio, block fullness (weight and
//!   length against the limits for normal transactions) and submit -> in-block and submit ->
//!   finalized latency (P50, P95, max). All work is pre-signed with explicit nonces before a
//!   phase starts, then submitted as fast as the node takes it.
//! - `zoo-bench growth`: database bytes per committed version, against the deposit held for it.
//!
//! `scripts/bench-load.sh` starts a node (instant seal, Aura, or the zombienet network) and runs
//! it; `make bench-load` and `make bench-growth`.

mod growth;
mod load;
mod node;
mod stats;
mod submit;
mod work;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "zoo-bench", version, about = "Load and storage-growth measurements of a Zoo node")]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
	/// Commits, ref moves and transfers at the fastest rate the node accepts.
	Load(load::LoadArgs),
	/// Database bytes per committed version, against its deposit.
	Growth(growth::GrowthArgs),
}

#[tokio::main]
async fn main() -> ExitCode {
	let filter = tracing_subscriber::EnvFilter::try_from_default_env()
		.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,subxt=warn,jsonrpsee=warn"));
	tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
	let result = match Cli::parse().command {
		Command::Load(args) => {
			let json = args.json;
			load::run(args).await.and_then(|report| {
				if json {
					println!("{}", serde_json::to_string_pretty(&report)?);
				} else {
					print!("{}", load::table(&report));
				}
				Ok(())
			})
		}
		Command::Growth(args) => {
			let json = args.json;
			growth::run(args).await.and_then(|report| {
				if json {
					println!("{}", serde_json::to_string_pretty(&report)?);
				} else {
					print!("{}", growth::table(&report));
				}
				Ok(())
			})
		}
	};
	match result {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => {
			eprintln!("zoo-bench: {error:#}");
			ExitCode::FAILURE
		}
	}
}
