//! # Lineage pallet
//!
//! Where every model version came from, and which version is in use: Zoo's version graph and
//! its refs.
//!
//! ## Overview
//!
//! Every version committed through the model registry becomes a node of **one graph across all
//! models**. Its edges are the manifest's parents, each typed ([`zoo_primitives::EdgeKind`]:
//! revision, merge, finetune, quantize, distill, adapter, other). A version may have several
//! parents (a merge) and a parent may belong to another model: a **derivation**, such as a
//! fine-tune of someone else's base model. The registry hands each commit to this pallet
//! through the [`zoo_primitives::VersionGraph`] trait; the edge rules are:
//!
//! - every parent is a version in the graph, and there are at most `MaxParents`;
//! - a `merge` edge needs at least two parents;
//! - a `revision` edge stays within one model (a derivation across models takes another kind).
//!
//! Content addressing makes cycles impossible: a version's ID covers its parents' IDs.
//!
//! For each version the pallet stores its **generation** (the longest path from a root), its
//! parents and an index of its children; for each model its **roots** (versions without a
//! parent in the model) and **heads** (versions without a child in the model), and which
//! models derive from which. Generation numbers keep graph walks short: a walk visits nodes in
//! generation order and stops below the generation that can still matter.
//!
//! **Refs** are named pointers (`main`, `staging`, `production`, ...) to versions of one model.
//! Accounts the registry allows to move refs ([`zoo_primitives::ModelAccess`]) create and move
//! them; a **protected** ref moves only forward, to a descendant of its target, unless an admin
//! forces the move, and only admins create protected refs (only they could unprotect them). A
//! yanked version becomes a ref's target only by an admin's hand. Every move is kept: who, from where, to where, at which block, forced or
//! not, so "what was in production at block N" always has an answer.
//!
//! ## Calls
//!
//! - [`Pallet::create_ref`]: create a ref (ref movers; holds `RefDeposit`). Its first target is
//!   not held to a promotion policy (a policy is set on a ref that exists), but it passes what
//!   `Config::Promotion` refuses for every ref: not a version under an open dispute.
//! - [`Pallet::move_ref`]: move a ref (ref movers; admins to force; holds `RefMoveDeposit`).
//!   The forward-only check walks the graph up to a limit the caller passes and pays for; what
//!   the walk does not use is refunded. An unforced move also passes the ref's promotion policy
//!   (`Config::Promotion`, a [`zoo_primitives::PromotionGate`]: the attestations pallet), which
//!   keeps the evidence the move rested on under the move's index in the ref's history.
//! - [`Pallet::set_ref_protection`]: protect or unprotect a ref (admins).
//!
//! ## Reads
//!
//! View functions, in the metadata for polkadot.js and subxt: [`Pallet::node`],
//! [`Pallet::nodes`], [`Pallet::parents`], [`Pallet::children`], [`Pallet::ancestors`],
//! [`Pallet::descendants`], [`Pallet::is_ancestor`], [`Pallet::merge_base`], [`Pallet::heads`],
//! [`Pallet::roots`], [`Pallet::derivations`], [`Pallet::derived_from`], [`Pallet::ref_target`],
//! [`Pallet::refs`], [`Pallet::ref_history`] and [`Pallet::ref_at`]. Walks take a limit on
//! what they read, not only on what they return: versions, child links and derivation links
//! all count (at most [`MAX_QUERY_LIMIT`]).
//!
//! ## Invariants
//!
//! `try_state` checks them: a version's generation is one more than its highest parent's (0
//! for a root) and every parent is in the graph; `child_count` matches the child index, and
//! every child lists the parent; heads are exactly the versions without a child in their
//! model and roots those without a parent in it; derivation links are mirrored by
//! `DerivedFrom`; every ref's history has `moves` entries and ends at its target, a version of
//! its model; and the ref deposits recorded add up, per account, to what is on hold.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod functions;
mod graph;
mod impl_ref_targets;
mod impl_version_graph;
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

/// A ref as this pallet stores it.
pub type RefDetailsOf<T> = RefDetails<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// A ref history entry as this pallet stores it.
pub type RefMoveOf<T> =
	RefMove<<T as frame_system::Config>::AccountId, BalanceOf<T>, frame_system::pallet_prelude::BlockNumberFor<T>>;

/// Most storage entries (versions, child links, derivation links) one graph query may read:
/// the slowest query at this limit takes about a tenth of a second on a 2-core machine (see
/// the README's figures), so no single RPC call can keep a node busy for long.
pub const MAX_QUERY_LIMIT: u32 = 10_000;

/// Longest page of a listing query (heads, roots, children, refs, ref history, nodes).
pub const MAX_PAGE: u32 = 1024;

/// What this pallet's benchmarks need from the runtime: models and admins, made through the
/// model registry.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes models and admins (the model registry).
	type Models: zoo_primitives::ModelsForBenchmarks<AccountId>;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::fungible::MutateHold};
	use frame_system::pallet_prelude::*;
	use zoo_primitives::{MAX_PARENTS, ModelAccess, ModelName, Parent, PromotionGate, RefName, VersionId};

	/// The storage layout version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency deposits are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason> + fungible::Mutate<Self::AccountId>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The model registry: which models exist, who may move refs, which versions are yanked.
		type Models: ModelAccess<Self::AccountId>;

		/// Most parents a version may have (at most the manifest's bound, 16).
		#[pallet::constant]
		type MaxParents: Get<u32>;

		/// Most versions the forward-only check of [`Pallet::move_ref`] may read.
		#[pallet::constant]
		type MaxWalk: Get<u32>;

		/// Deposit held from the creator of each ref (it also pays for the first history entry).
		#[pallet::constant]
		type RefDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from the mover for each further history entry.
		#[pallet::constant]
		type RefMoveDeposit: Get<BalanceOf<Self>>;

		/// The promotion policies refs follow: asked before every unforced move (the
		/// attestations pallet; [`NoPromotionGate`] lets every move through).
		type Promotion: PromotionGate<Self::AccountId, Error = DispatchError, Weight = Weight>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up what the benchmarks need from other pallets (models and admins).
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for a ref.
		#[codec(index = 0)]
		RefDeposit,
		/// Deposit for a ref history entry.
		#[codec(index = 1)]
		RefMoveDeposit,
	}

	/// Every version in the graph.
	#[pallet::storage]
	pub type Nodes<T: Config> = StorageMap<_, Blake2_128Concat, VersionId, Node>;

	/// The children of each version, in commit order: (parent, index) -> child.
	#[pallet::storage]
	pub type Children<T: Config> = StorageDoubleMap<_, Blake2_128Concat, VersionId, Twox64Concat, u32, Child>;

	/// Versions of each model with no parent in the same model.
	#[pallet::storage]
	pub type Roots<T: Config> = StorageDoubleMap<_, Blake2_128Concat, ModelName, Blake2_128Concat, VersionId, ()>;

	/// Versions of each model with no child in the same model.
	#[pallet::storage]
	pub type Heads<T: Config> = StorageDoubleMap<_, Blake2_128Concat, ModelName, Blake2_128Concat, VersionId, ()>;

	/// Models derived from each model: (base, derived) -> link.
	#[pallet::storage]
	pub type Derivations<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, ModelName, Blake2_128Concat, ModelName, DerivationLink>;

	/// Models each model derives from: (derived, base).
	#[pallet::storage]
	pub type DerivedFrom<T: Config> = StorageDoubleMap<_, Blake2_128Concat, ModelName, Blake2_128Concat, ModelName, ()>;

	/// The refs of each model: (model, name) -> ref.
	#[pallet::storage]
	pub type Refs<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, ModelName, Blake2_128Concat, RefName, RefDetailsOf<T>>;

	/// The history of each ref: (model, name, index) -> move, index 0 being the creation.
	#[pallet::storage]
	pub type RefHistory<T: Config> = StorageNMap<
		_,
		(NMapKey<Blake2_128Concat, ModelName>, NMapKey<Blake2_128Concat, RefName>, NMapKey<Twox64Concat, u32>),
		RefMoveOf<T>,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A version of `derived` has its first parent in `base`.
		DerivationAdded {
			/// The model of the first parent.
			base: ModelName,
			/// The model of the version.
			derived: ModelName,
			/// The derived version.
			version: VersionId,
		},
		/// A ref was created.
		RefCreated {
			/// The model.
			model: ModelName,
			/// The ref.
			name: RefName,
			/// The version it points at.
			target: VersionId,
			/// Whether only admins may move it.
			protected: bool,
			/// Who created it.
			by: T::AccountId,
		},
		/// A ref moved.
		RefMoved {
			/// The model.
			model: ModelName,
			/// The ref.
			name: RefName,
			/// The version it pointed at.
			from: VersionId,
			/// The version it points at now.
			to: VersionId,
			/// Whether an admin moved it past the promotion policy.
			forced: bool,
			/// Who moved it.
			by: T::AccountId,
		},
		/// A ref was protected or unprotected.
		RefProtectionSet {
			/// The model.
			model: ModelName,
			/// The ref.
			name: RefName,
			/// Whether only admins may move it.
			protected: bool,
			/// Who changed it.
			by: T::AccountId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No model has this name.
		UnknownModel,
		/// The ref name is empty, longer than 64 bytes, or breaks the ref name rules (`a-z0-9._-/`,
		/// parts not empty, not starting with `.` or `-`, not ending with `.`, no `..`).
		InvalidRefName,
		/// The model already has a ref with this name.
		RefExists,
		/// The model has no ref with this name.
		UnknownRef,
		/// The target is not a committed version.
		UnknownVersion,
		/// The target is a version of another model.
		WrongModel,
		/// The target is yanked: only an admin may point a ref at a yanked version.
		TargetYanked,
		/// The caller may not create or move refs on this model (roles: owner, admin, writer,
		/// releaser).
		NotAllowed,
		/// Only the model's owner or an admin may do this.
		NotAdmin,
		/// The ref already points at this version.
		RefUnchanged,
		/// The ref already has this protection.
		ProtectionUnchanged,
		/// The ref is protected and the new target does not descend from its current target;
		/// an admin may force the move.
		NotFastForward,
		/// The forward-only check needed to read more versions than the call's walk limit.
		WalkLimitReached,
		/// The walk limit is above `MaxWalk`.
		WalkLimitTooHigh,
		/// The account cannot pay the deposit: free balance too low.
		InsufficientBalance,
		/// The ref's history is full (2^32 entries).
		HistoryFull,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxParents::get() <= MAX_PARENTS, "MaxParents is above the manifest's bound");
			assert!(T::MaxWalk::get() <= MAX_QUERY_LIMIT, "MaxWalk is above MAX_QUERY_LIMIT");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create ref `name` of `model`, pointing at version `target`.
		///
		/// - Origin: signed by an account that may move refs on `model` (owner, admin, writer,
		///   releaser); an admin to create it `protected` or to point it at a yanked version.
		/// - Deposit: `RefDeposit`, held from the caller (refs are never deleted).
		/// - Effects: stores the ref and the first entry of its history.
		/// - Emits [`Event::RefCreated`].
		/// - Errors: [`Error::InvalidRefName`], [`Error::UnknownModel`], [`Error::NotAllowed`],
		///   [`Error::NotAdmin`], [`Error::RefExists`], [`Error::UnknownVersion`], [`Error::WrongModel`],
		///   [`Error::TargetYanked`], [`Error::InsufficientBalance`]; and what
		///   `Config::Promotion` refuses for a first target (the attestations pallet: a version
		///   under an open dispute).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_ref().saturating_add(T::Promotion::create_weight()))]
		pub fn create_ref(
			origin: OriginFor<T>,
			model: ModelName,
			name: RefName,
			target: VersionId,
			protected: bool,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_ref(who, model, name, target, protected)
		}

		/// Move ref `name` of `model` to version `to`.
		///
		/// A protected ref moves only forward: `to` must descend from the current target. The
		/// check walks the graph back from `to`, reading at most `walk_limit` versions; the call
		/// is charged for `walk_limit` and refunded what the walk did not read. An unforced move
		/// must also pass the ref's promotion policy (`Config::Promotion`), which keeps the
		/// evidence the move rested on. With `force`, an admin moves the ref anywhere, past the
		/// policy, and the move is recorded as forced.
		///
		/// - Origin: signed by an account that may move refs on `model`; an admin with `force`
		///   or to move it to a yanked version.
		/// - Deposit: `RefMoveDeposit`, held from the caller for the history entry.
		/// - Effects: the ref points at `to`; its history gains an entry.
		/// - Emits [`Event::RefMoved`].
		/// - Errors: [`Error::WalkLimitTooHigh`], [`Error::UnknownRef`], [`Error::NotAllowed`],
		///   [`Error::NotAdmin`], [`Error::RefUnchanged`], [`Error::UnknownVersion`],
		///   [`Error::WrongModel`], [`Error::TargetYanked`], [`Error::NotFastForward`],
		///   [`Error::WalkLimitReached`], [`Error::InsufficientBalance`], [`Error::HistoryFull`],
		///   and the promotion policy's errors.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::move_ref(*walk_limit).saturating_add(T::Promotion::move_weight()))]
		pub fn move_ref(
			origin: OriginFor<T>,
			model: ModelName,
			name: RefName,
			to: VersionId,
			force: bool,
			walk_limit: u32,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_move_ref(who, model, name, to, force, walk_limit)
		}

		/// Protect ref `name` of `model` (it then moves only forward unless forced) or remove
		/// the protection.
		///
		/// - Origin: signed by the owner or an admin of `model`.
		/// - Emits [`Event::RefProtectionSet`].
		/// - Errors: [`Error::UnknownRef`], [`Error::NotAdmin`], [`Error::ProtectionUnchanged`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_ref_protection())]
		pub fn set_ref_protection(
			origin: OriginFor<T>,
			model: ModelName,
			name: RefName,
			protected: bool,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_ref_protection(who, model, name, protected)
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// The node of version `id`: model, generation, parents and number of children.
		pub fn node(id: VersionId) -> Option<Node> {
			Nodes::<T>::get(id)
		}

		/// The nodes of up to 1024 versions, in the order asked (`None` for unknown IDs).
		pub fn nodes(ids: Vec<VersionId>) -> Vec<Option<Node>> {
			ids.into_iter().take(MAX_PAGE as usize).map(Nodes::<T>::get).collect()
		}

		/// The parents of version `id` with their edge kinds (empty for unknown IDs and roots).
		pub fn parents(id: VersionId) -> Vec<Parent> {
			Nodes::<T>::get(id).map(|node| node.parents.into_inner()).unwrap_or_default()
		}

		/// Up to `limit` (at most 1024) children of version `id` with their edge kinds, in
		/// commit order, skipping the first `start`.
		pub fn children(id: VersionId, start: u32, limit: u32) -> Vec<Child> {
			Self::children_page(id, start, limit)
		}

		/// The ancestors of version `id`, nearest first (by generation descending), each with
		/// its parents and edge kinds, reading at most `limit` versions (`complete` is false
		/// when the limit cut the walk short).
		pub fn ancestors(id: VersionId, limit: u32) -> Result<Walk, QueryError> {
			Self::walk_ancestors(id, limit.min(MAX_QUERY_LIMIT))
		}

		/// The descendants of version `id`, nearest first (by generation ascending), each with
		/// its parents and edge kinds, reading at most `limit` versions and child links
		/// (`complete` is false when the limit cut the walk short).
		pub fn descendants(id: VersionId, limit: u32) -> Result<Walk, QueryError> {
			Self::walk_descendants(id, limit.min(MAX_QUERY_LIMIT))
		}

		/// Whether version `ancestor` is version `descendant` or one of its ancestors, reading
		/// at most `limit` versions.
		pub fn is_ancestor(ancestor: VersionId, descendant: VersionId, limit: u32) -> Result<bool, QueryError> {
			Self::walk_is_ancestor(ancestor, descendant, limit.min(MAX_QUERY_LIMIT)).map(|(answer, _)| answer)
		}

		/// The best common ancestors of versions `a` and `b`, reading at most `limit` versions
		/// (empty: no shared history; several: criss-cross merges).
		pub fn merge_base(a: VersionId, b: VersionId, limit: u32) -> Result<Vec<VersionId>, QueryError> {
			Self::walk_merge_base(a, b, limit.min(MAX_QUERY_LIMIT))
		}

		/// Up to `limit` (at most 1024) heads of `model`: its versions without a child in it.
		pub fn heads(model: ModelName, limit: u32) -> Vec<VersionId> {
			Heads::<T>::iter_key_prefix(model).take(limit.min(MAX_PAGE) as usize).collect()
		}

		/// Up to `limit` (at most 1024) roots of `model`: its versions without a parent in it.
		pub fn roots(model: ModelName, limit: u32) -> Vec<VersionId> {
			Roots::<T>::iter_key_prefix(model).take(limit.min(MAX_PAGE) as usize).collect()
		}

		/// The derivation tree of `model`: the models deriving from it, directly (depth 1) or
		/// through others, breadth first, reading at most `limit` (at most 1024) derivation
		/// links.
		pub fn derivations(model: ModelName, limit: u32) -> Vec<Derivation> {
			Self::derivation_tree(model, limit.min(MAX_PAGE))
		}

		/// The models `model` derives from directly.
		pub fn derived_from(model: ModelName) -> Vec<ModelName> {
			DerivedFrom::<T>::iter_key_prefix(model).take(MAX_PAGE as usize).collect()
		}

		/// Ref `name` of `model`: its target, protection and history length.
		pub fn ref_target(model: ModelName, name: RefName) -> Option<RefDetailsOf<T>> {
			Refs::<T>::get(model, name)
		}

		/// The refs of `model` (at most 1024).
		pub fn refs(model: ModelName) -> Vec<(RefName, RefDetailsOf<T>)> {
			Refs::<T>::iter_prefix(model).take(MAX_PAGE as usize).collect()
		}

		/// Up to `limit` (at most 1024) entries of the history of ref `name` of `model`, newest
		/// first, skipping the `start` newest.
		pub fn ref_history(model: ModelName, name: RefName, start: u32, limit: u32) -> Vec<RefMoveOf<T>> {
			Self::ref_history_page(model, name, start, limit)
		}

		/// The version ref `name` of `model` pointed at after block `block` (`None`: the ref did
		/// not exist yet).
		pub fn ref_at(model: ModelName, name: RefName, block: BlockNumberFor<T>) -> Option<VersionId> {
			Self::ref_target_at(model, name, block)
		}
	}
}
