//! Built-in chain specifications, from the runtime's genesis presets.

use sc_service::{ChainType, Properties};
use zoo_runtime::WASM_BINARY;

/// Zoo chain specification.
pub type ChainSpec = sc_service::GenericChainSpec;

/// Token properties that polkadot.js reads.
pub(crate) fn properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), zoo_runtime::TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), zoo_runtime::TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), zoo_runtime::SS58_PREFIX.into());
	properties
}

fn from_preset(name: &str, id: &str, chain_type: ChainType, preset: &str) -> Result<ChainSpec, String> {
	let wasm = WASM_BINARY.ok_or_else(|| "the runtime wasm was not built".to_string())?;
	Ok(ChainSpec::builder(wasm, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// `--dev`: Alice alone authors and finalizes.
pub fn development() -> Result<ChainSpec, String> {
	from_preset("Zoo Development", "zoo_dev", ChainType::Development, sp_genesis_builder::DEV_RUNTIME_PRESET)
}

/// `--chain local`: a local multi-validator network (Alice and Bob; zombienet rewrites the
/// authorities).
pub fn local_testnet() -> Result<ChainSpec, String> {
	from_preset(
		"Zoo Local Testnet",
		"zoo_local_testnet",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}
