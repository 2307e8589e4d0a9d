//! The licensing pallet: licence terms, priced offers and grants, contributor splits, royalty
//! tables and vaults, metered usage channels with signed vouchers, and the derivative rules a
//! commit is judged by; reads through its view functions, the rest as transactions.
//!
//! The records here are the client's own (derive `Serialize`: amounts as decimal strings,
//! version IDs as CID text, accounts as SS58), converted from the generated types.

use super::{Chain, ChainError, Submitted, bounded, runtime, ss58};
use codec::Encode;
use runtime::runtime_types::{
	bounded_collections::bounded_vec::BoundedVec, pallet_licensing::types as chain_types, sp_runtime::MultiSignature,
};
use serde::Serialize;
use subxt::utils::{AccountId32, Static};
use subxt_signer::sr25519::Keypair;
use zoo_primitives::{EdgeKind, License, Manifest, VersionId};
use zoo_types::{args::KindSet, output::json};

/// Registered terms' ID (what a manifest's `License::Terms(id)` names).
pub type TermsId = u64;
/// A usage channel's ID.
pub type ChannelId = u64;
/// An offer's number among its version's offers.
pub type OfferId = u32;

/// Domain tag of a usage voucher's signed payload.
pub const VOUCHER_DOMAIN: &[u8; 9] = b"zoo/usage";

/// Licence terms a runtime can enforce (see the licensing pallet's `Terms`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Terms {
	/// Whether holders of a use grant may use the version commercially.
	pub commercial_use: bool,
	/// The edge kinds a version of another model may derive by.
	pub derivatives_allowed: KindSet,
	/// The allowed kinds that need a paid derivative grant.
	pub derivatives_paid: KindSet,
	/// Derivatives must carry these same terms.
	pub share_alike: bool,
	/// Derivatives need the licensor's approval of the committer.
	pub approval_required: bool,
	/// Derivatives must carry attribution (a top-level `NOTICE` or an `attribution` tag).
	pub attribution_required: bool,
	/// Derivatives' model names (after `org/`) must start with this.
	pub name_prefix: Option<String>,
	/// Use restrictions (bit indices) derivatives must carry too.
	#[serde(serialize_with = "restriction_bits")]
	pub restrictions: u64,
	/// Per edge kind (in [`EdgeKind`] order), the share of a derivative's revenue owed upstream,
	/// in parts per billion. In JSON: `upstream_share_ppb`, kinds with a share only.
	#[serde(rename = "upstream_share_ppb", serialize_with = "shares_by_kind")]
	pub upstream_share: [u32; 7],
	/// How long a purchased grant lasts, in blocks (`None`: forever).
	pub grant_duration: Option<u32>,
	/// sha2-256 of the full legal text.
	#[serde(serialize_with = "hex32")]
	pub legal_hash: [u8; 32],
	/// Where the full legal text is.
	pub legal_uri: String,
}

fn restriction_bits<S: serde::Serializer>(bits: &u64, serializer: S) -> Result<S::Ok, S::Error> {
	serializer.collect_seq((0..64u8).filter(|bit| bits & (1 << bit) != 0))
}

fn shares_by_kind<S: serde::Serializer>(shares: &[u32; 7], serializer: S) -> Result<S::Ok, S::Error> {
	serializer.collect_map(
		EdgeKind::ALL.iter().zip(shares).filter(|(_, share)| **share > 0).map(|(kind, share)| (kind.as_str(), share)),
	)
}

fn hex32<S: serde::Serializer>(bytes: &[u8; 32], serializer: S) -> Result<S::Ok, S::Error> {
	serializer.serialize_str(&hex::encode(bytes))
}

fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

impl Terms {
	fn to_chain(&self) -> chain_types::Terms<u32> {
		chain_types::Terms {
			commercial_use: self.commercial_use,
			derivatives_allowed: chain_types::EdgeKindSet(self.derivatives_allowed.0),
			derivatives_paid: chain_types::EdgeKindSet(self.derivatives_paid.0),
			share_alike: self.share_alike,
			approval_required: self.approval_required,
			attribution_required: self.attribution_required,
			name_prefix: self.name_prefix.as_deref().map(|prefix| bounded(prefix.as_bytes())),
			restrictions: chain_types::RestrictionSet(self.restrictions),
			upstream_share: self.upstream_share,
			grant_duration: self.grant_duration,
			legal_hash: self.legal_hash,
			legal_uri: bounded(self.legal_uri.as_bytes()),
		}
	}

	fn from_chain(terms: chain_types::Terms<u32>) -> Terms {
		Terms {
			commercial_use: terms.commercial_use,
			derivatives_allowed: KindSet(terms.derivatives_allowed.0),
			derivatives_paid: KindSet(terms.derivatives_paid.0),
			share_alike: terms.share_alike,
			approval_required: terms.approval_required,
			attribution_required: terms.attribution_required,
			name_prefix: terms.name_prefix.map(|prefix| text(&prefix.0)),
			restrictions: terms.restrictions.0,
			upstream_share: terms.upstream_share,
			grant_duration: terms.grant_duration,
			legal_hash: terms.legal_hash,
			legal_uri: text(&terms.legal_uri.0),
		}
	}

	/// The upstream share a derivative by `kind` owes, in parts per billion.
	pub fn upstream_share_for(&self, kind: EdgeKind) -> u32 {
		self.upstream_share[kind as usize]
	}
}

/// What an offer sells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OfferKind {
	/// A use grant: commercial use until it expires.
	Use,
	/// A derivative grant: one derivative commit.
	Derivative,
	/// Metered use through a prepaid usage channel, priced per unit.
	Usage,
}

impl OfferKind {
	/// Lower-case name.
	pub fn as_str(self) -> &'static str {
		match self {
			Self::Use => "use",
			Self::Derivative => "derivative",
			Self::Usage => "usage",
		}
	}

	/// The kind of grant a purchase through such an offer gives (`None` for usage, which is
	/// metered through a channel, not bought).
	pub fn grant_kind(self) -> Option<GrantKind> {
		match self {
			Self::Use => Some(GrantKind::Use),
			Self::Derivative => Some(GrantKind::Derivative),
			Self::Usage => None,
		}
	}

	fn to_chain(self) -> chain_types::OfferKind {
		match self {
			Self::Use => chain_types::OfferKind::Use,
			Self::Derivative => chain_types::OfferKind::Derivative,
			Self::Usage => chain_types::OfferKind::Usage,
		}
	}

	fn from_chain(kind: chain_types::OfferKind) -> Self {
		match kind {
			chain_types::OfferKind::Use => Self::Use,
			chain_types::OfferKind::Derivative => Self::Derivative,
			chain_types::OfferKind::Usage => Self::Usage,
		}
	}
}

/// What a grant allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GrantKind {
	/// Commercial use.
	Use,
	/// Derivative commits.
	Derivative,
}

impl GrantKind {
	/// Lower-case name.
	pub fn as_str(self) -> &'static str {
		match self {
			Self::Use => "use",
			Self::Derivative => "derivative",
		}
	}

	fn to_chain(self) -> chain_types::GrantKind {
		match self {
			Self::Use => chain_types::GrantKind::Use,
			Self::Derivative => chain_types::GrantKind::Derivative,
		}
	}

	fn from_chain(kind: chain_types::GrantKind) -> Self {
		match kind {
			chain_types::GrantKind::Use => Self::Use,
			chain_types::GrantKind::Derivative => Self::Derivative,
		}
	}
}

/// A priced offer on a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfferInfo {
	/// Its number among the version's offers.
	pub offer: OfferId,
	/// What it sells.
	pub kind: OfferKind,
	/// The price of one grant, or of one unit of usage (planck).
	#[serde(serialize_with = "json::amount")]
	pub price: u128,
}

/// A grant an account holds on a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantInfo {
	/// What it allows.
	pub kind: GrantKind,
	/// The block from which it no longer holds (`None`: never expires).
	pub expires_at: Option<u32>,
	/// Derivative commits left (0 for use grants).
	pub credits: u32,
	/// The deposit held from the holder.
	#[serde(serialize_with = "json::amount")]
	pub deposit: u128,
}

/// One contributor of a split: an account and its share in basis points (10,000 = 100 %).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountShare {
	/// The account (SS58).
	pub account: String,
	/// Its share, in basis points.
	pub bps: u16,
}

/// One entry of a royalty table: a share of every payment to the version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoyaltyShare {
	/// The version credited (the version itself, or an ancestor).
	#[serde(serialize_with = "json::cid")]
	pub version: VersionId,
	/// Its share, in parts per billion.
	pub ppb: u32,
	/// Cross-model hops from the version to this ancestor.
	pub hops: u8,
}

impl RoyaltyShare {
	fn from_chain(entry: chain_types::RoyaltyEntry) -> Self {
		RoyaltyShare { version: entry.version.0, ppb: entry.share, hops: entry.hops }
	}
}

/// A bought grant: what the `Purchased` event says.
#[derive(Debug, Clone, Serialize)]
pub struct Purchase {
	/// The version.
	#[serde(serialize_with = "json::cid")]
	pub version: VersionId,
	/// The offer bought through.
	pub offer: OfferId,
	/// What the grant allows.
	pub kind: GrantKind,
	/// The price paid (planck).
	#[serde(serialize_with = "json::amount")]
	pub price: u128,
	/// The part of the price that went to the protocol (planck).
	#[serde(serialize_with = "json::amount")]
	pub protocol_fee: u128,
	/// The grant's expiry after the purchase (`None`: never).
	pub expires_at: Option<u32>,
	/// Where the transaction landed.
	pub block: Submitted,
}

/// A claim from a version's vault.
#[derive(Debug, Clone, Serialize)]
pub struct Claim {
	/// The version.
	#[serde(serialize_with = "json::cid")]
	pub version: VersionId,
	/// What was paid to the claimant (0: nothing was owed).
	#[serde(serialize_with = "json::amount")]
	pub amount: u128,
	/// Where the transaction landed.
	pub block: Submitted,
}

/// An opened usage channel.
#[derive(Debug, Clone, Serialize)]
pub struct ChannelOpened {
	/// Its ID.
	pub channel: ChannelId,
	/// The version used.
	#[serde(serialize_with = "json::cid")]
	pub version: VersionId,
	/// The prepaid deposit held from the payer (planck).
	#[serde(serialize_with = "json::amount")]
	pub deposit: u128,
	/// The block from which it no longer settles.
	pub expires_at: u32,
	/// Where the transaction landed.
	pub block: Submitted,
}

/// A settled usage voucher.
#[derive(Debug, Clone, Serialize)]
pub struct Settlement {
	/// The channel.
	pub channel: ChannelId,
	/// Units paid for by this settlement (beyond those settled before).
	pub units: u64,
	/// What they cost (planck), protocol fee included.
	#[serde(serialize_with = "json::amount")]
	pub amount: u128,
	/// The part of it that went to the protocol (planck).
	#[serde(serialize_with = "json::amount")]
	pub protocol_fee: u128,
	/// Where the transaction landed.
	pub block: Submitted,
}

/// A refunded (closed) usage channel.
#[derive(Debug, Clone, Serialize)]
pub struct Refund {
	/// The channel.
	pub channel: ChannelId,
	/// What went back to the payer, besides the channel's record deposit (planck).
	#[serde(serialize_with = "json::amount")]
	pub refunded: u128,
	/// Where the transaction landed.
	pub block: Submitted,
}

/// A usage channel as stored.
#[derive(Debug, Clone, Serialize)]
pub struct ChannelInfo {
	/// Its ID.
	pub channel: ChannelId,
	/// Who prepaid, and signs vouchers (SS58).
	pub payer: String,
	/// Who serves, and settles vouchers (SS58).
	pub provider: String,
	/// The version used.
	#[serde(serialize_with = "json::cid")]
	pub version: VersionId,
	/// Price per unit (planck).
	#[serde(serialize_with = "json::amount")]
	pub unit_price: u128,
	/// What the channel can still pay (planck).
	#[serde(serialize_with = "json::amount")]
	pub deposit: u128,
	/// Units settled so far.
	pub settled_units: u64,
	/// The latest settled voucher's nonce.
	pub nonce: u64,
	/// The block from which nothing settles and the payer may take the rest back.
	pub expires_at: u32,
	/// The fixed deposit held for the record (planck).
	#[serde(serialize_with = "json::amount")]
	pub record_deposit: u128,
}

/// What a version owes because of its upstream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Obligations {
	/// It must be non-commercial.
	pub non_commercial: bool,
	/// It must carry this licence (share-alike upstream).
	pub share_alike: Option<String>,
	/// Use restrictions (bit indices) its terms must carry.
	#[serde(serialize_with = "restriction_bits")]
	pub restrictions: u64,
	/// Attribution must be present.
	pub attribution: bool,
	/// Its model name (after `org/`) must start with this.
	pub name_prefix: Option<String>,
}

/// A version's licence record: its model, licence, and what it owes upstream.
#[derive(Debug, Clone, Serialize)]
pub struct VersionLicenseInfo {
	/// The version's model.
	pub model: String,
	/// Its licence: `unspecified`, an SPDX expression or `terms:ID`.
	#[serde(serialize_with = "license")]
	pub license: License,
	/// What it inherited.
	pub obligations: Obligations,
}

fn license<S: serde::Serializer>(license: &License, serializer: S) -> Result<S::Ok, S::Error> {
	serializer.serialize_str(&zoo_types::output::license_text(license))
}

/// Why the licence rules refuse a commit: the pallet's reason and a one-line explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
	/// The reason's name, as the pallet calls it (`DerivativeGrantRequired`).
	pub reason: String,
	/// What it means and what to do about it.
	pub explanation: &'static str,
}

impl Refusal {
	/// The refusal named `reason`.
	pub fn named(reason: &str) -> Refusal {
		Refusal { reason: reason.to_owned(), explanation: explain(reason) }
	}

	fn from_chain(refusal: chain_types::Refusal) -> Refusal {
		// The generated variants are named as in the runtime.
		Refusal::named(&format!("{refusal:?}"))
	}
}

impl std::fmt::Display for Refusal {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "{} ({})", self.reason, self.explanation)
	}
}

/// One line on what a refusal means.
fn explain(reason: &str) -> &'static str {
	match reason {
		"UnknownTerms" => "the manifest names terms that are not registered",
		"UnknownParentLicense" => "a parent has no licence record on chain",
		"UpstreamYanked" => "a parent of another model is yanked",
		"UpstreamUnlicensed" => {
			"a parent of another model has no licence the chain understands; only its admins may derive from it"
		}
		"DerivativeKindNotAllowed" => "a parent's licence does not allow deriving by this edge kind",
		"DerivativeGrantRequired" => "a parent's terms need a paid derivative grant: buy one with `zoo license buy`",
		"ShareAlikeRequired" => "a parent is share-alike: the new version must carry the same licence",
		"UseRestrictionsDropped" => "the new version's terms drop a use restriction a parent carries",
		"NamePrefixRequired" => "a parent's terms require the model's name to start with their prefix",
		"AttributionRequired" => {
			"a parent's terms require attribution: a top-level NOTICE file or an `attribution` tag"
		}
		"NonCommercialUpstream" => {
			"a parent is non-commercial: the new version's licence must not allow commercial use"
		}
		"ApprovalRequired" => "a parent's licensor must approve you first (`zoo license approve`)",
		"IncompatibleParents" => "the parents of other models disagree on commercial use or on a share-alike licence",
		"UpstreamShareTooHigh" => "the version would owe more than the chain's maximum upstream share",
		_ => "a licence rule this client does not know",
	}
}

/// Free and reserved (held) balance of an account, in planck.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AccountBalance {
	/// Free balance.
	#[serde(serialize_with = "json::amount")]
	pub free: u128,
	/// Reserved balance, holds included (deposits, prepaid usage).
	#[serde(serialize_with = "json::amount")]
	pub reserved: u128,
}

impl AccountBalance {
	/// Free plus reserved.
	pub fn total(&self) -> u128 {
		self.free + self.reserved
	}
}

/// A signed usage voucher: the payer lets the provider settle `cumulative_units` units of a
/// channel. Signed offline ([`Voucher::sign`]); the chain checks it in `settle`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Voucher {
	/// The channel.
	pub channel: ChannelId,
	/// Above the last settled voucher's.
	pub nonce: u64,
	/// Units used since the channel opened.
	pub cumulative_units: u64,
	/// The chain's genesis hash it is bound to.
	#[serde(serialize_with = "hex32")]
	pub genesis: [u8; 32],
	/// The payer who signed (SS58).
	pub payer: String,
	/// The sr25519 signature over [`voucher_payload`], hex.
	#[serde(serialize_with = "hex64")]
	pub signature: [u8; 64],
}

fn hex64<S: serde::Serializer>(bytes: &[u8; 64], serializer: S) -> Result<S::Ok, S::Error> {
	serializer.serialize_str(&hex::encode(bytes))
}

/// What a payer signs for a voucher: the SCALE encoding of `("zoo/usage", genesis, channel,
/// nonce, cumulative_units)` (the domain as 9 raw bytes, no length prefix).
pub fn voucher_payload(genesis: [u8; 32], channel: ChannelId, nonce: u64, cumulative_units: u64) -> Vec<u8> {
	(*VOUCHER_DOMAIN, genesis, channel, nonce, cumulative_units).encode()
}

impl Voucher {
	/// Sign a voucher with the payer's key, offline.
	pub fn sign(payer: &Keypair, genesis: [u8; 32], channel: ChannelId, nonce: u64, cumulative_units: u64) -> Voucher {
		let signature = payer.sign(&voucher_payload(genesis, channel, nonce, cumulative_units)).0;
		Voucher {
			channel,
			nonce,
			cumulative_units,
			genesis,
			payer: ss58(&payer.public_key().to_account_id()),
			signature,
		}
	}
}

fn missing_event(what: &str) -> ChainError {
	ChainError::Incompatible(format!("the transaction succeeded but emitted no {what} event"))
}

fn event_error(error: impl std::fmt::Display) -> ChainError {
	ChainError::Rpc(format!("undecodable event: {error}"))
}

impl Chain {
	// --- Terms ---------------------------------------------------------------------------------

	/// Register `terms`; returns where it landed and the new terms' ID. Terms already
	/// registered are refused (`Licensing::TermsExist`): ask [`Chain::terms_id`] first.
	pub async fn register_terms(&self, signer: &Keypair, terms: &Terms) -> Result<(Submitted, TermsId), ChainError> {
		let call = runtime::transactions().licensing().register_terms(terms.to_chain());
		let (submitted, events) = self.submit_with_events(signer, &call).await?;
		let event = events
			.find_first::<runtime::licensing::events::TermsRegistered>()
			.ok_or_else(|| missing_event("TermsRegistered"))?
			.map_err(event_error)?;
		Ok((submitted, event.id))
	}

	/// Registered terms by ID.
	pub async fn terms(&self, id: TermsId) -> Result<Option<Terms>, ChainError> {
		let call = runtime::view_functions().licensing().terms(id);
		Ok(self.view(call).await?.map(Terms::from_chain))
	}

	/// The ID of registered terms equal to `terms`, if any.
	pub async fn terms_id(&self, terms: &Terms) -> Result<Option<TermsId>, ChainError> {
		self.view(runtime::view_functions().licensing().terms_id(terms.to_chain())).await
	}

	// --- Splits --------------------------------------------------------------------------------

	/// Set `model`'s contributor split (admins): accounts and basis points summing to 10,000;
	/// the first receives rounding remainders.
	pub async fn set_split(
		&self,
		signer: &Keypair,
		model: &str,
		split: &[(AccountId32, u16)],
	) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().licensing().set_split(bounded(model.as_bytes()), BoundedVec(split.to_vec()));
		self.submit(signer, &call).await
	}

	/// A model's current contributor split (`None`: none set; versions then pay the owner).
	pub async fn split(&self, model: &str) -> Result<Option<Vec<AccountShare>>, ChainError> {
		let call = runtime::view_functions().licensing().split(bounded(model.as_bytes()));
		Ok(self.view(call).await?.map(|split| shares(split.0)))
	}

	/// A version's contributor split, as its model's was when it was committed.
	pub async fn version_split(&self, version: VersionId) -> Result<Option<Vec<AccountShare>>, ChainError> {
		let call = runtime::view_functions().licensing().version_split(Static(version));
		Ok(self.view(call).await?.map(|split| shares(split.0)))
	}

	// --- Offers and grants ----------------------------------------------------------------------

	/// Put a priced offer on `version`, or change it (admins of its model).
	pub async fn set_offer(
		&self,
		signer: &Keypair,
		version: VersionId,
		offer: OfferId,
		kind: OfferKind,
		price: u128,
	) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().licensing().set_offer(Static(version), offer, kind.to_chain(), price);
		self.submit(signer, &call).await
	}

	/// Remove an offer (admins); grants already bought stay.
	pub async fn remove_offer(
		&self,
		signer: &Keypair,
		version: VersionId,
		offer: OfferId,
	) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().licensing().remove_offer(Static(version), offer);
		self.submit(signer, &call).await
	}

	/// A version's offers, by offer number.
	pub async fn offers(&self, version: VersionId) -> Result<Vec<OfferInfo>, ChainError> {
		let offers = self.view(runtime::view_functions().licensing().offers(Static(version))).await?;
		Ok(offers
			.into_iter()
			.map(|(offer, kind, price)| OfferInfo { offer, kind: OfferKind::from_chain(kind), price })
			.collect())
	}

	/// Buy a `kind` grant through `offer`; never pays more than `max_price` and never buys
	/// another kind (the chain refuses `Licensing::PriceAboveMaximum` and
	/// `Licensing::OfferKindMismatch`, so an offer changed after it was read sells nothing).
	pub async fn purchase(
		&self,
		signer: &Keypair,
		version: VersionId,
		offer: OfferId,
		kind: GrantKind,
		max_price: u128,
	) -> Result<Purchase, ChainError> {
		let call = runtime::transactions().licensing().purchase(Static(version), offer, kind.to_chain(), max_price);
		let (block, events) = self.submit_with_events(signer, &call).await?;
		let event = events
			.find_first::<runtime::licensing::events::Purchased>()
			.ok_or_else(|| missing_event("Purchased"))?
			.map_err(event_error)?;
		Ok(Purchase {
			version,
			offer: event.offer,
			kind: GrantKind::from_chain(event.kind),
			price: event.price,
			protocol_fee: event.protocol_fee,
			expires_at: event.expires_at,
			block,
		})
	}

	/// Give up a grant and take its deposit back.
	pub async fn drop_grant(
		&self,
		signer: &Keypair,
		version: VersionId,
		kind: GrantKind,
	) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().licensing().drop_grant(Static(version), kind.to_chain());
		self.submit(signer, &call).await
	}

	/// The grant `who` holds on `version`, of `kind`.
	pub async fn grant(
		&self,
		version: VersionId,
		who: &AccountId32,
		kind: GrantKind,
	) -> Result<Option<GrantInfo>, ChainError> {
		let call = runtime::view_functions().licensing().grant(Static(version), *who, kind.to_chain());
		Ok(self.view(call).await?.map(|grant| GrantInfo {
			kind,
			expires_at: grant.expires_at,
			credits: grant.credits,
			deposit: grant.deposit,
		}))
	}

	/// Whether `who` may use `version` commercially at block `at`.
	pub async fn may_use(&self, version: VersionId, who: &AccountId32, at: u32) -> Result<bool, ChainError> {
		self.view(runtime::view_functions().licensing().may_use(Static(version), *who, at)).await
	}

	/// Approve derivatives of `parent` committed by `committer` (admins of its model).
	pub async fn approve_derivative(
		&self,
		signer: &Keypair,
		parent: VersionId,
		committer: AccountId32,
	) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().licensing().approve_derivative(Static(parent), committer);
		self.submit(signer, &call).await
	}

	/// Revoke an approval (admins of `parent`'s model).
	pub async fn revoke_approval(
		&self,
		signer: &Keypair,
		parent: VersionId,
		committer: AccountId32,
	) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().licensing().revoke_approval(Static(parent), committer);
		self.submit(signer, &call).await
	}

	// --- Royalties -----------------------------------------------------------------------------

	/// A version's royalty table (`None`: it has none, e.g. committed before licensing).
	pub async fn royalty_table(&self, version: VersionId) -> Result<Option<Vec<RoyaltyShare>>, ChainError> {
		let table = self.view(runtime::view_functions().licensing().royalty_table(Static(version))).await?;
		Ok(table.map(|table| table.0.into_iter().map(RoyaltyShare::from_chain).collect()))
	}

	/// The royalty table a commit of `manifest` would get, or why it would be refused.
	pub async fn royalty_preview(&self, manifest: &Manifest) -> Result<Result<Vec<RoyaltyShare>, Refusal>, ChainError> {
		let call = runtime::view_functions().licensing().royalty_preview(Static(manifest.clone()));
		Ok(match self.view(call).await? {
			Ok(table) => Ok(table.into_iter().map(RoyaltyShare::from_chain).collect()),
			Err(refusal) => Err(Refusal::from_chain(refusal)),
		})
	}

	/// Every reason the licence rules would refuse a commit of `manifest` by `who` (empty:
	/// they accept it).
	pub async fn check_derivative(&self, manifest: &Manifest, who: &AccountId32) -> Result<Vec<Refusal>, ChainError> {
		let call = runtime::view_functions().licensing().check_derivative(Static(manifest.clone()), *who);
		Ok(self.view(call).await?.into_iter().map(Refusal::from_chain).collect())
	}

	/// A version's licence record.
	pub async fn version_license(&self, version: VersionId) -> Result<Option<VersionLicenseInfo>, ChainError> {
		let record = self.view(runtime::view_functions().licensing().version_license(Static(version))).await?;
		Ok(record.map(|record| VersionLicenseInfo {
			model: text(&record.model.0),
			license: record.license.0,
			obligations: Obligations {
				non_commercial: record.obligations.non_commercial,
				share_alike: record.obligations.share_alike.map(|license| zoo_types::output::license_text(&license.0)),
				restrictions: record.obligations.restrictions.0,
				attribution: record.obligations.attribution,
				name_prefix: record.obligations.name_prefix.map(|prefix| text(&prefix.0)),
			},
		}))
	}

	/// Everything ever credited to `version`'s vault (planck).
	pub async fn vault(&self, version: VersionId) -> Result<u128, ChainError> {
		self.view(runtime::view_functions().licensing().vault(Static(version))).await
	}

	/// What `who` could claim from `version`'s vault now (planck).
	pub async fn claimable(&self, version: VersionId, who: &AccountId32) -> Result<u128, ChainError> {
		self.view(runtime::view_functions().licensing().claimable(Static(version), *who)).await
	}

	/// Take the signer's share of `version`'s vault (contributors); a claim of nothing succeeds
	/// with an amount of 0.
	pub async fn claim(&self, signer: &Keypair, version: VersionId) -> Result<Claim, ChainError> {
		let call = runtime::transactions().licensing().claim(Static(version));
		let (block, events) = self.submit_with_events(signer, &call).await?;
		let amount = match events.find_first::<runtime::licensing::events::Claimed>() {
			Some(event) => event.map_err(event_error)?.amount,
			None => 0,
		};
		Ok(Claim { version, amount, block })
	}

	// --- Usage channels ------------------------------------------------------------------------

	/// Open a prepaid usage channel to `provider` for `version`'s usage offer `offer`.
	#[allow(clippy::too_many_arguments)]
	pub async fn open_channel(
		&self,
		signer: &Keypair,
		version: VersionId,
		offer: OfferId,
		provider: AccountId32,
		deposit: u128,
		expires_at: u32,
		max_unit_price: u128,
	) -> Result<ChannelOpened, ChainError> {
		let call = runtime::transactions().licensing().open_channel(
			Static(version),
			offer,
			provider,
			deposit,
			expires_at,
			max_unit_price,
		);
		let (block, events) = self.submit_with_events(signer, &call).await?;
		let event = events
			.find_first::<runtime::licensing::events::ChannelOpened>()
			.ok_or_else(|| missing_event("ChannelOpened"))?
			.map_err(event_error)?;
		Ok(ChannelOpened { channel: event.id, version, deposit: event.deposit, expires_at: event.expires_at, block })
	}

	/// Settle a voucher (the channel's provider): pay for the units beyond those settled.
	pub async fn settle(
		&self,
		signer: &Keypair,
		channel: ChannelId,
		cumulative_units: u64,
		nonce: u64,
		signature: [u8; 64],
	) -> Result<Settlement, ChainError> {
		let call = runtime::transactions().licensing().settle(
			channel,
			cumulative_units,
			nonce,
			MultiSignature::Sr25519(signature),
		);
		let (block, events) = self.submit_with_events(signer, &call).await?;
		let event = events
			.find_first::<runtime::licensing::events::ChannelSettled>()
			.ok_or_else(|| missing_event("ChannelSettled"))?
			.map_err(event_error)?;
		Ok(Settlement { channel, units: event.units, amount: event.amount, protocol_fee: event.protocol_fee, block })
	}

	/// Close an expired channel and take what it holds back (its payer).
	pub async fn refund(&self, signer: &Keypair, channel: ChannelId) -> Result<Refund, ChainError> {
		let call = runtime::transactions().licensing().refund(channel);
		let (block, events) = self.submit_with_events(signer, &call).await?;
		let event = events
			.find_first::<runtime::licensing::events::ChannelRefunded>()
			.ok_or_else(|| missing_event("ChannelRefunded"))?
			.map_err(event_error)?;
		Ok(Refund { channel, refunded: event.refunded, block })
	}

	/// A usage channel.
	pub async fn channel(&self, id: ChannelId) -> Result<Option<ChannelInfo>, ChainError> {
		let channel = self.view(runtime::view_functions().licensing().channel(id)).await?;
		Ok(channel.map(|channel| ChannelInfo {
			channel: id,
			payer: ss58(&channel.payer),
			provider: ss58(&channel.provider),
			version: channel.version.0,
			unit_price: channel.unit_price,
			deposit: channel.deposit,
			settled_units: channel.settled_units,
			nonce: channel.nonce,
			expires_at: channel.expires_at,
			record_deposit: channel.record_deposit,
		}))
	}

	// --- Accounts ------------------------------------------------------------------------------

	/// An account's free and reserved balance (zero for an account that does not exist).
	pub async fn balance(&self, who: &AccountId32) -> Result<AccountBalance, ChainError> {
		let at = self.within(self.reads_at()).await?;
		let address = runtime::storage().system().account();
		let value = self.within(async { at.storage().try_fetch(address, (*who,)).await.map_err(crate::rpc) }).await?;
		let Some(value) = value else { return Ok(AccountBalance { free: 0, reserved: 0 }) };
		let info = value.decode().map_err(crate::rpc)?;
		Ok(AccountBalance { free: info.data.free, reserved: info.data.reserved })
	}

	/// The transaction fees paid in block `number`, by account, tips included (the
	/// `TransactionPayment::TransactionFeePaid` events).
	pub async fn fees_paid(&self, number: u32) -> Result<Vec<(AccountId32, u128)>, ChainError> {
		let block = self.within(async { self.api.at_block(number).await.map_err(crate::rpc) }).await?;
		let events = self.within(async { block.events().fetch().await.map_err(crate::rpc) }).await?;
		events
			.find::<runtime::transaction_payment::events::TransactionFeePaid>()
			.map(|event| event.map(|fee| (fee.who, fee.actual_fee + fee.tip)).map_err(event_error))
			.collect()
	}
}

fn shares(split: Vec<(AccountId32, u16)>) -> Vec<AccountShare> {
	split.into_iter().map(|(who, bps)| AccountShare { account: ss58(&who), bps }).collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_voucher_signs_the_scale_payload_the_pallet_checks() {
		let genesis = [7u8; 32];
		let payload = voucher_payload(genesis, 3, 5, 1_000);
		// The domain's 9 bytes without a length prefix, the hash, then three u64 little-endian.
		assert_eq!(&payload[..9], b"zoo/usage");
		assert_eq!(&payload[9..41], &genesis);
		assert_eq!(&payload[41..49], &3u64.to_le_bytes());
		assert_eq!(&payload[49..57], &5u64.to_le_bytes());
		assert_eq!(&payload[57..], &1_000u64.to_le_bytes());
		let alice = subxt_signer::sr25519::dev::alice();
		let voucher = Voucher::sign(&alice, genesis, 3, 5, 1_000);
		let signature = subxt_signer::sr25519::Signature(voucher.signature);
		assert!(subxt_signer::sr25519::verify(&signature, &payload, &alice.public_key()));
		assert!(!subxt_signer::sr25519::verify(&signature, voucher_payload(genesis, 3, 6, 1_000), &alice.public_key()));
	}

	#[test]
	fn refusals_are_explained() {
		let refusal = Refusal::named("DerivativeGrantRequired");
		assert!(
			refusal.to_string().starts_with("DerivativeGrantRequired (a parent's terms need a paid derivative grant")
		);
		assert_eq!(Refusal::named("Novel").explanation, "a licence rule this client does not know");
	}

	#[test]
	fn terms_serialize_with_kind_names_and_shares() {
		let mut upstream_share = [0; 7];
		upstream_share[EdgeKind::Finetune as usize] = 100_000_000;
		let terms = Terms {
			commercial_use: true,
			derivatives_allowed: KindSet::ALL,
			derivatives_paid: "finetune".parse().unwrap(),
			share_alike: false,
			approval_required: false,
			attribution_required: true,
			name_prefix: None,
			restrictions: 0b101,
			upstream_share,
			grant_duration: Some(14_400),
			legal_hash: [0xab; 32],
			legal_uri: "https://example.org/terms".into(),
		};
		let value = serde_json::to_value(&terms).unwrap();
		assert_eq!(value["derivatives_paid"], serde_json::json!(["finetune"]));
		assert_eq!(value["derivatives_allowed"].as_array().unwrap().len(), 6);
		assert_eq!(value["upstream_share_ppb"], serde_json::json!({"finetune": 100_000_000}));
		assert_eq!(value["restrictions"], serde_json::json!([0, 2]));
		assert_eq!(value["legal_hash"], "ab".repeat(32));
		assert_eq!(Terms::from_chain(terms.to_chain()), terms);
	}
}

/// A sealed version's file keys released to one account (the licensing pallet's `KeyRelease`).
#[derive(Debug, Clone, Serialize)]
pub struct KeyReleaseInfo {
	/// The admin who released them (whose deposit is held), SS58.
	pub by: String,
	/// The recipient the headers are wrapped to, as age writes it (`age1...`).
	pub recipient: String,
	/// The block they were released in.
	pub released_at: u32,
	/// One age header per sealed artifact, by artifact index.
	#[serde(skip)]
	pub headers: Vec<(u32, Vec<u8>)>,
	/// The deposit held for the record (planck).
	#[serde(serialize_with = "json::amount")]
	pub deposit: u128,
}

impl Chain {
	/// Record the signer's age recipient key, which key releases to it are wrapped to
	/// (`RecipientDeposit` on first set).
	pub async fn set_recipient(&self, signer: &Keypair, key: [u8; 32]) -> Result<Submitted, ChainError> {
		self.submit(signer, &runtime::transactions().licensing().set_recipient(key)).await
	}

	/// `who`'s recorded age recipient key.
	pub async fn recipient(&self, who: &AccountId32) -> Result<Option<[u8; 32]>, ChainError> {
		self.view(runtime::view_functions().licensing().recipient(*who)).await
	}

	/// Publish the file keys of sealed `version` for `grantee`: one re-wrapped age header per
	/// sealed artifact, by artifact index, wrapped for `wrapped_for` (admins of its model; the
	/// grantee must hold a grant, and the chain refuses the release if its recorded recipient is
	/// another key).
	pub async fn release_key(
		&self,
		signer: &Keypair,
		version: VersionId,
		grantee: &AccountId32,
		wrapped_for: [u8; 32],
		headers: &[(u32, Vec<u8>)],
	) -> Result<Submitted, ChainError> {
		let headers = headers
			.iter()
			.map(|(artifact, header)| chain_types::KeyHeader { artifact: *artifact, header: bounded(header) })
			.collect();
		let call = runtime::transactions().licensing().release_key(
			Static(version),
			*grantee,
			wrapped_for,
			BoundedVec(headers),
		);
		self.submit(signer, &call).await
	}

	/// The file keys of sealed `version` released to `who`, if they were.
	pub async fn released_key(
		&self,
		version: VersionId,
		who: &AccountId32,
	) -> Result<Option<KeyReleaseInfo>, ChainError> {
		let call = runtime::view_functions().licensing().released_key(Static(version), *who);
		Ok(self.view(call).await?.map(|release| KeyReleaseInfo {
			by: ss58(&release.by),
			recipient: zoo_types::SealRecipient(release.recipient).to_string(),
			released_at: release.released_at,
			headers: release.headers.0.into_iter().map(|h| (h.artifact, h.header.0)).collect(),
			deposit: release.deposit,
		}))
	}
}
