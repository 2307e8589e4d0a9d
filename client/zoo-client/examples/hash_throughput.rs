//! Hash one file with the client's hashing code and print the throughput.
//!
//! ```text
//! cargo run --release -p zoo-client --example hash_throughput -- FILE [sha2-256|blake3] [SHARD_SIZE]
//! ```
//! Prints `<algorithm> <bytes> bytes in <seconds> s: <MB/s> MB/s <hex digest>`, to compare with
//! e.g. `openssl dgst -sha256 FILE` timed on the same file.

use std::{path::PathBuf, process::ExitCode, time::Instant};
use zoo_client::{hashing::hash_file, manifest_build::parse_hashing, progress::Silent};

fn main() -> ExitCode {
	let args: Vec<String> = std::env::args().skip(1).collect();
	let Some(path) = args.first().map(PathBuf::from) else {
		eprintln!("usage: hash_throughput FILE [sha2-256|blake3] [SHARD_SIZE]");
		return ExitCode::from(2);
	};
	let algorithm = args.get(1).map_or("sha2-256", String::as_str);
	let settings = match parse_hashing(algorithm, args.get(2).map(String::as_str)) {
		Ok(settings) => settings,
		Err(e) => {
			eprintln!("error: {e}");
			return ExitCode::from(2);
		}
	};
	let started = Instant::now();
	match hash_file(&path, &settings, &Silent) {
		Ok(digest) => {
			let seconds = started.elapsed().as_secs_f64();
			println!(
				"{algorithm} {} bytes in {seconds:.3} s: {:.1} MB/s {}",
				digest.size,
				digest.size as f64 / 1e6 / seconds.max(1e-9),
				hex::encode(digest.digest.bytes)
			);
			ExitCode::SUCCESS
		}
		Err(e) => {
			eprintln!("error: {e}");
			ExitCode::from(2)
		}
	}
}
