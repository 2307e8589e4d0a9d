//! The curation pallet: stake on versions (held, paid only from licence fees, joining the
//! reward pool from the next era), unbonding and withdrawal, reward claims, disputes and the
//! stake-ranked discovery view; reads through its view functions, the rest as transactions.
//!
//! The records here are the client's own (derive `Serialize`: version IDs as CID text, accounts
//! as SS58, amounts as decimal strings, shares in parts per billion, the slash factor as exact
//! decimal text), converted from the generated types. A transaction's record carries what its
//! events say (the amount held or released, a slash realized on the way) and where it landed.

use super::{Chain, ChainError, Submitted, bounded, rpc, runtime, ss58};
use runtime::runtime_types::{bounded_collections::bounded_vec::BoundedVec, pallet_curation::types as chain_types};
use serde::Serialize;
use std::{fmt, str::FromStr};
use subxt::utils::{AccountId32, Static};
use subxt_signer::sr25519::Keypair;
use zoo_primitives::{MetricValue, VersionId};
use zoo_types::{amount::format_decimal, output::json};

/// A dispute's number.
pub type DisputeId = u64;

/// 1 in the slash factor's fixed-point representation (parts per 10^18).
pub const FACTOR_ONE: u128 = 1_000_000_000_000_000_000;

/// Decimals of the slash factor's fixed-point representation.
const FACTOR_DECIMALS: u32 = 18;

/// The most conditions of each kind a [`RankFilter`] holds (the pallet's `MAX_FILTER_TAGS` and
/// `MAX_FILTER_METRICS`).
pub const MAX_FILTER_CONDITIONS: usize = 8;

/// The storage key of a runtime parameter kept in storage (`parameter_types! { pub storage
/// Name: T = ...; }`): `twox_128(":Name:")`.
pub fn parameter_key(name: &str) -> [u8; 16] {
	// frame-decode's storage prefix is twox_128(pallet) ++ twox_128(entry): its first half is
	// the hash of the first name.
	let prefix = subxt::ext::frame_decode::storage::encode_storage_key_prefix(&format!(":{name}:"), "");
	let mut key = [0u8; 16];
	key.copy_from_slice(&prefix[..16]);
	key
}

fn factor_text<S: serde::Serializer>(factor: &u128, serializer: S) -> Result<S::Ok, S::Error> {
	serializer.serialize_str(&format_decimal(*factor, FACTOR_DECIMALS))
}

fn big_number<S: serde::Serializer>(value: &u128, serializer: S) -> Result<S::Ok, S::Error> {
	serializer.serialize_str(&value.to_string())
}

fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

/// `points` at `factor` (parts per 10^18), rounded down: what the pallet holds for them.
pub fn value_of(points: u128, factor: u128) -> u128 {
	let (whole, part) = (points / FACTOR_ONE, points % FACTOR_ONE);
	// floor((whole * ONE + part) * factor / ONE) = whole * factor + floor(part * factor / ONE);
	// part * factor < 10^36 fits for any factor up to 1, whole * factor beyond any supply.
	whole.saturating_mul(factor).saturating_add(part.saturating_mul(factor) / FACTOR_ONE)
}

/// Why a dispute is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeReason {
	/// The version's artifacts are malware.
	Malware,
	/// The version violates a licence (its own or an upstream one).
	LicenseViolation,
	/// The version's metrics are fake.
	FakeMetrics,
	/// Anything else (the evidence says what).
	Other,
}

impl DisputeReason {
	/// Every reason, in the pallet's order.
	pub const ALL: [DisputeReason; 4] = [Self::Malware, Self::LicenseViolation, Self::FakeMetrics, Self::Other];

	/// The name on the command line (`license-violation`).
	pub fn as_str(self) -> &'static str {
		match self {
			Self::Malware => "malware",
			Self::LicenseViolation => "license-violation",
			Self::FakeMetrics => "fake-metrics",
			Self::Other => "other",
		}
	}

	fn to_chain(self) -> chain_types::DisputeReason {
		match self {
			Self::Malware => chain_types::DisputeReason::Malware,
			Self::LicenseViolation => chain_types::DisputeReason::LicenseViolation,
			Self::FakeMetrics => chain_types::DisputeReason::FakeMetrics,
			Self::Other => chain_types::DisputeReason::Other,
		}
	}

	fn from_chain(reason: chain_types::DisputeReason) -> Self {
		match reason {
			chain_types::DisputeReason::Malware => Self::Malware,
			chain_types::DisputeReason::LicenseViolation => Self::LicenseViolation,
			chain_types::DisputeReason::FakeMetrics => Self::FakeMetrics,
			chain_types::DisputeReason::Other => Self::Other,
		}
	}
}

impl fmt::Display for DisputeReason {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(self.as_str())
	}
}

impl FromStr for DisputeReason {
	type Err = zoo_types::InvalidValue;
	fn from_str(text: &str) -> Result<Self, zoo_types::InvalidValue> {
		let wanted = text.trim().to_ascii_lowercase().replace('_', "-");
		Self::ALL.into_iter().find(|reason| reason.as_str() == wanted).ok_or_else(|| {
			let names: Vec<&str> = Self::ALL.iter().map(|reason| reason.as_str()).collect();
			zoo_types::InvalidValue(format!("invalid dispute reason {text:?} (one of {})", names.join(", ")))
		})
	}
}

/// A licence class for discovery, by the manifest's licence variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenseClass {
	/// No licence given.
	Unspecified,
	/// An SPDX expression.
	Spdx,
	/// On-chain licence terms.
	Terms,
	/// A sealed (encrypted) version under terms.
	Sealed,
}

impl LicenseClass {
	/// Every class.
	pub const ALL: [LicenseClass; 4] = [Self::Unspecified, Self::Spdx, Self::Terms, Self::Sealed];

	/// The name on the command line.
	pub fn as_str(self) -> &'static str {
		match self {
			Self::Unspecified => "unspecified",
			Self::Spdx => "spdx",
			Self::Terms => "terms",
			Self::Sealed => "sealed",
		}
	}

	fn to_chain(self) -> chain_types::LicenseClass {
		match self {
			Self::Unspecified => chain_types::LicenseClass::Unspecified,
			Self::Spdx => chain_types::LicenseClass::Spdx,
			Self::Terms => chain_types::LicenseClass::Terms,
			Self::Sealed => chain_types::LicenseClass::Sealed,
		}
	}
}

impl FromStr for LicenseClass {
	type Err = zoo_types::InvalidValue;
	fn from_str(text: &str) -> Result<Self, zoo_types::InvalidValue> {
		let wanted = text.trim().to_ascii_lowercase();
		Self::ALL.into_iter().find(|class| class.as_str() == wanted).ok_or_else(|| {
			let names: Vec<&str> = Self::ALL.iter().map(|class| class.as_str()).collect();
			zoo_types::InvalidValue(format!("invalid licence class {text:?} (one of {})", names.join(", ")))
		})
	}
}

/// What [`Chain::rank`] keeps (yanked and disputed versions are always left out).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RankFilter {
	/// Only versions whose licence is of this class.
	pub license: Option<LicenseClass>,
	/// Only versions with every one of these tags: key, and the value it must have (`None`:
	/// any).
	pub tags: Vec<(String, Option<String>)>,
	/// Only versions with every one of these metrics at least this value.
	pub metrics: Vec<(String, MetricValue)>,
}

impl RankFilter {
	fn to_chain(&self) -> chain_types::RankFilter {
		chain_types::RankFilter {
			license: self.license.map(LicenseClass::to_chain),
			tags: BoundedVec(
				self.tags
					.iter()
					.map(|(key, value)| chain_types::TagFilter {
						key: bounded(key.as_bytes()),
						value: value.as_deref().map(|value| bounded(value.as_bytes())),
					})
					.collect(),
			),
			metrics: BoundedVec(
				self.metrics
					.iter()
					.map(|(name, min)| chain_types::MetricFilter { name: bounded(name.as_bytes()), min: Static(*min) })
					.collect(),
			),
		}
	}
}

/// A version's curation figures (the `curation` view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CurationInfo {
	/// The version.
	#[serde(serialize_with = "json::cid")]
	pub version: VersionId,
	/// Stake earning rewards (planck).
	#[serde(serialize_with = "json::amount")]
	pub active_stake: u128,
	/// Stake added in an era not yet activated: it earns from the era after the one it was
	/// added in (planck).
	#[serde(serialize_with = "json::amount")]
	pub pending_stake: u128,
	/// Stake unbonding: held and slashable, earning nothing (planck).
	#[serde(serialize_with = "json::amount")]
	pub unbonding_stake: u128,
	/// Accounts with a position.
	pub curators: u32,
	/// Fees credited to the version's curators over its life (planck).
	#[serde(serialize_with = "json::amount")]
	pub fees_lifetime: u128,
	/// The decaying fee average, as of now (planck).
	#[serde(serialize_with = "json::amount")]
	pub fees_ema: u128,
	/// Balance per point: `1` until a verdict slashes (`0.5` after a 50 % slash), exact
	/// decimal text in JSON.
	#[serde(serialize_with = "factor_text")]
	pub factor: u128,
	/// Credits held in escrow while a dispute is open (planck).
	#[serde(serialize_with = "json::amount")]
	pub escrow: u128,
	/// Fees of the current era, shared from the next over the stake still active then
	/// (planck; `null` from a runtime before spec 103, which shared fees at once).
	#[serde(serialize_with = "json::amount_option")]
	pub streaming: Option<u128>,
	/// The open dispute, if any.
	pub dispute: Option<DisputeId>,
}

impl CurationInfo {
	/// Active and pending stake.
	pub fn bonded(&self) -> u128 {
		self.active_stake.saturating_add(self.pending_stake)
	}
}

/// A model's curation figures: the sums over its versions (the `model_curation` view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelCurationInfo {
	/// The model.
	pub model: String,
	/// Bonded stake (active and pending) over its versions (planck).
	#[serde(serialize_with = "json::amount")]
	pub stake: u128,
	/// Positions over its versions (an account staked on two versions counts twice).
	pub curators: u32,
	/// Fees credited over its versions' lives (planck).
	#[serde(serialize_with = "json::amount")]
	pub fees_lifetime: u128,
}

/// An unbonding chunk: stake that can be withdrawn from `unlock_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChunkInfo {
	/// What it is worth at the version's factor (planck).
	#[serde(serialize_with = "json::amount")]
	pub amount: u128,
	/// Its points.
	#[serde(serialize_with = "json::amount")]
	pub points: u128,
	/// The block from which it can be withdrawn.
	pub unlock_at: u32,
}

/// One curator's stake on one version (the `position` view), with its worth at the version's
/// factor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PositionInfo {
	/// The version.
	#[serde(serialize_with = "json::cid")]
	pub version: VersionId,
	/// The curator (SS58).
	pub account: String,
	/// Bonded stake earning rewards, at the factor (planck).
	#[serde(serialize_with = "json::amount")]
	pub active: u128,
	/// Bonded stake added in era `pending_era`, earning from the next era (planck).
	#[serde(serialize_with = "json::amount")]
	pub pending: u128,
	/// The era the pending stake was added in.
	pub pending_era: u32,
	/// Unbonding chunks.
	pub unbonding: Vec<ChunkInfo>,
	/// Rewards settled and not yet claimed (what the position's last touch settled; see
	/// [`Chain::curation_claimable`] for what a claim pays now) (planck).
	#[serde(serialize_with = "json::amount")]
	pub owed: u128,
	/// Balance on hold for the position; above what its points are worth when a verdict's
	/// slash is not yet realized (planck).
	#[serde(serialize_with = "json::amount")]
	pub held: u128,
}

impl PositionInfo {
	/// Active and pending stake.
	pub fn bonded(&self) -> u128 {
		self.active.saturating_add(self.pending)
	}
}

/// An open dispute (the `dispute` view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisputeInfo {
	/// Its number.
	pub id: DisputeId,
	/// The disputed version.
	#[serde(serialize_with = "json::cid")]
	pub version: VersionId,
	/// Who opened it and holds the bond (SS58).
	pub reporter: String,
	/// Why.
	pub reason: DisputeReason,
	/// A hash or URI of the evidence.
	pub evidence: String,
	/// The bond held from the reporter (planck).
	#[serde(serialize_with = "json::amount")]
	pub bond: u128,
	/// The block it was opened in.
	pub opened_at: u32,
	/// From this block on, with no verdict, anyone may close it as lapsed (its bond is burned).
	pub expires_at: u32,
}

/// One row of [`Chain::rank`]: a version, its model and its ranking figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankedVersion {
	/// Its place, from 1.
	pub rank: u32,
	/// The version.
	#[serde(serialize_with = "json::cid")]
	pub version: VersionId,
	/// Its model.
	pub model: String,
	/// Its score: `isqrt(stake) * ScoreStakeWeight + ilog2(1 + fees_ema) * ScoreFeeWeight`
	/// (decimal string).
	#[serde(serialize_with = "big_number")]
	pub score: u128,
	/// Its bonded stake (planck).
	#[serde(serialize_with = "json::amount")]
	pub stake: u128,
	/// Accounts staked on it.
	pub curators: u32,
	/// Its decaying fee average (planck).
	#[serde(serialize_with = "json::amount")]
	pub fees_ema: u128,
}

/// The curation parameters a client needs: what stake and disputes cost, and how time is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CurationParams {
	/// The smallest stake a call adds and a position keeps (planck).
	#[serde(serialize_with = "json::amount")]
	pub min_stake: u128,
	/// The bond held from whoever opens a dispute (planck).
	#[serde(serialize_with = "json::amount")]
	pub dispute_bond: u128,
	/// Blocks per era (stake added in an era earns from the next).
	pub era_length: u32,
	/// Blocks an unbonding chunk stays held before it can be withdrawn.
	pub unbonding_period: u32,
	/// Blocks a dispute stays open without a verdict before anyone may close it as lapsed;
	/// `None` on a runtime older than dispute expiry (spec 101).
	pub dispute_timeout: Option<u32>,
	/// The most unbonding chunks a position holds.
	pub max_unbonding_chunks: u32,
}

impl CurationParams {
	/// The era block `block` is in.
	pub fn era_of(&self, block: u32) -> u32 {
		block / self.era_length.max(1)
	}

	/// The first block of era `era`.
	pub fn era_start(&self, era: u32) -> u32 {
		era.saturating_mul(self.era_length.max(1))
	}
}

/// A slash a verdict made, realized on the signer's position by a transaction's touch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SlashInfo {
	/// Taken from the position's hold (planck).
	#[serde(serialize_with = "json::amount")]
	pub amount: u128,
	/// The part of it paid to the dispute's reporter (planck); the rest was burned.
	#[serde(serialize_with = "json::amount")]
	pub to_reporter: u128,
}

/// A stake: what the `Staked` event says.
#[derive(Debug, Clone, Serialize)]
pub struct Staked {
	/// The version.
	#[serde(serialize_with = "json::cid")]
	pub version: VersionId,
	/// The curator (SS58).
	pub account: String,
	/// The balance held (planck): the amount asked, unless the version was slashed before.
	#[serde(serialize_with = "json::amount")]
	pub amount: u128,
	/// The points it bought (pending until the next era).
	#[serde(serialize_with = "json::amount")]
	pub points: u128,
	/// The era it was added in; it earns from the next.
	pub era: u32,
	/// The first block of the era it earns from.
	pub earns_from: u32,
	/// A verdict's slash the touch realized first, if any.
	pub slashed: Option<SlashInfo>,
	/// Where the transaction landed.
	pub block: Submitted,
}

/// An unbonding: what the `Unbonding` event says.
#[derive(Debug, Clone, Serialize)]
pub struct Unbonded {
	/// The version.
	#[serde(serialize_with = "json::cid")]
	pub version: VersionId,
	/// The curator (SS58).
	pub account: String,
	/// What the unbonding points are worth now (planck).
	#[serde(serialize_with = "json::amount")]
	pub amount: u128,
	/// The points moved into the chunk.
	#[serde(serialize_with = "json::amount")]
	pub points: u128,
	/// The block from which it can be withdrawn.
	pub unlock_at: u32,
	/// A verdict's slash the touch realized first, if any.
	pub slashed: Option<SlashInfo>,
	/// Where the transaction landed.
	pub block: Submitted,
}

/// A withdrawal: what the `Withdrawn` event says.
#[derive(Debug, Clone, Serialize)]
pub struct Withdrawal {
	/// The version.
	#[serde(serialize_with = "json::cid")]
	pub version: VersionId,
	/// The curator (SS58).
	pub account: String,
	/// The balance released from hold (planck).
	#[serde(serialize_with = "json::amount")]
	pub amount: u128,
	/// A verdict's slash the touch realized first, if any.
	pub slashed: Option<SlashInfo>,
	/// Where the transaction landed.
	pub block: Submitted,
}

/// A reward claim: what the `Claimed` event says (0 when nothing was owed).
#[derive(Debug, Clone, Serialize)]
pub struct RewardClaim {
	/// The version.
	#[serde(serialize_with = "json::cid")]
	pub version: VersionId,
	/// The curator (SS58).
	pub account: String,
	/// What was paid (planck).
	#[serde(serialize_with = "json::amount")]
	pub amount: u128,
	/// A verdict's slash the touch realized first, if any.
	pub slashed: Option<SlashInfo>,
	/// Where the transaction landed.
	pub block: Submitted,
}

/// An opened dispute: what the `DisputeOpened` event says.
#[derive(Debug, Clone, Serialize)]
pub struct DisputeOpened {
	/// Its number.
	pub id: DisputeId,
	/// The disputed version.
	#[serde(serialize_with = "json::cid")]
	pub version: VersionId,
	/// The reporter (SS58).
	pub reporter: String,
	/// Why.
	pub reason: DisputeReason,
	/// The bond held (planck).
	#[serde(serialize_with = "json::amount")]
	pub bond: u128,
	/// Where the transaction landed.
	pub block: Submitted,
}

/// A dispute closed as lapsed: what the `DisputeLapsed` event says.
#[derive(Debug, Clone, Serialize)]
pub struct DisputeLapsed {
	/// Its number.
	pub id: DisputeId,
	/// The version it disputed.
	#[serde(serialize_with = "json::cid")]
	pub version: VersionId,
	/// The reporter's bond, burned (planck).
	#[serde(serialize_with = "json::amount")]
	pub bond_burned: u128,
	/// The escrowed fees released to the version's curators (planck).
	#[serde(serialize_with = "json::amount")]
	pub escrow: u128,
	/// Where the transaction landed.
	pub block: Submitted,
}

/// Code generated for the curation pallet's view of a position.
type ChainPosition = chain_types::Position<u128, u32>;

fn position(version: VersionId, who: &AccountId32, p: ChainPosition, factor: u128) -> PositionInfo {
	PositionInfo {
		version,
		account: ss58(who),
		active: value_of(p.active, factor),
		pending: value_of(p.pending, factor),
		pending_era: p.pending_era,
		unbonding: p
			.unbonding
			.0
			.into_iter()
			.map(|chunk| ChunkInfo {
				amount: value_of(chunk.points, factor),
				points: chunk.points,
				unlock_at: chunk.unlock_at,
			})
			.collect(),
		owed: p.owed,
		held: p.held,
	}
}

fn missing_event(what: &str) -> ChainError {
	ChainError::Incompatible(format!("the transaction succeeded but emitted no {what} event"))
}

fn event_error(error: impl fmt::Display) -> ChainError {
	ChainError::Rpc(format!("undecodable event: {error}"))
}

/// The slashes a transaction realized on `who`'s position (summed), if any.
fn slashed_in(
	events: &subxt::extrinsics::ExtrinsicEvents<subxt::PolkadotConfig>,
	who: &AccountId32,
) -> Result<Option<SlashInfo>, ChainError> {
	let mut total: Option<SlashInfo> = None;
	for event in events.find::<runtime::curation::events::Slashed>() {
		let event = event.map_err(event_error)?;
		if event.who == *who {
			let sum = total.get_or_insert_default();
			sum.amount = sum.amount.saturating_add(event.amount);
			sum.to_reporter = sum.to_reporter.saturating_add(event.to_reporter);
		}
	}
	Ok(total)
}

impl Chain {
	// --- Parameters ----------------------------------------------------------------------------

	/// A runtime parameter kept in storage (`:Name:`, a SCALE `u32`), if it was set.
	async fn storage_parameter(&self, name: &str) -> Result<Option<u32>, ChainError> {
		use codec::Decode;
		let at = self.within(self.reads_at()).await?;
		let key = parameter_key(name).to_vec();
		let answer = self.within(async { Ok(at.storage().fetch_raw(key).await) }).await?;
		match answer {
			Ok(bytes) => u32::decode(&mut &bytes[..])
				.map(Some)
				.map_err(|error| rpc(format!("undecodable parameter {name}: {error}"))),
			Err(subxt::error::StorageError::NoValueFound) => Ok(None),
			Err(error) => Err(rpc(error)),
		}
	}

	/// The curation parameters: `MinStake`, `DisputeBond` and `MaxUnbondingChunks` from the
	/// runtime's constants; `EraLength`, `UnbondingPeriod` and `DisputeTimeout` from storage
	/// where a chain has set them (`:EraLength:`, ...), else their defaults, the constants.
	pub async fn curation_params(&self) -> Result<CurationParams, ChainError> {
		let at = self.within(self.reads_at()).await?;
		let constants = at.constants();
		let incompatible = |error: subxt::error::ConstantError| ChainError::Incompatible(error.to_string());
		let min_stake = constants.entry(runtime::constants().curation().min_stake()).map_err(incompatible)?;
		let dispute_bond = constants.entry(runtime::constants().curation().dispute_bond()).map_err(incompatible)?;
		let max_unbonding_chunks =
			constants.entry(runtime::constants().curation().max_unbonding_chunks()).map_err(incompatible)?;
		let era_default = constants.entry(runtime::constants().curation().era_length()).map_err(incompatible)?;
		let unbonding_default =
			constants.entry(runtime::constants().curation().unbonding_period()).map_err(incompatible)?;
		let era_length = self.storage_parameter("EraLength").await?.unwrap_or(era_default);
		let unbonding_period = self.storage_parameter("UnbondingPeriod").await?.unwrap_or(unbonding_default);
		// A runtime before spec 101 has no dispute expiry: its disputes last until a verdict.
		let dispute_timeout = match constants.entry(runtime::constants().curation().dispute_timeout()) {
			Ok(default) => Some(self.storage_parameter("DisputeTimeout").await?.unwrap_or(default)),
			Err(_) => None,
		};
		Ok(CurationParams {
			min_stake,
			dispute_bond,
			era_length,
			unbonding_period,
			dispute_timeout,
			max_unbonding_chunks,
		})
	}

	/// Set the era length, the unbonding period and the dispute timeout (blocks) of a
	/// development chain: `System::set_storage` through `Sudo::sudo` by the sudo key. Do it
	/// before anyone stakes: changing the era length renumbers the eras of stake already
	/// pending. A new timeout applies to disputes opened after it.
	pub async fn set_curation_periods(
		&self,
		sudo: &Keypair,
		era_length: u32,
		unbonding_period: u32,
		dispute_timeout: u32,
	) -> Result<Submitted, ChainError> {
		use codec::Encode;
		use runtime::runtime_types::{frame_system::pallet::Call, zoo_runtime::RuntimeCall};
		let items = vec![
			(parameter_key("EraLength").to_vec(), era_length.encode()),
			(parameter_key("UnbondingPeriod").to_vec(), unbonding_period.encode()),
			(parameter_key("DisputeTimeout").to_vec(), dispute_timeout.encode()),
		];
		let call = RuntimeCall::System(Call::set_storage { items });
		self.submit(sudo, &runtime::transactions().sudo().sudo(call)).await
	}

	// --- Reads ---------------------------------------------------------------------------------

	/// A version's curation figures (`None`: nobody ever staked on or disputed it).
	pub async fn curation(&self, version: VersionId) -> Result<Option<CurationInfo>, ChainError> {
		let figures = self.view(runtime::view_functions().curation().curation(Static(version))).await?;
		// A runtime before spec 103 has no stream to show; the view's absence says so.
		let streaming = match self.has_view("Curation", "streaming").await? {
			true => Some(self.view(runtime::view_functions().curation().streaming(Static(version))).await?),
			false => None,
		};
		Ok(figures.map(|a| CurationInfo {
			version,
			active_stake: a.active_stake,
			pending_stake: a.pending_stake,
			unbonding_stake: a.unbonding_stake,
			curators: a.curators,
			fees_lifetime: a.fees_lifetime,
			fees_ema: a.fees_ema,
			factor: a.factor,
			escrow: a.escrow,
			streaming,
			dispute: a.dispute,
		}))
	}

	/// A model's curation figures (`None`: none of its versions has stake or fees).
	pub async fn model_curation(&self, model: &str) -> Result<Option<ModelCurationInfo>, ChainError> {
		let call = runtime::view_functions().curation().model_curation(bounded(model.as_bytes()));
		Ok(self.view(call).await?.map(|figures| ModelCurationInfo {
			model: model.to_owned(),
			stake: figures.stake,
			curators: figures.curators,
			fees_lifetime: figures.fees_lifetime,
		}))
	}

	/// `who`'s position on `version`, valued at the version's factor.
	pub async fn curation_position(
		&self,
		version: VersionId,
		who: &AccountId32,
	) -> Result<Option<PositionInfo>, ChainError> {
		let call = runtime::view_functions().curation().position(Static(version), *who);
		let Some(stored) = self.view(call).await? else { return Ok(None) };
		let factor = self.curation(version).await?.map_or(FACTOR_ONE, |figures| figures.factor);
		Ok(Some(position(version, who, stored, factor)))
	}

	/// What `who` could claim from `version` now (planck).
	pub async fn curation_claimable(&self, version: VersionId, who: &AccountId32) -> Result<u128, ChainError> {
		self.view(runtime::view_functions().curation().claimable(Static(version), *who)).await
	}

	/// An open dispute (`None`: no such dispute, or it has had its verdict).
	pub async fn dispute(&self, id: DisputeId) -> Result<Option<DisputeInfo>, ChainError> {
		let dispute = self.view(runtime::view_functions().curation().dispute(id)).await?;
		Ok(dispute.map(|d| DisputeInfo {
			id,
			version: d.version.0,
			reporter: ss58(&d.reporter),
			reason: DisputeReason::from_chain(d.reason),
			evidence: text(&d.evidence.0),
			bond: d.bond,
			opened_at: d.opened_at,
			expires_at: d.expires_at,
		}))
	}

	/// The versions with the most bonded stake, largest first (ties by smaller version ID), and
	/// their stake (planck); at most the runtime's `TopN`.
	pub async fn top_by_stake(&self) -> Result<Vec<(VersionId, u128)>, ChainError> {
		let top = self.view(runtime::view_functions().curation().top_by_stake()).await?;
		Ok(top.into_iter().map(|(version, stake)| (version.0, stake)).collect())
	}

	/// At most `limit` versions by score (see [`RankedVersion::score`]), largest first, among
	/// the top versions by stake that pass `filter` and are neither yanked nor disputed, each
	/// with its model.
	pub async fn rank(&self, filter: &RankFilter, limit: u32) -> Result<Vec<RankedVersion>, ChainError> {
		let rows = self.view(runtime::view_functions().curation().rank(filter.to_chain(), limit)).await?;
		let mut ranked = Vec::with_capacity(rows.len());
		for (place, row) in rows.into_iter().enumerate() {
			let version = row.version.0;
			let model = match self.version_license(version).await? {
				Some(record) => record.model,
				None => self.version(version).await?.map(|record| text(&record.manifest.model)).unwrap_or_default(),
			};
			ranked.push(RankedVersion {
				rank: place as u32 + 1,
				version,
				model,
				score: row.score,
				stake: row.stake,
				curators: row.curators,
				fees_ema: row.fees_ema,
			});
		}
		Ok(ranked)
	}

	// --- Transactions --------------------------------------------------------------------------

	/// Stake `amount` (planck, at least `MinStake`) on `version`: held from the signer, pending
	/// until the next era.
	pub async fn stake(&self, signer: &Keypair, version: VersionId, amount: u128) -> Result<Staked, ChainError> {
		let params = self.curation_params().await?;
		let call = runtime::transactions().curation().stake(Static(version), amount);
		let (block, events) = self.submit_with_events(signer, &call).await?;
		let event = events
			.find_first::<runtime::curation::events::Staked>()
			.ok_or_else(|| missing_event("Staked"))?
			.map_err(event_error)?;
		let era = params.era_of(block.block_number);
		Ok(Staked {
			version,
			account: ss58(&event.who),
			amount: event.amount,
			points: event.points,
			era,
			earns_from: params.era_start(era.saturating_add(1)),
			slashed: slashed_in(&events, &event.who)?,
			block,
		})
	}

	/// Start unbonding `amount` (planck) of the signer's bonded stake on `version` (pending
	/// first, then active; everything when `amount` is more than the position, e.g.
	/// `u128::MAX`).
	pub async fn unbond(&self, signer: &Keypair, version: VersionId, amount: u128) -> Result<Unbonded, ChainError> {
		let call = runtime::transactions().curation().unbond(Static(version), amount);
		let (block, events) = self.submit_with_events(signer, &call).await?;
		let event = events
			.find_first::<runtime::curation::events::Unbonding>()
			.ok_or_else(|| missing_event("Unbonding"))?
			.map_err(event_error)?;
		Ok(Unbonded {
			version,
			account: ss58(&event.who),
			amount: event.amount,
			points: event.points,
			unlock_at: event.unlock_at,
			slashed: slashed_in(&events, &event.who)?,
			block,
		})
	}

	/// Release the signer's unlocked unbonding chunks on `version` from hold.
	pub async fn withdraw_stake(&self, signer: &Keypair, version: VersionId) -> Result<Withdrawal, ChainError> {
		let call = runtime::transactions().curation().withdraw(Static(version));
		let (block, events) = self.submit_with_events(signer, &call).await?;
		let event = events
			.find_first::<runtime::curation::events::Withdrawn>()
			.ok_or_else(|| missing_event("Withdrawn"))?
			.map_err(event_error)?;
		Ok(Withdrawal {
			version,
			account: ss58(&event.who),
			amount: event.amount,
			slashed: slashed_in(&events, &event.who)?,
			block,
		})
	}

	/// Take the signer's settled curation rewards on `version`; nothing owed pays 0.
	pub async fn claim_rewards(&self, signer: &Keypair, version: VersionId) -> Result<RewardClaim, ChainError> {
		let who = signer.public_key().to_account_id();
		let call = runtime::transactions().curation().claim(Static(version));
		let (block, events) = self.submit_with_events(signer, &call).await?;
		let amount = match events.find_first::<runtime::curation::events::Claimed>() {
			Some(event) => event.map_err(event_error)?.amount,
			None => 0,
		};
		Ok(RewardClaim { version, account: ss58(&who), amount, slashed: slashed_in(&events, &who)?, block })
	}

	/// Touch `who`'s position on `version` (anyone may): activate its pending stake of past
	/// eras, settle its rewards and realize a verdict's slash; returns the slash realized.
	pub async fn activate(
		&self,
		signer: &Keypair,
		version: VersionId,
		who: AccountId32,
	) -> Result<(Submitted, Option<SlashInfo>), ChainError> {
		let call = runtime::transactions().curation().activate(Static(version), who);
		let (block, events) = self.submit_with_events(signer, &call).await?;
		Ok((block, slashed_in(&events, &who)?))
	}

	/// Dispute `version` (the signer holds `DisputeBond` until the verdict) for `reason`, with
	/// `evidence` (a hash or a URI).
	pub async fn open_dispute(
		&self,
		signer: &Keypair,
		version: VersionId,
		reason: DisputeReason,
		evidence: &str,
	) -> Result<DisputeOpened, ChainError> {
		let params = self.curation_params().await?;
		let call = runtime::transactions().curation().open_dispute(
			Static(version),
			reason.to_chain(),
			bounded(evidence.as_bytes()),
		);
		let (block, events) = self.submit_with_events(signer, &call).await?;
		let event = events
			.find_first::<runtime::curation::events::DisputeOpened>()
			.ok_or_else(|| missing_event("DisputeOpened"))?
			.map_err(event_error)?;
		Ok(DisputeOpened {
			id: event.id,
			version,
			reporter: ss58(&event.reporter),
			reason: DisputeReason::from_chain(event.reason),
			bond: params.dispute_bond,
			block,
		})
	}

	/// Whether this client may sign `close_lapsed_dispute` for the chain's runtime now
	/// ([`ChainError::StaleRuntime`] otherwise): checked before the reads the call's checks
	/// make, which an older runtime answers in another shape.
	pub async fn check_can_close_disputes(&self) -> Result<(), ChainError> {
		self.check_signable_now(&runtime::transactions().curation().close_lapsed_dispute(0)).await
	}

	/// Close dispute `id`, past its `expires_at` with no verdict, as lapsed (anyone may): the
	/// reporter's bond is burned and the escrow released to the curators.
	pub async fn close_lapsed_dispute(&self, signer: &Keypair, id: DisputeId) -> Result<DisputeLapsed, ChainError> {
		let call = runtime::transactions().curation().close_lapsed_dispute(id);
		let (block, events) = self.submit_with_events(signer, &call).await?;
		let event = events
			.find_first::<runtime::curation::events::DisputeLapsed>()
			.ok_or_else(|| missing_event("DisputeLapsed"))?
			.map_err(event_error)?;
		Ok(DisputeLapsed {
			id: event.id,
			version: event.version.0,
			bond_burned: event.bond_burned,
			escrow: event.escrow,
			block,
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn parameter_keys_are_twox_128_of_the_colon_name() {
		// twox_128(":EraLength:") is twox_128 of the bytes between the quotes; check the hash
		// itself against a known value (twox_128("System"), the System pallet's prefix).
		let prefix = subxt::ext::frame_decode::storage::encode_storage_key_prefix("System", "");
		assert_eq!(hex::encode(&prefix[..16]), "26aa394eea5630e07c48ae0c9558cef7");
		assert_ne!(parameter_key("EraLength"), parameter_key("UnbondingPeriod"));
	}

	#[test]
	fn stake_is_valued_at_the_factor_rounding_down() {
		assert_eq!(value_of(10, FACTOR_ONE), 10);
		assert_eq!(value_of(15, FACTOR_ONE / 2), 7);
		assert_eq!(value_of(u128::MAX, FACTOR_ONE), u128::MAX);
		assert_eq!(value_of(3 * FACTOR_ONE + 1, FACTOR_ONE / 3), FACTOR_ONE - 1);
	}

	#[test]
	fn reasons_and_classes_parse_by_name() {
		assert_eq!("license-violation".parse::<DisputeReason>().unwrap(), DisputeReason::LicenseViolation);
		assert_eq!("Fake_Metrics".parse::<DisputeReason>().unwrap(), DisputeReason::FakeMetrics);
		let err = "spam".parse::<DisputeReason>().unwrap_err().to_string();
		assert!(err.contains("malware, license-violation, fake-metrics, other"), "{err}");
		assert_eq!("SPDX".parse::<LicenseClass>().unwrap(), LicenseClass::Spdx);
		assert!("gpl".parse::<LicenseClass>().is_err());
		assert_eq!(serde_json::to_value(DisputeReason::LicenseViolation).unwrap(), "license_violation");
	}

	#[test]
	fn the_factor_is_exact_decimal_text() {
		let info = CurationInfo {
			version: VersionId([7; 32]),
			active_stake: 5,
			pending_stake: 1,
			unbonding_stake: 0,
			curators: 2,
			fees_lifetime: 0,
			fees_ema: 0,
			factor: FACTOR_ONE / 2,
			escrow: 0,
			streaming: Some(0),
			dispute: None,
		};
		let value = serde_json::to_value(&info).unwrap();
		assert_eq!(value["factor"], "0.5");
		assert_eq!(value["active_stake"], "5");
		assert_eq!(info.bonded(), 6);
	}
}
