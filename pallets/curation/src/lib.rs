//! # Curation pallet
//!
//! Curators stake on model versions (the exact bytes they vouch for), are paid only from the
//! license fees those versions earn, cannot stake just in time for a purchase, can be slashed
//! pro rata when a consortium verdict upholds a dispute, and rank versions for discovery.
//!
//! ## Overview
//!
//! **Stake.** [`Pallet::stake`] holds `amount` (at least `MinStake`) from the curator under
//! [`HoldReason::CurationStake`] on a version that exists, is not yanked and has no open
//! dispute. Stake is never transferred: wallets show it as held. Each version is a *target*
//! ([`Target`]) keeping its stake in **points**: a stake of `amount` buys `amount / factor`
//! points, and a position's balance is its points times the target's `factor` (balance per
//! point, 1 until a verdict slashes). A slash multiplies `factor` by `1 - slash`, which slashes
//! every curator of the version, active, pending and unbonding alike, pro rata in O(1).
//!
//! **No just-in-time stake.** Time is cut into eras of `EraLength` blocks. Points added in
//! era `e` are *pending*: they join the target's active points the first time anything touches
//! the target in a later era (a stake, a credit, a verdict, any curator's call), with the reward
//! accumulator as it stood then. A fee credited in era `e` is not shared at once: it *streams*
//! ([`Target::streaming`](types::Target)) until the first touch of a later era, which shares it
//! over the points active then, before that touch activates any pending points. So a fee
//! rewards only stake that was active when it was paid and stayed active into the next era:
//! stake added in the era of a purchase earns nothing from it, and neither does stake added in
//! the last block before it and unbonded right after, which a buyer or seller timing its own
//! purchase could otherwise use to take most of the curation share back (audit A3-03). A
//! position's own pending points are settled on its next touch from the target's record of
//! that activation ([`ActivationAcc`]), so every curator earns from the era boundary, not from
//! its own next call.
//!
//! **Rewards** come only from fees. The licensing pallet hands each payment's curation share to
//! the version through [`zoo_primitives::CurationHook::credit`]: the fee moves from the payer
//! into this pallet's pot account, streams through the era, and then the target's reward
//! accumulator `acc` (reward per active point, FixedU128) grows by `fee / active_points`. When
//! no points are active the credit takes nothing and returns the whole fee, which stays with
//! the payees; a stream with no active points left to share it waits for the next ones. A position
//! settles `active * (acc - acc_paid)` (rounded down) into `owed` whenever it is touched, and
//! [`Pallet::claim`] pays `owed` from the pot; rounding leaves at most one unit of dust per
//! settlement in the pot, never paying out more than was credited. Every call costs the same
//! with one or ten thousand curators on the version.
//!
//! **The touch.** Every call on a position first *touches* it: it activates the target's
//! pending points of past eras, settles the position's rewards, activates its own pending
//! points, and realizes the slashes verdicts made since its last touch: the difference between
//! what is held and `points * factor` is slashed from the hold ([`Event::Slashed`]), the
//! reporter of the last upheld dispute on the version is paid its `reporter_share` of it, and
//! the rest is burned. [`Pallet::activate`] touches anyone's position (permissionless), so
//! keepers can settle idle positions.
//!
//! **Unbonding.** [`Pallet::unbond`] moves points (pending first, then active) into an
//! unbonding chunk that unlocks `UnbondingPeriod` blocks later (at most `MaxUnbondingChunks`
//! chunks; chunks unlocking at the same block merge). Unbonding points earn nothing and stay
//! held and slashable. [`Pallet::withdraw`] releases the chunks that have unlocked; it fails
//! while a dispute on the version is open. With no slash, stake, unbond and withdraw return
//! exactly the amount staked.
//!
//! **Disputes.** Anyone opens one against a version that exists and is either not yanked or
//! still holds stake, bonded or unbonding ([`Pallet::open_dispute`]), with a [`DisputeReason`] and evidence (a hash or URI), holding
//! `DisputeBond`. One dispute per version at a time. While it is open, stake on the version
//! cannot be added or withdrawn, and its credits are **escrowed** in the target instead of
//! being shared. `VerdictOrigin` (the consortium council: a pallet-collective majority in the
//! runtime) resolves it with [`Pallet::resolve_dispute`]:
//! - **upheld**: the version is yanked (through [`zoo_primitives::VersionYank::yank`]);
//!   `factor *= 1 - slash` (O(1)); the reporter gets `reporter_share` of every slash positions
//!   realize afterwards, the rest is burned; the bond is returned; the escrow goes to
//!   `redirect_to` if given (burned otherwise, or if it cannot be paid there);
//! - **rejected**: the reporter's bond is burned, and the escrow is released into the
//!   accumulator (or, with no active points, kept for the next credit).
//!
//! A dispute cannot freeze a version for longer than `DisputeTimeout` blocks: from its
//! `expires_at` (`opened_at + DisputeTimeout`, fixed when it opens) anyone may close it as
//! **lapsed** ([`Pallet::close_lapsed_dispute`]), which ends it as a rejection does: the bond
//! is burned and the escrow released. Getting a verdict in time is the reporter's business, so
//! keeping a version frozen costs a burned bond per `DisputeTimeout` (audit A3-04).
//!
//! A version whose `factor` falls below `MinFactor` takes no new stake. A version with an open
//! dispute answers `true` to [`zoo_primitives::DisputeGate::has_open_dispute`], so gated
//! promotion can refuse it. A position sleeping through two verdicts on the same version routes
//! its whole realized slash by the later verdict's reporter and share.
//!
//! **A yank does not end the risk** (audit A3-02). A version's owner can yank it at any time,
//! and a yanked version takes no new stake; but while stake is still held on it (bonded, or in
//! unbonding chunks that have not been withdrawn), it can still be disputed, so an owner who
//! yanks a malicious version when a dispute appears cannot walk its curators' stake out past
//! the verdict: the dispute freezes withdrawals, and unbonding takes `UnbondingPeriod`.
//!
//! **Discovery.** Each target keeps exact aggregates ([`Pallet::curation`]): active, pending
//! and unbonding stake, curators, lifetime fees, and a fee average decayed per era, computed
//! lazily: `ema <- ema * FeeDecay^(eras since) + fee` (Perbill powers, integer maths). Model
//! figures ([`ModelTotals`], [`Pallet::model_curation`]) sum bonded stake, positions and
//! lifetime fees over a model's versions, kept up to date by every change (one registry read
//! for the version's model when they change).
//! [`TopByStake`] lists at most `TopN` versions by *bonded* stake (active plus pending points
//! times the factor; unbonding stake is leaving and does not count), largest first, ties by
//! smaller [`VersionId`](zoo_primitives::VersionId); every change of a version's bonded stake
//! (stake, unbond, verdict) moves its entry by binary search and shift, O(TopN). A version
//! pushed out of a full list re-enters on its next change. [`Pallet::rank`] walks that list, drops yanked and disputed
//! versions and those failing the [`RankFilter`] (licence class by the manifest's `License`
//! variant, tags, metric thresholds; read through [`zoo_primitives::VersionInspect::manifest`]),
//! and orders the rest by the integer score
//!
//! ```text
//! score = ScoreStakeWeight * isqrt(bonded_stake) + ScoreFeeWeight * ilog2(1 + fees_ema)
//! ```
//!
//! (`isqrt` the integer square root, `ilog2` the floor of the base-2 logarithm), largest
//! first, ties by smaller version ID. Stake is the only signal whose cost is slashable; the
//! curator count can be sybilled and fees self-generated (each unit costing the protocol fee).
//!
//! **Deposits.** A position's storage is paid by the stake itself: at least `MinStake` is held
//! while the position exists, and a position is removed when its last point is withdrawn and
//! its rewards claimed, so `MinStake` must be at least the cost of a position's storage. A
//! target is created by a first stake (or a dispute, whose bond pays for it) and kept for its
//! aggregates. A dispute holds `DisputeBond` until its verdict or its lapse.
//!
//! **Weights.** `weights.rs` is generated by `scripts/benchmark.sh` from the runtime. The
//! benchmarks set `stake`, `unbond`, `claim` and `resolve_dispute` up with 1 to 10,000 curators
//! on the target (component `c`): they read and write the same items and record the same proof
//! size whatever `c` is, but the measured time grows with the size of the benchmark's database
//! (it grows as much when the other curators stake on another version), so the calls are
//! charged at `c` = [`BENCHMARKED_CURATORS`].
//!
//! ## Calls
//!
//! - [`Pallet::stake`]: stake on a version (anyone; the stake is held).
//! - [`Pallet::unbond`]: start unbonding (a curator).
//! - [`Pallet::withdraw`]: release unlocked chunks (a curator).
//! - [`Pallet::claim`]: take settled rewards (a curator).
//! - [`Pallet::activate`]: touch anyone's position (anyone).
//! - [`Pallet::open_dispute`]: dispute a version (anyone; `DisputeBond`).
//! - [`Pallet::resolve_dispute`]: give a verdict (`VerdictOrigin`).
//! - [`Pallet::close_lapsed_dispute`]: close a dispute past its `expires_at` (anyone).
//!
//! ## Reads
//!
//! View functions: [`Pallet::curation`], [`Pallet::model_curation`], [`Pallet::position`],
//! [`Pallet::claimable`], [`Pallet::streaming`], [`Pallet::dispute`], [`Pallet::top_by_stake`]
//! and [`Pallet::rank`].
//!
//! ## Invariants
//!
//! `try_state` checks them: per target, the points of its positions add up to its totals
//! (active, pending of the current batch plus the pending recorded in [`ActivationAcc`],
//! unbonding) and its curator count is its number of positions; every position holds at least
//! its points times the factor, and the positions' holds add up, per account, to what is on
//! hold for stake; dispute bonds add up to what is on hold for bonds; each open dispute is its
//! target's; [`TopByStake`] is sorted, without duplicates, within `TopN`, and each entry's stake
//! is its version's bonded stake; [`ModelTotals`] are the sums over each model's targets; and
//! the pot holds at least the existential deposit plus everything owed, escrowed, streaming,
//! and the rewards positions could settle now; and every open dispute expires after it opened.
//!
//! ## Storage versions
//!
//! - 0: the first layout.
//! - 1: a [`Dispute`] records `expires_at` ([`migrations::v1::MigrateV0ToV1`] sets it to
//!   `opened_at + DisputeTimeout` for the disputes open at the upgrade).
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod functions;
mod impl_curation_hook;
mod impl_dispute_gate;
pub mod migrations;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use frame_support::traits::fungible;

/// Balance type of the currency this pallet holds and pays.
pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A target as stored.
pub type TargetOf<T> = Target<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// A position as stored.
pub type PositionOf<T> =
	Position<BalanceOf<T>, frame_system::pallet_prelude::BlockNumberFor<T>, <T as Config>::MaxUnbondingChunks>;

/// An unbonding chunk as stored.
pub type ChunkOf<T> = Chunk<BalanceOf<T>, frame_system::pallet_prelude::BlockNumberFor<T>>;

/// A dispute as stored.
pub type DisputeOf<T> =
	Dispute<<T as frame_system::Config>::AccountId, BalanceOf<T>, frame_system::pallet_prelude::BlockNumberFor<T>>;

/// The curators the benchmarks of `stake`, `unbond`, `claim` and `resolve_dispute` are
/// charged for: their largest. They read and write the same items with 1 curator or 10,000.
pub const BENCHMARKED_CURATORS: u32 = 10_000;

/// What this pallet's benchmarks need from the runtime: versions to stake on, made through the
/// model registry.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes models and versions (the model registry).
	type Models: zoo_primitives::ModelsForBenchmarks<AccountId>;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		PalletId,
		pallet_prelude::*,
		traits::{
			EnsureOrigin,
			fungible::{Balanced, BalancedHold, Mutate, MutateHold},
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{FixedU128, Perbill};
	use zoo_primitives::{ModelName, VersionId, VersionInspect, VersionYank};

	/// The storage layout version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency stake and bonds are held in and rewards paid in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ BalancedHold<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ Balanced<Self::AccountId>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The versions curators stake on (the model registry): existence, yanks and manifests
		/// ([`VersionInspect`]), and the yank an upheld verdict makes ([`VersionYank`]).
		type Versions: VersionInspect + VersionYank;

		/// Who gives verdicts on disputes (the consortium council).
		type VerdictOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The pallet's ID: its pot account holds credited fees not yet claimed, and escrows.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Blocks per era: stake added in an era earns from the next.
		#[pallet::constant]
		type EraLength: Get<BlockNumberFor<Self>>;

		/// Blocks an unbonding chunk stays held (and slashable) before it can be withdrawn; at
		/// least the time a dispute takes to open.
		#[pallet::constant]
		type UnbondingPeriod: Get<BlockNumberFor<Self>>;

		/// Smallest stake a call adds, and smallest stake a position keeps; it pays for the
		/// position's storage and bounds the accumulator's growth.
		#[pallet::constant]
		type MinStake: Get<BalanceOf<Self>>;

		/// Below this factor (balance per point) a slashed version takes no new stake.
		#[pallet::constant]
		type MinFactor: Get<Perbill>;

		/// Most unbonding chunks per position.
		#[pallet::constant]
		type MaxUnbondingChunks: Get<u32>;

		/// Most versions in [`TopByStake`].
		#[pallet::constant]
		type TopN: Get<u32>;

		/// Bond held from whoever opens a dispute.
		#[pallet::constant]
		type DisputeBond: Get<BalanceOf<Self>>;

		/// Blocks a dispute stays open without a verdict before anyone may close it as lapsed.
		#[pallet::constant]
		type DisputeTimeout: Get<BlockNumberFor<Self>>;

		/// The part of the fee average kept from one era to the next.
		#[pallet::constant]
		type FeeDecay: Get<Perbill>;

		/// Weight of `isqrt(stake)` in the rank score.
		#[pallet::constant]
		type ScoreStakeWeight: Get<u128>;

		/// Weight of `ilog2(1 + fees_ema)` in the rank score.
		#[pallet::constant]
		type ScoreFeeWeight: Get<u128>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up what the benchmarks need from other pallets (a version to stake on).
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Stake on versions (bonded and unbonding).
		#[codec(index = 0)]
		CurationStake,
		/// A dispute's bond.
		#[codec(index = 1)]
		DisputeBond,
	}

	/// Each staked (or disputed) version's totals, factor, accumulator and aggregates.
	#[pallet::storage]
	pub type Targets<T: Config> = StorageMap<_, Identity, VersionId, TargetOf<T>>;

	/// Positions: (version, curator) to the curator's stake on the version.
	#[pallet::storage]
	pub type Positions<T: Config> =
		StorageDoubleMap<_, Identity, VersionId, Blake2_128Concat, T::AccountId, PositionOf<T>>;

	/// Pending points activated: (version, era they were added in) to the accumulator when
	/// they activated and the points of it no position has settled yet (removed at zero).
	#[pallet::storage]
	pub type ActivationAcc<T: Config> =
		StorageDoubleMap<_, Identity, VersionId, Twox64Concat, EraIndex, (FixedU128, BalanceOf<T>)>;

	/// The ID the next dispute gets.
	#[pallet::storage]
	pub type NextDisputeId<T> = StorageValue<_, DisputeId, ValueQuery>;

	/// Open disputes.
	#[pallet::storage]
	pub type Disputes<T: Config> = StorageMap<_, Twox64Concat, DisputeId, DisputeOf<T>>;

	/// Versions by bonded stake, largest first, ties by smaller version ID; at most `TopN`.
	#[pallet::storage]
	pub type TopByStake<T: Config> = StorageValue<_, BoundedVec<(VersionId, BalanceOf<T>), T::TopN>, ValueQuery>;

	/// Each model's figures: the sums of its versions' bonded stake, positions and lifetime
	/// fees (removed when all are zero).
	#[pallet::storage]
	pub type ModelTotals<T: Config> = StorageMap<_, Blake2_128Concat, ModelName, ModelFigures<BalanceOf<T>>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A curator staked `amount` (held) on a version, as `points` pending points.
		Staked {
			/// The version.
			version: VersionId,
			/// The curator.
			who: T::AccountId,
			/// The balance held.
			amount: BalanceOf<T>,
			/// The pending points it bought.
			points: BalanceOf<T>,
		},
		/// A curator's pending points joined the version's active points.
		Activated {
			/// The version.
			version: VersionId,
			/// The curator.
			who: T::AccountId,
			/// The points that became active.
			points: BalanceOf<T>,
		},
		/// A curator started unbonding `points` (worth `amount` now), withdrawable from
		/// `unlock_at`.
		Unbonding {
			/// The version.
			version: VersionId,
			/// The curator.
			who: T::AccountId,
			/// What the points are worth now.
			amount: BalanceOf<T>,
			/// The points unbonding.
			points: BalanceOf<T>,
			/// The block from which the chunk can be withdrawn.
			unlock_at: BlockNumberFor<T>,
		},
		/// A curator withdrew `amount` (released from hold).
		Withdrawn {
			/// The version.
			version: VersionId,
			/// The curator.
			who: T::AccountId,
			/// The balance released.
			amount: BalanceOf<T>,
		},
		/// A curator claimed rewards.
		Claimed {
			/// The version.
			version: VersionId,
			/// The curator.
			who: T::AccountId,
			/// The rewards paid.
			amount: BalanceOf<T>,
		},
		/// A fee was credited to a version's curators (`escrowed`: held back by an open
		/// dispute).
		Credited {
			/// The version.
			version: VersionId,
			/// The curators' share of the payment.
			fee: BalanceOf<T>,
			/// Whether an open dispute held it back.
			escrowed: bool,
		},
		/// A slash was realized on a position: `amount` taken from its hold, `to_reporter` of it
		/// paid to the reporter and the rest burned.
		Slashed {
			/// The version.
			version: VersionId,
			/// The curator.
			who: T::AccountId,
			/// The balance taken from its hold.
			amount: BalanceOf<T>,
			/// Of `amount`, what went to the reporter.
			to_reporter: BalanceOf<T>,
		},
		/// A dispute was opened.
		DisputeOpened {
			/// The dispute's ID.
			id: DisputeId,
			/// The version.
			version: VersionId,
			/// Who opened the dispute and holds the bond.
			reporter: T::AccountId,
			/// Why.
			reason: DisputeReason,
		},
		/// A dispute was upheld: the version is yanked and its stake slashed by `slash`;
		/// `escrow` went to `escrow_to` (burned if `None`).
		DisputeUpheld {
			/// The dispute's ID.
			id: DisputeId,
			/// The version.
			version: VersionId,
			/// The fraction of the stake slashed.
			slash: Perbill,
			/// The reporter's share of each realized slash.
			reporter_share: Perbill,
			/// The escrow paid or burned.
			escrow: BalanceOf<T>,
			/// Where the escrow went (`None`: burned).
			escrow_to: Option<T::AccountId>,
		},
		/// A dispute was rejected: the reporter's bond was burned and `escrow` released to the
		/// curators.
		DisputeRejected {
			/// The dispute's ID.
			id: DisputeId,
			/// The version.
			version: VersionId,
			/// The reporter's bond, burned.
			bond_burned: BalanceOf<T>,
			/// The escrow released to the curators.
			escrow: BalanceOf<T>,
		},
		/// A dispute reached its `expires_at` with no verdict and was closed: the reporter's bond
		/// was burned and `escrow` released to the curators.
		DisputeLapsed {
			/// The dispute's ID.
			id: DisputeId,
			/// The version.
			version: VersionId,
			/// The reporter's bond, burned.
			bond_burned: BalanceOf<T>,
			/// The escrow released to the curators.
			escrow: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The version does not exist.
		UnknownVersion,
		/// The version is yanked.
		VersionYanked,
		/// A stake below `MinStake`.
		StakeTooLow,
		/// The version was slashed below `MinFactor`: it takes no new stake.
		FactorTooLow,
		/// A dispute on the version is open (no stake added or withdrawn, no second dispute).
		DisputeOpen,
		/// The caller (or the account named) has no position on the version.
		NoPosition,
		/// An amount of zero, or less than one point.
		ZeroAmount,
		/// Unbonding would leave a bonded stake below `MinStake` (unbond everything instead).
		RemainderTooLow,
		/// The position has `MaxUnbondingChunks` chunks already.
		TooManyChunks,
		/// No chunk has unlocked yet.
		NothingToWithdraw,
		/// The caller cannot pay the stake or the bond.
		InsufficientBalance,
		/// No such open dispute.
		UnknownDispute,
		/// The dispute has not reached its `expires_at`: only a verdict closes it before.
		DisputeNotLapsed,
		/// The pot cannot pay (an accounting fault; `try_state` catches it).
		PotInsufficient,
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The runtime the pallet is configured for (no value).
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::endow_pot();
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(!T::EraLength::get().is_zero(), "EraLength must not be zero");
			assert!(!T::MinStake::get().is_zero(), "MinStake must not be zero (it bounds the accumulator)");
			assert!(T::MaxUnbondingChunks::get() >= 1, "a position needs room for one chunk");
			assert!(T::TopN::get() >= 1, "TopByStake needs room for one version");
			assert!(!T::MinFactor::get().is_zero(), "MinFactor must not be zero");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Stake `amount` on `version`. The points it buys are pending until the next era.
		///
		/// - Origin: signed, anyone.
		/// - Checks: `amount` is at least `MinStake`; the version exists, is not yanked, has no
		///   open dispute, and its factor is at least `MinFactor`.
		/// - Effects: touches the caller's position (creating it); adds `amount / factor`
		///   pending points; moves the version in [`TopByStake`].
		/// - Deposit: the stake, `points * factor` (the whole `amount` unless the version was
		///   slashed), held under [`HoldReason::CurationStake`] until withdrawn; it also pays for
		///   the position's storage.
		/// - Emits [`Event::Staked`].
		/// - Errors: [`Error::StakeTooLow`], [`Error::UnknownVersion`], [`Error::VersionYanked`],
		///   [`Error::DisputeOpen`], [`Error::FactorTooLow`], [`Error::InsufficientBalance`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::stake(BENCHMARKED_CURATORS))]
		pub fn stake(origin: OriginFor<T>, version: VersionId, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_stake(who, version, amount)
		}

		/// Start unbonding `amount` of the caller's bonded stake on `version` (pending points
		/// first, then active; everything if `amount` is more than the position).
		///
		/// - Origin: signed by a curator of the version.
		/// - Checks: `amount` is worth at least one point; what stays bonded is zero or at least
		///   `MinStake`; the position has room for a chunk (chunks unlocking at the same block
		///   merge).
		/// - Effects: touches the position; moves the points into a chunk unlocking
		///   `UnbondingPeriod` blocks from now (held and slashable, earning nothing); moves the
		///   version in [`TopByStake`].
		/// - Emits [`Event::Unbonding`].
		/// - Errors: [`Error::NoPosition`], [`Error::ZeroAmount`], [`Error::RemainderTooLow`],
		///   [`Error::TooManyChunks`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::unbond(BENCHMARKED_CURATORS))]
		pub fn unbond(origin: OriginFor<T>, version: VersionId, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unbond(who, version, amount)
		}

		/// Release the caller's unlocked chunks on `version` from hold.
		///
		/// - Origin: signed by a curator of the version.
		/// - Checks: no dispute on the version is open; a chunk has unlocked.
		/// - Effects: touches the position (realizing any slash); releases the chunks' points
		///   times the factor; removes the position when nothing is left in it.
		/// - Emits [`Event::Withdrawn`].
		/// - Errors: [`Error::NoPosition`], [`Error::DisputeOpen`], [`Error::NothingToWithdraw`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::withdraw(T::MaxUnbondingChunks::get()))]
		pub fn withdraw(origin: OriginFor<T>, version: VersionId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let chunks = Self::do_withdraw(who, version)?;
			Ok(Some(T::WeightInfo::withdraw(chunks)).into())
		}

		/// Pay the caller its settled rewards on `version` from the pot; nothing owed is a
		/// no-op. The cost does not depend on how many curators or credits there were.
		///
		/// - Origin: signed by a curator of the version.
		/// - Effects: touches the position; pays `owed`; removes the position when nothing is
		///   left in it.
		/// - Emits [`Event::Claimed`] when something was paid.
		/// - Errors: [`Error::NoPosition`], [`Error::PotInsufficient`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::claim(BENCHMARKED_CURATORS))]
		pub fn claim(origin: OriginFor<T>, version: VersionId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim(who, version)
		}

		/// Touch `who`'s position on `version`: activate its pending points of past eras,
		/// settle its rewards, and realize slashes. Changes nothing `who` is owed.
		///
		/// - Origin: signed, anyone.
		/// - Emits [`Event::Activated`] and [`Event::Slashed`] when they happen.
		/// - Errors: [`Error::NoPosition`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::activate())]
		pub fn activate(origin: OriginFor<T>, version: VersionId, who: T::AccountId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_activate(who, version)
		}

		/// Dispute `version`: while the dispute is open no stake is added to or withdrawn from
		/// it and its credits are escrowed.
		///
		/// - Origin: signed, anyone (the reporter).
		/// - Checks: the version exists, has no open dispute, and is not yanked unless stake
		///   (bonded or unbonding) is still held on it: a yank does not end the slashing risk
		///   of the stake that backed the version, so its owner cannot dodge a verdict.
		/// - Deposit: `DisputeBond`, held from the reporter until the verdict (returned if
		///   upheld, burned if rejected) or until it lapses `DisputeTimeout` blocks later
		///   (burned).
		/// - Emits [`Event::DisputeOpened`].
		/// - Errors: [`Error::UnknownVersion`], [`Error::VersionYanked`], [`Error::DisputeOpen`],
		///   [`Error::InsufficientBalance`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::open_dispute())]
		pub fn open_dispute(
			origin: OriginFor<T>,
			version: VersionId,
			reason: DisputeReason,
			evidence: Evidence,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_open_dispute(who, version, reason, evidence)
		}

		/// Give the verdict on dispute `dispute`.
		///
		/// - Origin: `VerdictOrigin` (the consortium council).
		/// - Effects when `upheld`: yanks the version; multiplies its factor by `1 - slash`
		///   (every position, unbonding chunks included, loses `slash` of its stake as it is
		///   touched: `reporter_share` of it to the reporter, the rest burned); returns the
		///   bond; pays the escrow to `redirect_to`, or burns it (`None`, or an account it cannot
		///   be paid to); moves the version in [`TopByStake`].
		/// - Effects when rejected (`slash`, `reporter_share` and `redirect_to` are ignored):
		///   burns the bond; releases the escrow into the curators' rewards.
		/// - Emits [`Event::DisputeUpheld`] or [`Event::DisputeRejected`].
		/// - Errors: [`Error::UnknownDispute`], `BadOrigin`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::resolve_dispute(BENCHMARKED_CURATORS))]
		pub fn resolve_dispute(
			origin: OriginFor<T>,
			dispute: DisputeId,
			upheld: bool,
			slash: Perbill,
			reporter_share: Perbill,
			redirect_to: Option<T::AccountId>,
		) -> DispatchResult {
			T::VerdictOrigin::ensure_origin(origin)?;
			Self::do_resolve_dispute(dispute, upheld, slash, reporter_share, redirect_to)
		}

		/// Close dispute `dispute`, which reached its `expires_at` with no verdict, as lapsed:
		/// it ends as a rejected one does.
		///
		/// - Origin: signed, anyone.
		/// - Effects: burns the reporter's bond; releases the escrow into the curators' rewards
		///   (kept for the next credit when no points are active); the version takes stake,
		///   withdrawals and gated promotions again.
		/// - Emits [`Event::DisputeLapsed`].
		/// - Errors: [`Error::UnknownDispute`], [`Error::DisputeNotLapsed`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::close_lapsed_dispute(BENCHMARKED_CURATORS))]
		pub fn close_lapsed_dispute(origin: OriginFor<T>, dispute: DisputeId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_close_lapsed_dispute(dispute)
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// A version's curation figures, if anyone ever staked on or disputed it.
		pub fn curation(version: VersionId) -> Option<Aggregates<BalanceOf<T>>> {
			Self::aggregates(&version)
		}

		/// A model's figures: the sums over its versions.
		pub fn model_curation(model: ModelName) -> Option<ModelFigures<BalanceOf<T>>> {
			ModelTotals::<T>::get(model)
		}

		/// `who`'s position on `version`, as stored (points, rewards settled, chunks, held).
		pub fn position(version: VersionId, who: T::AccountId) -> Option<PositionOf<T>> {
			Positions::<T>::get(version, who)
		}

		/// What `who` could claim from `version` now (a touch included).
		pub fn claimable(version: VersionId, who: T::AccountId) -> BalanceOf<T> {
			Self::claimable_now(&version, &who)
		}

		/// The fees credited to `version` this era, which are shared at the first touch of the
		/// next over the stake still active then (audit A3-03); those of a past era are in the
		/// curators' [`Pallet::claimable`] already.
		pub fn streaming(version: VersionId) -> BalanceOf<T> {
			Self::streaming_now(&version)
		}

		/// An open dispute.
		pub fn dispute(id: DisputeId) -> Option<DisputeOf<T>> {
			Disputes::<T>::get(id)
		}

		/// [`TopByStake`]: versions by bonded stake, largest first.
		pub fn top_by_stake() -> Vec<(VersionId, BalanceOf<T>)> {
			TopByStake::<T>::get().into_inner()
		}

		/// At most `limit` versions of [`TopByStake`] passing `filter`, neither yanked nor
		/// disputed, by score (see the crate doc), largest first.
		pub fn rank(filter: RankFilter, limit: u32) -> Vec<Ranked<BalanceOf<T>>> {
			Self::ranked(&filter, limit)
		}
	}
}
