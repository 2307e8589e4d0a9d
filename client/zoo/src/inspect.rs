//! Reading the record: `zoo log` (optionally as a graph), `zoo show`, `zoo diff`.

use crate::args::ModelName;
use crate::prelude::{Ctx, Outcome, fetch_version};
use anyhow::{Result, anyhow};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use zoo_client::{
	chain::{Chain, RefInfo, VersionRecord},
	diff::ManifestDiff,
	graph::{DagNode, order, render},
	output::{json, manifest_text, safe_line},
};
use zoo_primitives::{EdgeKind, VersionId};

/// `zoo log --json`: a page of a model's versions, newest first.
#[derive(Serialize)]
struct Log<'a> {
	/// The model.
	model: &'a str,
	/// Its versions (the same records as `zoo show`).
	versions: &'a [VersionRecord],
}

/// `zoo log --graph --json`: the listed versions as a DAG.
#[derive(Serialize)]
struct LogGraph<'a> {
	/// The model.
	model: &'a str,
	/// The listed versions, in drawing order.
	nodes: Vec<LogGraphNode<'a>>,
	/// Every parent edge of a listed version, including those to versions not listed.
	edges: Vec<LogGraphEdge<'a>>,
}

/// A version drawn by `zoo log --graph`: its record in brief (the names are those of the full
/// record `zoo show` prints).
#[derive(Serialize)]
struct LogGraphNode<'a> {
	/// The version.
	#[serde(serialize_with = "json::cid")]
	id: VersionId,
	/// Longest path from a root.
	generation: u32,
	/// Block it was committed in.
	committed_in: u32,
	/// Who committed it (SS58).
	committer: &'a str,
	/// The first line of its message.
	message: String,
	/// The yank reason, if yanked.
	yanked: Option<&'a str>,
	/// Names of the refs pointing at it.
	refs: &'a [String],
}

/// A parent edge drawn by `zoo log --graph`.
#[derive(Serialize)]
struct LogGraphEdge<'a> {
	/// The listed version.
	#[serde(serialize_with = "json::cid")]
	child: VersionId,
	/// Its parent.
	#[serde(serialize_with = "json::cid")]
	parent: VersionId,
	/// The edge kind (`revision`, `merge`, `finetune`, ...).
	kind: &'static str,
	/// The parent's model.
	parent_model: &'a str,
	/// Whether the parent is among the listed versions.
	listed: bool,
}

/// `zoo show --json`: a version's record, with its place in the graph.
#[derive(Serialize)]
struct VersionShow<'a> {
	/// The record (the same as each of `zoo log`'s `versions`).
	#[serde(flatten)]
	record: &'a VersionRecord,
	/// Longest path from a root (`null` when the lineage graph does not know the version).
	generation: Option<u32>,
	/// Its parents, with their models.
	parents: Vec<ShownParent<'a>>,
	/// Its children.
	children: Vec<ShownChild>,
	/// Names of the refs pointing at it.
	refs: &'a [String],
}

/// A parent in `zoo show --json`: the manifest's parent edge and the parent's model.
#[derive(Serialize)]
struct ShownParent<'a> {
	/// The parent.
	#[serde(serialize_with = "json::cid")]
	id: VersionId,
	/// The edge kind.
	edge: &'static str,
	/// The parent's model (`?` when the graph does not know it).
	model: &'a str,
}

/// A child in `zoo show --json`: a version naming this one as a parent, and the edge kind.
#[derive(Serialize)]
struct ShownChild {
	/// The child.
	#[serde(serialize_with = "json::cid")]
	id: VersionId,
	/// The edge kind.
	edge: &'static str,
}

/// `zoo diff --json`: how the manifest of `new` differs from that of `old`.
#[derive(Serialize)]
struct Diff<'a> {
	/// The old version.
	#[serde(serialize_with = "json::cid")]
	old: VersionId,
	/// The new version.
	#[serde(serialize_with = "json::cid")]
	new: VersionId,
	/// The differences.
	diff: &'a ManifestDiff,
}

/// The first line of the message, as the chain has it (for JSON).
fn first_line(record: &VersionRecord) -> String {
	String::from_utf8_lossy(&record.manifest.message).lines().next().unwrap_or("").to_owned()
}

/// The first line of the message, safe for a terminal.
fn first_line_text(record: &VersionRecord) -> String {
	safe_line(&first_line(record)).into_owned()
}

/// Names of the refs pointing at each version.
fn refs_by_target(refs: &[RefInfo]) -> BTreeMap<VersionId, Vec<String>> {
	let mut by_target: BTreeMap<VersionId, Vec<String>> = BTreeMap::new();
	for info in refs {
		by_target.entry(info.target).or_default().push(info.name.clone());
	}
	by_target
}

pub(crate) async fn log(ctx: &Ctx, model: &ModelName, start: u32, limit: u32, graph: bool) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	chain.model(model).await?.ok_or_else(|| anyhow!("model {model} does not exist"))?;
	let ids = chain.versions(model, start, limit).await?;
	let mut records = Vec::with_capacity(ids.len());
	for id in &ids {
		records.push(fetch_version(&chain, *id).await?);
	}
	if graph {
		return log_graph(ctx, &chain, model, records).await;
	}
	ctx.print(Log { model, versions: &records }, || {
		if records.is_empty() {
			return format!("model {model} has no versions yet");
		}
		records
			.iter()
			.map(|r| {
				let yanked = r.yanked.as_ref().map(|why| format!("  [yanked: {}]", safe_line(why))).unwrap_or_default();
				format!("{}  block {:<8} {}  {}{yanked}\n", r.id, r.block, r.committer, first_line_text(r))
			})
			.collect()
	});
	Ok(Outcome::Done)
}

/// `zoo log --graph`: the listed versions drawn as a DAG. Parents outside the listing (other
/// models, or older than the page) are named on the version's line.
async fn log_graph(ctx: &Ctx, chain: &Chain, model: &str, records: Vec<VersionRecord>) -> Result<Outcome> {
	let ids: Vec<VersionId> = records.iter().map(|record| record.id).collect();
	let nodes = chain.nodes(&ids).await?;
	let refs = refs_by_target(&chain.refs(model).await?);
	let listed: BTreeSet<VersionId> = ids.iter().copied().collect();
	let outside: Vec<VersionId> = records
		.iter()
		.flat_map(|record| record.manifest.parents.iter().map(|parent| parent.id))
		.filter(|id| !listed.contains(id))
		.collect::<BTreeSet<_>>()
		.into_iter()
		.collect();
	let outside_models: BTreeMap<VersionId, String> =
		chain.nodes(&outside).await?.into_iter().flatten().map(|node| (node.id, node.model)).collect();

	let count = records.len() as u32;
	let dag: Vec<DagNode> = records
		.iter()
		.zip(&nodes)
		.enumerate()
		.map(|(position, (record, node))| DagNode {
			id: record.id,
			parents: record.manifest.parents.iter().map(|parent| parent.id).collect(),
			generation: node.as_ref().map_or(0, |node| node.generation),
			// Listed newest first: the first is the latest commit.
			index: count - position as u32,
		})
		.collect();
	let by_id: BTreeMap<VersionId, &VersionRecord> = records.iter().map(|record| (record.id, record)).collect();
	let ordered = order(dag);
	let rows: Vec<_> = ordered
		.iter()
		.map(|dag_node| {
			let record = by_id[&dag_node.id];
			let mut text = record.id.to_cid_string();
			if let Some(names) = refs.get(&record.id) {
				text.push_str(&format!(" ({})", safe_line(&names.join(", "))));
			}
			// Drawn edges are revisions unless marked; each other kind is named once.
			let mut drawn_kinds = BTreeSet::new();
			for parent in &record.manifest.parents {
				match (listed.contains(&parent.id), parent.edge) {
					(true, EdgeKind::Revision) => {}
					(true, edge) => {
						if drawn_kinds.insert(edge) {
							text.push_str(&format!(" [{}]", edge.as_str()));
						}
					}
					(false, edge) => {
						let from = outside_models.get(&parent.id).map(String::as_str).unwrap_or("?");
						text.push_str(&format!(" [{} of {}@{}]", edge.as_str(), safe_line(from), parent.id));
					}
				}
			}
			if record.yanked.is_some() {
				text.push_str(" [yanked]");
			}
			text.push_str(&format!(" {}", first_line_text(record)));
			dag_node.row(text)
		})
		.collect();
	let no_refs = Vec::new();
	let json_nodes: Vec<LogGraphNode> = ordered
		.iter()
		.map(|dag_node| {
			let record = by_id[&dag_node.id];
			LogGraphNode {
				id: record.id,
				generation: dag_node.generation,
				committed_in: record.block,
				committer: &record.committer,
				message: first_line(record),
				yanked: record.yanked.as_deref(),
				refs: refs.get(&record.id).unwrap_or(&no_refs),
			}
		})
		.collect();
	let edges: Vec<LogGraphEdge> = records
		.iter()
		.flat_map(|record| {
			record.manifest.parents.iter().map(|parent| LogGraphEdge {
				child: record.id,
				parent: parent.id,
				kind: parent.edge.as_str(),
				parent_model: outside_models.get(&parent.id).map_or(model, String::as_str),
				listed: listed.contains(&parent.id),
			})
		})
		.collect();
	ctx.print(LogGraph { model, nodes: json_nodes, edges }, || {
		if rows.is_empty() {
			return format!("model {model} has no versions yet");
		}
		render(&rows).join("\n")
	});
	Ok(Outcome::Done)
}

pub(crate) async fn show(ctx: &Ctx, id: VersionId) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	let record = fetch_version(&chain, id).await?;
	let model = String::from_utf8_lossy(&record.manifest.model).into_owned();
	let node = chain.node(id).await?;
	let parent_ids: Vec<VersionId> = record.manifest.parents.iter().map(|parent| parent.id).collect();
	let parent_models: Vec<String> = chain
		.nodes(&parent_ids)
		.await?
		.into_iter()
		.map(|node| node.map(|node| node.model).unwrap_or_else(|| "?".to_owned()))
		.collect();
	let children = chain.children(id).await?;
	let refs: Vec<String> =
		chain.refs(&model).await?.into_iter().filter(|info| info.target == id).map(|info| info.name).collect();

	let answer = VersionShow {
		record: &record,
		generation: node.as_ref().map(|node| node.generation),
		parents: record
			.manifest
			.parents
			.iter()
			.zip(&parent_models)
			.map(|(parent, model)| ShownParent { id: parent.id, edge: parent.edge.as_str(), model })
			.collect(),
		children: children.iter().map(|(child, edge)| ShownChild { id: *child, edge: edge.as_str() }).collect(),
		refs: &refs,
	};
	ctx.print(answer, || {
		let mut out = String::new();
		if let Some(why) = &record.yanked {
			out.push_str(&format!("yanked    {}\n", safe_line(why)));
		}
		out.push_str(&format!(
			"committer {}\nblock     {}\ndeposit   {}\n",
			record.committer, record.block, record.deposit
		));
		if let Some(node) = &node {
			out.push_str(&format!("generation {}\n", node.generation));
		}
		if !refs.is_empty() {
			out.push_str(&format!("refs      {}\n", safe_line(&refs.join(", "))));
		}
		for (parent, model) in record.manifest.parents.iter().zip(&parent_models) {
			out.push_str(&format!("parent    {} ({}, {})\n", parent.id, parent.edge.as_str(), safe_line(model)));
		}
		for (child, edge) in &children {
			out.push_str(&format!("child     {child} ({})\n", edge.as_str()));
		}
		out.push_str(&manifest_text(record.id, &record.manifest));
		out
	});
	Ok(Outcome::Done)
}

pub(crate) async fn diff(ctx: &Ctx, old_id: VersionId, new_id: VersionId) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	let (old_record, new_record) = (fetch_version(&chain, old_id).await?, fetch_version(&chain, new_id).await?);
	let changes = zoo_client::diff::diff(&old_record.manifest, &new_record.manifest);
	ctx.print(Diff { old: old_id, new: new_id, diff: &changes }, || {
		if changes.is_empty() {
			return format!("{old_id} and {new_id} have the same manifest");
		}
		format!("--- {old_id}\n+++ {new_id}\n{changes}")
	});
	Ok(Outcome::Done)
}
