//! # Model registry pallet
//!
//! The append-only, content-addressed record of ML model versions at the heart of Zoo.
//!
//! ## Overview
//!
//! An **organisation** is an owned namespace: the `org` of every model name `org/name` (see
//! [`zoo_primitives::validate_org_name`]). Its owner grants members an [`OrgRole`]; only the
//! owner, its admins and its members may create models under it. An organisation is created
//! with [`Pallet::create_org`], or implicitly by the first [`Pallet::create_model`] under a
//! name nobody holds yet (the caller then owns it), so a namespace is claimed exactly once.
//!
//! **Names people can trust.** Every organisation and model name is also stored under its
//! confusable skeleton ([`zoo_primitives::name_skeleton`]: case, separators `-`/`_`/`.`
//! dropped as npm does, `0`/`o`, `1`/`l`/`i`, `rn`/`m`, `vv`/`w`, `cl`/`d`), and a name whose
//! skeleton is taken is refused ([`Error::NameTooSimilar`]): after `meta-llama` exists,
//! `meta_llama`, `metallama`, `rneta-llama` and `meta-11ama` cannot be created, nor
//! `meta-llama/llama_3` beside `meta-llama/llama-3`. Governance (`Config::ForceOrigin`, root for now) keeps a short
//! list of **reserved** names ([`Pallet::set_reserved_name`]; their skeletons are refused too)
//! and can create an organisation for its rightful owner whatever the list says
//! ([`Pallet::force_create_org`]): that is how a consortium member claims a reserved name.
//!
//! A **model** is a named repository (`org/name`) owned by the account that created it. Its
//! owner grants **roles** to maintainers: an [`Role::Admin`] manages roles, may yank any
//! version and force-move refs, a [`Role::Writer`] commits versions and moves refs, a
//! [`Role::Committer`] only commits and a [`Role::Releaser`] only moves refs (refs live in the
//! lineage pallet, which asks this pallet through [`zoo_primitives::ModelAccess`]). Ownership
//! moves in two steps: the owner offers it, the new owner accepts (and so agrees to have the
//! model deposit held); a role the new owner held as a maintainer is dropped and its deposit
//! released, since the owner is an admin anyway.
//!
//! A **version** is a [`zoo_primitives::Manifest`]: the artifacts' digests and storage URIs,
//! parents, metrics, license, tags and message. The runtime recomputes the version's content ID
//! (a CIDv1 over the manifest's SCALE bytes) itself, so an ID on chain always matches its
//! manifest. Versions are never changed or deleted; a version can be **yanked**: marked, with a
//! reason, as not to be used. A yank binds: a yanked version becomes a parent of a new version
//! only when an admin of its model commits it ([`Error::YankedParent`]), and the lineage pallet
//! lets only admins point refs at it. Admins yank any version of their model; a committer yanks
//! its own versions only while it still holds a role that commits; and the curation pallet
//! yanks a version when the council upholds a dispute against it (through
//! [`zoo_primitives::VersionYank`], recorded as made by `Config::GovernanceYanker`). Other
//! pallets read versions through [`zoo_primitives::VersionInspect`]. Each commit is handed to
//! the version graph (`Config::Lineage`, a [`zoo_primitives::VersionGraph`]), which checks the
//! parent edges and records the version, and to the licence rules (`Config::Licensing`, a
//! [`zoo_primitives::LicensePolicy`]), which check the manifest's licence against its parents'
//! terms and record what the version's revenue owes upstream; either can refuse the commit.
//!
//! Every item that grows state holds a deposit from the account that created it, through
//! fungible holds ([`HoldReason`]): a fixed deposit per organisation (which also pays for its
//! skeleton entry), per model (likewise) and per maintainer or organisation member, and per
//! version a base plus a per-byte deposit on the manifest's encoded size and on the state the
//! licence rules add for it.
//!
//! ## Calls
//!
//! - [`Pallet::create_org`]: create an organisation owned by the caller.
//! - [`Pallet::set_org_role`]: grant, change or revoke a member's role (organisation admins).
//! - [`Pallet::create_model`]: create a model owned by the caller (organisation members; claims
//!   an organisation nobody holds).
//! - [`Pallet::set_role`]: grant, change or revoke a maintainer's role (admins).
//! - [`Pallet::offer_ownership`] / [`Pallet::accept_ownership`]: transfer ownership.
//! - [`Pallet::commit_version`]: commit a version manifest (committers).
//! - [`Pallet::yank_version`]: mark a version as yanked (admins, or its committer).
//! - [`Pallet::set_reserved_name`], [`Pallet::force_create_org`]: governance.
//!
//! ## Reads
//!
//! View functions, visible in the metadata to polkadot.js and subxt: [`Pallet::org`],
//! [`Pallet::org_role`], [`Pallet::org_members`], [`Pallet::name_available`], [`Pallet::model`],
//! [`Pallet::version`], [`Pallet::versions`], [`Pallet::role`] and [`Pallet::maintainers`].
//!
//! ## Invariants
//!
//! `try_state` checks them: every model's organisation exists; every organisation's and
//! model's skeleton is taken (by itself, or by a look-alike registered before the skeleton rule
//! last changed) and every skeleton entry names an existing one with that skeleton; counters
//! (versions, maintainers, members, models per organisation) match the entries; every version
//! has its manifest, whose ID is its key; owners hold no maintainer or member entry; and the
//! deposits recorded beside the items add up, per account and reason, to what is on hold.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod functions;
mod impl_model_access;
mod impl_version_inspect;
mod impl_version_yank;
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

/// Balance type of the currency deposits are held in.
pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// The record type this pallet stores for each version.
pub type VersionRecordOf<T> = VersionRecord<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
>;

/// The details this pallet stores for each organisation.
pub type OrgDetailsOf<T> =
	OrgDetails<<T as frame_system::Config>::AccountId, BalanceOf<T>, frame_system::pallet_prelude::BlockNumberFor<T>>;

/// The details this pallet stores for each model.
pub type ModelDetailsOf<T> =
	ModelDetails<<T as frame_system::Config>::AccountId, BalanceOf<T>, frame_system::pallet_prelude::BlockNumberFor<T>>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::fungible::MutateHold};
	use frame_system::pallet_prelude::*;
	use zoo_primitives::{LicensePolicy, Manifest, ModelName, NameSkeleton, OrgName, VersionGraph, VersionId};

	/// Longest page [`Pallet::versions`] and [`Pallet::org_members`] return.
	pub const MAX_PAGE: u32 = 1024;

	/// The storage layout version: 1 added organisations, name skeletons and reserved names;
	/// 2 re-keyed the skeletons when they began to drop separators ([`crate::migrations::v2`]).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency deposits are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason> + fungible::Mutate<Self::AccountId>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Deposit held from the owner of each organisation.
		#[pallet::constant]
		type OrgDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from the owner of each model.
		#[pallet::constant]
		type ModelDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from the admin that grants a role, per model maintainer or organisation
		/// member.
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

		/// Most members an organisation may have besides its owner.
		#[pallet::constant]
		type MaxOrgMembers: Get<u32>;

		/// Governance: keeps the reserved names and creates organisations for their rightful
		/// owners.
		type ForceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The account recorded as the yanker when another pallet yanks a version through
		/// [`zoo_primitives::VersionYank`] (the curation pallet, when the council upholds a
		/// dispute: its pallet account).
		type GovernanceYanker: Get<Self::AccountId>;

		/// The version graph: checks a new version's parent edges and records the version
		/// (the lineage pallet; `()` accepts any existing parents and records nothing).
		type Lineage: VersionGraph;

		/// The licence rules: check a new version's licence against its parents' terms and
		/// record its royalties (the licensing pallet; [`NoLicensing`] accepts everything).
		type Licensing: LicensePolicy<Self::AccountId, Error = DispatchError, Weight = Weight>;

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
		/// Deposit for an organisation.
		#[codec(index = 3)]
		OrgDeposit,
		/// Deposit for an organisation member entry.
		#[codec(index = 4)]
		OrgMemberDeposit,
	}

	/// Organisations by name.
	#[pallet::storage]
	pub type Orgs<T: Config> = StorageMap<_, Blake2_128Concat, OrgName, OrgDetailsOf<T>>;

	/// Members of each organisation (the owner is not listed: it is always an admin).
	#[pallet::storage]
	pub type OrgMembers<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		OrgName,
		Blake2_128Concat,
		T::AccountId,
		OrgMember<T::AccountId, BalanceOf<T>>,
	>;

	/// Every organisation by its confusable skeleton.
	#[pallet::storage]
	pub type OrgSkeletons<T: Config> = StorageMap<_, Blake2_128Concat, NameSkeleton, OrgName>;

	/// Every model by its confusable skeleton.
	#[pallet::storage]
	pub type ModelSkeletons<T: Config> = StorageMap<_, Blake2_128Concat, NameSkeleton, ModelName>;

	/// Skeletons of the organisation names governance keeps back.
	#[pallet::storage]
	pub type ReservedNames<T: Config> = StorageMap<_, Blake2_128Concat, NameSkeleton, ()>;

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

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Organisation names reserved from the start (each is stored by its skeleton).
		pub reserved_names: Vec<Vec<u8>>,
		/// Organisations granted at genesis: each name is reserved and its organisation created
		/// for its owner without a deposit, as `force_create_org` does (a consortium's members).
		pub orgs: Vec<(Vec<u8>, T::AccountId)>,
		/// The runtime the pallet is configured for (no value).
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for name in &self.reserved_names {
				assert!(zoo_primitives::validate_org_name(name).is_ok(), "a reserved name is not a valid org name");
				ReservedNames::<T>::insert(zoo_primitives::name_skeleton(name), ());
			}
			for (name, owner) in &self.orgs {
				let name: OrgName = name.clone().try_into().expect("a genesis organisation's name is too long");
				assert!(zoo_primitives::validate_org_name(&name).is_ok(), "a genesis organisation's name is not valid");
				ReservedNames::<T>::insert(zoo_primitives::name_skeleton(&name), ());
				Pallet::<T>::do_create_org(owner.clone(), name, true)
					.expect("genesis organisations have distinct, dissimilar names");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An organisation was created (`deposit` is zero when governance created it).
		OrgCreated {
			/// The organisation.
			org: OrgName,
			/// Its owner.
			owner: T::AccountId,
			/// The deposit held.
			deposit: BalanceOf<T>,
		},
		/// A member's role was granted or changed (`role` is `Some`) or revoked (`None`).
		OrgRoleSet {
			/// The organisation.
			org: OrgName,
			/// The member.
			who: T::AccountId,
			/// The role (`None`: revoked).
			role: Option<OrgRole>,
			/// Who did it.
			by: T::AccountId,
		},
		/// Governance reserved an organisation name, or released it (`reserved` is false).
		NameReserved {
			/// The organisation name.
			name: OrgName,
			/// Whether it is reserved now.
			reserved: bool,
		},
		/// A model was created.
		ModelCreated {
			/// The model.
			model: ModelName,
			/// Its owner.
			owner: T::AccountId,
			/// The deposit held.
			deposit: BalanceOf<T>,
		},
		/// A maintainer's role was granted or changed (`role` is `Some`) or revoked (`None`).
		RoleSet {
			/// The model.
			model: ModelName,
			/// The maintainer.
			who: T::AccountId,
			/// The role (`None`: revoked).
			role: Option<Role>,
			/// Who did it.
			by: T::AccountId,
		},
		/// The owner offered ownership to `to` (`None`: withdrew the offer).
		OwnershipOffered {
			/// The model.
			model: ModelName,
			/// Who may accept (`None`: the offer was withdrawn).
			to: Option<T::AccountId>,
		},
		/// Ownership moved from `from` to `to`.
		OwnershipTransferred {
			/// The model.
			model: ModelName,
			/// The previous owner.
			from: T::AccountId,
			/// The new owner.
			to: T::AccountId,
		},
		/// A version was committed.
		VersionCommitted {
			/// The model.
			model: ModelName,
			/// The version's content ID.
			id: VersionId,
			/// The committing account.
			committer: T::AccountId,
			/// The version's index among the model's versions.
			index: u32,
			/// The deposit held from the committer.
			deposit: BalanceOf<T>,
		},
		/// A version was yanked.
		VersionYanked {
			/// The model.
			model: ModelName,
			/// The version's content ID.
			id: VersionId,
			/// Who did it.
			by: T::AccountId,
		},
		/// The new owner of a model held a maintainer role on it: the role was dropped (the
		/// owner is an admin anyway) and its deposit released to whoever paid it.
		MaintainerDropped {
			/// The model.
			model: ModelName,
			/// The former maintainer, now the owner.
			who: T::AccountId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The model name is not `org/name` (lower-case letters, digits, single `-` or `_`
		/// between them; at most 64 bytes).
		InvalidModelName,
		/// The organisation name is not lower-case letters and digits with single `-` or `_`
		/// between them, at most 32 bytes.
		InvalidOrgName,
		/// An organisation with this name already exists.
		OrgExists,
		/// No organisation has this name.
		UnknownOrg,
		/// Only the organisation's owner, its admins and its members may create models in it.
		NotOrgMember,
		/// Only the organisation's owner or an admin may do this.
		NotOrgAdmin,
		/// The account has no role in this organisation, so there is nothing to revoke.
		NoOrgRole,
		/// The organisation already has the maximum number of members.
		TooManyOrgMembers,
		/// The name looks like an existing organisation or model name (same confusable
		/// skeleton: case, separators `-`/`_`/`.` ignored, `0`/`o`, `1`/`l`/`i`, `rn`/`m`, ...).
		NameTooSimilar,
		/// The name (or one that looks like it) is reserved by governance.
		NameReserved,
		/// The name is already reserved, or not reserved, as asked.
		ReservationUnchanged,
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
		/// The owner's role cannot be changed: it is always an admin (of the model or the
		/// organisation).
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
		/// An artifact path is empty, absolute, not UTF-8 in NFC, has a `.`, `..` or empty part
		/// or a part ending in `.` or a space, or holds a control character, a bidirectional
		/// override, `\` or `:`.
		InvalidArtifactPath,
		/// An artifact path has a part reserved for tools' control files (`.git`, `.hg`,
		/// `.svn`, `.zoo`, `.envrc`, ...; see `zoo_primitives::RESERVED_PATH_PARTS`).
		ReservedArtifactPath,
		/// Two artifact paths differ only in case, or one path is both a file and a directory
		/// of another.
		ArtifactPathCollision,
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
		/// Only an admin of the model, or the version's committer while it still holds a role
		/// that commits, may yank it.
		NotAllowedToYank,
		/// A parent is yanked: only an admin of the parent's model may build on it.
		YankedParent,
		/// The yank reason is not UTF-8.
		InvalidReason,
		/// More parents than the version graph accepts.
		TooManyParents,
		/// A `merge` edge on a version with fewer than two parents.
		MergeNeedsTwoParents,
		/// A `revision` edge to a version of another model: a derivation across models takes
		/// another kind (finetune, quantize, distill, adapter, other, merge).
		RevisionAcrossModels,
		/// A sealed license lists no encrypted files.
		NothingSealed,
		/// A sealed license's files are not sorted by artifact index, or two name the same
		/// artifact.
		SealedFilesNotSorted,
		/// A sealed file names an artifact index the manifest does not have.
		UnknownSealedArtifact,
		/// A sealed file's owner header is not an age v1 header (`age-encryption.org/v1` first,
		/// a `--- ` MAC line last).
		InvalidSealHeader,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a model named `name` (`org/name`), owned by the caller.
		///
		/// If organisation `org` exists, the caller must be its owner, an admin or a member. If
		/// nobody holds `org` yet, the call claims it for the caller, as [`Pallet::create_org`]
		/// would (same checks, same deposit).
		///
		/// - Origin: signed; the caller becomes the owner (and is implicitly an admin).
		/// - Deposit: `ModelDeposit`, held from the caller until the model changes hands (plus
		///   `OrgDeposit` when the call creates the organisation).
		/// - Emits [`Event::ModelCreated`] (after [`Event::OrgCreated`] when it claims `org`).
		/// - Errors: [`Error::InvalidModelName`], [`Error::InvalidOrgName`] (an `org` part over 32
		///   bytes), [`Error::ModelExists`], [`Error::NameTooSimilar`], [`Error::NotOrgMember`],
		///   [`Error::NameReserved`], [`Error::InsufficientBalance`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_model())]
		pub fn create_model(origin: OriginFor<T>, name: ModelName) -> DispatchResult {
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
		///   deposit is released. If the new owner was a maintainer, its entry goes and its
		///   deposit is released to whoever paid it.
		/// - Emits [`Event::OwnershipTransferred`] (after [`Event::MaintainerDropped`] when the
		///   new owner was a maintainer).
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
		///   version (a yanked one only when the caller is an admin of its model), the version
		///   graph (`Config::Lineage`) accepts the parent edges, the licence rules
		///   (`Config::Licensing`) accept the licence, and no version with the same ID exists.
		/// - Effects: stores the record and manifest, records the version in the graph, and hands
		///   it to the licence rules (which may consume a derivative grant).
		/// - Deposit: `VersionDepositBase + VersionDepositPerByte * (encoded size + the bytes the
		///   licence rules store for it)`, held from the caller for as long as the version exists
		///   (versions are never deleted).
		/// - Emits [`Event::VersionCommitted`].
		/// - Errors: [`Error::ManifestTooLarge`], [`Error::UnknownModel`],
		///   [`Error::NotCommitter`], [`Error::UnknownParent`], [`Error::YankedParent`],
		///   [`Error::TooManyParents`],
		///   [`Error::MergeNeedsTwoParents`], [`Error::RevisionAcrossModels`],
		///   [`Error::VersionExists`], [`Error::InsufficientBalance`], one error per manifest rule
		///   ([`Error::DuplicateParent`], [`Error::InvalidArtifactPath`], ...), and the licence
		///   rules' own errors.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::commit_version(
			manifest.artifacts.len() as u32,
			manifest.parents.len() as u32,
		).saturating_add(T::Licensing::commit_weight(manifest.parents.len() as u32)))]
		pub fn commit_version(origin: OriginFor<T>, manifest: Manifest) -> DispatchResult {
			let committer = ensure_signed(origin)?;
			Self::do_commit_version(committer, manifest).map(|_| ())
		}

		/// Yank version `id`: mark it as not to be used, with a `reason`. The version and its
		/// manifest stay, unchanged; a yank cannot be undone. Afterwards only an admin of the
		/// model may build on the version (as a parent) or point a ref at it.
		///
		/// - Origin: signed by an admin of the version's model (or its owner), or by the
		///   account that committed the version while it still holds a role that commits.
		/// - Emits [`Event::VersionYanked`].
		/// - Errors: [`Error::UnknownVersion`], [`Error::AlreadyYanked`],
		///   [`Error::NotAllowedToYank`], [`Error::InvalidReason`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::yank_version())]
		pub fn yank_version(origin: OriginFor<T>, id: VersionId, reason: YankReason) -> DispatchResult {
			let caller = ensure_signed(origin)?;
			Self::do_yank_version(caller, id, reason)
		}

		/// Create organisation `name`, owned by the caller: the namespace of every model
		/// `name/...`.
		///
		/// - Origin: signed; the caller becomes the owner (and is implicitly an admin).
		/// - Deposit: `OrgDeposit`, held from the caller (organisations are never deleted).
		/// - Emits [`Event::OrgCreated`].
		/// - Errors: [`Error::InvalidOrgName`], [`Error::OrgExists`],
		///   [`Error::NameTooSimilar`], [`Error::NameReserved`], [`Error::InsufficientBalance`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::create_org())]
		pub fn create_org(origin: OriginFor<T>, name: OrgName) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_create_org(owner, name, false)
		}

		/// Grant `who` a `role` in organisation `org`, change it, or revoke it (`role` =
		/// `None`).
		///
		/// - Origin: signed by the owner or an admin of the organisation.
		/// - Deposit: `MaintainerDeposit`, held from the caller when a new member is added and
		///   released to whoever paid it when the role is revoked.
		/// - Emits [`Event::OrgRoleSet`].
		/// - Errors: [`Error::UnknownOrg`], [`Error::NotOrgAdmin`], [`Error::OwnerRoleFixed`],
		///   [`Error::NoOrgRole`], [`Error::TooManyOrgMembers`], [`Error::InsufficientBalance`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::set_org_role())]
		pub fn set_org_role(
			origin: OriginFor<T>,
			org: OrgName,
			who: T::AccountId,
			role: Option<OrgRole>,
		) -> DispatchResult {
			let caller = ensure_signed(origin)?;
			Self::do_set_org_role(caller, org, who, role)
		}

		/// Reserve organisation name `name` (and every name that looks like it), or release it
		/// (`reserved` = false). Organisations that already exist are not affected.
		///
		/// - Origin: `ForceOrigin` (governance; root for now).
		/// - Emits [`Event::NameReserved`].
		/// - Errors: [`Error::InvalidOrgName`], [`Error::ReservationUnchanged`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::set_reserved_name())]
		pub fn set_reserved_name(origin: OriginFor<T>, name: OrgName, reserved: bool) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			Self::do_set_reserved_name(name, reserved)
		}

		/// Create organisation `name` for `owner`, even if the name is reserved: how a
		/// consortium member gets the name it is known by. No deposit is held.
		///
		/// - Origin: `ForceOrigin` (governance; root for now).
		/// - Emits [`Event::OrgCreated`] with a zero deposit.
		/// - Errors: [`Error::InvalidOrgName`], [`Error::OrgExists`],
		///   [`Error::NameTooSimilar`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::force_create_org())]
		pub fn force_create_org(origin: OriginFor<T>, name: OrgName, owner: T::AccountId) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			Self::do_create_org(owner, name, true)
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			use sp_runtime::traits::Zero;
			assert!(T::MaxManifestLen::get() > 0, "MaxManifestLen leaves no room for a manifest");
			assert!(T::MaxMaintainers::get() <= MAX_PAGE, "MaxMaintainers is above a page");
			assert!(T::MaxOrgMembers::get() <= MAX_PAGE, "MaxOrgMembers is above a page");
			assert!(!T::OrgDeposit::get().is_zero(), "OrgDeposit must not be zero (organisations are never deleted)");
			assert!(!T::ModelDeposit::get().is_zero(), "ModelDeposit must not be zero");
			assert!(!T::MaintainerDeposit::get().is_zero(), "MaintainerDeposit must not be zero");
			assert!(
				!T::VersionDepositBase::get().is_zero(),
				"VersionDepositBase must not be zero (versions are never deleted)"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// The organisation named `name`.
		pub fn org(name: OrgName) -> Option<OrgDetailsOf<T>> {
			Orgs::<T>::get(name)
		}

		/// The role of `who` in organisation `org` (`Admin` for the owner).
		pub fn org_role(org: OrgName, who: T::AccountId) -> Option<OrgRole> {
			Self::org_role_of(&org, &who)
		}

		/// Up to 1024 members of organisation `org` and their roles (the owner is not listed).
		pub fn org_members(org: OrgName) -> Vec<(T::AccountId, OrgRole)> {
			OrgMembers::<T>::iter_prefix(org).take(MAX_PAGE as usize).map(|(who, entry)| (who, entry.role)).collect()
		}

		/// Whether `name` (an organisation `org` or a model `org/name`) could be created now,
		/// and if not, why: the error a create call would fail with, e.g. `NameTooSimilar`.
		pub fn name_available(name: ModelName) -> Result<(), Error<T>> {
			Self::check_name_available(&name)
		}

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
			Maintainers::<T>::iter_prefix(model).take(MAX_PAGE as usize).map(|(who, entry)| (who, entry.role)).collect()
		}
	}
}
