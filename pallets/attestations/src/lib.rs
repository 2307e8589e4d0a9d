//! # Attestations pallet
//!
//! Evaluations recorded on chain, bound to a version and a dataset, and promotion policies the
//! runtime enforces when a protected ref moves: the gate MLflow runs in the client, moved where
//! nobody can skip it, with the evidence kept.
//!
//! ## Overview
//!
//! **Evaluators** are the accounts whose evaluations count. A model's admins name the
//! evaluators they trust for it ([`Pallet::add_evaluator`], deposit `EvaluatorDeposit`, at most
//! `MaxEvaluators`); governance (`ForceOrigin`, root until a consortium council exists) keeps a
//! global list trusted for every model ([`Pallet::set_global_evaluator`]).
//!
//! An **attestation** ([`Pallet::attest`]) says: version V scored these metrics on dataset D
//! (a dataset manifest's content ID), and here is the evidence (a sha2-256 hash and a URI of a
//! log or report). Only evaluators trusted for the version's model attest it; the version must
//! exist and not be yanked; one evaluator attests a version once per dataset (until it revokes
//! that attestation); metrics follow the manifest's rules (sorted, unique, fixed-point). Each
//! costs `AttestationDeposit` plus `AttestationDepositPerByte` per encoded byte, held for good:
//! attestations accumulate (at most `MaxAttestations` per version) and are never deleted. An
//! evaluator revokes its own with a reason ([`Pallet::revoke`]); the attestation stays, marked,
//! and no longer counts.
//!
//! One evaluator makes at most `MaxAttestationsPerEvaluator` attestations of a version, revoked
//! ones included (audit A3-09): without that bound a single trusted evaluator, or a model's own
//! admins through an evaluator they added, could fill all `MaxAttestations` slots with made-up
//! datasets and keep every other evaluator, and every promotion that needs their evidence,
//! out for good. Counting revoked attestations keeps revoke-and-re-attest from doing the same.
//! The count is taken over the version's attestations when one is added (at most
//! `MaxAttestations` reads, which the `attest` benchmark measures at its worst).
//!
//! A **promotion policy** on a ref of a model ([`Pallet::set_policy`], admins, deposit
//! `PolicyDeposit`): attestations from at least `min_evaluators` distinct trusted evaluators;
//! metric thresholds on datasets (`accuracy >= 0.9` on D, or `loss <= 0.2` for lower-is-better
//! metrics), each judged by the *worst* value the trusted attestations give (a disagreeing
//! evaluator cannot be outvoted); and optionally that the new target strictly beats the current
//! one on a measure (when the current one has a trusted score for it). The lineage pallet asks
//! this pallet ([`zoo_primitives::PromotionGate`]) before every unforced move of a ref: a move
//! that fails the policy is refused with the first unmet condition, and one that passes has its
//! evidence (the indices of the trusted attestations it rested on) kept under the move's index
//! in the ref's history ([`Pallet::evidence`]), so "what put this version in production at block
//! N" has an answer. Admins may still force a move; the history marks it forced, with no
//! evidence. A version under an open curation dispute ([`zoo_primitives::DisputeGate`]) is
//! refused by every unforced move, with a policy or without ([`Error::UnderDispute`]), until the
//! council's verdict. Trust is judged when the ref moves: removing an evaluator later does not rewrite
//! the evidence of moves already made.
//!
//! ## Calls
//!
//! - [`Pallet::add_evaluator`], [`Pallet::remove_evaluator`]: a model's trusted evaluators
//!   (admins).
//! - [`Pallet::set_global_evaluator`]: the global list (governance).
//! - [`Pallet::attest`], [`Pallet::revoke`]: attestations (trusted evaluators).
//! - [`Pallet::set_policy`], [`Pallet::remove_policy`]: a ref's promotion policy (admins).
//!
//! ## Reads
//!
//! View functions: [`Pallet::attestations`] (paged), [`Pallet::attestation`],
//! [`Pallet::policy`], [`Pallet::check_promotion`] (every unmet condition),
//! [`Pallet::evidence`] and [`Pallet::is_trusted`].
//!
//! ## Invariants
//!
//! `try_state` checks them: attestation counters match the attestations, within
//! `MaxAttestations`; every active-attestation index points at an unrevoked attestation by that
//! evaluator on that dataset, and every unrevoked attestation is indexed; evaluator counters
//! match and stay within `MaxEvaluators`; every evidence entry names attestations that exist;
//! and the deposits recorded add up, per account and reason, to what is on hold.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod functions;
mod impl_promotion_gate;
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

/// Balance type of the currency deposits are held in.
pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// An attestation as stored.
pub type AttestationOf<T> = Attestation<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
	frame_support::BoundedVec<zoo_primitives::Metric, <T as Config>::MaxMetrics>,
>;

/// A policy as stored.
pub type PolicyOf<T> = Policy<frame_support::BoundedVec<Threshold, <T as Config>::MaxThresholds>>;

/// A policy record as stored.
pub type PolicyRecordOf<T> = PolicyRecord<<T as frame_system::Config>::AccountId, BalanceOf<T>, PolicyOf<T>>;

/// The evidence of one promotion.
pub type EvidenceFor<T> = EvidenceOf<<T as Config>::MaxAttestations>;

/// What this pallet's benchmarks need from the runtime: models, admins and versions, made
/// through the model registry, and refs, made through the lineage pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes models, admins and versions (the model registry).
	type Models: zoo_primitives::ModelsForBenchmarks<AccountId>;
	/// Makes refs (the lineage pallet).
	type Refs: zoo_primitives::RefsForBenchmarks<AccountId>;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::fungible::MutateHold};
	use frame_system::pallet_prelude::*;
	use zoo_primitives::{
		DisputeGate, MAX_METRICS, MAX_URI_LEN, Metric, ModelAccess, ModelName, RefName, RefTargets, VersionId,
	};

	/// The storage layout version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// Longest page [`Pallet::attestations`] returns.
	pub const MAX_PAGE: u32 = 256;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency deposits are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason> + fungible::Mutate<Self::AccountId>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The model registry: versions, their models and yanks, and admins.
		type Models: ModelAccess<Self::AccountId>;

		/// The refs (the lineage pallet): where a ref points now.
		type Refs: RefTargets;

		/// Curation disputes: a version under an open one is not promoted.
		type Disputes: DisputeGate;

		/// Governance: keeps the global evaluator list.
		type ForceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Fixed part of an attestation's deposit.
		#[pallet::constant]
		type AttestationDeposit: Get<BalanceOf<Self>>;

		/// Deposit per encoded byte of an attestation.
		#[pallet::constant]
		type AttestationDepositPerByte: Get<BalanceOf<Self>>;

		/// Deposit per trusted evaluator of a model, held from the admin who named it.
		#[pallet::constant]
		type EvaluatorDeposit: Get<BalanceOf<Self>>;

		/// Deposit per promotion policy, held from the admin who set it.
		#[pallet::constant]
		type PolicyDeposit: Get<BalanceOf<Self>>;

		/// Most metrics in one attestation (at most the manifest's `MAX_METRICS`).
		#[pallet::constant]
		type MaxMetrics: Get<u32>;

		/// Most attestations of one version.
		#[pallet::constant]
		type MaxAttestations: Get<u32>;

		/// Most attestations of one version by one evaluator, revoked ones included, so that no
		/// evaluator fills a version's `MaxAttestations` alone (audit A3-09).
		#[pallet::constant]
		type MaxAttestationsPerEvaluator: Get<u32>;

		/// Most trusted evaluators of one model.
		#[pallet::constant]
		type MaxEvaluators: Get<u32>;

		/// Most thresholds in one policy.
		#[pallet::constant]
		type MaxThresholds: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up what the benchmarks need from other pallets (models, versions and refs).
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for an attestation.
		#[codec(index = 0)]
		AttestationDeposit,
		/// Deposit for a model's trusted evaluator.
		#[codec(index = 1)]
		EvaluatorDeposit,
		/// Deposit for a promotion policy.
		#[codec(index = 2)]
		PolicyDeposit,
	}

	/// A model's trusted evaluators: (model, evaluator) to (the admin who named it, its deposit).
	#[pallet::storage]
	pub type Evaluators<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, ModelName, Blake2_128Concat, T::AccountId, (T::AccountId, BalanceOf<T>)>;

	/// How many trusted evaluators each model has.
	#[pallet::storage]
	pub type EvaluatorCount<T: Config> = StorageMap<_, Blake2_128Concat, ModelName, u32, ValueQuery>;

	/// Evaluators trusted for every model.
	#[pallet::storage]
	pub type GlobalEvaluators<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// Attestations: (version, index) to the attestation.
	#[pallet::storage]
	pub type Attestations<T: Config> =
		StorageDoubleMap<_, Identity, VersionId, Twox64Concat, AttestationIndex, AttestationOf<T>>;

	/// How many attestations each version has.
	#[pallet::storage]
	pub type AttestationCount<T: Config> = StorageMap<_, Identity, VersionId, u32, ValueQuery>;

	/// Each unrevoked attestation's index by (version, evaluator, dataset): one per triple.
	#[pallet::storage]
	pub type Active<T: Config> = StorageNMap<
		_,
		(NMapKey<Identity, VersionId>, NMapKey<Blake2_128Concat, T::AccountId>, NMapKey<Identity, DatasetId>),
		AttestationIndex,
	>;

	/// Promotion policies: (model, ref) to the policy.
	#[pallet::storage]
	pub type Policies<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, ModelName, Blake2_128Concat, RefName, PolicyRecordOf<T>>;

	/// What each policy-checked move rested on: (model, ref, move index in the ref's history)
	/// to the new target and the indices of its attestations that counted.
	#[pallet::storage]
	pub type Evidence<T: Config> = StorageNMap<
		_,
		(NMapKey<Blake2_128Concat, ModelName>, NMapKey<Blake2_128Concat, RefName>, NMapKey<Twox64Concat, u32>),
		(VersionId, EvidenceFor<T>),
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An admin of `model` trusts `evaluator`.
		EvaluatorAdded {
			/// The model.
			model: ModelName,
			/// The evaluator.
			evaluator: T::AccountId,
		},
		/// An admin of `model` no longer trusts `evaluator`.
		EvaluatorRemoved {
			/// The model.
			model: ModelName,
			/// The evaluator.
			evaluator: T::AccountId,
		},
		/// Governance trusts `evaluator` for every model, or no longer does.
		GlobalEvaluatorSet {
			/// The evaluator.
			evaluator: T::AccountId,
			/// Whether it is trusted now.
			trusted: bool,
		},
		/// An evaluator attested a version.
		Attested {
			/// The version.
			version: VersionId,
			/// The attestation's index among the version's.
			index: AttestationIndex,
			/// The evaluator.
			evaluator: T::AccountId,
			/// The dataset it was measured on.
			dataset: DatasetId,
		},
		/// An evaluator revoked its attestation.
		Revoked {
			/// The version.
			version: VersionId,
			/// The attestation's index among the version's.
			index: AttestationIndex,
			/// The evaluator.
			evaluator: T::AccountId,
		},
		/// A ref's promotion policy was set.
		PolicySet {
			/// The model.
			model: ModelName,
			/// The ref.
			name: RefName,
		},
		/// A ref's promotion policy was removed.
		PolicyRemoved {
			/// The model.
			model: ModelName,
			/// The ref.
			name: RefName,
		},
		/// Move `index` of a ref took it to `version` under its policy, resting on `evidence`
		/// (indices of `version`'s attestations).
		Promoted {
			/// The model.
			model: ModelName,
			/// The ref.
			name: RefName,
			/// The move's index in the ref's history.
			index: u32,
			/// The new target.
			version: VersionId,
			/// The indices of the version's attestations that counted.
			evidence: EvidenceFor<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The model does not exist.
		UnknownModel,
		/// The caller is not an admin of the model.
		NotAdmin,
		/// The evaluator is already trusted for the model.
		EvaluatorExists,
		/// The account is not a trusted evaluator of the model.
		UnknownEvaluator,
		/// The model has `MaxEvaluators` evaluators already.
		TooManyEvaluators,
		/// The global list already says so.
		GlobalEvaluatorUnchanged,
		/// The version does not exist.
		UnknownVersion,
		/// The version is yanked.
		VersionYanked,
		/// The caller is not an evaluator trusted for the version's model.
		NotTrusted,
		/// The caller already attested this version on this dataset (revoke that one first).
		DuplicateAttestation,
		/// The version has `MaxAttestations` attestations already.
		TooManyAttestations,
		/// The caller has made `MaxAttestationsPerEvaluator` attestations of the version
		/// already (revoked ones count too).
		TooManyAttestationsByEvaluator,
		/// No metrics, more than `MaxMetrics`, or metric names that are not sorted, unique and
		/// valid.
		InvalidMetrics,
		/// The evidence URI is not a URI.
		InvalidEvidenceUri,
		/// No such attestation.
		UnknownAttestation,
		/// Only the evaluator that made an attestation revokes it.
		NotEvaluator,
		/// The attestation is already revoked.
		AlreadyRevoked,
		/// The reason is not UTF-8.
		InvalidReason,
		/// The caller cannot pay the deposit.
		InsufficientBalance,
		/// The ref does not exist.
		UnknownRef,
		/// No policy on this ref.
		UnknownPolicy,
		/// A policy that asks for nothing, asks more evaluators than `MaxEvaluators` can give,
		/// or names a metric that is not valid.
		InvalidPolicy,
		/// Promotion: fewer distinct trusted evaluators attested the new target than the policy
		/// asks.
		TooFewEvaluators,
		/// Promotion: no trusted attestation of the new target gives a threshold's measure.
		MissingMeasure,
		/// Promotion: a threshold is not met.
		BelowThreshold,
		/// Promotion: the new target does not beat the current one on the policy's measure.
		DoesNotBeatCurrent,
		/// Promotion: a dispute against the new target is open (see the curation pallet).
		UnderDispute,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxMetrics::get() <= MAX_METRICS, "MaxMetrics is above the manifest's bound");
			assert!(T::MaxAttestations::get() <= MAX_PAGE, "MaxAttestations is above a page");
			assert!(
				(1..=T::MaxAttestations::get()).contains(&T::MaxAttestationsPerEvaluator::get()),
				"MaxAttestationsPerEvaluator is not between 1 and MaxAttestations"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Trust `evaluator`'s attestations of `model`'s versions.
		///
		/// - Origin: signed by an admin of `model`.
		/// - Deposit: `EvaluatorDeposit`, held from the caller until the evaluator is removed.
		/// - Emits [`Event::EvaluatorAdded`].
		/// - Errors: [`Error::UnknownModel`], [`Error::NotAdmin`], [`Error::EvaluatorExists`],
		///   [`Error::TooManyEvaluators`], [`Error::InsufficientBalance`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_evaluator())]
		pub fn add_evaluator(origin: OriginFor<T>, model: ModelName, evaluator: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_add_evaluator(who, model, evaluator)
		}

		/// Stop trusting `evaluator` for `model` (its attestations stay; they stop counting).
		///
		/// - Origin: signed by an admin of `model`.
		/// - Effects: releases the deposit to whoever paid it.
		/// - Emits [`Event::EvaluatorRemoved`].
		/// - Errors: [`Error::UnknownModel`], [`Error::NotAdmin`], [`Error::UnknownEvaluator`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_evaluator())]
		pub fn remove_evaluator(origin: OriginFor<T>, model: ModelName, evaluator: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_evaluator(who, model, evaluator)
		}

		/// Trust `evaluator` for every model, or stop.
		///
		/// - Origin: `ForceOrigin`.
		/// - Emits [`Event::GlobalEvaluatorSet`].
		/// - Errors: [`Error::GlobalEvaluatorUnchanged`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_global_evaluator())]
		pub fn set_global_evaluator(origin: OriginFor<T>, evaluator: T::AccountId, trusted: bool) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			Self::do_set_global_evaluator(evaluator, trusted)
		}

		/// Attest that `version` scored `metrics` on `dataset`, with evidence.
		///
		/// - Origin: signed by an evaluator trusted for the version's model.
		/// - Checks: the version exists and is not yanked; the caller has no unrevoked
		///   attestation of it on `dataset`; 1 to `MaxMetrics` metrics, sorted by name, unique,
		///   valid names; a valid evidence URI; fewer than `MaxAttestations` attestations so far,
		///   and fewer than `MaxAttestationsPerEvaluator` by the caller (revoked ones included).
		/// - Deposit: `AttestationDeposit + AttestationDepositPerByte * encoded size`, held for
		///   good.
		/// - Emits [`Event::Attested`].
		/// - Errors: [`Error::UnknownVersion`], [`Error::VersionYanked`], [`Error::NotTrusted`],
		///   [`Error::DuplicateAttestation`], [`Error::TooManyAttestations`],
		///   [`Error::TooManyAttestationsByEvaluator`], [`Error::InvalidMetrics`], [`Error::InvalidEvidenceUri`],
		///   [`Error::InsufficientBalance`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::attest(metrics.len() as u32))]
		pub fn attest(
			origin: OriginFor<T>,
			version: VersionId,
			dataset: DatasetId,
			metrics: BoundedVec<Metric, T::MaxMetrics>,
			evidence_hash: [u8; 32],
			evidence_uri: zoo_primitives::Bytes<MAX_URI_LEN>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_attest(who, version, dataset, metrics, evidence_hash, evidence_uri).map(|_| ())
		}

		/// Revoke one's own attestation, with a reason. It stays on chain, marked, and no longer
		/// counts for promotions.
		///
		/// - Origin: signed by the attestation's evaluator.
		/// - Emits [`Event::Revoked`].
		/// - Errors: [`Error::UnknownAttestation`], [`Error::NotEvaluator`],
		///   [`Error::AlreadyRevoked`], [`Error::InvalidReason`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::revoke())]
		pub fn revoke(
			origin: OriginFor<T>,
			version: VersionId,
			index: AttestationIndex,
			reason: Reason,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_revoke(who, version, index, reason)
		}

		/// Set (or replace) the promotion policy of ref `name` of `model`.
		///
		/// - Origin: signed by an admin of `model`.
		/// - Checks: the ref exists; the policy asks for something, at most `MaxEvaluators`
		///   distinct evaluators, and names valid metrics.
		/// - Deposit: `PolicyDeposit`, held from the caller (a replaced policy's is released).
		/// - Emits [`Event::PolicySet`].
		/// - Errors: [`Error::UnknownModel`], [`Error::NotAdmin`], [`Error::UnknownRef`],
		///   [`Error::InvalidPolicy`], [`Error::InsufficientBalance`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_policy())]
		pub fn set_policy(
			origin: OriginFor<T>,
			model: ModelName,
			name: RefName,
			policy: PolicyOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_policy(who, model, name, policy)
		}

		/// Remove the promotion policy of ref `name` of `model`.
		///
		/// - Origin: signed by an admin of `model`.
		/// - Effects: releases the deposit to whoever paid it.
		/// - Emits [`Event::PolicyRemoved`].
		/// - Errors: [`Error::UnknownModel`], [`Error::NotAdmin`], [`Error::UnknownPolicy`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::remove_policy())]
		pub fn remove_policy(origin: OriginFor<T>, model: ModelName, name: RefName) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_policy(who, model, name)
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// The attestations of `version`, by index, skipping `start`, at most `limit` (capped at
		/// [`MAX_PAGE`]).
		pub fn attestations(version: VersionId, start: u32, limit: u32) -> Vec<(AttestationIndex, AttestationOf<T>)> {
			(start..AttestationCount::<T>::get(version))
				.take(limit.min(MAX_PAGE) as usize)
				.filter_map(|index| Attestations::<T>::get(version, index).map(|a| (index, a)))
				.collect()
		}

		/// One attestation.
		pub fn attestation(version: VersionId, index: AttestationIndex) -> Option<AttestationOf<T>> {
			Attestations::<T>::get(version, index)
		}

		/// The promotion policy of ref `name` of `model`.
		pub fn policy(model: ModelName, name: RefName) -> Option<PolicyOf<T>> {
			Policies::<T>::get(model, name).map(|record| record.policy)
		}

		/// Every condition of the policy of ref `name` of `model` that `version` does not meet
		/// now (empty: an unforced move to it would pass; also when there is no policy).
		pub fn check_promotion(model: ModelName, name: RefName, version: VersionId) -> Vec<Unmet> {
			Self::unmet(&model, &name, version).0
		}

		/// The new target and the indices of its attestations that move `index` of ref `name` of
		/// `model` rested on (`None`: the move was not checked against a policy, or was forced).
		pub fn evidence(model: ModelName, name: RefName, index: u32) -> Option<(VersionId, EvidenceFor<T>)> {
			Evidence::<T>::get((model, name, index))
		}

		/// Whether `evaluator` is trusted for `model` (by the model's admins or globally).
		pub fn is_trusted(model: ModelName, evaluator: T::AccountId) -> bool {
			Self::trusted(&model, &evaluator)
		}
	}
}
