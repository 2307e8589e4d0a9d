//! The traits through which Zoo's pallets work together without naming each other in their
//! `Config`: the model registry implements [`VersionInspect`], [`VersionYank`] and
//! [`ModelAccess`], the lineage pallet implements [`VersionGraph`] and [`RefTargets`], the
//! licensing pallet implements [`LicensePolicy`], the attestations pallet implements
//! [`PromotionGate`], the curation pallet implements [`CurationHook`] and [`DisputeGate`], and
//! the runtime wires them to each other. Reads and writes are separate traits, as pallet-assets'
//! `sufficients::{Inspect, Mutate}` are: a pallet that only reads versions cannot change one.
//! The coupling traits carry production contracts only: what a pallet's benchmarks need from
//! the others is its own `Config::BenchmarkHelper`, built on `ModelsForBenchmarks` and
//! `RefsForBenchmarks` (with the `runtime-benchmarks` feature).

use crate::{EdgeKind, Manifest, ModelName, Parent, RefName, VersionId};

/// Why a version's parents cannot be recorded in the version graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeError {
	/// A parent is not a version in the graph.
	UnknownParent,
	/// More parents than the graph accepts.
	TooManyParents,
	/// A `merge` edge on a version with fewer than two parents.
	MergeNeedsTwoParents,
	/// A `revision` edge to a version of another model (a derivation needs its own kind:
	/// finetune, quantize, distill, adapter, other, or merge).
	RevisionAcrossModels,
}

/// The edge rules a version's parents follow, given the model of each parent (`None`: the
/// parent is not a known version): at most `max_parents` parents; a `merge` edge only among two
/// or more parents; a `revision` edge only to a version of the same `model` (a derivation
/// across models takes another kind). The lineage pallet enforces them on chain and the client
/// checks them before hashing, with this one function; errors come in that order.
pub fn check_edges<'a>(
	model: &[u8],
	parents: impl ExactSizeIterator<Item = (&'a Parent, Option<&'a [u8]>)>,
	max_parents: u32,
) -> Result<(), EdgeError> {
	let count = parents.len();
	if count > max_parents as usize {
		return Err(EdgeError::TooManyParents);
	}
	let mut merges = false;
	let mut checked = alloc::vec::Vec::with_capacity(count);
	for (parent, parent_model) in parents {
		merges |= parent.edge == EdgeKind::Merge;
		checked.push((parent.edge, parent_model));
	}
	if merges && count < 2 {
		return Err(EdgeError::MergeNeedsTwoParents);
	}
	for (edge, parent_model) in checked {
		let parent_model = parent_model.ok_or(EdgeError::UnknownParent)?;
		if edge == EdgeKind::Revision && parent_model != model {
			return Err(EdgeError::RevisionAcrossModels);
		}
	}
	Ok(())
}

/// The version graph, as the registry sees it when a version is committed.
pub trait VersionGraph {
	/// Check that `parents` may be the parents of a new version of `model`. Changes nothing.
	fn check_parents(model: &ModelName, parents: &[Parent]) -> Result<(), EdgeError>;

	/// Record version `id` of `model` with `parents`, which [`Self::check_parents`] accepted.
	fn insert_version(id: VersionId, model: &ModelName, parents: &[Parent]);
}

/// No version graph: every parent list is accepted and nothing is recorded.
impl VersionGraph for () {
	fn check_parents(_: &ModelName, _: &[Parent]) -> Result<(), EdgeError> {
		Ok(())
	}

	fn insert_version(_: VersionId, _: &ModelName, _: &[Parent]) {}
}

/// What other pallets may read about committed versions (the model registry implements it;
/// the curation pallet's mock implements it with plain storage).
pub trait VersionInspect {
	/// Whether version `id` exists.
	fn exists(id: &VersionId) -> bool;

	/// Whether version `id` is yanked.
	fn is_yanked(id: &VersionId) -> bool;

	/// The model of version `id`, if it exists.
	fn version_model(id: &VersionId) -> Option<ModelName>;

	/// The manifest of version `id`, if it exists (for discovery filters: licence, tags,
	/// metrics).
	fn manifest(id: &VersionId) -> Option<Manifest>;
}

/// The one change other pallets may make to committed versions (the model registry implements
/// it; the curation pallet yanks a version when a dispute against it is upheld).
pub trait VersionYank {
	/// Yank version `id` for `reason` (UTF-8), because a dispute against it was upheld. Does
	/// nothing to a version that does not exist or is yanked already.
	fn yank(id: &VersionId, reason: &[u8]);
}

/// What other pallets may ask the model registry about models and permissions, besides what
/// they read about versions ([`VersionInspect`]).
pub trait ModelAccess<AccountId>: VersionInspect {
	/// Whether a model named `model` exists.
	fn model_exists(model: &ModelName) -> bool;

	/// Whether `who` may create refs and move them forward on `model`.
	fn can_move_refs(model: &ModelName, who: &AccountId) -> bool;

	/// Whether `who` is an admin of `model` (the owner is one): force-moves refs and changes
	/// their protection.
	fn is_admin(model: &ModelName, who: &AccountId) -> bool;

	/// The owner of `model`, if it exists.
	fn model_owner(model: &ModelName) -> Option<AccountId>;
}

/// The licence rules a new version must satisfy, as the registry sees them when a version is
/// committed: the licensing pallet checks a manifest's licence against its parents' terms
/// (derivative rules), then records what the version's revenue owes upstream. The error and
/// weight types are the runtime's (`DispatchError`, `Weight`), named here so this crate stays
/// free of the runtime's dependencies.
pub trait LicensePolicy<AccountId> {
	/// What [`Self::check_commit`] worked out and [`Self::on_commit`] stores, so that nothing
	/// is computed twice.
	type Plan;
	/// Why a commit is refused.
	type Error;
	/// What a commit's licensing work costs.
	type Weight;

	/// Check that `committer` may commit `manifest` (whose content ID is `id` and whose parents
	/// exist) under the licences of its parents. Changes nothing. Returns the plan and how many
	/// bytes of state [`Self::on_commit`] will add, which the registry charges in the version's
	/// deposit.
	fn check_commit(
		id: VersionId,
		manifest: &Manifest,
		committer: &AccountId,
	) -> Result<(Self::Plan, u32), Self::Error>;

	/// Record version `id`, committed by `committer`, as [`Self::check_commit`] planned it
	/// (consuming any derivative grants it used).
	fn on_commit(id: VersionId, manifest: &Manifest, committer: &AccountId, plan: Self::Plan);

	/// Weight of [`Self::check_commit`] plus [`Self::on_commit`] at their worst for a manifest
	/// with `parents` parents.
	fn commit_weight(parents: u32) -> Self::Weight;
}

/// The promotion policies refs follow, as the lineage pallet sees them when a ref moves: the
/// attestations pallet checks a move against the ref's policy (enough trusted evaluations,
/// metric thresholds, beating the current target), and records the evidence it rested on. As in
/// [`LicensePolicy`], the error and weight types are the runtime's.
pub trait PromotionGate<AccountId> {
	/// What a move rested on, worked out by [`Self::check_move`] and kept by [`Self::on_move`].
	type Evidence;
	/// Why a move is refused.
	type Error;
	/// What checking a move costs.
	type Weight;

	/// Check that ref `name` of `model` may move, unforced, from `from` to `to`. Changes nothing.
	/// Returns the evidence and the weight of this check plus [`Self::on_move`] (at most
	/// [`Self::move_weight`]).
	fn check_move(
		model: &ModelName,
		name: &RefName,
		from: VersionId,
		to: VersionId,
	) -> Result<(Self::Evidence, Self::Weight), Self::Error>;

	/// Move number `index` of the ref happened: keep the evidence it rested on (`None`: an admin
	/// forced it past the policy).
	fn on_move(model: &ModelName, name: &RefName, index: u32, evidence: Option<Self::Evidence>);

	/// Weight of [`Self::check_move`] plus [`Self::on_move`] at their worst.
	fn move_weight() -> Self::Weight;

	/// Check that a new ref `name` of `model` may point at `to` first. A ref's policy is set
	/// on the ref once it exists, so its first target is not held to one; what the gate
	/// refuses for every ref (a version under an open dispute) it refuses here too. Changes
	/// nothing.
	fn check_create(model: &ModelName, name: &RefName, to: VersionId) -> Result<(), Self::Error>;

	/// Weight of [`Self::check_create`] at its worst.
	fn create_weight() -> Self::Weight;
}

/// Where refs point, as other pallets may read it (the lineage pallet implements it).
pub trait RefTargets {
	/// The version ref `name` of `model` points at, if the ref exists.
	fn ref_target(model: &ModelName, name: &RefName) -> Option<VersionId>;
}

/// Models and versions made for other pallets' benchmarks (the model registry implements it;
/// pallets name it in their `Config::BenchmarkHelper`). Benchmarks only: not a coupling trait.
#[cfg(feature = "runtime-benchmarks")]
pub trait ModelsForBenchmarks<AccountId> {
	/// Create `model`, owned by `owner` (funded by the caller).
	fn create_model(model: &ModelName, owner: &AccountId);

	/// Make `who` an admin of `model` as a maintainer (whose role costs one more read than the
	/// owner's).
	fn add_admin(model: &ModelName, who: &AccountId);

	/// Commit a version of `model` (owned by `owner`) made unique by `seed`, with `parent` as
	/// its revision parent.
	fn commit(model: &ModelName, owner: &AccountId, seed: u32, parent: Option<VersionId>) -> VersionId;
}

/// Refs made for other pallets' benchmarks (the lineage pallet implements it; pallets name it in
/// their `Config::BenchmarkHelper`). Benchmarks only: not a coupling trait.
#[cfg(feature = "runtime-benchmarks")]
pub trait RefsForBenchmarks<AccountId> {
	/// Create ref `name` of `model` at `target`, by `who` (funded).
	fn create_ref(model: &ModelName, name: &RefName, target: VersionId, who: &AccountId);
}

/// Where the licensing pallet hands the curation share of each payment for a version (the
/// curation pallet implements it). As in [`LicensePolicy`], the weight type is the runtime's.
pub trait CurationHook<AccountId, Balance> {
	/// What a credit costs.
	type Weight;

	/// Credit `fee`, paid by `payer`, to the curators staked on `version`. Returns the part
	/// that was *not* taken (all of it when nobody is staked, so it stays with the payees);
	/// what is taken has moved out of `payer`'s account.
	fn credit(version: &VersionId, payer: &AccountId, fee: Balance) -> Balance;

	/// Weight of [`Self::credit`] at its worst.
	fn credit_weight() -> Self::Weight;
}

/// No curation: every credit is left with the payees and costs nothing (`Weight` is the
/// runtime's weight type).
pub struct NoCuration<Weight>(core::marker::PhantomData<Weight>);

impl<AccountId, Balance, Weight: Default> CurationHook<AccountId, Balance> for NoCuration<Weight> {
	type Weight = Weight;

	fn credit(_: &VersionId, _: &AccountId, fee: Balance) -> Balance {
		fee
	}

	fn credit_weight() -> Weight {
		Weight::default()
	}
}

/// Whether a version is under an open dispute, for gated promotion: a version with an open
/// dispute cannot be promoted (the curation pallet implements it).
pub trait DisputeGate {
	/// Whether a dispute against `version` is open.
	fn has_open_dispute(version: &VersionId) -> bool;
}

/// No disputes: nothing is ever under one.
impl DisputeGate for () {
	fn has_open_dispute(_: &VersionId) -> bool {
		false
	}
}
