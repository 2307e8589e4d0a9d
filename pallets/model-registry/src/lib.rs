//! # Model registry pallet
//!
//! The append-only, content-addressed record of ML model versions at the heart of Zoo.
//!
//! ## Overview
//!
//! A **model** is a named repository (`org/name`, see [`zoo_primitives::validate_model_name`])
//! owned by the account that created it. Its owner grants **roles** to maintainers: an
//! [`Role::Admin`] manages roles, may yank any version and force-move refs, a [`Role::Writer`]
//! commits versions and moves refs, a [`Role::Committer`] only commits and a [`Role::Releaser`]
//! only moves refs (refs live in the lineage pallet, which asks this pallet through
//! [`zoo_primitives::ModelAccess`]). Ownership moves in two steps: the owner offers it, the new
//! owner accepts (and so agrees to have the model deposit held).
//!
//! A **version** is a [`zoo_primitives::Manifest`]: the artifacts' digests and storage URIs,
//! parents, metrics, license, tags and message. The runtime recomputes the version's content ID
//! (a CIDv1 over the manifest's SCALE bytes) itself, so an ID on chain always matches its
//! manifest. Versions are never changed or deleted; a version can be **yanked**: marked, with a
//! reason, as not to be used. Each commit is handed to the version graph (`Config::Lineage`, a
//! [`zoo_primitives::VersionGraph`]), which checks the parent edges and records the version.
//!
//! Every item that grows state holds a deposit from the account that created it, through
//! fungible holds ([`HoldReason`]): a fixed deposit per model and per maintainer, and per
//! version a base plus a per-byte deposit on the manifest's encoded size.
//!
//! ## Calls
//!
//! - [`Pallet::create_model`]: create a model owned by the caller.
//! - [`Pallet::set_role`]: grant, change or revoke a maintainer's role (admins).
//! - [`Pallet::offer_ownership`] / [`Pallet::accept_ownership`]: transfer ownership.
//! - [`Pallet::commit_version`]: commit a version manifest (committers).
//! - [`Pallet::yank_version`]: mark a version as yanked (admins, or its committer).
//!
//! ## Reads
//!
//! View functions, visible in the metadata to polkadot.js and subxt: [`Pallet::model`],
//! [`Pallet::version`], [`Pallet::versions`], [`Pallet::role`] and [`Pallet::maintainers`].
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod functions;
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

/// The record type this pallet stores for each version.
pub type VersionRecordOf<T> = VersionRecord<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
>;

/// The details this pallet stores for each model.
pub type ModelDetailsOf<T> =
	ModelDetails<<T as frame_system::Config>::AccountId, BalanceOf<T>, frame_system::pallet_prelude::BlockNumberFor<T>>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::fungible::MutateHold};
	use frame_system::pallet_prelude::*;
	use zoo_primitives::{Manifest, ModelName, VersionGraph, VersionId, MAX_MODEL_NAME_LEN};

	/// Longest page [`Pallet::versions`] returns.
	pub const MAX_PAGE: u32 = 1024;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency deposits are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason> + fungible::Mutate<Self::AccountId>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Deposit held from the owner of each model.
		#[pallet::constant]
		type ModelDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from the admin that grants a maintainer role, per maintainer.
		#[pallet::constant]
		type MaintainerDeposit: Get<BalanceOf<Self>>;

		/// Fixed part of the deposit held from the committer of each version.
		#[pallet::constant]
		type VersionDepositBase: Get<BalanceOf<Self>>;

		/// Deposit per byte of a version's encoded manifest.
		#[pallet::constant]
		type VersionDepositPerByte: Get<BalanceOf<Self>>;

		/// Largest encoded manifest accepted, in bytes.
		#[pallet::constant]
		type MaxManifestLen: Get<u32>;

		/// Most maintainers a model may have besides its owner.
		#[pallet::constant]
		type MaxMaintainers: Get<u32>;

		/// The version graph: checks a new version's parent edges and records the version
		/// (the lineage pallet; `()` accepts any existing parents and records nothing).
		type Lineage: VersionGraph;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for a model.
		#[codec(index = 0)]
		ModelDeposit,
		/// Deposit for a maintainer entry.
		#[codec(index = 1)]
		MaintainerDeposit,
		/// Deposit for a committed version.
		#[codec(index = 2)]
		VersionDeposit,
	}

	/// Models by name.
	#[pallet::storage]
	pub type Models<T: Config> = StorageMap<_, Blake2_128Concat, ModelName, ModelDetailsOf<T>>;

	/// Maintainers of each model (the owner is not listed: it is always an admin).
	#[pallet::storage]
	pub type Maintainers<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		ModelName,
		Blake2_128Concat,
		T::AccountId,
		Maintainer<T::AccountId, BalanceOf<T>>,
	>;

	/// Record of every committed version, by content ID.
	#[pallet::storage]
	pub type Versions<T: Config> = StorageMap<_, Blake2_128Concat, VersionId, VersionRecordOf<T>>;

	/// Manifest of every committed version, by content ID.
	#[pallet::storage]
	pub type Manifests<T: Config> = StorageMap<_, Blake2_128Concat, VersionId, Manifest>;

	/// The versions of each model in commit order: (model, index) -> ID.
	#[pallet::storage]
	pub type ModelVersions<T: Config> = StorageDoubleMap<_, Blake2_128Concat, ModelName, Twox64Concat, u32, VersionId>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A model was created.
		ModelCreated { model: ModelName, owner: T::AccountId, deposit: BalanceOf<T> },
		/// A maintainer's role was granted or changed (`role` is `Some`) or revoked (`None`).
		RoleSet { model: ModelName, who: T::AccountId, role: Option<Role>, by: T::AccountId },
		/// The owner offered ownership to `to` (`None`: withdrew the offer).
		OwnershipOffered { model: ModelName, to: Option<T::AccountId> },
		/// Ownership moved from `from` to `to`.
		OwnershipTransferred { model: ModelName, from: T::AccountId, to: T::AccountId },
		/// A version was committed.
		VersionCommitted { model: ModelName, id: VersionId, committer: T::AccountId, index: u32, deposit: BalanceOf<T> },
		/// A version was yanked.
		VersionYanked { model: ModelName, id: VersionId, by: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The model name is not `org/name` (lower-case letters, digits, `-`, `_`; at most 64
		/// bytes).
		InvalidModelName,
		/// A model with this name already exists.
		ModelExists,
		/// No model has this name.
		UnknownModel,
		/// Only the model's owner may do this.
		NotOwner,
		/// Only the model's owner or an admin may do this.
		NotAdmin,
		/// Only the model's owner, an admin, a writer or a committer may commit versions.
		NotCommitter,
		/// The owner's role cannot be changed: it is always an admin.
		OwnerRoleFixed,
		/// The account has no role on this model, so there is nothing to revoke.
		NotMaintainer,
		/// The model already has the maximum number of maintainers.
		TooManyMaintainers,
		/// The account already owns this model.
		AlreadyOwner,
		/// The caller has not been offered ownership of this model.
		NoOwnershipOffer,
		/// The account cannot pay the deposit: free balance too low.
		InsufficientBalance,
		/// The encoded manifest is larger than `MaxManifestLen`.
		ManifestTooLarge,
		/// The same parent is listed twice.
		DuplicateParent,
		/// A parent is not a committed version.
		UnknownParent,
		/// An artifact path is empty, absolute, not UTF-8, or has a `.`, `..` or empty part.
		InvalidArtifactPath,
		/// Artifacts are not sorted by path, or two share a path.
		ArtifactsNotSorted,
		/// An artifact URI has no `scheme:` prefix or is not UTF-8.
		InvalidArtifactUri,
		/// An artifact digest uses another algorithm than the manifest's hashing settings.
		DigestAlgorithmMismatch,
		/// The hashing settings' shard size is below 1 MiB.
		ShardTooSmall,
		/// A metric name or tag key is empty or uses characters other than `a-z0-9._-/`.
		InvalidKey,
		/// Metrics are not sorted by name, or two share a name.
		MetricsNotSorted,
		/// Tags are not sorted by key, or two share a key.
		TagsNotSorted,
		/// The message, a tag value or the license is not UTF-8, or the license is empty.
		InvalidText,
		/// A version with this content ID is already committed.
		VersionExists,
		/// No version has this content ID.
		UnknownVersion,
		/// The version is already yanked.
		AlreadyYanked,
		/// Only an admin of the model or the version's committer may yank it.
		NotAllowedToYank,
		/// The yank reason is not UTF-8.
		InvalidReason,
		/// More parents than the version graph accepts.
		TooManyParents,
		/// A `merge` edge on a version with fewer than two parents.
		MergeNeedsTwoParents,
		/// A `revision` edge to a version of another model: a derivation across models takes
		/// another kind (finetune, quantize, distill, adapter, other, merge).
		RevisionAcrossModels,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a model named `name`, owned by the caller.
		///
		/// - Origin: signed; the caller becomes the owner (and is implicitly an admin).
		/// - Deposit: `ModelDeposit`, held from the caller until the model changes hands.
		/// - Emits [`Event::ModelCreated`].
		/// - Errors: [`Error::InvalidModelName`], [`Error::ModelExists`],
		///   [`Error::InsufficientBalance`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_model())]
		pub fn create_model(
			origin: OriginFor<T>,
			name: BoundedVec<u8, ConstU32<MAX_MODEL_NAME_LEN>>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_create_model(owner, name)
		}

		/// Grant `who` a `role` on `model`, change it, or revoke it (`role` = `None`).
		///
		/// - Origin: signed by the owner or an admin of the model.
		/// - Deposit: `MaintainerDeposit`, held from the caller when a new maintainer is added
		///   and released to whoever paid it when the role is revoked.
		/// - Emits [`Event::RoleSet`].
		/// - Errors: [`Error::UnknownModel`], [`Error::NotAdmin`], [`Error::OwnerRoleFixed`],
		///   [`Error::NotMaintainer`], [`Error::TooManyMaintainers`],
		///   [`Error::InsufficientBalance`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_role())]
		pub fn set_role(
			origin: OriginFor<T>,
			model: ModelName,
			who: T::AccountId,
			role: Option<Role>,
		) -> DispatchResult {
			let caller = ensure_signed(origin)?;
			Self::do_set_role(caller, model, who, role)
		}

		/// Offer ownership of `model` to `to`, or withdraw the offer (`None`).
		///
		/// Nothing changes hands until `to` calls [`Pallet::accept_ownership`].
		///
		/// - Origin: signed by the owner.
		/// - Emits [`Event::OwnershipOffered`].
		/// - Errors: [`Error::UnknownModel`], [`Error::NotOwner`], [`Error::AlreadyOwner`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::offer_ownership())]
		pub fn offer_ownership(origin: OriginFor<T>, model: ModelName, to: Option<T::AccountId>) -> DispatchResult {
			let caller = ensure_signed(origin)?;
			Self::do_offer_ownership(caller, model, to)
		}

		/// Accept an offer of ownership of `model`.
		///
		/// - Origin: signed by the account the owner offered ownership to.
		/// - Deposit: `ModelDeposit` is held from the new owner and the previous owner's
		///   deposit is released.
		/// - Emits [`Event::OwnershipTransferred`].
		/// - Errors: [`Error::UnknownModel`], [`Error::NoOwnershipOffer`],
		///   [`Error::InsufficientBalance`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::accept_ownership())]
		pub fn accept_ownership(origin: OriginFor<T>, model: ModelName) -> DispatchResult {
			let caller = ensure_signed(origin)?;
			Self::do_accept_ownership(caller, model)
		}

		/// Commit a version: store `manifest` under the content ID the runtime computes from it.
		///
		/// - Origin: signed by the owner, an admin, a writer or a committer of `manifest.model`.
		/// - Checks: the manifest is canonical (see [`zoo_primitives::Manifest::validate`]) and at
		///   most `MaxManifestLen` bytes encoded, its model exists, every parent is a committed
		///   version, the version graph (`Config::Lineage`) accepts the parent edges, and no
		///   version with the same ID exists.
		/// - Effects: stores the record and manifest, and records the version in the graph.
		/// - Deposit: `VersionDepositBase + VersionDepositPerByte * encoded size`, held from the
		///   caller for as long as the version exists (versions are never deleted).
		/// - Emits [`Event::VersionCommitted`].
		/// - Errors: [`Error::ManifestTooLarge`], [`Error::UnknownModel`],
		///   [`Error::NotCommitter`], [`Error::UnknownParent`], [`Error::TooManyParents`],
		///   [`Error::MergeNeedsTwoParents`], [`Error::RevisionAcrossModels`],
		///   [`Error::VersionExists`], [`Error::InsufficientBalance`], and one error per manifest rule
		///   ([`Error::DuplicateParent`], [`Error::InvalidArtifactPath`], ...).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::commit_version(
			manifest.artifacts.len() as u32,
			manifest.parents.len() as u32,
		))]
		pub fn commit_version(origin: OriginFor<T>, manifest: Manifest) -> DispatchResult {
			let committer = ensure_signed(origin)?;
			Self::do_commit_version(committer, manifest).map(|_| ())
		}

		/// Yank version `id`: mark it as not to be used, with a `reason`. The version and its
		/// manifest stay, unchanged; a yank cannot be undone.
		///
		/// - Origin: signed by an admin of the version's model (or its owner), or by the
		///   account that committed the version.
		/// - Emits [`Event::VersionYanked`].
		/// - Errors: [`Error::UnknownVersion`], [`Error::AlreadyYanked`],
		///   [`Error::NotAllowedToYank`], [`Error::InvalidReason`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::yank_version())]
		pub fn yank_version(origin: OriginFor<T>, id: VersionId, reason: YankReason) -> DispatchResult {
			let caller = ensure_signed(origin)?;
			Self::do_yank_version(caller, id, reason)
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// The model named `name`.
		pub fn model(name: ModelName) -> Option<ModelDetailsOf<T>> {
			Models::<T>::get(name)
		}

		/// The record and manifest of version `id`.
		pub fn version(id: VersionId) -> Option<(VersionRecordOf<T>, Manifest)> {
			Some((Versions::<T>::get(id)?, Manifests::<T>::get(id)?))
		}

		/// Up to `limit` (at most 1024) version IDs of `model`, newest first, skipping the
		/// `start` newest.
		pub fn versions(model: ModelName, start: u32, limit: u32) -> Vec<VersionId> {
			Self::versions_page(&model, start, limit)
		}

		/// The role of `who` on `model` (`Admin` for the owner).
		pub fn role(model: ModelName, who: T::AccountId) -> Option<Role> {
			Self::role_of(&model, &who)
		}

		/// The maintainers of `model` and their roles (the owner is not listed).
		pub fn maintainers(model: ModelName) -> Vec<(T::AccountId, Role)> {
			Maintainers::<T>::iter_prefix(model).map(|(who, entry)| (who, entry.role)).collect()
		}
	}
}
