//! The consortium council (`Council`, pallet-collective instance 1): its members, its open
//! motions with their calls decoded and their votes, and a member's proposing, voting and
//! closing. The motions the client proposes ([`MotionCall`]) are curation verdicts, validator
//! changes and runtime upgrades; any other motion is shown by its pallet and call name.
//!
//! A motion needs the threshold its call's origin asks for:
//!
//! - a majority ([`majority`]: `members / 2 + 1` ayes, more than half) for ordinary
//!   administration: verdicts (`Curation::resolve_dispute`) and validator changes
//!   (`ValidatorSet::add_validator`, `remove_validator`);
//! - two thirds ([`two_thirds`]: `ceil(2 * members / 3)` ayes) for what needs Root: a runtime
//!   upgrade is one motion whose call is `Utility::batch_all([Whitelist::whitelist_call(hash),
//!   Whitelist::dispatch_whitelisted_call_with_preimage(System::authorize_upgrade(code_hash))])`,
//!   `hash` being blake2-256 of the encoded `authorize_upgrade` call; once it passed, anyone
//!   supplies the code ([`Chain::apply_authorized_upgrade`]).
//!
//! A motion is proposed with a length bound equal to its call's encoded length, and closed
//! with the weight bound the runtime gives for its call
//! (`TransactionPaymentCallApi::query_call_info`) and its stored length. Calls are encoded with
//! the node's metadata, as the chain will decode them.
//!
//! The records here are the client's own (derive `Serialize`: accounts as SS58, motion hashes
//! as `0x` hex, shares in parts per billion), converted from the generated types.

use super::{
	Chain, ChainError, Submitted,
	curation::DisputeId,
	rpc, runtime, ss58,
	upgrade::{CodeHash, call_hash},
};
use runtime::runtime_types::{
	frame_system::pallet::Call as SystemCall, pallet_curation::pallet::Call as CurationCall,
	pallet_utility::pallet::Call as UtilityCall, pallet_validator_set::pallet::Call as ValidatorSetCall,
	pallet_whitelist::pallet::Call as WhitelistCall, sp_arithmetic::per_things::Perbill, zoo_runtime::RuntimeCall,
};
use serde::Serialize;
use std::fmt;
use subxt::utils::{AccountId32, H256};
use subxt_signer::sr25519::Keypair;

/// A motion's number (pallet-collective's `ProposalIndex`).
pub type MotionIndex = u32;

fn hash_hex<S: serde::Serializer>(hash: &H256, serializer: S) -> Result<S::Ok, S::Error> {
	serializer.serialize_str(&format!("{hash:?}"))
}

fn optional_account<S: serde::Serializer>(account: &Option<AccountId32>, serializer: S) -> Result<S::Ok, S::Error> {
	account.as_ref().map(ss58).serialize(serializer)
}

fn account_ss58<S: serde::Serializer>(account: &AccountId32, serializer: S) -> Result<S::Ok, S::Error> {
	serializer.serialize_str(&ss58(account))
}

/// The ayes a majority motion needs with `members` seats: more than half.
pub fn majority(members: u32) -> u32 {
	members / 2 + 1
}

/// The ayes a two-thirds motion needs with `members` seats: at least two thirds.
pub fn two_thirds(members: u32) -> u32 {
	(2 * members).div_ceil(3)
}

/// A curation verdict: the call `Curation::resolve_dispute` a council motion dispatches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
	/// The dispute.
	pub dispute: DisputeId,
	/// Upheld (the version is yanked and its stake slashed) or rejected (the reporter's bond
	/// is burned).
	pub upheld: bool,
	/// The fraction of the stake slashed, in parts per billion (upheld only).
	pub slash_ppb: u32,
	/// The reporter's share of each realized slash, in parts per billion (upheld only).
	pub reporter_share_ppb: u32,
	/// Where the escrowed royalties go (upheld only; `None`: burned), SS58 in JSON.
	#[serde(serialize_with = "optional_account")]
	pub redirect_to: Option<AccountId32>,
}

impl Verdict {
	fn to_chain(&self) -> RuntimeCall {
		RuntimeCall::Curation(CurationCall::resolve_dispute {
			dispute: self.dispute,
			upheld: self.upheld,
			slash: Perbill(self.slash_ppb),
			reporter_share: Perbill(self.reporter_share_ppb),
			redirect_to: self.redirect_to,
		})
	}
}

/// What a motion would dispatch: a curation verdict, a validator change, a runtime upgrade's
/// authorization, or another call named by its pallet and call. In JSON `{"verdict": {...}}`,
/// `{"add_validator": {"account"}}`, `{"remove_validator": {"account"}}`,
/// `{"authorize_upgrade": {"code_hash"}}` or `{"other": {"pallet", "call"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MotionCall {
	/// `Curation::resolve_dispute`.
	Verdict(Verdict),
	/// `ValidatorSet::add_validator`.
	AddValidator {
		/// The account admitted (SS58 in JSON).
		#[serde(serialize_with = "account_ss58")]
		account: AccountId32,
	},
	/// `ValidatorSet::remove_validator`.
	RemoveValidator {
		/// The account removed (SS58 in JSON).
		#[serde(serialize_with = "account_ss58")]
		account: AccountId32,
	},
	/// `System::authorize_upgrade` as Root, through the whitelist (see the module doc).
	AuthorizeUpgrade {
		/// The hash of the code authorized.
		code_hash: CodeHash,
	},
	/// Any other call.
	Other {
		/// The pallet's name (`Council`).
		pallet: String,
		/// The call's name (`set_members`).
		call: String,
	},
}

impl fmt::Display for MotionCall {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::Verdict(verdict) if verdict.upheld => {
				write!(
					f,
					"uphold dispute {}: slash {}, reporter's share {}",
					verdict.dispute,
					zoo_types::amount::Ppb(verdict.slash_ppb),
					zoo_types::amount::Ppb(verdict.reporter_share_ppb)
				)?;
				match &verdict.redirect_to {
					Some(to) => write!(f, ", escrow to {to}"),
					None => write!(f, ", escrow burned"),
				}
			}
			Self::Verdict(verdict) => write!(f, "reject dispute {}", verdict.dispute),
			Self::AddValidator { account } => write!(f, "add validator {account}"),
			Self::RemoveValidator { account } => write!(f, "remove validator {account}"),
			Self::AuthorizeUpgrade { code_hash } => write!(f, "authorize runtime upgrade {code_hash}"),
			Self::Other { pallet, call } => write!(f, "{pallet}.{call}"),
		}
	}
}

impl MotionCall {
	/// The ayes it needs with `members` seats: two thirds for what needs Root (an upgrade),
	/// a majority for the rest.
	pub fn threshold(&self, members: u32) -> u32 {
		match self {
			Self::AuthorizeUpgrade { .. } => two_thirds(members),
			_ => majority(members),
		}
	}
}

/// `System::authorize_upgrade(code_hash)`.
fn authorize_upgrade(code_hash: CodeHash) -> RuntimeCall {
	RuntimeCall::System(SystemCall::authorize_upgrade { code_hash: H256(code_hash.0) })
}

/// An open council motion: its call, threshold and votes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MotionInfo {
	/// Its number.
	pub index: MotionIndex,
	/// The hash of its call (`0x` hex).
	#[serde(serialize_with = "hash_hex")]
	pub hash: H256,
	/// What it dispatches when it passes.
	pub call: MotionCall,
	/// The encoded length of its call (bytes).
	pub length: u32,
	/// Ayes it needs to pass.
	pub threshold: u32,
	/// Members who voted aye (SS58).
	pub ayes: Vec<String>,
	/// Members who voted nay (SS58).
	pub nays: Vec<String>,
	/// The block its voting ends at (it may be closed earlier once decided).
	pub end: u32,
}

impl MotionInfo {
	/// Whether `who` voted, and how (`Some(true)`: aye).
	pub fn vote_of(&self, who: &AccountId32) -> Option<bool> {
		let who = ss58(who);
		if self.ayes.contains(&who) {
			Some(true)
		} else if self.nays.contains(&who) {
			Some(false)
		} else {
			None
		}
	}

	/// Whether it can be closed now, before its end, with `members` seats: enough ayes to
	/// pass, or too many nays for it ever to pass.
	pub fn decided(&self, members: u32) -> bool {
		let (ayes, nays) = (self.ayes.len() as u32, self.nays.len() as u32);
		ayes >= self.threshold || nays > members.saturating_sub(self.threshold)
	}
}

/// A proposed motion: what the `Proposed` event says.
#[derive(Debug, Clone, Serialize)]
pub struct Proposed {
	/// Its number.
	pub index: MotionIndex,
	/// The hash of its call.
	#[serde(serialize_with = "hash_hex")]
	pub hash: H256,
	/// Ayes it needs.
	pub threshold: u32,
	/// What it dispatches.
	pub call: MotionCall,
	/// Where the transaction landed.
	pub block: Submitted,
}

/// A vote cast: what the `Voted` event says.
#[derive(Debug, Clone, Serialize)]
pub struct VoteCast {
	/// The motion's number.
	pub index: MotionIndex,
	/// The hash of its call.
	#[serde(serialize_with = "hash_hex")]
	pub hash: H256,
	/// The voter (SS58).
	pub account: String,
	/// Aye (`true`) or nay.
	pub aye: bool,
	/// Ayes so far.
	pub ayes: u32,
	/// Nays so far.
	pub nays: u32,
	/// Where the transaction landed.
	pub block: Submitted,
}

/// A closed motion: passed (and its call dispatched) or not.
#[derive(Debug, Clone, Serialize)]
pub struct MotionClosed {
	/// The motion's number.
	pub index: MotionIndex,
	/// The hash of its call.
	#[serde(serialize_with = "hash_hex")]
	pub hash: H256,
	/// Whether it passed.
	pub approved: bool,
	/// Ayes counted.
	pub ayes: u32,
	/// Nays counted (abstentions count as nays once voting has ended).
	pub nays: u32,
	/// When it passed but its call failed, the call's error (`Curation::UnknownDispute: ...`).
	pub call_error: Option<String>,
	/// Where the transaction landed.
	pub block: Submitted,
}

fn missing_event(what: &str) -> ChainError {
	ChainError::Incompatible(format!("the transaction succeeded but emitted no {what} event"))
}

fn event_error(error: impl fmt::Display) -> ChainError {
	ChainError::Rpc(format!("undecodable event: {error}"))
}

impl Chain {
	/// The council's members.
	pub async fn council_members(&self) -> Result<Vec<AccountId32>, ChainError> {
		let at = self.within(self.reads_at()).await?;
		let value = self
			.within(async { at.storage().try_fetch(runtime::storage().council().members(), ()).await.map_err(rpc) })
			.await?;
		match value {
			Some(value) => value.decode().map_err(rpc),
			None => Ok(Vec::new()),
		}
	}

	/// The council's open motions, oldest first.
	pub async fn motions(&self) -> Result<Vec<MotionInfo>, ChainError> {
		let at = self.within(self.reads_at()).await?;
		let hashes = self
			.within(async { at.storage().try_fetch(runtime::storage().council().proposals(), ()).await.map_err(rpc) })
			.await?;
		let hashes = match hashes {
			Some(value) => value.decode().map_err(rpc)?.0,
			None => Vec::new(),
		};
		let mut motions = Vec::with_capacity(hashes.len());
		for hash in hashes {
			if let Some(motion) = self.motion_by_hash(hash).await? {
				motions.push(motion);
			}
		}
		motions.sort_by_key(|motion| motion.index);
		Ok(motions)
	}

	/// An open motion by its number.
	pub async fn motion(&self, index: MotionIndex) -> Result<Option<MotionInfo>, ChainError> {
		Ok(self.motions().await?.into_iter().find(|motion| motion.index == index))
	}

	/// The open motion whose call hashes to `hash`, and its call as generated, with its length.
	async fn motion_call(&self, hash: H256) -> Result<Option<(RuntimeCall, Vec<u8>)>, ChainError> {
		let at = self.within(self.reads_at()).await?;
		let value = self
			.within(async {
				at.storage().try_fetch(runtime::storage().council().proposal_of(), (hash,)).await.map_err(rpc)
			})
			.await?;
		let Some(value) = value else { return Ok(None) };
		let call = value.decode().map_err(rpc)?;
		Ok(Some((call, value.bytes().to_vec())))
	}

	/// The open motion whose call hashes to `hash`.
	pub async fn motion_by_hash(&self, hash: H256) -> Result<Option<MotionInfo>, ChainError> {
		let at = self.within(self.reads_at()).await?;
		let votes = self
			.within(async { at.storage().try_fetch(runtime::storage().council().voting(), (hash,)).await.map_err(rpc) })
			.await?;
		let Some(votes) = votes else { return Ok(None) };
		let votes = votes.decode().map_err(rpc)?;
		let Some((call, bytes)) = self.motion_call(hash).await? else { return Ok(None) };
		Ok(Some(MotionInfo {
			index: votes.index,
			hash,
			call: self.describe_call(call, &bytes).await?,
			length: bytes.len() as u32,
			threshold: votes.threshold,
			ayes: votes.ayes.iter().map(ss58).collect(),
			nays: votes.nays.iter().map(ss58).collect(),
			end: votes.end,
		}))
	}

	/// A call as a [`MotionCall`]: a verdict, a validator change or an upgrade decoded, anything
	/// else named from the metadata by its first two bytes (pallet and call index).
	async fn describe_call(&self, call: RuntimeCall, bytes: &[u8]) -> Result<MotionCall, ChainError> {
		match call {
			RuntimeCall::Curation(CurationCall::resolve_dispute {
				dispute,
				upheld,
				slash,
				reporter_share,
				redirect_to,
			}) => {
				return Ok(MotionCall::Verdict(Verdict {
					dispute,
					upheld,
					slash_ppb: slash.0,
					reporter_share_ppb: reporter_share.0,
					redirect_to,
				}));
			}
			RuntimeCall::ValidatorSet(ValidatorSetCall::add_validator { who }) => {
				return Ok(MotionCall::AddValidator { account: who });
			}
			RuntimeCall::ValidatorSet(ValidatorSetCall::remove_validator { who }) => {
				return Ok(MotionCall::RemoveValidator { account: who });
			}
			RuntimeCall::Utility(UtilityCall::batch_all { calls }) => {
				if let Some(code_hash) = self.upgrade_authorized_by(&calls).await? {
					return Ok(MotionCall::AuthorizeUpgrade { code_hash });
				}
			}
			_ => {}
		}
		let at = self.within(self.reads_at()).await?;
		let metadata = at.metadata_ref();
		let pallet = bytes.first().and_then(|index| metadata.pallet_by_call_index(*index));
		let name = pallet.and_then(|pallet| bytes.get(1).and_then(|index| pallet.call_variant_by_index(*index)));
		Ok(MotionCall::Other {
			pallet: pallet.map_or("?".to_owned(), |pallet| pallet.name().to_owned()),
			call: name.map_or("?".to_owned(), |variant| variant.name.clone()),
		})
	}

	/// The code hash a batch authorizes, if it is the whitelisted upgrade (see the module doc):
	/// whitelisting the hash of `System::authorize_upgrade(code_hash)`, then dispatching that
	/// very call. A batch whitelisting another hash would fail as a whole, so it is not one.
	async fn upgrade_authorized_by(&self, calls: &[RuntimeCall]) -> Result<Option<CodeHash>, ChainError> {
		let [
			RuntimeCall::Whitelist(WhitelistCall::whitelist_call { call_hash: whitelisted }),
			RuntimeCall::Whitelist(WhitelistCall::dispatch_whitelisted_call_with_preimage { call }),
		] = calls
		else {
			return Ok(None);
		};
		let RuntimeCall::System(SystemCall::authorize_upgrade { code_hash }) = call.as_ref() else {
			return Ok(None);
		};
		let code_hash = CodeHash(code_hash.0);
		let encoded = self.encode_call(&authorize_upgrade(code_hash)).await?;
		Ok((call_hash(&encoded) == *whitelisted).then_some(code_hash))
	}

	/// `call` encoded as the node's runtime decodes it (its metadata's `RuntimeCall`).
	async fn encode_call(&self, call: &RuntimeCall) -> Result<Vec<u8>, ChainError> {
		use subxt::ext::scale_encode::EncodeAsType;
		let at = self.within(self.reads_at()).await?;
		let metadata = at.metadata_ref();
		let call_type = metadata.outer_enums().call_enum_ty();
		call.encode_as_type(call_type, metadata.types()).map_err(rpc)
	}

	/// The runtime call a motion the client proposes dispatches (`None` for
	/// [`MotionCall::Other`], which it does not propose).
	async fn motion_runtime_call(&self, call: &MotionCall) -> Result<Option<RuntimeCall>, ChainError> {
		Ok(Some(match call {
			MotionCall::Verdict(verdict) => verdict.to_chain(),
			MotionCall::AddValidator { account } => {
				RuntimeCall::ValidatorSet(ValidatorSetCall::add_validator { who: *account })
			}
			MotionCall::RemoveValidator { account } => {
				RuntimeCall::ValidatorSet(ValidatorSetCall::remove_validator { who: *account })
			}
			MotionCall::AuthorizeUpgrade { code_hash } => {
				let whitelisted = call_hash(&self.encode_call(&authorize_upgrade(*code_hash)).await?);
				RuntimeCall::Utility(UtilityCall::batch_all {
					calls: vec![
						RuntimeCall::Whitelist(WhitelistCall::whitelist_call { call_hash: whitelisted }),
						RuntimeCall::Whitelist(WhitelistCall::dispatch_whitelisted_call_with_preimage {
							call: Box::new(authorize_upgrade(*code_hash)),
						}),
					],
				})
			}
			MotionCall::Other { .. } => return Ok(None),
		}))
	}

	/// Whether this client may propose motions to the chain's runtime now
	/// ([`ChainError::StaleRuntime`] otherwise). A motion carries a `RuntimeCall`, whose type
	/// spans every pallet's calls: any change of any call makes it differ. Checked before the
	/// reads a proposal's checks make, which an older runtime answers in another shape.
	pub async fn check_can_propose(&self) -> Result<(), ChainError> {
		let any_call = authorize_upgrade(CodeHash([0; 32]));
		self.check_signable_now(&runtime::transactions().council().propose(0, any_call, 0)).await
	}

	/// Propose `call` as a council motion with the threshold it needs
	/// ([`MotionCall::threshold`]); the signer must be a member.
	pub async fn propose(&self, signer: &Keypair, call: &MotionCall) -> Result<Proposed, ChainError> {
		let members = self.council_members().await?.len() as u32;
		let threshold = call.threshold(members);
		let runtime_call = self
			.motion_runtime_call(call)
			.await?
			.ok_or_else(|| ChainError::Query(format!("the client does not propose {call}")))?;
		let length = self.encode_call(&runtime_call).await?.len() as u32;
		let tx = runtime::transactions().council().propose(threshold, runtime_call, length);
		let (block, events) = self.submit_with_events(signer, &tx).await?;
		let event = events
			.find_first::<runtime::council::events::Proposed>()
			.ok_or_else(|| missing_event("Proposed"))?
			.map_err(event_error)?;
		Ok(Proposed {
			index: event.proposal_index,
			hash: event.proposal_hash,
			threshold: event.threshold,
			call: call.clone(),
			block,
		})
	}

	/// Propose `verdict` as a council motion passing by majority; the signer must be a member.
	pub async fn propose_verdict(&self, signer: &Keypair, verdict: &Verdict) -> Result<Proposed, ChainError> {
		self.propose(signer, &MotionCall::Verdict(verdict.clone())).await
	}

	/// Propose admitting `who` to the planned validator set, passing by majority; the signer
	/// must be a member (and `who` should have session keys, or the motion's call will fail).
	pub async fn propose_add_validator(&self, signer: &Keypair, who: &AccountId32) -> Result<Proposed, ChainError> {
		self.propose(signer, &MotionCall::AddValidator { account: *who }).await
	}

	/// Propose removing `who` from the planned validator set, passing by majority; the signer
	/// must be a member.
	pub async fn propose_remove_validator(&self, signer: &Keypair, who: &AccountId32) -> Result<Proposed, ChainError> {
		self.propose(signer, &MotionCall::RemoveValidator { account: *who }).await
	}

	/// Propose authorizing the runtime upgrade to the code hashing to `code_hash`, as one
	/// two-thirds motion through the whitelist (see the module doc); the signer must be a
	/// member.
	pub async fn propose_upgrade(&self, signer: &Keypair, code_hash: CodeHash) -> Result<Proposed, ChainError> {
		self.propose(signer, &MotionCall::AuthorizeUpgrade { code_hash }).await
	}

	/// Vote aye (`true`) or nay on motion `index` (whose call hashes to `hash`); the signer must
	/// be a member.
	pub async fn vote(
		&self,
		signer: &Keypair,
		hash: H256,
		index: MotionIndex,
		aye: bool,
	) -> Result<VoteCast, ChainError> {
		let tx = runtime::transactions().council().vote(hash, index, aye);
		let (block, events) = self.submit_with_events(signer, &tx).await?;
		let event = events
			.find_first::<runtime::council::events::Voted>()
			.ok_or_else(|| missing_event("Voted"))?
			.map_err(event_error)?;
		Ok(VoteCast {
			index,
			hash,
			account: ss58(&event.account),
			aye: event.voted,
			ayes: event.yes,
			nays: event.no,
			block,
		})
	}

	/// Close motion `index` (whose call hashes to `hash`; anyone may), with the weight bound
	/// the runtime gives for its call and its stored length as the length bound. When it
	/// passed, its call is dispatched; its error, if it failed, is in
	/// [`MotionClosed::call_error`].
	pub async fn close_motion(
		&self,
		signer: &Keypair,
		hash: H256,
		index: MotionIndex,
	) -> Result<MotionClosed, ChainError> {
		let (call, bytes) =
			self.motion_call(hash).await?.ok_or_else(|| ChainError::Query(format!("motion {index} is not open")))?;
		let length = bytes.len() as u32;
		let at = self.within(self.reads_at()).await?;
		let query = runtime::runtime_apis().transaction_payment_call_api().query_call_info(call, length);
		let info = self.within(async { at.runtime_apis().call(query).await.map_err(rpc) }).await?;
		let tx = runtime::transactions().council().close(hash, index, info.weight, length);
		let (block, events) = self.submit_with_events(signer, &tx).await?;
		let closed = events
			.find_first::<runtime::council::events::Closed>()
			.ok_or_else(|| missing_event("Closed"))?
			.map_err(event_error)?;
		let approved = events.find_first::<runtime::council::events::Approved>().is_some();
		let call_error = match events.find_first::<runtime::council::events::Executed>() {
			Some(executed) => match executed.map_err(event_error)?.result {
				Ok(()) => None,
				Err(error) => {
					let (name, docs) = self.dispatch_error_name(&error).await;
					Some(if docs.is_empty() { name } else { format!("{name}: {docs}") })
				}
			},
			None => None,
		};
		// A call dispatched through the whitelist reports its own result there.
		let call_error =
			match (call_error, events.find_first::<runtime::whitelist::events::WhitelistedCallDispatched>()) {
				(None, Some(dispatched)) => match dispatched.map_err(event_error)?.result {
					Ok(_) => None,
					Err(failed) => {
						let (name, docs) = self.dispatch_error_name(&failed.error).await;
						Some(if docs.is_empty() { name } else { format!("{name}: {docs}") })
					}
				},
				(call_error, _) => call_error,
			};
		Ok(MotionClosed { index, hash, approved, ayes: closed.yes, nays: closed.no, call_error, block })
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn motion(threshold: u32, ayes: usize, nays: usize) -> MotionInfo {
		let account = |n: u8| ss58(&AccountId32([n; 32]));
		MotionInfo {
			index: 0,
			hash: H256([1; 32]),
			call: MotionCall::Other { pallet: "Council".into(), call: "set_members".into() },
			length: 10,
			threshold,
			ayes: (0..ayes as u8).map(account).collect(),
			nays: (100..100 + nays as u8).map(account).collect(),
			end: 100,
		}
	}

	#[test]
	fn a_motion_is_decided_by_enough_ayes_or_too_many_nays() {
		assert!(!motion(2, 1, 0).decided(3));
		assert!(motion(2, 2, 0).decided(3));
		assert!(!motion(2, 1, 1).decided(3));
		assert!(motion(2, 0, 2).decided(3));
		assert_eq!(motion(2, 1, 1).vote_of(&AccountId32([0; 32])), Some(true));
		assert_eq!(motion(2, 1, 1).vote_of(&AccountId32([100; 32])), Some(false));
		assert_eq!(motion(2, 1, 1).vote_of(&AccountId32([9; 32])), None);
	}

	#[test]
	fn motions_serialize_their_call_and_hash() {
		let mut shown = motion(2, 1, 0);
		shown.call = MotionCall::Verdict(Verdict {
			dispute: 3,
			upheld: true,
			slash_ppb: 500_000_000,
			reporter_share_ppb: 100_000_000,
			redirect_to: None,
		});
		let value = serde_json::to_value(&shown).unwrap();
		assert_eq!(value["hash"], format!("0x{}", "01".repeat(32)));
		assert_eq!(
			value["call"],
			serde_json::json!({"verdict": {"dispute": 3, "upheld": true, "slash_ppb": 500_000_000,
				"reporter_share_ppb": 100_000_000, "redirect_to": null}})
		);
		assert_eq!(shown.call.to_string(), "uphold dispute 3: slash 50%, reporter's share 10%, escrow burned");
	}

	#[test]
	fn validator_and_upgrade_motions_are_shown_decoded() {
		let account = AccountId32([5; 32]);
		let add = MotionCall::AddValidator { account };
		assert_eq!(add.to_string(), format!("add validator {}", ss58(&account)));
		assert_eq!(
			serde_json::to_value(&add).unwrap(),
			serde_json::json!({"add_validator": {"account": ss58(&account)}})
		);
		let remove = MotionCall::RemoveValidator { account };
		assert_eq!(remove.to_string(), format!("remove validator {}", ss58(&account)));
		let upgrade = MotionCall::AuthorizeUpgrade { code_hash: CodeHash([0xab; 32]) };
		assert_eq!(upgrade.to_string(), format!("authorize runtime upgrade 0x{}", "ab".repeat(32)));
		assert_eq!(
			serde_json::to_value(&upgrade).unwrap(),
			serde_json::json!({"authorize_upgrade": {"code_hash": format!("0x{}", "ab".repeat(32))}})
		);
		// Majorities and two thirds, as the runtime's origins count them.
		for (members, majority_ayes, two_thirds_ayes) in
			[(2, 2, 2), (3, 2, 2), (4, 3, 3), (5, 3, 4), (6, 4, 4), (32, 17, 22)]
		{
			assert_eq!((majority(members), two_thirds(members)), (majority_ayes, two_thirds_ayes), "{members}");
			assert!(2 * majority(members) > members && 3 * two_thirds(members) >= 2 * members);
			assert!(3 * (two_thirds(members) - 1) < 2 * members, "{members}: two thirds is the least");
		}
		assert_eq!(add.threshold(5), 3);
		assert_eq!(upgrade.threshold(5), 4);
	}
}
