//! The lineage pallet: the version graph and refs, read through its view functions, and ref
//! moves as transactions.

use super::{Chain, ChainError, Submitted, bounded, runtime, ss58};
use subxt::utils::{AccountId32, Static};
use subxt_signer::sr25519::Keypair;
use zoo_primitives::{EdgeKind, Parent, VersionId};
use zoo_types::output::json;

use runtime::runtime_types::pallet_lineage::types as chain_types;

/// Children asked for per read.
const CHILD_PAGE: u32 = 1024;

/// Most children [`Chain::children`] reads (64 pages).
pub const MAX_CHILDREN: usize = 64 * CHILD_PAGE as usize;

/// A version in the graph.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GraphNode {
	/// The version.
	#[serde(serialize_with = "json::cid")]
	pub id: VersionId,
	/// Its model, `org/name`.
	pub model: String,
	/// Longest path from a root (0 for a root).
	pub generation: u32,
	/// Parents with edge kinds.
	#[serde(serialize_with = "json::parents")]
	pub parents: Vec<Parent>,
	/// Number of children (`None` when the query does not return it).
	pub child_count: Option<u32>,
}

/// The answer to an ancestors or descendants query.
#[derive(Debug, Clone)]
pub struct Walk {
	/// Versions found, nearest first.
	pub nodes: Vec<GraphNode>,
	/// Whether every version was found (`false`: the limit cut the walk short).
	pub complete: bool,
}

/// A ref of a model.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RefInfo {
	/// The ref's name.
	pub name: String,
	/// The version it points at.
	#[serde(serialize_with = "json::cid")]
	pub target: VersionId,
	/// Whether it only moves forward (unless an admin forces it).
	pub protected: bool,
	/// Length of its history.
	pub moves: u32,
	/// Who created it (SS58).
	pub creator: String,
}

/// One entry of a ref's history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RefMoveInfo {
	/// Who moved it (SS58).
	pub by: String,
	/// Where it pointed before (`None`: created here).
	#[serde(serialize_with = "json::cid_option")]
	pub from: Option<VersionId>,
	/// Where it pointed after.
	#[serde(serialize_with = "json::cid")]
	pub to: VersionId,
	/// Block of the move.
	#[serde(rename = "moved_in")]
	pub block: u32,
	/// Whether an admin forced it.
	pub forced: bool,
}

/// A model deriving from another.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Derivation {
	/// The model derived from.
	pub base: String,
	/// The model deriving from it.
	pub derived: String,
	/// Distance from the model asked about.
	pub depth: u32,
	/// First version of `derived` with a parent in `base`.
	#[serde(serialize_with = "json::cid")]
	pub first: VersionId,
	/// Number of parent edges from `derived` into `base`.
	pub edges: u32,
}

fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

fn parents(list: Vec<Static<Parent>>) -> Vec<Parent> {
	list.into_iter().map(|parent| parent.0).collect()
}

fn node(id: VersionId, node: chain_types::Node) -> GraphNode {
	GraphNode {
		id,
		model: text(&node.model.0),
		generation: node.generation,
		parents: parents(node.parents.0),
		child_count: Some(node.child_count),
	}
}

fn walk(answer: Result<chain_types::Walk, chain_types::QueryError>, limit: u32) -> Result<Walk, ChainError> {
	let found = answer.map_err(|error| query_error(error, limit))?;
	let nodes = found
		.nodes
		.into_iter()
		.map(|found| GraphNode {
			id: found.id.0,
			model: text(&found.model.0),
			generation: found.generation,
			parents: parents(found.parents.0),
			child_count: None,
		})
		.collect();
	Ok(Walk { nodes, complete: found.complete })
}

fn query_error(error: chain_types::QueryError, limit: u32) -> ChainError {
	match error {
		chain_types::QueryError::UnknownVersion => ChainError::Query("no such version on chain".to_owned()),
		chain_types::QueryError::LimitReached => {
			ChainError::Query(format!("the walk needs more than {limit} versions: raise --limit"))
		}
	}
}

impl Chain {
	/// The graph node of version `id`.
	pub async fn node(&self, id: VersionId) -> Result<Option<GraphNode>, ChainError> {
		let found = self.view(runtime::view_functions().lineage().node(Static(id))).await?;
		Ok(found.map(|found| node(id, found)))
	}

	/// The graph nodes of `ids` (any number; fetched 1024 at a time), `None` for unknown IDs.
	pub async fn nodes(&self, ids: &[VersionId]) -> Result<Vec<Option<GraphNode>>, ChainError> {
		let mut all = Vec::with_capacity(ids.len());
		for page in ids.chunks(1024) {
			let call = runtime::view_functions().lineage().nodes(page.iter().copied().map(Static).collect());
			let found = self.view(call).await?;
			all.extend(page.iter().zip(found).map(|(id, found)| found.map(|found| node(*id, found))));
		}
		Ok(all)
	}

	/// Every child of version `id` with its edge kind, in commit order; at most
	/// [`MAX_CHILDREN`], so a node that keeps returning full pages cannot keep the client busy.
	pub async fn children(&self, id: VersionId) -> Result<Vec<(VersionId, EdgeKind)>, ChainError> {
		let mut all = Vec::new();
		loop {
			let call = runtime::view_functions().lineage().children(Static(id), all.len() as u32, CHILD_PAGE);
			let page = self.view(call).await?;
			let full = page.len() >= CHILD_PAGE as usize;
			all.extend(page.into_iter().map(|child| (child.id.0, child.edge.0)));
			if all.len() > MAX_CHILDREN {
				return Err(ChainError::TooLarge { url: self.url().to_owned(), what: "children", limit: MAX_CHILDREN });
			}
			if !full {
				return Ok(all);
			}
		}
	}

	/// Up to `limit` ancestors of `id`, nearest first.
	pub async fn ancestors(&self, id: VersionId, limit: u32) -> Result<Walk, ChainError> {
		walk(self.view(runtime::view_functions().lineage().ancestors(Static(id), limit)).await?, limit)
	}

	/// Up to `limit` descendants of `id`, nearest first.
	pub async fn descendants(&self, id: VersionId, limit: u32) -> Result<Walk, ChainError> {
		walk(self.view(runtime::view_functions().lineage().descendants(Static(id), limit)).await?, limit)
	}

	/// Whether `ancestor` is `descendant` or one of its ancestors.
	pub async fn is_ancestor(
		&self,
		ancestor: VersionId,
		descendant: VersionId,
		limit: u32,
	) -> Result<bool, ChainError> {
		let call = runtime::view_functions().lineage().is_ancestor(Static(ancestor), Static(descendant), limit);
		self.view(call).await?.map_err(|error| query_error(error, limit))
	}

	/// The best common ancestors of `a` and `b`.
	pub async fn merge_base(&self, a: VersionId, b: VersionId, limit: u32) -> Result<Vec<VersionId>, ChainError> {
		let call = runtime::view_functions().lineage().merge_base(Static(a), Static(b), limit);
		let bases = self.view(call).await?.map_err(|error| query_error(error, limit))?;
		Ok(bases.into_iter().map(|id| id.0).collect())
	}

	/// The heads of `model` (versions without a child in it), at most 1024.
	pub async fn heads(&self, model: &str) -> Result<Vec<VersionId>, ChainError> {
		let call = runtime::view_functions().lineage().heads(bounded(model.as_bytes()), 1024);
		Ok(self.view(call).await?.into_iter().map(|id| id.0).collect())
	}

	/// The models deriving from `model`, breadth first, at most `limit`.
	pub async fn derivations(&self, model: &str, limit: u32) -> Result<Vec<Derivation>, ChainError> {
		let call = runtime::view_functions().lineage().derivations(bounded(model.as_bytes()), limit);
		Ok(self
			.view(call)
			.await?
			.into_iter()
			.map(|entry| Derivation {
				base: text(&entry.base.0),
				derived: text(&entry.derived.0),
				depth: entry.depth,
				first: entry.link.first.0,
				edges: entry.link.edges,
			})
			.collect())
	}

	/// The models `model` derives from directly.
	pub async fn derived_from(&self, model: &str) -> Result<Vec<String>, ChainError> {
		let call = runtime::view_functions().lineage().derived_from(bounded(model.as_bytes()));
		Ok(self.view(call).await?.into_iter().map(|name| text(&name.0)).collect())
	}

	/// The refs of `model`, sorted by name.
	pub async fn refs(&self, model: &str) -> Result<Vec<RefInfo>, ChainError> {
		let call = runtime::view_functions().lineage().refs(bounded(model.as_bytes()));
		let mut refs: Vec<RefInfo> =
			self.view(call).await?.into_iter().map(|(name, details)| ref_info(text(&name.0), details)).collect();
		refs.sort_by(|a, b| a.name.cmp(&b.name));
		Ok(refs)
	}

	/// Ref `name` of `model`.
	pub async fn ref_target(&self, model: &str, name: &str) -> Result<Option<RefInfo>, ChainError> {
		let call = runtime::view_functions().lineage().ref_target(bounded(model.as_bytes()), bounded(name.as_bytes()));
		Ok(self.view(call).await?.map(|details| ref_info(name.to_owned(), details)))
	}

	/// Up to `limit` history entries of ref `name` of `model`, newest first, skipping `start`.
	pub async fn ref_history(
		&self,
		model: &str,
		name: &str,
		start: u32,
		limit: u32,
	) -> Result<Vec<RefMoveInfo>, ChainError> {
		let call = runtime::view_functions().lineage().ref_history(
			bounded(model.as_bytes()),
			bounded(name.as_bytes()),
			start,
			limit,
		);
		Ok(self
			.view(call)
			.await?
			.into_iter()
			.map(|entry| RefMoveInfo {
				by: ss58(&entry.by),
				from: entry.from.map(|id| id.0),
				to: entry.to.0,
				block: entry.block,
				forced: entry.forced,
			})
			.collect())
	}

	/// Where ref `name` of `model` pointed after block `block`.
	pub async fn ref_at(&self, model: &str, name: &str, block: u32) -> Result<Option<VersionId>, ChainError> {
		let call =
			runtime::view_functions().lineage().ref_at(bounded(model.as_bytes()), bounded(name.as_bytes()), block);
		Ok(self.view(call).await?.map(|id| id.0))
	}

	/// Create ref `name` of `model` at `target`.
	pub async fn create_ref(
		&self,
		signer: &Keypair,
		model: &str,
		name: &str,
		target: VersionId,
		protected: bool,
	) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().lineage().create_ref(
			bounded(model.as_bytes()),
			bounded(name.as_bytes()),
			Static(target),
			protected,
		);
		self.submit(signer, &call).await
	}

	/// Move ref `name` of `model` to `to` (`force`: admins, skipping the forward-only check).
	pub async fn move_ref(
		&self,
		signer: &Keypair,
		model: &str,
		name: &str,
		to: VersionId,
		force: bool,
		walk_limit: u32,
	) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().lineage().move_ref(
			bounded(model.as_bytes()),
			bounded(name.as_bytes()),
			Static(to),
			force,
			walk_limit,
		);
		self.submit(signer, &call).await
	}

	/// Protect or unprotect ref `name` of `model`.
	pub async fn set_ref_protection(
		&self,
		signer: &Keypair,
		model: &str,
		name: &str,
		protected: bool,
	) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().lineage().set_ref_protection(
			bounded(model.as_bytes()),
			bounded(name.as_bytes()),
			protected,
		);
		self.submit(signer, &call).await
	}
}

fn ref_info(name: String, details: chain_types::RefDetails<AccountId32, u128>) -> RefInfo {
	RefInfo {
		name,
		target: details.target.0,
		protected: details.protected,
		moves: details.moves,
		creator: ss58(&details.creator),
	}
}
