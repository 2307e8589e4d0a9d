//! `zoo-try-runtime`: runs this runtime's upgrade against a snapshot of a live chain, with every
//! check FRAME's try-runtime has, the way `try-runtime on-runtime-upgrade` would.
//!
//! The snapshot is the chain's whole state at one block, as `scripts/try-runtime.sh` saves it
//! from a running node (`state_getPairs`): JSON `{"block": "0x..", "number": N, "spec_version":
//! N, "pairs": [["0xkey", "0xvalue"], ...]}`. In externalities holding exactly that state it runs
//! `Executive::try_runtime_upgrade` with all checks: every migration of the runtime (its own,
//! then each pallet's hooks) with its `pre_upgrade` and `post_upgrade`, then the whole state
//! decoded with the new runtime's types, then every pallet's `try_state`. It prints the
//! pallets' storage versions (on chain before, in the code, on chain after), with the
//! migrations' own log lines, and fails (exit 1) on the first check that does not hold.

use clap::Parser;
use frame_support::traits::{
	GetStorageVersion, NoStorageVersionSet, PalletInfoAccess, StorageVersion, UpgradeCheckSelect,
};
use serde_json::Value;
use sp_core::storage::well_known_keys;
use sp_runtime::Storage;
use std::{path::PathBuf, process::ExitCode};
use zoo_runtime::{Executive, Runtime, VERSION};

#[derive(Parser)]
#[command(name = "zoo-try-runtime", about = "Run this runtime's migrations and checks against a snapshot of a chain")]
struct Cli {
	/// The snapshot (JSON from `scripts/try-runtime.sh`).
	#[arg(long, value_name = "FILE")]
	snapshot: PathBuf,
}

fn unhex(text: &str) -> Result<Vec<u8>, String> {
	hex::decode(text.trim_start_matches("0x")).map_err(|error| format!("{text:.20}... is not hex: {error}"))
}

/// The snapshot's description and its pairs as storage: all of it in the top trie (a Zoo chain
/// has no child tries; a key of one is refused rather than put in the wrong trie).
fn read_snapshot(snapshot: &Value) -> Result<(String, Storage), String> {
	let field = |name: &str| snapshot.get(name).ok_or_else(|| format!("the snapshot has no {name}"));
	let text = |name: &str| field(name).map(|value| value.as_str().map_or_else(|| value.to_string(), str::to_owned));
	let described = format!(
		"block #{} {} of a chain running spec version {}",
		text("number")?,
		text("block")?,
		text("spec_version")?
	);
	let pairs = field("pairs")?.as_array().ok_or("the snapshot's pairs are not a list")?;
	let mut storage = Storage::default();
	for pair in pairs {
		let (Some(key), Some(value)) = (pair[0].as_str(), pair[1].as_str()) else {
			return Err(format!("{pair} is not a [key, value] pair of hex strings"));
		};
		let key = unhex(key)?;
		if key.starts_with(well_known_keys::CHILD_STORAGE_KEY_PREFIX) {
			return Err(format!("the snapshot has a child trie (0x{}): not supported", hex::encode(&key)));
		}
		storage.top.insert(key, unhex(value)?);
	}
	Ok((described, storage))
}

/// A pallet's storage version in its code: a version, or none declared (then its storage
/// must stay at the default, v0).
trait InCodeVersion {
	fn version(&self) -> StorageVersion;
}

impl InCodeVersion for StorageVersion {
	fn version(&self) -> StorageVersion {
		*self
	}
}

impl InCodeVersion for NoStorageVersionSet {
	fn version(&self) -> StorageVersion {
		StorageVersion::default()
	}
}

/// Every pallet of the runtime with storage: its name and storage versions on chain and in
/// its code.
macro_rules! storage_versions {
	($($pallet:ty),* $(,)?) => {
		fn storage_versions() -> Vec<(&'static str, StorageVersion, StorageVersion)> {
			vec![$((
				<$pallet as PalletInfoAccess>::name(),
				<$pallet as GetStorageVersion>::on_chain_storage_version(),
				<$pallet as GetStorageVersion>::in_code_storage_version().version(),
			)),*]
		}
	};
}

storage_versions!(
	zoo_runtime::System,
	zoo_runtime::Aura,
	zoo_runtime::Grandpa,
	zoo_runtime::Balances,
	zoo_runtime::TransactionPayment,
	zoo_runtime::Sudo,
	zoo_runtime::Council,
	zoo_runtime::Session,
	zoo_runtime::ValidatorSet,
	zoo_runtime::Preimage,
	zoo_runtime::Whitelist,
	zoo_runtime::ModelRegistry,
	zoo_runtime::Lineage,
	zoo_runtime::Licensing,
	zoo_runtime::Attestations,
	zoo_runtime::Curation,
);

/// Runs the upgrade with every check in externalities holding `storage`; the report, or the
/// first check that failed.
fn check(storage: Storage) -> Result<String, String> {
	let mut report = format!(
		"{} keys, {} bytes of state\nupgrading to {} {} (the runtime this binary was built with)\n",
		storage.top.len(),
		storage.top.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>(),
		VERSION.spec_name,
		VERSION.spec_version
	);
	sp_io::TestExternalities::new(storage).execute_with(|| {
		let last = frame_system::LastRuntimeUpgrade::<Runtime>::get()
			.map_or_else(|| "none".to_owned(), |info| info.spec_version.0.to_string());
		report.push_str(&format!("last runtime upgrade on chain: spec version {last}\n"));
		let before = storage_versions();
		let weight = Executive::try_runtime_upgrade(UpgradeCheckSelect::All)
			.map_err(|error| format!("the upgrade's checks failed: {error:?}"))?;
		let after = storage_versions();
		report.push_str("pallet              on chain before  in code  on chain after\n");
		let version = |v: &StorageVersion| format!("{v:?}").replace("StorageVersion(", "v").replace(')', "");
		for ((name, was, code), (_, now, _)) in before.iter().zip(&after) {
			report.push_str(&format!("{name:<19} {:<16} {:<8} {}\n", version(was), version(code), version(now)));
			if now != code {
				return Err(format!(
					"{name} is at storage version {} after the upgrade, but its code is at {}: a migration is missing",
					version(now),
					version(code)
				));
			}
		}
		let block = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
		report.push_str(&format!(
			"ok: every migration with its pre/post_upgrade checks, the whole state decoded, every try_state; \
			 the upgrade weighs {} ps and {} bytes of proof ({:.2} % of a block's time)",
			weight.ref_time(),
			weight.proof_size(),
			100.0 * weight.ref_time() as f64 / block.ref_time() as f64
		));
		Ok(report)
	})
}

fn run(cli: &Cli) -> Result<(), String> {
	let text = std::fs::read_to_string(&cli.snapshot)
		.map_err(|error| format!("cannot read {}: {error}", cli.snapshot.display()))?;
	let snapshot: Value = serde_json::from_str(&text)
		.map_err(|error| format!("{} is not a snapshot: {error}", cli.snapshot.display()))?;
	let (described, storage) = read_snapshot(&snapshot)?;
	println!("snapshot: {described}");
	println!("{}", check(storage)?);
	Ok(())
}

fn main() -> ExitCode {
	let cli = Cli::parse();
	// The migrations' own reports (`log::info!` in the runtime, target `runtime::<pallet>`), on
	// stdout between the report's lines; RUST_LOG overrides.
	tracing_subscriber::fmt()
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "runtime=info".into()),
		)
		.with_target(true)
		.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
		.without_time()
		.init();
	match run(&cli) {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => {
			eprintln!("zoo-try-runtime: {error}");
			ExitCode::FAILURE
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;
	use zoo_fuzz::chain::{Accounts, genesis};

	#[test]
	fn a_chain_at_genesis_upgrades_with_every_check() {
		let report = check(genesis(&Accounts::new())).unwrap();
		assert!(report.contains("ModelRegistry       v2               v2       v2"), "{report}");
		assert!(report.contains("ok: every migration"), "{report}");
	}

	#[test]
	fn state_the_runtime_cannot_read_or_a_missing_migration_fails() {
		// A storage version behind the code's, with no migration to lift it.
		let mut storage = genesis(&Accounts::new());
		let key =
			[sp_io::hashing::twox_128(b"ModelRegistry"), sp_io::hashing::twox_128(b":__STORAGE_VERSION__:")].concat();
		storage.top.insert(key, StorageVersion::new(0).encode());
		let error = check(storage).unwrap_err();
		assert!(
			error.contains("On chain and in-code storage version do not match. Missing runtime upgrade?"),
			"{error}"
		);

		// A value that does not decode as its item's type.
		let mut storage = genesis(&Accounts::new());
		let key = [sp_io::hashing::twox_128(b"ValidatorSet"), sp_io::hashing::twox_128(b"Validators")].concat();
		storage.top.insert(key, vec![0xff; 3]);
		let error = check(storage).unwrap_err();
		assert!(error.contains("the upgrade's checks failed"), "{error}");
	}

	#[test]
	fn snapshots_are_read_strictly() {
		let snapshot =
			|pairs: Value| serde_json::json!({"block": "0x01", "number": 7, "spec_version": 100, "pairs": pairs});
		let (described, storage) = read_snapshot(&snapshot(serde_json::json!([["0x0102", "0x03"]]))).unwrap();
		assert_eq!(described, "block #7 0x01 of a chain running spec version 100");
		assert_eq!(storage.top.get(&vec![1, 2]), Some(&vec![3]));
		assert!(read_snapshot(&snapshot(serde_json::json!([["0xzz", "0x00"]]))).unwrap_err().contains("is not hex"));
		let child = format!("0x{}", hex::encode(b":child_storage:default:x"));
		assert!(read_snapshot(&snapshot(serde_json::json!([[child, "0x00"]]))).unwrap_err().contains("child trie"));
		assert!(read_snapshot(&snapshot(serde_json::json!([[1, 2]]))).unwrap_err().contains("not a [key, value] pair"));
		assert!(read_snapshot(&serde_json::json!({"pairs": []})).unwrap_err().contains("has no number"));
	}
}
