//! Who validates the chain: the active set (`Session::Validators`), the set the council has
//! planned (`ValidatorSet::Validators`) and whether the next session change takes it, the
//! session index, the bounds of the set; and a validator's session keys, generated on its
//! node (`author_rotateKeysWithOwner`) and registered with `Session::set_keys`.
//!
//! The council changes the planned set by majority motions ([`Chain::propose_add_validator`],
//! [`Chain::propose_remove_validator`] in [`crate::council`]); a change is active one to two
//! sessions after its motion passed. An account is admitted only with session keys.

use super::{
	Chain, ChainError, ConnectOptions, MAX_ANSWER_BYTES, Submitted, TRANSPORT_SLACK, check_node_url, redact_url, rpc,
	runtime, ss58,
};
use jsonrpsee_core::{client::ClientT, rpc_params};
use jsonrpsee_ws_client::WsClientBuilder;
use serde::Serialize;
use subxt::utils::AccountId32;
use subxt_signer::sr25519::Keypair;

fn accounts_ss58<S: serde::Serializer>(accounts: &[AccountId32], serializer: S) -> Result<S::Ok, S::Error> {
	serializer.collect_seq(accounts.iter().map(ss58))
}

fn bytes_hex<S: serde::Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
	serializer.serialize_str(&format!("0x{}", hex::encode(bytes)))
}

/// The validator set: who authors and finalizes now, who will, and the bounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidatorSetInfo {
	/// The validators of the current session (`Session::Validators`), SS58 in JSON.
	#[serde(serialize_with = "accounts_ss58")]
	pub active: Vec<AccountId32>,
	/// The set the council decided on (`ValidatorSet::Validators`), in the order they were
	/// admitted; the active set follows it at session changes. SS58 in JSON.
	#[serde(serialize_with = "accounts_ss58")]
	pub planned: Vec<AccountId32>,
	/// The planned set changed since the last session change took it (`ValidatorSet::
	/// PlanPending`): the next session change queues it, and it is active one session later.
	pub pending_change: bool,
	/// The current session's index.
	pub session: u32,
	/// The planned set never has fewer validators.
	pub min_validators: u32,
	/// The planned set never has more validators.
	pub max_validators: u32,
}

/// Session keys as a node generates them for an owner: the SCALE-encoded keys `Session::
/// set_keys` takes, and the proof that the owner's node holds their secrets (each key's
/// proof of possession over the owner's SCALE-encoded account, as a SCALE tuple).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionKeys {
	/// The keys, SCALE-encoded (`0x` hex in JSON): the Aura (sr25519) key, then the GRANDPA
	/// (ed25519) key.
	#[serde(serialize_with = "bytes_hex")]
	pub keys: Vec<u8>,
	/// The proof of possession (`0x` hex in JSON).
	#[serde(serialize_with = "bytes_hex")]
	pub proof: Vec<u8>,
}

impl SessionKeys {
	/// The Aura key (the first 32 bytes of [`SessionKeys::keys`]), if the keys are Zoo's.
	pub fn aura(&self) -> Option<[u8; 32]> {
		self.keys.get(..32)?.try_into().ok()
	}

	/// The GRANDPA key (the next 32 bytes), if the keys are Zoo's.
	pub fn grandpa(&self) -> Option<[u8; 32]> {
		self.keys.get(32..64)?.try_into().ok()
	}
}

/// Session keys registered: what `zoo validators set-keys` answers.
#[derive(Debug, Clone, Serialize)]
pub struct SessionKeysSet {
	/// The account that registered them (SS58).
	pub account: String,
	/// The node that generated them and holds their secrets (without userinfo).
	pub node: String,
	/// The keys (`0x` hex, SCALE-encoded).
	#[serde(serialize_with = "bytes_hex")]
	pub keys: Vec<u8>,
	/// The Aura (block authoring, sr25519) public key (`0x` hex).
	pub aura: String,
	/// The GRANDPA (finality, ed25519) public key (`0x` hex).
	pub grandpa: String,
	/// Where the transaction landed.
	pub block: Submitted,
}

/// Have the node at `url` generate new session keys for `owner` and prove their possession
/// (`author_rotateKeysWithOwner`, whose `owner` is the account's SCALE encoding). The secrets
/// stay in that node's keystore: it is the node that will validate with them. The method is
/// unsafe: a node answers it only over a connection from its own machine (or when started with
/// `--rpc-methods unsafe`).
pub async fn rotate_session_keys(
	url: &str,
	options: ConnectOptions,
	owner: &AccountId32,
) -> Result<SessionKeys, ChainError> {
	#[derive(serde::Deserialize)]
	struct Generated {
		keys: String,
		proof: Option<String>,
	}
	check_node_url(url, options.insecure)?;
	let shown = redact_url(url);
	let timeout = options.timeout;
	let request = async {
		let client = WsClientBuilder::default()
			.connection_timeout(timeout + TRANSPORT_SLACK)
			.request_timeout(timeout + TRANSPORT_SLACK)
			.max_response_size(MAX_ANSWER_BYTES)
			.build(url)
			.await
			.map_err(|error| ChainError::Connect { url: shown.clone(), reason: error.to_string() })?;
		let owner = format!("0x{}", hex::encode(owner.0));
		client.request::<Generated, _>("author_rotateKeysWithOwner", rpc_params![owner]).await.map_err(|error| {
			let reason = error.to_string();
			if reason.contains("unsafe") || reason.contains("Method not found") {
				ChainError::Query(format!(
					"node at {shown} refused author_rotateKeysWithOwner ({reason}): it generates keys only for a \
					 connection from its own machine (or with --rpc-methods unsafe); run this on the validator's \
					 machine, or through an SSH tunnel to it"
				))
			} else {
				ChainError::Rpc(format!("author_rotateKeysWithOwner at {shown}: {reason}"))
			}
		})
	};
	let generated = tokio::time::timeout(timeout, request)
		.await
		.map_err(|_| ChainError::Timeout { url: shown.clone(), seconds: timeout.as_secs() })??;
	let unhex = |text: &str| hex::decode(text.trim_start_matches("0x"));
	let keys = unhex(&generated.keys).map_err(|_| rpc(format!("node at {shown} answered keys that are not hex")))?;
	let proof = generated.proof.as_deref().ok_or_else(|| {
		ChainError::Incompatible(format!("node at {shown} generated keys without a proof of possession"))
	})?;
	let proof = unhex(proof).map_err(|_| rpc(format!("node at {shown} answered a proof that is not hex")))?;
	Ok(SessionKeys { keys, proof })
}

impl Chain {
	/// The validator set: active, planned, whether a change is pending, the session, the bounds.
	pub async fn validator_set(&self) -> Result<ValidatorSetInfo, ChainError> {
		let at = self.within(self.reads_at()).await?;
		let active = self
			.within(async { at.storage().try_fetch(runtime::storage().session().validators(), ()).await.map_err(rpc) })
			.await?;
		let active = match active {
			Some(value) => value.decode().map_err(rpc)?,
			None => Vec::new(),
		};
		let planned = self
			.within(async {
				at.storage().try_fetch(runtime::storage().validator_set().validators(), ()).await.map_err(rpc)
			})
			.await?;
		let planned = match planned {
			Some(value) => value.decode().map_err(rpc)?.0,
			None => Vec::new(),
		};
		let pending = self
			.within(async {
				at.storage().try_fetch(runtime::storage().validator_set().plan_pending(), ()).await.map_err(rpc)
			})
			.await?;
		let pending_change = match pending {
			Some(value) => value.decode().map_err(rpc)?,
			None => false,
		};
		let session = self
			.within(async {
				at.storage().try_fetch(runtime::storage().session().current_index(), ()).await.map_err(rpc)
			})
			.await?;
		let session = match session {
			Some(value) => value.decode().map_err(rpc)?,
			None => 0,
		};
		let constants = at.constants();
		let incompatible = |error: subxt::error::ConstantError| ChainError::Incompatible(error.to_string());
		let min_validators =
			constants.entry(runtime::constants().validator_set().min_validators()).map_err(incompatible)?;
		let max_validators =
			constants.entry(runtime::constants().validator_set().max_validators()).map_err(incompatible)?;
		Ok(ValidatorSetInfo { active, planned, pending_change, session, min_validators, max_validators })
	}

	/// Whether `who` has registered session keys (`Session::NextKeys`): only then may it be
	/// admitted as a validator.
	pub async fn has_session_keys(&self, who: &AccountId32) -> Result<bool, ChainError> {
		let at = self.within(self.reads_at()).await?;
		let keys = self
			.within(async {
				at.storage().try_fetch(runtime::storage().session().next_keys(), (*who,)).await.map_err(rpc)
			})
			.await?;
		Ok(keys.is_some())
	}

	/// Register `keys` as the signer's session keys (`Session::set_keys`), holding the key
	/// deposit. The keys must decode as the runtime's session keys.
	pub async fn set_session_keys(&self, signer: &Keypair, keys: &SessionKeys) -> Result<Submitted, ChainError> {
		let session_keys = self.decode_session_keys(&keys.keys).await?;
		let tx = runtime::transactions().session().set_keys(session_keys, keys.proof.clone());
		self.submit(signer, &tx).await
	}

	/// `bytes` as the runtime's session keys (the type `Session::set_keys` takes), all of them.
	async fn decode_session_keys(
		&self,
		bytes: &[u8],
	) -> Result<runtime::runtime_types::zoo_runtime::opaque::SessionKeys, ChainError> {
		use subxt::ext::scale_decode::DecodeAsType;
		let at = self.within(self.reads_at()).await?;
		let metadata = at.metadata_ref();
		let keys_type = metadata
			.pallet_by_name("Session")
			.and_then(|pallet| pallet.call_variant_by_name("set_keys"))
			.and_then(|call| call.fields.iter().find(|field| field.name.as_deref() == Some("keys")))
			.map(|field| field.ty.id)
			.ok_or_else(|| ChainError::Incompatible("the runtime has no Session::set_keys".to_owned()))?;
		let mut input = bytes;
		let keys = runtime::runtime_types::zoo_runtime::opaque::SessionKeys::decode_as_type(
			&mut input,
			keys_type,
			metadata.types(),
		)
		.map_err(|error| ChainError::Query(format!("the node generated keys this runtime cannot read: {error}")))?;
		if !input.is_empty() {
			return Err(ChainError::Query(format!(
				"the node generated {} bytes of keys, {} more than this runtime's session keys",
				bytes.len(),
				input.len()
			)));
		}
		Ok(keys)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn validator_sets_serialize_accounts_as_ss58() {
		let info = ValidatorSetInfo {
			active: vec![AccountId32([1; 32])],
			planned: vec![AccountId32([1; 32]), AccountId32([2; 32])],
			pending_change: true,
			session: 3,
			min_validators: 2,
			max_validators: 32,
		};
		let value = serde_json::to_value(&info).unwrap();
		assert_eq!(value["planned"][1], ss58(&AccountId32([2; 32])));
		assert_eq!(value["active"].as_array().unwrap().len(), 1);
		assert_eq!(value["pending_change"], true);
		let keys = SessionKeys { keys: [[7u8; 32], [9u8; 32]].concat(), proof: vec![1, 2] };
		assert_eq!(keys.aura(), Some([7; 32]));
		assert_eq!(keys.grandpa(), Some([9; 32]));
		assert_eq!(serde_json::to_value(&keys).unwrap()["proof"], "0x0102");
	}
}
