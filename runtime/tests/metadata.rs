//! The client generates its chain types from `client/zoo-chain-api/metadata/zoo.scale`. This test fails when
//! that file no longer matches the runtime; `ZOO_WRITE_METADATA=1` rewrites it.

use std::path::Path;
use zoo_runtime::Runtime;

#[test]
fn client_metadata_matches_runtime() {
	// Constants kept in storage (curation's era length and unbonding period) are read from
	// storage, so the metadata is built where storage exists, empty here: their defaults.
	let metadata = sp_io::TestExternalities::default()
		.execute_with(|| Runtime::metadata_at_version(16))
		.expect("the runtime serves metadata v16");
	let bytes: Vec<u8> = (*metadata).clone();
	let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../client/zoo-chain-api/metadata/zoo.scale");
	if std::env::var_os("ZOO_WRITE_METADATA").is_some() {
		std::fs::write(&path, &bytes).expect("write client metadata");
	}
	let checked_in = std::fs::read(&path).unwrap_or_default();
	assert!(
		checked_in == bytes,
		"client/zoo-chain-api/metadata/zoo.scale is stale ({} bytes, runtime has {}); regenerate it with \
		 `make metadata`",
		checked_in.len(),
		bytes.len()
	);
}

/// Zombienet rewrites `session.keys` (it looks for that array); only `development` has a sudo
/// key.
#[test]
fn presets_build() {
	for (preset, sudo) in [("development", true), ("local_testnet", false)] {
		let json = zoo_runtime::genesis_config_presets::get_preset(&preset.into()).expect(preset);
		let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
		assert!(value["session"]["keys"].as_array().is_some_and(|keys| !keys.is_empty()), "{preset}");
		assert_eq!(value["sudo"]["key"].is_string(), sudo, "{preset}: {}", value["sudo"]);
	}
}
