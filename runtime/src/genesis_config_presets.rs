//! Genesis presets: `development` (one validator, Alice) and `local_testnet` (Alice and Bob);
//! both with Alice as sudo and Alice, Bob and Charlie as the council.
//!
//! Both carry `aura.authorities` and `grandpa.authorities` arrays, which zombienet rewrites
//! when it builds a network's chain spec.

use crate::{AccountId, BalancesConfig, CouncilConfig, ModelRegistryConfig, RuntimeGenesisConfig, SudoConfig};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Organisation names kept back for governance to grant (`force_create_org`), with everything
/// that looks like them: names a user could take for the chain's own or for an authority's.
pub const RESERVED_ORG_NAMES: [&str; 8] =
	["zoo", "admin", "root", "sudo", "system", "council", "official", "governance"];

/// Balance of every endowed development account: 2^60 plancks (about 1.15 million ZOO).
const ENDOWMENT: u128 = 1 << 60;

fn genesis(
	authorities: Vec<(AuraId, GrandpaId)>,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
	council: Vec<AccountId>,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts.iter().cloned().map(|account| (account, ENDOWMENT)).collect::<Vec<_>>(),
		},
		aura: pallet_aura::GenesisConfig {
			authorities: authorities.iter().map(|(aura, _)| aura.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: authorities.iter().map(|(_, grandpa)| (grandpa.clone(), 1)).collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		council: CouncilConfig { members: council },
		model_registry: ModelRegistryConfig {
			reserved_names: RESERVED_ORG_NAMES.iter().map(|name| name.as_bytes().to_vec()).collect::<Vec<_>>(),
		},
	})
}

/// The development council: Alice, Bob and Charlie (a motion passes with two of them).
fn dev_council() -> Vec<AccountId> {
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie].iter().map(|k| k.to_account_id()).collect()
}

/// The well-known development accounts (Alice, Bob, ... and their stashes) get funds.
fn endowed_dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| k != &Sr25519Keyring::One && k != &Sr25519Keyring::Two)
		.map(|k| k.to_account_id())
		.collect()
}

fn authority(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(aura.public().into(), grandpa.public().into())
}

/// The `local_testnet` preset: Alice and Bob validate.
pub fn local_testnet() -> Value {
	genesis(
		vec![
			authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		],
		endowed_dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
		dev_council(),
	)
}

/// The `development` preset: Alice validates alone.
pub fn development() -> Value {
	genesis(
		vec![authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		endowed_dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
		dev_council(),
	)
}

/// The preset named `id`, as JSON.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_testnet(),
		_ => return None,
	};
	Some(serde_json::to_string(&patch).expect("serialization to json is expected to work. qed.").into_bytes())
}

/// The names of the presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
