//! The curation pallet's types: targets (a version's stake totals, slash factor, reward
//! accumulator and discovery aggregates), positions, unbonding chunks, disputes and the
//! discovery filter.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{BoundedVec, traits::ConstU32};
use scale_info::TypeInfo;
use sp_runtime::FixedU128;
use zoo_primitives::{Bytes, MAX_KEY_LEN, MAX_TAG_VALUE_LEN, MAX_URI_LEN, MetricValue, VersionId};

/// An era: `block / EraLength`. Stake added in era `e` joins the reward pool in era `e + 1`.
pub type EraIndex = u32;

/// A dispute's number.
pub type DisputeId = u64;

/// Evidence of a dispute: a hash or a URI (UTF-8), at most [`MAX_URI_LEN`] bytes.
pub type Evidence = Bytes<MAX_URI_LEN>;

/// Most tag conditions in a [`RankFilter`].
pub const MAX_FILTER_TAGS: u32 = 8;

/// Most metric conditions in a [`RankFilter`].
pub const MAX_FILTER_METRICS: u32 = 8;

macro_rules! scale_type {
	($(#[$meta:meta])* $vis:vis $kind:ident $name:ident $($body:tt)*) => {
		$(#[$meta])*
		#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
		$vis $kind $name $($body)*
	};
}

scale_type! {
	/// The stake on one version: point totals, the slash factor, the reward accumulator, the
	/// discovery aggregates and the open dispute. Points are stake divided by `factor` when it
	/// was added; a position's balance is its points times the current `factor`.
	pub struct Target<AccountId, Balance> {
		/// Points that earn rewards.
		pub active_points: Balance,
		/// Points added in era `pending_era`, which join `active_points` in a later era.
		pub pending_points: Balance,
		/// The era of `pending_points`.
		pub pending_era: EraIndex,
		/// Points in unbonding chunks (held and slashable, earning nothing).
		pub unbonding_points: Balance,
		/// Balance per point: 1 until a verdict slashes, then multiplied by `1 - slash`.
		pub factor: FixedU128,
		/// Reward per active point, over the target's life.
		pub acc: FixedU128,
		/// Fees credited since the target's first stake (escrowed ones once released).
		pub fees_lifetime: Balance,
		/// The decaying fee average, as of the end of era `ema_era`'s credits.
		pub fees_ema: Balance,
		/// The era `fees_ema` was last brought up to date in.
		pub ema_era: EraIndex,
		/// Accounts with a position.
		pub curators: u32,
		/// The open dispute, if any.
		pub dispute: Option<DisputeId>,
		/// Credits held back while a dispute is open (in the pot), or left with no active
		/// points to go to; released into `acc` by the next credit or a rejected verdict.
		pub escrow: Balance,
		/// Where the slashes positions realize go: the reporter of the last upheld verdict and
		/// its share; `None` until a verdict slashes (then everything realized is burned).
		pub slash_route: Option<SlashRoute<AccountId>>,
		/// Credits of era `streaming_era` (in the pot), shared over the points active at the
		/// first touch of a later era (audit A3-03): a fee rewards stake that stays active
		/// through the era it was paid in, not stake added just before it and unbonded after.
		pub streaming: Balance,
		/// The era of `streaming`.
		pub streaming_era: EraIndex,
	}
}

scale_type! {
	/// The reporter's cut of the slashes a verdict makes, as positions realize them.
	pub struct SlashRoute<AccountId> {
		/// The reporter of the dispute whose verdict set this route.
		pub reporter: AccountId,
		/// The share of each realized slash paid to the dispute's reporter; the rest is burned.
		pub reporter_share: sp_runtime::Perbill,
	}
}

scale_type! {
	/// Points waiting to be withdrawn.
	pub struct Chunk<Balance, BlockNumber> {
		/// Points in the chunk.
		pub points: Balance,
		/// The block from which the chunk can be withdrawn.
		pub unlock_at: BlockNumber,
	}
}

/// One curator's stake on one version.
#[derive(
	frame_support::CloneNoBound,
	frame_support::PartialEqNoBound,
	frame_support::EqNoBound,
	frame_support::DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxChunks))]
#[codec(mel_bound(Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Position<
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxChunks: frame_support::traits::Get<u32>,
> {
	/// Points earning rewards.
	pub active: Balance,
	/// Points added in era `pending_era`, not earning yet.
	pub pending: Balance,
	/// The era of `pending`.
	pub pending_era: EraIndex,
	/// The target's `acc` when rewards were last settled.
	pub acc_paid: FixedU128,
	/// Rewards settled and not claimed.
	pub owed: Balance,
	/// Unbonding chunks, by unlock block.
	pub unbonding: BoundedVec<Chunk<Balance, BlockNumber>, MaxChunks>,
	/// Balance on hold for this position: at least its points times the factor, and equal
	/// after a touch.
	pub held: Balance,
}

scale_type! {
	/// Why a dispute is opened.
	#[derive(Copy)]
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
}

impl DisputeReason {
	/// The yank reason recorded when a dispute for this reason is upheld.
	pub fn yank_reason(&self) -> &'static [u8] {
		match self {
			Self::Malware => b"dispute upheld: malware",
			Self::LicenseViolation => b"dispute upheld: license violation",
			Self::FakeMetrics => b"dispute upheld: fake metrics",
			Self::Other => b"dispute upheld",
		}
	}
}

scale_type! {
	/// An open dispute.
	pub struct Dispute<AccountId, Balance, BlockNumber> {
		/// The disputed version.
		pub version: VersionId,
		/// Who opened it (and holds the bond).
		pub reporter: AccountId,
		/// Why.
		pub reason: DisputeReason,
		/// A hash or URI of the evidence.
		pub evidence: Evidence,
		/// The bond held from the reporter.
		pub bond: Balance,
		/// When it was opened.
		pub opened_at: BlockNumber,
		/// From this block on, with no verdict given, anyone may close it as lapsed
		/// ([`crate::Pallet::close_lapsed_dispute`]): `opened_at + DisputeTimeout` as the timeout
		/// stood when it opened, so a later change of the timeout moves no open deadline.
		pub expires_at: BlockNumber,
	}
}

scale_type! {
	/// A licence class for discovery, by the manifest's `License` variant.
	#[derive(Copy)]
	pub enum LicenseClass {
		/// `License::Unspecified`.
		Unspecified,
		/// `License::Spdx(_)`.
		Spdx,
		/// `License::Terms(_)`.
		Terms,
		/// `License::Sealed { .. }`.
		Sealed,
	}
}

impl LicenseClass {
	/// The class of `license`.
	pub fn of(license: &zoo_primitives::License) -> Self {
		match license {
			zoo_primitives::License::Unspecified => Self::Unspecified,
			zoo_primitives::License::Spdx(_) => Self::Spdx,
			zoo_primitives::License::Terms(_) => Self::Terms,
			zoo_primitives::License::Sealed { .. } => Self::Sealed,
		}
	}
}

scale_type! {
	/// A tag condition: the manifest has tag `key`, with `value` if one is given.
	pub struct TagFilter {
		/// The tag's key.
		pub key: Bytes<MAX_KEY_LEN>,
		/// The value it must have (`None`: any).
		pub value: Option<Bytes<MAX_TAG_VALUE_LEN>>,
	}
}

scale_type! {
	/// A metric condition: the manifest has metric `name` at least `min`.
	pub struct MetricFilter {
		/// The metric's name.
		pub name: Bytes<MAX_KEY_LEN>,
		/// The lowest value accepted.
		pub min: MetricValue,
	}
}

scale_type! {
	/// What [`crate::Pallet::rank`] keeps. Yanked and disputed versions are always left out.
	#[derive(Default)]
	pub struct RankFilter {
		/// Only versions whose licence is of this class.
		pub license: Option<LicenseClass>,
		/// Only versions with every one of these tags.
		pub tags: BoundedVec<TagFilter, ConstU32<MAX_FILTER_TAGS>>,
		/// Only versions meeting every one of these metric thresholds.
		pub metrics: BoundedVec<MetricFilter, ConstU32<MAX_FILTER_METRICS>>,
	}
}

scale_type! {
	/// One row of [`crate::Pallet::rank`].
	pub struct Ranked<Balance> {
		/// The version.
		pub version: VersionId,
		/// Its score (see the crate doc).
		pub score: u128,
		/// Its bonded stake (active and pending points times the factor).
		pub stake: Balance,
		/// Its decayed fee average as of now.
		pub fees_ema: Balance,
		/// Accounts staked on it.
		pub curators: u32,
	}
}

scale_type! {
	/// A version's curation figures, as [`crate::Pallet::curation`] shows them.
	pub struct Aggregates<Balance> {
		/// Active stake: active points times the factor.
		pub active_stake: Balance,
		/// Pending stake: pending points times the factor (active from a later era).
		pub pending_stake: Balance,
		/// Unbonding stake: unbonding points times the factor.
		pub unbonding_stake: Balance,
		/// Accounts with a position.
		pub curators: u32,
		/// Fees credited over the target's life.
		pub fees_lifetime: Balance,
		/// The decaying fee average as of now.
		pub fees_ema: Balance,
		/// Balance per point, in parts per 10^18.
		pub factor: u128,
		/// Credits held in escrow.
		pub escrow: Balance,
		/// The open dispute, if any.
		pub dispute: Option<DisputeId>,
	}
}

scale_type! {
	/// A model's curation figures: the sums over its versions' targets, as
	/// [`crate::Pallet::model_curation`] shows them.
	#[derive(Default)]
	pub struct ModelFigures<Balance> {
		/// Bonded stake (active and pending) over the model's versions.
		pub stake: Balance,
		/// Positions over the model's versions (an account staked on two versions counts twice).
		pub curators: u32,
		/// Fees credited over the model's versions' lives.
		pub fees_lifetime: Balance,
	}
}
