//! Types stored and returned by the lineage pallet.

use alloc::vec::Vec;
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{BoundedVec, traits::ConstU32};
use scale_info::TypeInfo;
use zoo_primitives::{EdgeKind, MAX_PARENTS, ModelName, Parent, VersionId};

/// A version's parents, as stored in its node.
pub type Parents = BoundedVec<Parent, ConstU32<MAX_PARENTS>>;

/// A version in the graph.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Node {
	/// The model the version belongs to.
	pub model: ModelName,
	/// Length of the longest path from a root (a version without parents) to this version:
	/// 0 for a root, else one more than its highest parent. It grows strictly along every edge,
	/// which bounds graph walks: nothing below generation `g` descends from a version at `g`.
	pub generation: u32,
	/// The parents and the kind of edge to each, as committed.
	pub parents: Parents,
	/// How many versions name this one as a parent (the length of its children index).
	pub child_count: u32,
}

/// A child of a version and the kind of edge from it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Child {
	/// The child version.
	pub id: VersionId,
	/// How the child relates to its parent.
	pub edge: EdgeKind,
}

/// A version and its node, as graph queries return them.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct GraphNode {
	/// The version.
	pub id: VersionId,
	/// Its model.
	pub model: ModelName,
	/// Its generation (see [`Node::generation`]).
	pub generation: u32,
	/// Its parents with edge kinds (including any outside the walk).
	pub parents: Parents,
}

/// The answer to an `ancestors` or `descendants` query.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct Walk {
	/// The versions found, nearest first: ancestors by generation descending, descendants by
	/// generation ascending (both are topological orders).
	pub nodes: Vec<GraphNode>,
	/// Whether the walk found every version (`false`: the limit cut it short).
	pub complete: bool,
}

/// Why a graph query has no answer.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub enum QueryError {
	/// A version named in the query is not in the graph.
	UnknownVersion,
	/// The walk needed to read more versions than the query's limit allows.
	LimitReached,
}

/// One model deriving from another: at least one version of `derived` has a parent in `base`.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct DerivationLink {
	/// The first version of the derived model with a parent in the base model.
	pub first: VersionId,
	/// How many parent edges lead from the derived model into the base model.
	pub edges: u32,
}

/// An entry of a model's derivation tree.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct Derivation {
	/// The model derived from.
	pub base: ModelName,
	/// The model deriving from it.
	pub derived: ModelName,
	/// Distance from the model the tree was asked for (1: derives from it directly).
	pub depth: u32,
	/// The link's first version and edge count.
	pub link: DerivationLink,
}

/// A named ref of a model: what it points at now, and how its history is stored.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct RefDetails<AccountId, Balance> {
	/// The version the ref points at.
	pub target: VersionId,
	/// A protected ref moves only forward (to a descendant of its target) unless an admin
	/// forces the move.
	pub protected: bool,
	/// Length of the ref's history (the creation counts as its first entry).
	pub moves: u32,
	/// Who created it and holds its deposit.
	pub creator: AccountId,
	/// The deposit held from `creator`.
	pub deposit: Balance,
}

/// One entry of a ref's history. Entries are never changed or removed.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct RefMove<AccountId, Balance, BlockNumber> {
	/// Who moved (or created) the ref.
	pub by: AccountId,
	/// Where it pointed before (`None`: the ref was created).
	pub from: Option<VersionId>,
	/// Where it points after.
	pub to: VersionId,
	/// The block the move was made in.
	pub block: BlockNumber,
	/// Whether an admin forced the move (skipping the forward-only check).
	pub forced: bool,
	/// The deposit held from `by` for this entry (zero for the creation entry, which the ref's
	/// deposit pays for).
	pub deposit: Balance,
}

/// No promotion policies: every move passes and no evidence is kept (for runtimes and tests
/// without the attestations pallet).
pub struct NoPromotionGate;

impl<AccountId> zoo_primitives::PromotionGate<AccountId> for NoPromotionGate {
	type Evidence = ();
	type Error = sp_runtime::DispatchError;
	type Weight = frame_support::weights::Weight;

	fn check_move(
		_: &ModelName,
		_: &zoo_primitives::RefName,
		_: VersionId,
		_: VersionId,
	) -> Result<((), Self::Weight), Self::Error> {
		Ok(((), Self::Weight::zero()))
	}

	fn on_move(_: &ModelName, _: &zoo_primitives::RefName, _: u32, _: Option<()>) {}

	fn move_weight() -> Self::Weight {
		Self::Weight::zero()
	}

	fn check_create(_: &ModelName, _: &zoo_primitives::RefName, _: VersionId) -> Result<(), Self::Error> {
		Ok(())
	}

	fn create_weight() -> Self::Weight {
		Self::Weight::zero()
	}
}
