//! Genesis presets: `development` (one validator, Alice; Alice holds the sudo key, for tests
//! only) and `local_testnet` (Alice and Bob validate; no sudo key: the council governs). Both
//! have Alice, Bob and Charlie as the council.
//!
//! Validators are given as session keys (`session.keys`: account, validator id, Aura and
//! GRANDPA keys), which zombienet rewrites when it builds a network's chain spec; Aura's and
//! GRANDPA's authorities follow from them.

use crate::{
	AccountId, Balance, BalancesConfig, CouncilConfig, ModelRegistryConfig, RuntimeGenesisConfig, SessionConfig,
	SudoConfig, opaque::SessionKeys,
};
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
const ENDOWMENT: Balance = 1 << 60;

/// A validator at genesis: its account (also its validator id) and its session keys.
pub type GenesisValidator = (AccountId, AuraId, GrandpaId);

/// The genesis of a Zoo chain: validators by session keys, endowed accounts, the council, the
/// organisations granted to their owners, and the sudo key if any (development only).
pub fn genesis(
	validators: Vec<GenesisValidator>,
	endowed_accounts: Vec<(AccountId, Balance)>,
	sudo: Option<AccountId>,
	council: Vec<AccountId>,
	orgs: Vec<(Vec<u8>, AccountId)>,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances: endowed_accounts },
		session: SessionConfig {
			keys: validators
				.iter()
				.map(|(account, aura, grandpa)| {
					(account.clone(), account.clone(), SessionKeys { aura: aura.clone(), grandpa: grandpa.clone() })
				})
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: sudo },
		council: CouncilConfig { members: council },
		model_registry: ModelRegistryConfig {
			reserved_names: RESERVED_ORG_NAMES.iter().map(|name| name.as_bytes().to_vec()).collect::<Vec<_>>(),
			orgs,
		},
	})
}

/// A consortium member at genesis: its organisation, account and session keys.
#[derive(Clone, Debug)]
pub struct ConsortiumMember {
	/// The organisation name granted to it (and reserved).
	pub organisation: Vec<u8>,
	/// Its account: a council member and a validator.
	pub account: AccountId,
	/// Its Aura key (sr25519).
	pub aura: AuraId,
	/// Its GRANDPA key (ed25519).
	pub grandpa: GrandpaId,
}

/// A consortium's genesis: every member validates, sits on the council, owns its organisation
/// and holds `endowment`; no sudo key.
pub fn consortium(members: &[ConsortiumMember], endowment: Balance) -> Value {
	genesis(
		members.iter().map(|m| (m.account.clone(), m.aura.clone(), m.grandpa.clone())).collect(),
		members.iter().map(|m| (m.account.clone(), endowment)).collect(),
		None,
		members.iter().map(|m| m.account.clone()).collect(),
		members.iter().map(|m| (m.organisation.clone(), m.account.clone())).collect(),
	)
}

/// The development council: Alice, Bob and Charlie (a motion passes with two of them).
fn dev_council() -> Vec<AccountId> {
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie].iter().map(|k| k.to_account_id()).collect()
}

/// The well-known development accounts (Alice, Bob, ... and their stashes) get funds.
fn endowed_dev_accounts() -> Vec<(AccountId, Balance)> {
	Sr25519Keyring::iter()
		.filter(|k| k != &Sr25519Keyring::One && k != &Sr25519Keyring::Two)
		.map(|k| (k.to_account_id(), ENDOWMENT))
		.collect()
}

/// A development validator: the keyring account with its own Aura and GRANDPA keys.
fn authority(account: Sr25519Keyring, grandpa: Ed25519Keyring) -> GenesisValidator {
	(account.to_account_id(), account.public().into(), grandpa.public().into())
}

/// The `local_testnet` preset: Alice and Bob validate; no sudo key.
pub fn local_testnet() -> Value {
	genesis(
		vec![
			authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		],
		endowed_dev_accounts(),
		None,
		dev_council(),
		Vec::new(),
	)
}

/// The `development` preset: Alice validates alone and holds the sudo key (development only:
/// tests shorten periods and grant reserved names with it).
pub fn development() -> Value {
	genesis(
		vec![authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		endowed_dev_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		dev_council(),
		Vec::new(),
	)
}

/// `patch` over the runtime's default configuration, as a node applies a preset (objects merged
/// key by key, anything else replaced): the whole configuration, as JSON. For genesis built
/// natively (the runtime's tests, the fuzzer).
#[cfg(feature = "std")]
pub fn with_defaults(patch: Value) -> Value {
	fn merge(base: &mut Value, patch: Value) {
		match (base, patch) {
			(Value::Object(base), Value::Object(patch)) => {
				for (key, value) in patch {
					merge(base.entry(key).or_insert(Value::Null), value);
				}
			}
			(base, patch) => *base = patch,
		}
	}
	let mut config = serde_json::to_value(crate::RuntimeGenesisConfig::default()).expect("the default config is JSON");
	merge(&mut config, patch);
	config
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
